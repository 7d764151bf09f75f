/**
 * Phase 1 of the reference auditor: the stored blocks on their own, no state. Each block row: its
 * header text canonical and hashing to its id, its columns equal to the header, linked to the block
 * before, the history root over all earlier blocks, the seqs following on; each transaction row:
 * present, in its block and place, its id the hash of its bytes, decodable as its contract accepts it,
 * its columns equal to its body; the transaction root over the stored ids. Then no row past the end.
 */
import { fromHex } from "../bytes.js";
import { hashHeader, ZERO_HASH, type BlockHeader } from "../block.js";
import type { ContractRegistry } from "../contracts/index.js";
import { TxRejectedError } from "../contracts/types.js";
import { canonicalize } from "../encoding.js";
import { decodeTx } from "../engine.js";
import { MerkleTree } from "../merkle.js";
import type { CryptoSuite } from "../signature.js";
import { headerColumnMismatch, LedgerIntegrityError, type StoredTx } from "../store/ledger-store.js";
import type { FaultLocation } from "./auditor.js";
import type { TxBody } from "../tx.js";
import type { Leftovers, StoredBlockRows } from "./rows.js";

const fail = (message: string, at: FaultLocation): never => {
  throw new LedgerIntegrityError(message, at);
};

/** The columns of ledger_txs that repeat a field of the transaction's signed body. */
const TX_COLUMNS = ["type", "dept", "actor", "nonce", "ts"] as const;

/** What the next block must continue from. */
export class ChainPosition {
  height = 0;
  nextSeq = 0;
  prev = ZERO_HASH;
  chain: string | null = null;
  readonly history: MerkleTree;
  constructor(suite: CryptoSuite) {
    this.history = new MerkleTree(suite.hasher);
  }
}

/**
 * Checks one stored block against the chain so far, then moves the position past it. Throws at the
 * first bad row. Returns its header and transactions decoded (the payloads as their schemas give them).
 */
export function checkBlock(
  b: StoredBlockRows,
  pos: ChainPosition,
  suite: CryptoSuite,
  contracts: ContractRegistry,
  pin?: { height: number; hash: string },
): { header: BlockHeader; decoded: { body: TxBody; payload: unknown }[] } {
  const { row } = b;
  const height = row.height;
  const atBlock = { height, table: "ledger_blocks" };
  if (height !== pos.height) fail(`block ${pos.height} is missing (found ${height} next)`, { height: pos.height, table: "ledger_blocks" });
  let header: BlockHeader;
  try {
    header = JSON.parse(row.header);
  } catch {
    return fail(`block ${height}: stored header is not JSON`, atBlock);
  }
  if (canonicalize(header) !== row.header) fail(`block ${height}: stored header is not canonical`, atBlock);
  if (hashHeader(suite.hasher, header) !== row.hash) fail(`block ${height}: header does not hash to ${row.hash}`, atBlock);
  const differs = headerColumnMismatch(header, row);
  if (differs) fail(`block ${height}: column ${differs.column} (${String(differs.value)}) differs from its header (${String(header[differs.column])})`, atBlock);
  pos.chain ??= header.chain;
  if (header.chain !== pos.chain) fail(`block ${height}: chain ${header.chain}, expected ${pos.chain}`, { height });
  if (header.prev !== pos.prev) fail(`block ${height}: previous hash ${header.prev} does not link to block ${height - 1} (${pos.prev})`, { height });
  if (header.historyRoot !== Buffer.from(pos.history.root()).toString("hex")) fail(`block ${height}: history root differs from the chain of blocks before it`, { height });
  if (header.firstSeq !== pos.nextSeq) fail(`block ${height}: first seq ${header.firstSeq}, expected ${pos.nextSeq}`, { height });
  if (pin && height === pin.height && row.hash !== pin.hash) fail(`block ${height} is not the pinned block: its hash is ${row.hash}, the pin (receipt) says ${pin.hash}`, atBlock);

  const decoded: { body: TxBody; payload: unknown }[] = [];
  // The block's transactions are the seqs [firstSeq, firstSeq + txCount), each at its place.
  for (let i = 0; i < header.txCount; i++) {
    const seq = header.firstSeq + i;
    const t = b.txs[i];
    if (t?.seq !== seq) fail(`transaction #${seq} of block ${height} missing (${b.txs.length} stored, header says ${header.txCount})`, { height, seq, table: "ledger_txs" });
    const at = { height, seq, tx: t.hash, table: "ledger_txs" };
    if (t.height !== height) fail(`transaction #${seq}: column height is ${t.height}, its block is ${height}`, at);
    if (t.idx !== i) misplaced(b, height) ?? fail(`transaction #${seq}: position ${t.idx} out of order`, { height, seq, table: "ledger_txs" });
    const d = decodeTx(suite.hasher, contracts, t.body, t.hash, header.chain);
    if (d instanceof TxRejectedError) fail(`transaction #${seq} (${t.hash.slice(0, 16)}…) in block ${height} fails on replay: ${d.message}`, at);
    else {
      for (const c of TX_COLUMNS) if (t[c] !== d.body[c]) fail(`transaction #${seq}: column ${c} is ${String(t[c])}, its signed body says ${String(d.body[c])}`, at);
      decoded.push(d);
    }
  }
  if (suite.hasher.rootOfLeafHashesHex(b.txs.map((t) => t.hash)) !== header.txRoot) {
    misplaced(b, height);
    fail(`block ${height}: replay gives a different transaction root`, { height });
  }
  pos.history.appendLeafHash(fromHex(row.hash));
  pos.prev = row.hash;
  pos.height++;
  pos.nextSeq += header.txCount;
  return { header, decoded };
}

