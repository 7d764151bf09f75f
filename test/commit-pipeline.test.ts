/**
 * Pipelined block writes: on PostgreSQL a block is written while the one before it is still being
 * written (committing after it); blocks that write a common record, and every block on PGlite, are
 * written one after the other. Either way blocks commit in height order, and a failed write takes
 * down the block written beside it too, leaving no gap.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlockSignature } from "../chain/block.js";
import type { LedgerStore } from "../chain/store/ledger-store.js";
import { verifyLedger } from "../chain/verify.js";
import { BACKENDS, openTestDb, type TestDb } from "./helpers/db.js";
import { createTestLedger, type TestLedger } from "./helpers/ledger.js";
import { until } from "./helpers/until.js";

const anchor = (n: number) => ({ type: "file.anchor", dept: "tp", actor: "op", payload: { fileHash: n.toString(16).padStart(64, "0") } });
const counter = (i: number) => ({ type: "rule.set", dept: "sz", actor: "system", payload: { name: "test.counter", value: i } });

type Write = "appendBlock" | "appendBlockAfter";

/** Records which write path each block took; `sabotage` may replace a write. */
function spyOnWrites(store: LedgerStore) {
  const calls: { kind: Write; height: number }[] = [];
  const original = { appendBlock: store.appendBlock.bind(store), appendBlockAfter: store.appendBlockAfter.bind(store) };
  const spy = { calls, sabotage: null as null | ((height: number, write: () => Promise<void>) => Promise<void>) };
  const through = (kind: Write, height: number, sigs: BlockSignature[], write: (s: BlockSignature[]) => Promise<void>) => {
    calls.push({ kind, height });
    // A signature longer than its char(128) column: a real database error inside the block's statement.
    return spy.sabotage ? spy.sabotage(height, () => write([{ ...sigs[0], signature: "f".repeat(200) }])) : write(sigs);
  };
  store.appendBlock = (result, sigs) => through("appendBlock", result.header.height, sigs, (s) => original.appendBlock(result, s));
  store.appendBlockAfter = (result, sigs, before) => through("appendBlockAfter", result.header.height, sigs, (s) => original.appendBlockAfter(result, s, before));
  return spy;
}

async function storedHeights(t: TestDb): Promise<number[]> {
  const rows = (await t.db.query<{ height: number }>("SELECT height FROM ledger_blocks ORDER BY height")).rows;
  return rows.map((r) => Number(r.height));
}

