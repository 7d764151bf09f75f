/** node:crypto SHA-256: identical bytes to @noble/hashes, measured ~2x faster here. Node only. */
import { createHash } from "node:crypto";
import { makeHasher, type Hasher } from "./hasher.js";

export const nodeHasher: Hasher = makeHasher((data) => new Uint8Array(createHash("sha256").update(data).digest()));
