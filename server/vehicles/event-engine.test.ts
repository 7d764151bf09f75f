import { beforeEach, describe, expect, it } from "vitest";
import { project, unproject } from "../geo/geometry";
import { RoadNetwork } from "../geo/road-network";
import { compileGeofence, type GeofenceDef } from "./geofence";
import { GeofenceIndex } from "./geofence-index";
import { DEFAULT_RULES, EventEngine, type Ping } from "./event-engine";

const C: [number, number] = [114.05, 22.54];
const at = (dx: number, dy: number) => unproject(project(...C)[0] + dx, project(...C)[1] + dy);
const T0 = Date.parse("2026-11-23T12:00:00+08:00"); // Monday noon, Shenzhen
const ping = (plate: string, tSec: number, dx: number, dy: number, speedKmh = 40, t0 = T0): Ping => {
  const [lon, lat] = at(dx, dy);
  return { plate, ts: t0 + tSec * 1000, lon, lat, speedKmh };
};
const square = (id: string, half: number, extra: Partial<GeofenceDef> = {}): GeofenceDef => ({
  id,
  name: id,
  kind: "key_area",
  shape: { type: "polygon", coordinates: [[at(-half, -half), at(half, -half), at(half, half), at(-half, half)]] },
  alarmOn: ["enter", "exit"],
  ...extra,
});
const types = (events: { type: string }[]) => events.map((e) => e.type);

