/**
 * A ledger node in a multi-node deployment. Ordering is NATS JetStream's (a replicated stream, Raft
 * inside NATS): every node publishes its cuts to one subject and consumes that subject in stream
 * order, so all nodes build the same blocks from the same messages (block time = the time the stream
 * stored the message). Each node signs the block hashes it builds and publishes the signature to a
 * second subject; a block is final once a quorum of node signatures on its hash is stored with it.
 *
 * A node that was down resumes from the stream sequence recorded in its head block, rebuilding each
 * block by executing it and refusing to write one whose hash differs from what a quorum signed.
 * Every few seconds each node publishes a beacon with hashes recomputed from its own database rows;
 * a peer whose stored history differs from the quorum-signed chain is flagged at the first differing
 * height, and a node that finds itself so is stops signing until its rows check out again.
 */
import { connect, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { DeliverPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { signBlockHash, verifyBlockSignature, type BlockSignature } from "../block.js";
import type { BlockResult, OrderedBatch } from "../engine.js";
import { LedgerNode, type LedgerNodeOptions, type Orderer, type TxInput, type Committed } from "../node.js";
import { decodeBeacon, decodeCut, decodeSignature, encodeBeacon, encodeCut, encodeSignature, type Beacon, type SignatureMessage } from "../ordering/envelope.js";
import { nodeInboxPrefix, orderingNames } from "./nats-permissions.js";
import { auditStoredBlocks } from "./stored-audit.js";

export interface ClusterNodeOptions extends Omit<LedgerNodeOptions, "orderer" | "maySign"> {
  /** NATS servers of the JetStream cluster, e.g. ["nats://127.0.0.1:4222"] (tls:// for TLS). */
  servers: string[];
  /** This node's NATS user (scripts/nats-cluster.ts gives each node one, see ./nats-permissions.ts). */
  credentials?: { user: string; pass: string };
  /** TLS for tls:// servers: the CA that signed their certificates (PEM file path). */
  tlsCaFile?: string;
  region?: string;
  /** Stream name (default CITYLEDGER_<chain>); subjects are `<prefix>.order` and `<prefix>.sig`. */
  stream?: string;
  subjectPrefix?: string;
  /** Replicas when this node creates the stream (default 3). */
  replicas?: number;
  /** Beacon (status + stored-row audit) interval, ms. */
  beaconMs?: number;
  /** Blocks audited per beacon (a rolling window over the whole chain). */
  auditWindow?: number;
  /** A peer not heard from for this long is shown offline. */
  offlineAfterMs?: number;
  /** Ids of the other nodes, to ask for history the stream no longer holds (before genesis is known here). */
  peers?: string[];
}

/** A stored block as one node serves it to another: the ordered message it was built from, and its signatures. */
interface ServedBlock {
  height: number;
  hash: string;
  order: number;
  time: number;
  proposer: string;
  batches: OrderedBatch[];
  signatures: BlockSignature[];
}

export interface Divergence {
  height: number;
  /** What the node reported (its stored rows' hash, or the hash it signed). */
  theirs: string;
  ours: string;
  how: "stored rows" | "signature";
  at: number;
}

export interface PeerStatus {
  id: string;
  region: string;
  online: boolean;
  lastSeen: number | null;
  height: number;
  finalHeight: number;
  lag: number;
  signing: boolean;
  lastSignatureAt: number | null;
  divergence: Divergence | null;
}

export interface ClusterStatus {
  node: string;
  region: string;
  connected: boolean;
  height: number;
  headHash: string | null;
  finalHeight: number;
  quorum: number;
  orderedThrough: number;
  streamLast: number;
  lag: number;
  signing: boolean;
  /** This node's own stored rows disagree with the chain (it does not sign until they check out). */
  selfProblem: { height: number; problem: string } | null;
  lastSignatureAt: number | null;
  peers: PeerStatus[];
  rejectedSignatures: { signer: string; height: number; reason: string; at: number }[];
}


interface NodeKey {
  id: string;
  publicKey: string;
  region: string;
}

export class ClusterNode implements Orderer {
  readonly ledger: LedgerNode;
  private nc!: NatsConnection;
  private js!: JetStreamClient;
  private jsm!: JetStreamManager;
  private readonly stream: string;
  private readonly prefix: string;
  private closed = false;
  private orderMessages: ConsumerMessages | null = null;
  private sigMessages: ConsumerMessages | null = null;
  private beaconSub: Subscription | null = null;
  private historySub: Subscription | null = null;
  private beaconTimer: ReturnType<typeof setInterval> | null = null;
  private loops: Promise<void>[] = [];
  private nodeKeys = new Map<string, NodeKey>();
  private quorum = 1;
  private keysLoadedAt = 0;
  /** Valid signatures per height (on the hash this node built), for finality. */
  private readonly signers = new Map<number, Set<string>>();
  /** Signatures for heights not yet written here, kept until the block is. */
  private readonly pendingSigs = new Map<number, SignatureMessage[]>();
  /** Hashes peers signed for heights, by hash: used to refuse a rebuilt block a quorum did not sign. */
  private readonly signedHashes = new Map<number, Map<string, Set<string>>>();
  private finalHeight = -1;
  private streamLast = 0;
  private lastSignatureAt: number | null = null;
  private auditCursor = 0;
  private selfProblem: { height: number; problem: string } | null = null;
  private selfDivergent: Divergence | null = null;
  private readonly peers = new Map<string, { beacon: Beacon; seenAt: number; divergence: Divergence | null }>();
  private readonly rejected: ClusterStatus["rejectedSignatures"] = [];
  private readonly finalWaiters: { height: number; resolve: () => void }[] = [];
  private fatal: Error | null = null;

  private constructor(private readonly opts: ClusterNodeOptions) {
    const names = orderingNames(opts.chain, opts.stream, opts.subjectPrefix);
    this.stream = names.stream;
    this.prefix = names.prefix;
    this.ledger = null as unknown as LedgerNode;
  }

  /** Logs to stderr, with this node's id, when the options ask for a trace. */
  private trace(...a: unknown[]): void {
    if (this.opts.trace) console.error(`[cluster ${new Date().toISOString().slice(11, 23)}]`, this.id, ...a);
  }

  static async start(opts: ClusterNodeOptions): Promise<ClusterNode> {
    const self = new ClusterNode(opts);
    (self as { ledger: LedgerNode }).ledger = await LedgerNode.open({
      ...opts,
      // A cut of 1000 transactions stays well under NATS's default 1 MB message limit.
      maxBlockTx: opts.maxBlockTx ?? 1000,
      lingerMs: opts.lingerMs ?? 5,
      orderer: self,
      maySign: () => self.signing,
    });
    self.nc = await connect({
      servers: opts.servers,
      name: `cityledger-${opts.node.id}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      timeout: 5000,
      inboxPrefix: nodeInboxPrefix(opts.node.id),
      ...(opts.credentials ?? {}),
      ...(opts.tlsCaFile ? { tls: { caFile: opts.tlsCaFile } } : {}),
    });
    self.jsm = await jetstreamManager(self.nc);
    self.js = jetstream(self.nc);
    await self.ensureStream();
    await self.loadNodeKeys(true);
    self.ledger.onBlock((b, sigs) => self.onBlockWritten(b, sigs));
    self.ledger.onWriteError((e) => {
      self.fatal = e;
    });
    self.beaconSub = self.nc.subscribe(`${self.prefix}.beacon`, { callback: (err, msg) => void (err || self.onBeacon(msg.data)) });
    self.historySub = self.nc.subscribe(`${self.prefix}.history.${opts.node.id}`, { callback: (err, msg) => void (err || self.serveHistory(msg)) });
    self.loops.push(self.consumeSignatures(), self.consumeOrder(), self.watchConnection());
    self.beaconTimer = setInterval(() => void self.beacon().catch(() => undefined), opts.beaconMs ?? 2000);
    return self;
  }

  get id(): string {
    return this.opts.node.id;
  }

  /** Signs blocks unless its own stored rows, or a quorum of its peers, say its history is wrong. */
  get signing(): boolean {
    return this.selfProblem === null && this.selfDivergent === null;
  }

  submit(input: TxInput, signer: string): Promise<Committed> {
    return this.ledger.submit(input, signer);
  }

  // --- Ordering ----------------------------------------------------------------------------

  private async ensureStream(): Promise<void> {
    try {
      await this.jsm.streams.info(this.stream);
      return;
    } catch {
      // not there yet: create it
    }
    try {
      await this.jsm.streams.add({
        name: this.stream,
        subjects: [`${this.prefix}.order`, `${this.prefix}.sig`],
        num_replicas: this.opts.replicas ?? 3,
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        duplicate_window: 120_000_000_000,
      });
    } catch (e) {
      // Another node created it at the same moment.
      await this.jsm.streams.info(this.stream).catch(() => {
        throw e;
      });
    }
  }

  /** Orderer: one cut = one stream message; the message id makes a retried publish count once. */
  async publish(batches: OrderedBatch[]): Promise<void> {
    await this.publishDurably(`${this.prefix}.order`, encodeCut(this.id, batches), batches.map((b) => b.signature.slice(0, 32)).join(""));
  }

  /**
   * Publishes to the stream, retrying through a NATS server's loss and the stream's leader
   * election (seconds). The message id lets the stream drop a retry of a message it already holds.
   */
  private async publishDurably(subject: string, data: Uint8Array, msgID: string, deadlineMs = 60_000): Promise<void> {
    const until = Date.now() + deadlineMs;
    for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
      try {
        await this.js.publish(subject, data, { msgID, timeout: 5000 });
        return;
      } catch (e) {
        this.trace(`publish ${subject}:`, (e as Error).message);
        if (this.closed || Date.now() + wait > until) throw e;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /**
   * Publishes the genesis cut, unless the stream already holds an order (another node bootstrapped).
   * Returns whether this node's genesis was the one taken.
   */
  async bootstrap(genesis: TxInput, signer: string): Promise<boolean> {
    const tx = this.ledger.encode(genesis);
    const { signBatch } = await import("../tx.js");
    const b = signBatch(this.ledger.suite.hasher, this.ledger.suite.signatures, this.opts.chain, signer, this.opts.keystore.get(signer)!, [tx.hash]);
    try {
      await this.js.publish(`${this.prefix}.order`, encodeCut(this.id, [{ ...b, texts: [tx.text] }]), { expect: { lastSubjectSequence: 0 }, timeout: 10_000 });
      return true;
    } catch (e) {
      if (/wrong last sequence/i.test((e as Error).message)) return false;
      throw e;
    }
  }

  private orderCursor = 0;

  private async consumeOrder(): Promise<void> {
    this.orderCursor = this.ledger.orderedThrough;
    while (!this.closed) {
      try {
        await this.catchUpFromPeers();
        const consumer = await this.js.consumers.get(this.stream, {
          filter_subjects: `${this.prefix}.order`, // one subject: servers before 2.10 take no list
          deliver_policy: DeliverPolicy.StartSequence,
          opt_start_seq: this.orderCursor + 1,
        });
        const msgs = await consumer.consume({ max_messages: 64 });
        this.orderMessages = msgs;
        for await (const m of msgs) {
          if (this.closed) break;
          if (this.fatal) throw this.fatal;
          if (m.seq <= this.orderCursor) continue;
          const cut = decodeCut(m.data);
          // Not a cut: every node skips it alike.
          if (cut) {
            // The quorum's hash for the next height; a refused cut in between (a forged one, say)
            // makes no block here as everywhere, and the hash then holds for the message after it.
            const expectHash = this.quorumHash(this.ledger.builtHeight + 1);
            await this.ledger.applyOrdered({
              order: m.seq,
              time: Number(m.timestampNanos / 1_000_000n),
              proposer: cut.node,
              batches: cut.batches,
              ...(expectHash ? { expectHash, mayMakeNoBlock: true } : {}),
            });
          }
          // Advanced once built: `caughtUp` relies on it.
          this.orderCursor = m.seq;
        }
      } catch (e) {
        if (this.closed) return;
        this.trace("order consumer:", (e as Error).message);
        // A block that could not be written or a rebuilt block no quorum signed: wait for the
        // pipeline, reload the tip from the database and resume after the last stored block.
        this.fatal = null;
        await this.ledger.drain().catch(() => undefined);
        this.noteProblem(e as Error);
        this.orderCursor = this.ledger.headOrder;
        await new Promise((r) => setTimeout(r, 500));
      } finally {
        this.orderMessages = null;
      }
    }
  }

  // --- History from peers (what the stream no longer holds) ------------------------------------

  /** Answers a peer's request for stored blocks from a height: at most ~700 kB per reply. */
  private async serveHistory(msg: { data: Uint8Array; respond(data: Uint8Array): boolean }): Promise<void> {
    const reply = (v: unknown) => msg.respond(new TextEncoder().encode(JSON.stringify(v)));
    try {
      const req = JSON.parse(new TextDecoder().decode(msg.data)) as { from?: unknown; max?: unknown };
      const from = Number.isInteger(req.from) && (req.from as number) >= 0 ? (req.from as number) : 0;
      const max = Number.isInteger(req.max) ? Math.min(Math.max(req.max as number, 1), 500) : 100;
      const to = Math.min(this.ledger.height + 1, from + max);
      const blocks: ServedBlock[] = [];
      let size = 0;
      for (const b of await this.ledger.store.blockRange(from, to)) {
        const header = JSON.parse(b.row.header) as { order?: number; time: number; proposer: string };
        const text = new Map(b.txs.map((t) => [t.hash, t.body]));
        const item: ServedBlock = {
          height: b.row.height,
          hash: b.row.hash,
          order: header.order ?? 0,
          time: header.time,
          proposer: header.proposer,
          batches: b.batches.map((x) => ({ signer: x.signer, signature: x.signature, txHashes: x.txHashes, texts: x.txHashes.map((h) => text.get(h) ?? null) })),
          signatures: b.signatures,
        };
        size += JSON.stringify(item).length;
        if (blocks.length && size > 700_000) break;
        blocks.push(item);
      }
      reply({ blocks });
    } catch (e) {
      reply({ error: (e as Error).message });
    }
  }

  /** The first message of the order the stream holds at or after `seq` (a one-message consumer). */
  private async firstOrderFrom(seq: number): Promise<{ seq: number } | null> {
    try {
      const c = await this.js.consumers.get(this.stream, { filter_subjects: `${this.prefix}.order`, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: seq });
      const m = await c.next({ expires: 2000 });
      await c.delete().catch(() => undefined);
      return m ? { seq: m.seq } : null;
    } catch {
      return null;
    }
  }

  private async requestHistory(peer: string, from: number, max: number): Promise<ServedBlock[] | null> {
    try {
      const r = await this.nc.request(`${this.prefix}.history.${peer}`, new TextEncoder().encode(JSON.stringify({ from, max })), { timeout: 10_000 });
      const body = JSON.parse(new TextDecoder().decode(r.data)) as { blocks?: ServedBlock[]; error?: string };
      return body.blocks ?? null;
    } catch {
      return null; // not running, or no answer in time
    }
  }

  /** The hash a quorum of valid signatures in `b` signs (genesis: under the keys genesis registers). */
  private servedQuorumHash(b: ServedBlock): string | null {
    let keys = this.nodeKeys;
    let quorum = this.quorum;
    if (b.height === 0) {
      try {
        const tx = JSON.parse(b.batches[0].texts[0] ?? "") as { payload: { quorum: number; nodes: NodeKey[] } };
        keys = new Map(tx.payload.nodes.map((n) => [n.id, n]));
        quorum = tx.payload.quorum;
      } catch {
        return null;
      }
    }
    const valid = b.signatures.filter((s) => {
      const k = keys.get(s.signer);
      return !!k && verifyBlockSignature(this.ledger.suite.signatures, k.publicKey, b.hash, s);
    });
    return new Set(valid.map((s) => s.signer)).size >= quorum ? b.hash : null;
  }

  /**
   * Before reading the stream: if the next block a peer holds was cut from a message the stream no
   * longer has (its limits dropped it), rebuild blocks from peers' copies until the stream can take
   * over. Each block is executed here and written only if it hashes to what a quorum signed.
   */
  private async catchUpFromPeers(): Promise<void> {
    const peers = [...new Set([...(this.opts.peers ?? []), ...this.nodeKeys.keys()])].filter((id) => id !== this.id);
    for (;;) {
      if (this.closed || peers.length === 0) return;
      let served: ServedBlock[] | null = null;
      for (const peer of peers) {
        served = await this.requestHistory(peer, this.ledger.builtHeight + 1, 200);
        if (served?.length) break;
      }
      if (!served?.length) return; // nothing newer at any peer
      // The stream still holds the message of the next block: it is the source, as for everyone.
      const next = await this.firstOrderFrom(this.orderCursor + 1);
      if (next && next.seq <= served[0].order) return;
      this.trace(`catching up from peers: blocks ${served[0].height}..${served[served.length - 1].height} (stream starts at #${next?.seq ?? "-"})`);
      for (const b of served) {
        if (next && b.order >= next.seq) return;
        const expectHash = this.servedQuorumHash(b);
        if (!expectHash) throw new Error(`block ${b.height} from a peer lacks a quorum of valid node signatures`);
        for (const s of b.signatures) this.defer({ v: 1, height: b.height, hash: b.hash, signer: s.signer, signature: s.signature });
        await this.ledger.applyOrdered({ order: b.order, time: b.time, proposer: b.proposer, batches: b.batches, expectHash });
        this.orderCursor = b.order;
      }
      await this.ledger.drain();
      if (this.nodeKeys.size === 0) await this.loadNodeKeys(true);
    }
  }

  /**
   * Consumers are re-created after a reconnect: one whose server went away does not always notice
   * (measured: it stalled until its heartbeat check, tens of seconds), and a fresh one resumes at
   * this node's own cursor, so nothing is lost or applied twice.
   */
  private async watchConnection(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (this.closed) return;
      if (s.type === "reconnect") {
        this.trace("reconnected: restarting consumers");
        this.restartConsumers();
      }
    }
  }

  private restartConsumers(): void {
    void this.orderMessages?.close().catch(() => undefined);
    void this.sigMessages?.close().catch(() => undefined);
  }

  private sigCursor = 0;
  private readonly stalls = new Map<string, { at: number; cursor: number }>();
  /**
   * A consumer whose subject holds messages past its cursor, and whose cursor has not moved for a
   * few beacons, has lost its server (its ephemeral consumer lived there): re-create it.
   */
  private checkStall(which: "order" | "sig", cursor: number, last: number, messages: ConsumerMessages | null): void {
    const prev = this.stalls.get(which);
    if (last <= cursor) return void this.stalls.delete(which);
    if (!prev || prev.cursor !== cursor) return void this.stalls.set(which, { at: Date.now(), cursor });
    if (Date.now() - prev.at > 3 * (this.opts.beaconMs ?? 2000)) {
      this.trace(`${which} consumer stalled at #${cursor} (subject at #${last}): re-creating it`);
      this.stalls.delete(which);
      void messages?.close().catch(() => undefined);
    }
  }

  private lastConsumeError: string | null = null;
  private noteProblem(e: Error): void {
    this.lastConsumeError = e.message;
    if (/a quorum signed/.test(e.message)) {
      const m = /block (\d+) rebuilt .* hashes to (\S+), but a quorum signed (\S+)/.exec(e.message);
      if (m) this.selfDivergent = { height: Number(m[1]), theirs: m[3], ours: m[2], how: "signature", at: Date.now() };
    }
  }

  // --- Signatures and finality -------------------------------------------------------------

  private async loadNodeKeys(force = false): Promise<void> {
    if (!force && Date.now() - this.keysLoadedAt < 2000) return;
    this.keysLoadedAt = Date.now();
    const [nodes, config] = await Promise.all([
      this.ledger.store.records<{ id: string; publicKey: string; region: string; status?: string }>("node"),
      this.ledger.store.record<{ quorum: number }>("config", "ledger"),
    ]);
    for (const n of nodes) if (n.value.status !== "retired") this.nodeKeys.set(n.value.id, { id: n.value.id, publicKey: n.value.publicKey, region: n.value.region });
    this.quorum = config?.value.quorum ?? 1;
  }

  private onBlockWritten(b: BlockResult, sigs: BlockSignature[]): void {
    const height = b.header.height;
    for (const s of sigs) {
      this.countSignature(height, s.signer);
      this.lastSignatureAt = Date.now();
      void this.publishDurably(`${this.prefix}.sig`, encodeSignature(height, b.hash, s), `sig:${height}:${s.signer}:${b.hash.slice(0, 16)}`, 5 * 60_000).catch(() => undefined);
    }
    const pending = this.pendingSigs.get(height);
    if (pending) {
      this.pendingSigs.delete(height);
      // After genesis, the node keys it registers are needed to check its signatures.
      const ready = height === 0 ? this.loadNodeKeys(true) : Promise.resolve();
      void ready.then(() => {
        for (const p of pending) void this.acceptSignature(p);
      });
    } else if (height === 0) void this.loadNodeKeys(true);
  }

  private async consumeSignatures(): Promise<void> {
    while (!this.closed) {
      try {
        const consumer = await this.js.consumers.get(this.stream, {
          filter_subjects: `${this.prefix}.sig`,
          deliver_policy: DeliverPolicy.StartSequence,
          opt_start_seq: this.sigCursor + 1,
        });
        const msgs = await consumer.consume({ max_messages: 256 });
        this.sigMessages = msgs;
        for await (const m of msgs) {
          if (this.closed) break;
          if (m.seq <= this.sigCursor) continue;
          this.sigCursor = m.seq;
          const s = decodeSignature(m.data);
          if (!s) {
            this.reject("?", -1, "not a signature message");
            continue;
          }
          await this.acceptSignature(s);
        }
      } catch (e) {
        if (this.closed) return;
        this.trace("signature consumer:", (e as Error).message);
        await new Promise((r) => setTimeout(r, 500));
      } finally {
        this.sigMessages = null;
      }
    }
  }

  private reject(signer: string, height: number, reason: string): void {
    this.rejected.unshift({ signer, height, reason, at: Date.now() });
    this.rejected.length = Math.min(this.rejected.length, 50);
  }

  /** Checks a published signature; stores it with the block when it signs the hash this node built. */
  private async acceptSignature(s: SignatureMessage): Promise<void> {
    if (!this.nodeKeys.has(s.signer)) await this.loadNodeKeys();
    const key = this.nodeKeys.get(s.signer);
    if (!key) {
      // Before genesis is built here, node keys are unknown: keep the signature for later.
      if (this.ledger.height < 0) return this.defer(s);
      return this.reject(s.signer, s.height, "unknown node");
    }
    if (!verifyBlockSignature(this.ledger.suite.signatures, key.publicKey, s.hash, s)) return this.reject(s.signer, s.height, "invalid signature");
    let byHash = this.signedHashes.get(s.height);
    if (!byHash) this.signedHashes.set(s.height, (byHash = new Map()));
    let who = byHash.get(s.hash);
    if (!who) byHash.set(s.hash, (who = new Set()));
    who.add(s.signer);
    if (s.signer !== this.id) this.touchPeer(s.signer, { lastSignatureAt: Date.now() });

    if (s.height > this.ledger.height) return this.defer(s);
    const ours = this.ledger.blockHash(s.height);
    if (ours !== s.hash) {
      const div: Divergence = { height: s.height, theirs: s.hash, ours: ours ?? "", how: "signature", at: Date.now() };
      // A quorum of other nodes signed something else: it is this node that is wrong.
      if (who.size >= this.quorum && !who.has(this.id)) this.selfDivergent ??= div;
      else this.setPeerDivergence(s.signer, div);
      return;
    }
    if (s.signer === this.id) return;
    await this.ledger.store.addSignatures(s.height, [{ signer: s.signer, signature: s.signature }]).catch(() => undefined);
    this.countSignature(s.height, s.signer);
  }

  private defer(s: SignatureMessage): void {
    let list = this.pendingSigs.get(s.height);
    if (!list) this.pendingSigs.set(s.height, (list = []));
    if (list.length < 16) list.push(s);
  }

  /** The hash a quorum of nodes signed at `height`, if any. */
  private quorumHash(height: number): string | null {
    const byHash = this.signedHashes.get(height);
    if (!byHash) return null;
    for (const [hash, who] of byHash) if (who.size >= this.quorum) return hash;
    return null;
  }

  private countSignature(height: number, signer: string): void {
    let set = this.signers.get(height);
    if (!set) this.signers.set(height, (set = new Set()));
    set.add(signer);
    if (set.size >= this.quorum && height > this.finalHeight) {
      this.finalHeight = height;
      for (let i = this.finalWaiters.length - 1; i >= 0; i--) {
        if (this.finalWaiters[i].height <= height) {
          this.finalWaiters[i].resolve();
          this.finalWaiters.splice(i, 1);
        }
      }
    }
    // Keep the tally bounded: heights well behind the final one are settled.
    if (this.signers.size > 4096) for (const h of this.signers.keys()) if (h < this.finalHeight - 1024) this.signers.delete(h);
    if (this.signedHashes.size > 4096) for (const h of this.signedHashes.keys()) if (h < this.finalHeight - 1024) this.signedHashes.delete(h);
  }

  /** Resolves once block `height` has a quorum of signatures here. */
  waitFinal(height: number, timeoutMs = 30_000): Promise<void> {
    if (this.finalHeight >= height) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`block ${height} not final after ${timeoutMs} ms on ${this.id}`)), timeoutMs);
      this.finalWaiters.push({
        height,
        resolve: () => {
          clearTimeout(t);
          resolve();
        },
      });
    });
  }

  // --- Beacons and cross-node audit ------------------------------------------------------------

  private async beacon(): Promise<void> {
    if (this.closed || this.nc.isClosed()) return;
    const height = this.ledger.height;
    const window = this.opts.auditWindow ?? 256;
    if (this.auditCursor > height) this.auditCursor = 0;
    const from = this.auditCursor;
    const to = Math.min(height + 1, from + window);
    let checks: Awaited<ReturnType<typeof auditStoredBlocks>> = [];
    try {
      checks = await auditStoredBlocks(this.ledger.store, this.ledger.suite.hasher, from, to);
    } catch (e) {
      // An orphan row (a transaction or signature with no block): report the range as bad.
      checks = [];
      for (let h = from; h < to; h++) checks.push({ height: h, digest: "unreadable", problem: (e as Error).message });
    }
    this.auditCursor = to > height ? 0 : to;
    // Self-check: the rows against the chain this node built and its peers signed.
    const bad = checks.find((c) => c.problem !== null || (this.ledger.blockHash(c.height) !== null && c.digest !== this.ledger.blockHash(c.height)));
    if (bad) this.selfProblem = { height: bad.height, problem: bad.problem ?? "stored hash differs from the chain" };
    else if (this.selfProblem && this.selfProblem.height >= from && this.selfProblem.height < to) this.selfProblem = null;

    try {
      const [order, sig] = await Promise.all([
        this.jsm.streams.getMessage(this.stream, { last_by_subj: `${this.prefix}.order` }).catch(() => null),
        this.jsm.streams.getMessage(this.stream, { last_by_subj: `${this.prefix}.sig` }).catch(() => null),
      ]);
      if (order) this.streamLast = order.seq;
      if (order) this.checkStall("order", this.orderCursor, order.seq, this.orderMessages);
      if (sig) this.checkStall("sig", this.sigCursor, sig.seq, this.sigMessages);
    } catch {
      // the stream is unreachable for now
    }
    const b: Beacon = {
      v: 1,
      node: this.id,
      region: this.opts.region ?? this.nodeKeys.get(this.id)?.region ?? "",
      at: Date.now(),
      height,
      headHash: this.ledger.blockHash(height),
      finalHeight: this.finalHeight,
      orderedThrough: this.ledger.orderedThrough,
      signing: this.signing,
      lastSignatureAt: this.lastSignatureAt,
      audit: { from, hashes: checks.map((c) => c.digest) },
    };
    this.nc.publish(`${this.prefix}.beacon`, encodeBeacon(b));
  }

  private onBeacon(data: Uint8Array): void {
    const b = decodeBeacon(data);
    if (!b || b.node === this.id) return;
    const prev = this.peers.get(b.node);
    let divergence = prev?.divergence ?? null;
    // Compare the peer's stored rows with the chain this node built (when this node is itself sound).
    if (this.signing) {
      for (let i = 0; i < b.audit.hashes.length; i++) {
        const height = b.audit.from + i;
        const ours = this.ledger.blockHash(height);
        if (ours === null) break;
        if (b.audit.hashes[i] !== ours) {
          if (!divergence || divergence.how !== "stored rows" || height <= divergence.height) divergence = { height, theirs: b.audit.hashes[i], ours, how: "stored rows", at: Date.now() };
          break;
        }
        // The height it was flagged at now checks out (repaired).
        if (divergence && divergence.how === "stored rows" && divergence.height === height) divergence = null;
      }
    }
    this.peers.set(b.node, { beacon: b, seenAt: Date.now(), divergence });
  }

  private touchPeer(id: string, patch: Partial<Beacon>): void {
    const p = this.peers.get(id);
    if (p) p.beacon = { ...p.beacon, ...patch };
  }

  private setPeerDivergence(id: string, div: Divergence): void {
    const p = this.peers.get(id);
    if (p) {
      if (!p.divergence || div.height < p.divergence.height) p.divergence = div;
    } else {
      this.peers.set(id, {
        beacon: { v: 1, node: id, region: this.nodeKeys.get(id)?.region ?? "", at: 0, height: -1, headHash: null, finalHeight: -1, orderedThrough: 0, signing: true, lastSignatureAt: null, audit: { from: 0, hashes: [] } },
        seenAt: 0,
        divergence: div,
      });
    }
  }

  status(): ClusterStatus {
    const now = Date.now();
    const offlineAfter = this.opts.offlineAfterMs ?? 4 * (this.opts.beaconMs ?? 2000);
    const height = this.ledger.height;
    const peers: PeerStatus[] = [];
    for (const [id, key] of this.nodeKeys) {
      if (id === this.id) continue;
      const p = this.peers.get(id);
      peers.push({
        id,
        region: key.region,
        online: !!p && now - p.seenAt < offlineAfter,
        lastSeen: p?.seenAt || null,
        height: p?.beacon.height ?? -1,
        finalHeight: p?.beacon.finalHeight ?? -1,
        lag: p ? Math.max(0, height - p.beacon.height) : 0,
        signing: p?.beacon.signing ?? false,
        lastSignatureAt: p?.beacon.lastSignatureAt ?? null,
        divergence: p?.divergence ?? null,
      });
    }
    return {
      node: this.id,
      region: this.opts.region ?? this.nodeKeys.get(this.id)?.region ?? "",
      connected: !this.nc.isClosed(),
      height,
      headHash: this.ledger.blockHash(height),
      finalHeight: this.finalHeight,
      quorum: this.quorum,
      orderedThrough: this.ledger.orderedThrough,
      streamLast: this.streamLast,
      lag: Math.max(0, this.streamLast - this.ledger.orderedThrough),
      signing: this.signing,
      selfProblem: this.selfProblem ?? (this.selfDivergent ? { height: this.selfDivergent.height, problem: `a quorum signed ${this.selfDivergent.theirs.slice(0, 12)}…, this node built ${this.selfDivergent.ours.slice(0, 12)}…` } : null),
      lastSignatureAt: this.lastSignatureAt,
      peers,
      rejectedSignatures: [...this.rejected],
    };
  }

  /** Resolves once this node has built everything the stream held when called (start-up catch-up). */
  async caughtUp(timeoutMs = 300_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    let last: { seq: number } | null = null;
    for (;;) {
      try {
        last = await this.jsm.streams.getMessage(this.stream, { last_by_subj: `${this.prefix}.order` });
        break;
      } catch (e) {
        // "no message found": an empty order. Anything else (a timeout under load): ask again.
        if (/no message found/i.test((e as Error).message)) break;
        if (Date.now() > until) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    while (last && this.orderCursor < last.seq) {
      if (Date.now() > until) throw new Error(`${this.id} has not caught up with the stream (#${this.orderCursor} of #${last.seq}) after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.ledger.drain();
  }

  /** Publishes a beacon now (tests and the status page's refresh). */
  async beaconNow(): Promise<void> {
    await this.beacon();
  }

  /** Stops taking transactions, waits for those in flight (up to `graceMs`), then disconnects. */
  async close(graceMs = 10_000): Promise<void> {
    const until = Date.now() + graceMs;
    while (this.ledger.awaitingCount > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    this.closed = true;
    if (this.beaconTimer) clearInterval(this.beaconTimer);
    await this.orderMessages?.close().catch(() => undefined);
    await this.sigMessages?.close().catch(() => undefined);
    this.beaconSub?.unsubscribe();
    this.historySub?.unsubscribe();
    // The consumers end once closed; the connection watcher ends when the connection does.
    await Promise.allSettled(this.loops.slice(0, 2));
    await this.ledger.close();
    await this.nc.drain().catch(() => undefined);
    await Promise.allSettled(this.loops);
  }
}
