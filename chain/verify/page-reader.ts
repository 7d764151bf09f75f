/**
 * Reads a table's pages one at a time, each when its owner asks for it, and hands them over as they
 * come: the auditor's early comparisons (projection-stream.ts, history.ts) pace their reading to the
 * replay with it.
 */
export class PageReader<T> {
  private readonly pages: AsyncIterator<T[]>;
  private reading: Promise<void> | null = null;
  private error: unknown = null;
  /** Every page has come, or reading was stopped. */
  ended = false;

  constructor(
    pages: AsyncIterable<T[]>,
    /** Takes a page; may ask for the next one (read()) from there. */
    private readonly onPage: (rows: T[]) => void,
    /** Reading failed: the error is kept for drain(). */
    private readonly onError: () => void,
  ) {
    this.pages = pages[Symbol.asyncIterator]();
  }

  /**
   * Whether a page is being read. Its rows come in as I/O, which a thread takes only when it waits:
   * one that never waits (a replay whose blocks are checked well ahead) must yield now and then.
   */
  get reads(): boolean {
    return this.reading !== null;
  }

  /** Asks for the next page, unless one is being read or none is left. */
  read(): void {
    if (this.reading || this.ended) return;
    this.reading = this.pages.next().then(
      (r) => {
        this.reading = null;
        if (r.done) this.ended = true;
        else this.onPage(r.value);
      },
      (e: unknown) => {
        this.reading = null;
        this.error = e;
        this.onError();
      },
    );
  }

  /** Waits until no page is being read (the owner may ask for more as they come); throws a read error. */
  async drain(): Promise<void> {
    while (this.reading) await this.reading;
    if (this.error) throw this.error;
  }

  /** Stops reading. */
  async close(): Promise<void> {
    this.ended = true;
    await this.reading?.catch(() => undefined);
    await this.pages.return?.(undefined);
  }
}
