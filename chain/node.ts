/**
 * A ledger node. By default it is its own orderer (one node, in process); given an `orderer`, it
 * hands each cut to a shared order instead (NATS JetStream, see ordering/) and builds blocks only
 * from what comes back through `applyOrdered`, exactly as every other node does.
 *
 * With its in-process orderer: Submitted transactions wait in per-signer queues; when
 * the committer is free (or a block's worth is waiting) the orderer cuts a block: one batch
 * signature per department key, one block signature, one database transaction. Callers are answered
 * only after the block is durably committed.
 */
import { signerProof } from "./signers.js";
import { randomBytes } from "node:crypto";
import { fromHex, toHex } from "./bytes.js";
import { signBlockHash, ZERO_HASH, type BlockHeader, type BlockSignature } from "./block.js";
import type { Json } from "./encoding.js";
import { admitEnvelope } from "./admission.js";
import { BlockExecutor, nonceId, stateId, type BlockPlan, type BlockResult, type DryRun, type OrderedBatch, type StateSource } from "./engine.js";
import { defaultRegistry, type ContractRegistry } from "./contracts/index.js";
import { TxRejectedError, type ContractContext } from "./contracts/types.js";
import { MerkleTree } from "./merkle.js";
import { nodeSuite } from "./node-crypto.js";
import { buildConsistencyProof, buildInclusionProof } from "./proof/build.js";
import { buildReceipt, type Receipt } from "./receipt.js";
import type { CryptoSuite } from "./signature.js";
import { LedgerStore } from "./store/ledger-store.js";
import type { Database } from "./store/db.js";
import { encodeTx, signBatch, type EncodedTx, type TxBody } from "./tx.js";

/**
 * 96-bit nonces that rise with time: 48 bits of the millisecond clock, then a 48-bit counter that
 * starts at a random point in each process. Unique within the process by the counter; another process
 * (a restart, another node acting for the same user) would have to hit the same millisecond and the
 * same counter value. Rising nonces append at the right edge of each actor's range in the nonce
 * index, where random ones landed on a random page (measured: ~3 us less PostgreSQL time per
 * committed transaction); and no randomness is drawn per transaction.
 */
let nonceCounter = randomBytes(6).readUIntBE(0, 6);
function freshNonce(): string {
  nonceCounter = (nonceCounter + 1) % 2 ** 48;
  return Date.now().toString(16).padStart(12, "0") + nonceCounter.toString(16).padStart(12, "0");
}

export interface Committed {
  hash: string;
  seq: number;
  height: number;
  blockHash: string;
}

export interface LedgerNodeOptions {
  db: Database;
  chain: string;
  /** This node's id (as in genesis) and its block-signing key. */
  node: { id: string; secretKey: string };
  /** Secret keys of the department keys this node signs for, by key id. */
  keystore: Map<string, string>;
  suite?: CryptoSuite;
  contracts?: ContractRegistry;
  /** Cut a block once this many transactions wait. */
  maxBlockTx?: number;
  /** Wait this long for more transactions before cutting a block that is not full. */
  lingerMs?: number;
  /** A block not full still goes out at most this long after its first transaction arrived. */
  maxBlockMs?: number;
  /** Multi-node: where cuts go to be ordered; blocks are then built in `applyOrdered`. */
  orderer?: Orderer;
  /** Multi-node: false while this node must not sign (its stored history disagrees with its peers'). */
  maySign?: () => boolean;
  /** Per-block timings on stderr (the server's CITYLEDGER_TRACE). */
  trace?: boolean;
}

/** The shared order (multi-node): takes a cut's signed batches; they return through `applyOrdered`. */
export interface Orderer {
  publish(batches: OrderedBatch[]): Promise<void>;
}

