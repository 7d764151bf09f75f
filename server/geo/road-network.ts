/**
 * The road network of central Futian from OpenStreetMap (public/geo/shenzhen_roads_major.geojson):
 * segments in an R-tree for "which road is this vehicle on" (road class and speed rules).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import RBush from "rbush";
import { distanceToSegment, project, type XY } from "./geometry";

export type RoadClass = "motorway" | "trunk" | "primary" | "secondary";

export interface RoadSegment {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  a: XY;
  b: XY;
  roadClass: RoadClass;
  link: boolean;
  name: string | null;
  oneway: boolean;
}

interface RoadFeature {
  properties: { name: string | null; highway: string; oneway?: boolean | string };
  geometry: { type: "LineString"; coordinates: [number, number][] };
}

/** Expressways (快速路/高速) in OSM terms: motorway and trunk, with their ramps. */
export const isExpressway = (s: Pick<RoadSegment, "roadClass">) => s.roadClass === "motorway" || s.roadClass === "trunk";

export class RoadNetwork {
  private readonly tree = new RBush<RoadSegment>();
  readonly segments: RoadSegment[] = [];

  constructor(features: RoadFeature[]) {
    for (const f of features) {
      if (f.geometry?.type !== "LineString") continue;
      const hw = String(f.properties.highway);
      const roadClass = hw.replace(/_link$/, "") as RoadClass;
      if (!["motorway", "trunk", "primary", "secondary"].includes(roadClass)) continue;
      const pts = f.geometry.coordinates.map(([lon, lat]) => project(lon, lat));
      for (let i = 1; i < pts.length; i++) {
        const a = pts[i - 1];
        const b = pts[i];
        this.segments.push({
          minX: Math.min(a[0], b[0]),
          minY: Math.min(a[1], b[1]),
          maxX: Math.max(a[0], b[0]),
          maxY: Math.max(a[1], b[1]),
          a,
          b,
          roadClass,
          link: hw.endsWith("_link"),
          name: f.properties.name ?? null,
          oneway: f.properties.oneway === true || f.properties.oneway === "True",
        });
      }
    }
    this.tree.load(this.segments);
  }

  static fromFile(path = join(/*turbopackIgnore: true*/ process.cwd(), "public/geo/shenzhen_roads_major.geojson")): RoadNetwork {
    return new RoadNetwork(JSON.parse(readFileSync(path, "utf8")).features);
  }

  /**
   * Segments within maxDistM of p. At junctions and on ramps several roads are this close: callers
   * deciding a speed limit should give the driver the benefit of the doubt (the fastest road).
   */
  near(p: XY, maxDistM = 20): RoadSegment[] {
    return this.tree
      .search({ minX: p[0] - maxDistM, minY: p[1] - maxDistM, maxX: p[0] + maxDistM, maxY: p[1] + maxDistM })
      .filter((s) => distanceToSegment(p[0], p[1], s.a[0], s.a[1], s.b[0], s.b[1]) <= maxDistM);
  }

  /** The nearest road segment within maxDistM of p, or null. */
  nearest(p: XY, maxDistM = 30): { segment: RoadSegment; distanceM: number } | null {
    let best: { segment: RoadSegment; distanceM: number } | null = null;
    for (const s of this.tree.search({ minX: p[0] - maxDistM, minY: p[1] - maxDistM, maxX: p[0] + maxDistM, maxY: p[1] + maxDistM })) {
      const d = distanceToSegment(p[0], p[1], s.a[0], s.a[1], s.b[0], s.b[1]);
      if (d <= maxDistM && (!best || d < best.distanceM)) best = { segment: s, distanceM: d };
    }
    return best;
  }
}
