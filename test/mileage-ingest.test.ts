/**
 * Tamper-evident mileage on PGlite and PostgreSQL: terminal odometer readings arrive with the pings,
 * go on the ledger hourly per vehicle with the GPS distance driven, and rollback and divergence
 * are flagged on the vehicle's mileage record and raised as alarms.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlarmRecord, MileageRecord } from "../chain/contracts/vehicles.js";
import { generateKeyPair } from "../chain/signature.js";
import { verifyLedger } from "../chain/verify.js";
import { project, unproject } from "../server/geo/geometry";
import { TelemetryIngest } from "../server/ingest/telemetry-ingest";
import { MileageTracker } from "../server/vehicles/mileage";
import { VehicleSupervisor } from "../server/vehicles/supervisor";
import { BACKENDS, openTestDb, type TestDb } from "./helpers/db.js";
import { addTransportBureau, createTestLedger, type TestLedger } from "./helpers/ledger.js";

const C: [number, number] = [114.05, 22.54];
const HOUR = 3600_000;
const PLATE = "粤B20001";

describe("mileage tracker", () => {
  it("hands out one reading per interval, with the GPS distance only when the track was complete", () => {
    const m = new MileageTracker(HOUR);
    const east = (i: number) => unproject(project(...C)[0] + i * 100, project(...C)[1]);
    m.observe("p", 0, ...east(0), 100);
    m.observe("p", 10_000, ...east(1));
    expect(m.due(["p"], 0)).toEqual([{ plate: "p", odometerKm: 100, at: 0 }]);
    m.observe("p", 20_000, ...east(2), 100.2);
    expect(m.due(["p"], 1000)).toEqual([]); // not an hour yet
    m.observe("p", 30_000, ...east(3));
    const [r] = m.due(["p"], HOUR);
    expect(r.odometerKm).toBe(100.2);
    expect(r.gpsKm).toBeCloseTo(0.2, 2); // pings 0→2 (the odometer's); ping 3 counts for the next period
    m.observe("p", 30_000 + 10 * 60_000, ...east(4), 100.4); // a 10-minute gap
    expect(m.due(["p"], 2 * HOUR)[0].gpsKm).toBeUndefined();
    m.observe("p", 30_000 + 11 * 60_000, ...east(5), 100.5);
    m.observe("p", 30_000 + 5 * 60_000, ...east(5)); // late delivery: incomplete too
    expect(m.due(["p"], 3 * HOUR)[0].gpsKm).toBeUndefined();
  });
});

describe.each(BACKENDS)("odometer readings through the ingest on %s", (backend) => {
  let t: TestDb;
  let L: TestLedger;
  let supervisor: VehicleSupervisor;
  let ingest: TelemetryIngest;
  let clock = Date.now();
  const start = clock - 2 * HOUR;
  let sec = 0;
  let metres = 0;
  /** n pings 10 s and 200 m apart, heading east; the odometer (when given) advances by `odoStep` km per ping. */
  const drive = (n: number, odometer?: { from: number; step: number }) =>
    Array.from({ length: n }, (_, i) => {
      sec += 10;
      metres += 200;
      const [lon, lat] = unproject(project(...C)[0] - 5000 + metres, project(...C)[1]);
      return { terminal: "TERM-M1", ts: start + sec * 1000, lon, lat, speed: 72, ...(odometer ? { odometerKm: Math.round((odometer.from + odometer.step * (i + 1)) * 10) / 10 } : {}) };
    });
  const mileage = async () => (await L.node.store.record<MileageRecord>("mileage", PLATE))?.value;
  const alarms = async () => (await L.node.store.records<AlarmRecord>("alarm")).filter((a) => a.value.subject === PLATE).map((a) => a.value);

  beforeAll(async () => {
    t = await openTestDb(backend);
    L = await createTestLedger(t.db);
    await addTransportBureau(L, [
      ["svc.ingest", "tr", "operator"],
      ["svc.engine", "tp", "operator"],
    ]);
    const tr = (type: string, payload: object) => L.node.submit({ type, dept: "tr", actor: "svc.ingest", payload: payload as never }, "k.tr");
    await tr("company.register", { id: "sz-taxi", name: "深圳出租", kind: "taxi", ingestKey: generateKeyPair().publicKey });
    await tr("vehicle.register", { plate: PLATE, cls: "taxi", company: "sz-taxi", terminal: "TERM-M1", licence: { no: "T20001", status: "valid" } });
    supervisor = await VehicleSupervisor.open(L.node, { dept: "tp", actor: "svc.engine", key: "k.tp" }, { sweepMs: 0 });
    ingest = new TelemetryIngest(t.db, L.node, supervisor, { dept: "tr", actor: "svc.ingest", key: "k.tr" }, () => clock, HOUR);
  });
  afterAll(async () => {
    supervisor.close();
    await L.node.close();
    await t.dispose();
  });

  it("records the first reading, then hourly readings with the GPS distance; a bad odometer is rejected, the rest kept", async () => {
    const first = await ingest.ingest("sz-taxi", [...drive(5, { from: 10_000, step: 0.2 }), { ...drive(1)[0], odometerKm: -3 }]);
    expect(first).toMatchObject({ accepted: 5, mileage: 1, rejected: [{ index: 5, error: "odometerKm: odometer cannot be negative" }] });
    expect(await mileage()).toMatchObject({ odometerKm: 10_001, readings: 1, gpsKm: 0, flags: [] });

    // Within the hour: pings stored, no reading.
    clock += 10 * 60_000;
    expect(await ingest.ingest("sz-taxi", drive(10, { from: 10_001, step: 0.2 }))).toMatchObject({ accepted: 10, mileage: 0 });
    clock += HOUR;
    const r = await ingest.ingest("sz-taxi", drive(10, { from: 10_003, step: 0.2 }));
    expect(r.mileage).toBe(1);
    const m = await mileage();
    expect(m).toMatchObject({ odometerKm: 10_005, readings: 2, flags: [] });
    // The skipped-over ping and 20 more, 200 m apart.
    expect(m!.gpsKm).toBeGreaterThan(4.1);
    expect(m!.gpsKm).toBeLessThan(4.3);
    expect((await alarms()).filter((a) => a.type.startsWith("odometer"))).toEqual([]);
  });

  it("flags an odometer rolled back, and one running far from the GPS track, with alarms", async () => {
    clock += HOUR;
    await ingest.ingest("sz-taxi", drive(10, { from: 4_000, step: 0.2 })); // the odometer was wound back
    clock += HOUR;
    await ingest.ingest("sz-taxi", drive(10, { from: 4_002, step: 0.5 })); // 5 km on the odometer, 2 km driven
    const m = await mileage();
    expect(m?.flags.map((f) => [f.kind, f.from, f.to])).toEqual([
      ["rollback", 10_005, 4_002],
      ["divergence", 4_002, 4_007],
    ]);
    expect(m?.flags[1].gpsKm).toBeCloseTo(2, 1);
    const raised = (await alarms()).filter((a) => a.type.startsWith("odometer")).sort((a, b) => a.at - b.at);
    expect(raised.map((a) => [a.type, a.severity, a.status, a.owner])).toEqual([
      ["odometer_rollback", "critical", "open", "tr"],
      ["odometer_divergence", "warning", "open", "tr"],
    ]);
    const history = await L.node.store.history("mileage", PLATE);
    expect(history.map((h) => h.type)).toEqual(Array(4).fill("mileage.record"));
    expect((await verifyLedger(L.node.store)).ok).toBe(true);
  });
});
