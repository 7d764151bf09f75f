import { describe, expect, it } from "vitest";
import type { UnitStatus } from "../../chain/contracts/dispatch";
import { haversine, project, unproject, type LonLat } from "../geo/geometry";
import { CLASS_SPEED_KMH, RoadGraph, type RoadFeatureInput } from "../geo/road-graph";
import { ACCESS_KMH, etasTo, recommend, routeBetween } from "./recommend";

const O: LonLat = [114.05, 22.54];
const p = (dx: number, dy: number) => unproject(project(...O)[0] + dx, project(...O)[1] + dy);
const road = (highway: string, coords: LonLat[], oneway = false): RoadFeatureInput => ({ properties: { highway, oneway }, geometry: { type: "LineString", coordinates: coords } });
const kmh = (cls: string) => CLASS_SPEED_KMH[cls] / 3.6;

describe("ETA and recommendation on a hand-made network with a one-way street", () => {
  // A ---1000 m primary (two-way)--- B ---1000 m secondary (one-way B->C)--- C
  // A ---1500 m secondary_link--- D ---1500 m secondary_link--- C   (two-way detour)
  const A = p(0, 0);
  const B = p(1000, 0);
  const C = p(2000, 0);
  const D = p(1000, 1118.034);
  const g = new RoadGraph([road("primary", [A, B]), road("secondary", [B, C], true), road("secondary_link", [A, D]), road("secondary_link", [D, C])]);
  const unit = (id: string, at: LonLat, status: UnitStatus = "available", capabilities = ["medical"]) => ({ id, lon: at[0], lat: at[1], status, capabilities });

  it("times each unit to the incident over the roads: class speeds, one-way respected", () => {
    const etas = etasTo(g, B, [unit("at-a", A), unit("at-c", C), unit("at-d", D)]);
    expect(etas.get("at-a")!.seconds).toBeCloseTo(1000 / kmh("primary"), 3);
    // C is as close to B as A in a straight line, but may not drive B<-C against the one-way: C->D->A->B.
    expect(etas.get("at-c")!.seconds).toBeCloseTo(3000 / kmh("secondary_link") + 1000 / kmh("primary"), 3);
    expect(etas.get("at-c")!.meters).toBeCloseTo(4000, 0);
    expect(etas.get("at-c")!.straightM).toBeCloseTo(1000, -1);
    expect(etas.get("at-d")!.seconds).toBeCloseTo(1500 / kmh("secondary_link") + 1000 / kmh("primary"), 3);
    // The other way round C is next door: B->C along the one-way.
    expect(etasTo(g, C, [unit("at-b", B)]).get("at-b")!.seconds).toBeCloseTo(1000 / kmh("secondary"), 3);
  });

  it("adds the off-network legs at the access speed", () => {
    const nearA = p(0, -100); // 100 m south of A, off the road
    const eta = etasTo(g, B, [unit("yard", nearA)]).get("yard")!;
    expect(eta.seconds).toBeCloseTo(100 / (ACCESS_KMH / 3.6) + 1000 / kmh("primary"), 0);
    expect(eta.meters).toBeCloseTo(1100, -1);
  });

  it("ranks suitable available units by travel time and excludes busy and unsuitable ones", () => {
    const units = [
      unit("at-c", C),
      unit("at-d", D),
      unit("at-a-busy", A, "en_route"),
      unit("at-a-returning", A, "returning"),
      unit("at-a-oos", A, "out_of_service"),
      unit("at-a-fire", A, "available", ["fire", "rescue"]),
      unit("at-a", A),
    ];
    const ranked = recommend(g, B, units, "medical");
    expect(ranked.map((r) => r.unit.id)).toEqual(["at-a", "at-d", "at-c"]);
    expect(ranked[0].seconds).toBeLessThan(ranked[1].seconds);
    expect(recommend(g, B, units, "fire").map((r) => r.unit.id)).toEqual(["at-a-fire"]);
    expect(recommend(g, B, units, "tow")).toEqual([]);
    expect(recommend(g, B, units, "medical", 1).map((r) => r.unit.id)).toEqual(["at-a"]);
  });

  it("routes the navigation line along the roads", () => {
    const r = routeBetween(g, C, B)!;
    expect(r.path.length).toBe(6); // the two endpoints around nodes C, D, A, B
    expect(r.meters).toBeCloseTo(4000, 0);
  });
});

describe("ETA on central Futian (OpenStreetMap roads)", () => {
  const g = RoadGraph.fromFile();
  const civic: LonLat = [114.0596, 22.5427];

  it("is sensible against the straight line: never faster than the top speed, typically 15-60 km/h door to door", () => {
    // A grid of origins across the road data window.
    const origins: { id: string; lon: number; lat: number }[] = [];
    for (let lon = 114.01; lon <= 114.1; lon += 0.01) for (let lat = 22.52; lat <= 22.56; lat += 0.01) origins.push({ id: `${lon.toFixed(2)},${lat.toFixed(2)}`, lon, lat });
    const etas = etasTo(g, civic, origins);
    const speeds: number[] = [];
    for (const o of origins) {
      const e = etas.get(o.id)!;
      expect(e, o.id).not.toBeNull();
      expect(e.straightM).toBeCloseTo(haversine([o.lon, o.lat], civic), 3);
      if (e.straightM < 1500) continue;
      expect(e.seconds, o.id).toBeGreaterThanOrEqual(e.straightM / (CLASS_SPEED_KMH.motorway / 3.6));
      expect(e.meters, o.id).toBeGreaterThanOrEqual(e.straightM * 0.98);
      speeds.push(e.straightM / e.seconds * 3.6);
    }
    speeds.sort((a, b) => a - b);
    expect(speeds.length).toBeGreaterThan(20);
    const median = speeds[Math.floor(speeds.length / 2)];
    expect(median).toBeGreaterThan(15);
    expect(median).toBeLessThan(60);
  });

  // How fast it answers is `npm run bench` (dispatch.nearest), not a test.
  it("one search answers 500 units", () => {
    const units = Array.from({ length: 500 }, (_, i) => ({ id: `u${i}`, lon: 114.01 + ((i * 37) % 90) / 1000, lat: 22.52 + ((i * 53) % 40) / 1000 }));
    const etas = etasTo(g, [114.07, 22.53], units);
    expect([...etas.values()].filter((e) => e !== null).length).toBe(500);
  });
});
