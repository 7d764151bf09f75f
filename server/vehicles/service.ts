/**
 * Vehicle supervision inside the portal process: the service accounts it acts as, the demo world on
 * a fresh ledger, the supervisor (event engine following the ledger), the telemetry ingest and the
 * MQTT subscriber.
 */
import { randomBytes } from "node:crypto";
import type { Committed } from "../../chain/node";
import { newCredential } from "../auth/credential-seal";
import { RoadGraph } from "../geo/road-graph";
import { readFileSync } from "node:fs";
import { mqttConnection, MQTT_INGEST_USER } from "../ingest/broker-config";
import { startMqttIngest, type MqttIngest } from "../ingest/mqtt";
import { TelemetryIngest } from "../ingest/telemetry-ingest";
import { TripIngest } from "../ingest/trips";
import type { PortalLedger } from "../ledger/portal-ledger";
import { demoEnabled, deptKeyId, ROOT_DEPT, SYSTEM_KEY_ID } from "../ledger/seed-data";
import { DEMO_MARKER_RULE, seedVehicleDemo } from "./demo-data";
import { driverSealer } from "./drivers";
import { VehicleSupervisor, type ServiceIdentity } from "./supervisor";

export interface VehicleServices {
  supervisor: VehicleSupervisor;
  ingest: TelemetryIngest;
  trips: TripIngest;
  mqtt: MqttIngest | null;
  graph: RoadGraph;
}

/** Automated actors: each is a user of its bureau whose password nobody knows (sign-in impossible). */
export const SERVICE_ACCOUNTS = {
  ingest: { id: "svc.ingest", dept: "sz.transport", name: "车载终端接入服务" },
  engine: { id: "svc.engine", dept: "sz.tp", name: "智能事务处理引擎" },
} as const;

const identity = (a: { id: string; dept: string }): ServiceIdentity => ({ dept: a.dept, actor: a.id, key: deptKeyId(a.dept) });

async function ensureServiceAccounts(ledger: PortalLedger): Promise<void> {
  const pending: Promise<Committed>[] = [];
  for (const a of Object.values(SERVICE_ACCOUNTS)) {
    if (await ledger.node.store.record("user", a.id)) continue;
    const credential = await newCredential(ledger.keystore, a.id, randomBytes(32).toString("hex"));
    pending.push(
      ledger.node.submit(
        { type: "user.create", dept: ROOT_DEPT.id, actor: "system", purpose: "创建服务账号 service account", payload: { id: a.id, dept: a.dept, name: a.name, role: "operator", clearance: 1, credential } },
        SYSTEM_KEY_ID,
      ),
    );
  }
  await Promise.all(pending);
}

export async function openVehicleServices(
  ledger: PortalLedger,
  opts: { demo?: boolean; vehicles?: number; mqttUrl?: string | null; mqttUsername?: string; mqttPassword?: string; dataDir?: string; sweepMs?: number } = {},
): Promise<VehicleServices> {
  const graph = RoadGraph.fromFile();
  await ensureServiceAccounts(ledger);
  const demo = opts.demo ?? demoEnabled();
  if (demo && !(await ledger.node.store.record("rule", DEMO_MARKER_RULE))) {
    const started = Date.now();
    const n = await seedVehicleDemo(ledger.node, ledger.keystore, graph, {
      transport: { dept: "sz.transport", actor: "tr.operator", key: deptKeyId("sz.transport") },
      traffic: { dept: "sz.tp", actor: "tp.supervisor", key: deptKeyId("sz.tp") },
      system: { dept: ROOT_DEPT.id, key: SYSTEM_KEY_ID },
    }, driverSealer(ledger), { vehicles: opts.vehicles ?? Number(process.env.CITYLEDGER_DEMO_VEHICLES ?? 2000) });
    console.log(`[cityledger] seeded the demo traffic world: ${n} transactions in ${Date.now() - started} ms`);
  }
  const supervisor = await VehicleSupervisor.open(ledger.node, identity(SERVICE_ACCOUNTS.engine), { sweepMs: opts.sweepMs });
  const ingest = new TelemetryIngest(ledger.db, ledger.node, supervisor, identity(SERVICE_ACCOUNTS.ingest));
  let mqtt: MqttIngest | null = null;
  // The project's broker (scripts/mqtt-broker.ts) with the `ingest` user's generated password, unless MQTT_* say otherwise.
  const conn = mqttConnection(opts.dataDir ?? (process.env.CITYLEDGER_DATA_DIR || ".data"), MQTT_INGEST_USER);
  const mqttUrl = opts.mqttUrl === undefined ? conn.url : opts.mqttUrl;
  const credentials = opts.mqttUsername ? { username: opts.mqttUsername, password: opts.mqttPassword ?? "" } : conn.credentials;
  if (mqttUrl && mqttUrl !== "off") {
    const ca = process.env.MQTT_CA_FILE ? readFileSync(/*turbopackIgnore: true*/ process.env.MQTT_CA_FILE) : undefined;
    mqtt = await startMqttIngest(mqttUrl, ingest, { ...credentials, ca }).catch((e: Error) => {
      console.warn(
        `[cityledger] MQTT ingest not started (${mqttUrl}${credentials ? ` as ${credentials.username}` : ", no credentials: run scripts/mqtt-broker.ts or set MQTT_USERNAME/MQTT_PASSWORD"}): ${e.message}; HTTP ingest still works`,
      );
      return null;
    });
  }
  return { supervisor, ingest, trips: new TripIngest(ledger.node, identity(SERVICE_ACCOUNTS.ingest)), mqtt, graph };
}
