/** Emergency dispatch contracts on the real ledger (PGlite and PostgreSQL): units, status machine, incidents, timeline, SLA rule. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IncidentRecord, UnitRecord } from "../chain/contracts/dispatch.js";
import { generateKeyPair } from "../chain/signature.js";
import { verifyLedger } from "../chain/verify.js";
import { BACKENDS, openTestDb, type TestDb } from "./helpers/db.js";
import { CREDENTIAL, createTestLedger, type TestLedger } from "./helpers/ledger.js";

const STATION = { name: "福田消防站", lon: 114.0608, lat: 22.5362 };
const HOSPITAL = { name: "福田区人民医院", lon: 114.0776, lat: 22.5247 };

describe.each(BACKENDS)("dispatch contracts on %s", (backend) => {
  let t: TestDb;
  let L: TestLedger;
  const as = (dept: string, actor: string) => (type: string, payload: object) => L.node.submit({ type, dept, actor, payload: payload as never }, `k.${dept}`);
  const em = as("em", "em.disp");
  const emSup = as("em", "em.sup");
  const fire = as("fire", "fire.sup");
  const fireDisp = as("fire", "fire.disp");
  const health = as("health", "health.sup");
  const crew = as("health", "amb.crew");
  const unit = async (id: string) => (await L.node.store.record<UnitRecord>("unit", id))!.value;
  const incident = async (id: string) => (await L.node.store.record<IncidentRecord>("incident", id))!.value;

  beforeAll(async () => {
    t = await openTestDb(backend);
    L = await createTestLedger(t.db);
    const sys = (type: string, payload: object) => L.node.submit({ type, dept: "sz", actor: "system", payload: payload as never }, "sys");
    const depts = [
      ["em", "应急管理局", "emergency"],
      ["fire", "消防救援支队", "fire"],
      ["health", "卫健委", "health"],
      ["tr", "交通运输局", "transport"],
    ] as const;
    await Promise.all(depts.map(([id, name, bureau]) => sys("dept.create", { id, parent: "sz", name, nameEn: id, kind: "bureau", bureau })));
    await Promise.all(
      depts.map(([id]) => {
        const kp = generateKeyPair();
        L.keystore.set(`k.${id}`, kp.secretKey);
        return sys("key.register", { id: `k.${id}`, publicKey: kp.publicKey, dept: id, kind: "dept" });
      }),
    );
    const users = [
      ["em.disp", "em", "dispatcher"],
      ["em.sup", "em", "supervisor"],
      ["fire.sup", "fire", "supervisor"],
      ["fire.disp", "fire", "dispatcher"],
      ["health.sup", "health", "supervisor"],
      ["amb.crew", "health", "operator"],
      ["tr.op", "tr", "operator"],
    ] as const;
    await Promise.all(users.map(([id, dept, role]) => sys("user.create", { id, dept, name: id, role, clearance: 2, credential: CREDENTIAL })));
  });
  afterAll(async () => {
    await L.node.close();
    await t.dispose();
  });

  it("registers units under their own emergency department only", async () => {
    await fire("unit.register", { id: "ft-engine-1", name: "福田中队 水罐车1", kind: "fire_engine", station: STATION, capabilities: ["fire", "rescue"] });
    await fire("unit.register", { id: "ft-engine-2", name: "福田中队 水罐车2", kind: "fire_engine", station: STATION, capabilities: ["fire", "rescue"] });
    await health("unit.register", { id: "amb-1", name: "福田120 救护车1", kind: "ambulance", station: HOSPITAL, capabilities: ["medical"] });
    await health("unit.register", { id: "amb-2", name: "福田120 救护车2", kind: "ambulance", station: HOSPITAL, capabilities: ["medical"] });
    await expect(fire("unit.register", { id: "ft-engine-1", name: "x", kind: "fire_engine", station: STATION, capabilities: ["fire"] })).rejects.toThrow(/unit ft-engine-1 already registered/);
    await expect(fire("unit.register", { id: "amb-9", name: "x", kind: "ambulance", dept: "health", station: HOSPITAL, capabilities: ["medical"] })).rejects.toThrow(/registers only its own units/);
    await expect(as("tr", "tr.op")("unit.register", { id: "x-1", name: "x", kind: "tow_truck", station: STATION, capabilities: ["tow"] })).rejects.toThrow(/role operator may not submit unit\.register/);
    await expect(fire("unit.register", { id: "ft-x", name: "x", kind: "fire_engine", station: { ...STATION, lon: 121.47 }, capabilities: ["fire"] })).rejects.toThrow(/longitude outside Shenzhen/);
    await expect(fire("unit.register", { id: "ft-y", name: "x", kind: "fire_engine", station: STATION, capabilities: ["fire"], plate: "粤B00000" })).rejects.toThrow(/unknown vehicle 粤B00000/);
    expect(await unit("amb-1")).toMatchObject({ status: "available", incident: null, dept: "health", bureau: "health" });
  });

  it("opens an incident with the SLA targets of the emergency bureau's rule, led by the type's bureau", async () => {
    const sla = Object.fromEntries(["fire", "medical", "traffic_accident", "hazmat_spill", "public_security"].map((k) => [k, { dispatchS: 60, enRouteS: 60, onSceneS: k === "medical" ? 480 : 600 }]));
    await expect(fire("rule.set", { name: "dispatch.sla", value: sla })).rejects.toThrow(/rule dispatch\.sla is set by the emergency bureau/);
    await emSup("rule.set", { name: "dispatch.sla", value: sla });
    await em("incident.create", { id: "inc-0001", type: "medical", severity: "high", lon: 114.0596, lat: 22.5427, address: "市民中心 B 区", notes: "老人晕倒", caller: "138****0000" });
    const inc = await incident("inc-0001");
    expect(inc).toMatchObject({ status: "open", lead: "health", sla: { dispatchS: 60, enRouteS: 60, onSceneS: 480 }, firstDispatchAt: null, source: { kind: "call" } });
    await expect(em("incident.create", { id: "inc-0001", type: "medical", severity: "high", lon: 114.05, lat: 22.54, address: "x" })).rejects.toThrow(/incident inc-0001 already exists/);
    await expect(em("incident.create", { id: "inc-0002", type: "flood", severity: "high", lon: 114.05, lat: 22.54, address: "x" })).rejects.toThrow(/type/);
    await expect(em("incident.create", { id: "inc-0002", type: "fire", severity: "high", lon: 114.05, lat: 22.54, address: "" })).rejects.toThrow(/address or landmark required/);
    await expect(as("tr", "tr.op")("incident.create", { id: "inc-0003", type: "fire", severity: "high", lon: 114.05, lat: 22.54, address: "x" })).rejects.toThrow(/only an emergency service bureau/);
  });

  it("dispatches available units only, follows the status machine and records the full timeline", async () => {
    await expect(em("incident.dispatch", { id: "inc-0001", units: ["amb-404"] })).rejects.toThrow(/unknown unit amb-404/);
    await expect(em("incident.dispatch", { id: "inc-0404", units: ["amb-1"] })).rejects.toThrow(/unknown incident inc-0404/);
    await expect(em("incident.dispatch", { id: "inc-0001", units: ["amb-1", "amb-1"] })).rejects.toThrow(/a unit is listed twice/);
    // The fire bureau is not on a medical incident: it may not dispatch to it.
    await expect(fireDisp("incident.dispatch", { id: "inc-0001", units: ["ft-engine-1"] })).rejects.toThrow(/led by health; fire is not involved/);
    await em("incident.dispatch", { id: "inc-0001", units: ["amb-1"], etaS: [312.4] });
    await expect(em("incident.dispatch", { id: "inc-0001", units: ["amb-1"] })).rejects.toThrow(/unit amb-1 is already dispatched to inc-0001/);
    await em("incident.create", { id: "inc-0002", type: "medical", severity: "medium", lon: 114.07, lat: 22.53, address: "岗厦地铁站" });
    await expect(em("incident.dispatch", { id: "inc-0002", units: ["amb-1"] })).rejects.toThrow(/unit amb-1 is dispatched \(incident inc-0001\), not available/);
    // Out of order: on scene before en route; the wrong incident; someone else's unit.
    await expect(crew("unit.status", { unit: "amb-1", incident: "inc-0001", status: "on_scene" })).rejects.toThrow(/cannot go from dispatched to on_scene \(allowed: en_route, available\)/);
    await expect(crew("unit.status", { unit: "amb-1", incident: "inc-0002", status: "en_route" })).rejects.toThrow(/serves inc-0001, not inc-0002/);
    await expect(fire("unit.status", { unit: "amb-1", incident: "inc-0001", status: "en_route" })).rejects.toThrow(/belongs to health/);
    await expect(crew("unit.status", { unit: "amb-1", incident: "inc-0001", status: "dispatched" })).rejects.toThrow(/dispatched by incident\.dispatch/);
    await crew("unit.status", { unit: "amb-1", incident: "inc-0001", status: "en_route" });
    await crew("unit.status", { unit: "amb-1", incident: "inc-0001", status: "on_scene" });
    // Support from the fire bureau; then the fire bureau may send its own engine.
    await expect(em("incident.support", { id: "inc-0001", bureau: "health", note: "x" })).rejects.toThrow(/already on incident/);
    await em("incident.support", { id: "inc-0001", bureau: "fire", note: "需要破拆救援" });
    await fireDisp("incident.dispatch", { id: "inc-0001", units: ["ft-engine-1"] });
    await expect(fireDisp("incident.close", { id: "inc-0001", note: "x" })).rejects.toThrow(/only the lead \(health\) or the command centre/);
    await expect(em("incident.close", { id: "inc-0001", note: "送医" })).rejects.toThrow(/units still committed to inc-0001: amb-1, ft-engine-1/);
    await em("incident.transfer", { id: "inc-0001", bureau: "fire", note: "以救援为主" });
    await crew("unit.status", { unit: "amb-1", incident: "inc-0001", status: "transporting" });
    await crew("unit.status", { unit: "amb-1", incident: "inc-0001", status: "returning" });
    await fire("unit.status", { unit: "ft-engine-1", incident: "inc-0001", status: "available", note: "取消出动" });
    await fireDisp("incident.close", { id: "inc-0001", note: "患者已送医，现场处置完毕" });
    await expect(em("incident.dispatch", { id: "inc-0001", units: ["amb-2"] })).rejects.toThrow(/incident inc-0001 is closed/);
    // A returning unit may be sent straight to the next incident; then it is busy again.
    await em("incident.dispatch", { id: "inc-0002", units: ["amb-1"] });
    expect(await unit("amb-1")).toMatchObject({ status: "dispatched", incident: "inc-0002" });

    const inc = await incident("inc-0001");
    expect(inc.status).toBe("closed");
    expect(inc.lead).toBe("fire");
    expect(inc.support).toEqual(["health"]);
    expect(inc.timeline.map((e) => [e.action, e.unit ?? e.bureau ?? null, e.status ?? null])).toEqual([
      ["create", null, null],
      ["dispatch", "amb-1", null],
      ["status", "amb-1", "en_route"],
      ["status", "amb-1", "on_scene"],
      ["support_request", "fire", null],
      ["dispatch", "ft-engine-1", null],
      ["transfer", "fire", null],
      ["status", "amb-1", "transporting"],
      ["status", "amb-1", "returning"],
      ["cancel", "ft-engine-1", "available"],
      ["close", null, null],
    ]);
    const a = inc.assignments.find((x) => x.unit === "amb-1")!;
    expect(a.etaS).toBe(312);
    expect(a.dispatchedAt).toBeLessThanOrEqual(a.enRouteAt!);
    expect(a.enRouteAt).toBeLessThanOrEqual(a.onSceneAt!);
    expect(inc.firstDispatchAt).toBe(a.dispatchedAt);
    expect(inc.firstOnSceneAt).toBe(a.onSceneAt);
    // Every timeline entry is a transaction that wrote the incident, in order, and the ledger verifies.
    const history = await L.node.store.history("incident", "inc-0001");
    expect(inc.timeline.map((e) => e.seq)).toEqual(history.map((h) => h.seq));
    expect(history.map((h) => h.type)).toContain("unit.status");
    expect((await verifyLedger(L.node.store)).ok).toBe(true);
  });

  it("escalates an alarm into an incident and marks the alarm escalated, once", async () => {
    const tp = (type: string, payload: object) => L.node.submit({ type, dept: "tp", actor: "op", payload: payload as never }, "k.tp");
    await tp("alarm.raise", { id: "al-hazmat-0001", type: "route_deviation", severity: "critical", subject: "粤BH0001", at: Date.now(), lon: 114.06, lat: 22.53 });
    await tp("alarm.raise", { id: "al-nopos-0001", type: "offline", severity: "warning", subject: "粤BH0002", at: Date.now() });
    await expect(em("incident.escalate", { id: "inc-0010", alarm: "al-missing-01", type: "hazmat_spill", severity: "critical" })).rejects.toThrow(/unknown alarm al-missing-01/);
    await expect(em("incident.escalate", { id: "inc-0010", alarm: "al-nopos-0001", type: "hazmat_spill", severity: "critical" })).rejects.toThrow(/has no position/);
    await em("incident.escalate", { id: "inc-0010", alarm: "al-hazmat-0001", type: "hazmat_spill", severity: "critical", notes: "危化品车偏离路线并泄漏" });
    await expect(em("incident.escalate", { id: "inc-0011", alarm: "al-hazmat-0001", type: "hazmat_spill", severity: "critical" })).rejects.toThrow(/alarm al-hazmat-0001 is escalated \(incident inc-0010\)/);
    const inc = await incident("inc-0010");
    expect(inc).toMatchObject({ lead: "environment", lon: 114.06, lat: 22.53, source: { kind: "alarm", alarm: "al-hazmat-0001", plate: "粤BH0001" } });
    expect(inc.timeline[0].action).toBe("escalate");
    const alarm = await L.node.store.record<{ status: string; incident: string; steps: { action: string }[] }>("alarm", "al-hazmat-0001");
    expect(alarm?.value).toMatchObject({ status: "escalated", incident: "inc-0010" });
    expect(alarm?.value.steps.map((s) => s.action)).toEqual(["raise", "escalate"]);
  });

  it("keeps a unit out of service until it is put back", async () => {
    await fire("unit.status", { unit: "ft-engine-2", status: "out_of_service", note: "保养" });
    await expect(em("incident.dispatch", { id: "inc-0002", units: ["ft-engine-2"] })).rejects.toThrow(/unit ft-engine-2 is out_of_service, not available/);
    await expect(fire("unit.status", { unit: "ft-engine-2", status: "en_route" })).rejects.toThrow(/cannot go from out_of_service to en_route/);
    await fire("unit.status", { unit: "ft-engine-2", status: "available" });
    expect((await unit("ft-engine-2")).status).toBe("available");
    expect((await L.node.store.history("unit", "ft-engine-2")).map((h) => h.type)).toEqual(["unit.register", "unit.status", "unit.status"]);
  });
});
