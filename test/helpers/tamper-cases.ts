/**
 * The tamper table: every way of editing a stored ledger the auditors must catch, each with the first
 * bad row they must name (or null for an edit that changes nothing the ledger vouches for). Shared by
 * test/audit-differential.test.ts and any later case. A case edits freely (the harness disables the
 * append-only triggers and restores every table afterwards).
 */
import type { FaultLocation } from "../../chain/audit/auditor.js";
import type { Queryable } from "../../chain/store/db.js";
import { createTestLedger, type TestLedger } from "./ledger.js";
import type { Database } from "../../chain/store/db.js";

export interface TamperFixture {
  tip: number;
  nextSeq: number;
  /** Two blocks below the tip with three or more transactions each (a < b). */
  a: BlockInfo;
  b: BlockInfo;
  /** A block below the tip with two batches or more. */
  twoBatches: BlockInfo;
  /** A projection row written once (an anchor): its key and writer. */
  anchor: { key: string; seq: number };
}

interface BlockInfo {
  height: number;
  firstSeq: number;
  txCount: number;
}

export interface TamperCase {
  name: string;
  /** Edits the ledger; returns where the first bad row is, or null when the ledger must still pass. */
  apply(db: Queryable, f: TamperFixture): Promise<FaultLocation | null>;
  /** Puts back what the table restore cannot (a dropped constraint). */
  undo?(db: Queryable): Promise<void>;
}

const anchor = (n: number) => ({ type: "file.anchor", dept: "tp", actor: "op", payload: { fileHash: n.toString(16).padStart(64, "0") } });
const rename = (L: TestLedger, name: string) => L.node.submit({ type: "dept.update", dept: "sz", actor: "system", payload: { id: "tp", name } as never }, "sys");

/** A ledger with blocks of several transactions, blocks of two batches (two departments' keys), and a tip of its own. */
export async function tamperLedger(db: Database): Promise<{ L: TestLedger; f: TamperFixture }> {
  const L = await createTestLedger(db);
  for (let round = 0; round < 3; round++) {
    await Promise.all([...Array.from({ length: 6 }, (_, i) => L.node.submit(anchor(100 * round + i), "k.tp")), rename(L, `交警支队 ${round}`)]);
  }
  await rename(L, "交警支队");
  await L.node.drain();
  const { rows } = await db.query<BlockInfo & { batches: number }>(
    `SELECT height, first_seq AS "firstSeq", tx_count AS "txCount", (SELECT count(*)::int FROM ledger_batches b WHERE b.height = l.height) AS batches
     FROM ledger_blocks l ORDER BY height`,
  );
  const tip = rows.length - 1;
  const below = rows.slice(1, tip);
  const multi = below.filter((r) => r.txCount >= 3);
  const twoBatches = below.find((r) => r.batches >= 2);
  if (multi.length < 2 || !twoBatches) throw new Error(`tamper ledger: blocks not as needed: ${JSON.stringify(rows)}`);
  const key = anchor(1).payload.fileHash;
  const rec = await db.query<{ seq: number }>("SELECT seq FROM state_records WHERE ns = 'anchor' AND key = $1", [key]);
  const info = ({ height, firstSeq, txCount }: BlockInfo) => ({ height, firstSeq, txCount });
  return { L, f: { tip, nextSeq: rows[tip].firstSeq + rows[tip].txCount, a: info(multi[0]), b: info(multi[1]), twoBatches: info(twoBatches), anchor: { key, seq: rec.rows[0].seq } } };
}

async function tx(db: Queryable, seq: number) {
  const { rows } = await db.query<{ hash: string; body: string; height: number; idx: number }>("SELECT hash, body, height, idx FROM ledger_txs WHERE seq = $1", [seq]);
  return rows[0];
}

/** Moves the row at seq `from` to seq `to` (which must be free), with the given columns. */
const moveTx = (db: Queryable, from: number, to: number, set = "") => db.query(`UPDATE ledger_txs SET seq = $2${set} WHERE seq = $1`, [from, to]);

