/**
 * The auditor's check of what the replay wrote. Block by block: the final writes against the
 * header's writes root. At the end: the record history (ledger_touches) against which transactions
 * wrote each record. Keeps only seqs per key, so it runs on the checker's thread beside the replay.
 */
import { writesRoot } from "../engine.js";
import type { Hasher } from "../hasher.js";
import { LedgerIntegrityError } from "../store/ledger-store.js";
import { cmp } from "./order.js";

/** One replayed block's effects, flat (cheap to build and to post between threads). */
export interface BlockEffects {
  height: number;
  /** The writes root its header claims, when the replay took it as given and left it to be checked here. */
  writesRoot?: string;
  /** [ns, key, canonical value or null for a delete, ...]: each key's final value, in the order of the block's writes (only with writesRoot). */
  writes: (string | null)[];
  /** [seq, ns, key, ...] for every write of every transaction. */
  touches: (string | number)[];
}

export interface StoredTouch {
  ns: string;
  key: string;
  seq: number;
}

/** The transactions that wrote one record, and whether its stored rows have been matched. */
interface KeyHistory {
  ns: string;
  key: string;
  /** The first transaction that wrote it, and any later ones (most records are written once: no array for them). */
  first: number;
  later: number[] | null;
  traced: boolean;
  /** Stored rows matched so far by the heap-order pass (they come oldest first there too, as a rule). */
  matched: number;
}

const fail = (message: string, at: LedgerIntegrityError["at"]): never => {
  throw new LedgerIntegrityError(message, at);
};

export class EffectsAudit {
  /** By namespace, then key (no joined id to build and hash per lookup). */
  private readonly keys = new Map<string, Map<string, KeyHistory>>();
  private size = 0;
  private touches = 0;

  constructor(private readonly hasher: Hasher) {}

  /** Takes a block's effects; throws if its writes do not hash to the writes root it came with. */
  apply({ height, writesRoot: claimed, writes, touches }: BlockEffects): void {
    for (let i = 0; i < touches.length; i += 3) {
      const ns = touches[i + 1] as string;
      const key = touches[i + 2] as string;
      let byKey = this.keys.get(ns);
      if (!byKey) this.keys.set(ns, (byKey = new Map()));
      const e = byKey.get(key);
      if (e) (e.later ??= []).push(touches[i] as number);
      else {
        byKey.set(key, { ns, key, first: touches[i] as number, later: null, traced: false, matched: 0 });
        this.size++;
      }
    }
    this.touches += touches.length / 3;
    if (claimed === undefined) return;
    const list: { ns: string; key: string; value: string | null }[] = [];
    for (let i = 0; i < writes.length; i += 3) list.push({ ns: writes[i]!, key: writes[i + 1]!, value: writes[i + 2] });
    if (writesRoot(this.hasher, list) !== claimed) fail(`block ${height}: replay gives a different state writes root`, { height });
  }

  /**
   * Matches the stored history against the replay's; returns the row count. First in whatever order
   * `touches` come (heap order: about the order the replay kept them in, so close in memory), each
   * key's rows expected oldest first; at the first row that does not fit (a discrepancy, or rows
   * stored out of order), again from the start in the table's key order (`inKeyOrder`), which names
   * the first bad row as a key-ordered reading finds it.
   */
  async compare(touches: AsyncIterable<StoredTouch>, inKeyOrder: () => AsyncIterable<StoredTouch>): Promise<number> {
    let n = 0;
    let clean = true;
    for await (const t of touches) {
      const e = this.keys.get(t.ns)?.get(t.key);
      if (!e || e.matched >= touchCount(e) || nthTouch(e, e.matched) !== t.seq) {
        clean = false;
        break;
      }
      e.matched++;
      n++;
    }
    if (clean && n === this.touches) return n;
    for (const byKey of this.keys.values()) for (const e of byKey.values()) e.matched = 0;
    return this.compareInKeyOrder(inKeyOrder());
  }

  /**
   * Matches the stored rows, which come key by key, oldest first (the table's key order), each key's
   * run against the seqs the replay gave it. Names the first discrepancy; returns the row count.
   */
  private async compareInKeyOrder(touches: AsyncIterable<StoredTouch>): Promise<number> {
    let j = 0;
    let run: KeyHistory | undefined;
    let runNs: string | null = null;
    let runKey = "";
    let k = 0;
    let traced = 0;
    const endRun = () => {
      if (run && k < touchCount(run)) fail(`ledger_touches row (#${nthTouch(run, k)}, ${run.ns}, ${run.key}) is missing`, { table: "ledger_touches", seq: nthTouch(run, k), ns: run.ns, key: run.key });
    };
    for await (const t of touches) {
      if (t.ns !== runNs || t.key !== runKey) {
        endRun();
        // A key's rows come together; one seen again later (a duplicated row) matches nothing.
        const e = this.keys.get(t.ns)?.get(t.key);
        run = e && !e.traced ? e : undefined;
        if (run) {
          run.traced = true;
          traced++;
        }
        runNs = t.ns;
        runKey = t.key;
        k = 0;
      }
      if (!run || k >= touchCount(run) || nthTouch(run, k) !== t.seq) {
        const want = run && k < touchCount(run) ? nthTouch(run, k) : undefined;
        fail(`ledger_touches row (#${t.seq}, ${t.ns}, ${t.key}) does not match the replay${want !== undefined ? ` (expected #${want}, ${t.ns}, ${t.key})` : ""}`, { table: "ledger_touches", seq: t.seq, ns: t.ns, key: t.key });
      }
      k++;
      j++;
    }
    endRun();
    if (traced < this.size) {
      // Name the missing row of the oldest transaction, as a seq-ordered comparison would.
      let first: { ns: string; key: string; seq: number } | null = null;
      for (const e of [...this.keys.values()].flatMap((m) => [...m.values()])) {
        if (e.traced) continue;
        const c = { ns: e.ns, key: e.key, seq: e.first };
        if (!first || c.seq < first.seq || (c.seq === first.seq && (cmp(c.ns, first.ns) || cmp(c.key, first.key)) < 0)) first = c;
      }
      fail(`ledger_touches row (#${first!.seq}, ${first!.ns}, ${first!.key}) is missing`, { table: "ledger_touches", seq: first!.seq, ns: first!.ns, key: first!.key });
    }
    return j;
  }
}

const touchCount = (e: KeyHistory) => 1 + (e.later?.length ?? 0);
const nthTouch = (e: KeyHistory, k: number) => (k === 0 ? e.first : e.later![k - 1]);
