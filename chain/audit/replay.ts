/**
 * Phase 2 of the reference auditor: every block's stored transactions run again through the
 * contracts (the same BlockExecutor the nodes run) on a fresh in-memory state, from genesis. The
 * replayed block must be the stored one: every transaction accepted, in stored order and batch, the
 * same header hash; and its node signatures must be by nodes the state knew before the block.
 */
import { verifyBlockSignature, type BlockHeader, type BlockSignature } from "../block.js";
import type { Json } from "../encoding.js";
import { BlockExecutor, nonceId, stateId, type BlockResult, type StateSource } from "../engine.js";
import type { StateKey } from "../contracts/types.js";
import type { CryptoSuite } from "../signature.js";
import { LedgerIntegrityError } from "../store/ledger-store.js";
import type { FaultLocation } from "./auditor.js";

const fail = (message: string, at: FaultLocation): never => {
  throw new LedgerIntegrityError(message, at);
};

/** A record as the replay left it: its canonical text (what the store must hold) and last writer. */
export interface ReplayedRecord {
  ns: string;
  key: string;
  text: string;
  seq: number;
}

/** The replayed ledger state: records by (ns, key), used nonces, and every touch (which transaction wrote which record). */
export class MemoryState implements StateSource {
  readonly records = new Map<string, ReplayedRecord & { value?: Json }>();
  readonly touches: { seq: number; ns: string; key: string }[] = [];
  private readonly nonces = new Set<string>();

  get(ns: string, key: string): Json | null {
    const r = this.records.get(stateId(ns, key));
    if (!r) return null;
    return (r.value ??= JSON.parse(r.text) as Json);
  }

  async load(keys: StateKey[]): Promise<Map<string, Json | null>> {
    return new Map(keys.map(([ns, key]) => [stateId(ns, key), this.get(ns, key)]));
  }

  async usedNonces(ids: string[]): Promise<Set<string>> {
    return new Set(ids.filter((id) => this.nonces.has(id)));
  }

  apply(result: BlockResult): void {
    for (const a of result.accepted) this.nonces.add(nonceId(a.body));
    for (const w of result.writes) {
      const id = stateId(w.ns, w.key);
      if (w.value === null) this.records.delete(id);
      else this.records.set(id, { ns: w.ns, key: w.key, text: w.value, seq: w.seq });
    }
    for (const t of result.touches) this.touches.push(t);
  }
}

/** A stored block as the replay needs it. */
export interface BlockToReplay {
  hash: string;
  header: BlockHeader;
  signatures: BlockSignature[];
  /** Batch rows with their stored idx. */
  batches: { idx: number; signer: string; signature: string; txHashes: string[] }[];
  /** Stored transactions in seq order. */
  txs: { seq: number; hash: string; batchIdx: number }[];
}

/** Compares a block's replay with what is stored; throws at the first difference (shared by both auditors). */
export function checkReplayed(b: BlockToReplay, result: BlockResult): void {
  const { header } = b;
  const height = header.height;
  for (const r of result.rejected) {
    // The whole batch is refused (its signature or signer): the batch row is the bad one.
    if (r.error.code === "bad_signature" || r.error.code === "unknown_signer") {
      const batch = b.batches.find((x) => x.txHashes.includes(r.hash))!;
      fail(`block ${height}: batch ${batch.idx} fails on replay: ${r.error.message}`, { height, table: "ledger_batches", batch: batch.idx });
    }
    const seq = b.txs.find((t) => t.hash === r.hash)?.seq;
    fail(`transaction #${seq ?? "?"} (${r.hash.slice(0, 16)}…) in block ${height} fails on replay: ${r.error.message}`, { height, seq, tx: r.hash, table: "ledger_txs" });
  }
  if (result.accepted.length !== b.txs.length) {
    // A stored transaction no batch row covers: the batch its batch_idx names is the bad row.
    const accepted = new Set(result.accepted.map((a) => a.hash));
    const t = b.txs.find((x) => !accepted.has(x.hash))!;
    fail(`block ${height}: transaction #${t.seq} is in no stored batch (its batch_idx names batch ${t.batchIdx})`, { height, table: "ledger_batches", batch: t.batchIdx });
  }
  result.accepted.forEach((a, i) => {
    const t = b.txs[i];
    if (a.hash !== t.hash) fail(`block ${height}: transaction #${t.seq} out of batch order`, { height, seq: t.seq, table: "ledger_txs" });
    if (t.batchIdx !== a.batchIdx) fail(`transaction #${t.seq}: column batch_idx is ${t.batchIdx}, its signed body says ${a.batchIdx}`, { height, seq: t.seq, tx: t.hash, table: "ledger_txs" });
  });
  if (result.hash !== b.hash) {
    const r = result.header;
    const what =
      r.txRoot !== header.txRoot
        ? "transaction root"
        : r.writesRoot !== header.writesRoot
          ? "state writes root"
          : r.signersRoot !== header.signersRoot
            ? "signers root (the batch-signer keys the block commits to)"
            : "header";
    fail(`block ${height}: replay gives a different ${what}`, { height });
  }
}

/**
 * Node signatures of a block against the node keys in `state` (before the block; genesis: after it,
 * as it registers them). Returns whether they reach the quorum (the newest blocks may still be
 * collecting their peers' signatures).
 */
export function checkNodeSignatures(suite: CryptoSuite, hash: string, height: number, signatures: BlockSignature[], state: { get(ns: string, key: string): Json | null }): boolean {
  const at = { height, table: "ledger_block_signatures" };
  for (const s of signatures) {
    const node = state.get("node", s.signer) as { publicKey: string } | null;
    if (!node) fail(`block ${height}: signature by unknown node ${s.signer}`, at);
    if (!verifyBlockSignature(suite.signatures, node!.publicKey, hash, s)) fail(`block ${height}: signature of node ${s.signer} is invalid`, at);
  }
  if (signatures.length === 0) fail(`block ${height}: no node signature`, at);
  const config = state.get("config", "ledger") as { quorum: number } | null;
  return signatures.length >= (config?.quorum ?? 1);
}

/** Replays one stored block onto `state`; throws at the first difference. Returns whether it is final (quorum of node signatures). */
export async function replayBlock(executor: BlockExecutor, suite: CryptoSuite, state: MemoryState, b: BlockToReplay & { texts: Map<string, string> }): Promise<boolean> {
  const { header } = b;
  const result = await executor.execute(
    {
      chain: header.chain,
      height: header.height,
      prev: header.prev,
      time: header.time,
      firstSeq: header.firstSeq,
      historyRoot: header.historyRoot,
      proposer: header.proposer,
      order: header.order,
      // A signed id with no stored text was rejected when the block was built: it counts for the signature only.
      batches: b.batches.map((x) => ({ signer: x.signer, signature: x.signature, txHashes: x.txHashes, texts: x.txHashes.map((h) => b.texts.get(h) ?? null) })),
    },
    state,
  );
  checkReplayed(b, result);
  const genesis = header.height === 0;
  const final = genesis ? true : checkNodeSignatures(suite, b.hash, header.height, b.signatures, state);
  state.apply(result);
  return genesis ? checkNodeSignatures(suite, b.hash, 0, b.signatures, state) : final;
}
