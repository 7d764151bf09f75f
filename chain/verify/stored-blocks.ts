/**
 * The fast auditor's checks of stored blocks that need no replayed state: the reference auditor's
 * phase 1 (audit/block-checks.ts), a page of blocks at a time, keeping what the replay needs (the
 * decoded transactions). The replay (verify.ts) runs the contracts on what this returns. Stateless,
 * so it runs on its own thread ahead of the replay (verify/worker.ts) or inline on the same one.
 */
import { fromHex, toHex } from "../bytes.js";
import type { BlockHeader, BlockSignature } from "../block.js";
import { jsonEqual } from "../encoding.js";
import type { ContractRegistry } from "../contracts/index.js";
import type { CryptoSuite } from "../signature.js";
import { splitHashes, type AuditBlock, type LedgerStore } from "../store/ledger-store.js";
import { ChainPosition, checkBlock, leftoverFault } from "../audit/block-checks.js";
import type { TxBody } from "../tx.js";

export interface CheckedBatch {
  /** Its stored idx. */
  idx: number;
  signer: string;
  signature: string;
  txHashes: string[];
  /** For each id the batch signs, the index of its stored transaction in the block, or -1 (rejected when the block was built). */
  at: number[];
}

/** A stored block whose stateless checks passed, with its transactions decoded. */
export interface CheckedBlock {
  height: number;
  hash: string;
  header: BlockHeader;
  signatures: BlockSignature[];
  batches: CheckedBatch[];
  /** Stored transactions in block order: seq, id and the batch_idx column (checked against the replay). */
  txs: { seq: number; hash: string; batchIdx: number }[];
  decoded: { body: TxBody; payload: unknown }[];
  /** Their canonical texts, kept only for posting the block to another thread. */
  texts?: string[];
}

/** Where a checker stands: enough for another thread's checker to go on from the next block. */
export interface CheckerPosition {
  chain: string | null;
  /** Hashes of every block checked so far, in height order (the history root is over them). */
  blockHashes: string[];
  nextSeq: number;
}

/** Checks a ledger's blocks in height order, from genesis, as the reference auditor's phase 1 does (checkBlock); throws at the first bad one. */
export class StoredBlockChecker {
  private readonly pos: ChainPosition;

  constructor(
    private readonly suite: CryptoSuite,
    private readonly contracts: ContractRegistry,
    from?: CheckerPosition,
  ) {
    this.pos = new ChainPosition(suite);
    if (!from) return;
    for (const h of from.blockHashes) this.pos.history.appendLeafHash(fromHex(h));
    this.pos.height = from.blockHashes.length;
    this.pos.prev = from.blockHashes.at(-1) ?? this.pos.prev;
    this.pos.chain = from.chain;
    this.pos.nextSeq = from.nextSeq;
  }

  /** Height and first seq the next block must have. */
  get height(): number {
    return this.pos.height;
  }
  get nextSeq(): number {
    return this.pos.nextSeq;
  }

  position(): CheckerPosition {
    const { history } = this.pos;
    const blockHashes = Array.from({ length: history.size }, (_, i) => toHex(history.leafHash(i)));
    return { chain: this.pos.chain, blockHashes, nextSeq: this.pos.nextSeq };
  }

  check(b: AuditBlock): CheckedBlock {
    const { header, decoded } = checkBlock(b, this.pos, this.suite, this.contracts);
    const at = new Map(b.txs.map((t, i) => [t.hash, i]));
    const txs = b.txs.map((t) => ({ seq: t.seq, hash: t.hash, batchIdx: t.batchIdx }));
    const batches = b.batches.map((x) => ({ idx: x.idx, signer: x.signer, signature: x.signature, txHashes: x.txHashes, at: x.txHashes.map((h) => at.get(h) ?? -1) }));
    return { height: b.row.height, hash: b.row.hash, header, signatures: b.signatures, batches, txs, decoded, texts: b.txs.map((t) => t.body) };
  }
}

/**
 * Transactions per page of blocks read by the checker. Pages wait between the threads (two ahead of
 * the replay) and every young-generation GC copies what waits: 3,000 beat 8,000 in five of five
 * alternating runs on 300k transactions (+4-23%); 1,500 was slower again (a query per block).
 */
const PAGE_TXS = 3_000;

