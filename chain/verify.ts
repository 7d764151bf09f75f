/**
 * The auditor: re-derives the whole ledger from its stored transactions. Recomputes every
 * transaction id, batch and block signature, Merkle root and hash link, re-executes every block with
 * the same contracts, and compares the state projection and the record history with the replay.
 * Stops at the first discrepancy and names it (block, transaction or table row).
 *
 * The work splits in two: the checks that need no state (verify/stored-blocks.ts) run on a worker
 * thread when the ledger is in PostgreSQL (the worker opens its own connections), with the writes
 * roots this thread leaves to it (verify/effects.ts); this thread replays the contracts, which must
 * go in order, and compares the projection (verify/projection-stream.ts, verify/replay-state.ts) and
 * the history (verify/history.ts) alongside the replay, so little is left when it ends. On PGlite
 * (one in-process connection) all of it runs here, in the same order.
 *
 * It implements the same Auditor as the reference auditor (audit/reference.ts), whose stored-block
 * checks (audit/block-checks.ts) and replay checks (audit/replay.ts) it runs; the differential test
 * holds both to the same verdict and the same first bad row.
 */
import type { AuditReport, AuditOptions } from "./audit/auditor.js";
import { checkNodeSignatures, checkReplayed } from "./audit/replay.js";
import { BlockExecutor } from "./engine.js";
import { defaultRegistry, type ContractRegistry } from "./contracts/index.js";
import { nodeSuite } from "./node-crypto.js";
import type { CryptoSuite } from "./signature.js";
import { LedgerIntegrityError, type LedgerStore } from "./store/ledger-store.js";
import { EffectsAudit, type BlockEffects } from "./verify/effects.js";
import { HistoryAudit } from "./verify/history.js";
import { ProjectionStream } from "./verify/projection-stream.js";
import { ReplayState } from "./verify/replay-state.js";
import { checkedPages, StoredBlockChecker, type CheckedBlock } from "./verify/stored-blocks.js";
import { WorkerFeed } from "./verify/worker-feed.js";

export type VerifyReport = AuditReport;

