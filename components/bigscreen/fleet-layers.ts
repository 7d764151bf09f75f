/**
 * The big screen's deck.gl layers, as functions of data: traffic heat and live vehicles read the
 * FleetBuffers typed arrays as binary attributes (nothing rebuilt per vehicle), geofences and
 * alarms come from the ledger, the selected vehicle gets a halo and its trail (a TripsLayer
 * replaying the track since it was selected), dispatch units where the viewer may see them.
 */
import { HeatmapLayer } from "@deck.gl/aggregation-layers";
import type { Layer } from "@deck.gl/core";
import { TripsLayer } from "@deck.gl/geo-layers";
import { IconLayer, PathLayer, PolygonLayer, ScatterplotLayer } from "@deck.gl/layers";
import type { FleetBuffers } from "@/lib/live/fleet-buffers";
import type { LiveAlarm } from "./use-live-feed";

export interface GeofenceShape {
  id: string;
  name: string;
  kind: string;
  shape: { type: "polygon"; coordinates: number[][][] } | { type: "circle"; center: number[]; radiusM: number } | { type: "corridor"; path: number[][]; widthM: number };
}

const FENCE_COLORS: Record<string, [number, number, number]> = {
  key_area: [0, 200, 255],
  danger_zone: [255, 120, 0],
  hazmat_corridor: [255, 200, 40],
  restricted: [255, 60, 80],
};

const HEAT_COLORS: [number, number, number][] = [
  [18, 60, 120],
  [0, 140, 200],
  [0, 210, 170],
  [250, 220, 60],
  [255, 140, 30],
  [240, 40, 40],
];

/** A circle as a polygon ring (lon/lat), 64 segments. */
export function circleRing(center: number[], radiusM: number, steps = 64): number[][] {
  const [lon, lat] = center;
  const dLat = radiusM / 110_574;
  const dLon = radiusM / (111_320 * Math.cos((lat * Math.PI) / 180));
  const ring: number[][] = [];
  for (let i = 0; i <= steps; i++) {
    const a = (i / steps) * 2 * Math.PI;
    ring.push([lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)]);
  }
  return ring;
}

let arrowAtlas: HTMLCanvasElement | null = null;
/** A 64×64 arrow pointing up (north), drawn once; white so each vehicle's colour masks it. */
function arrowIcon(): HTMLCanvasElement {
  if (arrowAtlas) return arrowAtlas;
  const c = document.createElement("canvas");
  c.width = c.height = 64;
  const g = c.getContext("2d")!;
  g.fillStyle = "#fff";
  g.beginPath();
  g.moveTo(32, 4);
  g.lineTo(56, 58);
  g.lineTo(32, 46);
  g.lineTo(8, 58);
  g.closePath();
  g.fill();
  arrowAtlas = c;
  return c;
}

export interface FleetLayerOptions {
  fleet: FleetBuffers;
  /** Changes whenever the buffers change (new layer props, same arrays). */
  version: number;
  geofences: GeofenceShape[];
  alarms: LiveAlarm[];
  selectedSlot: number | null;
  selectedAlarm: string | null;
  scale: number;
  show: { heat: boolean; vehicles: boolean; fences: boolean; alarms: boolean };
  now: number;
}

