/**
 * Pure verifiers for RFC 9162 inclusion and consistency proofs. They take the hasher as a
 * parameter and do no I/O, so the same code runs in the auditor CLI and in the browser.
 */
import { equalBytes, toHex } from "../bytes.js";
import type { Hasher } from "../hasher.js";

/** The one failure callers must tell apart: the proof is well-formed but leads to another root. */
export class RootMismatchError extends Error {
  constructor(
    readonly expectedRoot: Uint8Array,
    readonly calculatedRoot: Uint8Array,
  ) {
    super(`root mismatch: calculated ${toHex(calculatedRoot)}, expected ${toHex(expectedRoot)}`);
    this.name = "RootMismatchError";
  }
}

function checkHashes(hasher: Hasher, proof: Uint8Array[]): void {
  const size = hasher.emptyRoot().length;
  proof.forEach((p, i) => {
    if (!(p instanceof Uint8Array) || p.length !== size) throw new RangeError(`proof[${i}] has ${p?.length} bytes, want ${size}`);
  });
}

/**
 * Root implied by an inclusion proof (RFC 9162 §2.1.3.2). Requires 0 <= index < size.
 * @throws RangeError when the proof has the wrong length for (index, size).
 */
export function rootFromInclusionProof(
  hasher: Hasher,
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: Uint8Array[],
): Uint8Array {
  if (!(Number.isInteger(index) && Number.isInteger(size) && index >= 0 && index < size)) {
    throw new RangeError(`index ${index} out of range for size ${size}`);
  }
  checkHashes(hasher, proof);
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) throw new RangeError(`wrong proof size ${proof.length}: too long for index ${index}, size ${size}`);
    if (fn % 2 === 1 || fn === sn) {
      r = hasher.hashChildren(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hasher.hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new RangeError(`wrong proof size ${proof.length}: too short for index ${index}, size ${size}`);
  return r;
}

/** @throws RootMismatchError or RangeError when the proof does not show leafHash at index in root. */
export function verifyInclusion(
  hasher: Hasher,
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: Uint8Array[],
  root: Uint8Array,
): void {
  const calc = rootFromInclusionProof(hasher, index, size, leafHash, proof);
  if (!equalBytes(calc, root)) throw new RootMismatchError(root, calc);
}

/**
 * Checks that the tree of size2 with root2 extends the tree of size1 with root1 (RFC 9162 §2.1.4.2).
 * Requires 0 <= size1 <= size2.
 * @throws RootMismatchError or RangeError.
 */
export function verifyConsistency(
  hasher: Hasher,
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: Uint8Array[],
): void {
  if (!(Number.isInteger(size1) && Number.isInteger(size2) && size1 >= 0 && size1 <= size2)) {
    throw new RangeError(`need 0 <= size1 <= size2, got ${size1}, ${size2}`);
  }
  checkHashes(hasher, proof);
  if (size1 === size2) {
    if (proof.length) throw new RangeError(`wrong proof size ${proof.length}, want 0`);
    if (!equalBytes(root1, root2)) throw new RootMismatchError(root1, root2);
    return;
  }
  if (size1 === 0) {
    if (proof.length) throw new RangeError(`wrong proof size ${proof.length}, want 0`);
    return;
  }
  if (proof.length === 0) throw new RangeError("wrong proof size 0, want > 0");
  const path = (size1 & (size1 - 1)) === 0 ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) throw new RangeError(`wrong proof size ${proof.length}: too long`);
    if (fn % 2 === 1 || fn === sn) {
      fr = hasher.hashChildren(c, fr);
      sr = hasher.hashChildren(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = hasher.hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new RangeError(`wrong proof size ${proof.length}: too short`);
  if (!equalBytes(fr, root1)) throw new RootMismatchError(root1, fr);
  if (!equalBytes(sr, root2)) throw new RootMismatchError(root2, sr);
}
