/**
 * Ledger tables. ledger_* are append-only (database triggers reject UPDATE, DELETE and TRUNCATE);
 * state_records is the projection of committed transactions, rebuilt and compared by `verify`.
 * Hashes are lowercase hex so that both PostgreSQL and PGlite take them through plain text arrays.
 */
import { bigint, char, index, integer, json, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";

const hash = (name: string) => char(name, { length: 64 });
const int8 = (name: string) => bigint(name, { mode: "number" });

export const ledgerBlocks = pgTable("ledger_blocks", {
  height: int8("height").primaryKey(),
  hash: hash("hash").notNull().unique(),
  prevHash: hash("prev_hash").notNull(),
  time: int8("time").notNull(),
  txRoot: hash("tx_root").notNull(),
  historyRoot: hash("history_root").notNull(),
  writesRoot: hash("writes_root").notNull(),
  txCount: integer("tx_count").notNull(),
  firstSeq: int8("first_seq").notNull(),
  proposer: text("proposer").notNull(),
  /** Canonical header text: the exact bytes the block hash covers. */
  header: text("header").notNull(),
});

export const ledgerBlockSignatures = pgTable(
  "ledger_block_signatures",
  {
    height: int8("height").notNull(),
    signer: text("signer").notNull(),
    signature: char("signature", { length: 128 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.height, t.signer] })],
);

export const ledgerBatches = pgTable(
  "ledger_batches",
  {
    height: int8("height").notNull(),
    idx: integer("idx").notNull(),
    signer: text("signer").notNull(),
    signature: char("signature", { length: 128 }).notNull(),
    /** Concatenated hex ids of every transaction the signature covers, including any rejected ones. */
    txHashes: text("tx_hashes").notNull(),
  },
  (t) => [primaryKey({ columns: [t.height, t.idx] })],
);

export const ledgerTxs = pgTable(
  "ledger_txs",
  {
    seq: int8("seq").primaryKey(),
    height: int8("height").notNull(),
    idx: integer("idx").notNull(),
    batchIdx: integer("batch_idx").notNull(),
    hash: hash("hash").notNull(),
    type: text("type").notNull(),
    dept: text("dept").notNull(),
    actor: text("actor").notNull(),
    nonce: text("nonce").notNull(),
    ts: int8("ts").notNull(),
    /** Canonical transaction text: the exact bytes the id covers. */
    body: text("body").notNull(),
  },
  (t) => [
    // Lookups by id only ever ask for equality: a hash index keeps a 4-byte code per row where a
    // b-tree kept the 64-char id at a random place (measured: 6.5 -> 1.5 us of PostgreSQL time per
    // committed transaction). Ids need no unique constraint of their own: an id is the hash of the
    // transaction's text, which holds (dept, actor, nonce), and those are unique below.
    index("ledger_txs_hash_idx").using("hash", t.hash),
    uniqueIndex("ledger_txs_nonce_uq").on(t.dept, t.actor, t.nonce),
    // No index on height: a block's transactions are the seq range [firstSeq, firstSeq + txCount).
    // Every index here costs WAL on the commit path, measured: keep only what lookups need.
  ],
);

/** Which transaction wrote which record: a record's full history. */
export const ledgerTouches = pgTable(
  "ledger_touches",
  {
    ns: text("ns").notNull(),
    key: text("key").notNull(),
    seq: int8("seq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ns, t.key, t.seq] })],
);

export const stateRecords = pgTable(
  "state_records",
  {
    ns: text("ns").notNull(),
    key: text("key").notNull(),
    /**
     * json, not jsonb: the column keeps the canonical text the ledger wrote, byte for byte, so the
     * auditor compares each row by string equality (jsonb re-renders it, and every row had to be
     * parsed and compared as a value); and writing it only validates the text. Rows from before the
     * change hold jsonb's rendering and are compared as values.
     */
    value: json("value").notNull(),
    /** Sequence number of the transaction that last wrote the record. */
    seq: int8("seq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ns, t.key] })],
);
