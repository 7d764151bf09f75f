/**
 * The portal's handle on the ledger: the database, the node, its keystore, and `submitAs`, which
 * signs a user's transaction with their department's key. Opening an empty ledger seeds it.
 */
import { TRPCError } from "@trpc/server";
import { ClusterNode } from "../../chain/cluster/cluster-node";
import { LedgerNode, type Committed } from "../../chain/node";
import { TxRejectedError } from "../../chain/contracts/types";
import { generateKeyPair } from "../../chain/signature";
import type { Database } from "../../chain/store/db";
import { Keystore } from "./keystore";
import { seedLedger, type SeedSummary } from "./seed";
import { CHAIN_ID, deptKeyId, NODE_INFO } from "./seed-data";

export interface Actor {
  id: string;
  dept: string;
}

export interface PortalLedger {
  db: Database;
  node: LedgerNode;
  keystore: Keystore;
  seeded: SeedSummary | null;
  /** Multi-node deployments: this node's membership of the cluster (status, peers, finality). */
  cluster: ClusterNode | null;
  /** Submits a transaction as `actor`, signed by the key of the actor's department. Maps refusals to TRPCError. */
  submitAs(actor: Actor, type: string, payload: Record<string, unknown>, purpose?: string): Promise<Committed>;
  /** Creates a department key, keeps its secret in the keystore, and registers it on the ledger. */
  registerDeptKey(actor: Actor, deptId: string): Promise<Committed>;
  close(): Promise<void>;
}

export interface OpenLedgerOptions {
  db: Database;
  /** Keystore path; null keeps keys in memory (tests). */
  keysFile: string | null;
  /** Demo password for seeded users (tests may pass their own). */
  seedPassword?: string;
  /** Multi-node: order through NATS JetStream with the other nodes of this config. */
  cluster?: ClusterConfig;
  /** Log block timings (and cluster events) to stderr (CITYLEDGER_TRACE). */
  trace?: boolean;
}

/** A cluster's shared configuration (every node has the same) and this node's place in it. */
export interface ClusterConfig {
  servers: string[];
  quorum: number;
  nodes: { id: string; publicKey: string; region: string; name: string }[];
  /** The node this process is; the first node listed seeds an empty ledger, the others follow. */
  nodeId: string;
  stream?: string;
  /** This node's NATS user (NATS_USER/NATS_PASSWORD; scripts/cluster.ts generates them). */
  credentials?: { user: string; pass: string };
  /** CA of the NATS servers' certificates when they are tls:// (NATS_CA_FILE). */
  tlsCaFile?: string;
}

/** Waits for the shared order to deliver genesis (a follower, or the bootstrap node after publishing it). */
async function awaitGenesis(node: LedgerNode, ms = 120_000): Promise<void> {
  const until = Date.now() + ms;
  while (node.height < 0) {
    if (Date.now() > until) throw new Error("no genesis from the ordering stream: is the bootstrap node (first in the cluster config) running?");
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function openPortalLedger(opts: OpenLedgerOptions): Promise<PortalLedger> {
  const { db } = opts;
  const existing = opts.keysFile ? Keystore.load(opts.keysFile) : null;
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_blocks");
  const empty = rows[0].n === 0;
  if (!empty && !existing) {
    throw new Error(
      `the ledger in this database is not empty but no keystore was found${opts.keysFile ? ` at ${opts.keysFile}` : ""}; ` +
        "point CITYLEDGER_KEYS at the keys file written when it was seeded, or use a fresh database",
    );
  }
  const cfg = opts.cluster;
  if (cfg && (!existing || existing.node.id !== cfg.nodeId)) {
    throw new Error(`cluster node ${cfg.nodeId} needs its keystore (with its node key) at ${opts.keysFile}: see scripts/cluster.ts`);
  }
  const keystore = empty && !cfg ? Keystore.create(opts.keysFile, CHAIN_ID, { id: NODE_INFO.id, secretKey: generateKeyPair().secretKey }) : existing!;
  const cluster = cfg
    ? await ClusterNode.start({
        db,
        chain: keystore.chain,
        node: keystore.node,
        keystore: keystore.keys,
        servers: cfg.servers,
        credentials: cfg.credentials,
        tlsCaFile: cfg.tlsCaFile,
        stream: cfg.stream,
        region: cfg.nodes.find((n) => n.id === cfg.nodeId)?.region,
        peers: cfg.nodes.map((n) => n.id),
        trace: opts.trace,
      })
    : null;
  const node = cluster ? cluster.ledger : await LedgerNode.open({ db, chain: keystore.chain, node: keystore.node, keystore: keystore.keys, trace: opts.trace });
  let seeded: SeedSummary | null = null;
  if (empty && cluster && cfg && cfg.nodes[0].id !== cfg.nodeId) {
    await awaitGenesis(node); // a follower: its ledger arrives through the stream
    await cluster.caughtUp();
  } else if (cluster && !empty) {
    await cluster.caughtUp(); // a restart: serve reads only once the blocks missed are in
  } else if (empty && cluster && cfg) {
    seeded = await seedLedger(node, keystore, opts.seedPassword, {
      nodes: cfg.nodes,
      quorum: cfg.quorum,
      submitGenesis: async (genesis, signer) => {
        if (!(await cluster.bootstrap(genesis, signer))) {
          throw new Error("the ordering stream already holds a ledger, but this node's database is empty: start it with the cluster's keystore as a follower");
        }
        await awaitGenesis(node);
      },
    });
  } else if (empty) {
    seeded = await seedLedger(node, keystore, opts.seedPassword);
  }

  const submit = async (actor: Actor, type: string, payload: Record<string, unknown>, purpose?: string) => {
    const signer = deptKeyId(actor.dept);
    if (!keystore.keys.has(signer)) {
      throw new TRPCError({ code: "PRECONDITION_FAILED", message: `this node holds no signing key for department ${actor.dept}` });
    }
    try {
      return await node.submit({ type, dept: actor.dept, actor: actor.id, purpose, payload: payload as never }, signer);
    } catch (e) {
      throw toTRPCError(e);
    }
  };

  return {
    db,
    node,
    keystore,
    seeded,
    cluster,
    submitAs: submit,
    async registerDeptKey(actor, deptId) {
      const kp = generateKeyPair();
      keystore.add(deptKeyId(deptId), kp.secretKey);
      return submit(actor, "key.register", { id: deptKeyId(deptId), publicKey: kp.publicKey, dept: deptId, kind: "dept" }, "登记部门签名密钥 register department key");
    },
    async close() {
      if (cluster) await cluster.close();
      else await node.close();
      await db.close();
    },
  };
}

/** A ledger refusal becomes a client error carrying the ledger's message; anything else stays a server error. */
export function toTRPCError(e: unknown): TRPCError {
  if (e instanceof TRPCError) return e;
  if (e instanceof TxRejectedError) {
    const code = e.code === "unauthorized" ? "FORBIDDEN" : e.code === "internal" ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST";
    return new TRPCError({ code, message: e.message, cause: e });
  }
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: (e as Error)?.message ?? String(e), cause: e });
}
