/**
 * The auditor: re-derives the whole ledger from its stored transactions. Recomputes every
 * transaction id, batch and block signature, Merkle root and hash link, re-executes every block with
 * the same contracts, and compares the state projection and the record history with the replay.
 * Stops at the first discrepancy and names it (block, transaction or table row).
 */
import { fromHex } from "./bytes.js";
import { hashHeader, verifyBlockSignature, ZERO_HASH, type BlockHeader } from "./block.js";
import { canonicalize, jsonEqual, type Json } from "./encoding.js";
import { BlockExecutor, nonceId, stateId, type StateSource } from "./engine.js";
import { defaultRegistry, type ContractRegistry } from "./contracts/index.js";
import type { StateKey } from "./contracts/types.js";
import { MerkleTree } from "./merkle.js";
import { nodeSuite } from "./node-crypto.js";
import type { CryptoSuite } from "./signature.js";
import { headerColumnMismatch, LedgerIntegrityError, type LedgerStore, type StoredRecord } from "./store/ledger-store.js";

export interface VerifyReport {
  ok: boolean;
  chain: string | null;
  blocks: number;
  txs: number;
  records: number;
  touches: number;
  headHash: string | null;
  /** Blocks whose valid node signatures are still fewer than the quorum (not yet final). */
  notFinal: number[];
  ms: number;
  error?: { message: string; at: LedgerIntegrityError["at"] };
}

/**
 * What the replay knows of one record: its live value, its writers, and whether the stored projection
 * and history have been matched against it. One entry per key serves all of it (one map lookup per
 * write and per stored row, where separate maps and sets cost a lookup each).
 */
interface KeyEntry {
  ns: string;
  key: string;
  /** Whether the record holds a value (false once deleted). Its canonical text is not kept: rows are compared parsed. */
  live: boolean;
  value: Json | null;
  /** The transaction that last wrote the record. */
  seq: number;
  /** The first transaction that wrote it, and any later ones (most records are written once: no array for them). */
  first: number;
  later: number[] | null;
  /** Its state_records row has been matched. */
  stored: boolean;
  /** Its ledger_touches rows have been matched. */
  traced: boolean;
}

/** Replay state held in memory: each record's parsed value (for contracts and for comparing stored rows), writers and match marks. */
class ReplayState implements StateSource {
  readonly keys = new Map<string, KeyEntry>();
  readonly nonces = new Set<string>();
  /** Entries with a live value. */
  live = 0;

  value(ns: string, key: string): Json | null {
    return this.keys.get(stateId(ns, key))?.value ?? null;
  }

  async load(keys: StateKey[]): Promise<Map<string, Json | null>> {
    const out = new Map<string, Json | null>();
    for (const [ns, key] of keys) {
      const id = stateId(ns, key);
      out.set(id, this.keys.get(id)?.value ?? null);
    }
    return out;
  }

  async usedNonces(ids: string[]): Promise<Set<string>> {
    return new Set(ids.filter((id) => this.nonces.has(id)));
  }
}

export interface VerifyOptions {
  suite?: CryptoSuite;
  contracts?: ContractRegistry;
  /** Blocks read per round trip; default: as many as hold about 8,000 transactions. */
  pageSize?: number;
  onProgress?: (height: number, txs: number) => void;
}

