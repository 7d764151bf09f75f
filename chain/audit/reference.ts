/**
 * The reference auditor: single-threaded and plain, for reading and for checking the fast auditor
 * (chain/verify.ts) against. Three phases, each over the whole ledger, each table read in key order:
 *
 *   1. block-checks.ts: the stored blocks and transactions on their own (ids, links, roots, decoding);
 *   2. replay.ts: every transaction through the contracts into a fresh in-memory state (signatures,
 *      acceptance, header hashes);
 *   3. compare.ts: the stored projection and history against the replayed ones.
 *
 * It stops at the first bad row and names it. (With several faults, the fast auditor may name
 * another one: it replays each block right after checking it.)
 */
import { defaultRegistry } from "../contracts/index.js";
import { BlockExecutor } from "../engine.js";
import { nodeSuite } from "../node-crypto.js";
import { LedgerIntegrityError, type LedgerStore } from "../store/ledger-store.js";
import type { AuditOptions, AuditReport } from "./auditor.js";
import { ChainPosition, checkBlock, leftoverFault } from "./block-checks.js";
import { compareHistory, compareProjection } from "./compare.js";
import { MemoryState, replayBlock } from "./replay.js";
import { storedBlocks, type Leftovers } from "./rows.js";

export async function auditLedger(store: LedgerStore, opts: AuditOptions = {}): Promise<AuditReport> {
  const started = performance.now();
  const suite = opts.suite ?? nodeSuite;
  const contracts = opts.contracts ?? defaultRegistry;
  const { db } = store;
  const report: AuditReport = { ok: true, chain: null, blocks: 0, txs: 0, records: 0, touches: 0, headHash: null, notFinal: [], ms: 0 };
  try {
    // 1. Checks of the stored blocks.
    const pos = new ChainPosition(suite);
    const left: Leftovers = {};
    for await (const b of storedBlocks(db, left)) checkBlock(b, pos, suite, contracts, opts.pin);
    leftoverFault(pos.height - 1, left);
    report.chain = pos.chain;

    // 2. Replay.
    const executor = new BlockExecutor(suite, contracts);
    const state = new MemoryState();
    for await (const b of storedBlocks(db)) {
      const header = JSON.parse(b.row.header);
      const texts = new Map(b.txs.map((t) => [t.hash, t.body]));
      const final = await replayBlock(executor, suite, state, { hash: b.row.hash, header, signatures: b.signatures, batches: b.batches, txs: b.txs, texts });
      if (!final) report.notFinal.push(header.height);
      report.blocks++;
      report.txs += header.txCount;
      report.headHash = b.row.hash;
      opts.onProgress?.(header.height, report.txs);
    }

    // 3. Compare the projection, then the history.
    report.records = await compareProjection(db, state);
    report.touches = await compareHistory(db, state);
  } catch (e) {
    if (!(e instanceof LedgerIntegrityError)) throw e;
    report.ok = false;
    report.error = { message: e.message, at: e.at };
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}