describe.each(BACKENDS)("pipelined block writes on %s", (backend) => {
  let t: TestDb;
  let L: TestLedger;
  let spy: ReturnType<typeof spyOnWrites>;

  beforeAll(async () => {
    t = await openTestDb(backend);
    L = await createTestLedger(t.db, { maxBlockTx: 50 });
    spy = spyOnWrites(L.node.store);
  });
  afterAll(async () => {
    await L.node.close();
    await t.dispose();
  });

  it("writes independent blocks side by side (PostgreSQL only) and blocks sharing a record one after the other, committing in height order", async () => {
    const committed: number[] = [];
    const off = L.node.onBlock((b) => committed.push(b.header.height));
    const submits: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      submits.push(...L.node.submitMany(Array.from({ length: 120 }, (_, j) => anchor(10_000 + i * 1000 + j)), "k.tp"));
      submits.push(L.node.submit(counter(i), "sys"));
    }
    await Promise.all(submits);
    off();

    expect(committed.length).toBeGreaterThan(40);
    expect(committed).toEqual([...committed].sort((a, b) => a - b));
    expect(new Set(committed).size).toBe(committed.length);
    const sideBySide = spy.calls.filter((c) => c.kind === "appendBlockAfter").length;
    if (backend === "postgres") expect(sideBySide).toBeGreaterThan(0);
    else expect(sideBySide).toBe(0);
    const heights = await storedHeights(t);
    expect(heights).toEqual(heights.map((_, i) => i));

    // 40 rule.set on one record, each a separate version: no block overwrote another's write.
    const rule = await L.node.store.record<{ value: number; version: number }>("rule", "test.counter");
    expect(rule?.value).toMatchObject({ value: 39, version: 40 });
    expect((await L.node.store.history("rule", "test.counter")).length).toBe(40);
    const report = await verifyLedger(L.node.store, { worker: false });
    expect(report.ok).toBe(true);
  });

  it("fails the blocks built on one whose write fails (rolling back the one written beside it), leaving no gap, and goes on", async () => {
    const before = await storedHeights(t);
    let failHeight = -1;
    spy.sabotage = async (height, bad) => {
      spy.sabotage = null;
      failHeight = height;
      // Fails only once the next block is built on it (on PostgreSQL its write then has begun beside this one).
      await until(`block ${height + 1} built`, () => L.node.builtHeight > height);
      return bad();
    };
    // A full block each (maxBlockTx 50): the first is cut as its last transaction comes in.
    const first = L.node.submitMany(Array.from({ length: 50 }, (_, j) => anchor(900_000 + j)), "k.tp");
    const second = L.node.submitMany(Array.from({ length: 50 }, (_, j) => anchor(910_000 + j)), "k.tp");
    const settled = await Promise.allSettled([...first, ...second]);
    expect(failHeight).toBe(before.length);
    // PostgreSQL wrote the next block beside it (and rolled it back); PGlite never started writing it.
    if (backend === "postgres") expect(spy.calls.at(-1)).toEqual({ kind: "appendBlockAfter", height: failHeight + 1 });
    else expect(spy.calls.at(-1)).toEqual({ kind: "appendBlock", height: failHeight });
    expect(settled.every((s) => s.status === "rejected")).toBe(true);
    expect((settled[0] as PromiseRejectedResult).reason.message).toMatch(/value too long/);
    expect(await storedHeights(t)).toEqual(before);

    // The node rebuilt its tip from the database: the same transactions now commit, at the next height.
    const again = await Promise.all(L.node.submitMany(Array.from({ length: 50 }, (_, j) => anchor(900_000 + j)), "k.tp"));
    expect(again[0].height).toBe(before.length);
    const heights = await storedHeights(t);
    expect(heights).toEqual(heights.map((_, i) => i));
    const report = await verifyLedger(L.node.store, { worker: false });
    expect(report.ok).toBe(true);
  });

  it("drops a block that was executing when the write of the block before it failed", async () => {
    const before = await storedHeights(t);
    const store = L.node.store;
    const load = store.load.bind(store);
    // The second block executes across the first one's failed write: its state read (the one that
    // asks for its first anchor) is held until that write has failed, and the write fails only then.
    const secondsAnchor = anchor(930_000).payload.fileHash;
    let executing!: () => void;
    const secondExecuting = new Promise<void>((r) => (executing = r));
    let failed!: () => void;
    const writeFailed = new Promise<void>((r) => (failed = r));
    const offWriteError = L.node.onWriteError(() => failed());
    store.load = async (keys) => {
      if (keys.some(([ns, key]) => ns === "anchor" && key === secondsAnchor)) {
        executing();
        await writeFailed;
      }
      return load(keys);
    };
    spy.sabotage = async (_height, bad) => {
      spy.sabotage = null;
      await secondExecuting;
      return bad();
    };
    try {
      const first = L.node.submitMany(Array.from({ length: 50 }, (_, j) => anchor(920_000 + j)), "k.tp");
      const second = L.node.submitMany(Array.from({ length: 50 }, (_, j) => anchor(930_000 + j)), "k.tp");
      const [a, b] = await Promise.all([Promise.allSettled(first), Promise.allSettled(second)]);
      expect(a.every((s) => s.status === "rejected")).toBe(true);
      expect(b.every((s) => s.status === "rejected")).toBe(true);
      expect((b[0] as PromiseRejectedResult).reason.message).toMatch(new RegExp(`block ${before.length + 1} is dropped`));
      expect(await storedHeights(t)).toEqual(before);
    } finally {
      store.load = load;
      offWriteError();
    }
    const again = await Promise.all(L.node.submitMany(Array.from({ length: 50 }, (_, j) => anchor(930_000 + j)), "k.tp"));
    expect(again[0].height).toBe(before.length);
    expect((await verifyLedger(L.node.store, { worker: false })).ok).toBe(true);
  });

  it("retries reloading its tip while the database is unreachable, and closes, refusing what waits", async () => {
    const store = L.node.store;
    const blockHashes = store.blockHashes.bind(store);
    let reloads = 0;
    store.blockHashes = async () => {
      reloads++;
      throw new Error("connection refused");
    };
    spy.sabotage = async (_height, bad) => {
      spy.sabotage = null;
      return bad();
    };
    try {
      const failed = L.node.submitMany(Array.from({ length: 50 }, (_, j) => anchor(940_000 + j)), "k.tp");
      expect((await Promise.allSettled(failed)).every((s) => s.status === "rejected")).toBe(true);
      const built = L.node.builtHeight;
      const waiting = L.node.submit(anchor(950_000), "k.tp").catch((e: Error) => e);
      await until("a second reload attempt", () => reloads >= 2);
      expect(L.node.builtHeight).toBe(built); // nothing built meanwhile
      await L.node.close();
      expect(await waiting).toBeInstanceOf(Error);
      expect(((await waiting) as Error).message).toMatch(/closed while its database was unreachable/);
    } finally {
      store.blockHashes = blockHashes;
    }
    const heights = await storedHeights(t);
    expect(heights).toEqual(heights.map((_, i) => i));
  });
});
