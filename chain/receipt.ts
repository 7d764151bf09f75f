/**
 * Transaction receipts: everything needed to check, offline and with public keys alone, that a
 * transaction was signed by its department key and committed in a block signed by a quorum of nodes.
 * Pure and browser-safe: pass the hasher and signature suite in.
 */
import { fromHex, toHex } from "./bytes.js";
import { hashHeader, type BlockHeader, type BlockSignature } from "./block.js";
import { checkList, type CheckReport } from "./check-list.js";
import { checkNodePin, ownKeys, quorumSigned, type NodePin } from "./node-pin.js";
import type { CryptoSuite } from "./signature.js";
import { rootFromInclusionProof, verifyInclusion } from "./proof/verify.js";
import { signerLeafHash, type SignerProof } from "./signers.js";
import { batchMessage, hashTxText, type Batch } from "./tx.js";

export const RECEIPT_FORMAT = "cityledger-receipt/v1";

export interface Receipt {
  format: typeof RECEIPT_FORMAT;
  chain: string;
  tx: { hash: string; seq: number; text: string };
  batch: Batch;
  block: { hash: string; header: BlockHeader; signatures: BlockSignature[] };
  proof: { index: number; size: number; path: string[] };
  /** The batch signer's key among the keys the block header commits to (signersRoot): pinned once node keys are. */
  signerProof: SignerProof | null;
  /** Keys and quorum as the ledger held them: informative only; a verifier decides with its own pin (NodePin). */
  keys: { signer: { id: string; publicKey: string; dept: string } | null; nodes: { id: string; publicKey: string }[]; quorum: number };
}

export function buildReceipt(a: {
  tx: Receipt["tx"];
  batch: Batch;
  block: { hash: string; header: BlockHeader; signatures: BlockSignature[] };
  proof: Receipt["proof"];
  signerKey: Receipt["keys"]["signer"];
  signerProof: SignerProof | null;
  nodes: Receipt["keys"]["nodes"];
  quorum: number;
}): Receipt {
  return {
    format: RECEIPT_FORMAT,
    chain: a.block.header.chain,
    tx: a.tx,
    batch: a.batch,
    block: { hash: a.block.hash, header: a.block.header, signatures: a.block.signatures },
    proof: a.proof,
    signerProof: a.signerProof,
    keys: { signer: a.signerKey, nodes: a.nodes, quorum: a.quorum },
  };
}

export type ReceiptCheck = CheckReport;

/**
 * Verifies a receipt. `pin` is the verifier's own node keys and quorum: signatures count only from
 * distinct pinned nodes, and the receipt's `keys.nodes` / `keys.quorum` never decide. With `pin` null
 * the node signatures are checked against the receipt's own keys (is the file self-consistent?), and a
 * receipt that passes is "unanchored", never "ok". A malformed pin throws (checkNodePin).
 */
export function verifyReceipt(suite: CryptoSuite, r: Receipt, pin: NodePin | null): ReceiptCheck {
  const keys = pin ? checkNodePin(pin) : null;
  const { check, report } = checkList();
  check("format", () => (r?.format === RECEIPT_FORMAT ? true : `unknown format ${r?.format}`));
  check("transaction hash", () => (hashTxText(suite.hasher, r.tx.text) === r.tx.hash ? true : "transaction bytes do not match its hash"));
  check("transaction chain", () => (JSON.parse(r.tx.text).chain === r.chain && r.block.header.chain === r.chain ? true : "chain id mismatch"));
  check("batch contains transaction", () => (r.batch.txHashes.includes(r.tx.hash) ? true : "transaction not in the signed batch"));
  check("batch signature", () => {
    if (!r.keys.signer || r.keys.signer.id !== r.batch.signer) return `no public key for signer ${r.batch.signer}`;
    const msg = batchMessage(suite.hasher, r.chain, r.batch.signer, r.batch.txHashes);
    return suite.signatures.verify(r.keys.signer.publicKey, msg, fromHex(r.batch.signature)) ? true : "batch signature invalid";
  });
  check("signer key in block", () => {
    const p = r.signerProof;
    if (!p) return "no signer proof: the receipt does not show the block commits to its signer key";
    if (!r.keys.signer || p.leaf.id !== r.batch.signer || p.leaf.id !== r.keys.signer.id || p.leaf.publicKey !== r.keys.signer.publicKey) return "signer proof is for another key";
    const root = rootFromInclusionProof(suite.hasher, p.index, p.size, signerLeafHash(suite.hasher, p.leaf), p.path.map(fromHex));
    return toHex(root) === r.block.header.signersRoot ? true : "signer key is not among the keys the block commits to";
  });
  check("inclusion proof", () => {
    if (r.proof.size !== r.block.header.txCount) return `proof size ${r.proof.size}, block has ${r.block.header.txCount}`;
    verifyInclusion(suite.hasher, r.proof.index, r.proof.size, fromHex(r.tx.hash), r.proof.path.map(fromHex), fromHex(r.block.header.txRoot));
    return true;
  });
  check("block hash", () => (hashHeader(suite.hasher, r.block.header) === r.block.hash ? true : "header does not hash to the block hash"));
  check("transaction sequence", () =>
    r.tx.seq === r.block.header.firstSeq + r.proof.index ? true : `seq ${r.tx.seq} is not firstSeq+index`,
  );
  if (keys) check("node signatures (pinned keys)", () => quorumSigned(suite.signatures, keys, r.block.hash, r.block.signatures, r.keys?.quorum));
  else check("node signatures (keys from receipt, not pinned)", () => quorumSigned(suite.signatures, ownKeys(r.keys), r.block.hash, r.block.signatures));
  return report(keys !== null);
}
