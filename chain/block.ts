/** Block headers: canonical bytes, hash and node signatures. */
import { fromHex, toHex, utf8 } from "./bytes.js";
import { canonicalize } from "./encoding.js";
import { DOMAIN_BLOCK, type Hasher } from "./hasher.js";
import type { Signatures } from "./signature.js";

export interface BlockHeader {
  chain: string;
  height: number;
  /** Hash of block height-1; 64 zeros for the genesis block. */
  prev: string;
  /** Order time of the cut, ms since epoch: decided where the order is decided, not by a local clock. */
  time: number;
  /** RFC 6962 root of this block's transaction ids. */
  txRoot: string;
  txCount: number;
  /** Global sequence number of the block's first transaction. */
  firstSeq: number;
  /** RFC 6962 root of the hashes of blocks [0, height): commits the header to the whole history. */
  historyRoot: string;
  /** RFC 6962 root of the state writes the block made, so nodes agree on effects, not only inputs. */
  writesRoot: string;
  proposer: string;
  /** RFC 6962 root of the keys that signed this block's batches (chain/signers.ts): pins a receipt's signer key. */
  signersRoot: string;
  /**
   * Multi-node only: sequence number, in the ordering stream, of the message this block was cut
   * from. Every node builds the block from that message alone, so a restarted node resumes after it.
   */
  order?: number;
}

export const ZERO_HASH = "0".repeat(64);

export function headerText(header: BlockHeader): string {
  return canonicalize(header);
}

export function hashHeader(hasher: Hasher, header: BlockHeader): string {
  return toHex(hasher.hashTagged(DOMAIN_BLOCK, utf8(headerText(header))));
}

export interface BlockSignature {
  /** Node id registered in genesis. */
  signer: string;
  signature: string;
}

export function signBlockHash(signatures: Signatures, nodeId: string, secretKey: string, blockHash: string): BlockSignature {
  return { signer: nodeId, signature: toHex(signatures.sign(secretKey, fromHex(blockHash))) };
}

export function verifyBlockSignature(signatures: Signatures, publicKey: string, blockHash: string, sig: BlockSignature): boolean {
  if (!/^[0-9a-f]{128}$/.test(sig.signature)) return false;
  return signatures.verify(publicKey, fromHex(blockHash), fromHex(sig.signature));
}
