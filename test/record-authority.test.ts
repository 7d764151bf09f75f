/**
 * The owner-or-ancestor rule for vehicles, drivers and alarms on the contracts (PGlite, PostgreSQL):
 * two sibling district transport offices under the transport bureau; a sibling is refused with or
 * without a forged line, the bureau above acts only along the owner's line that holds on chain.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "../chain/signature.js";
import { verifyLedger } from "../chain/verify.js";
import { BACKENDS, openTestDb, type TestDb } from "./helpers/db.js";
import { addTransportBureau, createTestLedger, CREDENTIAL, type TestLedger } from "./helpers/ledger.js";

const NOT_OWNER = /只有所属部门或其上级可修改 only the owner department or its ancestors may change this/;

describe.each(BACKENDS)("record authority on %s", (backend) => {
  let t: TestDb;
  let L: TestLedger;
  const as = (dept: string, actor: string) => (type: string, payload: object) => L.node.submit({ type, dept, actor, payload: payload as never }, `k.${dept}`);
  const bureau = as("tr", "tr.op");
  const a = as("tr.a", "a.op");
  const b = as("tr.b", "b.op");

  beforeAll(async () => {
    t = await openTestDb(backend);
    L = await createTestLedger(t.db);
    await addTransportBureau(L, [["tr.op", "tr", "operator"]]);
    const sys = (type: string, payload: object) => L.node.submit({ type, dept: "sz", actor: "system", payload: payload as never }, "sys");
    for (const d of ["a", "b"]) {
      const kp = generateKeyPair();
      L.keystore.set(`k.tr.${d}`, kp.secretKey);
      await sys("dept.create", { id: `tr.${d}`, parent: "tr", name: `区交通运输${d}`, nameEn: `District transport ${d}`, kind: "bureau", bureau: "transport" });
      await sys("key.register", { id: `k.tr.${d}`, publicKey: kp.publicKey, dept: `tr.${d}`, kind: "dept" });
      await sys("user.create", { id: `${d}.op`, dept: `tr.${d}`, name: `${d}.op`, role: "operator", clearance: 2, credential: CREDENTIAL });
    }
    await a("company.register", { id: "co-a", name: "区出租车公司", kind: "taxi", ingestKey: generateKeyPair().publicKey });
    await a("vehicle.register", { plate: "粤B0A001", cls: "taxi", company: "co-a", terminal: "T-A001", licence: { no: "出租0001", status: "valid" } });
    await a("driver.register", { id: "drv-a", name: "驾驶员甲", company: "co-a", licence: { status: "valid" }, vehicles: ["粤B0A001"] });
    await a("alarm.raise", { id: "alarm-a-0001", type: "offline", severity: "info", subject: "粤B0A001", at: Date.now() });
  });
  afterAll(async () => {
    await L?.node.close();
    await t?.dispose();
  });

  const suspend = { plate: "粤B0A001", licence: { no: "出租0001", status: "suspended" } };
  const vehicleStatus = async () => (await L.node.store.record<{ licence: { status: string } }>("vehicle", "粤B0A001"))!.value.licence.status;

  it("a sibling office changes none of another office's records, even naming a forged line", async () => {
    await expect(b("vehicle.update", suspend)).rejects.toThrow(NOT_OWNER);
    await expect(b("vehicle.update", { ...suspend, authority: ["tr.a", "tr.b"] })).rejects.toThrow(NOT_OWNER);
    await expect(b("driver.update", { id: "drv-a", licence: { status: "revoked" } })).rejects.toThrow(NOT_OWNER);
    await expect(b("alarm.act", { id: "alarm-a-0001", action: "acknowledge" })).rejects.toThrow(NOT_OWNER);
    await expect(b("alarm.act", { id: "alarm-a-0001", action: "acknowledge", authority: ["tr.a", "tr", "tr.b"] })).rejects.toThrow(NOT_OWNER);
    expect(await vehicleStatus()).toBe("valid");
    expect((await L.node.store.record<{ status: string }>("alarm", "alarm-a-0001"))!.value.status).toBe("open");
  });

  it("the bureau above acts along the owner's line, not without it; the owner acts itself", async () => {
    await expect(bureau("vehicle.update", suspend)).rejects.toThrow(NOT_OWNER);
    await bureau("vehicle.update", { ...suspend, authority: ["tr.a", "tr"] });
    expect(await vehicleStatus()).toBe("suspended");
    await bureau("alarm.act", { id: "alarm-a-0001", action: "acknowledge", authority: ["tr.a", "tr"] });
    await a("alarm.act", { id: "alarm-a-0001", action: "close", note: "终端恢复在线" });
    expect((await L.node.store.record<{ status: string }>("alarm", "alarm-a-0001"))!.value.status).toBe("closed");
    await a("driver.update", { id: "drv-a", licence: { status: "suspended" } });
    await bureau("driver.update", { id: "drv-a", licence: { status: "valid" }, authority: ["tr.a", "tr"] });
    expect((await L.node.store.record<{ licence: { status: string } }>("driver", "drv-a"))!.value.licence.status).toBe("valid");
    // The owner's own later change still works after an ancestor wrote (the registrant stays the owner).
    await a("vehicle.update", { ...suspend, licence: { ...suspend.licence, status: "valid" } });
    expect(await vehicleStatus()).toBe("valid");
    expect((await verifyLedger(L.node.store)).ok).toBe(true);
  });
});
