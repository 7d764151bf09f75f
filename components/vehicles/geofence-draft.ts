/**
 * A geofence being drawn on the map: the clicked points of a polygon, circle or corridor, turned
 * into the `shape` of a geofence definition (chain/contracts/geofence-schema.ts) and into the
 * preview layers drawn while the official clicks. Pure functions of the draft; no React.
 */
import type { Layer } from "@deck.gl/core";
import { PathLayer, PolygonLayer, ScatterplotLayer } from "@deck.gl/layers";
import type { GeofenceDef } from "@/chain/contracts/geofence-schema";
import { circleRing } from "@/components/bigscreen/fleet-layers";

export type DrawMode = "polygon" | "circle" | "corridor";
export type LonLat = [number, number];

export interface Draft {
  mode: DrawMode;
  /** Polygon vertices, the circle's centre (one point), or the corridor's route. */
  points: LonLat[];
  /** True once the official closed the polygon, fixed the radius or ended the route. */
  finished: boolean;
  radiusM: number;
  widthM: number;
}

export const emptyDraft = (mode: DrawMode): Draft => ({ mode, points: [], finished: false, radiusM: 300, widthM: 60 });

/** Great-circle distance in metres (haversine, mean Earth radius). */
export function distanceM(a: LonLat, b: LonLat): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008 * Math.asin(Math.sqrt(h));
}

/** Coordinates kept to 6 decimals (~0.1 m), as the pings are. */
export const round6 = (p: LonLat): LonLat => [Math.round(p[0] * 1e6) / 1e6, Math.round(p[1] * 1e6) / 1e6];

/** Points needed before a draft can be finished: 3 vertices, a centre, 2 route points. */
export const MIN_POINTS: Record<DrawMode, number> = { polygon: 3, circle: 1, corridor: 2 };

/**
 * Adds a clicked point. A circle takes its centre, then the second click sets the radius and
 * finishes it; polygons and corridors collect vertices until `finish`.
 */
export function addPoint(d: Draft, p: LonLat): Draft {
  if (d.finished) return d;
  if (d.mode === "circle") {
    if (!d.points.length) return { ...d, points: [round6(p)] };
    return { ...d, radiusM: Math.max(1, Math.round(distanceM(d.points[0], p))), finished: true };
  }
  return { ...d, points: [...d.points, round6(p)] };
}

export function finish(d: Draft): Draft {
  return d.points.length >= MIN_POINTS[d.mode] ? { ...d, finished: true } : d;
}

export function undo(d: Draft): Draft {
  if (d.mode === "circle" && d.finished) return { ...d, finished: false };
  return { ...d, points: d.points.slice(0, -1), finished: false };
}

/** The shape to define, or null while the draft is incomplete. Polygon rings are closed. */
export function draftShape(d: Draft): GeofenceDef["shape"] | null {
  if (!d.finished || d.points.length < MIN_POINTS[d.mode]) return null;
  if (d.mode === "circle") return { type: "circle", center: d.points[0], radiusM: d.radiusM };
  if (d.mode === "corridor") return { type: "corridor", path: d.points, widthM: d.widthM };
  return { type: "polygon", coordinates: [[...d.points, d.points[0]]] };
}

const DRAFT_COLOR: [number, number, number] = [0, 122, 255];

/**
 * Preview layers: the shape so far, with a rubber band to the pointer (`hover`) while drawing,
 * and the clicked vertices as dots.
 */
export function draftLayers(d: Draft, hover: LonLat | null): Layer[] {
  const live = !d.finished && hover ? [...d.points, hover] : d.points;
  const layers: Layer[] = [];
  if (d.mode === "polygon" && live.length >= 2) {
    if (live.length >= 3) {
      layers.push(
        new PolygonLayer({ id: "draft-polygon", data: [live], getPolygon: (r: LonLat[]) => r, getFillColor: [...DRAFT_COLOR, 50], getLineColor: [...DRAFT_COLOR, 230], lineWidthUnits: "pixels", getLineWidth: 2, stroked: true }),
      );
    } else {
      layers.push(new PathLayer({ id: "draft-edge", data: [live], getPath: (r: LonLat[]) => r, getColor: [...DRAFT_COLOR, 230], widthUnits: "pixels", getWidth: 2 }));
    }
  }
  if (d.mode === "circle" && d.points.length) {
    const radius = d.finished || !hover ? d.radiusM : Math.max(1, distanceM(d.points[0], hover));
    layers.push(
      new PolygonLayer({
        id: "draft-circle",
        data: [circleRing(d.points[0], radius)],
        getPolygon: (r: number[][]) => r,
        getFillColor: [...DRAFT_COLOR, 50],
        getLineColor: [...DRAFT_COLOR, 230],
        lineWidthUnits: "pixels",
        getLineWidth: 2,
        updateTriggers: { getPolygon: radius },
      }),
    );
  }
  if (d.mode === "corridor" && live.length >= 2) {
    layers.push(
      new PathLayer({ id: "draft-corridor", data: [live], getPath: (r: LonLat[]) => r, getColor: [...DRAFT_COLOR, 70], widthUnits: "meters", getWidth: d.widthM, capRounded: true, jointRounded: true, updateTriggers: { getWidth: d.widthM } }),
      new PathLayer({ id: "draft-route", data: [live], getPath: (r: LonLat[]) => r, getColor: [...DRAFT_COLOR, 230], widthUnits: "pixels", getWidth: 2 }),
    );
  }
  if (d.points.length) {
    layers.push(
      new ScatterplotLayer({ id: "draft-vertices", data: d.points, getPosition: (p: LonLat) => p, getRadius: 5, radiusUnits: "pixels", getFillColor: [255, 255, 255], getLineColor: DRAFT_COLOR, stroked: true, lineWidthUnits: "pixels", getLineWidth: 2 }),
    );
  }
  return layers;
}
