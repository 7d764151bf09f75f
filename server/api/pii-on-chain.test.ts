/**
 * Personal data of dispatch and vehicle supervision on the ledger (audit issue 18, items 2 and 4),
 * on PGlite and PostgreSQL: incident callers, driver names and licence numbers reach the ledger and
 * the projection sealed, demo staff credentials sealed; the caller is read through the sharing
 * policy (withheld with the reason, or shown and logged as a `data.read`); the auditor's replay
 * still matches.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IncidentRecord } from "../../chain/contracts/dispatch";
import { verifyLedger } from "../../chain/verify";
import { BACKENDS, openTestDb, type TestDb } from "../../test/helpers/db";
import { seedDispatchDemo } from "../dispatch/demo-data";
import { readDataset } from "../sharing/policy";
import { createHarness, type Harness } from "../testing/harness";
import { registerDriver } from "../vehicles/drivers";
import { openVehicleServices, type VehicleServices } from "../vehicles/service";

const CALLER = "王先生 13912345678";
const DRIVER = { id: "d-pii-test", name: "钱多多", company: "didi", licence: { no: "网驾PII0001", status: "valid" as const }, vehicles: [] };
/** Clear values that must not be anywhere on the ledger: the new caller and driver, the demo drivers' names and licence numbers, scrypt hashes. */
const NEEDLES = ["王先生", "13912345678", DRIVER.name, DRIVER.licence.no, "网约车司机", "吊销资格司机", "网驾", "scrypt$"];

