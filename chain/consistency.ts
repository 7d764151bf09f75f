/**
 * Consistency of the block history (RFC 6962 / RFC 9162 §2.1.4, as transparency-dev/merkle does it):
 * every header carries historyRoot, the Merkle root over the hashes of blocks [0, height). A proof
 * between heights M <= N shows that the history block N commits to extends the one block M commits
 * to, so nobody rewrote or dropped a block in between without the signed roots disagreeing; with the
 * inclusion path of block M's own hash in N's history, block M itself is covered too.
 * Pure and browser-safe: pass the hasher and signature suite in.
 */
import { equalBytes, fromHex, toHex } from "./bytes.js";
import { hashHeader, type BlockHeader, type BlockSignature } from "./block.js";
import type { Hasher } from "./hasher.js";
import { MerkleTree } from "./merkle.js";
import { buildConsistencyProof, buildInclusionProof } from "./proof/build.js";
import { rootFromInclusionProof, verifyConsistency as verifyConsistencyBytes } from "./proof/verify.js";
import { checkList, type CheckReport } from "./check-list.js";
import { checkNodePin, ownKeys, quorumSigned, type NodePin } from "./node-pin.js";
import type { CryptoSuite } from "./signature.js";

/** Consistency proof between the history trees of the first m and n block hashes (hex). Requires 0 <= m <= n <= hashes.length. */
export function consistencyProof(hashes: string[], m: number, n: number, hasher: Hasher): string[] {
  if (!(Number.isInteger(m) && Number.isInteger(n) && m >= 0 && m <= n && n <= hashes.length)) {
    throw new RangeError(`consistency proof: need 0 <= m <= n <= ${hashes.length}, got ${m}, ${n}`);
  }
  const tree = new MerkleTree(hasher, hashes.slice(0, n).map(fromHex));
  return buildConsistencyProof(m, n, tree.hashRange).map(toHex);
}

/** Whether the tree of n leaves with rootN extends the tree of m leaves with rootM (hex in, never throws). */
export function verifyConsistency(hasher: Hasher, m: number, n: number, rootM: string, rootN: string, proof: string[]): { ok: true } | { ok: false; detail: string } {
  try {
    if (!proof.every((p) => /^[0-9a-f]{64}$/.test(p))) return { ok: false, detail: "proof holds a value that is not a hash" };
    verifyConsistencyBytes(hasher, m, n, fromHex(rootM), fromHex(rootN), proof.map(fromHex));
    return { ok: true };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}

export const CONSISTENCY_FORMAT = "cityledger-consistency/v1";

export interface ProvenBlock {
  hash: string;
  header: BlockHeader;
  signatures: BlockSignature[];
}

/** Everything needed to check offline that block `to` extends the history up to and including block `from`. */
export interface ConsistencyBundle {
  format: typeof CONSISTENCY_FORMAT;
  chain: string;
  from: ProvenBlock;
  to: ProvenBlock;
  /** Between history sizes from.height and to.height. */
  proof: string[];
  /** Block `from`'s hash at index from.height in the history of size to.height (empty when from = to). */
  fromInclusion: string[];
  /** Node keys and quorum as the ledger held them: informative only; a verifier decides with its own pin (NodePin). */
  keys: { nodes: { id: string; publicKey: string }[]; quorum: number };
}

export function buildConsistencyBundle(hasher: Hasher, hashes: string[], from: ProvenBlock, to: ProvenBlock, keys: ConsistencyBundle["keys"]): ConsistencyBundle {
  const m = from.header.height;
  const n = to.header.height;
  if (m > n) throw new RangeError(`from ${m} is above to ${n}`);
  const tree = new MerkleTree(hasher, hashes.slice(0, n).map(fromHex));
  return {
    format: CONSISTENCY_FORMAT,
    chain: to.header.chain,
    from,
    to,
    proof: buildConsistencyProof(m, n, tree.hashRange).map(toHex),
    fromInclusion: m < n ? buildInclusionProof(m, n, tree.hashRange).map(toHex) : [],
    keys,
  };
}

export type ConsistencyCheck = CheckReport;

/**
 * Verifies a bundle: both headers, the consistency of their history roots, block `from` in `to`'s
 * history, and the pinned quorum of node signatures on both. `pin` is the verifier's own node keys and
 * quorum; the bundle's `keys` never decide. With `pin` null the signatures are checked against the
 * bundle's own keys, and a bundle that passes is "unanchored", never "ok". A malformed pin throws.
 */
export function verifyConsistencyBundle(suite: CryptoSuite, b: ConsistencyBundle, pin: NodePin | null): ConsistencyCheck {
  const pinned = pin ? checkNodePin(pin) : null;
  const { check, report } = checkList();
  const { hasher } = suite;
  check("format", () => (b?.format === CONSISTENCY_FORMAT ? true : `unknown format ${b?.format}`));
  check("chain", () => (b.from.header.chain === b.chain && b.to.header.chain === b.chain ? true : "chain id mismatch"));
  check("heights", () => (b.from.header.height <= b.to.header.height ? true : `from ${b.from.header.height} is above to ${b.to.header.height}`));
  check("block hashes", () => (hashHeader(hasher, b.from.header) === b.from.hash && hashHeader(hasher, b.to.header) === b.to.hash ? true : "a header does not hash to its block hash"));
  check("history consistency", () => {
    const r = verifyConsistency(hasher, b.from.header.height, b.to.header.height, b.from.header.historyRoot, b.to.header.historyRoot, b.proof);
    return r.ok ? true : r.detail;
  });
  check(`block ${b.from.header.height} in the history of block ${b.to.header.height}`, () => {
    const m = b.from.header.height;
    const n = b.to.header.height;
    if (m === n) return b.from.hash === b.to.hash ? true : "two different blocks at one height";
    const root = rootFromInclusionProof(hasher, m, n, fromHex(b.from.hash), b.fromInclusion.map(fromHex));
    return equalBytes(root, fromHex(b.to.header.historyRoot)) ? true : "block hash not in the later history";
  });
  for (const [label, blk] of [["from", b.from], ["to", b.to]] as const) {
    if (pinned) check(`${label} block signatures (pinned keys)`, () => quorumSigned(suite.signatures, pinned, blk.hash, blk.signatures, b.keys?.quorum));
    else check(`${label} block signatures (keys from the proof, not pinned)`, () => quorumSigned(suite.signatures, ownKeys(b.keys), blk.hash, blk.signatures));
  }
  return report(pinned !== null);
}