/** Where the replay gets checked blocks, and where it hands a block's writes when it leaves their root to be checked. */
interface AuditFeed {
  pages(): AsyncIterable<CheckedBlock[]>;
  /** Whether the replay had to wait for its last page: then it is the faster side and hashes writes roots itself. */
  readonly replayWaits: boolean;
  /** Hands over a block's writes; checked now (inline: throws) or on the worker (reported by settle). */
  effects(e: BlockEffects): void;
  /** Throws the first failure among the effects handed over so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Both halves on this thread. */
function inlineFeed(store: LedgerStore, suite: CryptoSuite, contracts: ContractRegistry, pageSize?: number): AuditFeed {
  const effects = new EffectsAudit(suite.hasher);
  return {
    pages: () => checkedPages(store, new StoredBlockChecker(suite, contracts), pageSize),
    replayWaits: true,
    effects: (e) => effects.apply(e),
    settle: async () => undefined,
    close: async () => undefined,
  };
}

/** Ledgers at least this long are verified on two threads by default. */
export const WORKER_MIN_TXS = 50_000;

export interface VerifyOptions extends AuditOptions {
  /** Blocks read per round trip; default: as many as hold about 3,000 transactions. */
  pageSize?: number;
  /**
   * Check and compare on a worker thread, where the database allows it (PostgreSQL, default suite and
   * contracts). Default: when the ledger holds WORKER_MIN_TXS transactions or more (starting the
   * thread costs about a second).
   */
  worker?: boolean;
  /**
   * With the worker: where each block's writes root is hashed. "balance" (default): here while this
   * thread waits for the checker, else on the worker with the block's effects; "worker": always there.
   */
  writesRoots?: "balance" | "worker";
  /**
   * With the worker: the height from which it checks the stored blocks. Default: while it starts, this
   * thread checks them itself, and hands over at the first page boundary once it is up.
   */
  handover?: number;
}

export async function verifyLedger(store: LedgerStore, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const suite = opts.suite ?? nodeSuite;
  const contracts = opts.contracts ?? defaultRegistry;
  const executor = new BlockExecutor(suite, contracts, false);
  const state = new ReplayState();
  const report: VerifyReport = { ok: true, chain: null, blocks: 0, txs: 0, records: 0, touches: 0, headHash: null, notFinal: [], ms: 0 };
  const fail = (message: string, at: LedgerIntegrityError["at"]): never => {
    throw new LedgerIntegrityError(message, at);
  };
  // The worker runs the default suite and contracts: custom ones stay on this thread.
  const url = store.db.url;
  let worker = Boolean(url && !opts.suite && !opts.contracts) && opts.worker !== false;
  if (worker && opts.worker === undefined) {
    const head = await store.head();
    worker = head !== null && head.header.firstSeq + head.header.txCount >= WORKER_MIN_TXS;
  }
  const feed: AuditFeed = worker ? new WorkerFeed(store, url!, opts.pageSize, opts.handover) : inlineFeed(store, suite, contracts, opts.pageSize);

  // The projection and the history are matched while the replay runs, as far as the replay has gone.
  const projection = new ProjectionStream(state, store.heapRecordPages());
  const history = new HistoryAudit(store.heapTouchPages());
  let replaying = true;
  try {
    for await (const page of feed.pages()) {
      for (const b of page) {
        const { header, height } = b;
        report.chain ??= header.chain;
        if (opts.pin && height === opts.pin.height && b.hash !== opts.pin.hash) {
          fail(`block ${height} is not the pinned block: its hash is ${b.hash}, the pin (receipt) says ${opts.pin.hash}`, { height, table: "ledger_blocks" });
        }

        // Re-execute the block exactly as the proposer did, on the transactions the checker decoded.
        const batches = b.batches.map((x) => ({
          signer: x.signer,
          signature: x.signature,
          txHashes: x.txHashes,
          texts: x.at.map((i) => (i < 0 ? null : "")),
          decoded: x.at.map((i) => b.decoded[i]),
        }));
        // The checker has matched the transaction root to the stored ids. The writes root is hashed here
        // while this thread waits for the checker, else left to the effects check on the checker's thread.
        const deferred = feed.replayWaits && opts.writesRoots !== "worker" ? undefined : header.writesRoot;
        const roots = { txIds: b.txs.map((t) => t.hash), txRoot: header.txRoot, writesRoot: deferred };
        const result = await executor.execute(
          { chain: header.chain, height, prev: header.prev, time: header.time, firstSeq: header.firstSeq, historyRoot: header.historyRoot, proposer: header.proposer, order: header.order, batches, roots },
          state,
        );
        checkReplayed({ hash: b.hash, header, signatures: b.signatures, batches: b.batches, txs: b.txs }, result);
        // The writes go to the feed when their root is left to be checked with them.
        if (deferred !== undefined) {
          const effects: BlockEffects = { height, writesRoot: deferred, writes: [] };
          for (const w of result.writes) effects.writes.push(w.ns, w.key, w.value);
          feed.effects(effects);
        }

        // Node signatures, against node keys as the ledger held them before the block (genesis: as it registers them).
        const checkSignatures = () => {
          if (!checkNodeSignatures(suite, b.hash, height, b.signatures, { get: (ns, key) => state.peek(ns, key) })) report.notFinal.push(height);
        };
        if (height > 0) checkSignatures();

        state.apply(result);
        projection.advance(header.firstSeq + header.txCount - 1);
        const touches: (string | number)[] = [];
        for (const t of result.touches) touches.push(t.seq, t.ns, t.key);
        history.add(touches);
        if (height === 0) checkSignatures();
        // Table pages being read come in as I/O, taken only when this thread waits: let them in.
        if (projection.reads || history.reads) await new Promise(setImmediate);
        report.blocks++;
        report.txs += header.txCount;
        report.headHash = b.hash;
        opts.onProgress?.(height, report.txs);
      }
    }
    replaying = false;
    await feed.settle();
    // The rest of the projection and of the history, at once; a bad projection row is named first.
    const [records, touches] = await Promise.allSettled([projection.finish(() => store.allRecords()), history.finish(() => store.allTouches())]);
    if (records.status === "rejected") throw records.reason;
    if (touches.status === "rejected") throw touches.reason;
    report.records = records.value;
    report.touches = touches.value;
  } catch (e) {
    if (!(e instanceof LedgerIntegrityError)) throw e;
    // The worker may not yet have reported a bad writes root of an earlier block: that one comes first.
    const earlier = replaying ? await feed.settle().then(() => null, (x: unknown) => x) : null;
    const first = earlier instanceof LedgerIntegrityError ? earlier : e;
    report.ok = false;
    report.error = { message: first.message, at: first.at };
  } finally {
    await Promise.all([projection.close(), history.close(), feed.close()]);
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}
