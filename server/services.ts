/**
 * The process-wide services (one ledger node, one database, one sign-in limiter), opened once per
 * process and kept on globalThis so dev-mode reloads do not open PGlite twice.
 * Configuration: DATABASE_URL (PostgreSQL) or CITYLEDGER_DATA_DIR (PGlite, default .data);
 * CITYLEDGER_KEYS (keystore, default <dataDir>/keys.json). Multi-node: CITYLEDGER_CLUSTER (the
 * cluster config JSON written by `npm run cluster`) and CITYLEDGER_NODE_ID (which node this is), with
 * NATS_PASSWORD (and NATS_USER, default the node id; NATS_CA_FILE for tls:// servers) for its NATS user.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { openDatabase } from "../chain/store/db";
import { parseTrustedProxies } from "./auth/client-ip";
import { SignInThrottle } from "./auth/sign-in-throttle";
import { migratePortalDatabase } from "./db/migrate";
import { openPortalLedger, type ClusterConfig } from "./ledger/portal-ledger";
import { demoEnabled } from "./ledger/seed-data";
import { seedDispatchDemo } from "./dispatch/demo-data";
import { ensureSharing } from "./sharing/service";
import { openVehicleServices } from "./vehicles/service";
import type { Services } from "./api/trpc";

const g = globalThis as typeof globalThis & { __cityledgerServices?: Promise<Services> };

export function getServices(): Promise<Services> {
  g.__cityledgerServices ??= openServices().catch((e) => {
    g.__cityledgerServices = undefined;
    throw e;
  });
  return g.__cityledgerServices;
}

async function openServices(): Promise<Services> {
  const dataDir = resolve(/*turbopackIgnore: true*/ process.env.CITYLEDGER_DATA_DIR || ".data");
  const url = process.env.DATABASE_URL || undefined;
  const db = await openDatabase({ url, dataDir: join(dataDir, "pglite"), migrate: false });
  await migratePortalDatabase(db);
  const started = Date.now();
  const cluster = clusterConfig();
  const ledger = await openPortalLedger({ db, keysFile: resolve(/*turbopackIgnore: true*/ process.env.CITYLEDGER_KEYS || join(dataDir, "keys.json")), cluster, trace: !!process.env.CITYLEDGER_TRACE });
  if (ledger.seeded) {
    console.log(`[cityledger] seeded an empty ledger: ${ledger.seeded.transactions} transactions in ${Date.now() - started} ms (height ${ledger.node.height})`);
  }
  // In a cluster, shared setup and demo data are written once, by the bootstrap node; the others receive them.
  const follower = !!cluster && cluster.nodes[0].id !== cluster.nodeId;
  // The resource catalogue, department sealing keys and statutory shares (renewed at each start).
  if (!follower) await ensureSharing(ledger);
  const vehicles = await openVehicleServices(ledger, follower ? { demo: false, dataDir } : { dataDir });
  if (demoEnabled() && !follower) await seedDispatchDemo(ledger.node, ledger.keystore);
  return { ledger, limiter: new SignInThrottle(process.env.CITYLEDGER_DEVICE_SECRET), trustedProxies: parseTrustedProxies(process.env.TRUSTED_PROXIES), vehicles };
}

function clusterConfig(): ClusterConfig | undefined {
  const file = process.env.CITYLEDGER_CLUSTER;
  if (!file) return undefined;
  const cfg = JSON.parse(readFileSync(resolve(/*turbopackIgnore: true*/ file), "utf8")) as Omit<ClusterConfig, "nodeId">;
  const nodeId = process.env.CITYLEDGER_NODE_ID ?? "";
  if (!cfg.nodes.some((n) => n.id === nodeId)) throw new Error(`CITYLEDGER_NODE_ID "${nodeId}" is not a node of ${file}`);
  // The node's NATS user is its id unless NATS_USER says otherwise; the password is a secret, never in the shared config.
  const credentials = process.env.NATS_PASSWORD ? { user: process.env.NATS_USER || nodeId, pass: process.env.NATS_PASSWORD } : undefined;
  return { ...cfg, nodeId, credentials, tlsCaFile: process.env.NATS_CA_FILE || undefined };
}
