/**
 * Multi-node ledger over a real 3-server NATS JetStream cluster on loopback, with three nodes on
 * their own databases (two PostgreSQL, one PGlite): identical blocks under concurrent writes to all
 * three, quorum-signed; a stopped node catches up and verifies; a stopped NATS server stops nothing;
 * an edited block row on one node is named by the others; forged signatures and cuts are refused.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toHex } from "../chain/bytes.js";
import { ClusterNode } from "../chain/cluster/cluster-node.js";
import { nodeInboxPrefix } from "../chain/cluster/nats-permissions.js";
import { encodeCut, encodeSignature } from "../chain/ordering/envelope.js";
import { genesisTx } from "../chain/genesis.js";
import { generateKeyPair, type KeyPair } from "../chain/signature.js";
import { openDatabase, type Database } from "../chain/store/db.js";
import { signBatch, encodeTx } from "../chain/tx.js";
import { nodeSuite } from "../chain/node-crypto.js";
import { verifyLedger } from "../chain/verify.js";
import { startNatsClusterOnFreePorts, type NatsCluster } from "../scripts/nats-cluster.js";
import { createPgDatabase, openTestDb } from "./helpers/db.js";
import { until } from "./helpers/until.js";

const CHAIN = "cluster-test";
const IDS = ["sz-1", "gz-1", "cs-1"] as const;
const REGIONS = ["shenzhen", "guangzhou", "changsha"];

interface Member {
  id: string;
  key: KeyPair;
  db: Database;
  node: ClusterNode | null;
  dispose: () => Promise<void>;
}

let nats: NatsCluster;
let natsDir: string;
const members: Member[] = [];
const systemKey = generateKeyPair();
const keystore = new Map([["sys", systemKey.secretKey]]);

async function startMember(m: Member, servers = nats.urls): Promise<ClusterNode> {
  m.node = await ClusterNode.start({
    db: m.db,
    chain: CHAIN,
    node: { id: m.id, secretKey: m.key.secretKey },
    keystore,
    servers,
    credentials: nats.credentials(m.id),
    region: REGIONS[IDS.indexOf(m.id as never)],
    peers: [...IDS],
    beaconMs: 300,
  });
  return m.node;
}

const anchor = (n: ClusterNode) => n.submit({ type: "file.anchor", dept: "sz", actor: "system", payload: { fileHash: toHex(randomBytes(32)) } }, "sys");

/**
 * A restarted NATS server has its client port open long before it has rejoined the cluster: wait
 * until, through it alone, the stream answers with every replica current (a loaded machine can
 * take many seconds; a test that publishes before then loses core publishes sent to it).
 */
async function natsServerReady(url: string, ms = 60_000): Promise<void> {
  await until(
    `NATS ${url} rejoined`,
    async () => {
      const nc = await connect({ servers: [url], timeout: 2000, ...nats.admin }).catch(() => null);
      if (!nc) return false;
      try {
        const info = await (await jetstreamManager(nc)).streams.info(`CITYLEDGER_${CHAIN}`);
        return !!info.cluster?.leader && (info.cluster.replicas ?? []).every((r) => r.current && !r.offline);
      } catch {
        return false;
      } finally {
        await nc.close().catch(() => undefined);
      }
    },
    ms,
  );
}

async function blockHashes(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ hash: string }>("SELECT hash FROM ledger_blocks ORDER BY height");
  return rows.map((r) => r.hash);
}