export const TAMPER_CASES: TamperCase[] = [
  { name: "nothing edited", apply: async () => null },
  {
    name: "a projection value in another JSON rendering (rows from before the column kept text)",
    apply: async (db, f) => {
      await db.query("UPDATE state_records SET value = value::jsonb::json WHERE ns = 'anchor' AND key = $1", [f.anchor.key]);
      return null;
    },
  },

  // Transaction rows.
  {
    name: "one byte of a transaction's payload",
    apply: async (db, f) => {
      const seq = f.a.firstSeq + 1;
      const t = await tx(db, seq);
      const at = t.body.indexOf('"fileHash":"') + 12;
      const body = t.body.slice(0, at) + (t.body[at] === "0" ? "1" : "0") + t.body.slice(at + 1);
      await db.query("UPDATE ledger_txs SET body = $2 WHERE seq = $1", [seq, body]);
      return { height: f.a.height, seq, tx: t.hash, table: "ledger_txs" };
    },
  },
  {
    name: "a transaction body re-rendered (a raw newline: still JSON, not canonical)",
    apply: async (db, f) => {
      const seq = f.a.firstSeq;
      const t = await tx(db, seq);
      await db.query("UPDATE ledger_txs SET body = $2 WHERE seq = $1", [seq, t.body.replace(",", ",\n")]);
      return { height: f.a.height, seq, tx: t.hash, table: "ledger_txs" };
    },
  },
  {
    name: "a transaction's actor column (not its body)",
    apply: async (db, f) => {
      const seq = f.b.firstSeq + 2;
      const t = await tx(db, seq);
      await db.query("UPDATE ledger_txs SET actor = 'tpadmin' WHERE seq = $1", [seq]);
      return { height: f.b.height, seq, tx: t.hash, table: "ledger_txs" };
    },
  },
  {
    name: "a transaction's height column",
    apply: async (db, f) => {
      const seq = f.b.firstSeq + 1;
      const t = await tx(db, seq);
      await db.query("UPDATE ledger_txs SET height = height + 1 WHERE seq = $1", [seq]);
      return { height: f.b.height, seq, tx: t.hash, table: "ledger_txs" };
    },
  },
  {
    name: "a transaction's batch_idx column",
    apply: async (db, f) => {
      const seq = f.twoBatches.firstSeq;
      const t = await tx(db, seq);
      await db.query("UPDATE ledger_txs SET batch_idx = batch_idx + 1 WHERE seq = $1", [seq]);
      return { height: f.twoBatches.height, seq, tx: t.hash, table: "ledger_txs" };
    },
  },
  {
    name: "a transaction row deleted",
    apply: async (db, f) => {
      const seq = f.a.firstSeq + 1;
      await db.query("DELETE FROM ledger_txs WHERE seq = $1", [seq]);
      return { height: f.a.height, seq, table: "ledger_txs" };
    },
  },
  {
    name: "a transaction row added past the last block",
    apply: async (db, f) => {
      await db.query("INSERT INTO ledger_txs SELECT $2, height, idx + 1, batch_idx, hash, type, dept, actor, nonce || 'x', ts, body FROM ledger_txs WHERE seq = $1", [f.nextSeq - 1, f.nextSeq]);
      return { seq: f.nextSeq, table: "ledger_txs" };
    },
  },
  {
    name: "two transaction rows of a block swapped (seqs only)",
    apply: async (db, f) => {
      const [x, y] = [f.a.firstSeq, f.a.firstSeq + 2];
      await moveTx(db, x, -1);
      await moveTx(db, y, x);
      await moveTx(db, -1, y);
      return { height: f.a.height, seq: x, table: "ledger_txs" };
    },
  },
  {
    name: "two transaction rows of a block swapped (seqs and positions)",
    apply: async (db, f) => {
      const [x, y] = [f.a.firstSeq, f.a.firstSeq + 2];
      await moveTx(db, x, -1, ", idx = 2");
      await moveTx(db, y, x, ", idx = 0");
      await moveTx(db, -1, y);
      return { height: f.a.height, seq: x, table: "ledger_txs" };
    },
  },
  {
    name: "two transaction rows swapped across blocks (seqs only)",
    apply: async (db, f) => {
      const [x, y] = [f.a.firstSeq + 1, f.b.firstSeq + 1];
      const moved = await tx(db, y);
      await moveTx(db, x, -1);
      await moveTx(db, y, x);
      await moveTx(db, -1, y);
      return { height: f.a.height, seq: x, tx: moved.hash, table: "ledger_txs" };
    },
  },
  {
    name: "two transaction rows swapped across blocks (seqs, heights and positions)",
    apply: async (db, f) => {
      const [x, y] = [f.a.firstSeq + 1, f.b.firstSeq + 1];
      const moved = await tx(db, y);
      await moveTx(db, x, -1, `, height = ${f.b.height}`);
      await moveTx(db, y, x, `, height = ${f.a.height}`);
      await moveTx(db, -1, y);
      return { height: f.a.height, seq: x, tx: moved.hash, table: "ledger_txs" };
    },
  },

  // Block rows.
  {
    name: "a block's tx_count column",
    apply: async (db, f) => {
      await db.query("UPDATE ledger_blocks SET tx_count = tx_count + 1 WHERE height = $1", [f.a.height]);
      return { height: f.a.height, table: "ledger_blocks" };
    },
  },
  {
    name: "a block's time column",
    apply: async (db, f) => {
      await db.query("UPDATE ledger_blocks SET time = time + 1 WHERE height = $1", [f.b.height]);
      return { height: f.b.height, table: "ledger_blocks" };
    },
  },
  {
    name: "a block's header text (its time)",
    apply: async (db, f) => {
      await db.query(`UPDATE ledger_blocks SET header = replace(header, '"time":' || time, '"time":' || (time + 1)) WHERE height = $1`, [f.b.height]);
      return { height: f.b.height, table: "ledger_blocks" };
    },
  },
  {
    name: "a block row deleted (below the tip)",
    apply: async (db, f) => {
      await db.query("DELETE FROM ledger_blocks WHERE height = $1", [f.b.height]);
      return { height: f.b.height, table: "ledger_blocks" };
    },
  },
  {
    name: "the tip's block row deleted (its other rows left)",
    apply: async (db, f) => {
      await db.query("DELETE FROM ledger_blocks WHERE height = $1", [f.tip]);
      return { height: f.tip, table: "ledger_blocks" };
    },
  },
  {
    name: "a node signature edited",
    apply: async (db, f) => {
      await db.query("UPDATE ledger_block_signatures SET signature = repeat('0', 128) WHERE height = $1", [f.a.height]);
      return { height: f.a.height, table: "ledger_block_signatures" };
    },
  },
  {
    name: "a block's node signatures deleted",
    apply: async (db, f) => {
      await db.query("DELETE FROM ledger_block_signatures WHERE height = $1", [f.b.height]);
      return { height: f.b.height, table: "ledger_block_signatures" };
    },
  },
  {
    name: "a node signature row past the last block",
    apply: async (db, f) => {
      await db.query("INSERT INTO ledger_block_signatures SELECT height + 5, signer, signature FROM ledger_block_signatures WHERE height = $1", [f.tip]);
      return { height: f.tip + 5, table: "ledger_block_signatures" };
    },
  },

  // Batch rows.
  {
    name: "a batch signature edited",
    apply: async (db, f) => {
      await db.query("UPDATE ledger_batches SET signature = repeat('0', 128) WHERE height = $1 AND idx = 1", [f.twoBatches.height]);
      return { height: f.twoBatches.height, table: "ledger_batches", batch: 1 };
    },
  },
  {
    name: "a batch's signed ids rewritten (two swapped)",
    apply: async (db, f) => {
      const { rows } = await db.query<{ idx: number; tx_hashes: string }>("SELECT idx, tx_hashes FROM ledger_batches WHERE height = $1 AND length(tx_hashes) >= 128 ORDER BY idx LIMIT 1", [f.a.height]);
      const h = rows[0].tx_hashes;
      await db.query("UPDATE ledger_batches SET tx_hashes = $3 WHERE height = $1 AND idx = $2", [f.a.height, rows[0].idx, h.slice(64, 128) + h.slice(0, 64) + h.slice(128)]);
      return { height: f.a.height, table: "ledger_batches", batch: rows[0].idx };
    },
  },
  {
    name: "a batch row deleted",
    apply: async (db, f) => {
      await db.query("DELETE FROM ledger_batches WHERE height = $1 AND idx = 1", [f.twoBatches.height]);
      return { height: f.twoBatches.height, table: "ledger_batches", batch: 1 };
    },
  },

  // The projection.
  {
    name: "a projection value edited",
    apply: async (db, f) => {
      await db.query(`UPDATE state_records SET value = jsonb_set(value::jsonb, '{actor}', '"tpadmin"')::json WHERE ns = 'anchor' AND key = $1`, [f.anchor.key]);
      return { table: "state_records", ns: "anchor", key: f.anchor.key, seq: f.anchor.seq };
    },
  },
  {
    name: "a projection row no transaction wrote",
    apply: async (db) => {
      await db.query("INSERT INTO state_records (ns, key, value, seq) VALUES ('user', 'intruder', '{}'::json, 1)");
      return { table: "state_records", ns: "user", key: "intruder" };
    },
  },
  {
    name: "a projection row deleted",
    apply: async (db, f) => {
      await db.query("DELETE FROM state_records WHERE ns = 'anchor' AND key = $1", [f.anchor.key]);
      return { table: "state_records", ns: "anchor", key: f.anchor.key, seq: f.anchor.seq };
    },
  },
  {
    name: "a projection row's last writer",
    apply: async (db, f) => {
      await db.query("UPDATE state_records SET seq = seq + 1 WHERE ns = 'anchor' AND key = $1", [f.anchor.key]);
      return { table: "state_records", ns: "anchor", key: f.anchor.key, seq: f.anchor.seq };
    },
  },
  {
    name: "a projection row stored twice (its primary key dropped)",
    apply: async (db, f) => {
      await db.query("ALTER TABLE state_records DROP CONSTRAINT state_records_ns_key_pk");
      await db.query("INSERT INTO state_records SELECT * FROM state_records WHERE ns = 'anchor' AND key = $1", [f.anchor.key]);
      return { table: "state_records", ns: "anchor", key: f.anchor.key };
    },
    undo: (db) => db.query("ALTER TABLE state_records ADD CONSTRAINT state_records_ns_key_pk PRIMARY KEY (ns, key)").then(() => undefined),
  },

  // The history.
  {
    name: "a history row deleted",
    apply: async (db, f) => {
      await db.query("DELETE FROM ledger_touches WHERE ns = 'anchor' AND key = $1", [f.anchor.key]);
      return { table: "ledger_touches", seq: f.anchor.seq, ns: "anchor", key: f.anchor.key };
    },
  },
  {
    name: "a history row for a record the transaction did not write",
    apply: async (db, f) => {
      await db.query("INSERT INTO ledger_touches (ns, key, seq) VALUES ('user', 'op', $1)", [f.anchor.seq]);
      return { table: "ledger_touches", seq: f.anchor.seq, ns: "user", key: "op" };
    },
  },
  {
    name: "a history row for a record that does not exist",
    apply: async (db, f) => {
      await db.query("INSERT INTO ledger_touches (ns, key, seq) VALUES ('anchor', 'no-such-file', $1)", [f.anchor.seq]);
      return { table: "ledger_touches", seq: f.anchor.seq, ns: "anchor", key: "no-such-file" };
    },
  },
];

/** The ledger's tables, as the harness saves and restores them around each case. */
export const LEDGER_TABLES = ["ledger_blocks", "ledger_block_signatures", "ledger_batches", "ledger_txs", "ledger_touches", "state_records"] as const;