export async function verifyLedger(store: LedgerStore, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const suite = opts.suite ?? nodeSuite;
  const executor = new BlockExecutor(suite, opts.contracts ?? defaultRegistry);
  const state = new ReplayState();
  const history = new MerkleTree(suite.hasher);
  const report: VerifyReport = { ok: true, chain: null, blocks: 0, txs: 0, records: 0, touches: 0, headHash: null, notFinal: [], ms: 0 };
  const fail = (message: string, at: LedgerIntegrityError["at"]): never => {
    throw new LedgerIntegrityError(message, at);
  };

  try {
    let prev = ZERO_HASH;
    let nextSeq = 0;
    // Pages of blocks, the next one read while this one is replayed (the database and the replay
    // overlap). Blocks hold one to thousands of transactions, so a page aims at PAGE_TXS of them.
    const read = (from: number, blocks: number) => {
      const p = store.blockRange(from, from + blocks);
      p.catch(() => undefined); // awaited below; an early failure must not surface as unhandled
      return { p, blocks };
    };
    let next = read(0, opts.pageSize ?? 10);
    let records: AsyncIterable<StoredRecord> | null = null;
    let touches: AsyncIterable<{ ns: string; key: string; seq: number }> | null = null;
    for (let from = 0; ; ) {
      const { p, blocks } = next;
      const page = await p;
      const last = page.length < blocks;
      if (!last) {
        let txs = 0;
        for (const b of page) txs += b.txs.length;
        next = read(from + blocks, opts.pageSize ?? Math.min(1000, Math.max(10, Math.round(PAGE_TXS / Math.max(1, txs / page.length)))));
      } else {
        // The projection and the history are read while the last page is replayed.
        records = prefetched(store.allRecords());
        touches = prefetched(store.allTouches());
      }
      from += blocks;
      for (const b of page) {
        const { row } = b;
        const height = row.height;
        if (height !== report.blocks) fail(`block ${report.blocks} is missing (found ${height} next)`, { height: report.blocks, table: "ledger_blocks" });
        let header: BlockHeader;
        try {
          header = JSON.parse(row.header);
        } catch {
          return fail(`block ${height}: stored header is not JSON`, { height, table: "ledger_blocks" });
        }
        if (canonicalize(header) !== row.header) fail(`block ${height}: stored header is not canonical`, { height, table: "ledger_blocks" });
        if (hashHeader(suite.hasher, header) !== row.hash) fail(`block ${height}: header does not hash to ${row.hash}`, { height, table: "ledger_blocks" });
        const differs = headerColumnMismatch(header, row);
        if (differs) fail(`block ${height}: column ${differs.column} (${String(differs.value)}) differs from its header (${String(header[differs.column])})`, { height, table: "ledger_blocks" });
        if (report.chain === null) report.chain = header.chain;
        if (header.chain !== report.chain) fail(`block ${height}: chain ${header.chain}, expected ${report.chain}`, { height });
        if (header.prev !== prev) fail(`block ${height}: previous hash ${header.prev} does not link to block ${height - 1} (${prev})`, { height });
        const historyRoot = Buffer.from(history.root()).toString("hex");
        if (header.historyRoot !== historyRoot) fail(`block ${height}: history root differs from the chain of blocks before it`, { height });
        if (header.firstSeq !== nextSeq) fail(`block ${height}: first seq ${header.firstSeq}, expected ${nextSeq}`, { height });
        if (b.txs.length !== header.txCount) fail(`block ${height}: ${b.txs.length} transactions stored, header says ${header.txCount}`, { height, table: "ledger_txs" });

        // Each stored transaction: its id from its bytes, its place in its signed batch.
        const textByHash = new Map<string, string>();
        b.txs.forEach((t, i) => {
          if (t.idx !== i || t.seq !== header.firstSeq + i) fail(`transaction #${t.seq}: position ${t.idx} out of order`, { height, seq: t.seq, table: "ledger_txs" });
          textByHash.set(t.hash, t.body);
        });
        const batches = b.batches.map((batch) => ({ ...batch, texts: batch.txHashes.map((h) => textByHash.get(h) ?? null) }));

        // Re-execute the block exactly as the proposer did.
        const result = await executor.execute(
          { chain: header.chain, height, prev: header.prev, time: header.time, firstSeq: header.firstSeq, historyRoot: header.historyRoot, proposer: header.proposer, order: header.order, batches },
          state,
        );
        for (const r of result.rejected) {
          const t = b.txs.find((x) => x.hash === r.hash);
          fail(`transaction #${t?.seq ?? "?"} (${r.hash.slice(0, 16)}…) in block ${height} fails on replay: ${r.error.message}`, { height, seq: t?.seq, tx: r.hash, table: "ledger_txs" });
        }
        if (result.accepted.length !== b.txs.length) fail(`block ${height}: replay accepts ${result.accepted.length} of ${b.txs.length} transactions (a stored transaction is not covered by a batch)`, { height, table: "ledger_batches" });
        result.accepted.forEach((a, i) => {
          const t = b.txs[i];
          if (a.hash !== t.hash) fail(`block ${height}: transaction #${t.seq} out of batch order`, { height, seq: t.seq, table: "ledger_txs" });
          // Compared inline (no per-transaction list of columns); the list is built only to name a mismatch.
          const body = a.body;
          if (t.batchIdx === a.batchIdx && t.type === body.type && t.dept === body.dept && t.actor === body.actor && t.nonce === body.nonce && t.ts === body.ts) return;
          const cols: [string, unknown, unknown][] = [
            ["batch_idx", t.batchIdx, a.batchIdx],
            ["type", t.type, body.type],
            ["dept", t.dept, body.dept],
            ["actor", t.actor, body.actor],
            ["nonce", t.nonce, body.nonce],
            ["ts", t.ts, body.ts],
          ];
          for (const [c, got, want] of cols) if (got !== want) fail(`transaction #${t.seq}: column ${c} is ${String(got)}, its signed body says ${String(want)}`, { height, seq: t.seq, tx: t.hash, table: "ledger_txs" });
        });
        if (result.hash !== row.hash) {
          const what = result.header.txRoot !== header.txRoot ? "transaction root" : result.header.writesRoot !== header.writesRoot ? "state writes root" : "header";
          fail(`block ${height}: replay gives a different ${what}`, { height });
        }

        const checkSignatures = () => {
        // Node signatures, against node keys as the ledger held them before the block (genesis: as it registers them).
        const config = state.value("config", "ledger") as { quorum: number } | undefined;
        let valid = 0;
        for (const s of b.signatures) {
          const nodeRec = state.value("node", s.signer) as { publicKey: string } | undefined;
          if (!nodeRec) fail(`block ${height}: signature by unknown node ${s.signer}`, { height, table: "ledger_block_signatures" });
          if (!verifyBlockSignature(suite.signatures, nodeRec!.publicKey, row.hash, s)) fail(`block ${height}: signature of node ${s.signer} is invalid`, { height, table: "ledger_block_signatures" });
          valid++;
        }
        if (valid === 0) fail(`block ${height}: no node signature`, { height, table: "ledger_block_signatures" });
        // Multi-node: the newest blocks may still be collecting their peers' signatures.
        if (valid < (config?.quorum ?? 1)) report.notFinal.push(height);

        };
        if (height > 0) checkSignatures();
        // Apply the replayed effects.
        for (const a of result.accepted) state.nonces.add(nonceId(a.body));
        for (const t of result.touches) {
          const id = stateId(t.ns, t.key);
          const e = state.keys.get(id);
          if (e) {
            (e.later ??= []).push(t.seq);
            e.seq = t.seq;
          } else state.keys.set(id, { ns: t.ns, key: t.key, live: false, value: null, seq: t.seq, first: t.seq, later: null, stored: false, traced: false });
        }
        // Every written key was touched in this block, so its entry exists.
        for (const w of result.writes) {
          const e = state.keys.get(stateId(w.ns, w.key))!;
          if (w.value === null) {
            if (e.live) state.live--;
            e.live = false;
            e.value = null;
          } else {
            if (!e.live) state.live++;
            e.live = true;
            e.value = w.json ?? JSON.parse(w.value);
          }
        }
        if (height === 0) checkSignatures();
        history.appendLeafHash(fromHex(row.hash));
        prev = row.hash;
        nextSeq += header.txCount;
        report.blocks++;
        report.txs += header.txCount;
        report.headHash = row.hash;
        opts.onProgress?.(height, report.txs);
      }
      if (last) break;
    }

    // Transactions outside any block (an inserted row) are caught here.
    const stray = await store.txRange(nextSeq, 1);
    if (stray.length) fail(`transaction #${stray[0].seq} is stored beyond the last block`, { seq: stray[0].seq, table: "ledger_txs" });

    // The projection: every row must equal the replay, and nothing else may be there. Rows come in the
    // table's key order and are matched by key (a duplicate is caught even if the primary key was dropped).
    let i = 0;
    for await (const r of records ?? store.allRecords()) {
      const e = state.keys.get(stateId(r.ns, r.key));
      if (!e || !e.live) return fail(`state_records row (${r.ns}, ${r.key}) exists but no transaction wrote it`, { table: "state_records", ns: r.ns, key: r.key });
      if (e.stored) fail(`state_records row (${r.ns}, ${r.key}) is stored twice`, { table: "state_records", ns: r.ns, key: r.key });
      if (!jsonEqual(JSON.parse(r.value as unknown as string), e.value)) fail(`state_records row (${r.ns}, ${r.key}) differs from the ledger (last written by transaction #${e!.seq})`, { table: "state_records", ns: r.ns, key: r.key, seq: e!.seq });
      if (r.seq !== e!.seq) fail(`state_records row (${r.ns}, ${r.key}) says last writer #${r.seq}, the ledger says #${e!.seq}`, { table: "state_records", ns: r.ns, key: r.key, seq: e!.seq });
      e.stored = true;
      i++;
    }
    if (i < state.live) {
      // Name the first missing row in code-point order, whatever the table's collation.
      const missing = [...state.keys.values()].filter((e) => e.live && !e.stored).sort((a, b) => cmp(a.ns, b.ns) || cmp(a.key, b.key))[0];
      fail(`state_records row (${missing.ns}, ${missing.key}) is missing (last written by transaction #${missing.seq})`, { table: "state_records", ns: missing.ns, key: missing.key, seq: missing.seq });
    }
    report.records = i;

    // Record history must be exactly what the transactions wrote. Rows come key by key, oldest first,
    // each key's run matched against the seqs the replay gave it.
    let j = 0;
    let run: KeyEntry | undefined;
    let runNs: string | null = null;
    let runKey = "";
    let k = 0;
    let traced = 0;
    const endRun = () => {
      if (run && k < touchCount(run)) fail(`ledger_touches row (#${nthTouch(run, k)}, ${run.ns}, ${run.key}) is missing`, { table: "ledger_touches", seq: nthTouch(run, k), ns: run.ns, key: run.key });
    };
    for await (const t of touches ?? store.allTouches()) {
      if (t.ns !== runNs || t.key !== runKey) {
        endRun();
        // A key's rows come together; one seen again later (a duplicated row) matches nothing.
        const e = state.keys.get(stateId(t.ns, t.key));
        run = e && !e.traced ? e : undefined;
        if (run) {
          run.traced = true;
          traced++;
        }
        runNs = t.ns;
        runKey = t.key;
        k = 0;
      }
      if (!run || k >= touchCount(run) || nthTouch(run, k) !== t.seq) {
        const want = run && k < touchCount(run) ? nthTouch(run, k) : undefined;
        fail(`ledger_touches row (#${t.seq}, ${t.ns}, ${t.key}) does not match the replay${want !== undefined ? ` (expected #${want}, ${t.ns}, ${t.key})` : ""}`, { table: "ledger_touches", seq: t.seq, ns: t.ns, key: t.key });
      }
      k++;
      j++;
    }
    endRun();
    if (traced < state.keys.size) {
      // Name the missing row of the oldest transaction, as a seq-ordered comparison would.
      let first: { ns: string; key: string; seq: number } | null = null;
      for (const e of state.keys.values()) {
        if (e.traced) continue;
        const c = { ns: e.ns, key: e.key, seq: e.first };
        if (!first || c.seq < first.seq || (c.seq === first.seq && (cmp(c.ns, first.ns) || cmp(c.key, first.key)) < 0)) first = c;
      }
      fail(`ledger_touches row (#${first!.seq}, ${first!.ns}, ${first!.key}) is missing`, { table: "ledger_touches", seq: first!.seq, ns: first!.ns, key: first!.key });
    }
    report.touches = j;
  } catch (e) {
    if (!(e instanceof LedgerIntegrityError)) throw e;
    report.ok = false;
    report.error = { message: e.message, at: e.at };
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}

const touchCount = (e: KeyEntry) => 1 + (e.later?.length ?? 0);
const nthTouch = (e: KeyEntry, k: number) => (k === 0 ? e.first : e.later![k - 1]);

/** Transactions per page of blocks read by verify. */
const PAGE_TXS = 8_000;

/** Starts an async generator now (its first read goes out) and hands it on as an iterable. */
function prefetched<T>(gen: AsyncGenerator<T>): AsyncIterable<T> {
  const first = gen.next();
  first.catch(() => undefined); // consumed below, or abandoned when the replay fails first
  return {
    async *[Symbol.asyncIterator]() {
      for (let r = await first; !r.done; r = await gen.next()) yield r.value;
    },
  };
}

/** Code-point order, the order of PostgreSQL's COLLATE "C" on UTF-8 (JS `<` compares UTF-16 units). */
export function cmp(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys && (xs ? y : x) >= 0xe000) return xs ? 1 : -1; // a surrogate pair is above any BMP char
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
