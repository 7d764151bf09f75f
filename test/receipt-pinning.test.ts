/**
 * Department batch-signer keys pinned by the block (issue 18, item 10): the header commits to the keys
 * that signed its batches (signersRoot), a receipt proves its signer key under it, so with node keys
 * pinned a receipt re-signed with an attacker's key fails — chain-level and through the CLI, on PGlite
 * and PostgreSQL. verify names a header whose signers root does not match the replay.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hashHeader, signBlockHash } from "../chain/block.js";
import { toHex } from "../chain/bytes.js";
import { canonicalize } from "../chain/encoding.js";
import { nodeSuite } from "../chain/node-crypto.js";
import { verifyReceipt, type Receipt } from "../chain/receipt.js";
import { generateKeyPair } from "../chain/signature.js";
import { signerProof, signersRoot } from "../chain/signers.js";
import { openDatabase, type Database } from "../chain/store/db.js";
import { LedgerStore } from "../chain/store/ledger-store.js";
import { batchMessage } from "../chain/tx.js";
import { verifyLedger } from "../chain/verify.js";
import { BACKENDS, createPgDatabase, openTestDb } from "./helpers/db.js";
import { createTestLedger } from "./helpers/ledger.js";
import { LONG_TEST_MS } from "./helpers/timeouts.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** What an attacker holding the receipt but not the department key makes of it: the batch re-signed with their own key. */
function resigned(r: Receipt, forgeProof: boolean): Receipt {
  const attacker = generateKeyPair();
  const msg = batchMessage(nodeSuite.hasher, r.chain, r.batch.signer, r.batch.txHashes);
  const signature = toHex(nodeSuite.signatures.sign(attacker.secretKey, msg));
  const signer = { ...r.keys.signer!, publicKey: attacker.publicKey };
  const leaf = { ...r.signerProof!.leaf, publicKey: attacker.publicKey };
  return {
    ...r,
    batch: { ...r.batch, signature },
    keys: { ...r.keys, signer },
    signerProof: forgeProof ? signerProof(nodeSuite.hasher, [leaf], leaf.id) : r.signerProof,
  };
}

describe.each(BACKENDS)("receipts pin the batch signer key on %s", (kind) => {
  it("a genuine receipt passes with pinned node keys; one re-signed with an attacker key fails; CLI agrees", async () => {
    let env: Record<string, string>;
    let db: Database;
    if (kind === "pglite") {
      const dir = mkdtempSync(join(tmpdir(), "cl-pinning-"));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      db = await openDatabase({ dataDir: join(dir, "pglite") });
      env = { CITYLEDGER_DATA_DIR: dir };
    } else {
      const { url, drop } = await createPgDatabase();
      cleanups.push(drop);
      db = await openDatabase({ url });
      env = { DATABASE_URL: url };
    }
    const L = await createTestLedger(db);
    const { hash } = await L.node.submit({ type: "dept.update", dept: "sz", actor: "system", payload: { id: "tp", name: "交警支队" } as never }, "sys");
    await L.node.drain();
    const receipt = (await L.node.receipt(hash))!;
    const pinned = { nodes: { n1: L.nodeKey.publicKey }, quorum: 1 };

    // The header commits to exactly the keys that signed its batches.
    expect(receipt.block.header.signersRoot).toBe(signersRoot(nodeSuite.hasher, [{ ...receipt.keys.signer!, status: "active" }]));
    expect(verifyReceipt(nodeSuite, receipt, pinned).ok).toBe(true);

    for (const forge of [false, true]) {
      const bad = resigned(receipt, forge);
      const res = verifyReceipt(nodeSuite, bad, pinned);
      // The batch signature itself checks out under the swapped key: only the block's commitment catches it.
      expect(res.checks.find((c) => c.name === "batch signature")?.ok).toBe(true);
      expect(res.checks.find((c) => c.name === "signer key in block")).toMatchObject({ ok: false });
      expect(res.ok).toBe(false);
    }
    // Without a signer proof a receipt is not accepted either.
    expect(verifyReceipt(nodeSuite, { ...receipt, signerProof: null }, pinned).ok).toBe(false);

    const file = join(mkdtempSync(join(tmpdir(), "cl-pinning-r-")), "r.json");
    cleanups.push(() => rmSync(join(file, ".."), { recursive: true, force: true }));
    writeFileSync(file, JSON.stringify(receipt));
    writeFileSync(file + ".bad", JSON.stringify(resigned(receipt, true)));
    writeFileSync(file + ".nodes", JSON.stringify(pinned.nodes));
    await db.close();
    const cli = (...args: string[]) => {
      const e: NodeJS.ProcessEnv = { ...process.env, ...env };
      if (!env.DATABASE_URL) delete e.DATABASE_URL;
      const r = spawnSync("node_modules/.bin/tsx", ["chain/cli.ts", ...args], { env: e, encoding: "utf8", timeout: LONG_TEST_MS });
      return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
    };
    const ok = cli("verify-receipt", file, "--nodes", file + ".nodes");
    expect(ok.code, ok.out).toBe(0);
    const forged = cli("verify-receipt", file + ".bad", "--nodes", file + ".nodes");
    expect(forged.code, forged.out).toBe(1);
    expect(forged.out).toMatch(/FAIL signer key in block/);
    // The ledger itself, with the signers root recomputed on replay.
    const verified = cli("verify", "--receipt", file);
    expect(verified.code, verified.out).toBe(0);
  });
});

