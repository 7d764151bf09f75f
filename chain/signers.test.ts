import { describe, expect, it } from "vitest";
import { fromHex } from "./bytes.js";
import { nodeSuite } from "./node-crypto.js";
import { verifyInclusion } from "./proof/verify.js";
import { signerLeafHash, signerProof, signersRoot, type SignerLeaf } from "./signers.js";

const { hasher } = nodeSuite;
const leaf = (i: number): SignerLeaf => ({ id: `k.${String(i).padStart(2, "0")}`, publicKey: i.toString(16).padStart(64, "0"), dept: "tp", status: "active" });
const check = (root: string, p: NonNullable<ReturnType<typeof signerProof>>) =>
  verifyInclusion(hasher, p.index, p.size, signerLeafHash(hasher, p.leaf), p.path.map(fromHex), fromHex(root));

describe("signers root", () => {
  it("does not depend on the order keys come in, nor on a key listed twice", () => {
    const keys = Array.from({ length: 7 }, (_, i) => leaf(i));
    expect(signersRoot(hasher, [...keys].reverse())).toBe(signersRoot(hasher, keys));
    expect(signersRoot(hasher, [...keys, keys[3]])).toBe(signersRoot(hasher, keys));
  });

  it("proves every key of sets of 1..12, and no altered leaf", () => {
    for (let n = 1; n <= 12; n++) {
      const keys = Array.from({ length: n }, (_, i) => leaf(i));
      const root = signersRoot(hasher, keys);
      for (const k of keys) {
        const p = signerProof(hasher, keys, k.id)!;
        expect(() => check(root, p)).not.toThrow();
        expect(() => check(root, { ...p, leaf: { ...p.leaf, publicKey: "ff".repeat(32) } })).toThrow();
        expect(() => check(root, { ...p, leaf: { ...p.leaf, status: "revoked" } })).toThrow();
      }
      expect(signerProof(hasher, keys, "k.none")).toBeNull();
    }
  });
});