export function fleetLayers(o: FleetLayerOptions): Layer[] {
  // Layers exist only in the browser (the icon atlas is drawn on a canvas).
  if (typeof document === "undefined") return [];
  const data = o.fleet.layerData();
  const s = o.scale;
  const layers: Layer[] = [];
  const polygons = o.geofences.flatMap((f) =>
    f.shape.type === "polygon" ? [{ f, ring: f.shape.coordinates[0] }] : f.shape.type === "circle" ? [{ f, ring: circleRing(f.shape.center, f.shape.radiusM) }] : [],
  );
  const corridors = o.geofences.filter((f) => f.shape.type === "corridor");
  layers.push(
    new PolygonLayer({
      id: "geofences",
      data: polygons,
      visible: o.show.fences,
      getPolygon: (d) => d.ring,
      getFillColor: (d) => [...(FENCE_COLORS[d.f.kind] ?? [0, 200, 255]), 38] as [number, number, number, number],
      getLineColor: (d) => [...(FENCE_COLORS[d.f.kind] ?? [0, 200, 255]), 220] as [number, number, number, number],
      getLineWidth: 2 * s,
      lineWidthUnits: "pixels",
      stroked: true,
      filled: true,
      pickable: true,
    }),
    new PathLayer({
      id: "geofence-corridors",
      data: corridors,
      visible: o.show.fences,
      getPath: (f) => (f.shape as { path: number[][] }).path as [number, number][],
      getWidth: (f) => (f.shape as { widthM: number }).widthM,
      widthUnits: "meters",
      widthMinPixels: 3 * s,
      getColor: [255, 200, 40, 70],
      capRounded: true,
      jointRounded: true,
      pickable: true,
    }),
    new HeatmapLayer({
      id: "traffic-heat",
      data: data as never,
      visible: o.show.heat,
      getWeight: 1,
      radiusPixels: 36 * s,
      intensity: 1.2,
      threshold: 0.04,
      colorRange: HEAT_COLORS,
      opacity: 0.55,
      updateTriggers: { getPosition: o.version },
    }),
    new IconLayer({
      id: "vehicles",
      data: data as never,
      visible: o.show.vehicles,
      iconAtlas: arrowIcon() as never,
      iconMapping: { arrow: { x: 0, y: 0, width: 64, height: 64, mask: true } },
      getIcon: "arrow" as never,
      getSize: 13 * s,
      sizeUnits: "pixels",
      sizeMinPixels: 6 * s,
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 255],
    }),
  );
  const recent = o.alarms.filter((a) => a.lon !== null && a.lat !== null && o.now - a.ts < 3 * 3600_000);
  layers.push(
    new ScatterplotLayer<LiveAlarm>({
      id: "alarms",
      data: recent,
      visible: o.show.alarms,
      getPosition: (a) => [a.lon!, a.lat!],
      getRadius: (a) => (a.id === o.selectedAlarm ? 16 : a.receivedAt && o.now - a.receivedAt < 15_000 ? 14 : 9) * s,
      radiusUnits: "pixels",
      getFillColor: (a) => (a.severity === "critical" ? [255, 40, 60, 90] : a.severity === "warning" ? [255, 150, 0, 80] : [0, 200, 255, 70]),
      getLineColor: (a) => (a.severity === "critical" ? [255, 60, 80, 255] : a.severity === "warning" ? [255, 170, 30, 255] : [0, 210, 255, 255]),
      getLineWidth: 2 * s,
      lineWidthUnits: "pixels",
      stroked: true,
      pickable: true,
      updateTriggers: { getRadius: [o.selectedAlarm, Math.floor(o.now / 5000)] },
    }),
  );
  if (o.selectedSlot !== null && o.selectedSlot < o.fleet.count) {
    const p = o.fleet.positions;
    const here: [number, number] = [p[2 * o.selectedSlot], p[2 * o.selectedSlot + 1]];
    layers.push(
      new ScatterplotLayer({
        id: "selected-vehicle",
        data: [here],
        getPosition: (d) => d,
        getRadius: 18 * s,
        radiusUnits: "pixels",
        filled: false,
        stroked: true,
        getLineColor: [255, 255, 255, 255],
        getLineWidth: 2.5 * s,
        lineWidthUnits: "pixels",
      }),
    );
  }
  return layers;
}

/** A selected vehicle's recent track: positions with their times, in seconds since it was selected. */
export interface Trail {
  path: [number, number][];
  timestamps: number[];
}

/** Wall-clock seconds one replay of the trail takes (clamped), and the pause at its end. */
const TRAIL_REPLAY_S = { min: 3, max: 8, hold: 1.5 };

/**
 * The trail's animation time at wall-clock `elapsedS`: the track is drawn from its first point to
 * the vehicle's position, held, and replayed, so the direction of travel reads at a glance.
 */
export function trailTime(trail: Trail, elapsedS: number): number {
  const t0 = trail.timestamps[0] ?? 0;
  const span = (trail.timestamps[trail.timestamps.length - 1] ?? 0) - t0;
  const replay = Math.min(TRAIL_REPLAY_S.max, Math.max(TRAIL_REPLAY_S.min, span));
  const phase = elapsedS % (replay + TRAIL_REPLAY_S.hold);
  return t0 + Math.min(1, phase / replay) * span;
}

/** The selected vehicle's trail as a deck.gl TripsLayer; rebuilt per animation frame on its own (the other layers stay). */
export function trailLayer(trail: Trail, currentTime: number, scale: number): Layer | null {
  if (trail.path.length < 2) return null;
  const span = trail.timestamps[trail.timestamps.length - 1] - trail.timestamps[0];
  return new TripsLayer<Trail>({
    id: "selected-trail",
    data: [trail],
    getPath: (d) => d.path,
    getTimestamps: (d) => d.timestamps,
    getColor: [255, 255, 255],
    getWidth: 3 * scale,
    widthUnits: "pixels",
    capRounded: true,
    jointRounded: true,
    fadeTrail: true,
    trailLength: Math.max(1, span),
    currentTime,
    updateTriggers: { getPath: trail.path.length, getTimestamps: trail.path.length },
  });
}

/** A dispatch unit on the big screen (dispatch.units). */
export interface UnitMarker {
  id: string;
  name: string;
  status: string;
  lon: number;
  lat: number;
}

/** Emergency units: green when available, amber while committed to an incident, grey out of service. */
export function unitLayer(units: UnitMarker[] | undefined, scale = 1, visible = true): Layer {
  return new ScatterplotLayer<UnitMarker>({
    id: "dispatch-units",
    data: units ?? [],
    visible,
    getPosition: (u) => [u.lon, u.lat],
    getFillColor: (u) => (u.status === "available" ? [40, 210, 120, 255] : u.status === "out_of_service" ? [140, 150, 160, 255] : [255, 170, 30, 255]),
    getRadius: 6 * scale,
    radiusUnits: "pixels",
    stroked: true,
    getLineColor: [10, 20, 40, 255],
    lineWidthMinPixels: 1.5 * scale,
    pickable: true,
    updateTriggers: { getFillColor: (units ?? []).map((u) => u.status).join() },
  });
}
