/**
 * RFC 6962 Merkle tree over leaf hashes, with every complete aligned subtree cached so that root,
 * inclusion and consistency proofs cost O(log n) cached lookups (plus O(log^2 n) hashing on the ragged
 * right edge) instead of rehashing all leaves.
 */
/** What the tree needs of a hasher; hasher.ts's Hasher extends it (the import runs hasher -> merkle only). */
export interface TreeHasher {
  /** Hash of the empty tree: SHA-256 of the empty string. */
  emptyRoot(): Uint8Array;
  hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array;
}

/** Largest power of two strictly less than n. Requires n > 1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k << 1 < n) k <<= 1;
  return k;
}

/** A function returning MTH(D[begin:end)). Proof construction is written once against it. */
export type RangeHasher = (begin: number, end: number) => Uint8Array;

export class MerkleTree {
  /** levels[k][i] = hash of leaves [i*2^k, (i+1)*2^k), present only once complete. */
  private readonly levels: Uint8Array[][] = [[]];

  constructor(
    private readonly hasher: TreeHasher,
    leafHashes: Iterable<Uint8Array> = [],
  ) {
    for (const h of leafHashes) this.appendLeafHash(h);
  }

  get size(): number {
    return this.levels[0].length;
  }

  /** Appends an already-hashed leaf (hashLeaf(data)). */
  appendLeafHash(leafHash: Uint8Array): void {
    let level = 0;
    let node = leafHash;
    for (;;) {
      const row = this.levels[level];
      row.push(node);
      if (row.length % 2 === 1) return;
      node = this.hasher.hashChildren(row[row.length - 2], node);
      level++;
      if (!this.levels[level]) this.levels[level] = [];
    }
  }

  leafHash(index: number): Uint8Array {
    if (!(index >= 0 && index < this.size)) throw new RangeError(`leaf index ${index} out of range [0, ${this.size})`);
    return this.levels[0][index];
  }

  /** MTH over leaves [begin, end). Requires 0 <= begin <= end <= size. */
  readonly hashRange: RangeHasher = (begin, end) => {
    if (!(begin >= 0 && begin <= end && end <= this.size)) {
      throw new RangeError(`range [${begin}, ${end}) outside tree of size ${this.size}`);
    }
    const n = end - begin;
    if (n === 0) return this.hasher.emptyRoot();
    if ((n & (n - 1)) === 0 && begin % n === 0) {
      const level = Math.log2(n);
      return this.levels[level][begin / n];
    }
    const k = splitPoint(n);
    return this.hasher.hashChildren(this.hashRange(begin, begin + k), this.hashRange(begin + k, end));
  };

  /** Root of the first `size` leaves (default: all). */
  root(size = this.size): Uint8Array {
    return this.hashRange(0, size);
  }
}

/** Root of a list of leaf hashes, without keeping a tree. */
export function rootOfLeafHashes(hasher: TreeHasher, leafHashes: Uint8Array[]): Uint8Array {
  return new MerkleTree(hasher, leafHashes).root();
}