describe("event engine", () => {
  let fences: GeofenceIndex;
  let engine: EventEngine;
  const roads = RoadNetwork.fromFile();

  beforeEach(() => {
    fences = new GeofenceIndex();
    engine = new EventEngine(fences, roads);
    engine.track("粤B00001", "taxi");
    engine.track("粤B00H01", "hazmat");
  });

  it("enter and exit fire once each, on the transition pings only", () => {
    fences.upsert(square("cbd", 100));
    expect(types(engine.evaluate(ping("粤B00001", 0, -300, 0)))).toEqual([]);
    expect(types(engine.evaluate(ping("粤B00001", 10, -50, 0)))).toEqual(["enter"]);
    expect(types(engine.evaluate(ping("粤B00001", 20, 0, 0)))).toEqual([]);
    expect(types(engine.evaluate(ping("粤B00001", 30, 300, 0)))).toEqual(["exit"]);
    expect(types(engine.evaluate(ping("粤B00001", 40, 400, 0)))).toEqual([]);
  });

  it("by default a key area raises no enter/exit alarms, a danger zone alarms on entry only", () => {
    fences.upsert(square("monitor", 100, { alarmOn: undefined }));
    fences.upsert(square("danger", 100, { alarmOn: undefined, kind: "danger_zone", shape: { type: "circle", center: at(1000, 0), radiusM: 50 } }));
    expect(types(engine.evaluate(ping("粤B00001", 0, 0, 0)))).toEqual([]);
    expect(types(engine.evaluate(ping("粤B00001", 10, 500, 0)))).toEqual([]);
    expect(types(engine.evaluate(ping("粤B00001", 20, 1000, 0)))).toEqual(["enter"]);
    expect(types(engine.evaluate(ping("粤B00001", 30, 1500, 0)))).toEqual([]);
  });

  it("a ping exactly on the edge is inside", () => {
    fences.upsert(square("cbd", 100));
    const e = engine.evaluate(ping("粤B00001", 0, 100, 0));
    expect(types(e)).toEqual(["enter"]);
  });

  it("a track that crosses a thin zone between two pings raises a crossing", () => {
    fences.upsert({ ...square("thin", 0), shape: { type: "polygon", coordinates: [[at(-2, -500), at(2, -500), at(2, 500), at(-2, 500)]] } });
    engine.evaluate(ping("粤B00001", 0, -200, 0));
    const e = engine.evaluate(ping("粤B00001", 10, 200, 0));
    expect(types(e)).toEqual(["crossing"]);
    expect(e[0].geofenceId).toBe("thin");
    // Passing beside it is not a crossing.
    expect(types(engine.evaluate(ping("粤B00001", 20, 200, 600)))).toEqual([]);
  });

  it("fences apply only to their classes and only within their schedule, across midnight", () => {
    const night = Date.parse("2026-11-23T21:59:00+08:00");
    fences.upsert(square("night", 100, { kind: "restricted", classes: ["hazmat"], schedule: { start: "22:00", end: "06:00" } }));
    engine.track("粤B00002", "taxi");
    expect(types(engine.evaluate(ping("粤B00002", 0, 0, 0, 30, night + 120_000)))).toEqual([]); // taxi, not applicable
    engine.setPermits([]);
    // Hazmat inside at 21:59 (inactive): only the "outside any permit window" restriction applies.
    expect(types(engine.evaluate(ping("粤B00H01", 0, 0, 0, 2, night)))).toEqual([]);
    // 22:00 sharp: the zone becomes active while the truck is inside.
    expect(types(engine.evaluate(ping("粤B00H01", 60, 0, 0, 2, night)))).toEqual(["restricted"]);
    // 05:59 next morning still active (no new alarm), 06:00 inactive: it counts as leaving.
    const morning = Date.parse("2026-11-24T05:59:00+08:00");
    expect(types(engine.evaluate(ping("粤B00H01", 0, 0, 0, 2, morning)))).toEqual(["long_stop"]);
    expect(types(engine.evaluate(ping("粤B00H01", 60, 0, 0, 2, morning)))).toEqual(["exit"]);
  });

  it("overspeed against a zone limit fires once per episode", () => {
    fences.upsert(square("school", 300, { speedLimitKmh: 30 }));
    expect(types(engine.evaluate(ping("粤B00001", 0, 0, 0, 30)))).toEqual(["enter"]);
    const e = engine.evaluate(ping("粤B00001", 5, 10, 0, 31));
    expect(types(e)).toEqual(["overspeed"]);
    expect(e[0]).toMatchObject({ speedKmh: 31, limitKmh: 30, geofenceId: "school" });
    expect(types(engine.evaluate(ping("粤B00001", 10, 20, 0, 45)))).toEqual([]);
    expect(types(engine.evaluate(ping("粤B00001", 15, 30, 0, 25)))).toEqual([]);
    expect(types(engine.evaluate(ping("粤B00001", 20, 40, 0, 35)))).toEqual(["overspeed"]);
  });

  it("speed limits by road class, and for hazmat 80 km/h on an expressway, 60 elsewhere (roads from OpenStreetMap)", () => {
    const isolated = (cls: string) =>
      roads.segments.find((s) => s.roadClass === cls && !s.link && !roads.segments.some((o) => o.roadClass !== cls && Math.hypot(o.a[0] - s.a[0], o.a[1] - s.a[1]) < 80))!;
    const trunk = isolated("trunk");
    const primary = isolated("primary");
    const mid = (s: typeof trunk) => unproject((s.a[0] + s.b[0]) / 2, (s.a[1] + s.b[1]) / 2);
    const on = (plate: string, s: typeof trunk, t: number, v: number): Ping => ({ plate, ts: T0 + t * 1000, lon: mid(s)[0], lat: mid(s)[1], speedKmh: v });
    engine.setPermits([{ id: "p1", plate: "粤B00H01", from: T0 - 3600_000, to: T0 + 3600_000, corridor: compileGeofence({ ...square("any", 50_000), id: "corr" }) }]);
    // Hazmat: 80 on the trunk road (an expressway), 60 on a primary road.
    expect(types(engine.evaluate(on("粤B00H01", trunk, 0, 79)))).toEqual([]);
    expect(engine.evaluate(on("粤B00H01", trunk, 10, 81))[0]).toMatchObject({ type: "overspeed", limitKmh: 80 });
    expect(types(engine.evaluate(on("粤B00H01", primary, 20, 59)))).toEqual([]);
    expect(engine.evaluate(on("粤B00H01", primary, 30, 61))[0]).toMatchObject({ type: "overspeed", limitKmh: 60 });
    // The hazmat limit is smart law: tightened by rule, it applies at once.
    engine.rules = { ...DEFAULT_RULES, hazmatOtherKmh: 50 };
    expect(types(engine.evaluate(on("粤B00H01", primary, 40, 45)))).toEqual([]);
    expect(engine.evaluate(on("粤B00H01", primary, 50, 55))[0]).toMatchObject({ type: "overspeed", limitKmh: 50 });
    // A taxi follows the road-class limits only: 79 on the trunk is fine, 61 on the primary is not.
    expect(types(engine.evaluate(on("粤B00001", trunk, 60, 79)))).toEqual([]);
    expect(types(engine.evaluate(on("粤B00001", primary, 70, 59)))).toEqual([]);
    expect(engine.evaluate(on("粤B00001", primary, 80, 61))[0]).toMatchObject({ type: "overspeed", limitKmh: DEFAULT_RULES.primaryKmh });
  });

  it("hazmat route deviation from the permit corridor, and movement outside the permit window", () => {
    const corridor = compileGeofence({ id: "route", name: "许可路线", kind: "hazmat_corridor", shape: { type: "corridor", path: [at(-2000, 0), at(2000, 0)], widthM: 100 } });
    engine.setPermits([{ id: "permit-1", plate: "粤B00H01", from: T0, to: T0 + 3600_000, corridor }]);
    fences.upsert(corridor.def); // the corridor is also a fence on the map: no enter/exit alarms for it
    expect(types(engine.evaluate(ping("粤B00H01", 0, -1000, 40, 50)))).toEqual([]);
    const dev = engine.evaluate(ping("粤B00H01", 10, -900, 80, 50));
    expect(types(dev)).toEqual(["route_deviation"]);
    expect(dev[0].permitId).toBe("permit-1");
    expect(types(engine.evaluate(ping("粤B00H01", 20, -800, 120, 50)))).toEqual([]);
    expect(types(engine.evaluate(ping("粤B00H01", 30, -700, 10, 50)))).toEqual([]);
    // After the window closes, moving at all is restricted.
    expect(types(engine.evaluate(ping("粤B00H01", 3600, -600, 10, 50)))).toEqual(["restricted"]);
  });

  it("long stop after the rule's minutes, once per stop", () => {
    engine.rules = { ...DEFAULT_RULES, longStopMinutes: 10 };
    expect(types(engine.evaluate(ping("粤B00001", 0, 0, 0, 0)))).toEqual([]);
    expect(types(engine.evaluate(ping("粤B00001", 599, 0, 0, 1)))).toEqual([]);
    expect(types(engine.evaluate(ping("粤B00001", 600, 0, 0, 0)))).toEqual(["long_stop"]);
    expect(types(engine.evaluate(ping("粤B00001", 900, 0, 0, 0)))).toEqual([]);
    expect(types(engine.evaluate(ping("粤B00001", 910, 50, 0, 30)))).toEqual([]);
    expect(types(engine.evaluate(ping("粤B00001", 920, 60, 0, 0)))).toEqual([]);
  });

  it("offline after the rule's minutes of silence, once, and again only after the terminal is heard", () => {
    engine.evaluate(ping("粤B00001", 0, 0, 0));
    expect(engine.sweepOffline(T0 + 299_000)).toEqual([]);
    const off = engine.sweepOffline(T0 + 300_000);
    expect(off.map((e) => [e.type, e.plate, e.minutes])).toEqual([["offline", "粤B00001", 5]]);
    expect(engine.sweepOffline(T0 + 900_000)).toEqual([]);
    engine.evaluate(ping("粤B00001", 1000, 0, 0));
    expect(engine.sweepOffline(T0 + 1_400_000).map((e) => e.type)).toEqual(["offline"]);
  });

  it("ignores pings older than the last one and pings of untracked vehicles", () => {
    fences.upsert(square("cbd", 100));
    engine.evaluate(ping("粤B00001", 10, 0, 0));
    expect(engine.evaluate(ping("粤B00001", 5, 500, 0))).toEqual([]);
    expect(engine.evaluate(ping("粤B00001", 10, 500, 0))).toEqual([]);
    expect(engine.evaluate(ping("粤B99999", 20, 0, 0))).toEqual([]);
  });
});
