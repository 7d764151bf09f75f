/**
 * Dispatch reads over the ledger projection: units with their position (live telemetry of their
 * vehicle when recent, else their station), incidents with SLA timers, recommendations, the unit's
 * navigation route, and the big screen's response-time panel.
 */
import { INCIDENT_SPEC, type Capability, type IncidentRecord, type UnitRecord } from "../../chain/contracts/dispatch";
import type { Services } from "../api/trpc";
import type { LonLat } from "../geo/geometry";
import { RoadGraph } from "../geo/road-graph";
import { recommend, routeBetween } from "./recommend";

/** A unit's telemetry counts as its live position for this long after the last ping. */
export const LIVE_WINDOW_MS = 5 * 60_000;

const g = globalThis as typeof globalThis & { __cityledgerDispatchGraph?: RoadGraph };

/** The road graph: the vehicle services' when running, else one loaded once per process. */
export function roadGraph(s: Services): RoadGraph {
  if (s.vehicles?.graph) return s.vehicles.graph;
  g.__cityledgerDispatchGraph ??= RoadGraph.fromFile();
  return g.__cityledgerDispatchGraph;
}

export interface UnitView extends UnitRecord {
  lon: number;
  lat: number;
  positionSource: "live" | "station";
  positionTs: number | null;
}

export async function listUnits(s: Services, now = Date.now()): Promise<UnitView[]> {
  const live = s.vehicles?.ingest.live;
  const rows = await s.ledger.node.store.records<UnitRecord>("unit");
  return rows.map((r) => {
    const u = r.value as UnitRecord;
    const slot = u.plate && live ? live.slotOf(u.plate) : undefined;
    if (live && slot !== undefined && now - live.ts[slot] <= LIVE_WINDOW_MS) {
      return { ...u, lon: live.lon[slot], lat: live.lat[slot], positionSource: "live" as const, positionTs: live.ts[slot] };
    }
    return { ...u, lon: u.station.lon, lat: u.station.lat, positionSource: "station" as const, positionTs: null };
  });
}

export type TimerKey = "dispatch" | "enRoute" | "onScene";
export interface SlaTimer {
  key: TimerKey;
  /** When the timer started (null: not started yet). */
  start: number | null;
  /** When it stopped (null: still running or not started). */
  end: number | null;
  targetS: number;
  elapsedS: number | null;
  overdue: boolean;
}

/**
 * The three SLA timers: call to first dispatch, first dispatch to first en route, first en route
 * to first on scene. A running timer past its target is overdue; so is a stopped one that took longer.
 */
export function slaTimers(inc: IncidentRecord, now = Date.now()): SlaTimer[] {
  const spans: [TimerKey, number | null, number | null, number][] = [
    ["dispatch", inc.openedAt, inc.firstDispatchAt, inc.sla.dispatchS],
    ["enRoute", inc.firstDispatchAt, inc.firstEnRouteAt, inc.sla.enRouteS],
    ["onScene", inc.firstEnRouteAt, inc.firstOnSceneAt, inc.sla.onSceneS],
  ];
  const stop = inc.closedAt ?? now;
  return spans.map(([key, start, end, targetS]) => {
    const elapsedS = start === null ? null : Math.max(0, ((end ?? stop) - start) / 1000);
    return { key, start, end, targetS, elapsedS, overdue: elapsedS !== null && elapsedS > targetS };
  });
}

export function incidentView(inc: IncidentRecord, now = Date.now()) {
  const timers = slaTimers(inc, now);
  return { ...inc, timers, overdue: inc.status !== "closed" && timers.some((t) => t.overdue && t.end === null), needs: INCIDENT_SPEC[inc.type].needs };
}

export async function listIncidents(s: Services, filter: "active" | "closed" | "all", limit: number, now = Date.now()) {
  const { rows } = await s.ledger.db.query<{ value: IncidentRecord }>(
    `SELECT value FROM state_records WHERE ns = 'incident'
       AND ($1::text = 'all' OR ($1 = 'closed') = (value->>'status' = 'closed'))
     ORDER BY (value->>'openedAt')::bigint DESC, key LIMIT $2`,
    [filter, limit],
  );
  return rows.map((r) => incidentView(r.value, now));
}

export async function getIncident(s: Services, id: string) {
  const r = await s.ledger.node.store.record<IncidentRecord>("incident", id);
  return r ? (r.value as IncidentRecord) : null;
}

export async function recommendFor(s: Services, inc: IncidentRecord, capability: Capability, limit: number) {
  const units = await listUnits(s);
  return recommend(roadGraph(s), [inc.lon, inc.lat], units, capability, limit).map((r) => ({
    unit: { id: r.unit.id, name: r.unit.name, kind: r.unit.kind, dept: r.unit.dept, station: r.unit.station.name, lon: r.unit.lon, lat: r.unit.lat, positionSource: r.unit.positionSource },
    etaS: Math.round(r.seconds),
    roadM: Math.round(r.meters),
    straightM: Math.round(r.straightM),
  }));
}

export function navigationRoute(s: Services, from: LonLat, to: LonLat) {
  return routeBetween(roadGraph(s), from, to);
}

const DAY = 86_400_000;
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : null);

/** The big screen's dispatch panel: open incidents, overdue timers, response times of the last day. */
export async function dispatchPanel(s: Services, now = Date.now()) {
  const { rows } = await s.ledger.db.query<{ value: IncidentRecord }>(
    "SELECT value FROM state_records WHERE ns = 'incident' AND (value->>'status' <> 'closed' OR (value->>'openedAt')::bigint >= $1)",
    [now - DAY],
  );
  const incidents = rows.map((r) => incidentView(r.value, now));
  if (incidents.length === 0) return null;
  const active = incidents.filter((i) => i.status !== "closed");
  const responses = incidents.filter((i) => i.firstOnSceneAt !== null).map((i) => (i.firstOnSceneAt! - i.openedAt) / 1000);
  const toDispatch = incidents.filter((i) => i.firstDispatchAt !== null).map((i) => (i.firstDispatchAt! - i.openedAt) / 1000);
  const onTime = incidents.filter((i) => i.firstOnSceneAt !== null && (i.firstOnSceneAt - (i.firstEnRouteAt ?? i.firstOnSceneAt)) / 1000 <= i.sla.onSceneS).length;
  return {
    open: active.length,
    overdue: active.filter((i) => i.overdue).length,
    today: incidents.filter((i) => i.openedAt >= now - DAY).length,
    medianResponseS: median(responses),
    medianDispatchS: median(toDispatch),
    onSceneOnTime: responses.length ? onTime / responses.length : null,
    incidents: active
      .sort((a, b) => b.openedAt - a.openedAt)
      .slice(0, 20)
      .map((i) => ({ id: i.id, type: i.type, severity: i.severity, status: i.status, lon: i.lon, lat: i.lat, address: i.address, openedAt: i.openedAt, overdue: i.overdue })),
  };
}
