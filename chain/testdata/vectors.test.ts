/**
 * Walks the golden vectors: one describe per folder, one test per file, files found on disk (a new
 * file is tested with no code change). Each vector is checked with both crypto suites, and the files
 * must be exactly what generate.ts writes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../bytes.js";
import { consistencyProof, verifyConsistency } from "../consistency.js";
import { canonicalize, parseCanonical } from "../encoding.js";
import { MerkleTree } from "../merkle.js";
import { nodeSuite } from "../node-crypto.js";
import { buildInclusionProof } from "../proof/build.js";
import { verifyInclusion } from "../proof/verify.js";
import { nobleSuite, publicKeyOf, type CryptoSuite } from "../signature.js";
import { signerLeafHash, signerLeaves, signerProof, signersRoot, type SignerLeaf, type SignerProof } from "../signers.js";
import { batchMessage, encodeTx, hashTxText, signBatch, txBodySchema, verifyBatch, type Batch } from "../tx.js";
import { checkBundle, checkReceipt, errorText } from "./gen/common.js";
import { FOLDERS, generateVectors, TESTDATA_DIR, vectorFiles } from "./generate.js";
import { revive } from "./tagged.js";

/** A vector file: JSON of a shape its folder's runner knows. */
type V = Record<string, any>;

const SUITES: [string, CryptoSuite][] = [
  ["noble", nobleSuite],
  ["node:crypto", nodeSuite],
];

/** A call's result, or its error as vectors spell it. */
function attempt<T>(fn: () => T): T | { error: string } {
  try {
    return fn();
  } catch (e) {
    return { error: errorText(e) };
  }
}


const RUN: Record<(typeof FOLDERS)[number], (v: V) => void> = {
  canonical(v) {
    if (v.op === "canonicalize") {
      expect(attempt(() => ({ text: canonicalize(revive(JSON.parse(v.input))) }))).toEqual(v.expected);
      // Canonical text is a fixed point.
      if (v.expected.text !== undefined) expect(canonicalize(parseCanonical(v.expected.text))).toBe(v.expected.text);
    } else {
      expect(v.op).toBe("parseCanonical");
      expect(attempt(() => ({ value: parseCanonical(v.text) }))).toEqual(v.expected);
    }
  },

  tx(v) {
    for (const [, { hasher, signatures }] of SUITES) {
      if (v.kind === "envelope") {
        const r = txBodySchema.safeParse(v.body);
        if (v.expected.error !== undefined) {
          expect(r.success).toBe(false);
          const i = r.error!.issues[0];
          expect(`${i.path.join(".") || "transaction"}: ${i.message}`).toBe(v.expected.error);
        } else {
          const tx = encodeTx(hasher, r.data!);
          expect({ text: tx.text, id: tx.hash }).toEqual(v.expected);
          expect(hashTxText(hasher, v.expected.text)).toBe(v.expected.id);
        }
        continue;
      }
      expect(v.kind).toBe("batch");
      const batch = v.batch as Batch;
      const textIds = (v.texts as string[]).map((t) => hashTxText(hasher, t));
      expect({
        textIds,
        bytesMatchIds: textIds.length === batch.txHashes.length && textIds.every((h, i) => h === batch.txHashes[i]),
        message: toHex(batchMessage(hasher, v.chain, batch.signer, batch.txHashes)),
        valid: verifyBatch(hasher, signatures, v.chain, batch, v.publicKey),
      }).toEqual(v.expected);
      if (v.secretKey) {
        expect(publicKeyOf(v.secretKey)).toBe(v.publicKey);
        expect(signBatch(hasher, signatures, v.chain, batch.signer, v.secretKey, batch.txHashes)).toEqual(batch);
      }
    }
  },

  inclusion(v) {
    for (const [, { hasher }] of SUITES) {
      const verdict = attempt(() => (verifyInclusion(hasher, v.index, v.size, fromHex(v.leafHash), v.path.map(fromHex), fromHex(v.root)), { ok: true }));
      expect("error" in verdict ? { ok: false, ...verdict } : verdict).toEqual(v.expected);
      if (v.leaves) {
        const tree = new MerkleTree(hasher, (v.leaves as string[]).map((l) => hasher.hashLeaf(fromHex(l))));
        expect(toHex(tree.root())).toBe(v.root);
        expect(toHex(tree.leafHash(v.index))).toBe(v.leafHash);
        expect(buildInclusionProof(v.index, v.size, tree.hashRange).map(toHex)).toEqual(v.path);
      }
    }
  },

  consistency(v) {
    for (const [, suite] of SUITES) {
      if (v.kind === "bundle") {
        expect(checkBundle(suite, v.bundle, v.pinned)).toEqual(v.expected);
        continue;
      }
      expect(v.kind).toBe("proof");
      expect(verifyConsistency(suite.hasher, v.m, v.n, v.rootM, v.rootN, v.proof)).toEqual(v.expected);
      if (v.leafHashes) {
        const tree = new MerkleTree(suite.hasher, (v.leafHashes as string[]).map(fromHex));
        expect([toHex(tree.root(v.m)), toHex(tree.root(v.n))]).toEqual([v.rootM, v.rootN]);
        expect(consistencyProof(v.leafHashes, v.m, v.n, suite.hasher)).toEqual(v.proof);
      }
    }
  },

  receipt(v) {
    for (const [, suite] of SUITES) expect(checkReceipt(suite, v.receipt, v.pinned)).toEqual(v.expected);
  },

  signers(v) {
    for (const [, { hasher }] of SUITES) {
      const keys = v.keys as SignerLeaf[];
      if (v.kind === "root") expect({ leaves: signerLeaves(keys), root: signersRoot(hasher, keys) }).toEqual(v.expected);
      else if (v.kind === "proof") expect({ proof: signerProof(hasher, keys, v.id) }).toEqual(v.expected);
      else {
        expect(v.kind).toBe("verify");
        const p = v.proof as SignerProof;
        const verdict = attempt(() => (verifyInclusion(hasher, p.index, p.size, signerLeafHash(hasher, p.leaf), p.path.map(fromHex), fromHex(v.root)), { ok: true }));
        expect("error" in verdict ? { ok: false, ...verdict } : verdict).toEqual(v.expected);
      }
    }
  },
};

for (const folder of FOLDERS) {
  describe(`golden vectors: ${folder}`, () => {
    const files = vectorFiles(folder);
    it("has vectors", () => expect(files.length).toBeGreaterThan(0));
    it.each(files)("%s", (file) => {
      const v = JSON.parse(readFileSync(join(TESTDATA_DIR, folder, file), "utf8")) as V;
      expect(typeof v.desc).toBe("string");
      expect(v.desc.length).toBeGreaterThan(0);
      RUN[folder](v);
    });
  });
}

describe("golden vectors: the files", () => {
  it("are exactly what generate.ts writes (regenerate with npx tsx chain/testdata/generate.ts)", async () => {
    const generated = await generateVectors();
    const onDisk = new Map<string, string>(FOLDERS.flatMap((f) => vectorFiles(f).map((file) => [`${f}/${file}`, readFileSync(join(TESTDATA_DIR, f, file), "utf8")] as const)));
    expect([...onDisk.keys()].sort()).toEqual([...generated.keys()].sort());
    for (const [path, text] of generated) expect(onDisk.get(path), path).toBe(text);
    let bytes = 0;
    for (const text of onDisk.values()) bytes += Buffer.byteLength(text);
    expect(bytes).toBeLessThan(1024 * 1024);
  });
});
