/**
 * Executes one block deterministically: checks batch signatures, decodes and admits transactions,
 * runs their contracts against declared state, and produces the header and the writes to commit.
 * Nodes and the auditor both run this, so a stored block is valid exactly when re-execution
 * reproduces it.
 */
import { signersRoot } from "./signers.js";
import { fromHex } from "./bytes.js";
import { hashHeader, type BlockHeader } from "./block.js";
import { canonicalize, quote, type Json } from "./encoding.js";
import { admitActor, admitBatchSigner, admitTime, decodeTx, replayed, type Admitted } from "./admission.js";
import type { ContractRegistry } from "./contracts/index.js";
import {
  ROLE_RANK,
  TxRejectedError,
  type ContractContext,
  type KeyRecord,
  type StateKey,
  type UserRecord,
} from "./contracts/types.js";
import type { CryptoSuite } from "./signature.js";
import { batchMessage, type Batch, type TxBody } from "./tx.js";

// The auditor's stored-block checker imports decodeTx from here; it is declared in admission.ts.
export { decodeTx };

/**
 * A batch as ordered: its signature and the canonical text of each transaction. When a block is
 * re-executed from storage, transactions the block did not include (rejected when it was built) have
 * no text: they still count for the signature but are skipped.
 */
export interface OrderedBatch extends Batch {
  texts: (string | null)[];
  /**
   * Never serialised: the envelope and payload as already parsed and validated from these exact texts,
   * by the local encoder (LedgerNode.encode, so the proposer does not decode its own transactions twice)
   * or by the auditor's stored-block checker (decodeTx, on another thread). Followers decode the texts.
   */
  decoded?: (Admitted & { freshNonce?: boolean })[];
}

export interface BlockPlan {
  chain: string;
  height: number;
  prev: string;
  time: number;
  firstSeq: number;
  historyRoot: string;
  proposer: string;
  /** Stream sequence of the ordering message (multi-node); absent for the in-process orderer. */
  order?: number;
  batches: OrderedBatch[];
  /**
   * Never serialised; the auditor's only: roots it has computed or will check elsewhere. `txRoot` is
   * used when the block accepts exactly `txIds`, in order (else the root is computed here);
   * `writesRoot`, when given, goes into the header as it is, and the caller must check it against
   * `writes` itself.
   */
  roots?: { txIds: readonly string[]; txRoot: string; writesRoot?: string };
}

export interface AcceptedTx {
  seq: number;
  idx: number;
  batchIdx: number;
  hash: string;
  text: string;
  body: TxBody;
}

export interface StateWrite {
  ns: string;
  key: string;
  /** Canonical JSON of the new value, or null for a delete. */
  value: string | null;
  /** The transaction that wrote it last in the block (its last touch). */
  seq: number;
  /** In-process only: the same value, parsed and frozen (saves parsing `value` back). */
  json?: Json | null;
  /**
   * In-process only: the key was read before the block and had no value, so the store may INSERT it
   * without conflict handling (were that wrong, the insert fails and the whole block with it).
   */
  fresh?: boolean;
}

export interface BlockResult {
  header: BlockHeader;
  hash: string;
  /** Batches that contributed at least one accepted transaction, re-indexed. */
  batches: Batch[];
  accepted: AcceptedTx[];
  rejected: { hash: string; error: TxRejectedError }[];
  /** Final value per written key, sorted by (ns, key). */
  writes: StateWrite[];
  /** (seq, ns, key) for every write of every accepted transaction. */
  touches: { seq: number; ns: string; key: string }[];
}

/** Where the engine gets state before a block; values are parsed JSON, absent keys null. */
export interface StateSource {
  load(keys: StateKey[]): Promise<Map<string, Json | null>>;
  /**
   * Values held in memory, read synchronously: when present, the engine reads state
   * through it as contracts ask instead of prefetching every declared key.
   */
  peek?(ns: string, key: string): Json | null;
  /** Returns the subset of "dept\0actor\0nonce" ids already used on the ledger. */
  usedNonces(ids: string[]): Promise<Set<string>>;
  /** Used nonces held in memory, asked synchronously: when present, the engine asks it instead of usedNonces. */
  nonceUsed?(b: NonceOf): boolean;
}

export const stateId = (ns: string, key: string) => `${ns}\u0000${key}`;
export const nonceId = (b: NonceOf) => `${b.dept}\u0000${b.actor}\u0000${b.nonce}`;

type NonceOf = Pick<TxBody, "dept" | "actor" | "nonce">;

/** One actor's used nonces. */
interface ActorNonces {
  /** Those that came each above every one before it: sorted as they came, so a lookup is a binary search. */
  rising: string[];
  /** Those that came below the greatest so far. */
  others: Set<string> | null;
}

