/**
 * Vehicle supervision inside the portal process: the service accounts it acts as, the demo world on
 * a fresh ledger, the supervisor (event engine following the ledger), the telemetry ingest and the
 * MQTT subscriber.
 */
import { randomBytes } from "node:crypto";
import type { Committed } from "../../chain/node";
import { newCredential } from "../auth/credential-seal";
import { RoadGraph } from "../geo/road-graph";
import { startMqttIngest, type MqttIngest } from "../ingest/mqtt";
import { TelemetryIngest } from "../ingest/telemetry-ingest";
import { TripIngest } from "../ingest/trips";
import type { PortalLedger } from "../ledger/portal-ledger";
import { deptKeyId, ROOT_DEPT, SYSTEM_KEY_ID } from "../ledger/seed-data";
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

/** Creates the service accounts missing on this ledger (a start-up step). */
export async function ensureServiceAccounts(ledger: PortalLedger): Promise<void> {
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

/** Seeds the demo traffic world unless it is there already (a start-up step, after the catalogue: drivers are sealed). Returns the transactions written. */
export async function seedVehicleDemoOnce(ledger: PortalLedger, graph: RoadGraph, vehicles: number): Promise<number> {
  if (await ledger.node.store.record("rule", DEMO_MARKER_RULE)) return 0;
  return seedVehicleDemo(ledger.node, ledger.keystore, graph, {
    transport: { dept: "sz.transport", actor: "tr.operator", key: deptKeyId("sz.transport") },
    traffic: { dept: "sz.tp", actor: "tp.supervisor", key: deptKeyId("sz.tp") },
    system: { dept: ROOT_DEPT.id, key: SYSTEM_KEY_ID },
  }, driverSealer(ledger), { vehicles });
}

/** Where the MQTT ingest subscribes (null: none), as whom. */
export interface MqttIngestTarget {
  url: string;
  credentials: { username: string; password: string } | null;
  ca?: Buffer;
}

/** Starts the supervisor (event engine following the ledger), the telemetry and trip ingest, and the MQTT subscriber. */
export async function startVehicleServices(ledger: PortalLedger, graph: RoadGraph, opts: { mqtt?: MqttIngestTarget | null; sweepMs?: number } = {}): Promise<VehicleServices> {
  const supervisor = await VehicleSupervisor.open(ledger.node, identity(SERVICE_ACCOUNTS.engine), { sweepMs: opts.sweepMs });
  const ingest = new TelemetryIngest(ledger.db, ledger.node, supervisor, identity(SERVICE_ACCOUNTS.ingest));
  const target = opts.mqtt;
  const mqtt = target
    ? await startMqttIngest(target.url, ingest, { ...target.credentials, ca: target.ca }).catch((e: Error) => {
        console.warn(
          `[cityledger] MQTT ingest not started (${target.url}${target.credentials ? ` as ${target.credentials.username}` : ", no credentials: run scripts/mqtt-broker.ts or set MQTT_USERNAME/MQTT_PASSWORD"}): ${e.message}; HTTP ingest still works`,
        );
        return null;
      })
    : null;
  return { supervisor, ingest, trips: new TripIngest(ledger.node, identity(SERVICE_ACCOUNTS.ingest)), mqtt, graph };
}

/** The three steps at once, for tests that add vehicle supervision to a harness (server/app.ts runs them as start-up steps). */
export async function openVehicleServices(ledger: PortalLedger, opts: { demo: boolean; vehicles?: number; mqtt?: MqttIngestTarget | null; sweepMs?: number }): Promise<VehicleServices> {
  const graph = RoadGraph.fromFile();
  await ensureServiceAccounts(ledger);
  if (opts.demo) await seedVehicleDemoOnce(ledger, graph, opts.vehicles ?? 2000);
  return startVehicleServices(ledger, graph, opts);
}
