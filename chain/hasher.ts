/**
 * Hashing for the ledger. RFC 6962 (Certificate Transparency) Merkle hashing with its leaf and
 * node prefixes, plus domain-separated hashes for block headers and batches. The SHA-256 itself is
 * pluggable so that browsers use @noble/hashes and Node uses node:crypto (same bytes, ~2x faster).
 */
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { concatBytes, fromHex, toHex, utf8 } from "./bytes.js";
import { rootOfLeafHashes, type TreeHasher } from "./merkle.js";

export type Digest = (data: Uint8Array) => Uint8Array;

/** RFC 6962 §2.1 prefixes. */
export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;
export const HASH_SIZE = 32;

/** Domain tags: never start with 0x00/0x01 so they cannot collide with Merkle inputs. */
export const DOMAIN_BLOCK = utf8("cityledger/block/v1\n");
export const DOMAIN_BATCH = utf8("cityledger/batch/v1\n");

export interface Hasher extends TreeHasher {
  digest: Digest;
  hashLeaf(leaf: Uint8Array): Uint8Array;
  /** SHA-256(tag || data) for a domain tag above. */
  hashTagged(tag: Uint8Array, data: Uint8Array): Uint8Array;
  /** hashLeaf(utf8(text)); a backend may hash the string directly. */
  hashLeafText(text: string): Uint8Array;
  /** Hex of hashLeafText(text) (transaction ids); a backend may skip the intermediate bytes. */
  hashLeafTextHex(text: string): string;
  /** Hex Merkle root over leaf hashes given in hex (a block's transaction ids). */
  rootOfLeafHashesHex(leafHashes: readonly string[]): string;
  /** Hex Merkle root over leaves given as text, each hashed with hashLeafText (a block's writes). */
  rootOfLeafTextsHex(texts: readonly string[]): string;
}

export function makeHasher(digest: Digest): Hasher {
  const leafBuf = new Uint8Array([LEAF_PREFIX]);
  const hashLeaf = (leaf: Uint8Array) => digest(concatBytes(leafBuf, leaf));
  const hasher: Hasher = {
    digest,
    emptyRoot: () => digest(new Uint8Array(0)),
    hashLeaf,
    hashLeafText: (text) => hashLeaf(utf8(text)),
    hashLeafTextHex: (text) => toHex(hashLeaf(utf8(text))),
    hashChildren: (left, right) => {
      const buf = new Uint8Array(1 + left.length + right.length);
      buf[0] = NODE_PREFIX;
      buf.set(left, 1);
      buf.set(right, 1 + left.length);
      return digest(buf);
    },
    hashTagged: (tag, data) => digest(concatBytes(tag, data)),
    rootOfLeafHashesHex: (leafHashes) =>
      toHex(
        rootOfLeafHashes(
          hasher,
          leafHashes.map((h, i) => {
            if (h.length !== 2 * HASH_SIZE) throw new TypeError(`leaf ${i} is not a 32-byte hex hash`);
            return fromHex(h);
          }),
        ),
      ),
    rootOfLeafTextsHex: (texts) => toHex(rootOfLeafHashes(hasher, texts.map((t) => hashLeaf(utf8(t))))),
  };
  return hasher;
}

/** Hasher on @noble/hashes: works everywhere, including the browser receipt verifier. */
export const nobleHasher: Hasher = makeHasher((d) => nobleSha256(d));
