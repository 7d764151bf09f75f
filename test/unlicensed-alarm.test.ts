/**
 * Onboarding to supervision, in one process (PGlite): a company, vehicle registered through the
 * registry router are followed by the event engine at once; a revoked licence turns the vehicle's
 * next moving pings into one `unlicensed` alarm on the ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlarmRecord } from "../chain/contracts/vehicles.js";
import { generateKeyPair } from "../chain/signature.js";
import { createHarness, type Harness } from "../server/testing/harness.js";
import { openVehicleServices, type VehicleServices } from "../server/vehicles/service.js";

let h: Harness;
let vs: VehicleServices;
beforeAll(async () => {
  h = await createHarness();
  vs = await openVehicleServices(h.services.ledger, { demo: false, sweepMs: 0 });
  h.services.vehicles = vs;
});
afterAll(async () => {
  vs?.supervisor.close();
  await h?.close();
});

const pings = (from: number, speed: number) => [0, 1, 2].map((i) => ({ terminal: "T-UL-0001", ts: from + i * 1000, lon: 114.055 + i * 0.0003, lat: 22.5405, speed, heading: 90 }));

describe("unlicensed operation", () => {
  it("raises one alarm when a vehicle whose licence was revoked moves, and again after a new revocation only", async () => {
    const tr = await h.as("tr.operator");
    await tr.registry.create({ kind: "companies", row: { id: "ul-taxi", name: "无证测试", kind: "taxi", ingest_key: generateKeyPair().publicKey } });
    await tr.registry.create({ kind: "vehicles", row: { plate: "粤B66001", cls: "taxi", company: "ul-taxi", terminal: "T-UL-0001", licence_no: "运输证UL1" } });
    const now = Date.now();
    expect((await vs.ingest.ingest("ul-taxi", pings(now - 20_000, 30))).alarms).toBe(0);
    await tr.registry.act({ kind: "vehicles", id: "粤B66001", action: "licence", fields: { licence_status: "revoked" }, reason: "吊销" });
    const r = await vs.ingest.ingest("ul-taxi", pings(now - 10_000, 30));
    expect(r.alarms).toBe(1);
    // Stopped vehicles are not operating; one alarm per episode, not per ping.
    expect((await vs.ingest.ingest("ul-taxi", pings(now - 5000, 30))).alarms).toBe(0);
    const { rows } = await h.services.ledger.db.query<{ value: AlarmRecord }>("SELECT value FROM state_records WHERE ns = 'alarm' AND value->>'subject' = $1", ["粤B66001"]);
    expect(rows.map((x) => x.value.type)).toEqual(["unlicensed"]);
    expect(rows[0].value.detail).toMatch(/revoked/);
    expect(rows[0].value.owner).toBe("sz.tp");
  });
});
