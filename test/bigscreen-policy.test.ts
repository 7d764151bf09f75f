/**
 * The big screen applies the vehicle procedures' policy (issue 18, item 3), on PGlite and PostgreSQL:
 * for every seeded user, `bigscreen.vehicle` and `bigscreen.alarm` refuse exactly when `vehicles.get`
 * and `alarms.list` do, and blank exactly the fields those withhold; overlays and the live stream
 * carry no plate, position or alarm to a viewer outside vehicle supervision.
 */
import { clientErrorOf } from "../server/api/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bigscreenView, liveFilter } from "../server/bigscreen/access";
import { resolveSession } from "../server/auth/resolve-session";
import { createSession } from "../server/auth/sessions";
import { SEED_USERS } from "../server/ledger/seed-data";
import { createHarness, type Harness } from "../server/testing/harness";
import { openVehicleServices, type VehicleServices } from "../server/vehicles/service";
import { BACKENDS, openTestDb, type TestDb } from "./helpers/db";

const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e) => clientErrorOf(e)?.code ?? Promise.reject(e));
const ALARM = "al-policy-0001";

describe.each(BACKENDS)("big screen under the vehicle policy on %s", (backend) => {
  let t: TestDb;
  let h: Harness;
  let vs: VehicleServices;
  let plate: string;

  beforeAll(async () => {
    t = await openTestDb(backend);
    h = await createHarness(t.db);
    vs = await openVehicleServices(h.services.ledger, { demo: true, vehicles: 40, sweepMs: 0 });
    h.services.vehicles = vs;
    plate = (await h.services.ledger.node.store.records<{ cls: string }>("vehicle")).find((r) => r.value.cls === "taxi")!.key;
    await h.services.ledger.submitAs({ id: "tp.operator", dept: "sz.tp" }, "alarm.raise", { id: ALARM, type: "overspeed", severity: "warning", subject: plate, at: Date.now(), lon: 114.05, lat: 22.54, speedKmh: 92, limitKmh: 60, detail: "福华路超速" }, "test alarm");
  });
  afterAll(async () => {
    vs?.supervisor.close();
    await h?.services.ledger.node.close();
    await t?.dispose();
  });

  it("refuses and blanks per user exactly as the vehicle procedures do", async () => {
    const refusedBy = { vehicle: [] as string[], alarm: [] as string[] };
    for (const u of SEED_USERS) {
      const c = await h.as(u.id);
      const [vGet, vBig] = await Promise.all([codeOf(c.vehicles.get({ plate })), codeOf(c.bigscreen.vehicle({ plate }))]);
      expect(vBig === "FORBIDDEN", `${u.id}: vehicles.get ${vGet}, bigscreen.vehicle ${vBig}`).toBe(vGet === "FORBIDDEN");
      if (vBig === "FORBIDDEN") refusedBy.vehicle.push(u.id);
      else {
        const [a, b] = [(await c.vehicles.get({ plate })).vehicle as Record<string, unknown>, await c.bigscreen.vehicle({ plate })];
        expect(b.company === null, `${u.id} company`).toBe(!("company" in a));
        expect(b.position === null || !!b.position).toBe(true);
      }
      const [aList, aBig] = await Promise.all([codeOf(c.alarms.list({})), codeOf(c.bigscreen.alarm({ id: ALARM }))]);
      expect(aBig === "FORBIDDEN", `${u.id}: alarms.list ${aList}, bigscreen.alarm ${aBig}`).toBe(aList === "FORBIDDEN");
      if (aBig === "FORBIDDEN") refusedBy.alarm.push(u.id);
      else {
        const row = (await c.alarms.list({})).find((r) => r.id === ALARM)! as unknown as Record<string, unknown>;
        const big = await c.bigscreen.alarm({ id: ALARM });
        expect(big.plate === null, `${u.id} plate`).toBe(!("subject" in row));
        expect(big.lon === null, `${u.id} lon`).toBe(!("lon" in row));
        expect(big.detail === null, `${u.id} detail`).toBe(!("detail" in row));
        const overlay = (await c.bigscreen.overlays({ alarms: 50 })).alarms.find((x) => x.id === ALARM)!;
        expect(overlay.plate === null).toBe(!("subject" in row));
      }
    }
    // The audit's cases: the public security and environment bureaus are outside vehicle supervision.
    expect(refusedBy.vehicle).toEqual(expect.arrayContaining(["psb.operator", "nanshan.viewer"]));
    expect(refusedBy.alarm).toEqual(expect.arrayContaining(["psb.operator", "nanshan.viewer"]));
    // The traffic viewer (clearance 1) sees the alarm, but not its plate or place.
    const viewer = await (await h.as("tp.viewer")).bigscreen.alarm({ id: ALARM });
    expect(viewer.plate).toBeNull();
    expect(viewer.lon).toBeNull();
  });

  it("gives a viewer outside supervision the aggregates only: no overlay, no plate, no position in the stream", async () => {
    const c = await h.as("nanshan.viewer");
    const o = await c.bigscreen.overlays({ alarms: 50 });
    expect(o.alarms).toEqual([]);
    expect(o.geofences).toEqual([]);
    expect(Object.keys(o.withheld).sort()).toEqual(["alarms", "geofences", "vehicles"]);
    expect(await codeOf(c.bigscreen.stats())).toBe("OK");

    const viewOf = async (id: string) => {
      const { token } = await createSession(h.services.ledger.db, id, { ip: "t" });
      return bigscreenView(h.services.ledger, (await resolveSession(h.services.ledger, token))!.user);
    };
    const plates = { event: "plates" as const, data: { from: 0, plates: [plate, "粤B00002"] } };
    const positions = { event: "positions" as const, data: "AAAA" };
    const alarm = { event: "alarm" as const, data: { id: ALARM, type: "overspeed", severity: "warning", plate, cls: "taxi", ts: 1, lon: 114.05, lat: 22.54 } };

    const outside = liveFilter(await viewOf("nanshan.viewer"));
    expect(outside(plates)).toEqual({ event: "plates", data: { from: 0, plates: ["", ""] } });
    expect(outside(positions)).toBeNull();
    expect(outside(alarm)).toBeNull();
    expect((outside({ event: "hello", data: { serverTime: 1 } })!.data as { withheld: object }).withheld).toHaveProperty("vehicles");

    const viewer = liveFilter(await viewOf("tp.viewer"));
    expect(viewer(plates)).toEqual(plates);
    expect(viewer(positions)).toEqual(positions);
    expect(viewer(alarm)!.data).toMatchObject({ id: ALARM, plate: null, lon: null, lat: null });

    const supervisor = liveFilter(await viewOf("tp.supervisor"));
    expect(supervisor(alarm)).toEqual(alarm);
  });
});
