/**
 * The auditor's replay state: each record's live value (what the contracts read), the transaction
 * that last wrote it, and the nonces used. At the end the stored projection (state_records) must
 * equal it row for row, with nothing else stored.
 */
import { jsonEqual, type Json } from "../encoding.js";
import { NonceSet, stateId, type BlockResult, type StateSource } from "../engine.js";
import type { StateKey } from "../contracts/types.js";
import { LedgerIntegrityError, type StoredRecordText } from "../store/ledger-store.js";
import { cmp } from "./order.js";

/** One record as the replay left it. */
interface RecordEntry {
  ns: string;
  key: string;
  /** Whether it holds a value (false once deleted; a value may itself be JSON null). */
  live: boolean;
  /**
   * Its canonical text (what the store wrote), while live. The parsed value is kept only once a
   * contract has read it: most records are written and never read again, and holding one string
   * each (not an object graph) keeps the old generation small for the collector.
   */
  text: string | null;
  value: Json | null | undefined;
  /** The transaction that last wrote it. */
  seq: number;
  /** Its state_records row has been matched (by the early pass, or by the key-order one). */
  stored: boolean;
}

const fail = (message: string, at: LedgerIntegrityError["at"]): never => {
  throw new LedgerIntegrityError(message, at);
};

export class ReplayState implements StateSource {
  /** By namespace, then key: a lookup hashes the key string itself (cached on it), not a joined id. */
  private readonly records = new Map<string, Map<string, RecordEntry>>();
  private readonly nonces = new NonceSet();
  /** Entries with a live value. */
  private live = 0;
  /** Projection rows matched by the early pass, and whether a later write has voided one of them. */
  private matchedEarly = 0;
  private earlyVoid = false;

  private entry(ns: string, key: string): RecordEntry | undefined {
    return this.records.get(ns)?.get(key);
  }

  /** The entry a write goes to (made if new), with `seq` as its last writer. */
  private entryToWrite(ns: string, key: string, seq: number): RecordEntry {
    let byKey = this.records.get(ns);
    if (!byKey) this.records.set(ns, (byKey = new Map()));
    let e = byKey.get(key);
    if (!e) byKey.set(key, (e = { ns, key, live: false, value: null, text: null, seq, stored: false }));
    else e.seq = seq;
    return e;
  }

  /** A record's live value before the block being replayed (null when absent or deleted). */
  peek(ns: string, key: string): Json | null {
    const e = this.entry(ns, key);
    if (!e || e.text === null) return null;
    return e.value === undefined ? (e.value = JSON.parse(e.text) as Json) : e.value;
  }

  async load(keys: StateKey[]): Promise<Map<string, Json | null>> {
    const out = new Map<string, Json | null>();
    for (const [ns, key] of keys) out.set(stateId(ns, key), this.peek(ns, key));
    return out;
  }

  async usedNonces(ids: string[]): Promise<Set<string>> {
    return new Set(
      ids.filter((id) => {
        const [dept, actor, nonce] = id.split("\u0000");
        return this.nonces.has({ dept, actor, nonce });
      }),
    );
  }

  nonceUsed(b: { dept: string; actor: string; nonce: string }): boolean {
    return this.nonces.has(b);
  }

  /** Applies a replayed block's nonces and writes. */
  apply(result: BlockResult): void {
    for (const a of result.accepted) this.nonces.add(a.body);
    // Each key's final write carries its last writer (the history's touches go to the effects check).
    for (const w of result.writes) {
      const e = this.entryToWrite(w.ns, w.key, w.seq);
      // Its row, matched early, held an older writer: stale, or read before this write (a discrepancy either way).
      if (e.stored) this.earlyVoid = true;
      const live = w.value !== null;
      if (e.live !== live) this.live += live ? 1 : -1;
      e.live = live;
      e.text = w.value;
      e.value = undefined;
    }
  }

  /**
   * Matches one stored projection row against the replay as it stands, early, while the replay goes
   * on (verify/projection-stream.ts); the replay must have passed the row's last writer (r.seq).
   * False for a row that does not fit: the early pass ends there. A row matched here and written
   * again later by the replay voids the pass (see apply).
   */
  matchEarly(r: StoredRecordText): boolean {
    const e = this.entry(r.ns, r.key);
    if (!e || !e.live || e.stored || r.seq !== e.seq || !holdsValue(r, e)) return false;
    e.stored = true;
    this.matchedEarly++;
    return true;
  }

  /** Whether the early pass matched the whole projection: every live record, each to its last writer. */
  earlyMatchComplete(): boolean {
    return !this.earlyVoid && this.matchedEarly === this.live;
  }

  /**
   * Matches the stored projection, which comes in the table's key order, row by row against the
   * replay, from scratch (whatever the early pass found). By key, so a duplicate is caught even if
   * the primary key was dropped. Names the first discrepancy; returns the row count.
   */
  async compareInKeyOrder(rows: AsyncIterable<StoredRecordText>): Promise<number> {
    for (const byKey of this.records.values()) for (const e of byKey.values()) e.stored = false;
    let i = 0;
    for await (const r of rows) {
      const e = this.entry(r.ns, r.key);
      if (!e || !e.live) return fail(`state_records row (${r.ns}, ${r.key}) exists but no transaction wrote it`, { table: "state_records", ns: r.ns, key: r.key });
      if (e.stored) fail(`state_records row (${r.ns}, ${r.key}) is stored twice`, { table: "state_records", ns: r.ns, key: r.key });
      if (!holdsValue(r, e)) fail(`state_records row (${r.ns}, ${r.key}) differs from the ledger (last written by transaction #${e.seq})`, { table: "state_records", ns: r.ns, key: r.key, seq: e.seq });
      if (r.seq !== e.seq) fail(`state_records row (${r.ns}, ${r.key}) says last writer #${r.seq}, the ledger says #${e.seq}`, { table: "state_records", ns: r.ns, key: r.key, seq: e.seq });
      e.stored = true;
      i++;
    }
    if (i < this.live) {
      // Name the first missing row in code-point order, whatever the table's collation.
      const missing = [...this.records.values()].flatMap((m) => [...m.values()]).filter((e) => e.live && !e.stored).sort((a, b) => cmp(a.ns, b.ns) || cmp(a.key, b.key))[0];
      fail(`state_records row (${missing.ns}, ${missing.key}) is missing (last written by transaction #${missing.seq})`, { table: "state_records", ns: missing.ns, key: missing.key, seq: missing.seq });
    }
    return i;
  }
}

/**
 * Whether a stored row holds the live entry's value. The stored text is the canonical text the ledger
 * wrote; any other text (a row from before the column kept text, or an edit) is compared as a value.
 */
function holdsValue(r: StoredRecordText, e: RecordEntry): boolean {
  return r.value === e.text || jsonEqual(parseOrUndefined(r.value), JSON.parse(e.text!));
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