/**
 * Nonces by department, then actor: a lookup hashes the body's own strings, no joined id per
 * transaction. Nonces the portal draws rise with time, so most are appended to a sorted list (no
 * hash table of hundreds of thousands to grow and probe: measured ~1 us a nonce on the auditor's
 * replay), and a nonce above an actor's greatest is new without any lookup.
 */
export class NonceSet {
  private readonly byDept = new Map<string, Map<string, ActorNonces>>();

  has(b: NonceOf): boolean {
    const a = this.byDept.get(b.dept)?.get(b.actor);
    if (a === undefined) return false;
    const { rising } = a;
    const n = b.nonce;
    if (n > rising[rising.length - 1]) return false;
    let lo = 0;
    let hi = rising.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = rising[mid];
      if (m === n) return true;
      if (m < n) lo = mid + 1;
      else hi = mid - 1;
    }
    return a.others !== null && a.others.has(n);
  }

  add(b: NonceOf): void {
    let byActor = this.byDept.get(b.dept);
    if (!byActor) this.byDept.set(b.dept, (byActor = new Map()));
    const a = byActor.get(b.actor);
    if (!a) return void byActor.set(b.actor, { rising: [b.nonce], others: null });
    if (b.nonce > a.rising[a.rising.length - 1]) a.rising.push(b.nonce);
    else (a.others ??= new Set()).add(b.nonce);
  }
}

interface Decoded {
  /** The local encoder drew this nonce at random just now: it cannot be on the ledger already. */
  freshNonce?: boolean;
  batchIdx: number;
  hash: string;
  text: string;
  body?: TxBody;
  payload?: unknown;
  /** State keys the transaction declares (readsOf), computed once. */
  reads?: StateKey[];
  error?: TxRejectedError;
}

export class BlockExecutor {
  constructor(
    private readonly suite: CryptoSuite,
    private readonly contracts: ContractRegistry,
    /** Mark each write `fresh` or not, for a store about to write them; a replay that stores nothing skips the lookups. */
    private readonly markFresh = true,
    /** Prefetch timings on stderr. */
    private readonly trace = false,
  ) {}

  /** Per transaction type, the keys that depend on the type alone (built once, shared by every transaction). */
  private readonly typeReads = new Map<string, readonly StateKey[]>();

  private readsOfType(type: string): readonly StateKey[] {
    let keys = this.typeReads.get(type);
    if (!keys) {
      const list: StateKey[] = [["rule", `authz.${type}`], ["config", "ledger"]];
      for (const r of this.contracts.get(type)?.rules ?? []) list.push(["rule", r]);
      this.typeReads.set(type, (keys = list));
    }
    return keys;
  }

  /** Standard keys every transaction reads, plus the contract's own. */
  private readsOf(d: Decoded, batchSigner: string): StateKey[] {
    const b = d.body!;
    const keys: StateKey[] = [["key", batchSigner], ["dept", b.dept]];
    for (const k of this.readsOfType(b.type)) keys.push(k);
    if (b.actor !== "system") keys.push(["user", b.actor]);
    const c = this.contracts.get(b.type);
    if (c?.reads && d.payload !== undefined) keys.push(...c.reads(b, d.payload));
    return keys;
  }

