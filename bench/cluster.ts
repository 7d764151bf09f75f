/**
 * cluster.commit: a 3-node ledger (3 nats-server processes in one JetStream cluster, 3 nodes on
 * their own PostgreSQL databases, quorum 2) under writes spread over all three nodes. Reports
 * committed tx/s (acknowledged on the submitting node) and finality latency: submit until the
 * transaction's block holds a quorum of node signatures on the node that took it (target p99 < 1 s).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toHex } from "../chain/bytes.js";
import { ClusterNode } from "../chain/cluster/cluster-node.js";
import { genesisTx } from "../chain/genesis.js";
import { generateKeyPair } from "../chain/signature.js";
import { startNatsClusterOnFreePorts } from "../scripts/nats-cluster.js";
import { openTestDb } from "../test/helpers/db.js";
import { percentile } from "./ledger.js";

export async function benchCluster(opts: { txs?: number; concurrency?: number } = {}): Promise<void> {
  const TXS = opts.txs ?? 20_000;
  const CONCURRENCY = opts.concurrency ?? 100; // in flight per node (finality is measured below saturation)
  const dir = mkdtempSync(join(tmpdir(), "cityledger-bench-nats-"));
  const ids = ["sz-1", "gz-1", "cs-1"];
  const nats = await startNatsClusterOnFreePorts({ dir, auth: { nodes: ids, chain: "bench" } });
  const system = generateKeyPair();
  const keystore = new Map([["sys", system.secretKey]]);
  const keys = ids.map(() => generateKeyPair());
  const dbs = await Promise.all(ids.map(() => openTestDb("postgres")));
  const nodes = await Promise.all(
    ids.map((id, i) => ClusterNode.start({ db: dbs[i].db, chain: "bench", node: { id, secretKey: keys[i].secretKey }, keystore, servers: nats.urls, credentials: nats.credentials(id), peers: ids })),
  );
  try {
    await nodes[0].bootstrap(
      genesisTx({
        chainName: "bench",
        quorum: 2,
        nodes: ids.map((id, i) => ({ id, publicKey: keys[i].publicKey, region: id, name: id })),
        keys: [{ id: "sys", publicKey: system.publicKey, dept: "sz", kind: "system" }],
        root: { id: "sz", name: "深圳市", nameEn: "Shenzhen", kind: "city" },
      }),
      "sys",
    );
    while (nodes.some((n) => n.ledger.height < 0)) await new Promise((r) => setTimeout(r, 20));

    const finality: number[] = [];
    let done = 0;
    const t0 = performance.now();
    await Promise.all(
      nodes.flatMap((node) =>
        Array.from({ length: CONCURRENCY }, async () => {
          while (done < TXS) {
            done++;
            const s = performance.now();
            const c = await node.submit({ type: "file.anchor", dept: "sz", actor: "system", payload: { fileHash: toHex(randomBytes(32)) } }, "sys");
            await node.waitFinal(c.height, 30_000);
            finality.push(performance.now() - s);
          }
        }),
      ),
    );
    const secs = (performance.now() - t0) / 1000;
    finality.sort((a, b) => a - b);
    const heights = nodes.map((n) => n.ledger.height);
    console.log(
      JSON.stringify({
        bench: "cluster.commit",
        tx_per_s: Math.round(finality.length / secs),
        finality_p50_ms: Math.round(percentile(finality, 50)),
        finality_p99_ms: Math.round(percentile(finality, 99)),
        txs: finality.length,
        nodes: 3,
        quorum: 2,
        blocks: Math.min(...heights),
        in_flight: CONCURRENCY * 3,
      }),
    );
  } finally {
    await Promise.all(nodes.map((n) => n.close(5000).catch(() => undefined)));
    await Promise.all(dbs.map((d) => d.dispose().catch(() => undefined)));
    await nats.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