/** One message of the shared order: exactly one block (or none, if every transaction is refused). */
export interface OrderedMessage {
  /** Stream sequence number. */
  order: number;
  /** Time the ordering service stored the message (ms): the block's time, the same on every node. */
  time: number;
  /** Node that published it. */
  proposer: string;
  batches: OrderedBatch[];
  /**
   * Catch-up: the hash a quorum of nodes signed for this block. A block built to any other hash is
   * not written (the ledger stops with an error instead).
   */
  expectHash?: string;
  /**
   * The message may make no block (every transaction refused, as on every node): expectHash then
   * belongs to the next block. True for messages read from the order, where the quorum's hash is
   * known by height, not by message; false for a block a peer serves, which must be that block.
   */
  mayMakeNoBlock?: boolean;
}

/** Fields a caller supplies; the node fills chain, nonce and timestamp when absent. */
export type TxInput = Omit<TxBody, "chain" | "nonce" | "ts" | "v"> & Partial<Pick<TxBody, "nonce" | "ts" | "v">>;

interface Tip {
  height: number;
  hash: string;
  nextSeq: number;
  time: number;
}

/** Effects of a block built but not yet written. */
interface Overlay {
  writes: Map<string, Json | null>;
  nonces: Set<string>;
}

interface Pending {
  tx: EncodedTx;
  /** Payload as parsed by its contract's schema at encode time. */
  payload?: unknown;
  /** The nonce was drawn here (96 random bits), not supplied by the caller. */
  freshNonce?: boolean;
  signer: string;
  resolve: (c: Committed) => void;
  reject: (e: Error) => void;
}

export class LedgerNode {
  readonly store: LedgerStore;
  readonly suite: CryptoSuite;
  readonly contracts: ContractRegistry;
  private readonly executor: BlockExecutor;
  private history: MerkleTree;
  /** Last block written to the database. */
  private head: Tip | null = null;
  /** Ordering sequence of the last written block / of the last message built (multi-node). */
  private headOrderSeq = 0;
  private tipOrder = 0;
  /** Last block built (may still be being written). */
  private tip: Tip | null = null;
  private overlays: Overlay[] = [];
  private appending: Promise<void>[] = [];
  private failed = false;
  /** Failed block writes so far: a block built across one is dropped (it links to a block that never committed). */
  private writeFailures = 0;
  private queue: Pending[] = [];
  private preSigned: { batch: OrderedBatch; waiters: Pending[] }[] = [];
  private building = false;
  /** Multi-node: ordered messages being built (drain waits for them too). */
  private applying = 0;
  private timerFired = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private firstWaitingAt = 0;
  private closed = false;
  /** close() has begun: a failed write's recovery stops retrying. */
  private closing = false;
  private readonly listeners = new Set<(b: BlockResult, signatures: BlockSignature[]) => void>();
  private readonly writeErrorListeners = new Set<(e: Error) => void>();
  /** Multi-node: transactions published to the order, by hash, until their block is built. */
  private readonly awaiting = new Map<string, Pending>();
  /** Multi-node: this node's own published batches (by signature), already parsed. */
  private readonly localDecoded = new Map<string, NonNullable<OrderedBatch["decoded"]>>();
  readonly maxBlockTx: number;
  readonly lingerMs: number;
  readonly maxBlockMs: number;

  private constructor(readonly opts: LedgerNodeOptions) {
    this.suite = opts.suite ?? nodeSuite;
    this.contracts = opts.contracts ?? defaultRegistry;
    this.executor = new BlockExecutor(this.suite, this.contracts, true, !!opts.trace);
    this.store = new LedgerStore(opts.db);
    this.history = new MerkleTree(this.suite.hasher);
    this.maxBlockTx = opts.maxBlockTx ?? 1000;
    this.lingerMs = opts.lingerMs ?? 2;
    this.maxBlockMs = opts.maxBlockMs ?? 200;
  }

  static async open(opts: LedgerNodeOptions): Promise<LedgerNode> {
    const node = new LedgerNode(opts);
    const hashes = await node.store.blockHashes();
    for (const h of hashes) node.history.appendLeafHash(fromHex(h));
    const head = await node.store.head();
    if (head) node.head = { height: head.height, hash: head.hash, nextSeq: head.header.firstSeq + head.header.txCount, time: head.header.time };
    node.tip = node.head ? { ...node.head } : null;
    node.headOrderSeq = node.tipOrder = head?.header.order ?? 0;
    return node;
  }

