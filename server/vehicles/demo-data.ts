/**
 * The demo traffic world, seeded as ledger transactions: operating companies (with the ingest keys
 * the simulator signs with), a fleet registered vehicle by vehicle, the traffic police's geofences
 * in central Futian, hazmat permits along the Binhe Boulevard corridor, and the speed rules.
 * The fleet comes from the simulator's seed, so simulated terminals match registered vehicles.
 */
import type { LedgerNode } from "../../chain/node";
import { generateKeyPair } from "../../chain/signature";
import type { LonLat } from "../geo/geometry";
import type { RoadGraph } from "../geo/road-graph";
import { Fleet } from "../sim/fleet";
import { driverPayload, type DriverInput, type DriverSealer } from "./drivers";
import type { VehicleClass } from "./geofence";

export const DEMO_FLEET_SEED = 20261126;

export const DEMO_COMPANIES: { id: string; name: string; kind: string; classes: VehicleClass[] }[] = [
  { id: "didi", name: "滴滴出行科技有限公司", kind: "ride_hailing_platform", classes: ["ride_hailing"] },
  { id: "pengcheng-taxi", name: "深圳市鹏程电动汽车出租有限公司", kind: "taxi", classes: ["taxi"] },
  { id: "sz-bus", name: "深圳巴士集团股份有限公司", kind: "bus", classes: ["bus"] },
  { id: "sz-hazmat", name: "深圳市危险品运输有限公司", kind: "logistics", classes: ["hazmat"] },
  { id: "sz-public", name: "深圳市公共服务车辆管理中心", kind: "public_service", classes: ["ambulance", "fire", "police"] },
];

/** The demo driver paired with a ride-hailing car. */
export const driverOf = (plate: string) => `d-${plate.slice(2).toLowerCase()}`;
export const REVOKED_DRIVER = "d-revoked-0001";

export const companyOf = (cls: VehicleClass) => DEMO_COMPANIES.find((c) => c.classes.includes(cls))!.id;
export const companyKeyId = (company: string) => `company:${company}`;

/** Corridor ends on Binhe Boulevard (滨河大道), west and east of the CBD. */
export const BINHE_WEST: LonLat = [114.015, 22.5325];
export const BINHE_EAST: LonLat = [114.095, 22.5335];

export interface DemoIdentity {
  /** The transport bureau: registers companies and passenger vehicles. */
  transport: { dept: string; actor: string; key: string };
  /** The traffic police: geofences, hazmat vehicles and permits. */
  traffic: { dept: string; actor: string; key: string };
  /** The system actor for smart-law rules. */
  system: { dept: string; key: string };
}

/** The hazmat corridor: the fastest route west->east and back, as one closed path. */
export function hazmatCorridorPath(graph: RoadGraph): LonLat[] {
  const a = graph.nearestCoreNode(...BINHE_WEST);
  const b = graph.nearestCoreNode(...BINHE_EAST);
  const there = graph.route(a, b);
  const back = graph.route(b, a);
  if (!there || !back) throw new Error("no route along Binhe Boulevard in the road graph");
  return simplify([...there.path, ...back.path.slice(1)]);
}

