/**
 * History consistency end to end (issue 18, item 11): explorer.consistency returns both signed
 * headers and a proof the browser-safe checker accepts with pinned node keys; the CLI prints the same
 * proof and verify-consistency exits 0 on it, 1 on a tampered one or under the wrong keys.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clientErrorOf } from "../server/api/errors";
import { afterAll, describe, expect, it } from "vitest";
import { verifyConsistencyBundle, type ConsistencyBundle } from "../chain/consistency.js";
import { nodeSuite } from "../chain/node-crypto.js";
import { publicKeyOf } from "../chain/signature.js";
import { openDatabase } from "../chain/store/db.js";
import { createHarness } from "../server/testing/harness";
import { BACKENDS, openTestDb } from "./helpers/db.js";
import { createTestLedger } from "./helpers/ledger.js";
import { LONG_TEST_MS } from "./helpers/timeouts.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const flip = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);

describe.each(BACKENDS)("explorer.consistency on %s", (kind) => {
  it("returns a proof that verifies with pinned keys, and refuses a bad range or a viewer", async () => {
    const t = await openTestDb(kind);
    cleanups.push(() => t.dispose().catch(() => undefined));
    const h = await createHarness(t.db);
    cleanups.push(() => h.close());
    const admin = await h.as("admin");
    const tip = h.services.ledger.node.height;
    expect(tip).toBeGreaterThanOrEqual(2);
    const pinned = await admin.explorer.nodePin();
    // The portal's own node key and the quorum its ledger runs with.
    const me = h.services.ledger.node.opts.node;
    expect(pinned).toEqual({ nodes: { [me.id]: publicKeyOf(me.secretKey) }, quorum: 1 });
    for (const [from, to] of [[0, tip], [1, tip], [1, 2], [0, 1], [tip, tip]]) {
      const b = (await admin.explorer.consistency({ from, to })) as unknown as ConsistencyBundle;
      expect(b.from.header.height).toBe(from);
      expect(b.to.header.height).toBe(to);
      const r = verifyConsistencyBundle(nodeSuite, b, pinned);
      expect(r.ok, JSON.stringify(r.checks)).toBe(true);
      if (b.proof.length) expect(verifyConsistencyBundle(nodeSuite, { ...b, proof: [flip(b.proof[0]), ...b.proof.slice(1)] }, pinned).ok).toBe(false);
      if (b.fromInclusion.length) expect(verifyConsistencyBundle(nodeSuite, { ...b, fromInclusion: [flip(b.fromInclusion[0]), ...b.fromInclusion.slice(1)] }, pinned).ok).toBe(false);
    }
    expect(await admin.explorer.consistency({ from: 3, to: 2 }).then(() => null, clientErrorOf)).toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.explorer.consistency({ from: 0, to: tip + 5 })).rejects.toThrow(/not found/);
    expect(await (await h.as("tp.viewer")).explorer.consistency({ from: 0, to: 1 }).then(() => null, clientErrorOf)).toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("consistency CLI", () => {
  it("prints a proof that verify-consistency accepts with pinned keys and rejects tampered or under wrong keys", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cl-consistency-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const db = await openDatabase({ dataDir: join(dir, "pglite") });
    const L = await createTestLedger(db);
    await L.node.drain();
    const tip = L.node.height;
    await db.close();
    const run = (...args: string[]) => {
      const env: NodeJS.ProcessEnv = { ...process.env, CITYLEDGER_DATA_DIR: dir };
      delete env.DATABASE_URL;
      const r = spawnSync("node_modules/.bin/tsx", ["chain/cli.ts", ...args], { env, encoding: "utf8", timeout: LONG_TEST_MS });
      return { code: r.status, stdout: r.stdout, out: `${r.stdout}\n${r.stderr}` };
    };
    const printed = run("consistency", "--from", "1", "--to", String(tip));
    expect(printed.code, printed.out).toBe(0);
    const bundle = JSON.parse(printed.stdout) as ConsistencyBundle;
    expect(bundle.proof.length).toBeGreaterThan(0);
    writeFileSync(join(dir, "proof.json"), printed.stdout);
    writeFileSync(join(dir, "nodes.json"), JSON.stringify({ n1: L.nodeKey.publicKey }));
    writeFileSync(join(dir, "wrong.json"), JSON.stringify({ n1: "00".repeat(32) }));
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ ...bundle, proof: [flip(bundle.proof[0]), ...bundle.proof.slice(1)] }));

    const ok = run("verify-consistency", join(dir, "proof.json"), "--nodes", join(dir, "nodes.json"));
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain(`consistent: block ${tip} extends the history through block 1`);
    const bad = run("verify-consistency", join(dir, "bad.json"), "--nodes", join(dir, "nodes.json"));
    expect(bad.code, bad.out).toBe(1);
    expect(bad.out).toMatch(/FAIL history consistency/);
    const wrong = run("verify-consistency", join(dir, "proof.json"), "--nodes", join(dir, "wrong.json"));
    expect(wrong.code, wrong.out).toBe(1);
    expect(wrong.out).toMatch(/CONSISTENCY INVALID/);
    // Unpinned, a consistent proof is unanchored (exit 3), never consistent.
    const unpinned = run("verify-consistency", join(dir, "proof.json"));
    expect(unpinned.code, unpinned.out).toBe(3);
    expect(unpinned.out).toContain("CONSISTENCY UNANCHORED");
    expect(run("consistency", "--from", "2", "--to", "1").code).toBe(2);
  });
});