  get chain(): string {
    return this.opts.chain;
  }

  get height(): number {
    return this.head?.height ?? -1;
  }

  get lastBlockTime(): number | null {
    return this.head?.time ?? null;
  }

  get txCount(): number {
    return this.head?.nextSeq ?? 0;
  }

  /** Called after every committed block (for live views and projections that follow the ledger). */
  onBlock(fn: (b: BlockResult, signatures: BlockSignature[]) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Called when a built block fails to be written (the node then reloads its tip from the database). */
  onWriteError(fn: (e: Error) => void): () => void {
    this.writeErrorListeners.add(fn);
    return () => this.writeErrorListeners.delete(fn);
  }

  /** Head of the stored chain, with the ordering sequence its block came from (multi-node). */
  get headOrder(): number {
    return this.headOrderSeq;
  }

  /** Height of the last block built (it may still be being written); -1 before genesis. */
  get builtHeight(): number {
    return this.tip?.height ?? -1;
  }

  /** Ordering sequence of the last message built into the tip (multi-node). */
  get orderedThrough(): number {
    return this.tipOrder;
  }

  /** Hash of block `height` as this node built or loaded it (tip included), or null beyond the tip. */
  blockHash(height: number): string | null {
    return height >= 0 && height < this.history.size ? toHex(this.history.leafHash(height)) : null;
  }

  /** Transactions published to the shared order and not yet back in a block. */
  get awaitingCount(): number {
    return this.awaiting.size;
  }

  /** Completes and encodes a transaction; throws TxRejectedError for an envelope that can never pass. */
  encode(input: TxInput): EncodedTx {
    return this.encodeParsed(input).tx;
  }

  private encodeParsed(input: TxInput): { tx: EncodedTx; payload?: unknown; freshNonce: boolean } {
    // Object.assign, not `{ ...input, chain, ... }`: on this V8 (Node 20) adding keys after a spread
    // takes a slow path, measured at 6-8 µs per transaction. An own "__proto__" key (JSON input)
    // would become a prototype under assign, so it is refused as the strict schema would have.
    if (Object.hasOwn(input, "__proto__")) throw new TxRejectedError('transaction: Unrecognized key: "__proto__"', "malformed");
    const body = Object.assign({}, input, {
      chain: this.chain,
      v: input.v ?? 1,
      nonce: input.nonce ?? freshNonce(),
      ts: input.ts ?? Date.now(),
    });
    const admitted = admitEnvelope(this.contracts, body);
    if (admitted instanceof TxRejectedError) throw admitted;
    return { tx: encodeTx(this.suite.hasher, admitted.body), payload: admitted.payload, freshNonce: input.nonce === undefined };
  }

  /**
   * Judges a transaction as submitting it now would, writing nothing: every check of `submit` and of
   * the block (on state as of the tip) but the batch signature; `judge`, when given, runs in place
   * of the contract over the same context (registry.import's preview collects every row's faults).
   */
  async dryRun<T = void>(input: TxInput, signer: string, judge?: (ctx: ContractContext, payload: unknown) => T): Promise<DryRun<T>> {
    if (!this.opts.keystore.has(signer)) return { ok: false, error: new TxRejectedError(`this node holds no key ${signer}`, "unknown_signer") };
    let enc: ReturnType<LedgerNode["encodeParsed"]>;
    try {
      enc = this.encodeParsed(input);
    } catch (e) {
      if (e instanceof TxRejectedError) return { ok: false, error: e };
      throw e;
    }
    const tip = this.tip;
    const at = { height: (tip?.height ?? -1) + 1, seq: tip?.nextSeq ?? 0, time: Math.max(Date.now(), tip?.time ?? 0) };
    const tx = { body: enc.tx.body, payload: enc.payload, hash: enc.tx.hash, freshNonce: enc.freshNonce };
    return this.executor.dryRun(tx, signer, this.overlaySource, at, judge);
  }

  /** Submits a transaction signed (in a batch) by key `signer` of this node's keystore. Resolves once committed. */
  submit(input: TxInput, signer: string): Promise<Committed> {
    if (this.closed) return Promise.reject(new Error("ledger node is closed"));
    if (!this.opts.keystore.has(signer)) return Promise.reject(new TxRejectedError(`this node holds no key ${signer}`, "unknown_signer"));
    let enc: ReturnType<LedgerNode["encodeParsed"]>;
    try {
      enc = this.encodeParsed(input);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ tx: enc.tx, payload: enc.payload, freshNonce: enc.freshNonce, signer, resolve, reject });
      this.schedule();
    });
  }

  /** Submits many transactions at once (same promise semantics as submit, per transaction). */
  submitMany(inputs: TxInput[], signer: string): Promise<Committed>[] {
    return inputs.map((i) => this.submit(i, signer));
  }

  /** Submits a batch signed elsewhere (a terminal or another department's gateway). One result per transaction. */
  submitSignedBatch(batch: OrderedBatch): Promise<PromiseSettledResult<Committed>[]> {
    const waiters: Pending[] = [];
    const promises = batch.txHashes.map(
      (hash, i) =>
        new Promise<Committed>((resolve, reject) => {
          waiters.push({ tx: { hash, text: batch.texts[i] ?? "", body: undefined as never }, signer: batch.signer, resolve, reject });
        }),
    );
    this.preSigned.push({ batch, waiters });
    this.schedule();
    return Promise.allSettled(promises);
  }

  private waitingCount(): number {
    let n = this.queue.length;
    for (const p of this.preSigned) n += p.batch.txHashes.length;
    return n;
  }

  private schedule(): void {
    // After a failed write, nothing is built until the tip is reloaded: a block built on the stale
    // tip would link to a block that never committed.
    if (this.building || this.closed || this.failed) return;
    const waiting = this.waitingCount();
    if (waiting === 0) return;
    // At most two blocks being written (side by side on PostgreSQL) while the next one executes.
    if (this.appending.length >= 2) return;
    if (this.firstWaitingAt === 0) this.firstWaitingAt = Date.now();
    const idle = this.appending.length === 0;
    if (waiting >= this.maxBlockTx || Date.now() - this.firstWaitingAt >= this.maxBlockMs || (idle && this.timerFired)) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.timerFired = false;
      void this.cutAndBuild();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.timerFired = true;
        this.schedule();
      }, this.lingerMs);
    }
  }

  /**
   * The orderer's cut: takes up to maxBlockTx waiting transactions, signs one batch per key and
   * executes the block on top of the blocks still being written (pipelining: while block N is
   * written to the database, block N+1 executes). Blocks are written strictly in order.
   */
  private async cutAndBuild(): Promise<void> {
    this.building = true;
    this.firstWaitingAt = 0;
    const waiters: Pending[] = [];
    const batches: OrderedBatch[] = [];
    try {
      let room = this.maxBlockTx;
      while (this.preSigned.length && (room > 0 || batches.length === 0)) {
        const p = this.preSigned.shift()!;
        batches.push(p.batch);
        waiters.push(...p.waiters);
        room -= p.batch.txHashes.length;
      }
      const take = this.queue.splice(0, Math.max(0, room));
      const bySigner = new Map<string, Pending[]>();
      for (const p of take) {
        let list = bySigner.get(p.signer);
        if (!list) bySigner.set(p.signer, (list = []));
        list.push(p);
      }
      for (const [signer, list] of bySigner) {
        const hashes = list.map((p) => p.tx.hash);
        const b = signBatch(this.suite.hasher, this.suite.signatures, this.chain, signer, this.opts.keystore.get(signer)!, hashes);
        batches.push({ ...b, texts: list.map((p) => p.tx.text), decoded: list.map((p) => ({ body: p.tx.body, payload: p.payload, freshNonce: p.freshNonce })) });
        waiters.push(...list);
      }
      if (batches.length && this.opts.orderer) await this.publishCut(batches, waiters);
      else if (batches.length) await this.buildBlock(batches, waiters);
    } catch (e) {
      for (const w of waiters) w.reject(e as Error);
    } finally {
      this.building = false;
      this.schedule();
    }
  }

  /** Multi-node: hands the cut to the shared order; its callers wait for the block built from it. */
  private async publishCut(batches: OrderedBatch[], waiters: Pending[]): Promise<void> {
    for (const w of waiters) this.awaiting.set(w.tx.hash, w);
    for (const b of batches) if (b.decoded) this.localDecoded.set(b.signature, b.decoded);
    try {
      await this.opts.orderer!.publish(batches.map(({ decoded: _, ...b }) => b));
    } catch (e) {
      for (const b of batches) this.localDecoded.delete(b.signature);
      for (const w of waiters) {
        this.awaiting.delete(w.tx.hash);
        w.reject(new Error(`ordering service did not take the transaction: ${(e as Error).message}`));
      }
    }
  }

  /**
   * Multi-node: builds the block of one message of the shared order, on top of the blocks before
   * it. Messages must come in order, each once; a message whose transactions are all refused makes
   * no block (on every node alike). Resolves once the block is built; it is written behind.
   */
  async applyOrdered(m: OrderedMessage): Promise<BlockResult | null> {
    this.applying++;
    try {
      return await this.applyOrderedNow(m);
    } finally {
      this.applying--;
    }
  }

  private async applyOrderedNow(m: OrderedMessage): Promise<BlockResult | null> {
    while (this.appending.length >= 2) await Promise.race(this.appending).catch(() => undefined);
    const waiters: Pending[] = [];
    const batches = m.batches.map((b) => {
      const decoded = this.localDecoded.get(b.signature);
      if (!decoded) return b;
      this.localDecoded.delete(b.signature);
      return { ...b, decoded };
    });
    for (const b of batches) {
      for (const h of b.txHashes) {
        const w = this.awaiting.get(h);
        if (w) {
          waiters.push(w);
          this.awaiting.delete(h);
        }
      }
    }
    return this.buildBlock(batches, waiters, m);
  }

  private async buildBlock(batches: OrderedBatch[], waiters: Pending[], ordered?: OrderedMessage): Promise<BlockResult | null> {
    const tip = this.tip;
    const height = (tip?.height ?? -1) + 1;
    const plan: BlockPlan = {
      chain: this.chain,
      height,
      prev: tip?.hash ?? ZERO_HASH,
      // Block time never runs backwards, whatever the clock does; multi-node: the order's time.
      time: Math.max(ordered?.time ?? Date.now(), tip?.time ?? 0),
      firstSeq: tip?.nextSeq ?? 0,
      historyRoot: toHex(this.history.root()),
      proposer: ordered?.proposer ?? this.opts.node.id,
      ...(ordered ? { order: ordered.order } : {}),
      batches,
    };
    const failures = this.writeFailures;
    const dropIfStale = () => {
      if (this.failed || this.writeFailures !== failures) throw new Error(`block ${height} is dropped: a block before it could not be written`);
    };
    dropIfStale();
    const t0 = performance.now();
    const result = await this.executor.execute(plan, this.overlaySource);
    // An earlier block's write may have failed while this one executed: then its tip never committed.
    dropIfStale();
    const byHash = new Map(waiters.map((w) => [w.tx.hash, w]));
    for (const r of result.rejected) byHash.get(r.hash)?.reject(r.error);
    if (ordered?.expectHash && (result.accepted.length === 0 ? !ordered.mayMakeNoBlock : result.hash !== ordered.expectHash)) {
      const why = result.rejected[0] ? ` (first refusal: ${result.rejected[0].error.message})` : "";
      throw new Error(`block ${height} rebuilt from order #${ordered.order} hashes to ${result.accepted.length ? result.hash : "(no block)"}, but a quorum signed ${ordered.expectHash}${why}`);
    }
    if (ordered) this.tipOrder = ordered.order;
    if (result.accepted.length === 0) return null;
    const sigs = this.opts.maySign?.() === false ? [] : [signBlockHash(this.suite.signatures, this.opts.node.id, this.opts.node.secretKey, result.hash)];
    const t1 = performance.now();

    // Speculative tip: the next block builds on this one before it is written.
    const overlay: Overlay = { writes: new Map(), nonces: new Set() };
    for (const w of result.writes) overlay.writes.set(stateId(w.ns, w.key), w.value === null ? null : (w.json ?? JSON.parse(w.value)));
    for (const a of result.accepted) overlay.nonces.add(nonceId(a.body));
    this.overlays.push(overlay);
    this.history.appendLeafHash(fromHex(result.hash));
    // The write below keeps only what it needs: capturing `plan` or `ordered` would hold every batch's
    // texts and parsed bodies until the block is on disk (more to copy at each young-generation GC).
    const built: Tip = { height, hash: result.hash, nextSeq: plan.firstSeq + result.accepted.length, time: plan.time };
    const order = ordered?.order;
    this.tip = { ...built };

    // On PostgreSQL a block is written while the one before it is still being written (it commits
    // after it), unless the two write a common record; PGlite is one connection: one at a time.
    const previous = this.appending[this.appending.length - 1];
    const sideBySide = previous !== undefined && this.store.db.kind === "postgres" && !this.writesInFlight(overlay);
    const write = (
      sideBySide
        ? this.store.appendBlockAfter(result, sigs, previous)
        : (previous ?? Promise.resolve()).then(() => this.store.appendBlock(result, sigs))
    )
      .then(() => {
        if (this.opts.trace) console.error(`block ${height}: ${result.accepted.length} tx, execute ${(t1 - t0).toFixed(1)} ms, written after ${(performance.now() - t1).toFixed(1)} ms`);
        this.head = this.tip && this.tip.height === height ? { ...this.tip } : built;
        this.overlays.splice(this.overlays.indexOf(overlay), 1);
        if (order !== undefined) this.headOrderSeq = order;
        for (const a of result.accepted) byHash.get(a.hash)?.resolve({ hash: a.hash, seq: a.seq, height, blockHash: result.hash });
        for (const fn of this.listeners) {
          try {
            fn(result, sigs);
          } catch {
            // a listener's failure must not affect the ledger
          }
        }
      });
    this.appending.push(write);
    write
      .catch(async (e: Error) => {
        // The block (and any built on it) did not commit: fail their callers and rebuild the tip from the database.
        for (const a of result.accepted) byHash.get(a.hash)?.reject(e);
        this.failed = true;
        this.writeFailures++;
        for (const fn of this.writeErrorListeners) fn(e);
      })
      .finally(async () => {
        this.appending.splice(this.appending.indexOf(write), 1);
        if (this.failed && this.appending.length === 0) await this.recover();
        this.schedule();
      });
    return result;
  }

  /** Whether another block not yet committed writes a record that `overlay` (a block's writes) does. */
  private writesInFlight(overlay: Overlay): boolean {
    for (const other of this.overlays) {
      if (other === overlay) continue;
      for (const id of overlay.writes.keys()) if (other.writes.has(id)) return true;
    }
    return false;
  }

  /**
   * Reloads the tip after a failed write, retrying while the database is unreachable. Closing the
   * node ends the retries; what still waits to be built is then refused.
   */
  private async recover(): Promise<void> {
    while (!this.closing) {
      try {
        await this.resetFromStore();
        this.failed = false;
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    const error = new Error("ledger node closed while its database was unreachable");
    for (const p of this.queue.splice(0)) p.reject(error);
    for (const b of this.preSigned.splice(0)) for (const w of b.waiters) w.reject(error);
  }

  /** After a failed write: forget speculative blocks and reload head and history from the database. */
  private async resetFromStore(): Promise<void> {
    this.overlays.length = 0;
    const hashes = await this.store.blockHashes();
    const fresh = new MerkleTree(this.suite.hasher);
    for (const h of hashes) fresh.appendLeafHash(fromHex(h));
    this.history = fresh;
    const head = await this.store.head();
    this.head = head ? { height: head.height, hash: head.hash, nextSeq: head.header.firstSeq + head.header.txCount, time: head.header.time } : null;
    this.tip = this.head ? { ...this.head } : null;
    this.headOrderSeq = this.tipOrder = head?.header.order ?? 0;
  }

  /** State as of the tip: the database under the writes of blocks not yet written. */
  private readonly overlaySource: StateSource = {
    load: async (keys) => {
      const layers = [...this.overlays]; // captured before the read: a block finishing meanwhile is still covered
      const out = await this.store.load(keys);
      for (const layer of layers) for (const [id, v] of layer.writes) if (out.has(id)) out.set(id, v);
      return out;
    },
    usedNonces: async (ids) => {
      const layers = [...this.overlays];
      const used = await this.store.usedNonces(ids);
      for (const layer of layers) for (const id of ids) if (layer.nonces.has(id)) used.add(id);
      return used;
    },
  };

  /** Waits until nothing is queued, executing or being written. */
  async drain(): Promise<void> {
    while (this.building || this.applying || this.appending.length || (this.failed && !this.closing) || this.waitingCount() > 0 || this.timer) await new Promise((r) => setTimeout(r, 1));
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.drain();
    this.closed = true;
  }

  // --- Proofs ------------------------------------------------------------------------------

  /** Receipt for a committed transaction: verifies offline with public keys alone. */
  async receipt(txHash: string): Promise<Receipt | null> {
    const tx = await this.store.txByHash(txHash);
    if (!tx) return null;
    // Only the block's ids are needed for the proof, not its texts; the records a receipt names come in the same round.
    const [block, ids, batches, nodes, config] = await Promise.all([
      this.store.block(tx.height),
      this.store.txHashesOfBlock(tx.height),
      this.store.batches(tx.height),
      this.store.records<{ id: string; publicKey: string; region: string }>("node"),
      this.store.record<{ quorum: number }>("config", "ledger"),
    ]);
    const tree = new MerkleTree(this.suite.hasher, ids.map((h) => fromHex(h)));
    const path = buildInclusionProof(tx.idx, ids.length, tree.hashRange).map(toHex);
    const batch = batches[tx.batchIdx];
    const key = await this.store.record<{ id: string; publicKey: string; dept: string }>("key", batch.signer);
    // The header commits to the block's batch signers as they stood at the cut: active (else the batch was refused).
    const signers = await Promise.all(batches.map((b) => this.store.record<{ id: string; publicKey: string; dept: string }>("key", b.signer)));
    const leaves = signers.flatMap((k) => (k ? [{ id: k.value.id, publicKey: k.value.publicKey, dept: k.value.dept, status: "active" }] : []));
    return buildReceipt({
      tx: { hash: tx.hash, seq: tx.seq, text: tx.body },
      batch,
      block: block!,
      proof: { index: tx.idx, size: ids.length, path },
      signerKey: key ? { id: key.value.id, publicKey: key.value.publicKey, dept: key.value.dept } : null,
      signerProof: signerProof(this.suite.hasher, leaves, batch.signer),
      nodes: nodes.map((n) => ({ id: n.value.id, publicKey: n.value.publicKey })),
      quorum: config?.value.quorum ?? 1,
    });
  }

  /** Root of the history tree over the first `size` blocks. */
  historyRoot(size: number): string {
    return toHex(this.history.root(size));
  }

  /** Consistency proof between ledger sizes (in blocks), as in Certificate Transparency. */
  consistencyProof(size1: number, size2: number): { size1: number; size2: number; root1: string; root2: string; path: string[] } {
    if (size2 > this.history.size) throw new RangeError(`size2 ${size2} exceeds ledger size ${this.history.size}`);
    const path = buildConsistencyProof(size1, size2, this.history.hashRange).map(toHex);
    return { size1, size2, root1: this.historyRoot(size1), root2: this.historyRoot(size2), path };
  }

  /** Proof that block `height` is in the history of the first `size` blocks. */
  blockInclusionProof(height: number, size: number): string[] {
    return buildInclusionProof(height, size, this.history.hashRange).map(toHex);
  }
}

export type { BlockHeader, BlockSignature };