/** Keeps every other vertex closer than 30 m to its neighbour out (the corridor is 150 m wide). */
function simplify(path: LonLat[]): LonLat[] {
  const out: LonLat[] = [path[0]];
  for (const p of path.slice(1)) {
    const q = out[out.length - 1];
    if (Math.hypot((p[0] - q[0]) * 102_900, (p[1] - q[1]) * 110_574) >= 30) out.push([round6(p[0]), round6(p[1])]);
  }
  return out;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export const DEMO_GEOFENCES = (corridor: LonLat[]) => [
  {
    id: "futian-civic-center",
    name: "市民中心重点管控区",
    kind: "key_area",
    shape: { type: "polygon", coordinates: [[[114.0555, 22.5405], [114.0640, 22.5405], [114.0640, 22.5470], [114.0555, 22.5470]]] },
    speedLimitKmh: 40,
  },
  {
    id: "futian-cbd-hazmat-ban",
    name: "福田中心区危险品车辆禁行区",
    kind: "restricted",
    classes: ["hazmat"],
    shape: { type: "polygon", coordinates: [[[114.047, 22.536], [114.066, 22.536], [114.066, 22.552], [114.047, 22.552]]] },
  },
  {
    id: "shennan-night-hazmat-ban",
    name: "深南大道夜间危险品车辆禁行区",
    kind: "restricted",
    classes: ["hazmat"],
    schedule: { start: "22:00", end: "06:00" },
    shape: { type: "polygon", coordinates: [[[114.02, 22.5385], [114.10, 22.5415], [114.10, 22.5465], [114.02, 22.5435]]] },
  },
  {
    id: "lianhua-school-zone",
    name: "莲花小学周边限速区",
    kind: "key_area",
    shape: { type: "circle", center: [114.0605, 22.5525], radiusM: 200 },
    speedLimitKmh: 30,
    schedule: { start: "07:00", end: "18:00", days: [1, 2, 3, 4, 5] },
  },
  {
    id: "futian-gas-depot",
    name: "福田燃气储配站危险区",
    kind: "danger_zone",
    classes: ["hazmat", "bus"],
    shape: { type: "circle", center: [114.0335, 22.5265], radiusM: 150 },
  },
  { id: "binhe-hazmat-corridor", name: "滨河大道危险品运输通道", kind: "hazmat_corridor", shape: { type: "corridor", path: corridor, widthM: 150 } },
];

export const DEMO_RULES: Record<string, number> = {
  "traffic.speedLimit.motorway": 100,
  "traffic.speedLimit.trunk": 80,
  "traffic.speedLimit.primary": 60,
  "traffic.speedLimit.secondary": 50,
  "hazmat.speedLimit.expressway": 80,
  "hazmat.speedLimit.other": 60,
  "traffic.longStopMinutes": 20,
  "traffic.offlineMinutes": 5,
};

export interface KeyHolder {
  keys: Map<string, string>;
  save(): void;
}

/** Smart-law record written last: its presence means the demo world is complete. */
export const DEMO_MARKER_RULE = "traffic.demoWorld";

/**
 * Seeds the demo traffic world; returns how many transactions it wrote. Safe to run again after a
 * partial seed: what already exists is refused by its contract and skipped.
 */
export async function seedVehicleDemo(node: LedgerNode, keystore: KeyHolder, graph: RoadGraph, id: DemoIdentity, sealDriver: DriverSealer, opts: { vehicles?: number; now?: number } = {}): Promise<number> {
  const now = opts.now ?? Date.now();
  const corridor = hazmatCorridorPath(graph); // pure: fails, if it must, before anything is written
  const tolerate = (p: Promise<unknown>) => p.catch((e: Error) => {
    if (!/already/.test(e.message)) throw e;
  });
  const tr = (type: string, payload: object) => node.submit({ type, dept: id.transport.dept, actor: id.transport.actor, purpose: "演示数据 demo data", payload: payload as never }, id.transport.key);
  const tp = (type: string, payload: object) => node.submit({ type, dept: id.traffic.dept, actor: id.traffic.actor, purpose: "演示数据 demo data", payload: payload as never }, id.traffic.key);
  const sys = (type: string, payload: object) => node.submit({ type, dept: id.system.dept, actor: "system", purpose: "演示数据 demo data", payload: payload as never }, id.system.key);
  let n = 0;

  await Promise.all(
    DEMO_COMPANIES.map((c) => {
      const kp = generateKeyPair();
      n++;
      if (keystore.keys.has(companyKeyId(c.id))) return Promise.resolve();
      keystore.keys.set(companyKeyId(c.id), kp.secretKey);
      return tolerate(tr("company.register", { id: c.id, name: c.name, kind: c.kind, ingestKey: kp.publicKey }));
    }),
  );
  keystore.save();

  await Promise.all([
    ...DEMO_GEOFENCES(corridor).map((g) => tp("geofence.define", g)),
    ...Object.entries(DEMO_RULES).map(([name, value]) => sys("rule.set", { name, value, note: "演示默认值 demo default" })),
  ]);
  n += DEMO_GEOFENCES(corridor).length + Object.keys(DEMO_RULES).length;

  const fleet = new Fleet(graph, { seed: DEMO_FLEET_SEED });
  fleet.add(opts.vehicles ?? 2000, companyOf);
  await Promise.all(
    fleet.vehicles.map((v) => {
      const payload = { plate: v.plate, cls: v.cls, company: v.company, terminal: v.terminal, licence: { no: `深交运${v.plate.slice(2)}`, status: "valid" }, odometerKm: v.odometerKm };
      return tolerate(v.cls === "hazmat" ? tp("vehicle.register", payload) : tr("vehicle.register", payload));
    }),
  );
  n += fleet.vehicles.length;

  // One licensed driver per ride-hailing car, paired with it; and one whose licence was revoked.
  const drivers: DriverInput[] = fleet.vehicles.filter((v) => v.cls === "ride_hailing").map((v) => ({ id: driverOf(v.plate), name: `网约车司机${v.plate.slice(-4)}`, company: v.company, licence: { no: `网驾${v.plate.slice(3)}`, status: "valid" }, vehicles: [v.plate] }));
  drivers.push({ id: REVOKED_DRIVER, name: "吊销资格司机", company: "didi", licence: { no: "网驾REVOKED", status: "revoked" }, vehicles: [] });
  // Names and licence numbers reach the ledger sealed (the drivers dataset's key).
  await Promise.all(drivers.map(async (d) => tolerate(tr("driver.register", await driverPayload(sealDriver, d)))));
  n += drivers.length;

  const hazmat = fleet.vehicles.filter((v) => v.cls === "hazmat");
  await Promise.all(
    hazmat.map((v, i) =>
      tolerate(tp("hazmat.permit", {
        id: `permit-${v.plate.slice(1).toLowerCase()}`,
        plate: v.plate,
        cargoClass: ["3", "2", "8"][i % 3],
        cargo: ["汽油", "液化石油气", "盐酸"][i % 3],
        corridor: "binhe-hazmat-corridor",
        from: now - 3600_000,
        to: now + 30 * 24 * 3600_000,
      })),
    ),
  );
  await sys("rule.set", { name: DEMO_MARKER_RULE, value: { vehicles: fleet.vehicles.length, seededAt: now }, note: "演示交通数据已就绪 demo world complete" });
  return n + hazmat.length + 1;
}
