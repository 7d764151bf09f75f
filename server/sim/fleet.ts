/**
 * A simulated Shenzhen fleet moving along the real road graph: each vehicle follows fastest routes
 * between random junctions at a speed set by its class and the road, and reports its position.
 * Deterministic for a given seed, so scenarios and tests replay exactly.
 */
import { unproject, type LonLat } from "../geo/geometry";
import type { RoadGraph } from "../geo/road-graph";
import type { VehicleClass } from "../vehicles/geofence";

export interface SimVehicle {
  plate: string;
  terminal: string;
  cls: VehicleClass;
  company: string;
  /** Route as node ids; the vehicle is on edge route[leg] -> route[leg + 1]. */
  route: number[];
  leg: number;
  /** Metres travelled along the current edge. */
  along: number;
  speedKmh: number;
  heading: number;
  /** Seconds between reports. */
  reportEvery: number;
  nextReport: number;
  /** Scenario overrides. */
  speedFactor: number;
  silent: boolean;
  odometerKm: number;
  /** Shuttle between two nodes (a hazmat truck on its permitted corridor) instead of random trips. */
  loop?: [number, number];
}

export interface SimPing {
  terminal: string;
  plate: string;
  ts: number;
  lon: number;
  lat: number;
  speed: number;
  heading: number;
  /** The terminal's odometer (km, 0.1 resolution), which follows the distance driven along the road. */
  odometerKm: number;
}

/** Mulberry32: a small, fast, seedable PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cruise speed (km/h) by class: a hazmat truck is slower than a taxi. */
const CRUISE: Record<VehicleClass, number> = { ride_hailing: 45, taxi: 48, bus: 32, hazmat: 40, ambulance: 55, fire: 50, police: 50 };

export const CLASS_MIX: [VehicleClass, number][] = [
  ["ride_hailing", 0.55],
  ["taxi", 0.28],
  ["bus", 0.09],
  ["hazmat", 0.03],
  ["ambulance", 0.02],
  ["fire", 0.015],
  ["police", 0.015],
];

const PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";
/**
 * Terminal odometers read registered + driven + 100 km per hour of wall time since this epoch, set
 * when the fleet starts: faster than any simulated vehicle drives, so a restarted simulator
 * (whose vehicles start again from their registered odometer) never reports a rollback.
 */
const ODOMETER_EPOCH = Date.UTC(2026, 0, 1);
const ODOMETER_KM_PER_WALL_HOUR = 100;

export class Fleet {
  readonly vehicles: SimVehicle[] = [];
  private readonly random: () => number;
  /** Nodes in the strongly connected core: a vehicle routed between them never gets stuck at the data window's edge. */
  readonly core: number[];
  clock: number;
  /** Added to every vehicle's odometer in its pings (see ODOMETER_EPOCH). */
  readonly odometerOffsetKm: number;
  /** Posted limits law-abiding drivers keep to (projected bounding boxes); scenarios' speedFactor ignores them. */
  readonly speedZones: { minX: number; minY: number; maxX: number; maxY: number; kmh: number }[] = [];

  constructor(
    readonly graph: RoadGraph,
    opts: { seed?: number; start?: number } = {},
  ) {
    this.random = rng(opts.seed ?? 20261126);
    this.clock = opts.start ?? Date.now();
    this.odometerOffsetKm = Math.max(0, Math.round(((this.clock - ODOMETER_EPOCH) / 3600_000) * ODOMETER_KM_PER_WALL_HOUR));
    this.core = [...graph.core()];
  }

  /** Adds n vehicles of the class mix (or one class), spread over the core network. */
  add(n: number, company: (cls: VehicleClass) => string, only?: VehicleClass): SimVehicle[] {
    const added: SimVehicle[] = [];
    for (let i = 0; i < n; i++) {
      const cls = only ?? this.pickClass();
      const k = this.vehicles.length;
      const plate = `粤B${cls === "hazmat" ? "H" : cls === "ride_hailing" ? "D" : PLATE_LETTERS[k % PLATE_LETTERS.length]}${String(k).padStart(5, "0")}`;
      const v: SimVehicle = {
        plate,
        terminal: `T${String(k).padStart(7, "0")}`,
        cls,
        company: company(cls),
        route: [],
        leg: 0,
        along: 0,
        speedKmh: 0,
        heading: 0,
        reportEvery: cls === "bus" ? 5 : cls === "hazmat" ? 2 : 3,
        nextReport: this.random() * 3,
        speedFactor: 1,
        silent: false,
        odometerKm: Math.round(10_000 + this.random() * 150_000),
      };
      this.reroute(v, this.core[Math.floor(this.random() * this.core.length)]);
      v.leg = Math.floor(this.random() * Math.max(1, v.route.length - 1));
      this.vehicles.push(v);
      added.push(v);
    }
    return added;
  }

