/**
 * A node's check of its own stored blocks, from the rows alone: each block's hash recomputed from
 * its stored header text, the header's columns and the ids of its stored transactions. The result
 * is what the node publishes to its peers, who compare it with the hashes they built: an edited row
 * (even with the trigger disabled and the hash column "fixed") shows as a different hash at that height.
 */
import { toHex, utf8 } from "../bytes.js";
import { hashHeader, type BlockHeader } from "../block.js";
import { canonicalize } from "../encoding.js";
import type { Hasher } from "../hasher.js";
import { headerColumnMismatch, type AuditBlock, type LedgerStore } from "../store/ledger-store.js";
import { hashTxText } from "../tx.js";

export interface StoredBlockCheck {
  height: number;
  /** The stored hash when every check passes; otherwise a digest that cannot equal any true block hash. */
  digest: string;
  problem: string | null;
}

/** Checks one stored block; `problem` names the first inconsistency. */
export function checkStoredBlock(hasher: Hasher, b: AuditBlock): StoredBlockCheck {
  const { row } = b;
  const bad = (problem: string): StoredBlockCheck => ({
    height: row.height,
    // Tagged so that it can never be a block hash (those are hashed under DOMAIN_BLOCK).
    digest: toHex(hasher.hashTagged(utf8("cityledger/stored-block-mismatch/v1\n"), utf8(`${row.height}\n${row.hash}\n${row.header}\n${problem}`))),
    problem,
  });
  let header: BlockHeader;
  try {
    header = JSON.parse(row.header) as BlockHeader;
  } catch {
    return bad("stored header is not JSON");
  }
  if (canonicalize(header) !== row.header) return bad("stored header is not canonical");
  if (hashHeader(hasher, header) !== row.hash) return bad("header does not hash to the stored hash");
  const differs = headerColumnMismatch(header, row);
  if (differs) return bad(`column ${differs.column} differs from the header`);
  if (b.txs.length !== header.txCount) return bad(`${b.txs.length} transactions stored, header says ${header.txCount}`);
  const ids: string[] = [];
  for (const t of b.txs) {
    // blockRange gives a block the rows of its seq range, whatever their height column says.
    if (t.height !== row.height) return bad(`transaction #${t.seq} column height is ${t.height}`);
    const id = hashTxText(hasher, t.body);
    if (id !== t.hash) return bad(`transaction #${t.seq} body does not hash to its id`);
    ids.push(id);
  }
  if (hasher.rootOfLeafHashesHex(ids) !== header.txRoot) return bad("transactions do not hash to the header's root");
  return { height: row.height, digest: row.hash, problem: null };
}

/** Checks stored blocks [from, to). */
export async function auditStoredBlocks(store: LedgerStore, hasher: Hasher, from: number, to: number): Promise<StoredBlockCheck[]> {
  if (to <= from) return [];
  const blocks = await store.blockRange(from, to);
  const out: StoredBlockCheck[] = [];
  let expect = from;
  for (const b of blocks) {
    // A missing row is a mismatch at its height too.
    while (expect < b.row.height) out.push({ height: expect, digest: "missing", problem: "block row missing" }), expect++;
    out.push(checkStoredBlock(hasher, b));
    expect = b.row.height + 1;
  }
  while (expect < to) out.push({ height: expect, digest: "missing", problem: "block row missing" }), expect++;
  return out;
}
