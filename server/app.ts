/**
 * The composition root: `openApp(config)` opens everything the portal serves from, in explicit
 * ordered steps, for the Next server (server/services.ts), tests (server/testing/harness.ts), bench
 * and scripts alike:
 *
 *   migrate → ledger (genesis | follow | catch-up | resume) → catalogue → service accounts → demo → ingest
 *
 * Nothing is seeded later on a request path. In a cluster, shared setup and demo data are written
 * once, by the bootstrap node; the others receive them through the ordering stream.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { openDatabase, type Database } from "../chain/store/db";
import { parseTrustedProxies } from "./auth/client-ip";
import { SignInThrottle } from "./auth/sign-in-throttle";
import type { Config } from "./config";
import { migratePortalDatabase } from "./db/migrate";
import { seedDispatchDemo } from "./dispatch/demo-data";
import { RoadGraph } from "./geo/road-graph";
import { mqttConnection, MQTT_INGEST_USER } from "./ingest/broker-config";
import { openPortalLedger, type ClusterConfig, type LedgerStart } from "./ledger/portal-ledger";
import { syncCatalogue } from "./sharing/service";
import { ensureServiceAccounts, seedVehicleDemoOnce, startVehicleServices, type VehicleServices } from "./vehicles/service";
import type { Services } from "./api/trpc";

/** The start-up steps, in the order they run. */
export type Step = "migrate" | "ledger" | LedgerStart | "catalogue" | "service-accounts" | "demo" | "ingest";

export interface OpenOptions {
  /** An open database (tests hand their own) instead of `config.database`; closed with the app. */
  db?: Database;
  /** Cluster membership already resolved (tests); else read from `config.cluster`'s file. */
  cluster?: ClusterConfig;
  /** Keystore file; null keeps keys in memory (tests). Default `config.keysFile`. */
  keysFile?: string | null;
  /** Password of the seeded demo staff (tests). */
  seedPassword?: string;
  /**
   * Steps a test leaves out (production runs them all): the catalogue (a test of a ledger written by an
   * earlier release syncs it itself), the demo world, and vehicle supervision (service accounts, its demo, ingest).
   */
  catalogue?: boolean;
  demoWorld?: boolean;
  vehicles?: boolean | { sweepMs?: number };
  log?: (message: string) => void;
}

export interface App {
  config: Config;
  services: Services;
  /** The steps that ran, in order. */
  steps: Step[];
  close(): Promise<void>;
}

const clusterFile = z.object({
  servers: z.array(z.string().min(1)).min(1),
  quorum: z.number().int().min(1),
  stream: z.string().optional(),
  nodes: z.array(z.object({ id: z.string(), publicKey: z.string(), region: z.string(), name: z.string() })).min(1),
});

/** The cluster config file and this node's place in it. */
export function readClusterConfig(env: NonNullable<Config["cluster"]>): ClusterConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(/*turbopackIgnore: true*/ env.file, "utf8"));
  } catch (e) {
    throw new Error(`CITYLEDGER_CLUSTER: 无法读取集群配置 cannot read the cluster config ${env.file}: ${(e as Error).message}`);
  }
  const parsed = clusterFile.safeParse(raw);
  if (!parsed.success) throw new Error(`CITYLEDGER_CLUSTER: ${env.file} 不是集群配置 is not a cluster config: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  if (!parsed.data.nodes.some((n) => n.id === env.nodeId)) throw new Error(`CITYLEDGER_NODE_ID "${env.nodeId}" is not a node of ${env.file}`);
  return { ...parsed.data, nodeId: env.nodeId, credentials: env.credentials, tlsCaFile: env.tlsCaFile };
}

export async function openApp(config: Config, opts: OpenOptions = {}): Promise<App> {
  const log = opts.log ?? ((m: string) => console.log(`[cityledger] ${m}`));
  const steps: Step[] = [];
  const demo = config.demo.enabled && opts.demoWorld !== false;

  steps.push("migrate");
  const db = opts.db ?? (await openDatabase({ ...(config.database.kind === "postgres" ? { url: config.database.url } : { dataDir: config.database.dir }), migrate: false }));
  await migratePortalDatabase(db, config.migrationsDir);

  steps.push("ledger");
  const started = Date.now();
  const cluster = opts.cluster ?? (config.cluster ? readClusterConfig(config.cluster) : undefined);
  const ledger = await openPortalLedger({
    db,
    keysFile: opts.keysFile === undefined ? config.keysFile : opts.keysFile,
    cluster,
    demo: config.demo.enabled,
    adminPassword: config.adminPassword,
    seedPassword: opts.seedPassword,
    trace: config.trace,
  });
  steps.push(ledger.start);
  if (ledger.seeded) log(`seeded an empty ledger: ${ledger.seeded.transactions} transactions in ${Date.now() - started} ms (height ${ledger.node.height})`);
  const follower = !!cluster && cluster.nodes[0].id !== cluster.nodeId;

  // The resource catalogue, department sealing keys and statutory shares (renewed at each start).
  if (!follower && opts.catalogue !== false) {
    steps.push("catalogue");
    await syncCatalogue(ledger, { demo: config.demo.enabled });
  }

  let vehicles: VehicleServices | undefined;
  const graph = opts.vehicles === false ? null : RoadGraph.fromFile();
  if (graph) {
    steps.push("service-accounts");
    await ensureServiceAccounts(ledger);
  }
  if (demo && !follower) {
    steps.push("demo");
    const t = Date.now();
    if (graph) {
      const n = await seedVehicleDemoOnce(ledger, graph, config.demo.vehicles);
      if (n) log(`seeded the demo traffic world: ${n} transactions in ${Date.now() - t} ms`);
    }
    await seedDispatchDemo(ledger.node, ledger.keystore);
  }
  if (graph) {
    steps.push("ingest");
    // Telemetry enters on the bootstrap node (scripts/cluster.ts); the project broker with the `ingest` user's generated password unless MQTT_* say otherwise.
    const conn = mqttConnection(config.dataDir, MQTT_INGEST_USER, config.mqtt);
    const mqtt = conn.url ? { url: conn.url, credentials: conn.credentials, ca: config.mqtt.caFile ? readFileSync(/*turbopackIgnore: true*/ config.mqtt.caFile) : undefined } : null;
    vehicles = await startVehicleServices(ledger, graph, { mqtt, sweepMs: typeof opts.vehicles === "object" ? opts.vehicles.sweepMs : undefined });
  }

  const services: Services = {
    ledger,
    limiter: new SignInThrottle(config.deviceSecret),
    trustedProxies: parseTrustedProxies(config.trustedProxies),
    appOrigins: config.appOrigins,
    vehicles,
  };
  return {
    config,
    services,
    steps,
    async close() {
      await vehicles?.mqtt?.stop();
      vehicles?.supervisor.close();
      await ledger.close();
    },
  };
}