  private pickClass(): VehicleClass {
    let r = this.random();
    for (const [cls, share] of CLASS_MIX) if ((r -= share) < 0) return cls;
    return "taxi";
  }

  /** Makes a vehicle shuttle between a and b along the fastest routes (starting towards b). */
  shuttle(v: SimVehicle, a: number, b: number): void {
    v.loop = [a, b];
    this.reroute(v, a, b);
  }

  /** Sends the vehicle on the fastest route from `from` to a random core node (or `to`, or its loop's other end). */
  reroute(v: SimVehicle, from: number, to?: number): void {
    if (to === undefined && v.loop) to = from === v.loop[1] ? v.loop[0] : v.loop[1];
    for (let tries = 0; tries < 8; tries++) {
      const dest = to ?? this.core[Math.floor(this.random() * this.core.length)];
      const r = dest !== from ? this.graph.route(from, dest) : null;
      if (r && r.nodes.length > 1) {
        v.route = r.nodes;
        v.leg = 0;
        v.along = 0;
        return;
      }
      if (to !== undefined) break;
    }
    v.route = [from];
    v.leg = 0;
    v.along = 0;
  }

  position(v: SimVehicle): LonLat {
    const a = this.graph.xy[v.route[v.leg]];
    const bId = v.route[v.leg + 1];
    if (bId === undefined) return unproject(...a);
    const b = this.graph.xy[bId];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    const t = Math.min(1, v.along / len);
    return unproject(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t);
  }

  /** Advances every vehicle by dt seconds; returns the pings due in that time. */
  step(dt: number): SimPing[] {
    this.clock += dt * 1000;
    const pings: SimPing[] = [];
    for (const v of this.vehicles) {
      this.move(v, dt);
      v.nextReport -= dt;
      if (v.nextReport <= 0) {
        v.nextReport += v.reportEvery;
        if (v.silent) continue;
        const [lon, lat] = this.position(v);
        pings.push({ terminal: v.terminal, plate: v.plate, ts: Math.round(this.clock), lon: round6(lon), lat: round6(lat), speed: Math.round(v.speedKmh * 10) / 10, heading: Math.round(v.heading), odometerKm: Math.round((v.odometerKm + this.odometerOffsetKm) * 10) / 10 });
      }
    }
    return pings;
  }

  private zoneLimit(v: SimVehicle): number {
    if (!this.speedZones.length) return Infinity;
    const [x, y] = this.graph.xy[v.route[v.leg]];
    let limit = Infinity;
    for (const z of this.speedZones) if (x >= z.minX - 50 && x <= z.maxX + 50 && y >= z.minY - 50 && y <= z.maxY + 50) limit = Math.min(limit, z.kmh);
    return limit;
  }

  /** Free-flow speed (km/h) of the edge the vehicle is on. */
  private edgeSpeed(v: SimVehicle): number {
    const a = v.route[v.leg];
    const b = v.route[v.leg + 1];
    const e = b === undefined ? undefined : this.graph.out[a].find((x) => x[0] === b);
    return e && e[1] > 0 ? (e[2] / e[1]) * 3.6 : 30;
  }

  private move(v: SimVehicle, dt: number): void {
    // Traffic: speed wanders around the class cruise speed, capped by the road's free-flow speed
    // (below its limit); some vehicles pause (stops, lights). A scenario's speedFactor overrides.
    const posted = v.speedFactor === 1 ? this.zoneLimit(v) : Infinity;
    const cruise = Math.min(CRUISE[v.cls], this.edgeSpeed(v), posted * 0.85) * v.speedFactor;
    const jitter = (this.random() - 0.5) * 10;
    v.speedKmh = this.random() < 0.02 ? 0 : Math.max(0, Math.min(cruise * 1.25, 0.7 * v.speedKmh + 0.3 * (cruise + jitter)));
    let remaining = (v.speedKmh / 3.6) * dt;
    while (remaining > 0) {
      const bId = v.route[v.leg + 1];
      if (bId === undefined) {
        this.reroute(v, v.route[v.leg]);
        if (v.route.length < 2) return;
        continue;
      }
      const a = this.graph.xy[v.route[v.leg]];
      const b = this.graph.xy[bId];
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      v.heading = ((Math.atan2(b[0] - a[0], b[1] - a[1]) * 180) / Math.PI + 360) % 360;
      const left = len - v.along;
      if (remaining < left) {
        v.along += remaining;
        v.odometerKm += remaining / 1000;
        return;
      }
      remaining -= left;
      v.odometerKm += left / 1000;
      v.leg++;
      v.along = 0;
    }
  }
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
