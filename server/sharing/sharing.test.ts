/**
 * Sovereign sharing end to end through tRPC on the seeded city, on PGlite and PostgreSQL: no grant, a
 * field-limited grant, a district row filter, expiry, revocation with key rotation, the hierarchy
 * (parent supervisors see, siblings do not), the read audit, and a database dump without cleartext.
 */
import { clientErrorOf } from "../api/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatasetKeys } from "../../chain/contracts/sharing";
import { verifyLedger } from "../../chain/verify";
import { BACKENDS, openTestDb, type TestDb } from "../../test/helpers/db";
import { CREDENTIAL } from "../../test/helpers/ledger";
import { createHarness, type Harness } from "../testing/harness";
import { demoRecords } from "./catalogue";
import { openDataKey, submitAsSystem } from "./keys";
import { AccessDeniedError, authorizeRead, grantsOf, readDataset } from "./policy";
import { syncCatalogue, writeSealedRecord } from "./service";

const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e) => {
    const c = clientErrorOf(e);
    return c ? `${c.code}: ${c.message}` : Promise.reject(e);
  });
const PURPOSE = "查处套牌车辆 investigating cloned plates";

describe.each(BACKENDS)("sovereign sharing on %s", (backend) => {
  let t: TestDb;
  let h: Harness;

  beforeAll(async () => {
    t = await openTestDb(backend);
    h = await createHarness(t.db);
    const L = h.services.ledger;
    // The Futian district office (parent of the Futian brigade) and the Futian police sub-bureau (its sibling).
    await Promise.all([
      submitAsSystem(L, "user.create", { id: "futian.sup", dept: "sz.futian", name: "福田区主管", role: "supervisor", clearance: 3, credential: CREDENTIAL }, "test"),
      submitAsSystem(L, "user.create", { id: "futian.clerk", dept: "sz.futian", name: "福田区科员", role: "operator", clearance: 3, credential: CREDENTIAL }, "test"),
      submitAsSystem(L, "user.create", { id: "nanshan.sup", dept: "sz.nanshan.tp", name: "南山交警主管", role: "supervisor", clearance: 3, credential: CREDENTIAL }, "test"),
      submitAsSystem(L, "user.create", { id: "ftpsb.sup", dept: "sz.futian.psb", name: "福田分局主管", role: "supervisor", clearance: 3, credential: CREDENTIAL }, "test"),
    ]);
  });
  afterAll(async () => {
    await h?.services.ledger.node.close();
    await t?.dispose();
  });

  it("registers the catalogue once: a second sync at start-up writes nothing", async () => {
    const before = h.services.ledger.node.height;
    const n = (await h.services.ledger.db.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_txs")).rows[0].n;
    await syncCatalogue(h.services.ledger, { demo: true });
    expect((await h.services.ledger.db.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_txs")).rows[0].n).toBe(n);
    expect(h.services.ledger.node.height).toBe(before);
  });

  it("finds an identity record by ID number through its blind index, only under a grant covering it; the audit never holds the number", async () => {
    const L = h.services.ledger;
    const person = demoRecords("identity.registry", 0)[3];
    const psb = { id: "psb.operator", dept: "sz.psb", role: "operator" as const, clearance: 3 };
    // The owner's operator at clearance 3 does not see clearance-4 fields, so cannot search by them either.
    await expect(readDataset(L, psb, "identity.registry", { purpose: "核验", match: { field: "idNumber", value: person.sealed.idNumber } })).rejects.toMatchObject({
      code: "clearance",
      message: expect.stringMatching(/searching by idNumber needs clearance 4 \(yours: 3\)/),
    });
    const boss = { id: "admin", dept: "sz", role: "sys_admin" as const, clearance: 4 };
    const hit = await readDataset(L, boss, "identity.registry", { purpose: "身份核验 ID check", match: { field: "idNumber", value: person.sealed.idNumber.toLowerCase() + " " } });
    expect(hit.rows).toHaveLength(1);
    expect(hit.rows[0]).toMatchObject({ personId: person.attrs.personId, name: person.sealed.name, idNumber: person.sealed.idNumber });
    expect((await readDataset(L, boss, "identity.registry", { purpose: "身份核验 ID check", match: { field: "idNumber", value: "440304199001010000" } })).rows).toHaveLength(0);
    await expect(readDataset(L, boss, "identity.registry", { purpose: "x", match: { field: "address", value: person.sealed.address } })).rejects.toThrow(/has no blind index/);
    const txs = (await L.db.query<{ v: string }>("SELECT string_agg(body, '\n') AS v FROM ledger_txs WHERE type = 'data.read'")).rows[0].v;
    expect(txs).toContain("match:idNumber");
    expect(txs).not.toContain(person.sealed.idNumber);
  });

  it("lists the catalogue with owners, sensitive fields and the caller's standing", async () => {
    const fu = await h.as("futian.operator");
    const cat = await fu.sharing.catalogue();
    const v = cat.find((d) => d.id === "tp.violations")!;
    expect(v.owner).toBe("sz.tp");
    expect(v.fields.filter((f) => f.sealed).map((f) => f.name)).toEqual(["partyName", "partyIdNumber", "partyPhone"]);
    expect(v.access).toMatchObject({ ok: false, code: "no_grant" });
    expect(cat.find((d) => d.id === "futian.parking")!.access).toMatchObject({ ok: true, basis: "owner" });
    expect((await fu.sharing.catalogue({ q: "身份" })).map((d) => d.id)).toContain("identity.registry");
  });

  it("refuses a department without a grant, saying why", async () => {
    const fu = await h.as("futian.operator");
    expect(await codeOf(fu.sharing.read({ id: "tp.violations", purpose: PURPOSE }))).toMatch(/^FORBIDDEN: .*sz\.futian\.tp holds no grant on tp\.violations/);
    expect(await codeOf(fu.sharing.read({ id: "no.such" }))).toMatch(/^NOT_FOUND/);
  });

  let grantId = "";
  it("a field-limited, district-filtered grant shows only those fields and that district, decrypted, and is audited", async () => {
    const fa = await h.as("futian.admin");
    const tpa = await h.as("tp.admin");
    expect(await codeOf(fa.sharing.request({ dataset: "tp.violations", fields: ["caseNo"], purpose: "x", durationDays: 30 }))).toMatch(/^BAD_REQUEST: [\s\S]*purpose/);
    const req = await fa.sharing.request({ dataset: "tp.violations", fields: ["caseNo", "plate", "offence", "district", "partyName"], purpose: PURPOSE, durationDays: 30 });
    grantId = req.id;
    expect((await tpa.sharing.requests({ box: "incoming", status: "pending" })).map((r) => r.id)).toContain(req.id);
    // The requester cannot approve its own request; the owner narrows it: no plate, Futian rows only, 7 days.
    expect(await codeOf(fa.sharing.decide({ id: req.id, decision: "approve" }))).toMatch(/^BAD_REQUEST: only the owner department sz\.tp/);
    expect(await codeOf(tpa.sharing.decide({ id: req.id, decision: "approve", fields: ["caseNo", "vin"] }))).toMatch(/not requested: vin/);
    await tpa.sharing.decide({ id: req.id, decision: "approve", fields: ["caseNo", "offence", "district", "partyName"], rowFilter: { district: "sz.futian" }, durationDays: 7, note: "仅限福田辖区" });

    expect(await codeOf(fa.sharing.read({ id: "tp.violations" }))).toMatch(/^BAD_REQUEST: .*must state its purpose/);
    const res = await fa.sharing.read({ id: "tp.violations", purpose: PURPOSE });
    expect(res).toMatchObject({ basis: "grant", grant: req.id, rowFilter: { district: "sz.futian" } });
    expect(res.columns.map((c) => c.name)).toEqual(["caseNo", "offence", "district", "partyName"]);
    expect(res.hidden.map((x) => x.name)).toEqual(["plate", "at", "fineYuan", "points", "partyIdNumber", "partyPhone"]);
    const expected = demoRecords("tp.violations", 0).filter((r) => r.attrs.district === "sz.futian");
    expect(res.rows).toHaveLength(expected.length);
    expect(res.rows.length).toBeGreaterThan(3);
    for (const row of res.rows) {
      expect(Object.keys(row).sort()).toEqual(["caseNo", "district", "offence", "partyName"]);
      expect(row.district).toBe("sz.futian");
    }
    expect(res.rows.map((r) => r.partyName).sort()).toEqual(expected.map((r) => r.sealed.partyName).sort());
    expect(res.audit).not.toBeNull();
    const audit = await tpa.sharing.audit({ dataset: "tp.violations" });
    expect(audit[0]).toMatchObject({ actor: "futian.admin", dept: "sz.futian.tp", basis: "grant", grant: req.id, purpose: PURPOSE, records: expected.length });

    // Clearance still applies inside a grant: an operator at clearance 2 does not see the party's name.
    const op = await (await h.as("futian.operator")).sharing.read({ id: "tp.violations", purpose: PURPOSE });
    expect(op.columns.map((c) => c.name)).toEqual(["caseNo", "offence", "district"]);
    expect(op.hidden.find((x) => x.name === "partyName")?.reason).toMatch(/sensitivity 3 > clearance 2/);
  });

  it("an expired grant stops at once", async () => {
    const L = h.services.ledger;
    const reader = { id: "futian.admin", dept: "sz.futian.tp", role: "dept_admin" as const, clearance: 3 };
    await expect(authorizeRead(L, reader, "tp.violations", Date.now() + 6 * 86_400_000)).resolves.toMatchObject({ decision: { basis: "grant" } });
    const late = authorizeRead(L, reader, "tp.violations", Date.now() + 8 * 86_400_000);
    await expect(late).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(late).rejects.toThrow(/grant req-[0-9a-f]+ expired at/);
  });

  it("after a grant expires, the next write rotates the key first, so new records never open for the former grantee", async () => {
    const L = h.services.ledger;
    const req = await (await h.as("tp.admin")).sharing.request({ dataset: "futian.parking", fields: ["ticket", "plate", "ownerPhone"], purpose: "违停车辆车主联系", durationDays: 1 });
    await (await h.as("futian.admin")).sharing.decide({ id: req.id, decision: "approve" });
    const owner = { id: "futian.admin", dept: "sz.futian.tp" };
    const v1 = (await L.node.store.record<DatasetKeys>("dskey", "futian.parking"))!.value;
    expect(Object.keys(v1.versions[0].wraps)).toContain("sz.tp");
    await writeSealedRecord(L, owner, "futian.parking", "tk-live", { ticket: "FTWT-L1", district: "sz.futian" }, { ownerPhone: "13800000001" }, "录入");
    expect((await L.node.store.record<DatasetKeys>("dskey", "futian.parking"))!.value.current).toBe(1);
    await writeSealedRecord(L, owner, "futian.parking", "tk-late", { ticket: "FTWT-L2", district: "sz.futian" }, { ownerPhone: "13800000002" }, "录入", Date.now() + 2 * 86_400_000);
    const v2 = (await L.node.store.record<DatasetKeys>("dskey", "futian.parking"))!.value;
    expect(v2.current).toBe(2);
    expect(Object.keys(v2.versions[1].wraps).sort()).toEqual(["sz", "sz.futian", "sz.futian.tp"]);
    expect(v2.versions[1].reason).toBe("grant ended: sz.tp");
    expect((await L.node.store.record<{ sealed: { ownerPhone: { v: number } } }>("dsrec", "futian.parking/tk-late"))!.value.sealed.ownerPhone.v).toBe(2);
    expect(openDataKey(L, v2, 2, "sz.tp")).toBeNull();
  });

  it("revocation stops reads at once and rotates the key: new records do not open for the revoked department", async () => {
    const L = h.services.ledger;
    const tpa = await h.as("tp.admin");
    const fa = await h.as("futian.admin");
    expect(await codeOf(fa.sharing.revoke({ id: grantId, reason: "越权" }))).toMatch(/^BAD_REQUEST: only the owner department/);
    await tpa.sharing.revoke({ id: grantId, reason: "专项行动结束 operation over" });
    expect(await codeOf(fa.sharing.read({ id: "tp.violations", purpose: PURPOSE }))).toMatch(/^FORBIDDEN: .*grant req-[0-9a-f]+ was revoked by sz\.tp .*operation over/);
    const keys = (await L.node.store.record<DatasetKeys>("dskey", "tp.violations"))!.value;
    expect(keys.current).toBe(2);
    expect(Object.keys(keys.versions[0].wraps)).toContain("sz.futian.tp");
    expect(Object.keys(keys.versions[1].wraps).sort()).toEqual(["sz", "sz.tp"]);
    await writeSealedRecord(L, { id: "tp.admin", dept: "sz.tp" }, "tp.violations", "wf-new-1", { caseNo: "SZJJ2026N0001", offence: "闯红灯", district: "sz.futian" }, { partyName: "测试人" }, "录入案件");
    const rec = await L.node.store.record<{ sealed: { partyName: { v: number } } }>("dsrec", "tp.violations/wf-new-1");
    expect(rec!.value.sealed.partyName.v).toBe(2);
    expect(openDataKey(L, keys, 2, "sz.futian.tp")).toBeNull();
    expect(openDataKey(L, keys, 2, "sz.tp")).toMatch(/^[0-9a-f]{64}$/);
    // The contract refuses a write under the old key version, and a sensitive field in clear.
    const old = { $sealed: "A256GCM", v: 1, n: "AAAAAAAAAAAAAAAA", c: "AAAAAAAAAAAAAAAAAAAAAA==" };
    await expect(L.submitAs({ id: "tp.admin", dept: "sz.tp" }, "dataset.record", { dataset: "tp.violations", key: "wf-x", attrs: {}, sealed: { partyName: old } })).rejects.toThrow(/new writes use version 2/);
    await expect(L.submitAs({ id: "tp.admin", dept: "sz.tp" }, "dataset.record", { dataset: "tp.violations", key: "wf-x", attrs: { partyName: "明文" }, sealed: {} })).rejects.toThrow(/must be sealed, not sent in clear/);
    // The catalogue shows the whole history.
    const ds = await tpa.sharing.dataset({ id: "tp.violations" });
    expect(ds.requests.find((r) => r.id === grantId)!.steps.map((s) => s.action)).toEqual(["request", "narrow", "revoke"]);
    expect(ds.history.map((x) => x.type)).toEqual(expect.arrayContaining(["dataset.register", "access.request", "access.decide", "access.revoke"]));
    expect(ds.keys!.versions.map((v) => v.reason)).toEqual(["register", `revoke ${grantId}`]);
  });

  it("a parent department's supervisors see a child's data at their clearance; a sibling and a junior do not", async () => {
    const sup = await (await h.as("futian.sup")).sharing.read({ id: "futian.parking", purpose: "区级督查 district oversight" });
    expect(sup.basis).toBe("hierarchy");
    expect(sup.rows).toHaveLength(12 + 2);
    expect(sup.rows[0].ownerPhone).toBe(demoRecords("futian.parking", 0)[0].sealed.ownerPhone);
    // Records under both key versions open for the parent department (wrapped for it at registration and rotation).
    expect(sup.rows.find((r) => r.ticket === "FTWT-L2")?.ownerPhone).toBe("13800000002");
    const city = await (await h.as("admin")).sharing.read({ id: "futian.parking", purpose: "市级督查 city oversight" });
    expect(city.basis).toBe("hierarchy");
    expect(await codeOf((await h.as("ftpsb.sup")).sharing.read({ id: "futian.parking", purpose: "x" }))).toMatch(/^FORBIDDEN: .*sz\.futian\.psb holds no grant/);
    expect(await codeOf((await h.as("futian.clerk")).sharing.read({ id: "futian.parking", purpose: "x" }))).toMatch(/^FORBIDDEN: .*supervisors and admins \(your role: operator\)/);
  });

  it("vehicle supervision reads go through the policy: statutory grants, clearance, revocation, audit", async () => {
    const L = h.services.ledger;
    const tr = { id: "tr.operator", dept: "sz.transport" };
    await L.submitAs(tr, "company.register", { id: "sz-bus", name: "深圳巴士集团", kind: "bus", ingestKey: "ab".repeat(32) }, "test");
    await L.submitAs(tr, "vehicle.register", { plate: "粤B54321", cls: "bus", company: "sz-bus", terminal: "T-BUS-0001", licence: { no: "公交0001", status: "valid" }, vin: "LSVAM4187C2184321" }, "test");
    // The owner's own operator (clearance 2) reads its registry without a grant.
    expect((await (await h.as("tr.operator")).vehicles.list({ q: "54321" }))[0]).toMatchObject({ company: "sz-bus" });
    // The traffic police read the transport bureau's registry under its statutory grant; a viewer sees no clearance-2 fields.
    const tp = await (await h.as("tp.operator")).vehicles.list({ q: "54321" });
    expect(tp).toEqual([expect.objectContaining({ plate: "粤B54321", company: "sz-bus", licence: "valid" })]);
    expect((await (await h.as("tp.viewer")).vehicles.list({ q: "54321" }))[0]).toMatchObject({ plate: "粤B54321", company: null, terminal: null, licence: null });
    // The VIN (sensitivity 3) is withheld from an operator; a supervisor may see it, but a (refetching) query never
    // shows it: the supervisor reveals it in the explorer, one logged read.
    expect((await (await h.as("tp.operator")).vehicles.get({ plate: "粤B54321" })).vehicle).not.toHaveProperty("vin");
    const sup = await h.as("tp.supervisor");
    const seen = await sup.vehicles.get({ plate: "粤B54321" });
    expect(seen.vehicle).not.toHaveProperty("vin");
    expect(seen.revealable).toEqual(["vin"]);
    expect((await sup.explorer.reveal({ kind: "record", ns: "vehicle", key: "粤B54321", purpose: "车辆核查 vehicle check" })).value).toMatchObject({ vin: "LSVAM4187C2184321" });
    const logged = await (await h.as("admin")).sharing.audit({ dataset: "vehicles" });
    expect(logged[0]).toMatchObject({ actor: "tp.supervisor", basis: "grant", query: "vehicle/粤B54321" });
    // The owner (here the system admin acting for it) revokes the emergency bureau's share: its reads stop at once.
    const em = await h.as("em.dispatcher");
    expect(await em.alarms.list({})).toBeInstanceOf(Array);
    const share = (await grantsOf(L, { dataset: "alarms", dept: "sz.emergency", status: "active" }))[0];
    expect(share.id).toMatch(/^req-std-alarms-sz-emergency-/);
    await (await h.as("admin")).sharing.revoke({ id: share.id, reason: "测试撤销" });
    expect(await codeOf(em.alarms.list({}))).toMatch(/^FORBIDDEN: .*revoked/);
    expect(await codeOf(em.vehicles.list({}))).toBe("OK");
  });

  it("a raw dump of the database shows ciphertext only for sealed fields", async () => {
    const db = h.services.ledger.db;
    const state = (await db.query<{ v: string }>("SELECT string_agg(value::text, '\n') AS v FROM state_records")).rows[0].v;
    const txs = (await db.query<{ v: string }>("SELECT string_agg(body, '\n') AS v FROM ledger_txs")).rows[0].v;
    const secrets = ["identity.registry", "tp.violations", "futian.parking"].flatMap((d) => demoRecords(d, 0).flatMap((r) => Object.values(r.sealed)));
    expect(secrets.length).toBeGreaterThan(100);
    // Control: clear fields (Chinese text) are found by the same search, so an absence means something.
    expect(state).toContain("闯红灯");
    expect(txs).toContain("闯红灯");
    for (const s of [...secrets, "测试人"]) {
      expect(state.includes(s), `state_records holds ${s}`).toBe(false);
      expect(txs.includes(s), `ledger_txs holds ${s}`).toBe(false);
    }
    const rec = (await db.query<{ v: string }>("SELECT value::text AS v FROM state_records WHERE ns = 'dsrec' AND key = 'identity.registry/p-00001'")).rows[0].v;
    const sealed = JSON.parse(rec) as { sealed: Record<string, { $sealed: string; c: string }>; attrs: Record<string, unknown> };
    expect(Object.keys(sealed.sealed).sort()).toEqual(["address", "idNumber", "name"]);
    for (const v of Object.values(sealed.sealed)) expect(v).toMatchObject({ $sealed: "A256GCM", c: expect.stringMatching(/^[A-Za-z0-9+/]{20,}={0,2}$/) });
    expect(Object.keys(sealed.attrs).sort()).toEqual(["authority", "cardExpires", "cardIssued", "cardStatus", "district", "personId"]);
  });

  it("the owner's admin shares directly: the grantee reads at once, sealed fields opened with its own wrap", async () => {
    const fa = await h.as("futian.admin");
    expect(await codeOf(fa.sharing.grant({ dataset: "tp.violations", dept: "sz.futian.tp", fields: ["caseNo"], purpose: "越权共享", durationDays: 3 }))).toMatch(/^BAD_REQUEST: only the owner department sz\.tp may grant/);
    const { id } = await (await h.as("tp.admin")).sharing.grant({ dataset: "tp.violations", dept: "sz.nanshan.tp", fields: ["caseNo", "district", "partyPhone"], purpose: "南山辖区联合执法", durationDays: 3, rowFilter: { district: "sz.nanshan" } });
    const L = h.services.ledger;
    const res = await readDataset(L, { id: "nanshan.sup", dept: "sz.nanshan.tp", role: "supervisor", clearance: 3 }, "tp.violations", { purpose: "南山辖区联合执法" });
    expect(res).toMatchObject({ basis: "grant", grant: id });
    const expected = demoRecords("tp.violations", 0).filter((r) => r.attrs.district === "sz.nanshan");
    expect(res.rows.map((r) => r.partyPhone).sort()).toEqual(expected.map((r) => r.sealed.partyPhone).sort());
  });

  it("the auditor's replay of the whole ledger (grants, key rotations, sealed records, reads) matches the state tables", async () => {
    const report = await verifyLedger(h.services.ledger.node.store);
    expect(report.ok, JSON.stringify(report).slice(0, 500)).toBe(true);
  });
});
