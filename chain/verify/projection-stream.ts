/**
 * The auditor's comparison of the stored projection (state_records) with the replay, done while the
 * replay runs rather than after it. The table is read in heap order, which is about the order the
 * replay writes records in, a range of heap pages at a time; each row is matched as soon as the
 * replay has passed its last writer, and one whose writer is yet to come waits for it. When the
 * replay ends little is left to read. A row that does not fit, or a matched record that the replay
 * writes again later, ends the early pass: the whole table is then compared in key order, which names
 * the first bad row.
 */
import type { StoredRecordText } from "../store/ledger-store.js";
import { PageReader } from "./page-reader.js";
import type { ReplayState } from "./replay-state.js";

/** Rows read ahead of the replay, at most, before the next page is asked for (a page holds some 10,000). */
const MAX_WAITING = 4_000;

export class ProjectionStream {
  /** One page at a time, and only once the replay has caught up with the last. */
  private readonly reader: PageReader<StoredRecordText>;
  /** Rows whose last writer the replay had not reached when they came, by seq, from `next`. */
  private waiting: StoredRecordText[] = [];
  private next = 0;
  /** The replay has applied every transaction up to this seq. */
  private replayedTo = -1;
  private rows = 0;
  /** A row did not fit: the early pass has stopped. */
  private off = false;

  constructor(
    private readonly state: ReplayState,
    pages: AsyncIterable<StoredRecordText[]>,
  ) {
    this.reader = new PageReader(
      pages,
      (rows) => {
        this.take(rows);
        // The replay may have passed this page already while it was read.
        this.readIfDue();
      },
      () => void (this.off = true),
    );
  }

  /** Whether a page is being read (see PageReader.reads). */
  get reads(): boolean {
    return this.reader.reads;
  }

  /** The replay has applied every transaction up to seq `to`: rows up to there are matched, and more read when due. */
  advance(to: number): void {
    this.replayedTo = to;
    if (this.off) return;
    while (this.next < this.waiting.length && this.waiting[this.next].seq <= to) {
      if (!this.match(this.waiting[this.next++])) return;
    }
    if (this.next === this.waiting.length) {
      this.waiting = [];
      this.next = 0;
    }
    this.readIfDue();
  }

  /**
   * Reads the next page once the replay has caught up with about all that was read. A few rows wait
   * long (a record rewritten late in the ledger), so the test is a count, not the highest seq.
   */
  private readIfDue(): void {
    if (!this.off && this.waiting.length - this.next <= MAX_WAITING) this.reader.read();
  }

  private take(rows: StoredRecordText[]): void {
    if (this.off) return;
    const later: StoredRecordText[] = [];
    for (const r of rows) {
      if (r.seq > this.replayedTo) later.push(r);
      else if (!this.match(r)) return;
    }
    if (!later.length || this.off) return;
    const rest = this.waiting.slice(this.next).concat(later);
    // Heap order is mostly seq order: the sort is then a check.
    this.waiting = rest.sort((a, b) => a.seq - b.seq);
    this.next = 0;
  }

  private match(r: StoredRecordText): boolean {
    if (this.state.matchEarly(r)) {
      this.rows++;
      return true;
    }
    this.off = true;
    this.waiting = [];
    this.next = 0;
    return false;
  }

  /**
   * After the replay: reads and matches the rest. Returns the row count when the early pass matched
   * the whole projection; else compares it again in key order (`inKeyOrder`), naming the first bad row.
   */
  async finish(inKeyOrder: () => AsyncIterable<StoredRecordText>): Promise<number> {
    this.advance(Number.MAX_SAFE_INTEGER);
    await this.reader.drain();
    if (!this.off && this.state.earlyMatchComplete()) return this.rows;
    await this.close();
    return this.state.compareInKeyOrder(inKeyOrder());
  }

  /** Stops reading (the replay failed, or the key-order pass takes over). */
  async close(): Promise<void> {
    this.off = true;
    await this.reader.close();
  }
}
