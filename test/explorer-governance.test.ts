/**
 * The explorer reads through the sharing policy (issue 18, item 1), on PGlite and PostgreSQL: an ID
 * check, a person's registry record, its blind index and a driver's sealed name are withheld (with
 * the policy's reason) from officials outside the owner's line; the owner sees non-sensitive fields,
 * reveals sensitive ones by a mutation that writes one `data.read`; receipts carrying withheld
 * fields are refused; summaries never put a withheld value in their subject line.
 */
import { clientErrorOf } from "../server/api/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGISTRY } from "../chain/contracts/identity";
import { idCheckDigit } from "../lib/id-number";
import { enrolPeople } from "../server/identity/registry";
import { createHarness, type Harness } from "../server/testing/harness";
import { openVehicleServices, type VehicleServices } from "../server/vehicles/service";
import { REVOKED_DRIVER } from "../server/vehicles/demo-data";
import { BACKENDS, openTestDb, type TestDb } from "./helpers/db";

const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e) => {
    const c = clientErrorOf(e);
    return c ? `${c.code}: ${c.message}` : Promise.reject(e);
  });
const ID_NUMBER = "44030419850704123" + idCheckDigit("44030419850704123");
const PERSON = { key: "p-x0001", attrs: { personId: "p-x0001", cardStatus: "valid", cardIssued: "2020-01-01", cardExpires: "2040-01-01", authority: "深圳市公安局福田分局", district: "sz.futian" }, sealed: { name: "欧阳治理", idNumber: ID_NUMBER, address: "深圳市福华路77号" } };
const PURPOSE = "旅客入住登记 hotel check-in registration";
const SITE = "hotel.futian-cbd";

