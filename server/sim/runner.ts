/**
 * The traffic simulator as a process: moves the demo fleet along the road graph in real time and
 * sends each company's pings, signed with its ingest key, through the real ingest paths (HTTP for
 * most companies, MQTT for the bus company). Scripted scenarios produce the alarms a command centre
 * should see.
 */
import mqtt, { type MqttClient } from "mqtt";
import { toHex, utf8 } from "../../chain/bytes";
import { nodeSignatures } from "../../chain/node-crypto";
import { RoadGraph } from "../geo/road-graph";
import { encodeMqttPayload } from "../ingest/mqtt";
import { project } from "../geo/geometry";
import { BINHE_EAST, BINHE_WEST, companyKeyId, companyOf, DEMO_FLEET_SEED, DEMO_GEOFENCES, driverOf, REVOKED_DRIVER } from "../vehicles/demo-data";
import { Fleet, type SimPing, type SimVehicle } from "./fleet";

export interface SimulatorOptions {
  /** Base URL of the portal, e.g. http://127.0.0.1:3000 */
  url: string;
  /** mqtt://127.0.0.1:1884 (the project broker), or null to send everything over HTTP. */
  mqttUrl: string | null;
  /** The MQTT company's broker user (its id) and password, from <data>/mqtt/secrets.json. */
  mqttCredentials?: { username: string; password: string } | null;
  /** Company secret keys by ledger key id "company:<id>" (from the keystore). */
  keys: Map<string, string>;
  vehicles: number;
  /** Simulated seconds per real second. */
  speedup?: number;
  /** Start the simulated clock here (ms since epoch; in the past, e.g. last night) instead of now. */
  start?: number;
  scenarios?: ScenarioName[];
  log?: (msg: string) => void;
}

/** The demo company whose terminals report over MQTT (the others over HTTP). */
export const MQTT_COMPANY = "sz-bus";

