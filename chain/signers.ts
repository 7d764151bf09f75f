/**
 * The batch-signer keys a block commits to (header.signersRoot): an RFC 6962 root over the canonical
 * leaves {id, publicKey, dept, status} of the keys that signed the block's batches, as the ledger held
 * them when the block was cut (before it; genesis: the keys it registers), sorted by id. Derived from
 * state at the cut, so every node computes the same root; node signatures on the header then pin a
 * receipt's signer key, which a receipt proves with an inclusion path (signerProof).
 * Pure and browser-safe.
 */
import { toHex } from "./bytes.js";
import { canonicalize } from "./encoding.js";
import type { Hasher } from "./hasher.js";
import { MerkleTree } from "./merkle.js";
import { buildInclusionProof } from "./proof/build.js";

export interface SignerLeaf {
  id: string;
  publicKey: string;
  dept: string;
  status: string;
}

export interface SignerProof {
  leaf: SignerLeaf;
  index: number;
  size: number;
  path: string[];
}

const leafOf = (k: SignerLeaf): SignerLeaf => ({ id: k.id, publicKey: k.publicKey, dept: k.dept, status: k.status });

/** The leaves in tree order: one per key id, sorted by id (code-point order). */
export function signerLeaves(keys: SignerLeaf[]): SignerLeaf[] {
  const byId = new Map<string, SignerLeaf>();
  for (const k of keys) byId.set(k.id, leafOf(k));
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export const signerLeafHash = (hasher: Hasher, k: SignerLeaf): Uint8Array => hasher.hashLeafText(canonicalize(leafOf(k)));

export function signersRoot(hasher: Hasher, keys: SignerLeaf[]): string {
  return toHex(new MerkleTree(hasher, signerLeaves(keys).map((k) => signerLeafHash(hasher, k))).root());
}

/** Inclusion proof of key `id` among `keys`; null when it is not one of them. */
export function signerProof(hasher: Hasher, keys: SignerLeaf[], id: string): SignerProof | null {
  const leaves = signerLeaves(keys);
  const index = leaves.findIndex((k) => k.id === id);
  if (index < 0) return null;
  const tree = new MerkleTree(hasher, leaves.map((k) => signerLeafHash(hasher, k)));
  return { leaf: leaves[index], index, size: leaves.length, path: buildInclusionProof(index, leaves.length, tree.hashRange).map(toHex) };
}

