/**
 * Which Shenzhen district a point lies in, from the district outlines the map draws
 * (public/geo/shenzhen_districts.geojson). Answers are cached per ~100 m cell, since live vehicles
 * stay on the same roads.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface District {
  name: string;
  nameEn: string;
  adcode: number;
  /** Polygons, each a list of rings (outer then holes) of [lon, lat]. */
  polygons: number[][][][];
  bbox: [number, number, number, number];
}

type Geometry = { type: "Polygon"; coordinates: number[][][] } | { type: "MultiPolygon"; coordinates: number[][][][] };

function inRing(x: number, y: number, ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export class DistrictIndex {
  private readonly cache = new Map<number, number>();

  constructor(readonly districts: District[]) {}

  static fromFile(path = join(/*turbopackIgnore: true*/ process.cwd(), "public/geo/shenzhen_districts.geojson")): DistrictIndex {
    const fc = JSON.parse(readFileSync(path, "utf8")) as { features: { properties: { name: string; name_en: string; adcode: number }; geometry: Geometry }[] };
    return new DistrictIndex(
      fc.features.map((f) => {
        const polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
        const xs = polygons.flatMap((p) => p[0].map((c) => c[0]));
        const ys = polygons.flatMap((p) => p[0].map((c) => c[1]));
        return {
          name: f.properties.name,
          nameEn: f.properties.name_en,
          adcode: f.properties.adcode,
          polygons,
          bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
        };
      }),
    );
  }

  /** Index of the district containing (lon, lat), or -1. */
  locate(lon: number, lat: number): number {
    const cell = Math.round(lon * 1000) * 1_000_000 + Math.round(lat * 1000);
    const hit = this.cache.get(cell);
    if (hit !== undefined) return hit;
    let found = -1;
    for (let i = 0; i < this.districts.length && found < 0; i++) {
      const d = this.districts[i];
      if (lon < d.bbox[0] || lon > d.bbox[2] || lat < d.bbox[1] || lat > d.bbox[3]) continue;
      for (const rings of d.polygons) {
        if (inRing(lon, lat, rings[0]) && !rings.slice(1).some((h) => inRing(lon, lat, h))) {
          found = i;
          break;
        }
      }
    }
    this.cache.set(cell, found);
    return found;
  }

  /** Count of points per district, for slots [0, count). */
  count(lon: ArrayLike<number>, lat: ArrayLike<number>, count: number, include: (slot: number) => boolean = () => true): number[] {
    const out = new Array<number>(this.districts.length).fill(0);
    for (let s = 0; s < count; s++) {
      if (!include(s)) continue;
      const d = this.locate(lon[s], lat[s]);
      if (d >= 0) out[d]++;
    }
    return out;
  }
}
