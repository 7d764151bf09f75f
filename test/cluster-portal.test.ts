/**
 * The portal on a multi-node ledger: the bootstrap node seeds the city through the NATS JetStream
 * order, a follower (another database) receives it, a change made through tRPC on the follower is
 * on the bootstrap node, and each node's status procedure shows its peer, in agreement.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "../chain/signature.js";
import { Keystore } from "../server/ledger/keystore.js";
import type { ClusterConfig } from "../server/ledger/portal-ledger.js";
import { CHAIN_ID } from "../server/ledger/seed-data.js";
import { createHarness, type Harness } from "../server/testing/harness.js";
import { startNatsClusterOnFreePorts, type NatsCluster } from "../scripts/nats-cluster.js";
import { openTestDb, type TestDb } from "./helpers/db.js";
import { until } from "./helpers/until.js";

let nats: NatsCluster;
let dir: string;
let pgDb: TestDb;
const harnesses: Harness[] = [];

describe("the portal on a 2-node cluster", () => {
  let boot: Harness;
  let follower: Harness;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cityledger-cluster-portal-"));
    const stream = `CITYLEDGER_PORTAL_${Date.now()}`;
    nats = await startNatsClusterOnFreePorts({ dir: join(dir, "nats"), auth: { nodes: ["sz-1", "gz-1"], chain: CHAIN_ID, stream } });
    const keys = [generateKeyPair(), generateKeyPair()];
    const base: Omit<ClusterConfig, "nodeId"> = {
      servers: nats.urls,
      quorum: 2,
      stream,
      nodes: [
        { id: "sz-1", publicKey: keys[0].publicKey, region: "shenzhen", name: "深圳节点" },
        { id: "gz-1", publicKey: keys[1].publicKey, region: "guangzhou", name: "广州节点" },
      ],
    };
    // What `npm run cluster` does: each node's keystore holds its own node key.
    Keystore.create(join(dir, "sz-1.json"), CHAIN_ID, { id: "sz-1", secretKey: keys[0].secretKey }).save();
    boot = await createHarness(undefined, { keysFile: join(dir, "sz-1.json"), cluster: { ...base, nodeId: "sz-1", credentials: nats.credentials("sz-1") } });
    harnesses.push(boot);
    expect(boot.services.ledger.seeded?.users).toBeGreaterThan(5);
    // The follower gets the department keys the bootstrap node made, with its own node key.
    const file = JSON.parse(readFileSync(join(dir, "sz-1.json"), "utf8"));
    writeFileSync(join(dir, "gz-1.json"), JSON.stringify({ ...file, node: { id: "gz-1", secretKey: keys[1].secretKey } }));
    pgDb = await openTestDb("postgres");
    follower = await createHarness(pgDb.db, { keysFile: join(dir, "gz-1.json"), cluster: { ...base, nodeId: "gz-1", credentials: nats.credentials("gz-1") } });
    harnesses.push(follower);
  });

  afterAll(async () => {
    for (const h of harnesses) await h.close().catch(() => undefined);
    await pgDb?.dispose().catch(() => undefined);
    await nats?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the follower holds the seeded city; a change made on it is on the bootstrap node", async () => {
    expect(follower.services.ledger.seeded).toBeNull();
    const fNode = follower.services.ledger.node;
    const bNode = boot.services.ledger.node;
    expect(fNode.height).toBe(bNode.height);
    expect(fNode.blockHash(fNode.height)).toBe(bNode.blockHash(bNode.height));

    const admin = await follower.as("admin");
    const users = (await admin.admin.users()) as { id: string }[];
    expect(users.map((u) => u.id)).toContain("tp.operator");
    await admin.admin.createUser({ id: "gz.clerk", dept: "sz", name: "广州节点录入员", role: "viewer", clearance: 1, password: "Clerk@2026x" });
    await until("user on the bootstrap node", () => bNode.store.record("user", "gz.clerk"));
    // Signed in on the other node with the password set through the follower.
    const { caller } = await boot.anonymous();
    await expect(caller.auth.signIn({ username: "gz.clerk", password: "Clerk@2026x" })).resolves.toBeTruthy();
  });

  it("each node's status shows its peer in agreement, final blocks and who signs", async () => {
    await until("beacons", () => boot.services.ledger.cluster!.status().peers.every((p) => p.online) && follower.services.ledger.cluster!.status().peers.every((p) => p.online));
    const admin = await boot.as("admin");
    const s = await admin.nodes.status();
    expect(s).toMatchObject({ mode: "cluster", node: "sz-1", name: "深圳节点", quorum: 2, signing: true, selfProblem: null });
    expect(s.peers).toEqual([expect.objectContaining({ id: "gz-1", region: "guangzhou", online: true, signing: true, divergence: null })]);
    await until("finality", async () => (await admin.nodes.status()).finalHeight === boot.services.ledger.node.height);
    // The big screen's summary for any signed-in role; the full status for administrators only.
    const viewer = await follower.as("tp.viewer");
    const sum = await viewer.nodes.summary();
    expect(sum.nodes.map((n) => n.id).sort()).toEqual(["gz-1", "sz-1"]);
    await expect(viewer.nodes.status()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