export const SCENARIOS = ["hazmat-deviation", "speeding", "terminal-silent", "night-restricted", "unlicensed-trip"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** When each scenario starts (seconds into the run) and what it does to the fleet. */
const SCRIPT: Record<ScenarioName, { at: number; run: (f: Fleet, log: (m: string) => void) => void }> = {
  "hazmat-deviation": {
    at: 20,
    run: (f, log) => {
      const v = f.vehicles.find((x) => x.cls === "hazmat")!;
      v.loop = undefined;
      f.reroute(v, v.route[v.leg], f.graph.nearestCoreNode(114.055, 22.548)); // leaves Binhe for the CBD
      log(`scenario hazmat-deviation: ${v.plate} leaves its corridor for the CBD`);
    },
  },
  speeding: {
    at: 30,
    run: (f, log) => {
      const v = f.vehicles.find((x) => x.cls === "taxi")!;
      v.speedFactor = 2.2;
      log(`scenario speeding: ${v.plate} drives at over twice the road speed`);
    },
  },
  "terminal-silent": {
    at: 40,
    run: (f, log) => {
      const v = f.vehicles.find((x) => x.cls === "ride_hailing")!;
      v.silent = true;
      log(`scenario terminal-silent: ${v.terminal} (${v.plate}) stops reporting`);
    },
  },
  "unlicensed-trip": {
    at: 35,
    run: (_f, log) => log("scenario unlicensed-trip: a driver whose licence was revoked reports a trip"),
  },
  "night-restricted": {
    at: 50,
    run: (f, log) => {
      const hour = new Date(f.clock + 8 * 3600_000).getUTCHours();
      if (hour >= 6 && hour < 22) {
        log("scenario night-restricted skipped: it is daytime in the simulation (start it at night with --at 23:00)");
        return;
      }
      const v = f.vehicles.filter((x) => x.cls === "hazmat")[1] ?? f.vehicles.find((x) => x.cls === "hazmat")!;
      v.loop = undefined;
      f.reroute(v, v.route[v.leg], f.graph.nearestCoreNode(114.06, 22.5425));
      log(`scenario night-restricted: ${v.plate} heads onto Shennan Boulevard during the night ban`);
    },
  },
};

export function createDemoFleet(graph: RoadGraph, vehicles: number): Fleet {
  const fleet = new Fleet(graph, { seed: DEMO_FLEET_SEED });
  fleet.add(vehicles, companyOf);
  // Drivers keep to the demo zones' posted limits (the speeding scenario does not).
  for (const g of DEMO_GEOFENCES([])) {
    if (!g.speedLimitKmh) continue;
    const pts: [number, number][] = g.shape.type === "polygon" ? (g.shape.coordinates as [number, number][][])[0] : [g.shape.center as [number, number]];
    const r = g.shape.type === "circle" ? (g.shape.radiusM as number) : 0;
    const xy = pts.map(([lon, lat]) => project(lon, lat));
    fleet.speedZones.push({ minX: Math.min(...xy.map((p) => p[0])) - r, minY: Math.min(...xy.map((p) => p[1])) - r, maxX: Math.max(...xy.map((p) => p[0])) + r, maxY: Math.max(...xy.map((p) => p[1])) + r, kmh: g.speedLimitKmh });
  }
  const a = graph.nearestCoreNode(...BINHE_WEST);
  const b = graph.nearestCoreNode(...BINHE_EAST);
  for (const v of fleet.vehicles) if (v.cls === "hazmat") fleet.shuttle(v, a, b);
  return fleet;
}

export class Simulator {
  readonly fleet: Fleet;
  private mqtt: MqttClient | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private elapsed = 0;
  readonly stats = { ticks: 0, sent: 0, accepted: 0, rejected: 0, alarms: 0, trips: 0, errors: 0 };

  constructor(
    readonly opts: SimulatorOptions,
    graph = RoadGraph.fromFile(),
  ) {
    this.fleet = createDemoFleet(graph, opts.vehicles);
    if (opts.start) this.fleet.clock = opts.start;
  }

  async start(): Promise<void> {
    if (this.opts.mqttUrl) this.mqtt = await mqtt.connectAsync(this.opts.mqttUrl, { clientId: `cityledger-sim-${process.pid}`, reconnectPeriod: 2000, ...(this.opts.mqttCredentials ?? {}) });
    this.timer = setInterval(() => void this.tick(), 1000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.mqtt?.endAsync();
  }

  /** One real second: advance the world, run due scenarios, send each company's pings. */
  async tick(): Promise<void> {
    const dt = this.opts.speedup ?? 1;
    this.elapsed += dt;
    for (const name of this.opts.scenarios ?? []) {
      const s = SCRIPT[name];
      if (this.elapsed - dt < s.at && this.elapsed >= s.at) s.run(this.fleet, this.opts.log ?? (() => undefined));
    }
    const pings = this.fleet.step(dt);
    this.stats.ticks++;
    const byCompany = new Map<string, SimPing[]>();
    const companyOfPlate = new Map(this.fleet.vehicles.map((v: SimVehicle) => [v.plate, v.company]));
    for (const p of pings) {
      const c = companyOfPlate.get(p.plate)!;
      const list = byCompany.get(c) ?? [];
      list.push(p);
      byCompany.set(c, list);
    }
    await Promise.all([...byCompany].map(([company, list]) => this.send(company, list)));
    // Every 15 s the platform reports the trips its cars completed; the scenario adds an unlicensed one.
    if (Math.floor(this.elapsed / 15) !== Math.floor((this.elapsed - dt) / 15)) await this.reportTrips();
  }

  private tripSeq = 0;

  private async reportTrips(): Promise<void> {
    const secret = this.opts.keys.get(companyKeyId("didi"));
    if (!secret) return;
    const cars = this.fleet.vehicles.filter((v) => v.cls === "ride_hailing" && v.company === "didi");
    const end = Math.round(this.fleet.clock);
    const trips = cars
      .filter((_, i) => (i + this.tripSeq) % 20 === 0)
      .map((v) => ({ id: `DIDI-${process.pid}-${++this.tripSeq}`, driver: driverOf(v.plate), plate: v.plate, start: end - 900_000, end, distanceKm: 6.4, fareYuan: 24.5 }));
    const scenario = this.opts.scenarios?.includes("unlicensed-trip") && this.elapsed >= SCRIPT["unlicensed-trip"].at && !this.unlicensedSent;
    if (scenario && cars[0]) {
      trips.push({ id: `DIDI-${process.pid}-${++this.tripSeq}`, driver: REVOKED_DRIVER, plate: cars[0].plate, start: end - 600_000, end, distanceKm: 3.1, fareYuan: 15 });
      this.unlicensedSent = true;
    }
    if (!trips.length) return;
    const body = utf8(JSON.stringify({ trips }));
    try {
      const res = await fetch(`${this.opts.url}/api/ingest/trips`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-cityledger-company": "didi", "x-cityledger-signature": toHex(nodeSignatures.sign(secret, body)) },
        body: Buffer.from(body),
      });
      const r = (await res.json()) as { accepted?: number; error?: string };
      if (!res.ok) this.opts.log?.(`trip report ${res.status}: ${r.error}`);
      else this.stats.trips += r.accepted ?? 0;
    } catch (e) {
      this.stats.errors++;
      this.opts.log?.(`trip report failed: ${(e as Error).message}`);
    }
  }

  private unlicensedSent = false;

  private async send(company: string, pings: SimPing[]): Promise<void> {
    const secret = this.opts.keys.get(companyKeyId(company));
    if (!secret) return;
    const body = utf8(JSON.stringify({ pings: pings.map(({ plate: _plate, ...p }) => p) }));
    const sig = toHex(nodeSignatures.sign(secret, body));
    this.stats.sent += pings.length;
    try {
      if (this.mqtt && company === MQTT_COMPANY) {
        // MQTT carries one terminal per topic: publish the batch on its first terminal's topic per terminal.
        const byTerminal = new Map<string, SimPing[]>();
        for (const p of pings) byTerminal.set(p.terminal, [...(byTerminal.get(p.terminal) ?? []), p]);
        await Promise.all(
          [...byTerminal].map(([terminal, list]) => {
            const b = utf8(JSON.stringify({ pings: list.map(({ plate: _plate, ...p }) => p) }));
            return this.mqtt!.publishAsync(`cityledger/telemetry/${company}/${terminal}`, encodeMqttPayload(toHex(nodeSignatures.sign(secret, b)), b), { qos: 0 });
          }),
        );
        return;
      }
      const res = await fetch(`${this.opts.url}/api/ingest/pings`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-cityledger-company": company, "x-cityledger-signature": sig },
        body: Buffer.from(body),
      });
      const r = (await res.json()) as { accepted?: number; rejected?: unknown[]; alarms?: number; error?: string };
      if (!res.ok) {
        this.stats.errors++;
        this.opts.log?.(`ingest ${res.status} for ${company}: ${r.error}`);
        return;
      }
      this.stats.accepted += r.accepted ?? 0;
      this.stats.rejected += r.rejected?.length ?? 0;
      this.stats.alarms += r.alarms ?? 0;
    } catch (e) {
      this.stats.errors++;
      this.opts.log?.(`ingest failed for ${company}: ${(e as Error).message}`);
    }
  }
}
