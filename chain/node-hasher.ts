/** node:crypto SHA-256: identical bytes to @noble/hashes, measured ~3x faster here. Node only. */
import { hash } from "node:crypto";
import { LEAF_PREFIX, makeHasher, NODE_PREFIX, type Hasher } from "./hasher.js";

const digest = (data: Uint8Array | string) => new Uint8Array(hash("sha256", data, "buffer"));

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
};
