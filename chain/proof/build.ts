/** Builds RFC 6962 / RFC 9162 inclusion and consistency proofs from any range hasher. */
import { splitPoint, type RangeHasher } from "../merkle.js";

/**
 * Audit path for leaf `index` in the tree of the first `size` leaves (RFC 9162 §2.1.3.1).
 * Requires 0 <= index < size.
 */
export function buildInclusionProof(index: number, size: number, hashRange: RangeHasher): Uint8Array[] {
  if (!(Number.isInteger(index) && Number.isInteger(size) && index >= 0 && index < size)) {
    throw new RangeError(`inclusion proof: index ${index} not in [0, ${size})`);
  }
  const path: Uint8Array[] = [];
  const walk = (m: number, begin: number, end: number): void => {
    const n = end - begin;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, begin, begin + k);
      path.push(hashRange(begin + k, end));
    } else {
      walk(m - k, begin + k, end);
      path.push(hashRange(begin, begin + k));
    }
  };
  walk(index, 0, size);
  return path;
}

/**
 * Consistency proof between the trees of the first `size1` and `size2` leaves (RFC 9162 §2.1.4.1).
 * Requires 0 <= size1 <= size2. Empty when size1 is 0 or equals size2.
 */
export function buildConsistencyProof(size1: number, size2: number, hashRange: RangeHasher): Uint8Array[] {
  if (!(Number.isInteger(size1) && Number.isInteger(size2) && size1 >= 0 && size1 <= size2)) {
    throw new RangeError(`consistency proof: need 0 <= size1 <= size2, got ${size1}, ${size2}`);
  }
  const path: Uint8Array[] = [];
  if (size1 === 0 || size1 === size2) return path;
  const sub = (m: number, begin: number, end: number, whole: boolean): void => {
    const n = end - begin;
    if (m === n) {
      if (!whole) path.push(hashRange(begin, end));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      sub(m, begin, begin + k, whole);
      path.push(hashRange(begin + k, end));
    } else {
      sub(m - k, begin + k, end, false);
      path.push(hashRange(begin, begin + k));
    }
  };
  sub(size1, 0, size2, true);
  return path;
}
