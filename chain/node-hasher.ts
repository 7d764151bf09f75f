/** node:crypto SHA-256: identical bytes to @noble/hashes, measured ~3x faster here. Node only. */
import { hash } from "node:crypto";
import { LEAF_PREFIX, makeHasher, NODE_PREFIX, type Hasher } from "./hasher.js";

const digest = (data: Uint8Array | string) => new Uint8Array(hash("sha256", data, "buffer"));

const EMPTY_ROOT_HEX = hash("sha256", "", "hex");
/** One node's input, reused: a root is computed synchronously, and each thread has its own module. */
const scratch = Buffer.allocUnsafe(65);
scratch[0] = NODE_PREFIX;

/**
 * RFC 6962 root of the n leaf hashes packed in `level` (32 bytes each), hashed level by level in
 * place (an odd last node moves up unchanged: the same tree as the largest-power-of-two split). Each
 * digest comes out as a latin1 string and is written back: allocating a Buffer per digest costs more
 * than the hash itself (~0.35 against ~0.9 µs a node measured here) and burdens the collector.
 */
function rootOfLevel(level: Buffer, n: number): string {
  if (n === 0) return EMPTY_ROOT_HEX;
  while (n > 1) {
    const pairs = n >> 1;
    for (let i = 0; i < pairs; i++) {
      level.copy(scratch, 1, i * 64, i * 64 + 64);
      level.write(hash("sha256", scratch, "binary"), i * 32, "latin1");
    }
    if (n % 2 === 1) level.copy(level, pairs * 32, (n - 1) * 32, n * 32);
    n = pairs + (n % 2);
  }
  return level.toString("hex", 0, 32);
}

export const nodeHasher: Hasher = {
  ...makeHasher(digest),
  // Prefix and data in one buffer and one-shot hash(): no Hash object per call.
  hashLeaf(leaf) {
    const buf = Buffer.allocUnsafe(1 + leaf.length);
    buf[0] = LEAF_PREFIX;
    buf.set(leaf, 1);
    return digest(buf);
  },
  hashChildren(left, right) {
    const buf = Buffer.allocUnsafe(1 + left.length + right.length);
    buf[0] = NODE_PREFIX;
    buf.set(left, 1);
    buf.set(right, 1 + left.length);
    return digest(buf);
  },
  // The leaf prefix 0x00 is the UTF-8 of U+0000: one hash() call from the string to its hex id.
  hashLeafTextHex: (text) => hash("sha256", "\u0000" + text, "hex"),
  hashLeafText: (text) => digest("\u0000" + text),
  rootOfLeafHashesHex(leafHashes) {
    const level = Buffer.allocUnsafe(leafHashes.length * 32);
    leafHashes.forEach((h, i) => {
      // Buffer stops at the first pair that is not hex: a short write is the check.
      if (h.length !== 64 || level.write(h, i * 32, "hex") !== 32) throw new TypeError(`leaf ${i} is not a 32-byte hex hash`);
    });
    return rootOfLevel(level, leafHashes.length);
  },
  rootOfLeafTextsHex(texts) {
    const level = Buffer.allocUnsafe(texts.length * 32);
    texts.forEach((t, i) => level.write(hash("sha256", "\u0000" + t, "binary"), i * 32, "latin1"));
    return rootOfLevel(level, texts.length);
  },
};