describe("multi-node ledger over NATS JetStream", () => {
  beforeAll(async () => {
    natsDir = mkdtempSync(join(tmpdir(), "cityledger-nats-"));
    // Random ports: a server orphaned by an interrupted run must not be joined.
    nats = await startNatsClusterOnFreePorts({ dir: natsDir, auth: { nodes: [...IDS], chain: CHAIN } });
    const dbs = [await openTestDb("postgres"), await openTestDb("postgres"), await openTestDb("pglite")];
    IDS.forEach((id, i) => members.push({ id, key: generateKeyPair(), db: dbs[i].db, node: null, dispose: dbs[i].dispose }));
    await Promise.all(members.map((m) => startMember(m)));
    const genesis = genesisTx({
      chainName: "政务链 cluster test",
      quorum: 2,
      nodes: members.map((m, i) => ({ id: m.id, publicKey: m.key.publicKey, region: REGIONS[i], name: m.id })),
      keys: [{ id: "sys", publicKey: systemKey.publicKey, dept: "sz", kind: "system" }],
      root: { id: "sz", name: "深圳市", nameEn: "Shenzhen", kind: "city" },
    });
    // Every node tries to bootstrap; the stream takes exactly one genesis.
    const taken = await Promise.all(members.map((m) => m.node!.bootstrap(genesis, "sys")));
    expect(taken.filter(Boolean)).toHaveLength(1);
    await until("genesis on every node", () => members.every((m) => m.node!.ledger.height === 0));
  });

  afterAll(async () => {
    for (const m of members) await m.node?.close(1000).catch(() => undefined);
    for (const m of members) await m.dispose().catch(() => undefined);
    await nats?.close();
    rmSync(natsDir, { recursive: true, force: true });
  });

  it("builds identical, quorum-signed blocks from concurrent writes to all three nodes", async () => {
    const results = await Promise.all(members.flatMap((m) => Array.from({ length: 40 }, () => anchor(m.node!))));
    expect(results).toHaveLength(120);
    const top = Math.max(...results.map((r) => r.height));
    await Promise.all(members.map((m) => until(`${m.id} at ${top}`, () => m.node!.ledger.height >= top)));
    await Promise.all(members.map((m) => m.node!.waitFinal(top)));
    const [a, b, c] = await Promise.all(members.map((m) => blockHashes(m.db)));
    expect(a.length).toBeGreaterThan(3);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    // Every block's own stored signature set reaches the quorum, and the auditor agrees on each node.
    await until("signatures stored", async () => {
      const { rows } = await members[2].db.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_block_signatures WHERE height = $1", [top]);
      return rows[0].n >= 2;
    });
    for (const m of members) {
      const report = await verifyLedger(m.node!.ledger.store);
      expect(report.ok, report.error?.message).toBe(true);
      expect(report.headHash).toBe(a[a.length - 1]);
    }
    const s = members[0].node!.status();
    expect(s.quorum).toBe(2);
    expect(s.peers.map((p) => p.id).sort()).toEqual(["cs-1", "gz-1"]);
  });

  it("a node that was down catches up from the stream and verifies", async () => {
    const down = members[1];
    await down.node!.close();
    down.node = null;
    const before = members[0].node!.ledger.height;
    const written = await Promise.all([...Array.from({ length: 30 }, () => anchor(members[0].node!)), ...Array.from({ length: 30 }, () => anchor(members[2].node!))]);
    const top = Math.max(...written.map((w) => w.height));
    expect(top).toBeGreaterThan(before);
    // Two of three still make a quorum: blocks are final without the stopped node.
    await members[0].node!.waitFinal(top);
    const back = await startMember(down);
    await until("catch-up", () => back.ledger.height >= top);
    expect(await blockHashes(down.db)).toEqual(await blockHashes(members[0].db));
    const report = await verifyLedger(back.ledger.store);
    expect(report.ok, report.error?.message).toBe(true);
  });

  it("a node catches up from a peer for history the stream no longer holds, then from the stream", async () => {
    const down = members[1];
    await down.node!.close();
    down.node = null;
    // Four rounds, so several blocks (and order messages) precede the purge.
    const early = [];
    for (let i = 0; i < 4; i++) early.push(...(await Promise.all(Array.from({ length: 5 }, () => anchor(members[0].node!)))));
    expect(new Set(early.map((w) => w.height)).size).toBeGreaterThanOrEqual(4);
    // The stream's limits drop old order: keep only the newest message on the order subject.
    const nc = await connect({ servers: nats.urls, ...nats.admin }); // an operator: nodes may not purge
    const jsm = await jetstreamManager(nc);
    await jsm.streams.purge(`CITYLEDGER_${CHAIN}`, { filter: `cityledger.${CHAIN}.order`, keep: 1 });
    await nc.close();
    const late = await Promise.all(Array.from({ length: 5 }, () => anchor(members[2].node!)));
    const top = Math.max(...late.map((w) => w.height));
    expect(top).toBeGreaterThan(Math.max(...early.map((w) => w.height)));
    const back = await startMember(down);
    await until("catch-up from a peer", () => back.ledger.height >= top, 60_000);
    expect(await blockHashes(down.db)).toEqual(await blockHashes(members[0].db));
    const report = await verifyLedger(back.ledger.store);
    expect(report.ok, report.error?.message).toBe(true);
    // Its copies of the blocks carry the quorum's signatures, not only its own.
    const { rows } = await down.db.query<{ n: number }>("SELECT count(DISTINCT signer)::int AS n FROM ledger_block_signatures WHERE height = $1", [early[0].height]);
    expect(rows[0].n).toBeGreaterThanOrEqual(2);
  });

  it("stopping one NATS server stops nothing", async () => {
    await nats.stop(0);
    try {
      const written = await Promise.all(members.map((m) => anchor(m.node!)));
      const top = Math.max(...written.map((w) => w.height));
      await Promise.all(members.map((m) => until(`${m.id} at ${top}`, () => m.node!.ledger.height >= top, 60_000)));
      await members[2].node!.waitFinal(top, 60_000);
      const [a, b, c] = await Promise.all(members.map((m) => blockHashes(m.db)));
      expect(b).toEqual(a);
      expect(c).toEqual(a);
    } finally {
      await nats.start(0);
      await natsServerReady(nats.urls[0]);
    }
  });

  it("refuses forged signatures and cuts", async () => {
    // Forged by a node that holds a NATS user (gz-1): the broker lets it publish, the ledger refuses the content.
    const nc = await connect({ servers: nats.urls, ...nats.credentials("gz-1"), inboxPrefix: nodeInboxPrefix("gz-1") });
    const js = jetstream(nc);
    const h = members[0].node!.ledger.height;
    const hash = members[0].node!.ledger.blockHash(h)!;
    const forger = generateKeyPair();
    // A signature "by" sz-1 made with another key, and one by a node the ledger does not know.
    // Published with JetStream acks: stored in the stream for certain, so every node must see them.
    await js.publish(`cityledger.${CHAIN}.sig`, encodeSignature(h, hash, { signer: "sz-1", signature: toHex(nodeSuite.signatures.sign(forger.secretKey, Buffer.from(hash, "hex"))) }));
    await js.publish(`cityledger.${CHAIN}.sig`, encodeSignature(h, hash, { signer: "xx-9", signature: "ab".repeat(64) }));
    // A cut whose batch is signed by a key the ledger does not hold for "sys".
    const tx = encodeTx(nodeSuite.hasher, { v: 1, chain: CHAIN, type: "file.anchor", dept: "sz", actor: "system", nonce: toHex(randomBytes(12)), ts: Date.now(), payload: { fileHash: toHex(randomBytes(32)) } } as never);
    const batch = signBatch(nodeSuite.hasher, nodeSuite.signatures, CHAIN, "sys", forger.secretKey, [tx.hash]);
    await js.publish(`cityledger.${CHAIN}.order`, encodeCut("xx-9", [{ ...batch, texts: [tx.text] }]));
    await nc.close();
    // Sent through the stream, every node refuses them.
    for (const m of members) {
      const n = m.node!;
      await until(`${m.id} rejects the forged signatures`, () => {
        const r = n.status().rejectedSignatures;
        return r.some((x) => x.signer === "sz-1" && x.reason === "invalid signature") && r.some((x) => x.signer === "xx-9" && x.reason === "unknown node");
      });
    }
    // The forged cut makes no block; a genuine write after it lands at the same height on all nodes.
    const ok = await anchor(members[2].node!);
    await Promise.all(members.map((m) => until(`${m.id} at ${ok.height}`, () => m.node!.ledger.height >= ok.height)));
    const { rows } = await members[0].db.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_txs WHERE hash = $1", [tx.hash]);
    expect(rows[0].n).toBe(0);
    const [a, b, c] = await Promise.all(members.map((m) => blockHashes(m.db)));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    // The stored signature of sz-1 is its real one: the auditor still passes.
    const report = await verifyLedger(members[1].node!.ledger.store);
    expect(report.ok, report.error?.message).toBe(true);
  });

  it("an edited block row on one node is named, with its height, by the others; that node stops signing", async () => {
    const victim = members[1];
    const height = 2;
    const shiftTime = async (ms: number) => {
      await victim.db.query("ALTER TABLE ledger_blocks DISABLE TRIGGER USER");
      try {
        await victim.db.query("UPDATE ledger_blocks SET time = time + $2 WHERE height = $1", [height, ms]);
      } finally {
        await victim.db.query("ALTER TABLE ledger_blocks ENABLE TRIGGER USER");
      }
    };
    await shiftTime(1);
    let edited = true;
    try {
      for (const m of [members[0], members[2]]) {
        const peer = await until(`${m.id} flags ${victim.id}`, () => m.node!.status().peers.find((p) => p.id === victim.id && p.divergence));
        expect(peer!.divergence).toMatchObject({ height, how: "stored rows" });
      }
      const self = await until("the victim notices", () => victim.node!.status().selfProblem);
      expect(self!.height).toBe(height);
      expect(victim.node!.signing).toBe(false);
      // Writes go on (two of three sign); the victim's new blocks carry no signature of its own.
      const w = await anchor(members[0].node!);
      await members[0].node!.waitFinal(w.height);
      await until("victim has the block", () => victim.node!.ledger.height >= w.height);
      const { rows } = await victim.db.query<{ signer: string }>("SELECT signer FROM ledger_block_signatures WHERE height = $1", [w.height]);
      expect(rows.map((r) => r.signer)).not.toContain(victim.id);
      // Repaired (the row restored): the flag clears and it signs again.
      await shiftTime(-1);
      edited = false;
    } finally {
      if (edited) await shiftTime(-1);
    }
    await until("victim repaired", () => victim.node!.signing);
    await until("peers clear the flag", () => !members[0].node!.status().peers.find((p) => p.id === victim.id)?.divergence);
  });
});