/**
 * Names the first transaction row that is not where the block's batches sign it: a row no batch of
 * the block signs, or one out of the signed order (the batches sign ids in block order, rejected ones
 * included). Returns undefined when every row is in its signed place.
 */
export function misplaced(b: { txs: Pick<StoredTx, "seq" | "hash">[]; batches: { txHashes: string[] }[] }, height: number): undefined {
  const signed = b.batches.flatMap((x) => x.txHashes);
  const signedSet = new Set(signed);
  const unsigned = b.txs.find((t) => !signedSet.has(t.hash));
  if (unsigned) fail(`transaction #${unsigned.seq} of block ${height} is signed by no batch of the block`, { height, seq: unsigned.seq, tx: unsigned.hash, table: "ledger_txs" });
  const stored = new Set(b.txs.map((t) => t.hash));
  const order = signed.filter((h) => stored.has(h));
  const off = b.txs.findIndex((t, i) => t.hash !== order[i]);
  if (off < 0) return undefined;
  const t = b.txs[off];
  const other = b.txs.findIndex((x) => x.hash === order[off]);
  if (other > off && b.txs[other].hash === order[off] && order[other] === t.hash) {
    fail(`transactions #${t.seq} and #${b.txs[other].seq} of block ${height} swapped (stored in each other's place)`, { height, seq: t.seq, table: "ledger_txs" });
  }
  return fail(`transaction #${t.seq} of block ${height} out of its signed order`, { height, seq: t.seq, table: "ledger_txs" });
}

/**
 * Rows stored past the last block (`tip`, -1 for none). A row of the block right after the tip means
 * that block's row is what is missing; anything else is a stray row.
 */
export function leftoverFault(tip: number, left: Leftovers): void {
  const next = tip + 1;
  const of = [left.tx?.height === next && "ledger_txs", left.batch?.height === next && "ledger_batches", left.signature?.height === next && "ledger_block_signatures"].filter(Boolean);
  if (of.length) fail(`block ${next} is missing (rows of it are stored in ${of.join(", ")})`, { height: next, table: "ledger_blocks" });
  if (left.tx) fail(`transaction #${left.tx.seq} is stored beyond the last block`, { seq: left.tx.seq, table: "ledger_txs" });
  if (left.batch) fail(`batch ${left.batch.idx} at height ${left.batch.height} has no block`, { height: left.batch.height, table: "ledger_batches", batch: left.batch.idx });
  if (left.signature) fail(`signature of ${left.signature.signer} at height ${left.signature.height} has no block`, { height: left.signature.height, table: "ledger_block_signatures" });
}
