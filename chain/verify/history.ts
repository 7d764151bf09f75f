/**
 * The auditor's check of the record history (ledger_touches) against which transactions the replay
 * says wrote each record. Early, while the replay runs: the table's heap against the replay's
 * touches in the order both were made (the heap keeps rows in the order blocks inserted them). If
 * that does not hold to the end, again in the table's key order, which names the first bad row.
 */
import { LedgerIntegrityError } from "../store/ledger-store.js";
import { cmp } from "./order.js";
import { PageReader } from "./page-reader.js";

export interface StoredTouch {
  ns: string;
  key: string;
  seq: number;
}

/** The transactions that wrote one record, and whether its stored rows have been matched (key-order pass). */
interface KeyHistory {
  ns: string;
  key: string;
  /** The first transaction that wrote it, and any later ones (most records are written once: no array for them). */
  first: number;
  later: number[] | null;
  traced: boolean;
}

const fail = (message: string, at: LedgerIntegrityError["at"]): never => {
  throw new LedgerIntegrityError(message, at);
};

/** Stored rows read ahead of the replay's touches, at most, before the next heap page is asked for. */
const MAX_AHEAD = 4_000;

/** One block's touches ([seq, ns, key, ...], seqs ascending) and how far the early pass has matched them. */
interface Chunk {
  touches: (string | number)[];
  first: number;
  last: number;
  at: number;
}

export class HistoryAudit {
  /** Each block's touches as they came, in replay order: the early pass matches them in place, the key-order pass indexes them. */
  private readonly chunks: Chunk[] = [];
  private touches = 0;
  /** The early pass: stored rows read but not yet matched (their block's touches are still to come), in heap order. */
  private waiting: StoredTouch[] = [];
  private waitingMin = Infinity;
  private matched = 0;
  /** The chunk the last row matched (the next row is most likely in it too). */
  private hint = 0;
  private readonly reader: PageReader<StoredTouch>;
  /** A row did not fit: the key-order pass decides. */
  private off = false;

  /**
   * Starts matching the stored history, read in heap order from `pages`, against the touches as they
   * come. Each block's rows are in the heap in the order its statement inserted them, but the rows of
   * two blocks can interleave (the node commits the next block while the last one completes), so a
   * row is matched against the next touch of its own block.
   */
  constructor(pages: AsyncIterable<StoredTouch[]>) {
    this.reader = new PageReader(
      pages,
      (rows) => this.step(rows),
      () => this.stop(),
    );
    this.step([]);
  }

  /** Whether a page is being read (see PageReader.reads). */
  get reads(): boolean {
    return this.reader.reads;
  }

  /** Takes a replayed block's touches: [seq, ns, key, ...] for every write of every transaction, in order. */
  add(touches: (string | number)[]): void {
    if (!touches.length) return;
    this.chunks.push({ touches, first: touches[0] as number, last: touches[touches.length - 3] as number, at: 0 });
    this.touches += touches.length / 3;
    if (this.waitingMin <= (touches[touches.length - 3] as number)) {
      const rows = this.waiting;
      this.waiting = [];
      this.waitingMin = Infinity;
      this.step(rows);
    } else this.step([]);
  }

  /** Matches `rows` (heap order) as far as the touches have come, the rest wait; reads the next page when due. */
  private step(rows: StoredTouch[]): void {
    if (this.off) return;
    const upTo = this.chunks.length ? this.chunks[this.chunks.length - 1].last : -1;
    for (const r of rows) {
      // A row of a block still to come waits (and so, in order, do the later rows of that block).
      if (r.seq > upTo) {
        this.waiting.push(r);
        if (r.seq < this.waitingMin) this.waitingMin = r.seq;
      } else if (!this.match(r)) return;
    }
    if (this.waiting.length <= MAX_AHEAD) this.reader.read();
  }

  private match(r: StoredTouch): boolean {
    const c = this.chunkOf(r.seq);
    if (!c || c.touches[c.at] !== r.seq || c.touches[c.at + 1] !== r.ns || c.touches[c.at + 2] !== r.key) {
      this.stop();
      return false;
    }
    c.at += 3;
    this.matched++;
    return true;
  }

