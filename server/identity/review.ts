/**
 * The registry owner's side of ID verification: the access review (every lookup of its data, by
 * whom, where, why and with what answer), a person's record with who checked it and its status
 * history, and the anomaly alerts with their follow-up. Verifiers see only their own checks.
 */
import type { ID_ALERT_ACTIONS } from "../../chain/contracts/enums";
import { REGISTRY, type CheckResult, type IdAlert, type IdCheck } from "../../chain/contracts/identity";
import type { SealedRecord } from "../../chain/contracts/sharing";
import type { Committed } from "../../chain/node";
import type { Actor, PortalLedger } from "../ledger/portal-ledger";
import { AccessDeniedError, readDataset, type Reader } from "../sharing/policy";
import { registryEntry } from "./registry";

export async function registryOwner(ledger: PortalLedger): Promise<string | null> {
  return (await registryEntry(ledger))?.owner ?? null;
}

/** The access review is the owner's (and a system admin's). @throws AccessDeniedError */
export async function requireReviewer(ledger: PortalLedger, user: { dept: string; role: string }): Promise<string> {
  const owner = await registryOwner(ledger);
  if (!owner) throw new AccessDeniedError("unknown_dataset", `no dataset ${REGISTRY}`);
  if (user.role !== "sys_admin" && user.dept !== owner) throw new AccessDeniedError("no_grant", `核验记录审查仅限数据所有者 ${owner} only the registry owner ${owner} reviews ID checks`);
  return owner;
}

export interface CheckFilter {
  dept?: string;
  verifier?: string;
  result?: CheckResult;
  record?: string;
  anomalies?: boolean;
  limit?: number;
  offset?: number;
}

/** Lookups, newest first, with the total matching and counts by department and by answer. */
export async function listChecks(ledger: PortalLedger, f: CheckFilter = {}) {
  const where = `ns = 'idcheck' AND ($1::text IS NULL OR value->>'dept' = $1) AND ($2::text IS NULL OR value->>'verifier' = $2)
    AND ($3::text IS NULL OR value->>'result' = $3) AND ($4::text IS NULL OR value->>'record' = $4)
    AND (NOT $5::boolean OR value->>'result' IN ('reported_stolen', 'revoked', 'reported_lost') OR value->'duplicate' IS NOT NULL)`;
  const params = [f.dept ?? null, f.verifier ?? null, f.result ?? null, f.record ?? null, !!f.anomalies];
  const [rows, byDept, byResult] = await Promise.all([
    ledger.db.query<{ value: IdCheck; n: number }>(`SELECT value, count(*) OVER ()::int AS n FROM state_records WHERE ${where} ORDER BY (value->>'seq')::bigint DESC LIMIT $6 OFFSET $7`, [...params, Math.min(f.limit ?? 50, 200), f.offset ?? 0]),
    ledger.db.query<{ k: string; n: number }>(`SELECT value->>'dept' AS k, count(*)::int AS n FROM state_records WHERE ${where} GROUP BY 1 ORDER BY 2 DESC`, params),
    ledger.db.query<{ k: string; n: number }>(`SELECT value->>'result' AS k, count(*)::int AS n FROM state_records WHERE ${where} GROUP BY 1 ORDER BY 2 DESC`, params),
  ]);
  return {
    checks: rows.rows.map((r) => r.value),
    total: rows.rows[0]?.n ?? 0,
    byDept: Object.fromEntries(byDept.rows.map((r) => [r.k, r.n])),
    byResult: Object.fromEntries(byResult.rows.map((r) => [r.k, r.n])),
  };
}

export interface StatusChange {
  seq: number;
  hash: string;
  time: number;
  type: string;
  actor: string;
  dept: string;
  purpose: string | null;
  status: string | null;
  note: string | null;
}

/** Enrolment and status changes of a record: the transactions that wrote it. */
async function recordHistory(ledger: PortalLedger, key: string): Promise<StatusChange[]> {
  const { rows } = await ledger.db.query<{ seq: number; hash: string; ts: number; type: string; actor: string; dept: string; body: string }>(
    `SELECT t.seq, t.hash, t.ts, t.type, t.actor, t.dept, t.body FROM ledger_touches h JOIN ledger_txs t ON t.seq = h.seq
      WHERE h.ns = 'dsrec' AND h.key = $1 AND t.type IN ('identity.enrol', 'identity.status') ORDER BY t.seq DESC LIMIT 50`,
    [`${REGISTRY}/${key}`],
  );
  return rows.map((r) => {
    const body = JSON.parse(r.body) as { purpose?: string; payload?: { status?: string; note?: string } };
    return {
    seq: Number(r.seq),
    hash: r.hash,
    time: Number(r.ts),
    type: r.type,
    actor: r.actor,
    dept: r.dept,
    purpose: body.purpose ?? null,
    status: body.payload?.status ?? null,
    note: body.payload?.note ?? null,
    };
  });
}

/**
 * A person as the owner's officer may see them, found by ID number through the blind index. The
 * read itself is on the ledger (`data.read`, with its purpose); fields above the officer's clearance
 * stay hidden. Returns who checked the person and the card's history.
 */
export async function lookupPerson(ledger: PortalLedger, reader: Reader, idNumber: string, purpose: string) {
  await requireReviewer(ledger, reader);
  // readDataset refuses a search by number below the number's clearance ("clearance", naming it).
  const res = await readDataset(ledger, reader, REGISTRY, { purpose, match: { field: "idNumber", value: idNumber }, limit: 1 });
  const row = res.rows[0];
  if (!row) return { found: false as const, audit: res.audit };
  const key = String(row.personId);
  const rec = (await ledger.node.store.record<SealedRecord>("dsrec", `${REGISTRY}/${key}`))!.value;
  const [checks, history] = await Promise.all([listChecks(ledger, { record: key, limit: 100 }), recordHistory(ledger, key)]);
  return {
    found: true as const,
    key,
    person: row,
    attrs: rec.attrs,
    hidden: res.hidden.map((h) => h.name),
    checks: checks.checks,
    history,
    audit: res.audit,
  };
}

export async function listAlerts(ledger: PortalLedger, f: { status?: "open" | "closed" | "all"; limit?: number } = {}): Promise<IdAlert[]> {
  const status = f.status ?? "open";
  const { rows } = await ledger.db.query<{ value: IdAlert }>(
    `SELECT value FROM state_records WHERE ns = 'idalert'
       AND ($1 = 'all' OR ($1 = 'open') = (value->>'status' NOT IN ('confirmed', 'dismissed')))
     ORDER BY (value->>'time')::bigint DESC LIMIT $2`,
    [status, Math.min(f.limit ?? 50, 200)],
  );
  return rows.map((r) => r.value);
}

export function actOnAlert(ledger: PortalLedger, actor: Actor, input: { id: string; action: (typeof ID_ALERT_ACTIONS)[number]; note?: string; assignee?: string }): Promise<Committed> {
  const what = { acknowledge: "签收", assign: "指派", confirm: "确认异常", dismiss: "排除异常" }[input.action];
  return ledger.submitAs(actor, "identity.alert", input, `身份核验异常处置：${what} ID check anomaly: ${input.action}`);
}