  async execute(plan: BlockPlan, source: StateSource): Promise<BlockResult> {
    const { hasher } = this.suite;
    const decoded: Decoded[] = [];
    const batchSigners: string[] = [];

    // 1. Decode every transaction; checks that need no state.
    plan.batches.forEach((batch, batchIdx) => {
      batchSigners.push(batch.signer);
      if (batch.texts.length !== batch.txHashes.length || batch.texts.length === 0) {
        for (const h of batch.txHashes) decoded.push({ batchIdx, hash: h, text: "", error: new TxRejectedError("batch is malformed", "malformed") });
        return;
      }
      batch.texts.forEach((text, i) => {
        if (text === null) return;
        const d: Decoded = { batchIdx, hash: batch.txHashes[i], text };
        decoded.push(d);
        // Decoded by the local encoder (proposer) or from these texts by the auditor's checker.
        const local = batch.decoded?.[i] ?? decodeTx(hasher, this.contracts, text, d.hash, plan.chain);
        if (local instanceof TxRejectedError) return void (d.error = local);
        d.body = local.body;
        d.payload = local.payload;
        d.freshNonce = (local as { freshNonce?: boolean }).freshNonce;
        const stale = admitTime(local.body.ts, plan.time);
        if (stale) d.error = stale;
      });
    });

    // 2. Prefetch declared state and used nonces in one round trip each (an in-memory source is read as needed instead).
    const peek = source.peek?.bind(source);
    const wanted = new Map<string, StateKey>();
    const nonceIds: string[] = [];
    const nonceUsed = source.nonceUsed?.bind(source);
    for (const d of decoded) {
      if (d.error) continue;
      d.reads = this.readsOf(d, batchSigners[d.batchIdx]);
      if (!peek) for (const k of d.reads) wanted.set(stateId(k[0], k[1]), k);
      if (!d.freshNonce && !nonceUsed) nonceIds.push(nonceId(d.body!));
    }
    const tLoad = performance.now();
    const [loaded, used] = await Promise.all([peek ? new Map<string, Json | null>() : source.load([...wanted.values()]), source.usedNonces(nonceIds)]);
    if (this.trace) console.error(`  prefetch ${wanted.size} keys, ${nonceIds.length} nonces: ${(performance.now() - tLoad).toFixed(1)} ms`);
    // State before the block: what was prefetched (with the keys genesis registers, below), else the source's own.
    // In memory the source is asked by parts, with no joined id to build (and hash) for each read.
    const before: PreState = peek
      ? (ns, key) => {
          // Only genesis prefetches into `loaded` here (the keys it registers).
          const id = loaded.size > 0 ? stateId(ns, key) : null;
          return id !== null && loaded.has(id) ? loaded.get(id) : peek(ns, key);
        }
      : (ns, key) => loaded.get(stateId(ns, key));

    // 3. Batch signatures, checked against keys as they stand before this block.
    const batchOk = plan.batches.map((batch) => {
      const key = before("key", batch.signer) as unknown as KeyRecord | null | undefined;
      const refused = admitBatchSigner(key, batch.signer);
      if (refused) return refused;
      const ok = this.suite.signatures.verify(key!.publicKey, batchMessage(hasher, plan.chain, batch.signer, batch.txHashes), safeHex(batch.signature));
      return ok ? null : new TxRejectedError("bad batch signature", "bad_signature");
    });
    // Genesis signs with a key it registers itself.
    if (plan.height === 0) {
      plan.batches.forEach((batch, i) => {
        const g = decoded.find((d) => d.batchIdx === i && d.body?.type === "ledger.genesis");
        const key = (g?.payload as { keys?: KeyRecord[] } | undefined)?.keys?.find((k) => k.id === batch.signer);
        if (!key) return;
        const ok = this.suite.signatures.verify(key.publicKey, batchMessage(hasher, plan.chain, batch.signer, batch.txHashes), safeHex(batch.signature));
        batchOk[i] = ok ? null : new TxRejectedError("bad batch signature", "bad_signature");
        for (const k of (g!.payload as { keys: KeyRecord[] }).keys) loaded.set(stateId("key", k.id), { ...k, status: "active" } as never);
      });
    }

    // 4. Apply in order.
    const state = new BlockState(before);
    const accepted: AcceptedTx[] = [];
    const rejected: BlockResult["rejected"] = [];
    const seenNonces = new NonceSet();
    const touches: BlockResult["touches"] = [];
    for (const d of decoded) {
      const err = d.error ?? batchOk[d.batchIdx] ?? null;
      if (err) {
        rejected.push({ hash: d.hash, error: err });
        continue;
      }
      const body = d.body!;
      if (seenNonces.has(body) || (!d.freshNonce && (nonceUsed ? nonceUsed(body) : used.has(nonceId(body))))) {
        rejected.push({ hash: d.hash, error: replayed(body) });
        continue;
      }
      const seq = plan.firstSeq + accepted.length;
      const txState = new TxContext(state, d.reads!, this.contracts.get(body.type)?.writes ?? [], body, d.hash, seq, plan);
      try {
        this.applyOne(txState, d, batchSigners[d.batchIdx]);
      } catch (e) {
        rejected.push({ hash: d.hash, error: asRejection(e) });
        continue;
      }
      seenNonces.add(body);
      for (const [ns, key] of txState.commit()) touches.push({ seq, ns, key });
      accepted.push({ seq, idx: accepted.length, batchIdx: d.batchIdx, hash: d.hash, text: d.text, body });
    }

    // 5. Keep only batches that contributed, renumbered.
    const keptBatch = new Map<number, number>();
    const batches: Batch[] = [];
    for (const a of accepted) {
      if (!keptBatch.has(a.batchIdx)) {
        keptBatch.set(a.batchIdx, batches.length);
        const b = plan.batches[a.batchIdx];
        batches.push({ signer: b.signer, txHashes: b.txHashes, signature: b.signature });
      }
      a.batchIdx = keptBatch.get(a.batchIdx)!;
    }

    // The keys that signed the kept batches, as they stood at the cut (all active: batchOk checked them).
    const signerKeys = batches.map((b) => before("key", b.signer) as unknown as KeyRecord);
    const writes = state.finalWrites(this.markFresh);
    const { roots } = plan;
    const knownTxRoot = roots && roots.txIds.length === accepted.length && accepted.every((a, i) => a.hash === roots.txIds[i]);
    const header: BlockHeader = {
      chain: plan.chain,
      height: plan.height,
      prev: plan.prev,
      time: plan.time,
      txRoot: knownTxRoot ? roots.txRoot : hasher.rootOfLeafHashesHex(accepted.map((a) => a.hash)),
      txCount: accepted.length,
      firstSeq: plan.firstSeq,
      historyRoot: plan.historyRoot,
      writesRoot: roots?.writesRoot ?? writesRoot(hasher, writes),
      proposer: plan.proposer,
      signersRoot: signersRoot(hasher, signerKeys),
      ...(plan.order !== undefined ? { order: plan.order } : {}),
    };
    return { header, hash: hashHeader(hasher, header), batches, accepted, rejected, writes, touches };
  }

