/** node:crypto SHA-256: identical bytes to @noble/hashes, measured ~3x faster here. Node only. */
import { hash } from "node:crypto";
import { LEAF_PREFIX, makeHasher, NODE_PREFIX, type Hasher } from "./hasher.js";

const digest = (data: Uint8Array) => new Uint8Array(hash("sha256", data, "buffer"));

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
};
