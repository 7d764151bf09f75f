import { describe, expect, it } from "vitest";
import { haversine, project, unproject } from "../geo/geometry";
import { appliesTo, compileGeofence, geofenceSchema, scheduleActive, type GeofenceDef } from "./geofence";
import { GeofenceIndex } from "./geofence-index";

/** A point `dx`, `dy` metres from (lon, lat). */
const offset = (lon: number, lat: number, dx: number, dy: number) => {
  const [x, y] = project(lon, lat);
  return [x + dx, y + dy] as [number, number];
};
const C = [114.05, 22.54] as [number, number]; // near Futian CBD

// A 200 m square around C, ring SW, SE, NE, NW.
const square: GeofenceDef = {
  id: "sq",
  name: "市民中心管控区",
  kind: "key_area",
  shape: {
    type: "polygon",
    coordinates: [[unproject(...offset(...C, -100, -100)), unproject(...offset(...C, 100, -100)), unproject(...offset(...C, 100, 100)), unproject(...offset(...C, -100, 100))]],
  },
};

describe("projection", () => {
  it("agrees with great-circle distance to within 0.3% across the city", () => {
    const a: [number, number] = [113.9, 22.5];
    const b: [number, number] = [114.3, 22.7];
    const [ax, ay] = project(...a);
    const [bx, by] = project(...b);
    const planar = Math.hypot(bx - ax, by - ay);
    expect(Math.abs(planar - haversine(a, b)) / haversine(a, b)).toBeLessThan(0.003);
    const back = unproject(...project(114.1, 22.6));
    expect(back[0]).toBeCloseTo(114.1, 9);
    expect(back[1]).toBeCloseTo(22.6, 9);
  });
});