describe("verify recomputes the signers root", () => {
  it("names a block whose header commits to other signer keys, even re-signed by the node", async () => {
    const db = await openDatabase({ dataDir: "memory://" });
    cleanups.push(() => db.close());
    const L = await createTestLedger(db);
    await L.node.drain();
    // The newest block, so no later header links to its old hash; re-signed as a node-key holder could.
    const tip = L.node.height;
    const last = (await db.query<{ header: string }>("SELECT header FROM ledger_blocks WHERE height = $1", [tip])).rows[0];
    const forged = { ...JSON.parse(last.header), signersRoot: "ab".repeat(32) };
    const forgedHash = hashHeader(nodeSuite.hasher, forged);
    await db.query("ALTER TABLE ledger_blocks DISABLE TRIGGER ALL");
    await db.query("ALTER TABLE ledger_block_signatures DISABLE TRIGGER ALL");
    await db.query("UPDATE ledger_blocks SET header = $1, hash = $2 WHERE height = $3", [canonicalize(forged), forgedHash, tip]);
    await db.query("UPDATE ledger_block_signatures SET signature = $1 WHERE height = $2", [signBlockHash(nodeSuite.signatures, "n1", L.nodeKey.secretKey, forgedHash).signature, tip]);
    const r = await verifyLedger(new LedgerStore(db));
    expect(r.ok).toBe(false);
    expect(r.error!.message).toBe(`block ${tip}: replay gives a different signers root (the batch-signer keys the block commits to)`);
  });
});

describe.each(BACKENDS)("a receipt outlives its signer key's revocation on %s", (kind) => {
  it("the block committed the key while it was active: the receipt still verifies once the key is revoked", async () => {
    const t = await openTestDb(kind);
    cleanups.push(() => t.dispose());
    const L = await createTestLedger(t.db);
    const anchor = { type: "file.anchor", dept: "tp", actor: "op", payload: { fileHash: "ab".repeat(32) } };
    const { hash } = await L.node.submit(anchor, "k.tp");
    await L.node.submit({ type: "key.revoke", dept: "sz", actor: "system", payload: { id: "k.tp", reason: "rotated" } as never }, "sys");
    await L.node.drain();
    const receipt = (await L.node.receipt(hash))!;
    expect(receipt.signerProof?.leaf).toEqual({ id: "k.tp", publicKey: L.deptKey.publicKey, dept: "tp", status: "active" });
    const res = verifyReceipt(nodeSuite, receipt, { nodes: { n1: L.nodeKey.publicKey }, quorum: 1 });
    expect(res.ok, JSON.stringify(res.checks)).toBe(true);
    await L.node.close();
  });
});