  /**
   * One transaction judged as a block at `at` would judge it on `source`, writing nothing: admission
   * (all of it but the batch signature, which a dry run has not got), then the contract, or `judge`
   * in its place over the same context (to collect every fault instead of stopping at the first).
   */
  async dryRun<T = void>(
    tx: Admitted & { hash: string; freshNonce?: boolean },
    signerId: string,
    source: StateSource,
    at: DryRunAt,
    judge?: (ctx: ContractContext, payload: unknown) => T,
  ): Promise<DryRun<T>> {
    const stale = admitTime(tx.body.ts, at.time);
    if (stale) return { ok: false, error: stale };
    const d: Decoded = { batchIdx: 0, hash: tx.hash, text: "", body: tx.body, payload: tx.payload };
    const reads = this.readsOf(d, signerId);
    const id = nonceId(tx.body);
    const [loaded, used] = await Promise.all([source.load(reads), tx.freshNonce ? new Set<string>() : source.usedNonces([id])]);
    const before: PreState = (ns, key) => loaded.get(stateId(ns, key));
    const refused = admitBatchSigner(before("key", signerId) as unknown as KeyRecord | null | undefined, signerId) ?? (used.has(id) ? replayed(tx.body) : null);
    if (refused) return { ok: false, error: refused };
    const state = new BlockState(before);
    const ctx = new TxContext(state, reads, this.contracts.get(tx.body.type)?.writes ?? [], tx.body, tx.hash, at.seq, at);
    try {
      const result = this.applyOne(ctx, d, signerId, judge) as T;
      ctx.commit();
      return { ok: true, result, writes: state.finalWrites(false) };
    } catch (e) {
      return { ok: false, error: asRejection(e) };
    }
  }

  /** Admission's stateful checks of who acts, then the contract (or the dry run's judge in its place). */
  private applyOne<T>(txState: TxContext, d: Decoded, signerId: string, judge?: (ctx: ContractContext, payload: unknown) => T): T | void {
    const contract = this.contracts.get(d.body!.type)!;
    const { signer, user } = admitActor(txState, contract, d.body!, signerId);
    txState.signer = signer;
    txState.user = user;
    return judge ? judge(txState, d.payload) : contract.apply(txState, d.payload);
  }
}

/** Where a dry run is judged: the next block's height, the transaction's seq in it and its order time. */
export interface DryRunAt {
  height: number;
  seq: number;
  time: number;
}

export type DryRun<T> = { ok: true; result: T; writes: StateWrite[] } | { ok: false; error: TxRejectedError };

const asRejection = (e: unknown) => (e instanceof TxRejectedError ? e : new TxRejectedError(String((e as Error)?.message ?? e), "internal"));

/** RFC 6962 root over a block's final writes, each leaf the canonical text [ns, key, value]. */
export function writesRoot(hasher: CryptoSuite["hasher"], writes: readonly Pick<StateWrite, "ns" | "key" | "value">[]): string {
  return hasher.rootOfLeafTextsHex(writes.map((w) => `[${quote(w.ns)},${quote(w.key)},${w.value ?? "null"}]`));
}

function safeHex(h: string): Uint8Array {
  return /^[0-9a-f]{128}$/.test(h) ? fromHex(h) : new Uint8Array(64);
}

/** State before the block, by namespace and key. */
type PreState = (ns: string, key: string) => Json | null | undefined;