/**
 * Every stored block from the checker's position, checked, a page at a time; the next page is read
 * while the caller works on this one. Blocks hold one to thousands of transactions, so a page aims at
 * PAGE_TXS of them. Ends by checking that no transaction is stored beyond the last block.
 */
export async function* checkedPages(store: LedgerStore, checker: StoredBlockChecker, pageSize?: number): AsyncGenerator<CheckedBlock[]> {
  const read = (from: number, blocks: number) => {
    const p = store.blockRange(from, from + blocks);
    p.catch(() => undefined); // awaited below; an early failure must not surface as unhandled
    return { p, blocks };
  };
  // A small first page: the replay waits for it, and later pages are read while it works.
  let next = read(checker.height, pageSize ?? 2);
  for (let from = checker.height; ; ) {
    const { p, blocks } = next;
    const page = await p;
    const last = page.length < blocks;
    if (!last) {
      let txs = 0;
      for (const b of page) txs += b.txs.length;
      // Pages grow at most twofold, so that small blocks at the start (genesis, setup) do not size a huge page.
      next = read(from + blocks, pageSize ?? Math.min(1000, 2 * blocks, Math.max(1, Math.round(PAGE_TXS / Math.max(1, txs / page.length)))));
    }
    from += blocks;
    // Blocks before a bad one are handed on first: the replay may find an earlier problem in them.
    const out: CheckedBlock[] = [];
    try {
      for (const b of page) out.push(checker.check(b));
    } catch (e) {
      if (out.length) yield out;
      throw e;
    }
    if (out.length) yield out;
    if (last) break;
  }
  // Rows past the last block (an inserted row, or the newest block's row deleted) are caught here.
  leftoverFault(checker.height - 1, await store.rowsPastEnd(checker.height, checker.nextSeq));
}

/**
 * A checked block as posted between threads, in few and flat parts (the cost of posting grows with
 * the number of values, not their bytes): the decoded transactions travel as their texts in one JSON
 * array (one parse on arrival), with the schema's payload only where it differs from the text's; the
 * ids as one string; a batch's ids only where no stored transaction has them.
 */
export interface WireBlock extends Omit<CheckedBlock, "decoded" | "texts" | "txs" | "batches"> {
  bodies: string;
  payloads: [number, unknown][];
  /** The stored transactions' ids, 64 hex digits each, in block order (their seqs follow from the header's first seq). */
  ids: string;
  batchIdx: number[];
  /** Each batch's `at`, and the ids it signs that are not stored (at -1), in order. */
  batches: { idx: number; signer: string; signature: string; at: number[]; unstored: string[] }[];
}

export function toWire(b: CheckedBlock): WireBlock {
  const payloads: [number, unknown][] = [];
  b.decoded.forEach((d, i) => {
    if (!jsonEqual(d.payload, d.body.payload)) payloads.push([i, d.payload]);
  });
  const { decoded: _, texts, txs, batches, ...rest } = b;
  return {
    ...rest,
    bodies: `[${texts!.join(",")}]`,
    payloads,
    ids: txs.map((t) => t.hash).join(""),
    batchIdx: txs.map((t) => t.batchIdx),
    batches: batches.map((x) => ({ idx: x.idx, signer: x.signer, signature: x.signature, at: x.at, unstored: x.txHashes.filter((_, k) => x.at[k] < 0) })),
  };
}

export function fromWire(w: WireBlock): CheckedBlock {
  const bodies = JSON.parse(w.bodies) as TxBody[];
  const decoded = bodies.map((body) => ({ body, payload: body.payload as unknown }));
  for (const [i, p] of w.payloads) decoded[i].payload = p;
  const first = w.header.firstSeq;
  const ids = splitHashes(w.ids);
  const txs = w.batchIdx.map((batchIdx, i) => ({ seq: first + i, hash: ids[i], batchIdx }));
  const batches = w.batches.map((x) => {
    let u = 0;
    return { idx: x.idx, signer: x.signer, signature: x.signature, at: x.at, txHashes: x.at.map((j) => (j >= 0 ? txs[j].hash : x.unstored[u++])) };
  });
  const { bodies: _, payloads: __, ids: ___, batchIdx: ____, ...rest } = w;
  return { ...rest, txs, batches, decoded };
}
