/**
 * The auditor's checks of stored blocks that need no replayed state: each header re-hashed and
 * linked to the one before, its columns and the history root; each transaction's id from its bytes,
 * its place in the block, and its envelope and payload decoded as the contracts accept them; the
 * transaction root over those ids. The
 * replay (verify.ts) runs the contracts on what this returns. Stateless, so it runs on its own
 * thread ahead of the replay (verify/worker.ts) or inline on the same one.
 */
import { fromHex, toHex } from "../bytes.js";
import { hashHeader, ZERO_HASH, type BlockHeader, type BlockSignature } from "../block.js";
import { canonicalize, jsonEqual } from "../encoding.js";
import { decodeTx } from "../engine.js";
import type { ContractRegistry } from "../contracts/index.js";
import { TxRejectedError } from "../contracts/types.js";
import { MerkleTree } from "../merkle.js";
import type { CryptoSuite } from "../signature.js";
import { headerColumnMismatch, LedgerIntegrityError, splitHashes, type AuditBlock, type LedgerStore } from "../store/ledger-store.js";
import type { TxBody } from "../tx.js";

export interface CheckedBatch {
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

const fail = (message: string, at: LedgerIntegrityError["at"]): never => {
  throw new LedgerIntegrityError(message, at);
};

/**
 * Names rows stored out of their signed order, when the order is what is wrong: the batches sign the
 * block's transaction ids in order, and the stored ones must follow it (seq order). Throws a named
 * failure for two rows swapped (or one row out of place); returns when the stored ids are not a
 * reordering of the signed ones (then another check names the fault).
 */
function misordered(b: AuditBlock, height: number): void {
  const stored = b.txs.map((t) => t.hash);
  const present = new Set(stored);
  const signed = b.batches.flatMap((x) => x.txHashes).filter((h) => present.has(h));
  if (signed.length !== stored.length) return;
  const off: number[] = [];
  stored.forEach((h, i) => {
    if (h !== signed[i]) off.push(i);
  });
  if (off.length === 0) return;
  const [i, j] = off;
  const seq = (k: number) => b.txs[k].seq;
  if (off.length === 2 && stored[i] === signed[j] && stored[j] === signed[i]) {
    fail(`transactions #${seq(i)} and #${seq(j)} of block ${height} swapped (stored in each other's place)`, { height, seq: seq(i), table: "ledger_txs" });
  }
  fail(`transaction #${seq(i)} of block ${height} out of its signed order (${off.length} rows out of place)`, { height, seq: seq(i), table: "ledger_txs" });
}

/** Where a checker stands: enough for another thread's checker to go on from the next block. */
export interface CheckerPosition {
  chain: string | null;
  /** Hashes of every block checked so far, in height order (the history root is over them). */
  blockHashes: string[];
  nextSeq: number;
}

/** Checks a ledger's blocks in height order, from genesis; throws LedgerIntegrityError at the first bad one. */
export class StoredBlockChecker {
  private prev = ZERO_HASH;
  private chain: string | null = null;
  /** Over the hashes of the blocks checked so far (the history root each header must carry). */
  private readonly history: MerkleTree;
  /** Height and first seq the next block must have. */
  height = 0;
  nextSeq = 0;

  constructor(
    private readonly suite: CryptoSuite,
    private readonly contracts: ContractRegistry,
    from?: CheckerPosition,
  ) {
    this.history = new MerkleTree(suite.hasher);
    if (!from) return;
    for (const h of from.blockHashes) this.passed(h);
    this.chain = from.chain;
    this.nextSeq = from.nextSeq;
  }

  position(): CheckerPosition {
    const blockHashes = Array.from({ length: this.history.size }, (_, i) => toHex(this.history.leafHash(i)));
    return { chain: this.chain, blockHashes, nextSeq: this.nextSeq };
  }

  private passed(hash: string): void {
    this.history.appendLeafHash(fromHex(hash));
    this.prev = hash;
    this.height++;
  }

