/** Vehicle supervision contracts on the real ledger (PGlite and PostgreSQL): authority, validation, workflow. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "../chain/signature.js";
import { verifyLedger } from "../chain/verify.js";
import { BACKENDS, openTestDb, type TestDb } from "./helpers/db.js";
import { addTransportBureau, createTestLedger, type TestLedger } from "./helpers/ledger.js";

const C: [number, number] = [114.05, 22.54];
const NOW = Date.now();

describe.each(BACKENDS)("vehicle contracts on %s", (backend) => {
  let t: TestDb;
  let L: TestLedger;
  const tp = (actor: string, type: string, payload: object) => L.node.submit({ type, dept: "tp", actor, payload: payload as never }, "k.tp");
  const tr = (actor: string, type: string, payload: object) => L.node.submit({ type, dept: "tr", actor, payload: payload as never }, "k.tr");

  beforeAll(async () => {
    t = await openTestDb(backend);
    L = await createTestLedger(t.db);
    await addTransportBureau(L, [
      ["tr.op", "tr", "operator"],
      ["tp.sup", "tp", "supervisor"],
    ]);
  });
  afterAll(async () => {
    await L.node.close();
    await t.dispose();
  });

  it("registers a company and vehicles under the competent bureau only", async () => {
    const company = { id: "didi", name: "滴滴出行", kind: "ride_hailing_platform", ingestKey: generateKeyPair().publicKey };
    await expect(tp("op", "company.register", company)).rejects.toThrow(/only the transport bureau may submit company\.register/);
    await tr("tr.op", "company.register", company);
    await tr("tr.op", "company.register", { ...company, id: "sz-hazmat-logistics", name: "深圳危运物流", kind: "logistics" });
    const car = { plate: "粤B12345", cls: "ride_hailing", company: "didi", terminal: "T-0001", licence: { no: "网约车运输证0001", status: "valid" } };
    await tr("tr.op", "vehicle.register", car);
    await expect(tr("tr.op", "vehicle.register", { ...car, plate: "粤B12346" })).rejects.toThrow(/terminal T-0001 already belongs to 粤B12345/);
    await expect(tr("tr.op", "vehicle.register", { ...car, plate: "B12345" })).rejects.toThrow(/plate like 粤B12345/);
    const truck = { plate: "粤BH0001", cls: "hazmat", company: "sz-hazmat-logistics", terminal: "T-H001", licence: { no: "危运0001", status: "valid" } };
    await expect(tr("tr.op", "vehicle.register", truck)).rejects.toThrow(/only the traffic_police bureau may submit vehicle\.register/);
    await tp("op", "vehicle.register", truck);
    const rec = await L.node.store.record<{ cls: string; registered: { actor: string } }>("vehicle", "粤BH0001");
    expect(rec?.value).toMatchObject({ cls: "hazmat", registered: { actor: "op" } });
    expect((await L.node.store.record("terminal", "T-H001"))?.value).toEqual({ plate: "粤BH0001", company: "sz-hazmat-logistics" });
  });

  it("geofences and hazmat permits are the traffic police's, supervisors and up", async () => {
    const corridor = { id: "hz-route-1", name: "滨河大道危运走廊", kind: "hazmat_corridor", shape: { type: "corridor", path: [C, [C[0] + 0.02, C[1]]], widthM: 200 } };
    await expect(tp("op", "geofence.define", corridor)).rejects.toThrow(/role operator may not submit geofence\.define/);
    await expect(tr("tr.op", "geofence.define", corridor)).rejects.toThrow(/role operator may not submit/);
    await tp("tp.sup", "geofence.define", corridor);
    await expect(tp("tp.sup", "geofence.define", { ...corridor, id: "bad", shape: { type: "circle", center: [121.5, 31.2], radiusM: 10 } })).rejects.toThrow(/longitude outside Shenzhen/);
    const permit = { id: "permit-1", plate: "粤BH0001", cargoClass: "3", cargo: "汽油", corridor: "hz-route-1", from: NOW, to: NOW + 8 * 3600_000 };
    await expect(tp("tp.sup", "hazmat.permit", { ...permit, plate: "粤B12345" })).rejects.toThrow(/not a hazmat vehicle/);
    await expect(tp("tp.sup", "hazmat.permit", { ...permit, to: NOW - 1 })).rejects.toThrow(/window must end after it starts/);
    await tp("tp.sup", "hazmat.permit", permit);
    expect((await L.node.store.record<{ status: string }>("permit", "permit-1"))?.value.status).toBe("approved");
    await tp("tp.sup", "geofence.retire", { id: "hz-route-1", reason: "道路施工" });
    await expect(tp("tp.sup", "hazmat.permit", { ...permit, id: "permit-2" })).rejects.toThrow(/unknown or retired geofence/);
    const hist = await L.node.store.history("geofence", "hz-route-1");
    expect(hist.map((h) => h.type)).toEqual(["geofence.define", "geofence.retire"]);
  });

  it("runs the alarm workflow on the ledger and refuses out-of-order steps", async () => {
    const id = "alarm-0000000001";
    await tp("op", "alarm.raise", { id, type: "route_deviation", severity: "critical", subject: "粤BH0001", at: NOW, lon: C[0], lat: C[1], permit: "permit-1" });
    await expect(tp("op", "alarm.act", { id, action: "close" })).rejects.toThrow(/close needs a note/);
    await tp("op", "alarm.act", { id, action: "acknowledge" });
    await expect(tp("op", "alarm.act", { id, action: "acknowledge" })).rejects.toThrow(/cannot acknowledge an alarm that is acknowledged/);
    await expect(tp("op", "alarm.act", { id, action: "assign", assignee: "ghost" })).rejects.toThrow(/unknown or disabled user ghost/);
    await tp("tp.sup", "alarm.act", { id, action: "assign", assignee: "op" });
    await tp("op", "alarm.act", { id, action: "escalate", incident: "inc-1" });
    await tp("tp.sup", "alarm.act", { id, action: "close", note: "已处置：车辆回到许可路线" });
    const a = await L.node.store.record<{ status: string; steps: { action: string }[]; incident: string }>("alarm", id);
    expect(a?.value.status).toBe("closed");
    expect(a?.value.steps.map((s) => s.action)).toEqual(["raise", "acknowledge", "assign", "escalate", "close"]);
    expect(a?.value.incident).toBe("inc-1");
    expect((await L.node.store.history("alarm", id)).length).toBe(5);
  });

  it("flags an odometer reading lower than an earlier one, for ever", async () => {
    await tr("tr.op", "mileage.record", { plate: "粤B12345", odometerKm: 1000, at: NOW, source: "terminal" });
    await tr("tr.op", "mileage.record", { plate: "粤B12345", odometerKm: 1100, at: NOW + 1000, source: "terminal" });
    await tr("tr.op", "mileage.record", { plate: "粤B12345", odometerKm: 400, at: NOW + 2000, source: "inspection" });
    await tr("tr.op", "mileage.record", { plate: "粤B12345", odometerKm: 450, at: NOW + 3000, source: "terminal" });
    const m = await L.node.store.record<{ odometerKm: number; readings: number; flags: { from: number; to: number }[] }>("mileage", "粤B12345");
    expect(m?.value).toMatchObject({ odometerKm: 450, readings: 4, flags: [{ kind: "rollback", from: 1100, to: 400 }] });
    // The rollback raised its alarm in the same transaction, nothing else did.
    const alarms = (await L.node.store.records<{ type: string; subject: string; severity: string; status: string }>("alarm")).filter((a) => a.value.subject === "粤B12345" && a.value.type.startsWith("odometer"));
    expect(alarms.map((a) => [a.value.type, a.value.severity, a.value.status])).toEqual([["odometer_rollback", "critical", "open"]]);
    expect((await verifyLedger(L.node.store)).ok).toBe(true);
  });

  it("flags an odometer advance more than 10% off the GPS distance, not one within it", async () => {
    const plate = "粤BH0001";
    const rec = (odometerKm: number, at: number, gpsKm?: number) => tr("tr.op", "mileage.record", { plate, odometerKm, at, source: "terminal", ...(gpsKm === undefined ? {} : { gpsKm }) });
    await rec(5000, NOW);
    await rec(5010.9, NOW + 1000, 10); // +10.9 vs 10: 9% off, fine
    await rec(5030, NOW + 2000, 15); // +19.1 vs 15: 27% off
    await rec(5030.5, NOW + 3000, 0.2); // under 1 km of GPS: not judged
    await rec(5060, NOW + 4000); // no GPS distance (track had gaps): not judged
    await expect(rec(5070, NOW + 5000, -1)).rejects.toThrow();
    const m = await L.node.store.record<{ gpsKm: number; readings: number; flags: { kind: string; gpsKm?: number }[] }>("mileage", plate);
    expect(m?.value).toMatchObject({ readings: 5, gpsKm: 25.2, flags: [{ kind: "divergence", from: 5010.9, to: 5030, gpsKm: 15 }] });
    const alarms = (await L.node.store.records<{ type: string; subject: string; detail: string }>("alarm")).filter((a) => a.value.subject === plate && a.value.type.startsWith("odometer"));
    expect(alarms.map((a) => a.value.type)).toEqual(["odometer_divergence"]);
    expect(alarms[0].value.detail).toMatch(/GPS 15 km/);
  });

  it("checks the first reading against the odometer declared at registration", async () => {
    const car = { plate: "粤B55555", cls: "taxi", company: "didi", terminal: "T-5555", licence: { no: "出租5555", status: "valid" }, odometerKm: 80_000 };
    await tr("tr.op", "vehicle.register", car);
    await tr("tr.op", "mileage.record", { plate: car.plate, odometerKm: 1_200, at: NOW, source: "terminal" });
    const m = await L.node.store.record<{ flags: { kind: string; from: number; to: number }[] }>("mileage", car.plate);
    expect(m?.value.flags).toMatchObject([{ kind: "rollback", from: 80_000, to: 1_200 }]);
  });

  it("checks ride-hailing trips for licensed, paired driver and vehicle; keeps the dual-compliance tally; raises alarms", async () => {
    await tr("tr.op", "driver.register", { id: "d-001", name: "王师傅", company: "didi", licence: { no: "网约车驾驶员证001", status: "valid" }, vehicles: ["粤B12345"] });
    await tr("tr.op", "driver.register", { id: "d-002", name: "李师傅", company: "didi", licence: { no: "网约车驾驶员证002", status: "revoked" }, vehicles: ["粤B12345"] });
    await tr("tr.op", "driver.register", { id: "d-003", name: "赵师傅", company: "didi", licence: { no: "网约车驾驶员证003", status: "valid" }, vehicles: [] });
    const trip = (id: string, driver: string, plate = "粤B12345") => tr("tr.op", "ridehail.trip", { id, platform: "didi", driver, plate, start: NOW, end: NOW + 900_000, distanceKm: 7.5, fareYuan: 28 });
    await trip("TRIP-0001", "d-001");
    await trip("TRIP-0002", "d-002");
    await trip("TRIP-0003", "d-003");
    await trip("TRIP-0004", "d-001", "粤BH0001");
    await expect(trip("TRIP-0001", "d-001")).rejects.toThrow(/already reported/);
    await expect(tr("tr.op", "ridehail.trip", { id: "TRIP-0005", platform: "hz-logistics", driver: "d-001", plate: "粤B12345", start: NOW, end: NOW, distanceKm: 1, fareYuan: 1 })).rejects.toThrow(/unknown company|not a registered ride-hailing platform/);
    const trips = Object.fromEntries((await L.node.store.records<{ compliant: boolean; problems: string[] }>("trip")).map((r) => [r.key, r.value]));
    expect(trips["TRIP-0001"]).toMatchObject({ compliant: true, problems: [] });
    expect(trips["TRIP-0002"].problems).toEqual(["driver_unlicensed"]);
    expect(trips["TRIP-0003"].problems).toEqual(["pair_mismatch"]);
    expect(trips["TRIP-0004"].problems).toEqual(["vehicle_unlicensed", "pair_mismatch"]);
    const stats = await L.node.store.record<{ trips: number; compliant: number; byProblem: Record<string, number> }>("ridehail_stats", "didi");
    expect(stats?.value).toMatchObject({ trips: 4, compliant: 1, byProblem: { driver_unlicensed: 1, pair_mismatch: 2, vehicle_unlicensed: 1 } });
    const alarms = Object.fromEntries((await L.node.store.records<{ type: string; status: string }>("alarm")).map((r) => [r.key, r.value]));
    expect(alarms["trip-trip-0002"]).toMatchObject({ type: "unlicensed_trip", status: "open" });
    expect(alarms["trip-trip-0003"]).toMatchObject({ type: "pair_mismatch" });
    expect(alarms["trip-trip-0001"]).toBeUndefined();
    // The alarm a contract raised goes through the same workflow, by the department that raised it (the reporting transport bureau).
    await expect(tp("op", "alarm.act", { id: "trip-trip-0003", action: "acknowledge" })).rejects.toThrow(/only the owner department or its ancestors/);
    await tr("tr.op", "alarm.act", { id: "trip-trip-0003", action: "acknowledge" });
    expect((await verifyLedger(L.node.store)).ok).toBe(true);
  });
});
