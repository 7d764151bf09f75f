import { describe, expect, it } from "vitest";
import { project } from "../geo/geometry";
import { RoadNetwork } from "../geo/road-network";
import { RoadGraph } from "../geo/road-graph";
import { Fleet } from "./fleet";

describe("simulated fleet", () => {
  const graph = RoadGraph.fromFile();
  const roads = RoadNetwork.fromFile();

  it("moves vehicles along real roads at class speeds, deterministically", () => {
    const make = () => {
      const f = new Fleet(graph, { seed: 7, start: Date.parse("2026-11-26T09:00:00+08:00") });
      f.add(300, (cls) => (cls === "taxi" ? "taxi-co" : "platform"));
      return f;
    };
    const fleet = make();
    const pings = [];
    for (let i = 0; i < 30; i++) pings.push(...fleet.step(1));
    // Every vehicle reports every 2-5 s: about 300 * 30 / 3 pings.
    expect(pings.length).toBeGreaterThan(1800);
    expect(pings.length).toBeLessThan(4600);
    for (const p of pings) {
      // On an OSM road (junctions are snapped by up to 20 m, so allow that much).
      expect(roads.nearest(project(p.lon, p.lat), 25), `${p.plate} at ${p.lon},${p.lat}`).not.toBeNull();
      expect(p.speed).toBeGreaterThanOrEqual(0);
      expect(p.speed).toBeLessThan(80);
    }
    const classes = new Set(fleet.vehicles.map((v) => v.cls));
    expect(classes.has("ride_hailing") && classes.has("taxi") && classes.has("hazmat")).toBe(true);
    // Same seed, same world.
    const again = make();
    const pings2 = [];
    for (let i = 0; i < 30; i++) pings2.push(...again.step(1));
    expect(pings2).toEqual(pings);
  });

  it("a silent terminal stops reporting while its vehicle keeps moving", () => {
    const fleet = new Fleet(graph, { seed: 3 });
    const [v] = fleet.add(1, () => "c", "taxi");
    v.silent = true;
    const before = fleet.position(v);
    let n = 0;
    for (let i = 0; i < 20; i++) n += fleet.step(1).length;
    expect(n).toBe(0);
    expect(fleet.position(v)).not.toEqual(before);
  });
});
