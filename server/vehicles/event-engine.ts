/**
 * The event engine (智能事务处理): evaluates each vehicle's pings against geofences, hazmat permits
 * and the traffic rules set on the ledger, and emits alarm events. One state per vehicle; each ping
 * consults only the fences the R-tree returns for its position and its move since the last ping.
 * Episodes (overspeed, deviation, stop, offline) raise one alarm when they start, not one per ping.
 */
import { project, type XY } from "../geo/geometry";
import { isExpressway, type RoadNetwork } from "../geo/road-network";
import { alarmTransitions } from "../../chain/contracts/geofence-schema";
import { licenceInForce } from "../../chain/contracts/vehicles";
import { appliesTo, scheduleActive, type CompiledGeofence, type VehicleClass } from "./geofence";
import type { GeofenceIndex } from "./geofence-index";

export const ALARM_TYPES = ["enter", "exit", "crossing", "overspeed", "route_deviation", "restricted", "long_stop", "offline", "unlicensed"] as const;
export type AlarmType = (typeof ALARM_TYPES)[number];
export type Severity = "info" | "warning" | "critical";

export interface Ping {
  plate: string;
  /** ms since epoch */
  ts: number;
  lon: number;
  lat: number;
  speedKmh: number;
  heading?: number;
}

export interface AlarmEvent {
  type: AlarmType;
  severity: Severity;
  plate: string;
  cls: VehicleClass;
  ts: number;
  lon: number;
  lat: number;
  geofenceId?: string;
  permitId?: string;
  speedKmh?: number;
  limitKmh?: number;
  /** Minutes stopped or silent, for long_stop / offline. */
  minutes?: number;
  /** A line for the alarm's record (unlicensed: the licence's state). */
  detail?: string;
}

/** Smart-law values the competent departments set on the ledger (rules traffic.* and hazmat.*). */
export interface EngineRules {
  /** Urban speed limits by road class (km/h), for every vehicle. */
  motorwayKmh: number;
  trunkKmh: number;
  primaryKmh: number;
  secondaryKmh: number;
  hazmatExpresswayKmh: number;
  hazmatOtherKmh: number;
  overspeedToleranceKmh: number;
  longStopMinutes: number;
  stopSpeedKmh: number;
  offlineMinutes: number;
}

export const DEFAULT_RULES: EngineRules = {
  motorwayKmh: 100,
  trunkKmh: 80,
  primaryKmh: 60,
  secondaryKmh: 50,
  hazmatExpresswayKmh: 80,
  hazmatOtherKmh: 60,
  overspeedToleranceKmh: 0,
  longStopMinutes: 15,
  stopSpeedKmh: 3,
  offlineMinutes: 5,
};

export interface HazmatPermit {
  id: string;
  plate: string;
  /** ms since epoch, inclusive from, exclusive to */
  from: number;
  to: number;
  corridor: CompiledGeofence;
}

/** A vehicle's operating licence (道路运输证) as registered: status and expiry date. */
export interface Licence {
  status: string;
  expires?: string;
}

interface VehicleState {
  cls: VehicleClass;
  /** Absent for vehicles tracked without one (tests, older callers): not judged. */
  licence?: Licence;
  unlicensedAlarmed: boolean;
  last?: { ts: number; xy: XY; lon: number; lat: number; speedKmh: number; receivedAt: number };
  inside: ReadonlySet<string>;
  overspeeding: boolean;
  deviating: boolean;
  outsideWindow: boolean;
  stoppedSince: number | null;
  stopAlarmed: boolean;
  offlineAlarmed: boolean;
}

const SEVERITY: Record<AlarmType, Severity> = {
  enter: "info",
  exit: "info",
  crossing: "warning",
  overspeed: "warning",
  route_deviation: "critical",
  restricted: "critical",
  long_stop: "warning",
  offline: "warning",
  unlicensed: "critical",
};

/** Shared by every vehicle outside all fences (never mutated: a vehicle's set is replaced, not changed). */
const NO_FENCES: ReadonlySet<string> = new Set();

const alarmsOn = (f: CompiledGeofence | undefined, t: "enter" | "exit") => !!f && alarmTransitions(f.def).includes(t);

export class EventEngine {
  private readonly vehicles = new Map<string, VehicleState>();
  private permits = new Map<string, HazmatPermit[]>();

