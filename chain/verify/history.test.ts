import { describe, expect, it } from "vitest";
import { HistoryAudit } from "./history.js";

const rows = (list: [string, string, number][]) =>
  (async function* () {
    for (const [ns, key, seq] of list) yield { ns, key, seq };
  })();
/** The rows in pages of `size`, each a turn of the event loop later (as a database answers). */
const pages = (list: [string, string, number][], size: number) =>
  (async function* () {
    for (let i = 0; i < list.length; i += size) {
      await new Promise((r) => setImmediate(r));
      yield list.slice(i, i + size).map(([ns, key, seq]) => ({ ns, key, seq }));
    }
  })();

/** Waits (a bounded number of turns) until no page is being read: the audit has read all it may before more touches come. */
async function settled(a: HistoryAudit): Promise<void> {
  for (let i = 0; i < 10_000 && a.reads; i++) await new Promise((r) => setImmediate(r));
  expect(a.reads).toBe(false);
}

describe("the auditor's history check", () => {
  it("matches the stored history as the touches come, in commit order, or else key by key, and names the first row missing or extra", async () => {
    /** An audit of touches [1 user/op, 2 anchor/a1, 3 user/op] in two blocks, reading `heap` in pages of two rows. */
    const audit = async (heap: [string, string, number][], inKeyOrder: [string, string, number][]) => {
      const a = new HistoryAudit(pages(heap, 2));
      a.add([1, "user", "op", 2, "anchor", "a1"]);
      await settled(a); // the first pages come in before the second block's touches
      a.add([3, "user", "op"]);
      return a.finish(() => rows(inKeyOrder));
    };
    const inKeyOrder: [string, string, number][] = [["anchor", "a1", 2], ["user", "op", 1], ["user", "op", 3]];
    const committed: [string, string, number][] = [["user", "op", 1], ["anchor", "a1", 2], ["user", "op", 3]];
    // In commit order (as the heap holds them): the key-ordered reading is never asked for.
    await expect(audit(committed, [])).resolves.toBe(3);
    // Two blocks' rows interleaved (the node inserts the next block while the last one commits): still in order within each block.
    await expect(audit([["user", "op", 1], ["user", "op", 3], ["anchor", "a1", 2]], [])).resolves.toBe(3);
    // Out of it (a rewritten heap): matched again in key order.
    await expect(audit([["user", "op", 3], ["anchor", "a1", 2], ["user", "op", 1]], inKeyOrder)).resolves.toBe(3);
    // A row too many, wherever it is: the key-ordered pass names it.
    const extra: [string, string, number][] = [["anchor", "a1", 2], ["anchor", "a1", 2], ["user", "op", 1], ["user", "op", 3]];
    await expect(audit([...committed, ["anchor", "a1", 2]], extra)).rejects.toThrow(/\(#2, anchor, a1\) does not match the replay/);
    await expect(audit([["anchor", "a1", 2], ...committed], extra)).rejects.toThrow(/\(#2, anchor, a1\) does not match the replay/);
    // A row changed, or one missing.
    const edited: [string, string, number][] = [["anchor", "a1", 2], ["user", "op", 1], ["user", "op", 4]];
    await expect(audit([committed[0], committed[1], ["user", "op", 4]], edited)).rejects.toThrow(/\(#4, user, op\) does not match the replay \(expected #3, user, op\)/);
    await expect(audit(committed.slice(0, 2), inKeyOrder.slice(0, 2))).rejects.toThrow(/ledger_touches row \(#3, user, op\) is missing/);
    // Rows for records no transaction wrote.
    const stray = () => rows([["user", "x", 1]]);
    const none = new HistoryAudit(pages([["user", "x", 1]], 1));
    await expect(none.finish(stray)).rejects.toThrow(/\(#1, user, x\) does not match the replay/);
  });

  it("reads the stored history only as far ahead of the touches as it may", async () => {
    const heap = Array.from({ length: 20_000 }, (_, i): [string, string, number] => ["anchor", `a${i}`, i]);
    let read = 0;
    const a = new HistoryAudit(
      (async function* () {
        for (let i = 0; i < heap.length; i += 1000) {
          read = i + 1000;
          yield heap.slice(i, i + 1000).map(([ns, key, seq]) => ({ ns, key, seq }));
        }
      })(),
    );
    await settled(a);
    // No touches yet: a few thousand rows read, not the whole table.
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThanOrEqual(6_000);
    a.add(heap.flatMap(([ns, key, seq]) => [seq, ns, key]));
    await expect(a.finish(() => rows([]))).resolves.toBe(20_000);
    expect(read).toBe(20_000);
  });
});