/** Block-level state: prefetched values under the block's committed writes. */
interface PendingWrite {
  ns: string;
  key: string;
  value: Json | null;
  /** Canonical text of value, made once when the contract put it. */
  text: string | null;
  /** The transaction that wrote it (set when it commits). */
  seq: number;
}

class BlockState {
  /** By namespace, then key: reads (several per transaction) hash the key itself, no joined id. */
  private readonly writes = new Map<string, Map<string, PendingWrite>>();
  constructor(private readonly before: PreState) {}

  read(ns: string, key: string): Json | null | undefined {
    const w = this.writes.get(ns)?.get(key);
    if (w) return w.value;
    return this.before(ns, key);
  }

  write(w: PendingWrite): void {
    let byKey = this.writes.get(w.ns);
    if (!byKey) this.writes.set(w.ns, (byKey = new Map()));
    byKey.set(w.key, w);
  }

  finalWrites(markFresh: boolean): StateWrite[] {
    const out: StateWrite[] = [];
    for (const byKey of this.writes.values()) {
      for (const w of byKey.values()) out.push({ ns: w.ns, key: w.key, value: w.text, seq: w.seq, json: w.value, fresh: markFresh && this.before(w.ns, w.key) === null });
    }
    return out.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

/**
 * One transaction's view, and the context its contract sees: reads must be declared (so every node
 * prefetches the same keys); writes are buffered until it succeeds. One object per transaction,
 * with methods rather than closures, since it is built for every transaction of every block.
 */
class TxContext implements ContractContext {
  /**
   * Created on the first write. A list, not a map: a transaction writes a few keys (genesis: tens),
   * and a map built for every transaction costs more than scanning them.
   */
  private pending: PendingWrite[] | null = null;
  signer!: KeyRecord;
  user?: UserRecord;
  readonly height: number;
  readonly blockTime: number;

  constructor(
    private readonly block: BlockState,
    private readonly declared: readonly StateKey[],
    /** Namespaces the contract declared it writes. */
    private readonly writable: readonly string[],
    readonly tx: TxBody,
    readonly hash: string,
    readonly seq: number,
    plan: Pick<BlockPlan, "height" | "time">,
  ) {
    this.height = plan.height;
    this.blockTime = plan.time;
  }

  private isDeclared(ns: string, key: string): boolean {
    for (const d of this.declared) if (d[0] === ns && d[1] === key) return true;
    return false;
  }

  /** Where this transaction has written (ns, key), or -1. */
  private pendingAt(ns: string, key: string): number {
    return this.pending ? this.pending.findIndex((w) => w.key === key && w.ns === ns) : -1;
  }

  /** Buffers a write; a key written again in the transaction keeps its first place. */
  private buffer(w: PendingWrite): void {
    const i = this.pendingAt(w.ns, w.key);
    if (i < 0) (this.pending ??= []).push(w);
    else this.pending![i] = w;
  }

  get<T>(ns: string, key: string): T | undefined {
    const i = this.pendingAt(ns, key);
    if (i >= 0) return (this.pending![i].value ?? undefined) as T | undefined;
    if (!this.isDeclared(ns, key)) throw new TxRejectedError(`contract read undeclared state ${ns}/${key}`, "internal");
    const v = this.block.read(ns, key);
    return (v == null ? undefined : deepFreeze(v)) as T | undefined;
  }

  put(ns: string, key: string, value: Json): void {
    if (!this.writable.includes(ns)) throw new TxRejectedError(`${this.tx.type} wrote undeclared namespace ${ns}`, "internal");
    // Encoding now fails inside the transaction on values JSON cannot carry; freezing keeps the text true.
    const text = canonicalize(value);
    this.buffer({ ns, key, value: deepFreeze(value), text, seq: this.seq });
  }

  del(ns: string, key: string): void {
    if (!this.writable.includes(ns)) throw new TxRejectedError(`${this.tx.type} deleted in undeclared namespace ${ns}`, "internal");
    this.buffer({ ns, key, value: null, text: null, seq: this.seq });
  }

  rule<T = Json>(name: string): T | undefined {
    return (this.get<{ value: Json }>("rule", name)?.value as never) ?? undefined;
  }

  refuse(msg: string): never {
    throw new TxRejectedError(msg, "refused");
  }

  commit(): [string, string][] {
    const out: [string, string][] = [];
    if (!this.pending) return out;
    for (const w of this.pending) {
      this.block.write(w);
      out.push([w.ns, w.key]);
    }
    return out;
  }
}

/** State values are shared between transactions of a block: freeze them so a contract cannot edit one in place. */
function deepFreeze<T>(v: T): T {
  if (v && typeof v === "object" && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k in v) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

export { ROLE_RANK };
