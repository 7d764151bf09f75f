/**
 * An incident's caller (the `incidents` dataset's field `caller`, sensitivity 4, sealed on the
 * ledger) as the sharing policy lets the signed-in user see it. A reader the policy allows the field
 * (owner, hierarchy or a grant, within clearance) gets it opened with their department's key wrap,
 * and the read is a `data.read` transaction; anyone else gets it withheld, with the policy's reason,
 * in the same shape as a dataset read reports withheld fields: `hidden: [{ name, reason }]`.
 */
import { INCIDENTS_DATASET, type IncidentRecord } from "../../chain/contracts/dispatch";
import type { DatasetEntry } from "../../chain/contracts/sharing";
import type { PortalLedger } from "../ledger/portal-ledger";
import { datasetKeys } from "../sharing/keys";
import { AccessDeniedError, auditRead, authorizeRead, openVisible, type Allowed, type Reader } from "../sharing/policy";

export const CALLER_FIELD = "caller";
export const CALLER_READ_PURPOSE = "警情报警人查看 incident caller";
const ASK_TO_SHOW = "点击“显示报警人”查看（记入访问日志） press “show caller” to see it (the read is logged)";

export interface Withheld {
  name: string;
  reason: string;
  /** The policy allows this reader the field: it is shown on an explicit request (`dispatch.revealCaller`), never on a polled read. */
  revealable?: true;
}

/** An incident as a reader sees it: `caller` present only when shown, `hidden` naming what was withheld and why. */
export type IncidentForReader<T extends IncidentRecord> = Omit<T, "caller" | "sealed"> & { caller?: string; hidden: Withheld[] };

type Access = { ok: true; entry: DatasetEntry; decision: Allowed } | { ok: false; reason: string };

/** Whether the policy shows `reader` the caller field, and on what decision (or why not). */
export async function callerAccess(ledger: PortalLedger, reader: Reader): Promise<Access> {
  try {
    const { entry, decision } = await authorizeRead(ledger, reader, INCIDENTS_DATASET);
    if (decision.fields.some((f) => f.name === CALLER_FIELD)) return { ok: true, entry, decision };
    return { ok: false, reason: decision.hidden.find((h) => h.name === CALLER_FIELD)?.reason ?? `${CALLER_FIELD} not visible` };
  } catch (e) {
    if (e instanceof AccessDeniedError) return { ok: false, reason: e.reason };
    throw e;
  }
}

const hasCaller = (i: IncidentRecord) => !!(i.caller || i.sealed?.caller);

/**
 * The incidents with their callers shown or withheld for `reader`. `reveal: false` (the list and the
 * incident panel, which the console polls) withholds the caller from everyone, marking it revealable
 * where the policy would allow it; a read that shows callers is logged once, naming the caller field
 * and how many were shown.
 */
export async function incidentsForReader<T extends IncidentRecord>(ledger: PortalLedger, reader: Reader, incidents: T[], opts: { reveal: boolean; query?: string }): Promise<IncidentForReader<T>[]> {
  const strip = ({ caller: _c, sealed: _s, ...rest }: T) => rest;
  if (!incidents.some(hasCaller)) return incidents.map((i) => ({ ...strip(i), hidden: [] }));
  const access = await callerAccess(ledger, reader);
  if (!access.ok || !opts.reveal) {
    const withheld: Withheld = access.ok ? { name: CALLER_FIELD, reason: ASK_TO_SHOW, revealable: true } : { name: CALLER_FIELD, reason: access.reason };
    return incidents.map((i) => ({ ...strip(i), hidden: hasCaller(i) ? [withheld] : [] }));
  }
  const { entry, decision } = access;
  const keys = await datasetKeys(ledger, INCIDENTS_DATASET);
  const unopened = `本节点无法为 ${decision.keyDept} 解密报警人 this node cannot open the caller for ${decision.keyDept}`;
  let shown = 0;
  const out = incidents.map((i) => {
    if (!hasCaller(i)) return { ...strip(i), hidden: [] };
    // Earlier history may hold a clear caller; it is shown under the same policy.
    const caller = i.sealed?.caller ? (openVisible(ledger, keys, entry, i.id, { caller: i.sealed.caller }, decision)[CALLER_FIELD] as string | null) : i.caller!;
    if (caller === null) return { ...strip(i), hidden: [{ name: CALLER_FIELD, reason: unopened }] };
    shown++;
    return { ...strip(i), caller, hidden: [] };
  });
  if (shown) {
    const callerOnly: Allowed = { ...decision, fields: decision.fields.filter((f) => f.name === CALLER_FIELD), sensitive: true };
    await auditRead(ledger, reader, entry, callerOnly, shown, CALLER_READ_PURPOSE, opts.query);
  }
  return out;
}
