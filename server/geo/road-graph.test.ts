import { describe, expect, it } from "vitest";
import { haversine, project, unproject, type LonLat } from "./geometry";
import { CLASS_SPEED_KMH, RoadGraph, type RoadFeatureInput } from "./road-graph";

const O: LonLat = [114.05, 22.54];
const p = (dx: number, dy: number) => unproject(project(...O)[0] + dx, project(...O)[1] + dy);
const road = (highway: string, coords: LonLat[], oneway = false): RoadFeatureInput => ({ properties: { highway, oneway }, geometry: { type: "LineString", coordinates: coords } });

describe("road graph on a hand-made network", () => {
  // A ---1000 m primary (two-way)--- B ---1000 m secondary (one-way B->C)--- C
  // A ---3000 m secondary_link (two-way) detour via D--- C
  const A = p(0, 0);
  const B = p(1000, 0);
  const C = p(2000, 0);
  const D = p(1000, 1118.034); // A-D and D-C are each 1500 m
  const g = new RoadGraph([road("primary", [A, B]), road("secondary", [B, C], true), road("secondary_link", [A, D]), road("secondary_link", [D, C])]);
  const id = (x: LonLat) => g.nearestNode(...x)!;

  it("computes travel time by class speed and respects one-way streets", () => {
    const ab = 1000 / (CLASS_SPEED_KMH.primary / 3.6);
    const bc = 1000 / (CLASS_SPEED_KMH.secondary / 3.6);
    const adc = 3000 / (CLASS_SPEED_KMH.secondary_link / 3.6);
    const ac = g.route(id(A), id(C))!;
    expect(ac.seconds).toBeCloseTo(Math.min(ab + bc, adc), 3);
    expect(ac.nodes).toEqual([id(A), id(B), id(C)]); // 80 s + 102.9 s beats 432 s
    // C -> A cannot use the one-way B->C: it must take the slow detour.
    const ca = g.route(id(C), id(A))!;
    expect(ca.seconds).toBeCloseTo(adc, 3);
    expect(ca.meters).toBeCloseTo(3000, 0);
    expect(ca.nodes).toEqual([id(C), id(D), id(A)]);
  });

  it("a reversed search gives every node's time TO a destination in one pass", () => {
    const toA = g.search(id(A), { reverse: true }).seconds;
    for (const from of [B, C, D]) expect(toA[id(from)]).toBeCloseTo(g.route(id(from), id(A))!.seconds, 6);
    expect(toA[id(A)]).toBe(0);
  });

  it("returns null when there is no route", () => {
    const island = new RoadGraph([road("secondary", [A, B], true)]);
    expect(island.route(island.nearestNode(...B)!, island.nearestNode(...A)!)).toBeNull();
  });
});

describe("road graph on central Futian (OpenStreetMap)", () => {
  const g = RoadGraph.fromFile();

  it("is a connected, routable network", () => {
    expect(g.size).toBeGreaterThan(1000);
    const from = g.nearestNode(114.0596, 22.5427)!; // 深南大道 at the Civic Centre
    const reach = g.search(from).seconds;
    const reachable = reach.filter((s) => Number.isFinite(s)).length;
    expect(reachable / g.size).toBeGreaterThan(0.8);
  });

  it("gives sensible times: never faster than the straight line at top speed; typical detour under 2x", () => {
    const from = g.nearestNode(114.0596, 22.5427)!;
    const { seconds, meters } = g.search(from);
    const ratios: number[] = [];
    for (let v = 0; v < g.size; v++) {
      if (!Number.isFinite(seconds[v]) || v === from) continue;
      const straight = haversine(g.lonLat(from), g.lonLat(v));
      if (straight < 500) continue;
      expect(seconds[v]).toBeGreaterThanOrEqual(straight / (CLASS_SPEED_KMH.motorway / 3.6) - 1e-6);
      expect(meters[v]).toBeGreaterThanOrEqual(straight * 0.99);
      ratios.push(meters[v] / straight);
    }
    ratios.sort((a, b) => a - b);
    expect(ratios.length).toBeGreaterThan(1000);
    expect(ratios[Math.floor(ratios.length / 2)]).toBeLessThan(2);
    expect(ratios[Math.floor(ratios.length * 0.95)]).toBeLessThan(4);
  });
});
