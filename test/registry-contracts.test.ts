/**
 * Registry contracts on the real ledger (PGlite and PostgreSQL): registry.import is all or nothing
 * and authorised as its rows' contract, its preview judges each row as the ledger would, and the
 * company, permit and crew changes that onboarding needs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewImport } from "../chain/import-preview.js";
import { generateKeyPair } from "../chain/signature.js";
import { verifyLedger } from "../chain/verify.js";
import { BACKENDS, openTestDb, type TestDb } from "./helpers/db.js";
import { addTransportBureau, createTestLedger, type TestLedger } from "./helpers/ledger.js";

const NOW = Date.now();
const company = (id: string) => ({ id, name: `企业 ${id}`, kind: "taxi", ingestKey: generateKeyPair().publicKey });
const car = (n: number, company = "taxi-a") => ({ plate: `粤B${String(10000 + n)}`, cls: "taxi", company, terminal: `T-IMP-${n}`, licence: { no: `运输证${n}`, status: "valid" } });

describe.each(BACKENDS)("registry contracts on %s", (backend) => {
  let t: TestDb;
  let L: TestLedger;
  const as = (dept: string, actor: string, type: string, payload: object) => L.node.submit({ type, dept, actor, payload: payload as never }, `k.${dept}`);
  const preview = (dept: string, actor: string, type: string, rows: unknown[], signer = `k.${dept}`) => previewImport(L.node, { type, rows, dept, actor, signer });

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

  it("imports rows in one transaction; one bad row refuses the file and writes nothing", async () => {
    await as("tr", "tr.op", "company.register", company("taxi-a"));
    const before = L.node.height;
    // Row 3 reuses row 1's terminal: refused by the vehicle contract, as the third row.
    await expect(as("tr", "tr.op", "registry.import", { type: "vehicle.register", rows: [car(1), car(2), { ...car(3), terminal: "T-IMP-1" }] })).rejects.toThrow(/第 3 行 row 3: terminal T-IMP-1 already belongs to 粤B10001/);
    expect(await L.node.store.record("vehicle", "粤B10001")).toBeNull();
    expect(L.node.height).toBe(before);
    // A row the schema refuses names its row and field.
    await expect(as("tr", "tr.op", "registry.import", { type: "vehicle.register", rows: [car(1), { ...car(2), plate: "B2" }] })).rejects.toThrow(/row 2: plate like 粤B12345/);
    const c = await as("tr", "tr.op", "registry.import", { type: "vehicle.register", rows: [car(1), car(2), car(3)], file: { name: "vehicles.csv", sha256: "a".repeat(64) } });
    expect(c.seq).toBeGreaterThan(0);
    for (const n of [1, 2, 3]) expect((await L.node.store.record<{ registered: { seq: number } }>("vehicle", `粤B${10000 + n}`))?.value.registered.seq).toBe(c.seq);
    expect((await L.node.store.record("terminal", "T-IMP-2"))?.value).toEqual({ plate: "粤B10002", company: "taxi-a" });
    const report = await verifyLedger(L.node.store);
    expect(report.ok).toBe(true);
  });

  it("authorises an import as its rows' contract: roles, bureau and the authz rule", async () => {
    // The traffic police may not register taxis' companies; a viewer may not register anything.
    await expect(as("tp", "op", "registry.import", { type: "company.register", rows: [company("x-1")] })).rejects.toThrow(/only the transport bureau may submit company\.register/);
    await expect(as("tp", "viewer", "registry.import", { type: "vehicle.register", rows: [car(9)] })).rejects.toThrow(/role viewer may not submit vehicle\.register/);
    await expect(as("tp", "op", "registry.import", { type: "hazmat.permit", rows: [{ id: "p-x", plate: "粤B10001", cargoClass: "3", cargo: "汽油", corridor: "c", from: NOW, to: NOW + 1000 }] })).rejects.toThrow(/role operator may not submit hazmat\.permit/);
    await expect(as("tr", "tr.op", "registry.import", { type: "user.create", rows: [{}] })).rejects.toThrow(/type/);
    // A rule authz.company.register raising the bar applies to imports too.
    await L.node.submit({ type: "rule.set", dept: "sz", actor: "system", payload: { name: "authz.company.register", value: { roles: ["supervisor", "dept_admin", "sys_admin"] } } as never }, "sys");
    await expect(as("tr", "tr.op", "registry.import", { type: "company.register", rows: [company("x-2")] })).rejects.toThrow(/role operator may not submit company\.register/);
    await L.node.submit({ type: "rule.set", dept: "sz", actor: "system", payload: { name: "authz.company.register", value: { roles: ["operator", "supervisor", "dept_admin", "sys_admin"] } } as never }, "sys");
    await as("tr", "tr.op", "registry.import", { type: "company.register", rows: [company("x-2"), company("x-3")] });
    expect(await L.node.store.record("company", "x-3")).not.toBeNull();
  });

  it("previews every row as the ledger would, each seeing the rows before it", async () => {
    const rows = [car(20), { ...car(21), company: "nobody" }, { ...car(22), terminal: "T-IMP-20" }, { ...car(23), plate: "bad" }, car(1), car(24)];
    const p = await preview("tr", "tr.op", "vehicle.register", rows);
    expect(p.fileError).toBeNull();
    expect(p.rows.map((r) => r.ok)).toEqual([true, false, false, false, false, true]);
    expect(p.rows[1].errors).toEqual(["unknown company nobody"]);
    expect(p.rows[2].errors).toEqual(["terminal T-IMP-20 already belongs to 粤B10020"]);
    expect(p.rows[3].errors.join()).toMatch(/plate: plate like 粤B12345/);
    expect(p.rows[4].errors).toEqual(["vehicle 粤B10001 already registered"]);
    expect([p.valid, p.invalid]).toEqual([2, 4]);
    // Nothing was written by the preview.
    expect(await L.node.store.record("vehicle", "粤B10020")).toBeNull();
    const denied = await preview("tp", "viewer", "vehicle.register", [car(30)]);
    expect(denied.fileError).toMatch(/role viewer may not submit vehicle\.register/);
    // What the preview accepts, the ledger accepts.
    await as("tr", "tr.op", "registry.import", { type: "vehicle.register", rows: [car(20), car(24)] });
    expect(await L.node.store.record("vehicle", "粤B10024")).not.toBeNull();
  });

  it("suspends, rotates and revokes a company; a revoked company stays revoked", async () => {
    await as("tr", "tr.op", "company.register", company("taxi-b"));
    await expect(as("tr", "tr.op", "company.update", { id: "taxi-b", status: "suspended" })).rejects.toThrow(/reason/);
    await expect(as("tp", "op", "company.update", { id: "taxi-b", status: "suspended", reason: "x" })).rejects.toThrow(/only the transport bureau/);
    await as("tr", "tr.op", "company.update", { id: "taxi-b", status: "suspended", reason: "年检未通过" });
    expect((await L.node.store.record<{ status: string }>("company", "taxi-b"))?.value.status).toBe("suspended");
    const key = generateKeyPair().publicKey;
    await as("tr", "tr.op", "company.update", { id: "taxi-b", status: "active", ingestKey: key, reason: "整改完成，更换密钥" });
    expect((await L.node.store.record<{ status: string; ingestKey: string }>("company", "taxi-b"))?.value).toMatchObject({ status: "active", ingestKey: key });
    await as("tr", "tr.op", "company.update", { id: "taxi-b", status: "revoked", reason: "吊销经营许可" });
    await expect(as("tr", "tr.op", "company.update", { id: "taxi-b", status: "active", reason: "x" })).rejects.toThrow(/is revoked/);
  });

  it("amends and revokes hazmat permits, checked as a new permit would be", async () => {
    await as("tr", "tr.op", "company.register", { ...company("hz-co"), kind: "logistics" });
    await as("tp", "op", "vehicle.register", { plate: "粤BH7001", cls: "hazmat", company: "hz-co", terminal: "T-H7001", licence: { no: "危运7001", status: "valid" } });
    const C: [number, number] = [114.05, 22.54];
    await as("tp", "tp.sup", "geofence.define", { id: "hz-a", name: "走廊 A", kind: "hazmat_corridor", shape: { type: "corridor", path: [C, [C[0] + 0.02, C[1]]], widthM: 200 } });
    await as("tp", "tp.sup", "geofence.define", { id: "zone-b", name: "区域 B", kind: "key_area", shape: { type: "circle", center: C, radiusM: 300 } });
    await as("tp", "tp.sup", "hazmat.permit", { id: "hp-1", plate: "粤BH7001", cargoClass: "3", cargo: "汽油", corridor: "hz-a", from: NOW, to: NOW + 3600_000 });
    await expect(as("tp", "tp.sup", "hazmat.permit.amend", { id: "hp-1", corridor: "zone-b", reason: "改线" })).rejects.toThrow(/not a hazmat corridor/);
    await expect(as("tp", "tp.sup", "hazmat.permit.amend", { id: "hp-1", to: NOW - 1, reason: "x" })).rejects.toThrow(/window must end after it starts/);
    await expect(as("tp", "op", "hazmat.permit.amend", { id: "hp-1", cargo: "柴油", reason: "x" })).rejects.toThrow(/role operator/);
    await as("tp", "tp.sup", "hazmat.permit.amend", { id: "hp-1", cargo: "柴油", to: NOW + 7200_000, reason: "延长运输时间" });
    const p = (await L.node.store.record<{ cargo: string; to: number; amendments: { reason: string; changes: object }[] }>("permit", "hp-1"))!.value;
    expect(p).toMatchObject({ cargo: "柴油", to: NOW + 7200_000, amendments: [{ reason: "延长运输时间", changes: { cargo: "柴油", to: NOW + 7200_000 } }] });
    await as("tp", "tp.sup", "hazmat.permit.revoke", { id: "hp-1", reason: "企业违规" });
    expect((await L.node.store.record<{ status: string }>("permit", "hp-1"))?.value.status).toBe("revoked");
    await expect(as("tp", "tp.sup", "hazmat.permit.amend", { id: "hp-1", cargo: "x", reason: "x" })).rejects.toThrow(/is revoked/);
    await expect(as("tp", "tp.sup", "hazmat.permit.revoke", { id: "hp-1", reason: "x" })).rejects.toThrow(/already revoked/);
  });

  it("treats a licence past its expiry date as not in force on trips", async () => {
    await as("tr", "tr.op", "company.register", { ...company("rh"), kind: "ride_hailing_platform" });
    await as("tr", "tr.op", "vehicle.register", { plate: "粤BD80001", cls: "ride_hailing", company: "rh", terminal: "T-RH-1", licence: { no: "网约车1", status: "valid", expires: "2020-01-01" } });
    await as("tr", "tr.op", "driver.register", { id: "drv-1", name: "司机", company: "rh", licence: { no: "网驾1", status: "valid" }, vehicles: ["粤BD80001"] });
    await as("tr", "tr.op", "ridehail.trip", { id: "trip-exp-1", platform: "rh", driver: "drv-1", plate: "粤BD80001", start: NOW - 60_000, end: NOW, distanceKm: 3, fareYuan: 20 });
    expect((await L.node.store.record<{ problems: string[] }>("trip", "trip-exp-1"))?.value.problems).toEqual(["vehicle_unlicensed"]);
  });
});
