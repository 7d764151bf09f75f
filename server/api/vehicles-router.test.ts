/** Vehicle supervision through tRPC on a seeded portal with the demo traffic world (PGlite). */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkBatch } from "../ingest/pings";
import { deptKeyId } from "../ledger/seed-data";
import { createHarness, type Harness } from "../testing/harness";
import { openVehicleServices, type VehicleServices } from "../vehicles/service";
import { createDemoFleet } from "../sim/runner";

let h: Harness;
let vs: VehicleServices;
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e) => (e instanceof TRPCError ? e.code : Promise.reject(e)));

beforeAll(async () => {
  h = await createHarness();
  vs = await openVehicleServices(h.services.ledger, { demo: true, vehicles: 300, sweepMs: 0 });
  h.services.vehicles = vs;
});
afterAll(async () => {
  vs?.supervisor.close();
  await h?.close();
});

describe("vehicles, alarms, geofences and ride-hailing over tRPC", () => {
  it("lists the registered demo fleet by class and shows a vehicle's ledger history", async () => {
    const tp = await h.as("tp.operator");
    const hazmat = await tp.vehicles.list({ cls: "hazmat" });
    expect(hazmat.length).toBeGreaterThan(0);
    expect(hazmat.every((v) => v.cls === "hazmat")).toBe(true);
    const one = await tp.vehicles.get({ plate: hazmat[0].plate });
    expect(one.permits).toHaveLength(1);
    expect(one.history[0].type).toBe("vehicle.register");
    await expect(tp.vehicles.get({ plate: "粤Z99999" })).rejects.toThrow(/unknown vehicle/);
    await expect(tp.vehicles.get({ plate: "nope" })).rejects.toThrow(/plate like/);
  });

  it("turns a simulated hazmat deviation into an alarm the traffic police work through; replay shows the anchored track", async () => {
    const fleet = createDemoFleet(vs.graph, 300);
    const truck = fleet.vehicles.find((v) => v.cls === "hazmat")!;
    fleet.clock = Date.now() - 600_000;
    const pings: object[] = [];
    for (let i = 0; i < 30; i++) for (const p of fleet.step(1)) if (p.plate === truck.plate) pings.push({ ...p, plate: undefined });
    truck.loop = undefined;
    fleet.reroute(truck, truck.route[truck.leg], vs.graph.nearestCoreNode(114.055, 22.548));
    for (let i = 0; i < 400; i++) for (const p of fleet.step(1)) if (p.plate === truck.plate) pings.push({ ...p, plate: undefined });
    const r = await vs.ingest.ingest("sz-hazmat", pings);
    expect(r.accepted).toBe(pings.length);
    expect(r.alarms).toBeGreaterThan(0);

    const tp = await h.as("tp.operator");
    const open = await tp.alarms.list({ status: "open" });
    const dev = open.find((a) => a.subject === truck.plate && a.type === "route_deviation")!;
    expect(dev).toBeDefined();
    expect(await codeOf((await h.as("em.dispatcher")).alarms.act({ id: dev.id, action: "acknowledge" }))).toBe("FORBIDDEN");
    await tp.alarms.act({ id: dev.id, action: "acknowledge" });
    await expect(tp.alarms.act({ id: dev.id, action: "acknowledge" })).rejects.toThrow(/cannot acknowledge an alarm that is acknowledged/);
    await tp.alarms.act({ id: dev.id, action: "close", note: "已联系驾驶员返回许可路线" });
    expect((await tp.alarms.list({ status: "closed" })).map((a) => a.id)).toContain(dev.id);

    const track = await tp.vehicles.track({ plate: truck.plate, from: Date.now() - 3600_000, to: Date.now() + 60_000 });
    expect(track.points.length).toBe(pings.length);
    expect(track.tampered).toBe(0);
    expect(track.points.every((p) => p.verified)).toBe(true);
    expect(track.alarms.map((a) => a.type)).toContain("route_deviation");
    // An edited ping shows up as a tampered batch in the replay.
    const editPing = (dLonE6: number) => h.services.ledger.db.query("UPDATE telemetry_pings SET lon_e6 = lon_e6 + $3 WHERE plate = $1 AND batch = $2 AND batch_idx = 0", [truck.plate, r.batch, dLonE6]);
    await editPing(1000);
    try {
      expect((await tp.vehicles.track({ plate: truck.plate, from: Date.now() - 3600_000, to: Date.now() + 60_000 })).tampered).toBe(1);
      const anchor = await h.services.ledger.node.store.record<{ root: string; count: number }>("telemetry", r.batch!);
      expect((await checkBatch(vs.ingest.pings, r.batch!, anchor!.value.root, anchor!.value.count)).ok).toBe(false);
    } finally {
      await editPing(-1000);
    }
    await expect(tp.vehicles.track({ plate: truck.plate, from: 2, to: 1 })).rejects.toThrow(/'to' must be after 'from'/);
  });

  it("lets traffic police supervisors define, import and retire geofences", async () => {
    const sup = await h.as("tp.supervisor");
    await sup.geofences.define({ id: "test-zone", name: "测试管控区", kind: "danger_zone", shape: { type: "circle", center: [114.05, 22.54], radiusM: 100 } });
    expect((await sup.geofences.list()).map((g) => g.id)).toContain("test-zone");
    // As the map's drawing form sends it: a corridor, rules left empty as undefined.
    await sup.geofences.define({ id: "drawn-route", name: "画的走廊", kind: "hazmat_corridor", shape: { type: "corridor", path: [[114.05, 22.54], [114.06, 22.545]], widthM: 60 }, classes: undefined, schedule: undefined, speedLimitKmh: undefined });
    const drawn = (await sup.geofences.list()).find((g) => g.id === "drawn-route") as Record<string, unknown>;
    expect(drawn).toMatchObject({ shape: { type: "corridor", widthM: 60 }, status: "active" });
    expect(Object.keys(drawn)).not.toContain("classes");
    const square = [[114.05, 22.54], [114.051, 22.54], [114.051, 22.541], [114.05, 22.54]] as [number, number][];
    const done = await sup.geofences.importGeoJson({ features: [{ type: "Feature", properties: { id: "imported-1", name: "导入围栏" }, geometry: { type: "Polygon", coordinates: [square] } }] });
    expect(done).toHaveLength(1);
    await expect(
      sup.geofences.importGeoJson({ features: [{ type: "Feature", properties: { id: "BAD ID", name: "x" }, geometry: { type: "Polygon", coordinates: [square] } }] }),
    ).rejects.toThrow(/feature 0: id/);
    await sup.geofences.retire({ id: "test-zone", reason: "演练结束" });
    expect((await sup.geofences.list()).find((g) => g.id === "test-zone")).toMatchObject({ status: "retired" });
    expect(await codeOf((await h.as("tp.operator")).geofences.define({ id: "x-zone", name: "x", kind: "key_area", shape: { type: "circle", center: [114.05, 22.54], radiusM: 10 } }))).toBe("FORBIDDEN");
  });

  it("reports the dual-compliance rate per platform", async () => {
    const fleet = createDemoFleet(vs.graph, 300);
    const car = fleet.vehicles.find((v) => v.cls === "ride_hailing" && v.company === "didi")!;
    await vs.trips.ingest("didi", [
      { id: "T-DIDI-0001", driver: `d-${car.plate.slice(2).toLowerCase()}`, plate: car.plate, start: Date.now() - 60_000, end: Date.now(), distanceKm: 3, fareYuan: 12 },
      { id: "T-DIDI-0002", driver: "d-revoked-0001", plate: car.plate, start: Date.now() - 60_000, end: Date.now(), distanceKm: 3, fareYuan: 12 },
    ]);
    const rows = await (await h.as("tp.viewer")).ridehail.compliance();
    expect(rows.find((r) => r.platform === "didi")).toMatchObject({ trips: 2, compliant: 1, rate: 0.5, name: "滴滴出行科技有限公司" });
  });

  it("only the owner department or its ancestors work an alarm or suspend a vehicle", async () => {
    const NOT_OWNER = /只有所属部门或其上级可修改 only the owner department or its ancestors may change this/;
    const { ledger } = h.services;
    const truck = (await (await h.as("tp.operator")).vehicles.list({ cls: "hazmat" }))[0];
    const v = (await ledger.node.store.record<{ licence: { no: string }; registered: { dept: string } }>("vehicle", truck.plate))!.value;
    expect(v.registered.dept).toBe("sz.tp");
    await ledger.submitAs({ id: "tp.operator", dept: "sz.tp" }, "alarm.raise", { id: "authz-overspeed-1", type: "overspeed", severity: "warning", subject: truck.plate, at: Date.now() });

    // The Futian district traffic police (sz.futian.tp, not under sz.tp) neither works sz.tp's alarm nor suspends its vehicle.
    const district = await h.as("futian.operator");
    // The inbox says so before anyone presses a button.
    const listed = async (u: string) => (await (await h.as(u)).alarms.list({})).find((a) => a.id === "authz-overspeed-1");
    expect(await listed("futian.operator")).toMatchObject({ owner: "sz.tp", mayAct: false });
    expect(await listed("tp.operator")).toMatchObject({ mayAct: true });
    expect(await listed("tp.viewer")).toMatchObject({ mayAct: false });
    expect(await codeOf(district.alarms.act({ id: "authz-overspeed-1", action: "acknowledge" }))).toBe("FORBIDDEN");
    await expect(district.alarms.act({ id: "authz-overspeed-1", action: "acknowledge" })).rejects.toThrow(NOT_OWNER);
    expect(await codeOf(district.alarms.act({ id: "authz-no-such-alarm", action: "acknowledge" }))).toBe("NOT_FOUND");
    await expect(ledger.node.submit({ type: "alarm.act", dept: "sz.futian.tp", actor: "futian.operator", payload: { id: "authz-overspeed-1", action: "acknowledge" } }, deptKeyId("sz.futian.tp"))).rejects.toThrow(NOT_OWNER);
    const suspend = { plate: truck.plate, licence: { no: v.licence.no, status: "suspended" } };
    await expect(ledger.submitAs({ id: "futian.operator", dept: "sz.futian.tp" }, "vehicle.update", suspend)).rejects.toThrow(NOT_OWNER);

    // The owner can.
    await (await h.as("tp.operator")).alarms.act({ id: "authz-overspeed-1", action: "acknowledge" });
    await ledger.submitAs({ id: "tp.operator", dept: "sz.tp" }, "vehicle.update", suspend);
    expect((await ledger.node.store.record<{ licence: { status: string } }>("vehicle", truck.plate))!.value.licence.status).toBe("suspended");
  });
});
