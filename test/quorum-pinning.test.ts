/**
 * The quorum is pinned with the node keys (issue 30, item 7a): a 3-node chain final at 2 of 3, where one
 * stolen node key signs a receipt or consistency proof that claims quorum 1. Pinned keys with quorum 2
 * refuse it; two valid signatures pass; a signature under an unpinned key and a repeated signature do not
 * count; nothing pinned is "unanchored", never ok. Library and CLI (the older bare nodes file holds
 * to a strict majority).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBlockHash, type BlockSignature } from "../chain/block.js";
import { verifyConsistencyBundle, type ConsistencyBundle } from "../chain/consistency.js";
import { loadConsistencyBundle } from "../chain/consistency-store.js";
import { nodeSuite } from "../chain/node-crypto.js";
import { checkNodePin, majority, parseNodePin, type NodePin } from "../chain/node-pin.js";
import { verifyReceipt, type Receipt } from "../chain/receipt.js";
import { generateKeyPair, nobleSuite } from "../chain/signature.js";
import { openDatabase, type Database } from "../chain/store/db.js";
import { createTestLedger } from "./helpers/ledger.js";

const ids = ["n1", "n2", "n3"] as const;
const keys = Object.fromEntries(ids.map((id) => [id, generateKeyPair()])) as Record<(typeof ids)[number], ReturnType<typeof generateKeyPair>>;
const pin: NodePin = { nodes: Object.fromEntries(ids.map((id) => [id, keys[id].publicKey])), quorum: 2 };
const attacker = generateKeyPair();

const sign = (id: (typeof ids)[number], hash: string) => signBlockHash(nodeSuite.signatures, id, keys[id].secretKey, hash);
/** What each case puts on a block: n1's key is the stolen one. */
const signatureSets: Record<string, (hash: string) => BlockSignature[]> = {
  stolen: (h) => [sign("n1", h)],
  two: (h) => [sign("n1", h), sign("n3", h)],
  unpinnedKey: (h) => [sign("n1", h), signBlockHash(nodeSuite.signatures, "n4", attacker.secretKey, h)],
  wrongKeyForPinnedId: (h) => [sign("n1", h), signBlockHash(nodeSuite.signatures, "n2", attacker.secretKey, h)],
  repeated: (h) => [sign("n1", h), sign("n1", h), { ...sign("n1", h) }],
};
/** The file's own claim in a forgery: only the stolen key, quorum 1. */
const forgedKeys = { nodes: [{ id: "n1", publicKey: keys.n1.publicKey }], quorum: 1 };
const honestKeys = { nodes: ids.map((id) => ({ id, publicKey: keys[id].publicKey })), quorum: 2 };

let db: Database;
let receipt: Receipt;
let bundle: ConsistencyBundle;
const dir = mkdtempSync(join(tmpdir(), "cl-quorum-"));

beforeAll(async () => {
  db = await openDatabase({ dataDir: "memory://" });
  const L = await createTestLedger(db);
  const { hash } = await L.node.submit({ type: "file.anchor", dept: "tp", actor: "op", payload: { fileHash: "cd".repeat(32) } }, "k.tp");
  await L.node.drain();
  receipt = (await L.node.receipt(hash))!;
  bundle = await loadConsistencyBundle(L.node.store, nodeSuite.hasher, 1, L.node.height);
  expect(bundle.proof.length).toBeGreaterThan(0);
  await L.node.close();
}, 60_000);

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const receiptWith = (set: string, k = forgedKeys): Receipt => ({ ...receipt, block: { ...receipt.block, signatures: signatureSets[set](receipt.block.hash) }, keys: { ...receipt.keys, ...k } });
const bundleWith = (from: string, to: string, k = forgedKeys): ConsistencyBundle => ({
  ...bundle,
  from: { ...bundle.from, signatures: signatureSets[from](bundle.from.hash) },
  to: { ...bundle.to, signatures: signatureSets[to](bundle.to.hash) },
  keys: k,
});
const failing = (r: { checks: { name: string; ok: boolean; detail?: string }[] }) => r.checks.filter((c) => !c.ok);

