import { describe, expect, it } from "vitest";
import type { BlockResult } from "../engine.js";
import type { StoredRecordText } from "../store/ledger-store.js";
import { ProjectionStream } from "./projection-stream.js";
import { ReplayState } from "./replay-state.js";

type Row = [ns: string, key: string, value: string, seq: number];
const toRows = (list: Row[]): StoredRecordText[] => list.map(([ns, key, value, seq]) => ({ ns, key, value, seq }));
/** The rows in pages of `size`, each a turn of the event loop later (as a database answers); counts what was read. */
function pages(list: Row[], size: number, read = { rows: 0 }) {
  return (async function* () {
    for (let i = 0; i < list.length; i += size) {
      await new Promise((r) => setImmediate(r));
      read.rows = Math.min(list.length, i + size);
      yield toRows(list.slice(i, i + size));
    }
  })();
}
const keyOrder = (list: Row[]) => () =>
  (async function* () {
    yield* toRows([...list].sort((a, b) => (a[0] + "\0" + a[1] < b[0] + "\0" + b[1] ? -1 : 1)));
  })();
/** One replayed block: writes [ns, key, canonical value or null, seq]. */
const block = (state: ReplayState, writes: [string, string, string | null, number][]) =>
  state.apply({ accepted: [], writes: writes.map(([ns, key, value, seq]) => ({ ns, key, value, seq })) } as unknown as BlockResult);
/** Waits (a bounded number of turns) until no page is being read: the stream has read all it may this far into the replay. */
async function settled(stream: ProjectionStream): Promise<void> {
  for (let i = 0; i < 10_000 && stream.reads; i++) await new Promise((r) => setImmediate(r));
  expect(stream.reads).toBe(false);
}

describe("the projection compared while the replay runs", () => {
  it("matches each row once the replay has passed its last writer, and reads nothing again at the end", async () => {
    const state = new ReplayState();
    // The heap holds the record rewritten at #4 early (an update in place), the others as written.
    const heap: Row[] = [["user", "op", '{"v":2}', 4], ["anchor", "a", '{"n":1}', 2], ["anchor", "b", '{"n":2}', 3]];
    const stream = new ProjectionStream(state, pages(heap, 2));
    block(state, [["user", "op", '{"v":1}', 1], ["anchor", "a", '{"n":1}', 2]]);
    stream.advance(2);
    await settled(stream);
    block(state, [["anchor", "b", '{"n":2}', 3], ["user", "op", '{"v":2}', 4]]);
    stream.advance(4);
    await expect(stream.finish(keyOrder([]))).resolves.toBe(3);
  });

  it("falls back to the key-ordered reading, which names the row, for a stale, edited, extra or missing row", async () => {
    const run = async (heap: Row[]) => {
      const state = new ReplayState();
      const stream = new ProjectionStream(state, pages(heap, 1));
      block(state, [["user", "op", '{"v":1}', 1], ["anchor", "a", '{"n":1}', 2]]);
      stream.advance(2);
      await settled(stream); // the row of user/op is matched to #1 here, before #3 rewrites it
      block(state, [["user", "op", '{"v":2}', 3]]);
      stream.advance(3);
      return stream.finish(keyOrder(heap));
    };
    await expect(run([["user", "op", '{"v":2}', 3], ["anchor", "a", '{"n":1}', 2]])).resolves.toBe(2);
    await expect(run([["user", "op", '{"v":1}', 1], ["anchor", "a", '{"n":1}', 2]])).rejects.toThrow("state_records row (user, op) differs from the ledger (last written by transaction #3)");
    await expect(run([["user", "op", '{"v":2}', 3], ["anchor", "a", '{"n":9}', 2]])).rejects.toThrow("state_records row (anchor, a) differs from the ledger");
    await expect(run([["user", "op", '{"v":2}', 3], ["anchor", "a", '{"n":1}', 2], ["anchor", "z", "1", 2]])).rejects.toThrow("state_records row (anchor, z) exists but no transaction wrote it");
    await expect(run([["user", "op", '{"v":2}', 3]])).rejects.toThrow("state_records row (anchor, a) is missing");
  });

  it("reads only a few thousand rows ahead of the replay", async () => {
    const state = new ReplayState();
    const heap: Row[] = Array.from({ length: 30_000 }, (_, i) => ["anchor", `a${i}`, "1", i]);
    const read = { rows: 0 };
    const stream = new ProjectionStream(state, pages(heap, 1000, read));
    for (let seq = 0; seq < 30_000; seq += 1000) {
      block(state, heap.slice(seq, seq + 1000).map(([ns, key, value, s]) => [ns, key, value, s]));
      stream.advance(seq + 999);
      await settled(stream);
      expect(read.rows).toBeLessThanOrEqual(seq + 1000 + 6_000);
    }
    await expect(stream.finish(keyOrder([]))).resolves.toBe(30_000);
    expect(read.rows).toBe(30_000);
  });
});