describe.each(BACKENDS)("personal data on the ledger on %s", (backend) => {
  let t: TestDb;
  let h: Harness;
  let vs: VehicleServices;
  let incident: string;

  /** Every needle found in a transaction body or a projected value, with where. */
  async function clearPii(): Promise<string[]> {
    const db = h.services.ledger.db;
    const txs = await db.query<{ seq: number; type: string; body: string }>("SELECT seq, type, body FROM ledger_txs ORDER BY seq");
    const state = await db.query<{ ns: string; key: string; v: string }>("SELECT ns, key, value::text AS v FROM state_records ORDER BY ns, key");
    const rows = [...txs.rows.map((r) => ({ at: `tx ${r.seq} ${r.type}`, text: r.body })), ...state.rows.map((r) => ({ at: `state ${r.ns}/${r.key}`, text: r.v }))];
    expect(txs.rows.length).toBeGreaterThan(100);
    const found: string[] = [];
    for (const { at, text } of rows) {
      // Also the text as parsed, should a writer have escaped non-ASCII characters.
      let decoded = text;
      try {
        decoded = JSON.stringify(JSON.parse(text));
      } catch {
        // not JSON: the raw text is what is stored
      }
      for (const n of NEEDLES) if (text.includes(n) || decoded.includes(n)) found.push(`${n} in ${at}`);
    }
    return found;
  }

  const dataReads = async () => (await h.services.ledger.db.query<{ body: string }>("SELECT body FROM ledger_txs WHERE type = 'data.read' ORDER BY seq")).rows.map((r) => JSON.parse(r.body) as { actor: string; purpose: string; payload: { dataset: string; fields: string[]; records: number; basis: string } });

  beforeAll(async () => {
    t = await openTestDb(backend);
    h = await createHarness(t.db);
    vs = await openVehicleServices(h.services.ledger, { demo: true, vehicles: 300, sweepMs: 0 });
    h.services.vehicles = vs;
    await seedDispatchDemo(h.services.ledger.node, h.services.ledger.keystore);
    const em = await h.as("em.dispatcher");
    ({ id: incident } = await em.dispatch.create({ type: "medical", severity: "high", lon: 114.0596, lat: 22.5427, address: "市民中心 B 区北门", notes: "胸痛", caller: CALLER }));
    await registerDriver(h.services.ledger, { id: "tr.operator", dept: "sz.transport" }, DRIVER);
  });
  afterAll(async () => {
    vs?.supervisor.close();
    await h?.services.ledger.node.close();
    await t?.dispose();
  });

  it("holds no clear caller, driver name, licence number or scrypt hash in ledger_txs or state_records", async () => {
    expect(await clearPii()).toEqual([]);
    const store = h.services.ledger.node.store;
    // What is there instead: ciphertext bound to the record, and the licence number's blind index.
    const inc = (await store.record<IncidentRecord>("incident", incident))!.value;
    expect(inc.caller).toBeUndefined();
    expect(inc.sealed?.caller).toMatchObject({ $sealed: "A256GCM", v: 1 });
    const driver = (await store.record<{ sealed: Record<string, { $sealed: string }>; index: { licenceNo: string }; licence: { status: string } }>("driver", DRIVER.id))!.value;
    expect(driver).toMatchObject({ licence: { status: "valid" }, sealed: { name: { $sealed: "A256GCM" }, licenceNo: { $sealed: "A256GCM" } } });
    expect(driver.index.licenceNo).toMatch(/^[0-9a-f]{32}$/);
    const staff = (await store.record<{ credential: string }>("user", "futian.crew"))!.value;
    expect(staff.credential).toMatch(/^sealed\$/);
  });

  it("takes a call with a caller from another emergency bureau, sealed the same way", async () => {
    const nanshan = await h.as("nanshan.dispatcher");
    const { id } = await nanshan.dispatch.create({ type: "fire", severity: "medium", lon: 113.95, lat: 22.52, address: "南山 科技园", notes: "", caller: "赵女士 13600000000" });
    const inc = (await h.services.ledger.node.store.record<IncidentRecord>("incident", id))!.value;
    expect(inc).toMatchObject({ lead: "fire", sealed: { caller: { $sealed: "A256GCM" } } });
    expect(JSON.stringify(inc)).not.toContain("13600000000");
    expect(await (await h.as("admin")).dispatch.revealCaller({ id })).toEqual({ id, caller: "赵女士 13600000000" });
  });

  it("lets the dispatch demo staff sign in with their sealed credentials", async () => {
    const { caller } = await h.anonymous("198.51.100.77");
    await expect(caller.auth.signIn({ username: "futian.crew", password: "Demo@2026" })).resolves.toMatchObject({ id: "futian.crew" });
  });

  it("refuses a clear caller or a clear driver name once the catalogue seals them", async () => {
    const L = h.services.ledger;
    await expect(L.submitAs({ id: "em.dispatcher", dept: "sz.emergency" }, "incident.create", { id: "inc-20260101-clear001", type: "fire", severity: "low", lon: 114.06, lat: 22.54, address: "x", caller: "13800000000" })).rejects.toThrow(/caller of incidents is sensitive and must be sealed/);
    await expect(L.submitAs({ id: "tr.operator", dept: "sz.transport" }, "driver.register", { id: "d-clear-0001", name: "明文司机", company: "didi", licence: { status: "valid" }, vehicles: [] })).rejects.toThrow(/name of drivers is sensitive and must be sealed/);
  });

  it("withholds the caller from a clearance-1 viewer in dispatch.incidents and dispatch.incident, with the policy's reason, and logs nothing", async () => {
    const before = (await dataReads()).length;
    const viewer = await h.as("tp.viewer");
    const row = (await viewer.dispatch.incidents({ status: "active", limit: 100 })).find((i) => i.id === incident)!;
    expect(row).not.toHaveProperty("caller");
    expect(row).not.toHaveProperty("sealed");
    expect(row.hidden).toEqual([{ name: "caller", reason: expect.stringMatching(/holds no grant on incidents/) }]);
    const one = await viewer.dispatch.incident({ id: incident });
    expect(one).not.toHaveProperty("caller");
    expect(one).not.toHaveProperty("sealed");
    expect(one.hidden).toEqual([{ name: "caller", reason: expect.stringMatching(/holds no grant on incidents/) }]);
    expect(JSON.stringify(one)).not.toContain("13912345678");
    // The owner's dispatcher reads incidents, but the caller is above their clearance.
    const em = await h.as("em.dispatcher");
    expect((await em.dispatch.incident({ id: incident })).hidden).toEqual([{ name: "caller", reason: "sensitivity 4 > clearance 2 密级不足" }]);
    // Asking explicitly changes nothing: refused with the same reason.
    await expect(viewer.dispatch.revealCaller({ id: incident })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/holds no grant on incidents/) });
    await expect(em.dispatch.revealCaller({ id: incident })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/密级不足/) });
    expect((await dataReads()).length).toBe(before);
  });

  it("shows the caller to a reader the policy allows (hierarchy, clearance 4) only when asked, each ask one data.read of the caller field", async () => {
    const admin = await h.as("admin");
    const before = (await dataReads()).length;
    // The console polls the list and the incident: those reads never open the caller, so they log nothing.
    for (let i = 0; i < 3; i++) {
      const one = await admin.dispatch.incident({ id: incident });
      expect(one).not.toHaveProperty("caller");
      expect(one.hidden).toEqual([{ name: "caller", reason: expect.stringMatching(/show caller/), revealable: true }]);
      const row = (await admin.dispatch.incidents({ status: "active", limit: 100 })).find((x) => x.id === incident)!;
      expect(row).not.toHaveProperty("caller");
      expect(row.hidden[0]).toMatchObject({ name: "caller", revealable: true });
    }
    expect((await dataReads()).length).toBe(before);
    expect(await admin.dispatch.revealCaller({ id: incident })).toEqual({ id: incident, caller: CALLER });
    let reads = await dataReads();
    expect(reads.length).toBe(before + 1);
    expect(reads.at(-1)).toMatchObject({ actor: "admin", purpose: "警情报警人查看 incident caller", payload: { dataset: "incidents", basis: "hierarchy", fields: ["caller"], records: 1 } });
    await admin.dispatch.revealCaller({ id: incident });
    reads = await dataReads();
    expect(reads.length).toBe(before + 2);
  });

  it("reads drivers through the policy: name and licence number opened within clearance, found by licence number through the blind index", async () => {
    const L = h.services.ledger;
    // The owner's operator (clearance 2) sees the driver, not the name or number (sensitivity 3).
    const own = await (await h.as("tr.operator")).sharing.read({ id: "drivers", q: DRIVER.id, limit: 5, offset: 0 });
    expect(own.rows).toEqual([expect.objectContaining({ id: DRIVER.id, company: "didi", licence: { status: "valid" } })]);
    expect(own.rows[0]).not.toHaveProperty("name");
    expect(own.hidden.map((x) => x.name).sort()).toEqual(["licenceNo", "name"]);
    // The traffic police's supervisor (clearance 3, statutory share) sees both, and finds the driver by licence number.
    const tp = { id: "tp.supervisor", dept: "sz.tp", role: "supervisor" as const, clearance: 3 };
    const found = await readDataset(L, tp, "drivers", { purpose: "核查网约车驾驶员 check a driver", match: { field: "licenceNo", value: DRIVER.licence.no } });
    expect(found.rows).toEqual([expect.objectContaining({ id: DRIVER.id, name: DRIVER.name, licenceNo: DRIVER.licence.no })]);
    expect(found.audit).not.toBeNull();
    const demo = await readDataset(L, tp, "drivers", { purpose: "核查网约车驾驶员 check a driver", match: { field: "licenceNo", value: "网驾REVOKED" } });
    expect(demo.rows).toEqual([expect.objectContaining({ id: "d-revoked-0001", name: "吊销资格司机", licence: { status: "revoked" } })]);
    expect((await dataReads()).at(-1)!.payload).toMatchObject({ dataset: "drivers", basis: "grant" });
  });

  it("replays: verify matches every projection of the sealed records", async () => {
    const report = await verifyLedger(h.services.ledger.node.store);
    expect(report.ok, JSON.stringify(report.error)).toBe(true);
  });
});