  constructor(
    private readonly fences: GeofenceIndex,
    private readonly roads: RoadNetwork | null,
    public rules: EngineRules = DEFAULT_RULES,
  ) {}

  setPermits(permits: HazmatPermit[]): void {
    this.permits = new Map();
    for (const p of permits) {
      const list = this.permits.get(p.plate) ?? [];
      list.push(p);
      this.permits.set(p.plate, list);
    }
  }

  /**
   * Registers (or re-classes) a vehicle with its licence; pings of unknown vehicles are not
   * evaluated. A changed licence starts a new episode (a vehicle revoked again alarms again).
   */
  track(plate: string, cls: VehicleClass, licence?: Licence): void {
    const v = this.vehicles.get(plate);
    if (v) {
      if (v.licence?.status !== licence?.status || v.licence?.expires !== licence?.expires) v.unlicensedAlarmed = false;
      v.cls = cls;
      v.licence = licence;
    } else this.vehicles.set(plate, { cls, licence, unlicensedAlarmed: false, inside: NO_FENCES, overspeeding: false, deviating: false, outsideWindow: false, stoppedSince: null, stopAlarmed: false, offlineAlarmed: false });
  }

  isTracked(plate: string): boolean {
    return this.vehicles.has(plate);
  }

  /**
   * Evaluates one ping. Requires pings of a vehicle in time order: a ping not newer than the last
   * one evaluated is ignored (the ingest stores it but it cannot change the past).
   */
  evaluate(ping: Ping, receivedAt = ping.ts): AlarmEvent[] {
    const v = this.vehicles.get(ping.plate);
    if (!v) return [];
    if (v.last && ping.ts <= v.last.ts) return [];
    // The hot path of ingest: no closures or spreads per ping (measured: allocation was a large share).
    const out: AlarmEvent[] = [];
    const xy = project(ping.lon, ping.lat);

    // Fences: enter / exit / crossing between pings, for the transitions each fence alarms on.
    const found = this.fences.at(xy);
    const here: CompiledGeofence[] = [];
    for (const f of found) if (this.relevant(f, v.cls, ping.ts)) here.push(f);
    const hereIds = here.length ? new Set(here.map((f) => f.def.id)) : NO_FENCES;
    for (const f of here) {
      if (!v.inside.has(f.def.id) && alarmsOn(f, "enter")) this.emit(out, f.def.kind === "restricted" ? "restricted" : "enter", ping, v, { geofenceId: f.def.id });
    }
    for (const id of v.inside) if (!hereIds.has(id) && alarmsOn(this.fences.get(id), "exit")) this.emit(out, "exit", ping, v, { geofenceId: id });
    if (v.last) {
      for (const f of this.fences.along(v.last.xy, xy)) {
        if (hereIds.has(f.def.id) || v.inside.has(f.def.id) || !this.relevant(f, v.cls, ping.ts) || !alarmsOn(f, "enter")) continue;
        this.emit(out, f.def.kind === "restricted" ? "restricted" : "crossing", ping, v, { geofenceId: f.def.id });
      }
    }
    v.inside = hereIds;

    // Speed: the strictest of zone limits and the class rule for this road.
    let limit = Infinity;
    let limitZone: string | undefined;
    for (const f of here) {
      if (f.def.speedLimitKmh !== undefined && f.def.speedLimitKmh < limit) {
        limit = f.def.speedLimitKmh;
        limitZone = f.def.id;
      }
    }
    // Map matching is ambiguous at junctions and ramps: of the roads within 20 m, take the most
    // permissive limit (benefit of the doubt), so a car on the trunk is not judged by the side road.
    let roadLimit = -Infinity;
    let onExpressway = false;
    if (this.roads) {
      for (const r of this.roads.near(xy, 20)) {
        const l = this.rules[`${r.roadClass}Kmh`];
        if (l > roadLimit) roadLimit = l;
        if (!onExpressway && isExpressway(r)) onExpressway = true;
      }
    }
    if (roadLimit === -Infinity) roadLimit = Infinity;
    const classLimit = v.cls === "hazmat" ? (onExpressway ? this.rules.hazmatExpresswayKmh : this.rules.hazmatOtherKmh) : Infinity;
    if (Math.min(roadLimit, classLimit) < limit) {
      limit = Math.min(roadLimit, classLimit);
      limitZone = undefined;
    }
    const over = ping.speedKmh > limit + this.rules.overspeedToleranceKmh;
    if (over && !v.overspeeding) this.emit(out, "overspeed", ping, v, { speedKmh: ping.speedKmh, limitKmh: limit, geofenceId: limitZone });
    v.overspeeding = over;

    // Hazmat: inside the permit's corridor during its window; moving outside any window is restricted.
    if (v.cls === "hazmat") {
      const permits = (this.permits.get(ping.plate) ?? []).filter((p) => p.from <= ping.ts && ping.ts < p.to);
      const moving = ping.speedKmh >= this.rules.stopSpeedKmh;
      const outsideWindow = permits.length === 0 && moving;
      if (outsideWindow && !v.outsideWindow) this.emit(out, "restricted", ping, v, { speedKmh: ping.speedKmh });
      v.outsideWindow = outsideWindow;
      const deviating = permits.length > 0 && !permits.some((p) => p.corridor.contains(xy));
      if (deviating && !v.deviating) this.emit(out, "route_deviation", ping, v, { permitId: permits[0].id });
      v.deviating = deviating;
    }

    // Operating without a licence in force (revoked, suspended, expired): one alarm per episode.
    if (v.licence && !v.unlicensedAlarmed && ping.speedKmh >= this.rules.stopSpeedKmh && !licenceInForce(v.licence, ping.ts)) {
      const state = v.licence.status === "valid" ? `expired ${v.licence.expires}` : v.licence.status;
      this.emit(out, "unlicensed", ping, v, { speedKmh: ping.speedKmh, detail: `无有效道路运输证 operating without a licence in force (${state})` });
      v.unlicensedAlarmed = true;
    }

    // Long stop.
    if (ping.speedKmh < this.rules.stopSpeedKmh) {
      if (v.stoppedSince === null) v.stoppedSince = ping.ts;
      const minutes = (ping.ts - v.stoppedSince) / 60_000;
      if (!v.stopAlarmed && minutes >= this.rules.longStopMinutes) {
        this.emit(out, "long_stop", ping, v, { minutes: Math.floor(minutes) });
        v.stopAlarmed = true;
      }
    } else {
      v.stoppedSince = null;
      v.stopAlarmed = false;
    }

    v.offlineAlarmed = false;
    if (v.last) {
      const l = v.last;
      l.ts = ping.ts;
      l.xy = xy;
      l.lon = ping.lon;
      l.lat = ping.lat;
      l.speedKmh = ping.speedKmh;
      l.receivedAt = receivedAt;
    } else v.last = { ts: ping.ts, xy, lon: ping.lon, lat: ping.lat, speedKmh: ping.speedKmh, receivedAt };
    return out;
  }

