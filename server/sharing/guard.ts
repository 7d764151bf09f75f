/**
 * The policy as other routers use it: `guardRead` authorises a read of a catalogued dataset for the
 * signed-in user (a refusal is an AccessDeniedError with the reason), `withhold` blanks the catalogued
 * fields the user may not see, and `auditIfSensitive` logs the read when sensitive fields were shown.
 */
import { SENSITIVE_LEVEL, type DatasetEntry } from "../../chain/contracts/sharing";
import { MASKED } from "../../lib/registries";
import type { PortalLedger } from "../ledger/portal-ledger";
import { auditRead, authorizeRead, rowAllowed, type Allowed, type Reader } from "./policy";

export interface Guarded {
  entry: DatasetEntry;
  decision: Allowed;
  /** True when the user sees `field`. */
  sees(field: string): boolean;
}

/** @throws AccessDeniedError with the policy's reason. */
export async function guardRead(ledger: PortalLedger, reader: Reader, dataset: string): Promise<Guarded> {
  const { entry, decision } = await authorizeRead(ledger, { id: reader.id, dept: reader.dept, role: reader.role, clearance: reader.clearance }, dataset);
  const visible = new Set(decision.fields.map((f) => f.name));
  return { entry, decision, sees: (f) => visible.has(f) };
}

/** Removes the catalogued fields the reader does not see; other keys (ledger stamps, ids) stay. */
export function withhold<T extends Record<string, unknown>>(row: T, g: Guarded): T {
  const out: Record<string, unknown> = { ...row };
  for (const f of g.entry.fields) if (!g.sees(f.name)) delete out[f.name];
  return out as T;
}


/**
 * A record as a list or an export shows it: null when it lies outside a row-limited grant, the
 * fields the reader does not see removed, sensitive ones (sensitivity >= 3 or sealed) masked for
 * every reader, the owner included, so a list (which pages poll) never writes or needs a `data.read`.
 * `row` is where the catalogued fields are (a sealed record's `attrs`).
 */
export function listView<T extends Record<string, unknown>>(row: T, g: Guarded): T | null {
  if (!rowAllowed(row, g.decision)) return null;
  const out: Record<string, unknown> = { ...row };
  for (const f of g.entry.fields) {
    if (!(f.name in out)) continue;
    if (!g.sees(f.name)) delete out[f.name];
    else if (f.sensitivity >= SENSITIVE_LEVEL || f.sealed) out[f.name] = MASKED;
  }
  return out as T;
}

/** Logs a read on the ledger when it showed sensitive fields (purpose: the module's own). */
export async function auditIfSensitive(ledger: PortalLedger, reader: Reader, g: Guarded, records: number, purpose: string, query?: string): Promise<void> {
  await auditRead(ledger, reader, g.entry, g.decision, records, purpose, query);
}
