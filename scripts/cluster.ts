/**
 * `npm run cluster`: a local 3-node ledger. Three nats-server processes form a JetStream cluster on
 * loopback (clients 4301-4303, routes 4401-4403); three portal nodes (Shenzhen, Guangzhou, Changsha)
 * run `next start` on ports 3001-3003, each with its own PGlite database under .data/cluster/<node>.
 * The first node seeds the demo city through the shared order; the others follow it, with copies of
 * its department keys (a demo: in production each region holds only its own departments' keys).
 * Quorum: 2 of 3. Options: --fresh (start over), --simulate (the traffic simulator on node 1).
 * NATS is never anonymous: each node has its own user (passwords in .data/cluster/nats/secrets.json),
 * and node 1 takes telemetry from the project's MQTT broker (127.0.0.1:1884, users and ACLs under
 * .data/cluster/sz-1/mqtt) when mosquitto is installed.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { generateKeyPair } from "../chain/signature";
import { loadConfig } from "../server/config";
import { startMosquitto, type RunningBroker } from "../server/ingest/broker-config";
import { DEMO_COMPANIES } from "../server/vehicles/demo-data";
import { Keystore } from "../server/ledger/keystore";
import { CHAIN_ID } from "../server/ledger/seed-data";
import { startNatsCluster } from "./nats-cluster";

const ROOT = resolve(".data/cluster");
const NODES = [
  { id: "sz-1", region: "shenzhen", name: "深圳市政务链主节点", port: 3001 },
  { id: "gz-1", region: "guangzhou", name: "广州灾备节点", port: 3002 },
  { id: "cs-1", region: "changsha", name: "长沙灾备节点", port: 3003 },
];
const args = new Set(process.argv.slice(2));
const children: ChildProcess[] = [];

if (args.has("--fresh")) rmSync(ROOT, { recursive: true, force: true });
mkdirSync(ROOT, { recursive: true });

if (!existsSync(".next/BUILD_ID")) {
  console.log("[cluster] building the app (next build) ...");
  if (spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit" }).status !== 0) {
    process.exit(1);
  }
}

const nats = await startNatsCluster({ dir: join(ROOT, "nats"), basePort: 4301, clusterName: "cityledger", auth: { nodes: NODES.map((n) => n.id), chain: CHAIN_ID, stream: "CITYLEDGER" } });
console.log(`[cluster] NATS JetStream cluster: ${nats.urls.join(", ")} (per-node users; secrets in ${join(ROOT, "nats", "secrets.json")})`);

// Telemetry reaches node 1 over the project's broker; without mosquitto, over HTTP only.
let mqttBroker: RunningBroker | null = null;
if (!process.env.MQTT_URL) {
  mqttBroker = await startMosquitto({ dataDir: join(ROOT, NODES[0].id), companies: DEMO_COMPANIES.map((c) => c.id), bin: loadConfig().mqtt.mosquittoBin }).catch((e: Error) => {
    console.warn(`[cluster] MQTT broker not started (${e.message}): telemetry over HTTP only`);
    return null;
  });
}

// The shared configuration: every node's public key, the quorum, the NATS servers.
const configFile = join(ROOT, "cluster.json");
if (!existsSync(configFile)) {
  const nodes = NODES.map((n) => {
    const kp = generateKeyPair();
    mkdirSync(join(ROOT, n.id), { recursive: true });
    Keystore.create(join(ROOT, n.id, "keys.json"), CHAIN_ID, { id: n.id, secretKey: kp.secretKey }).save();
    return { id: n.id, publicKey: kp.publicKey, region: n.region, name: n.name };
  });
  writeFileSync(configFile, JSON.stringify({ servers: nats.urls, quorum: 2, stream: "CITYLEDGER", nodes }, null, 2));
}

function startNode(n: (typeof NODES)[number], follower: boolean): ChildProcess {
  const child = spawn("node_modules/.bin/next", ["start", "-p", String(n.port)], {
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-semi-space-size=32`.trim(),
      CITYLEDGER_DATA_DIR: join(ROOT, n.id),
      CITYLEDGER_KEYS: join(ROOT, n.id, "keys.json"),
      CITYLEDGER_CLUSTER: configFile,
      CITYLEDGER_NODE_ID: n.id,
      NATS_USER: n.id,
      NATS_PASSWORD: nats.credentials(n.id).pass,
      DATABASE_URL: "",
      // Telemetry goes to the first node; the others receive its ledger effects through the order.
      ...(follower ? { MQTT_URL: "off" } : process.env.MQTT_URL ? {} : { MQTT_URL: mqttBroker?.url ?? "off" }),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on("data", (b: Buffer) => {
      for (const line of b.toString().split("\n")) if (line.trim()) console.log(`[${n.id}] ${line}`);
    });
  }
  children.push(child);
  return child;
}

async function healthy(port: number, ms = 300_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`node on port ${port} not healthy after ${ms} ms`);
}

const stop = async () => {
  for (const c of children) c.kill("SIGTERM");
  await nats.close();
  await mqttBroker?.stop();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

startNode(NODES[0], false);
await healthy(NODES[0].port);
// Followers get the bootstrap node's department, system and sealing keys, keeping their own node key.
const bootKeys = JSON.parse(readFileSync(join(ROOT, NODES[0].id, "keys.json"), "utf8")) as Record<string, unknown>;
for (const n of NODES.slice(1)) {
  const file = join(ROOT, n.id, "keys.json");
  const own = JSON.parse(readFileSync(file, "utf8")) as { node: unknown; keys: Record<string, string> };
  if (Object.keys(own.keys).length === 0) writeFileSync(file, JSON.stringify({ ...bootKeys, node: own.node }, null, 2));
  startNode(n, true);
}
await Promise.all(NODES.slice(1).map((n) => healthy(n.port)));
if (args.has("--simulate")) {
  const env = { ...process.env, CITYLEDGER_DATA_DIR: join(ROOT, NODES[0].id), CITYLEDGER_KEYS: join(ROOT, NODES[0].id, "keys.json"), MQTT_URL: process.env.MQTT_URL ?? mqttBroker?.url ?? "off" };
  children.push(spawn("node_modules/.bin/tsx", ["scripts/simulate.ts", "--url", `http://127.0.0.1:${NODES[0].port}`], { stdio: "inherit", env }));
}
console.log(`[cluster] 3 nodes up: ${NODES.map((n) => `${n.id} http://127.0.0.1:${n.port}`).join(", ")}; node status at /admin/nodes`);
