/**
 * The reference auditor's reads: each ledger table in its key order, a page at a time (keyset
 * pagination), and the stored blocks assembled from them. Text keys are ordered COLLATE "C" (code
 * points, as JS compares them with `cmp`), whatever the database's collation.
 */
import type { BlockSignature } from "../block.js";
import type { Queryable } from "../store/db.js";
import { splitHashes, type BlockRow, type StoredTx } from "../store/ledger-store.js";

const PAGE = 5_000;

/** Rows of `SELECT columns FROM table` in the order of `keys`, each [column, property of the row, is text]. */
export async function* keyOrdered<T>(db: Queryable, table: string, columns: string, keys: [string, string, boolean?][]): AsyncGenerator<T> {
  const key = keys.map(([c, , text]) => (text ? `${c} COLLATE "C"` : c)).join(", ");
  const params = keys.map((_, i) => `$${i + 1}`).join(", ");
  let after: T | null = null;
  for (;;) {
    const where: string = after ? `WHERE (${key}) > (${params})` : "";
    const values: unknown[] = after ? keys.map(([, p]) => (after as Record<string, unknown>)[p]) : [];
    const { rows } = await db.query<T>(`SELECT ${columns} FROM ${table} ${where} ORDER BY ${key} LIMIT ${PAGE}`, values);
    yield* rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1];
  }
}

/** An async iterator that can look at its next item without taking it. */
export class Cursor<T> {
  private head: IteratorResult<T> | null = null;
  constructor(private readonly it: AsyncIterator<T>) {}

  async peek(): Promise<T | undefined> {
    this.head ??= await this.it.next();
    return this.head.done ? undefined : this.head.value;
  }

  async next(): Promise<T | undefined> {
    const v = await this.peek();
    this.head = null;
    return v;
  }
}

export type { BlockRow };

export interface BatchRow {
  idx: number;
  signer: string;
  signature: string;
  txHashes: string[];
}

/** One ledger_blocks row with the rows stored for it: signatures and batches by height, transactions by the row's seq range. */
export interface StoredBlockRows {
  row: BlockRow;
  signatures: BlockSignature[];
  batches: BatchRow[];
  txs: StoredTx[];
}

/** Rows stored past the end of the ledger: the first of each kind, if any. */
export interface Leftovers {
  tx?: StoredTx;
  batch?: { height: number; idx: number };
  signature?: { height: number; signer: string };
}

/**
 * Every stored block in height order, with its rows. Signature and batch rows below a block's height
 * that no earlier block took (a block row missing) are passed over: the missing block is the fault.
 * `leftovers` is filled once the last block is handed out.
 */
export async function* storedBlocks(db: Queryable, leftovers: Leftovers = {}): AsyncGenerator<StoredBlockRows> {
  const blocks = keyOrdered<BlockRow>(
    db,
    "ledger_blocks",
    `height, hash, prev_hash AS "prevHash", time, tx_root AS "txRoot", history_root AS "historyRoot", writes_root AS "writesRoot",
     tx_count AS "txCount", first_seq AS "firstSeq", proposer, header`,
    [["height", "height"]],
  );
  const sigs = new Cursor(keyOrdered<BlockSignature & { height: number }>(db, "ledger_block_signatures", "height, signer, signature", [["height", "height"], ["signer", "signer", true]]));
  const batches = new Cursor(keyOrdered<{ height: number; idx: number; signer: string; signature: string; tx_hashes: string }>(db, "ledger_batches", "height, idx, signer, signature, tx_hashes", [["height", "height"], ["idx", "idx"]]));
  const txs = new Cursor(keyOrdered<StoredTx>(db, "ledger_txs", `seq, height, idx, batch_idx AS "batchIdx", hash, type, dept, actor, nonce, ts, body`, [["seq", "seq"]]));

  /** Takes the cursor's rows while `below` says they come before the block's end, keeping those `mine` says are its own. */
  async function take<T>(c: Cursor<T>, below: (r: T) => boolean, mine: (r: T) => boolean): Promise<T[]> {
    const out: T[] = [];
    for (let r = await c.peek(); r !== undefined && below(r); r = await c.peek()) {
      await c.next();
      if (mine(r)) out.push(r);
    }
    return out;
  }

  for await (const row of blocks) {
    const h = row.height;
    const end = row.firstSeq + row.txCount;
    yield {
      row,
      signatures: (await take(sigs, (s) => s.height <= h, (s) => s.height === h)).map((s) => ({ signer: s.signer, signature: s.signature })),
      batches: (await take(batches, (b) => b.height <= h, (b) => b.height === h)).map((b) => ({ idx: b.idx, signer: b.signer, signature: b.signature, txHashes: splitHashes(b.tx_hashes) })),
      txs: await take(txs, (t) => t.seq < end, (t) => t.seq >= row.firstSeq),
    };
  }
  const b = await batches.peek();
  const s = await sigs.peek();
  leftovers.tx = await txs.peek();
  leftovers.batch = b && { height: b.height, idx: b.idx };
  leftovers.signature = s && { height: s.height, signer: s.signer };
}