describe("receipts are held to the pinned quorum", () => {
  it("one stolen key claiming quorum 1 is refused; two pinned signatures pass", () => {
    const forged = verifyReceipt(nodeSuite, receiptWith("stolen"), pin);
    expect(forged).toMatchObject({ ok: false, verdict: "invalid" });
    expect(failing(forged)).toEqual([{ name: "node signatures (pinned keys)", ok: false, detail: "1 valid signature(s) from distinct pinned nodes, quorum 2 (the file claims quorum 1; not trusted)" }]);
    for (const suite of [nodeSuite, nobleSuite]) {
      // The file's keys say nothing either way: forged or honest, two pinned signatures decide.
      expect(verifyReceipt(suite, receiptWith("two"), pin)).toMatchObject({ ok: true, verdict: "ok" });
      expect(verifyReceipt(suite, receiptWith("two", honestKeys), pin)).toMatchObject({ ok: true, verdict: "ok" });
    }
    // The same pin at quorum 3 wants all three.
    expect(verifyReceipt(nodeSuite, receiptWith("two"), { ...pin, quorum: 3 }).ok).toBe(false);
  });

  it("a signature under an unpinned key, or under another key for a pinned id, and a repeated signature count for nothing", () => {
    for (const set of ["unpinnedKey", "wrongKeyForPinnedId", "repeated"]) {
      const r = verifyReceipt(nodeSuite, receiptWith(set, honestKeys), pin);
      expect(r.verdict, set).toBe("invalid");
      expect(failing(r).map((c) => c.detail), set).toEqual(["1 valid signature(s) from distinct pinned nodes, quorum 2"]);
    }
  });

  it("without a pin the verdict is unanchored, never ok, even for the file's own quorum 1", () => {
    expect(verifyReceipt(nodeSuite, receiptWith("stolen"), null)).toMatchObject({ ok: false, verdict: "unanchored" });
    expect(verifyReceipt(nodeSuite, receiptWith("two", honestKeys), null)).toMatchObject({ ok: false, verdict: "unanchored" });
    // A tampered file is invalid, pinned or not.
    const tampered = { ...receiptWith("two", honestKeys), tx: { ...receipt.tx, seq: receipt.tx.seq + 1 } };
    expect(verifyReceipt(nodeSuite, tampered, null).verdict).toBe("invalid");
  });
});

describe("consistency proofs are held to the pinned quorum", () => {
  it("one stolen key claiming quorum 1 is refused on either block; two pinned signatures on both pass", () => {
    const forged = verifyConsistencyBundle(nodeSuite, bundleWith("stolen", "stolen"), pin);
    expect(forged.verdict).toBe("invalid");
    expect(failing(forged).map((c) => c.name)).toEqual(["from block signatures (pinned keys)", "to block signatures (pinned keys)"]);
    expect(failing(forged)[0].detail).toBe("1 valid signature(s) from distinct pinned nodes, quorum 2 (the file claims quorum 1; not trusted)");
    expect(failing(verifyConsistencyBundle(nodeSuite, bundleWith("two", "stolen"), pin)).map((c) => c.name)).toEqual(["to block signatures (pinned keys)"]);
    for (const suite of [nodeSuite, nobleSuite]) {
      expect(verifyConsistencyBundle(suite, bundleWith("two", "two"), pin)).toMatchObject({ ok: true, verdict: "ok" });
      expect(verifyConsistencyBundle(suite, bundleWith("two", "two", honestKeys), pin)).toMatchObject({ ok: true, verdict: "ok" });
    }
  });

  it("unpinned keys and repeated signatures do not count; without a pin it is unanchored", () => {
    for (const set of ["unpinnedKey", "wrongKeyForPinnedId", "repeated"]) {
      expect(verifyConsistencyBundle(nodeSuite, bundleWith(set, "two", honestKeys), pin).verdict, set).toBe("invalid");
      expect(verifyConsistencyBundle(nodeSuite, bundleWith("two", set, honestKeys), pin).verdict, set).toBe("invalid");
    }
    expect(verifyConsistencyBundle(nodeSuite, bundleWith("stolen", "stolen"), null)).toMatchObject({ ok: false, verdict: "unanchored" });
    expect(verifyConsistencyBundle(nodeSuite, bundleWith("two", "two", honestKeys), null)).toMatchObject({ ok: false, verdict: "unanchored" });
  });
});

