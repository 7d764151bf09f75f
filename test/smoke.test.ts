import { describe, expect, it } from "vitest";
import { openTestDb, BACKENDS } from "./helpers/db.js";
import { createTestLedger } from "./helpers/ledger.js";

describe.each(BACKENDS)("smoke on %s", (backend) => {
  it("creates genesis and commits", async () => {
    const t = await openTestDb(backend);
    try {
      const { node } = await createTestLedger(t.db);
      const c = await node.submit({ type: "file.anchor", dept: "tp", actor: "op", payload: { fileHash: "a".repeat(64) } }, "k.tp");
      expect(c.height).toBeGreaterThan(0);
      const r = await node.receipt(c.hash);
      expect(r).not.toBeNull();
    } finally {
      await t.dispose();
    }
  });
});
