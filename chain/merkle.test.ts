import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "./bytes.js";
import { nobleHasher } from "./hasher.js";
import { MerkleTree } from "./merkle.js";
import { nodeHasher } from "./node-hasher.js";
import { buildConsistencyProof, buildInclusionProof } from "./proof/build.js";
import { RootMismatchError, verifyConsistency, verifyInclusion } from "./proof/verify.js";

// Test vectors from RFC 6962 reference code (certificate-transparency, merkle_tree_test): the eight
// leaves below and the root of the tree over the first n of them.
const LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/** Reference: RFC 6962 §2.1 MTH written straight from the definition, over raw leaves. */
function refRoot(h: typeof nobleHasher, leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return h.emptyRoot();
  if (leaves.length === 1) return h.hashLeaf(leaves[0]);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return h.hashChildren(refRoot(h, leaves.slice(0, k)), refRoot(h, leaves.slice(k)));
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >> 3] ^= 1 << (bit & 7);
  return out;
}

describe.each([
  ["@noble/hashes", nobleHasher],
  ["node:crypto", nodeHasher],
])("RFC 6962 Merkle tree (%s)", (_name, hasher) => {
  const tree = new MerkleTree(hasher, LEAVES.map((l) => hasher.hashLeaf(fromHex(l))));

  it("empty tree root is SHA-256 of nothing", () => {
    expect(toHex(new MerkleTree(hasher).root())).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("matches the known roots for sizes 1..8", () => {
    ROOTS.forEach((root, i) => expect(toHex(tree.root(i + 1))).toBe(root));
  });

  it("matches the reference definition for every size up to 70", () => {
    const leaves = Array.from({ length: 70 }, (_, i) => new Uint8Array([i, i * 3, 255 - i]));
    const t = new MerkleTree(hasher, leaves.map((l) => hasher.hashLeaf(l)));
    for (let n = 0; n <= 70; n++) expect(toHex(t.root(n))).toBe(toHex(refRoot(hasher, leaves.slice(0, n))));
  });

  it("roots over hex leaf hashes and over leaf texts match the definition for every size up to 70 and at 1,000 and 1,025", () => {
    const texts = Array.from({ length: 1025 }, (_, i) => `["file","${i}",{"n":${i},"s":"深圳 ${"é".repeat(i % 5)}"}]`);
    const leafHashes = texts.map((t) => hasher.hashLeafText(t));
    const ref = (n: number) => toHex(refRoot(nobleHasher, texts.slice(0, n).map((t) => new TextEncoder().encode(t))));
    for (const n of [...Array.from({ length: 71 }, (_, i) => i), 1000, 1025]) {
      expect(hasher.rootOfLeafTextsHex(texts.slice(0, n))).toBe(ref(n));
      expect(hasher.rootOfLeafHashesHex(leafHashes.slice(0, n).map(toHex))).toBe(ref(n));
    }
  });

  it("a root over hex leaf hashes refuses a leaf that is not 32 bytes of hex", () => {
    const good = toHex(hasher.hashLeaf(new Uint8Array([1])));
    for (const bad of [good.slice(2), `${good}00`, `zz${good.slice(2)}`, `${good.slice(0, 62)}g0`]) {
      expect(() => hasher.rootOfLeafHashesHex([good, bad])).toThrow(TypeError);
    }
  });

  it("inclusion proofs verify for every leaf of every size up to 40", () => {
    const t = new MerkleTree(hasher, Array.from({ length: 40 }, (_, i) => hasher.hashLeaf(new Uint8Array([i]))));
    for (let size = 1; size <= 40; size++) {
      for (let i = 0; i < size; i++) {
        const proof = buildInclusionProof(i, size, t.hashRange);
        expect(() => verifyInclusion(hasher, i, size, t.leafHash(i), proof, t.root(size))).not.toThrow();
      }
    }
  });

  it("consistency proofs verify for every pair of sizes up to 40", () => {
    const t = new MerkleTree(hasher, Array.from({ length: 40 }, (_, i) => hasher.hashLeaf(new Uint8Array([i]))));
    for (let n = 0; n <= 40; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = buildConsistencyProof(m, n, t.hashRange);
        expect(() => verifyConsistency(hasher, m, n, t.root(m), t.root(n), proof)).not.toThrow();
      }
    }
  });

  it("an inclusion proof fails for any flipped bit of proof, leaf or root, and for wrong index or size", () => {
    const size = 7;
    const index = 5;
    const proof = buildInclusionProof(index, size, tree.hashRange);
    const leaf = tree.leafHash(index);
    const root = tree.root(size);
    for (let p = 0; p < proof.length; p++) {
      for (let bit = 0; bit < 256; bit++) {
        const bad = proof.map((x, j) => (j === p ? flipBit(x, bit) : x));
        expect(() => verifyInclusion(hasher, index, size, leaf, bad, root)).toThrow(RootMismatchError);
      }
    }
    for (let bit = 0; bit < 256; bit++) {
      expect(() => verifyInclusion(hasher, index, size, flipBit(leaf, bit), proof, root)).toThrow(RootMismatchError);
      expect(() => verifyInclusion(hasher, index, size, leaf, proof, flipBit(root, bit))).toThrow(RootMismatchError);
    }
    expect(() => verifyInclusion(hasher, index - 1, size, leaf, proof, root)).toThrow();
    expect(() => verifyInclusion(hasher, index, size + 2, leaf, proof, root)).toThrow();
    expect(() => verifyInclusion(hasher, index, size, leaf, proof.slice(1), root)).toThrow(/wrong proof size/);
    expect(() => verifyInclusion(hasher, index, size, leaf, [...proof, proof[0]], root)).toThrow(/wrong proof size/);
    expect(() => verifyInclusion(hasher, size, size, leaf, proof, root)).toThrow(RangeError);
  });

  it("a consistency proof fails for any flipped bit of proof or roots", () => {
    const [m, n] = [3, 7];
    const proof = buildConsistencyProof(m, n, tree.hashRange);
    const r1 = tree.root(m);
    const r2 = tree.root(n);
    for (let p = 0; p < proof.length; p++) {
      for (let bit = 0; bit < 256; bit++) {
        const bad = proof.map((x, j) => (j === p ? flipBit(x, bit) : x));
        expect(() => verifyConsistency(hasher, m, n, r1, r2, bad)).toThrow(RootMismatchError);
      }
    }
    for (let bit = 0; bit < 256; bit++) {
      expect(() => verifyConsistency(hasher, m, n, flipBit(r1, bit), r2, proof)).toThrow(RootMismatchError);
      expect(() => verifyConsistency(hasher, m, n, r1, flipBit(r2, bit), proof)).toThrow(RootMismatchError);
    }
    expect(() => verifyConsistency(hasher, m, n, r1, r2, [])).toThrow(/wrong proof size/);
    expect(() => verifyConsistency(hasher, m + 1, n, r1, r2, proof)).toThrow();
  });

  it("rejects out-of-range requests with clear errors", () => {
    expect(() => buildInclusionProof(8, 8, tree.hashRange)).toThrow(/index 8 not in \[0, 8\)/);
    expect(() => buildConsistencyProof(5, 3, tree.hashRange)).toThrow(/size1 <= size2/);
    expect(() => tree.root(9)).toThrow(RangeError);
  });
});