describe("the pin itself", () => {
  it("a bare nodes file needs a strict majority; a malformed pin is refused, not trusted", () => {
    expect([1, 2, 3, 4, 5].map(majority)).toEqual([1, 2, 2, 3, 3]);
    expect(parseNodePin(pin.nodes)).toEqual(pin);
    expect(parseNodePin({ nodes: pin.nodes, quorum: 3 }).quorum).toBe(3);
    expect(() => parseNodePin({ nodes: pin.nodes })).toThrow(/quorum must be an integer from 1 to 3 \(got undefined\)/);
    expect(() => checkNodePin({ ...pin, quorum: 0 })).toThrow(RangeError);
    expect(() => checkNodePin({ ...pin, quorum: 4 })).toThrow(/from 1 to 3/);
    expect(() => checkNodePin({ nodes: {}, quorum: 1 })).toThrow(/no node key is pinned/);
    expect(() => checkNodePin({ nodes: { n1: "zz" }, quorum: 1 })).toThrow(/node n1: public key is not 64 hex digits/);
    expect(() => checkNodePin({ nodes: { n1: keys.n1.publicKey, n2: keys.n1.publicKey }, quorum: 2 })).toThrow(/share one public key/);
    expect(() => parseNodePin([keys.n1.publicKey])).toThrow(/must be a JSON object/);
    // The library refuses a malformed pin rather than verify against it.
    expect(() => verifyReceipt(nodeSuite, receiptWith("two"), { ...pin, quorum: 0 })).toThrow(RangeError);
    expect(() => verifyConsistencyBundle(nodeSuite, bundleWith("two", "two"), { ...pin, quorum: 9 })).toThrow(RangeError);
  });
});

/** The CLI as an auditor runs it: no database, files only. */
function cli(...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn("node_modules/.bin/tsx", ["chain/cli.ts", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("error", reject);
    p.on("close", (code) => resolve({ code, out }));
  });
}

describe("verify-receipt and verify-consistency on the command line", () => {
  it("hold a bare nodes file to a strict majority and a new one to its quorum; unanchored without one", async () => {
    const f = (name: string, v: unknown) => {
      writeFileSync(join(dir, name), JSON.stringify(v));
      return join(dir, name);
    };
    const bare = f("bare.json", pin.nodes);
    const all3 = f("all3.json", { nodes: pin.nodes, quorum: 3 });
    const broken = f("broken.json", { nodes: pin.nodes, quorum: 0 });
    const rForged = f("r-forged.json", receiptWith("stolen"));
    const rTwo = f("r-two.json", receiptWith("two", honestKeys));
    const rRepeated = f("r-repeated.json", receiptWith("repeated", honestKeys));
    const cForged = f("c-forged.json", bundleWith("stolen", "stolen"));
    const cTwo = f("c-two.json", bundleWith("two", "two", honestKeys));
    const cUnpinned = f("c-unpinned.json", bundleWith("two", "unpinnedKey", honestKeys));

    // One at a time: the machine is shared.
    const runs: { code: number | null; out: string }[] = [];
    for (const args of [
      ["verify-receipt", rForged, "--nodes", bare],
      ["verify-receipt", rTwo, "--nodes", bare],
      ["verify-receipt", rRepeated, "--nodes", bare],
      ["verify-receipt", rTwo, "--nodes", all3],
      ["verify-receipt", rTwo],
      ["verify-receipt", rTwo, "--nodes", broken],
      ["verify-consistency", cForged, "--nodes", bare],
      ["verify-consistency", cTwo, "--nodes", bare],
      ["verify-consistency", cUnpinned, "--nodes", bare],
      ["verify-consistency", cTwo],
    ]) runs.push(await cli(...args));
    const [rf, r2, rr, r3, rNone, rBroken, cf, c2, cu, cNone] = runs;
    expect(rf.code, rf.out).toBe(1);
    expect(rf.out).toContain("pinned: 3 node key(s), quorum 2 (the nodes file names none: a strict majority)");
    expect(rf.out).toContain("FAIL node signatures (pinned keys): 1 valid signature(s) from distinct pinned nodes, quorum 2");
    expect(rf.out).toContain("RECEIPT INVALID");
    expect(r2.code, r2.out).toBe(0);
    expect(r2.out).toContain("receipt OK");
    expect(rr.code, rr.out).toBe(1);
    expect(r3.code, r3.out).toBe(1);
    expect(r3.out).toContain("pinned: 3 node key(s), quorum 3\n");
    expect(rNone.code, rNone.out).toBe(3);
    expect(rNone.out).toContain("RECEIPT UNANCHORED");
    expect(rBroken.code, rBroken.out).toBe(2);
    expect(rBroken.out).toContain("the pinned quorum must be an integer from 1 to 3 (got 0)");
    expect(cf.code, cf.out).toBe(1);
    expect(cf.out).toContain("FAIL from block signatures (pinned keys)");
    expect(cf.out).toContain("CONSISTENCY INVALID");
    expect(c2.code, c2.out).toBe(0);
    expect(c2.out).toContain(`consistent: block ${bundle.to.header.height} extends the history through block 1`);
    expect(cu.code, cu.out).toBe(1);
    expect(cNone.code, cNone.out).toBe(3);
    expect(cNone.out).toContain("CONSISTENCY UNANCHORED");
  }, 180_000);
});