  /** Hazmat corridors are judged through permits (route deviation), not by entering or leaving them. */
  private relevant(f: CompiledGeofence, cls: VehicleClass, ts: number): boolean {
    return f.def.kind !== "hazmat_corridor" && appliesTo(f.def, cls) && scheduleActive(f.def.schedule, ts);
  }

  private emit(out: AlarmEvent[], type: AlarmType, ping: Ping, v: VehicleState, extra: Partial<AlarmEvent>): void {
    out.push({ type, severity: SEVERITY[type], plate: ping.plate, cls: v.cls, ts: ping.ts, lon: ping.lon, lat: ping.lat, ...extra });
  }

  /** Terminals not heard from (by arrival time, whatever their clocks say) for offlineMinutes at `now`: one alarm per silence. */
  sweepOffline(now: number): AlarmEvent[] {
    const out: AlarmEvent[] = [];
    const limitMs = this.rules.offlineMinutes * 60_000;
    for (const [plate, v] of this.vehicles) {
      if (!v.last || v.offlineAlarmed || now - v.last.receivedAt < limitMs) continue;
      v.offlineAlarmed = true;
      out.push({ type: "offline", severity: SEVERITY.offline, plate, cls: v.cls, ts: now, lon: v.last.lon, lat: v.last.lat, minutes: Math.floor((now - v.last.receivedAt) / 60_000) });
    }
    return out;
  }
}