  /** The chunk whose seq range holds `seq`. */
  private chunkOf(seq: number): Chunk | undefined {
    const h = this.chunks[this.hint];
    if (h && h.first <= seq && seq <= h.last) return h;
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = this.chunks[mid];
      if (seq < c.first) hi = mid - 1;
      else if (seq > c.last) lo = mid + 1;
      else {
        this.hint = mid;
        return c;
      }
    }
    return undefined;
  }

  private stop(): void {
    this.off = true;
    this.waiting = [];
    this.waitingMin = Infinity;
  }

  /**
   * After the last block's touches: the history's row count, when the early pass matched every
   * stored row to every touch in order; otherwise the stored history, which comes in the table's
   * key order (`inKeyOrder`), is matched again key by key, naming the first discrepancy.
   */
  async finish(inKeyOrder: () => AsyncIterable<StoredTouch>): Promise<number> {
    await this.reader.drain();
    if (!this.off && this.reader.ended && !this.waiting.length && this.matched === this.touches) return this.matched;
    await this.close();
    return this.compareInKeyOrder(inKeyOrder());
  }

  /** Stops the early pass's reading. */
  async close(): Promise<void> {
    this.stop();
    await this.reader.close();
  }

  /** The replay's touches by namespace, then key, each key's writers oldest first. */
  private byKey(): Map<string, Map<string, KeyHistory>> {
    const keys = new Map<string, Map<string, KeyHistory>>();
    for (const { touches } of this.chunks) {
      for (let i = 0; i < touches.length; i += 3) {
        const ns = touches[i + 1] as string;
        const key = touches[i + 2] as string;
        let byKey = keys.get(ns);
        if (!byKey) keys.set(ns, (byKey = new Map()));
        const e = byKey.get(key);
        if (e) (e.later ??= []).push(touches[i] as number);
        else byKey.set(key, { ns, key, first: touches[i] as number, later: null, traced: false });
      }
    }
    return keys;
  }

  /**
   * Matches the stored rows, which come key by key, oldest first (the table's key order), each key's
   * run against the seqs the replay gave it. Names the first discrepancy; returns the row count.
   */
  private async compareInKeyOrder(touches: AsyncIterable<StoredTouch>): Promise<number> {
    const keys = this.byKey();
    let j = 0;
    let run: KeyHistory | undefined;
    let runNs: string | null = null;
    let runKey = "";
    let k = 0;
    const endRun = () => {
      if (run && k < touchCount(run)) fail(`ledger_touches row (#${nthTouch(run, k)}, ${run.ns}, ${run.key}) is missing`, { table: "ledger_touches", seq: nthTouch(run, k), ns: run.ns, key: run.key });
    };
    for await (const t of touches) {
      if (t.ns !== runNs || t.key !== runKey) {
        endRun();
        // A key's rows come together; one seen again later (a duplicated row) matches nothing.
        const e = keys.get(t.ns)?.get(t.key);
        run = e && !e.traced ? e : undefined;
        if (run) run.traced = true;
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
    // Name the missing row of the oldest transaction, as a seq-ordered comparison would.
    let first: { ns: string; key: string; seq: number } | null = null;
    for (const byKey of keys.values()) {
      for (const e of byKey.values()) {
        if (e.traced) continue;
        const c = { ns: e.ns, key: e.key, seq: e.first };
        if (!first || c.seq < first.seq || (c.seq === first.seq && (cmp(c.ns, first.ns) || cmp(c.key, first.key)) < 0)) first = c;
      }
    }
    if (first) fail(`ledger_touches row (#${first.seq}, ${first.ns}, ${first.key}) is missing`, { table: "ledger_touches", seq: first.seq, ns: first.ns, key: first.key });
    return j;
  }
}

const touchCount = (e: KeyHistory) => 1 + (e.later?.length ?? 0);
const nthTouch = (e: KeyHistory, k: number) => (k === 0 ? e.first : e.later![k - 1]);
