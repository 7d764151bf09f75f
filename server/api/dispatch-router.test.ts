/** Emergency dispatch through tRPC on a seeded portal with the demo fleet and demo units (PGlite and PostgreSQL). */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SLA, type IncidentRecord } from "../../chain/contracts/dispatch";
import { seedDispatchDemo } from "../dispatch/demo-data";
import { slaTimers } from "../dispatch/service";
import { BACKENDS, openTestDb, type TestDb } from "../../test/helpers/db";
import { createHarness, type Harness } from "../testing/harness";
import { openVehicleServices, type VehicleServices } from "../vehicles/service";

const failure = (p: Promise<unknown>) => p.then(() => ({ code: "OK", message: "" }), (e) => (e instanceof TRPCError ? { code: e.code, message: e.message } : Promise.reject(e)));
const CIVIC: [number, number] = [114.0596, 22.5427];

describe.each(BACKENDS)("dispatch over tRPC on %s", (backend) => {
  let t: TestDb;
  let h: Harness;
  let vs: VehicleServices;

  beforeAll(async () => {
    t = await openTestDb(backend);
    h = await createHarness(t.db);
    vs = await openVehicleServices(h.services.ledger, { demo: true, vehicles: 300, sweepMs: 0 });
    h.services.vehicles = vs;
    await seedDispatchDemo(h.services.ledger.node, h.services.ledger.keystore);
  });
  afterAll(async () => {
    vs?.supervisor.close();
    await h?.services.ledger.node.close();
    await t?.dispose();
  });

  it("seeds units at their stations, registered by their own departments, with fleet vehicles attached", async () => {
    const em = await h.as("em.dispatcher");
    const units = await em.dispatch.units();
    expect(units.length).toBeGreaterThanOrEqual(15);
    expect(units.every((u) => u.status === "available" && u.positionSource === "station")).toBe(true);
    const amb = units.find((u) => u.id === "ft-amb-1")!;
    expect(amb).toMatchObject({ dept: "sz.futian.health", kind: "ambulance", registered: { actor: "futian.health.supervisor" } });
    expect(amb.plate).toMatch(/^粤B/);
    expect((await h.services.ledger.node.store.record<{ value: { medical: { onSceneS: number } } }>("rule", "dispatch.sla"))?.value.value.medical.onSceneS).toBe(480);
    // Seeding twice writes nothing.
    expect(await seedDispatchDemo(h.services.ledger.node, h.services.ledger.keystore)).toBe(0);
  });

  it("takes a call, recommends the nearest suitable units by road ETA, dispatches, and the crew reports status", async () => {
    const em = await h.as("em.dispatcher");
    const { id } = await em.dispatch.create({ type: "medical", severity: "high", lon: CIVIC[0], lat: CIVIC[1], address: "市民中心 B 区北门", notes: "男性 60 岁 胸痛", caller: "139****1234" });
    expect(id).toMatch(/^inc-\d{8}-[0-9a-f]{8}$/);
    const rec = await em.dispatch.recommend({ id });
    expect(rec.capability).toBe("medical");
    expect(rec.units.length).toBe(5);
    expect(rec.units.every((r) => r.unit.kind === "ambulance")).toBe(true);
    const etas = rec.units.map((r) => r.etaS);
    expect(etas).toEqual([...etas].sort((a, b) => a - b));
    for (const r of rec.units) {
      expect(r.etaS).toBeGreaterThan(0);
      expect(r.roadM).toBeGreaterThanOrEqual(r.straightM * 0.98);
    }
    const fire = await em.dispatch.recommend({ id, capability: "fire" });
    expect(fire.units.every((r) => r.unit.kind === "fire_engine")).toBe(true);

    const best = rec.units[0].unit.id;
    await em.dispatch.dispatch({ id, units: [best] });
    // Busy now: no longer recommended; dispatching it again is refused with a clear message.
    expect((await em.dispatch.recommend({ id })).units.map((r) => r.unit.id)).not.toContain(best);
    expect(await failure(em.dispatch.dispatch({ id, units: [best] }))).toEqual({ code: "BAD_REQUEST", message: `unit ${best} is already dispatched to ${id}` });
    expect(await failure(em.dispatch.dispatch({ id, units: ["no-such-unit"] }))).toEqual({ code: "BAD_REQUEST", message: "未登记的单元 unknown unit no-such-unit" });
    expect(await failure(em.dispatch.dispatch({ id: "inc-nope-0000", units: [best] }))).toMatchObject({ code: "NOT_FOUND" });
    expect((await failure(em.dispatch.dispatch({ id, units: [] }))).message).toMatch(/choose at least one unit/);

    // The crew: out of order is refused; then en route (with a navigation line) and on scene.
    const unit = (await em.dispatch.units()).find((u) => u.id === best)!;
    const crewUser = unit.dept === "sz.futian.health" ? "futian.crew" : "em.dispatcher";
    const crew = await h.as(crewUser);
    expect(await failure(crew.dispatch.status({ unit: best, status: "on_scene" }))).toEqual({ code: "BAD_REQUEST", message: `unit ${best} cannot go from dispatched to on_scene (allowed: en_route, available)` });
    expect((await failure(crew.dispatch.status({ unit: best, status: "flying" as never }))).message).toMatch(/unknown status/);
    await crew.dispatch.status({ unit: best, status: "en_route" });
    const nav = await crew.dispatch.route({ unit: best });
    expect(nav!.incident).toBe(id);
    expect(nav!.path.length).toBeGreaterThan(2);
    expect(nav!.path.at(-1)).toEqual(CIVIC);
    await crew.dispatch.status({ unit: best, status: "on_scene" });

    const inc = await em.dispatch.incident({ id });
    expect(inc.status).toBe("on_scene");
    expect(inc.timeline.map((e) => e.action)).toEqual(["create", "dispatch", "status", "status"]);
    expect(inc.timeline.map((e) => e.seq)).toEqual(inc.ledger.map((t) => t.seq));
    expect(inc.ledger.map((t) => t.type)).toEqual(["incident.create", "incident.dispatch", "unit.status", "unit.status"]);
    expect(inc.assignments[0].etaS).toBe(Math.round(inc.assignments[0].etaS!));
    expect(inc.timers.map((t) => [t.key, t.end !== null])).toEqual([
      ["dispatch", true],
      ["enRoute", true],
      ["onScene", true],
    ]);
    expect(inc.timers.every((t) => !t.overdue)).toBe(true);
    expect(inc.units[0]).toMatchObject({ unit: best, status: "on_scene" });

    // Global search finds it for dispatch users only.
    expect((await em.portal.search({ q: "市民中心 b 区" })).incidents.map((i) => i.id)).toContain(id);
    expect((await (await h.as("tr.operator")).portal.search({ q: "市民中心" })).incidents).toEqual([]);

    // The big screen's panel counts it.
    const stats = await em.bigscreen.stats();
    expect(stats.dispatch).toMatchObject({ open: 1, overdue: 0 });
    expect(stats.dispatch!.incidents[0].id).toBe(id);
  });

  it("ranks a unit by its live position when its vehicle reports", async () => {
    const em = await h.as("em.dispatcher");
    const { id } = await em.dispatch.create({ type: "medical", severity: "medium", lon: 114.0402, lat: 22.5485, address: "香蜜湖 度假村路口" });
    const before = await em.dispatch.recommend({ id, limit: 20 });
    const units = await em.dispatch.units();
    const withPlate = new Set(units.filter((u) => u.plate).map((u) => u.id));
    const far = before.units.filter((r) => withPlate.has(r.unit.id)).at(-1)!.unit;
    expect(far.id).not.toBe(before.units[0].unit.id);
    const plate = units.find((u) => u.id === far.id)!.plate!;
    const vehicle = await h.services.ledger.node.store.record<{ terminal: string }>("vehicle", plate);
    const r = await vs.ingest.ingest("sz-public", [{ terminal: vehicle!.value.terminal, ts: Date.now() - 1000, lon: 114.0405, lat: 22.5480, speed: 30, heading: 0 }]);
    expect(r.accepted).toBe(1);
    const after = await em.dispatch.recommend({ id, limit: 20 });
    expect(after.units[0].unit).toMatchObject({ id: far.id, positionSource: "live" });
    expect(after.units[0].etaS).toBeLessThan(before.units[0].etaS);
  });

  it("refuses bad input and the wrong people clearly", async () => {
    const em = await h.as("em.dispatcher");
    expect((await failure(em.dispatch.create({ type: "medical", severity: "high", lon: 121.47, lat: 31.23, address: "上海" }))).message).toMatch(/经度超出深圳范围/);
    expect((await failure(em.dispatch.create({ type: "flood" as never, severity: "high", lon: 114.05, lat: 22.54, address: "x" }))).message).toMatch(/unknown incident type/);
    expect((await failure(em.dispatch.create({ type: "fire", severity: "high", lon: 114.05, lat: 22.54, address: "  " }))).message).toMatch(/address or landmark required/);
    expect((await failure(em.dispatch.status({ unit: "ghost-unit", status: "en_route" }))).code).toBe("NOT_FOUND");
    expect((await failure(em.dispatch.escalate({ alarm: "al-0000000000", type: "hazmat_spill", severity: "critical" }))).message).toBe("unknown alarm al-0000000000");
    // A transport officer sees no dispatch; a fire dispatcher may not dispatch to a medical call it is not on.
    expect((await failure((await h.as("tr.operator")).dispatch.units())).code).toBe("FORBIDDEN");
    const { id } = await em.dispatch.create({ type: "medical", severity: "low", lon: 114.05, lat: 22.54, address: "莲花山公园" });
    expect(await failure((await h.as("nanshan.dispatcher")).dispatch.dispatch({ id, units: ["ns-fire-e1"] }))).toEqual({ code: "BAD_REQUEST", message: `incident ${id} is led by health; fire is not involved` });
    await em.dispatch.support({ id, bureau: "fire", note: "需要破拆" });
    await (await h.as("nanshan.dispatcher")).dispatch.dispatch({ id, units: ["ns-fire-e1"] });
    // The crew of another department cannot move this unit.
    expect((await failure((await h.as("futian.crew")).dispatch.status({ unit: "ns-fire-e1", status: "en_route" }))).message).toBe("unit ns-fire-e1 belongs to sz.nanshan.fire");
  });

  it("sets the SLA targets as the emergency bureau's rule; new incidents carry them; timers turn overdue past them", async () => {
    const sup = await h.as("em.supervisor");
    const targets = { ...DEFAULT_SLA, medical: { dispatchS: 30, enRouteS: 45, onSceneS: 420 } };
    expect((await failure(sup.dispatch.setSla({ targets: { ...targets, medical: { dispatchS: 5, enRouteS: 45, onSceneS: 420 } } }))).code).toBe("BAD_REQUEST");
    expect((await failure((await h.as("em.dispatcher")).dispatch.setSla({ targets }))).code).toBe("FORBIDDEN");
    await sup.dispatch.setSla({ targets, note: "演练" });
    const sla = await sup.dispatch.sla();
    expect(sla.targets.medical).toEqual({ dispatchS: 30, enRouteS: 45, onSceneS: 420 });
    expect(sla.setBy).toMatchObject({ actor: "em.supervisor", dept: "sz.emergency" });
    const em = await h.as("em.dispatcher");
    const { id } = await em.dispatch.create({ type: "medical", severity: "high", lon: 114.06, lat: 22.53, address: "会展中心 5 号馆" });
    const inc = await em.dispatch.incident({ id });
    expect(inc.sla).toEqual({ dispatchS: 30, enRouteS: 45, onSceneS: 420 });

    // The timers themselves: running past the target is overdue; stopped ones keep their verdict.
    const t0 = 1_800_000_000_000;
    const rec = { ...inc, openedAt: t0, firstDispatchAt: null, firstEnRouteAt: null, firstOnSceneAt: null, closedAt: null } as IncidentRecord;
    expect(slaTimers(rec, t0 + 29_000).map((t) => [t.key, t.elapsedS, t.overdue])).toEqual([
      ["dispatch", 29, false],
      ["enRoute", null, false],
      ["onScene", null, false],
    ]);
    expect(slaTimers(rec, t0 + 31_000)[0].overdue).toBe(true);
    const later = { ...rec, firstDispatchAt: t0 + 20_000, firstEnRouteAt: t0 + 80_000 };
    expect(slaTimers(later, t0 + 200_000).map((t) => [t.key, t.elapsedS, t.overdue])).toEqual([
      ["dispatch", 20, false],
      ["enRoute", 60, true],
      ["onScene", 120, false],
    ]);
  });
});
