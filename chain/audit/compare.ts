/**
 * Phase 3 of the reference auditor: the stored projection (state_records) and history
 * (ledger_touches) against the replay, both walked in key order side by side (a merge), so the first
 * row where they part is the one named.
 */
import { jsonEqual } from "../encoding.js";
import type { Queryable } from "../store/db.js";
import { LedgerIntegrityError } from "../store/ledger-store.js";
import { cmp } from "../verify/order.js";
import type { FaultLocation } from "./auditor.js";
import { Cursor, keyOrdered } from "./rows.js";
import type { MemoryState, ReplayedRecord } from "./replay.js";

const fail = (message: string, at: FaultLocation): never => {
  throw new LedgerIntegrityError(message, at);
};

/** Compares state_records with the replayed records; returns the row count. */
export async function compareProjection(db: Queryable, state: MemoryState): Promise<number> {
  const replayed = [...state.records.values()].sort((a, b) => cmp(a.ns, b.ns) || cmp(a.key, b.key));
  const stored = new Cursor(keyOrdered<{ ns: string; key: string; value: string; seq: number }>(db, "state_records", "ns, key, value::text AS value, seq", [["ns", "ns", true], ["key", "key", true]]));
  let i = 0;
  let n = 0;
  let last: { ns: string; key: string } | null = null;
  for (let r = await stored.next(); r !== undefined; r = await stored.next(), n++) {
    const at = { table: "state_records", ns: r.ns, key: r.key };
    if (last && last.ns === r.ns && last.key === r.key) fail(`state_records row (${r.ns}, ${r.key}) is stored twice`, at);
    last = r;
    const e: ReplayedRecord | undefined = replayed[i];
    const order = e ? cmp(r.ns, e.ns) || cmp(r.key, e.key) : -1;
    if (order > 0) fail(`state_records row (${e.ns}, ${e.key}) is missing (last written by transaction #${e.seq})`, { table: "state_records", ns: e.ns, key: e.key, seq: e.seq });
    if (order < 0) fail(`state_records row (${r.ns}, ${r.key}) exists but no transaction wrote it`, at);
    // The column keeps the ledger's canonical text; any other rendering is compared as a value.
    if (r.value !== e.text && !jsonEqual(parse(r.value), JSON.parse(e.text))) fail(`state_records row (${r.ns}, ${r.key}) differs from the ledger (last written by transaction #${e.seq})`, { ...at, seq: e.seq });
    if (r.seq !== e.seq) fail(`state_records row (${r.ns}, ${r.key}) says last writer #${r.seq}, the ledger says #${e.seq}`, { ...at, seq: e.seq });
    i++;
  }
  const e = replayed[i];
  if (e) fail(`state_records row (${e.ns}, ${e.key}) is missing (last written by transaction #${e.seq})`, { table: "state_records", ns: e.ns, key: e.key, seq: e.seq });
  return n;
}

/** Compares ledger_touches with the replay's touches; returns the row count. */
export async function compareHistory(db: Queryable, state: MemoryState): Promise<number> {
  const replayed = [...state.touches].sort((a, b) => cmp(a.ns, b.ns) || cmp(a.key, b.key) || a.seq - b.seq);
  const stored = new Cursor(keyOrdered<{ ns: string; key: string; seq: number }>(db, "ledger_touches", "ns, key, seq", [["ns", "ns", true], ["key", "key", true], ["seq", "seq"]]));
  let i = 0;
  for (let r = await stored.next(); r !== undefined; r = await stored.next()) {
    const e = replayed[i];
    const order = e ? cmp(r.ns, e.ns) || cmp(r.key, e.key) || r.seq - e.seq : -1;
    if (order > 0) fail(`ledger_touches row (#${e.seq}, ${e.ns}, ${e.key}) is missing`, { table: "ledger_touches", seq: e.seq, ns: e.ns, key: e.key });
    if (order < 0) fail(`ledger_touches row (#${r.seq}, ${r.ns}, ${r.key}) does not match the replay`, { table: "ledger_touches", seq: r.seq, ns: r.ns, key: r.key });
    i++;
  }
  const e = replayed[i];
  if (e) fail(`ledger_touches row (#${e.seq}, ${e.ns}, ${e.key}) is missing`, { table: "ledger_touches", seq: e.seq, ns: e.ns, key: e.key });
  return i;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
