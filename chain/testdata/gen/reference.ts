/**
 * RFC 6962 §2.1 written straight from its definitions (MTH, PATH, PROOF/SUBPROOF) over node:crypto,
 * sharing no code with chain/merkle.ts or chain/proof/: the generator takes the expected roots and
 * paths from here, so a vector says what the RFC says, not what the code under test happens to do.
 */
import { createHash } from "node:crypto";

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (h: string) => new Uint8Array(Buffer.from(h, "hex"));

/** Largest power of two smaller than n (n > 1). */
function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}

export const refLeafHash = (leafHex: string): string => hex(sha256(new Uint8Array([0]), bytes(leafHex)));
const node = (l: string, r: string) => hex(sha256(new Uint8Array([1]), bytes(l), bytes(r)));

/** MTH over leaf hashes (hex). */
export function refRoot(leafHashes: string[]): string {
  const n = leafHashes.length;
  if (n === 0) return hex(sha256());
  if (n === 1) return leafHashes[0];
  return node(refRoot(leafHashes.slice(0, k(n))), refRoot(leafHashes.slice(k(n))));
}

/** PATH(m, D[n]) over leaf hashes. */
export function refPath(m: number, leafHashes: string[]): string[] {
  const n = leafHashes.length;
  if (n === 1) return [];
  const s = k(n);
  return m < s ? [...refPath(m, leafHashes.slice(0, s)), refRoot(leafHashes.slice(s))] : [...refPath(m - s, leafHashes.slice(s)), refRoot(leafHashes.slice(0, s))];
}

/** PROOF(m, D[n]) over leaf hashes (0 < m <= n). */
export function refConsistency(m: number, leafHashes: string[]): string[] {
  const sub = (m: number, d: string[], whole: boolean): string[] => {
    const n = d.length;
    if (m === n) return whole ? [] : [refRoot(d)];
    const s = k(n);
    return m <= s ? [...sub(m, d.slice(0, s), whole), refRoot(d.slice(s))] : [...sub(m - s, d.slice(s), false), refRoot(d.slice(0, s))];
  };
  return m === 0 || m === leafHashes.length ? [] : sub(m, leafHashes, true);
}