  check(b: AuditBlock): CheckedBlock {
    const { row } = b;
    const { hasher } = this.suite;
    const height = row.height;
    if (height !== this.height) fail(`block ${this.height} is missing (found ${height} next)`, { height: this.height, table: "ledger_blocks" });
    let header: BlockHeader;
    try {
      header = JSON.parse(row.header);
    } catch {
      return fail(`block ${height}: stored header is not JSON`, { height, table: "ledger_blocks" });
    }
    if (canonicalize(header) !== row.header) fail(`block ${height}: stored header is not canonical`, { height, table: "ledger_blocks" });
    if (hashHeader(hasher, header) !== row.hash) fail(`block ${height}: header does not hash to ${row.hash}`, { height, table: "ledger_blocks" });
    const differs = headerColumnMismatch(header, row);
    if (differs) fail(`block ${height}: column ${differs.column} (${String(differs.value)}) differs from its header (${String(header[differs.column])})`, { height, table: "ledger_blocks" });
    this.chain ??= header.chain;
    if (header.chain !== this.chain) fail(`block ${height}: chain ${header.chain}, expected ${this.chain}`, { height });
    if (header.prev !== this.prev) fail(`block ${height}: previous hash ${header.prev} does not link to block ${height - 1} (${this.prev})`, { height });
    if (header.historyRoot !== Buffer.from(this.history.root()).toString("hex")) fail(`block ${height}: history root differs from the chain of blocks before it`, { height });
    if (header.firstSeq !== this.nextSeq) fail(`block ${height}: first seq ${header.firstSeq}, expected ${this.nextSeq}`, { height });
    if (b.txs.length < header.txCount) {
      // Name the deleted rows: the block's seqs are [firstSeq, firstSeq + txCount).
      const stored = new Set(b.txs.map((t) => t.seq));
      const missing: number[] = [];
      for (let s = header.firstSeq; s < header.firstSeq + header.txCount; s++) if (!stored.has(s)) missing.push(s);
      const names = missing.slice(0, 5).map((s) => `#${s}`).join(", ") + (missing.length > 5 ? ", …" : "");
      fail(`${missing.length === 1 ? "transaction" : "transactions"} ${names} of block ${height} missing (${b.txs.length} stored, header says ${header.txCount})`, { height, seq: missing[0], table: "ledger_txs" });
    }
    if (b.txs.length !== header.txCount) fail(`block ${height}: ${b.txs.length} transactions stored, header says ${header.txCount}`, { height, table: "ledger_txs" });

    // Each stored transaction: its position, its id from its bytes, its envelope and payload, and
    // the columns beside the text against what the text says.
    const at = new Map<string, number>();
    const txs: CheckedBlock["txs"] = [];
    const decoded: CheckedBlock["decoded"] = [];
    b.txs.forEach((t, i) => {
      if (t.idx !== i || t.seq !== header.firstSeq + i) {
        misordered(b, height);
        fail(`transaction #${t.seq}: position ${t.idx} out of order`, { height, seq: t.seq, table: "ledger_txs" });
      }
      const d = decodeTx(hasher, this.contracts, t.body, t.hash, header.chain);
      if (d instanceof TxRejectedError) {
        return fail(`transaction #${t.seq} (${t.hash.slice(0, 16)}…) in block ${height} fails on replay: ${d.message}`, { height, seq: t.seq, tx: t.hash, table: "ledger_txs" });
      }
      const body = d.body;
      if (t.type !== body.type || t.dept !== body.dept || t.actor !== body.actor || t.nonce !== body.nonce || t.ts !== body.ts) {
        const cols: [string, unknown, unknown][] = [
          ["type", t.type, body.type],
          ["dept", t.dept, body.dept],
          ["actor", t.actor, body.actor],
          ["nonce", t.nonce, body.nonce],
          ["ts", t.ts, body.ts],
        ];
        for (const [c, got, want] of cols) if (got !== want) fail(`transaction #${t.seq}: column ${c} is ${String(got)}, its signed body says ${String(want)}`, { height, seq: t.seq, tx: t.hash, table: "ledger_txs" });
      }
      at.set(t.hash, i);
      txs.push({ seq: t.seq, hash: t.hash, batchIdx: t.batchIdx });
      decoded.push(d);
    });
    if (hasher.rootOfLeafHashesHex(txs.map((t) => t.hash)) !== header.txRoot) {
      misordered(b, height);
      fail(`block ${height}: replay gives a different transaction root`, { height });
    }
    const batches = b.batches.map((x) => ({ signer: x.signer, signature: x.signature, txHashes: x.txHashes, at: x.txHashes.map((h) => at.get(h) ?? -1) }));

    this.passed(row.hash);
    this.nextSeq += header.txCount;
    return { height, hash: row.hash, header, signatures: b.signatures, batches, txs, decoded, texts: b.txs.map((t) => t.body) };
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
  // Transactions outside any block (an inserted row) are caught here.
  const stray = await store.txRange(checker.nextSeq, 1);
  if (stray.length) fail(`transaction #${stray[0].seq} is stored beyond the last block`, { seq: stray[0].seq, table: "ledger_txs" });
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
  batches: { signer: string; signature: string; at: number[]; unstored: string[] }[];
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
    batches: batches.map((x) => ({ signer: x.signer, signature: x.signature, at: x.at, unstored: x.txHashes.filter((_, k) => x.at[k] < 0) })),
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
    return { signer: x.signer, signature: x.signature, at: x.at, txHashes: x.at.map((j) => (j >= 0 ? txs[j].hash : x.unstored[u++])) };
  });
  const { bodies: _, payloads: __, ids: ___, batchIdx: ____, ...rest } = w;
  return { ...rest, txs, batches, decoded };
}