describe("geofence shapes", () => {
  const sq = compileGeofence(square);

  it("polygon: inside, outside, and on the edge counts as inside", () => {
    expect(sq.contains(offset(...C, 0, 0))).toBe(true);
    expect(sq.contains(offset(...C, 99, 99))).toBe(true);
    expect(sq.contains(offset(...C, 101, 0))).toBe(false);
    const edge = project(...unproject(...offset(...C, 100, 0)));
    expect(sq.contains(edge)).toBe(true);
  });

  it("polygon with a hole: the hole is outside", () => {
    const holed = compileGeofence({
      ...square,
      shape: {
        type: "polygon",
        coordinates: [
          (square.shape as { coordinates: [number, number][][] }).coordinates[0],
          [unproject(...offset(...C, -20, -20)), unproject(...offset(...C, 20, -20)), unproject(...offset(...C, 20, 20)), unproject(...offset(...C, -20, 20))],
        ],
      },
    });
    expect(holed.contains(offset(...C, 0, 0))).toBe(false);
    expect(holed.contains(offset(...C, 50, 0))).toBe(true);
  });

  it("a move that crosses a thin zone between two pings touches it; one that passes by does not", () => {
    const thin = compileGeofence({
      ...square,
      id: "thin",
      shape: {
        type: "polygon",
        coordinates: [[unproject(...offset(...C, -1, -500)), unproject(...offset(...C, 1, -500)), unproject(...offset(...C, 1, 500)), unproject(...offset(...C, -1, 500))]],
      },
    });
    const a = offset(...C, -300, 0);
    const b = offset(...C, 300, 0);
    expect(thin.contains(a) || thin.contains(b)).toBe(false);
    expect(thin.touchesSegment(a, b)).toBe(true);
    expect(thin.touchesSegment(offset(...C, -300, 600), offset(...C, 300, 600))).toBe(false);
  });

  it("circle: radius boundary inclusive", () => {
    const circle = compileGeofence({ id: "c", name: "危化品仓库", kind: "danger_zone", shape: { type: "circle", center: C, radiusM: 150 } });
    expect(circle.contains(offset(...C, 149.9, 0))).toBe(true);
    expect(circle.contains(offset(...C, 150.1, 0))).toBe(false);
    expect(circle.touchesSegment(offset(...C, -400, 140), offset(...C, 400, 140))).toBe(true);
    expect(circle.touchesSegment(offset(...C, -400, 160), offset(...C, 400, 160))).toBe(false);
  });

  it("corridor: within half the width of the route", () => {
    const route = [unproject(...offset(...C, -1000, 0)), unproject(...offset(...C, 0, 0)), unproject(...offset(...C, 0, 1000))];
    const corridor = compileGeofence({ id: "hz", name: "危化品通行走廊", kind: "hazmat_corridor", shape: { type: "corridor", path: route, widthM: 100 } });
    expect(corridor.contains(offset(...C, -500, 49))).toBe(true);
    expect(corridor.contains(offset(...C, -500, 51))).toBe(false);
    expect(corridor.contains(offset(...C, 40, 500))).toBe(true);
    expect(corridor.contains(offset(...C, 300, 300))).toBe(false);
  });

  it("rejects malformed definitions with clear messages", () => {
    const bad = geofenceSchema.safeParse({ ...square, shape: { type: "polygon", coordinates: [[C, C]] } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toMatch(/at least 3 points/);
    const far = geofenceSchema.safeParse({ ...square, shape: { type: "circle", center: [116.4, 39.9], radiusM: 10 } });
    expect(far.error?.issues[0].message).toMatch(/outside Shenzhen/);
    const sched = geofenceSchema.safeParse({ ...square, schedule: { start: "25:00", end: "06:00" } });
    expect(sched.error?.issues[0].message).toMatch(/HH:MM/);
  });
});

describe("schedules in Shenzhen time (UTC+8)", () => {
  // 2026-11-23 is a Monday.
  const at = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);
  const night = { start: "22:00", end: "06:00" };

  it("crosses midnight: start inclusive, end exclusive", () => {
    expect(scheduleActive(night, at("2026-11-23T21:59:59"))).toBe(false);
    expect(scheduleActive(night, at("2026-11-23T22:00:00"))).toBe(true);
    expect(scheduleActive(night, at("2026-11-24T00:00:00"))).toBe(true);
    expect(scheduleActive(night, at("2026-11-24T05:59:59"))).toBe(true);
    expect(scheduleActive(night, at("2026-11-24T06:00:00"))).toBe(false);
    expect(scheduleActive(undefined, at("2026-11-24T12:00:00"))).toBe(true);
  });

  it("days name the day the window starts on", () => {
    const mondayNights = { ...night, days: [1] };
    expect(scheduleActive(mondayNights, at("2026-11-23T23:00:00"))).toBe(true); // Monday night
    expect(scheduleActive(mondayNights, at("2026-11-24T03:00:00"))).toBe(true); // still Monday's window
    expect(scheduleActive(mondayNights, at("2026-11-24T23:00:00"))).toBe(false); // Tuesday night
    const weekdayDaytime = { start: "07:00", end: "09:00", days: [1, 2, 3, 4, 5] };
    expect(scheduleActive(weekdayDaytime, at("2026-11-27T08:00:00"))).toBe(true); // Friday
    expect(scheduleActive(weekdayDaytime, at("2026-11-28T08:00:00"))).toBe(false); // Saturday
  });

  it("vehicle classes", () => {
    expect(appliesTo({ ...square, classes: ["hazmat"] }, "hazmat")).toBe(true);
    expect(appliesTo({ ...square, classes: ["hazmat"] }, "taxi")).toBe(false);
    expect(appliesTo(square, "taxi")).toBe(true);
  });
});

describe("geofence index", () => {
  it("finds fences by point and by move without testing every fence", () => {
    const idx = new GeofenceIndex();
    // 1,000 circles on a 40 x 25 grid, 500 m apart, radius 100 m.
    for (let i = 0; i < 1000; i++) {
      const center = unproject(...offset(...C, (i % 40) * 500 - 10_000, Math.floor(i / 40) * 500 - 6000));
      idx.upsert({ id: `z${i}`, name: `区域${i}`, kind: "key_area", shape: { type: "circle", center, radiusM: 100 } });
    }
    expect(idx.size).toBe(1000);
    const p = offset(...C, -10_000 + 3 * 500 + 20, -6000 + 2 * 500);
    expect(idx.at(p).map((f) => f.def.id)).toEqual(["z83"]);
    expect(idx.candidatesAt(p)).toBeLessThan(5);
    // A move along a grid row passes two fences (and stops short of a third).
    const hits = idx.along(offset(...C, -10_000 + 200, -6000), offset(...C, -10_000 + 1300, -6000)).map((f) => f.def.id).sort();
    expect(hits).toEqual(["z1", "z2"]);
    idx.remove("z83");
    expect(idx.at(p)).toEqual([]);
    idx.upsert({ id: "z1", name: "moved", kind: "key_area", shape: { type: "circle", center: unproject(...p), radiusM: 50 } });
    expect(idx.at(p).map((f) => f.def.id)).toEqual(["z1"]);
    expect(idx.size).toBe(1000 - 1);
  });
});
