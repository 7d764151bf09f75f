/**
 * What a contract writes within one transaction: it reads its own writes back, a key written again
 * keeps its first place in the history, a delete after a write leaves no record, and the auditor
 * replays it to the same state.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildRegistry, defaultRegistry } from "../chain/contracts/index.js";
import { defineContract } from "../chain/contracts/types.js";
import { verifyLedger } from "../chain/verify.js";
import { openTestDb } from "./helpers/db.js";
import { createTestLedger } from "./helpers/ledger.js";

const seen: unknown[] = [];
const rewrite = defineContract({
  type: "test.rewrite",
  version: 1,
  roles: ["operator"],
  writes: ["t"],
  governs: { public: "test records" },
  schema: z.object({ n: z.number().int() }).strict(),
  apply(ctx, p) {
    ctx.put("t", "a", { n: p.n });
    ctx.put("t", "b", { n: p.n + 1 });
    seen.push(ctx.get("t", "a"), ctx.get("t", "b"));
    ctx.put("t", "a", { n: p.n + 2 });
    ctx.del("t", "b");
    seen.push(ctx.get("t", "a"), ctx.get("t", "b"));
    ctx.put("t", "c", { n: p.n + 3 });
  },
});

describe("a transaction's own writes", () => {
  it("are read back as written, rewritten in place, deleted, and replayed the same by the auditor", async () => {
    const t = await openTestDb("pglite");
    try {
      const contracts = buildRegistry([...defaultRegistry.values()], [rewrite]);
      const L = await createTestLedger(t.db, { contracts });
      const tx = await L.node.submit({ type: "test.rewrite", dept: "tp", actor: "op", payload: { n: 10 } }, "k.tp");
      await L.node.drain();
      expect(seen).toEqual([{ n: 10 }, { n: 11 }, { n: 12 }, undefined]);
      expect((await L.node.store.record("t", "a"))?.value).toEqual({ n: 12 });
      expect(await L.node.store.record("t", "b")).toBeNull();
      expect((await L.node.store.record("t", "c"))?.value).toEqual({ n: 13 });
      const history = await t.db.query<{ ns: string; key: string }>("SELECT ns, key FROM ledger_touches WHERE seq = $1 ORDER BY ctid", [tx.seq]);
      expect(history.rows).toEqual([
        { ns: "t", key: "a" },
        { ns: "t", key: "b" },
        { ns: "t", key: "c" },
      ]);
      const r = await verifyLedger(L.node.store, { contracts });
      expect(r.error).toBeUndefined();
      expect(r.ok).toBe(true);
      await L.node.close();
    } finally {
      await t.dispose();
    }
  });
});
