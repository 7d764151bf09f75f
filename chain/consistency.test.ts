import { describe, expect, it } from "vitest";
import { toHex } from "./bytes.js";
import { consistencyProof, verifyConsistency } from "./consistency.js";
import { nobleHasher as hasher } from "./hasher.js";
import { MerkleTree } from "./merkle.js";

const hashes = Array.from({ length: 24 }, (_, i) => toHex(hasher.hashLeaf(new Uint8Array([i, 7]))));

/** Root of the first k leaves, computed straight from the RFC 6962 definition. */
function bruteRoot(leaves: string[]): string {
  const mth = (xs: Uint8Array[]): Uint8Array => {
    if (xs.length === 0) return hasher.emptyRoot();
    if (xs.length === 1) return xs[0];
    let k = 1;
    while (k * 2 < xs.length) k *= 2;
    return hasher.hashChildren(mth(xs.slice(0, k)), mth(xs.slice(k)));
  };
  return toHex(mth(leaves.map((h) => Uint8Array.from(Buffer.from(h, "hex")))));
}

const flip = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);

describe("history consistency proofs", () => {
  it("verify for every m <= n <= 20 against brute-force roots", () => {
    for (let n = 0; n <= 20; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(hashes, m, n, hasher);
        const r = verifyConsistency(hasher, m, n, bruteRoot(hashes.slice(0, m)), bruteRoot(hashes.slice(0, n)), proof);
        expect(r, `m=${m} n=${n}`).toEqual({ ok: true });
      }
    }
  });

  it("the roots agree with the tree the ledger keeps", () => {
    const tree = new MerkleTree(hasher, hashes.map((h) => Uint8Array.from(Buffer.from(h, "hex"))));
    for (let n = 0; n <= 20; n++) expect(toHex(tree.root(n))).toBe(bruteRoot(hashes.slice(0, n)));
  });

  it("fails for a tampered proof, a rewritten history, or the wrong sizes", () => {
    for (let n = 2; n <= 20; n++) {
      for (let m = 1; m < n; m++) {
        const proof = consistencyProof(hashes, m, n, hasher);
        const rootM = bruteRoot(hashes.slice(0, m));
        const rootN = bruteRoot(hashes.slice(0, n));
        proof.forEach((_, i) => {
          const bad = proof.map((p, j) => (j === i ? flip(p) : p));
          expect(verifyConsistency(hasher, m, n, rootM, rootN, bad).ok, `m=${m} n=${n} i=${i}`).toBe(false);
        });
        expect(verifyConsistency(hasher, m, n, rootM, rootN, proof.slice(1)).ok).toBe(false);
        expect(verifyConsistency(hasher, m, n, rootM, rootN, [...proof, proof[0]]).ok).toBe(false);
        // One earlier block rewritten: the later root is not an extension of the earlier one.
        const rewritten = [...hashes.slice(0, n)];
        rewritten[m - 1] = flip(rewritten[m - 1]);
        expect(verifyConsistency(hasher, m, n, rootM, bruteRoot(rewritten), proof).ok).toBe(false);
        expect(verifyConsistency(hasher, m, n, flip(rootM), rootN, proof).ok).toBe(false);
        if (m + 1 < n) expect(verifyConsistency(hasher, m + 1, n, bruteRoot(hashes.slice(0, m + 1)), rootN, proof).ok).toBe(false);
      }
    }
    expect(() => consistencyProof(hashes, 5, 3, hasher)).toThrow(RangeError);
    expect(verifyConsistency(hasher, 3, 3, bruteRoot(hashes.slice(0, 3)), bruteRoot(hashes.slice(0, 4)), []).ok).toBe(false);
  });
});