type Value = Record<string, unknown>;
const withheld = (v: unknown) => !!v && typeof v === "object" && (v as { withheld?: boolean }).withheld === true;
const reasonOf = (v: unknown) => (v as { reason: string }).reason;
const dataReads = async (h: Harness) => (await h.services.ledger.db.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_txs WHERE type = 'data.read'")).rows[0].n;

describe.each(BACKENDS)("explorer through the sharing policy on %s", (backend) => {
  let t: TestDb;
  let h: Harness;
  let vs: VehicleServices;
  let checkId: string;
  let checkHash: string;

  beforeAll(async () => {
    t = await openTestDb(backend);
    h = await createHarness(t.db);
    const L = h.services.ledger;
    vs = await openVehicleServices(L, { demo: true, vehicles: 60, sweepMs: 0 });
    h.services.vehicles = vs;
    await enrolPeople(L, { id: "psb.operator", dept: "sz.psb" }, [PERSON], "登记测试人员 enrol test people");
    const res = await (await h.as("futian.psb.desk")).identity.verify({ idNumber: ID_NUMBER, name: PERSON.sealed.name, purpose: PURPOSE, site: SITE });
    checkId = res.check;
    checkHash = res.hash;
  });
  afterAll(async () => {
    vs?.supervisor.close();
    await h?.services.ledger.node.close();
    await t?.dispose();
  });

  it("withholds an ID check from a traffic officer, with the policy's reason, in the record, the transaction and its subject", async () => {
    const tp = await h.as("tp.operator");
    const rec = await tp.explorer.history({ ns: "idcheck", key: checkId });
    const cur = rec.current as Value;
    for (const f of ["record", "purpose", "site", "result", "verifier"]) {
      expect(withheld(cur[f]), f).toBe(true);
      expect(reasonOf(cur[f])).toMatch(/no grant on identity\.verifications/);
    }
    expect(rec.revealable).toBe(false);
    expect(JSON.stringify(rec)).not.toContain(PERSON.key);
    expect(JSON.stringify(rec)).not.toContain(PURPOSE);

    const tx = await tp.explorer.tx({ hash: checkHash });
    expect(withheld(tx.tx.purpose)).toBe(true);
    const payload = tx.tx.payload as Value;
    expect(withheld(payload.record) && withheld(payload.idIndex) && withheld(payload.nameIndex) && withheld(payload.site)).toBe(true);
    expect(JSON.stringify(tx)).not.toContain(PERSON.key);
    expect(JSON.stringify(tx)).not.toContain("福田中心区旅馆业登记点");
    expect(tx.receiptRestricted).toBe(true);
    expect(await codeOf(tp.explorer.receipt({ hash: checkHash }))).toMatch(/^FORBIDDEN: .*identity\.verifications\.record/);
    expect(await codeOf(tp.explorer.reveal({ kind: "tx", hash: checkHash, purpose: "curious" }))).toBe("OK");
    const again = await tp.explorer.reveal({ kind: "tx", hash: checkHash, purpose: "curious" });
    expect(withheld((again.value as Value).record)).toBe(true);
    expect(again.audit).toEqual([]);

    const latest = await tp.explorer.latestTxs({ limit: 50, type: "identity.verify" });
    expect(latest.length).toBeGreaterThan(0);
    for (const s of latest) expect(s.subject).toContain("•••");
  });

  it("withholds the registry record, its blind index and the person's last sighting outside the owner", async () => {
    const tp = await h.as("tp.supervisor");
    const rec = await tp.explorer.history({ ns: "dsrec", key: `${REGISTRY}/${PERSON.key}` });
    const cur = rec.current as { attrs: Value; sealed: Value; index: Value };
    expect(withheld(cur.attrs.cardStatus) && withheld(cur.attrs.district) && withheld(cur.sealed.name) && withheld(cur.index.idNumber)).toBe(true);
    const idx = Object.values(cur.index)[0];
    expect(withheld(idx)).toBe(true);
    const seen = await tp.explorer.history({ ns: "idseen", key: PERSON.key });
    expect(JSON.stringify(seen.current)).not.toContain(SITE);
    expect(withheld((seen.current as Value).last)).toBe(true);
  });

  it("shows the owner non-sensitive fields, and reveals sensitive ones only by a logged mutation", async () => {
    const psb = await h.as("psb.supervisor");
    const before = await dataReads(h);
    const rec = await psb.explorer.history({ ns: "idcheck", key: checkId });
    const cur = rec.current as Value;
    expect(cur.id).toBe(checkId);
    expect(cur.dept).toBe("sz.futian.psb");
    expect(withheld(cur.record)).toBe(true);
    expect(reasonOf(cur.record)).toMatch(/reveal/);
    expect(rec.revealable).toBe(true);
    // Reading (and refetching) never writes.
    await psb.explorer.history({ ns: "idcheck", key: checkId });
    expect(await dataReads(h)).toBe(before);

    expect(await codeOf(psb.explorer.reveal({ kind: "record", ns: "idcheck", key: checkId, purpose: "" }))).toMatch(/^BAD_REQUEST/);
    const shown = await psb.explorer.reveal({ kind: "record", ns: "idcheck", key: checkId, purpose: "核查异常核验 review an anomalous check" });
    expect((shown.value as Value).record).toBe(PERSON.key);
    expect(shown.audit).toHaveLength(1);
    expect(await dataReads(h)).toBe(before + 1);
    const log = await psb.explorer.tx({ hash: shown.audit[0].hash });
    expect(log.tx.type).toBe("data.read");
    expect((log.tx.payload as Value).dataset).toBe("identity.verifications");
    expect((log.tx.payload as Value).fields).toContain("record");

    // The registry record: the sealed name opens with the owner department's key.
    const person = await psb.explorer.reveal({ kind: "record", ns: "dsrec", key: `${REGISTRY}/${PERSON.key}`, purpose: "核查异常核验 review an anomalous check" });
    const v = person.value as { sealed: Value; index: Value };
    expect(v.sealed.name).toBe(PERSON.sealed.name);
    expect(v.sealed.idNumber).toBe(ID_NUMBER);
    expect(withheld(v.index.idNumber)).toBe(true);

    // A receipt carries sensitive fields in full: granted to the owner, and logged.
    const n = await dataReads(h);
    const receipt = await psb.explorer.receipt({ hash: checkHash });
    expect(receipt.tx.hash).toBe(checkHash);
    expect(await dataReads(h)).toBe(n + 1);
  });

  it("withholds a driver's sealed name by clearance from the owner's operator, and opens it for the city admin", async () => {
    const tr = await h.as("tr.operator");
    const rec = await tr.explorer.history({ ns: "driver", key: REVOKED_DRIVER });
    const cur = rec.current as { company: unknown; sealed: Value; index?: Value };
    expect(withheld(cur.company)).toBe(false);
    expect(reasonOf(cur.sealed.name)).toMatch(/sensitivity 3 > clearance 2/);
    expect(rec.revealable).toBe(false);

    const admin = await h.as("admin");
    const shown = await admin.explorer.reveal({ kind: "record", ns: "driver", key: REVOKED_DRIVER, purpose: "资质复核 licence review" });
    const name = (shown.value as { sealed: Value }).sealed.name;
    expect(typeof name).toBe("string");
    expect(name).toBe("吊销资格司机");
  });

  it("keeps namespaces outside the catalogue as they were (credentials still redacted)", async () => {
    const admin = await h.as("admin");
    const dept = await admin.explorer.history({ ns: "dept", key: "sz.tp" });
    expect((dept.current as Value).id).toBe("sz.tp");
    const user = await admin.explorer.history({ ns: "user", key: "tp.viewer" });
    expect((user.current as Value).credential).toBe("[redacted]");
    expect(await codeOf(admin.explorer.history({ ns: "constructor", key: "x" }))).toBe("OK");
  });
});
