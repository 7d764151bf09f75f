/**
 * Geofences: polygons (with holes), circles and corridors along a route with a width; an optional
 * active schedule in Shenzhen local time (UTC+8, no daylight saving), the vehicle classes a fence
 * applies to, and a speed limit inside. Compiled once into projected metres for fast tests.
 */
import { geofenceSchema, VEHICLE_CLASSES, type GeofenceDef, type VehicleClass } from "../../chain/contracts/geofence-schema";
import {
  distanceToPolyline,
  distanceToSegment,
  pointInRings,
  project,
  segmentDistance,
  segmentTouchesRings,
  type XY,
} from "../geo/geometry";

export { geofenceSchema, VEHICLE_CLASSES, type GeofenceDef, type VehicleClass };

export interface CompiledGeofence {
  def: GeofenceDef;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  contains(p: XY): boolean;
  /** Whether the straight move from a to b passes through the fence (for a track that crosses between pings). */
  touchesSegment(a: XY, b: XY): boolean;
}

export function compileGeofence(def: GeofenceDef): CompiledGeofence {
  const s = def.shape;
  if (s.type === "polygon") {
    const rings = s.coordinates.map((r) => r.map(([x, y]) => project(x, y)));
    const xs = rings[0].map((p) => p[0]);
    const ys = rings[0].map((p) => p[1]);
    return {
      def,
      minX: Math.min(...xs),
      minY: Math.min(...ys),
      maxX: Math.max(...xs),
      maxY: Math.max(...ys),
      contains: (p) => pointInRings(p[0], p[1], rings),
      touchesSegment: (a, b) => segmentTouchesRings(a, b, rings),
    };
  }
  if (s.type === "circle") {
    const c = project(s.center[0], s.center[1]);
    const r = s.radiusM;
    return {
      def,
      minX: c[0] - r,
      minY: c[1] - r,
      maxX: c[0] + r,
      maxY: c[1] + r,
      contains: (p) => Math.hypot(p[0] - c[0], p[1] - c[1]) <= r,
      touchesSegment: (a, b) => distanceToSegment(c[0], c[1], a[0], a[1], b[0], b[1]) <= r,
    };
  }
  const path = s.path.map(([x, y]) => project(x, y));
  const half = s.widthM / 2;
  return {
    def,
    minX: Math.min(...path.map((p) => p[0])) - half,
    minY: Math.min(...path.map((p) => p[1])) - half,
    maxX: Math.max(...path.map((p) => p[0])) + half,
    maxY: Math.max(...path.map((p) => p[1])) + half,
    contains: (p) => distanceToPolyline(p[0], p[1], path) <= half,
    touchesSegment: (a, b) => {
      for (let i = 1; i < path.length; i++) if (segmentDistance(a, b, path[i - 1], path[i]) <= half) return true;
      return false;
    },
  };
}

const SHENZHEN_OFFSET_MIN = 8 * 60;

/**
 * Whether a schedule is active at `ts` (ms since epoch), in Shenzhen local time. Windows may cross
 * midnight (22:00–06:00); `days` (1 = Monday … 7 = Sunday) name the day a window starts on.
 * Start inclusive, end exclusive.
 */
export function scheduleActive(schedule: GeofenceDef["schedule"], ts: number): boolean {
  if (!schedule) return true;
  const localMin = Math.floor(ts / 60_000) + SHENZHEN_OFFSET_MIN;
  const minuteOfDay = ((localMin % 1440) + 1440) % 1440;
  const dayIndex = Math.floor(localMin / 1440); // days since 1970-01-01 (a Thursday), local
  const toMin = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3));
  const start = toMin(schedule.start);
  const end = toMin(schedule.end);
  let startedDay: number;
  if (start < end) {
    if (minuteOfDay < start || minuteOfDay >= end) return false;
    startedDay = dayIndex;
  } else if (minuteOfDay >= start) startedDay = dayIndex;
  else if (minuteOfDay < end) startedDay = dayIndex - 1;
  else return false;
  if (!schedule.days) return true;
  const isoDay = ((((startedDay + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday (ISO 4)
  return schedule.days.includes(isoDay);
}

export function appliesTo(def: GeofenceDef, cls: VehicleClass): boolean {
  return !def.classes || def.classes.length === 0 || def.classes.includes(cls);
}
