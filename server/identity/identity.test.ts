/**
 * ID verification end to end through tRPC on the seeded city, on PGlite and PostgreSQL: the check
 * digit, every answer, duplicate concurrent use, grants, rate limits, the anomaly workflow, the
 * photo anchor, the owner's access review, and a scan of the whole database for clear identities.
 */
import { clientErrorOf } from "../api/errors";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { assessDuplicate, distanceKm, REGISTRY, type IdCheck } from "../../chain/contracts/identity";
import { verifyLedger } from "../../chain/verify";
import { idCheckDigit, idNumberProblem } from "../../lib/id-number";
import { siteById } from "../../lib/identity-sites";
import { BACKENDS, openTestDb, type TestDb } from "../../test/helpers/db";
import { CREDENTIAL } from "../../test/helpers/ledger";
import { createHarness, type Harness } from "../testing/harness";
import { demoRecords } from "../sharing/catalogue";
import { submitAsSystem } from "../sharing/keys";
import { enrolPeople, indexesOf, indexKey } from "./registry";

const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e) => {
    const c = clientErrorOf(e);
    return c ? `${c.code}: ${c.message}` : Promise.reject(e);
  });
const PURPOSE = "旅客入住登记 hotel check-in registration";
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const PNG2 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

const people = demoRecords(REGISTRY, 0);
const byStatus = (s: string) => people.find((p) => p.attrs.cardStatus === s)!;
const validPeople = people.filter((p) => p.attrs.cardStatus === "valid");
/** A well-formed number nobody is enrolled under. */
const first17 = "44030519991231999";
const UNKNOWN = first17 + idCheckDigit(first17);

/** Test people with names that occur nowhere else, so a scan of the database for them cannot hit by chance. */
const MARKED = [
  { key: "p-t0001", attrs: { personId: "p-t0001", cardStatus: "valid", cardIssued: "2020-01-01", cardExpires: "2040-01-01", authority: "深圳市公安局福田分局", district: "sz.futian" }, sealed: { name: "司马测验甲", idNumber: "", address: "深圳市福华路99号" } },
  { key: "p-t0002", attrs: { personId: "p-t0002", cardStatus: "reported_stolen", cardIssued: "2020-01-01", cardExpires: "2040-01-01", authority: "深圳市公安局南山分局", district: "sz.nanshan" }, sealed: { name: "上官测验乙", idNumber: "", address: "深圳市科苑路88号" } },
];
MARKED[0].sealed.idNumber = "44030419850704123" + idCheckDigit("44030419850704123");
MARKED[1].sealed.idNumber = "44030519770311456" + idCheckDigit("44030519770311456");

describe("ID numbers and duplicate use (pure)", () => {
  it("validates the GB 11643 check character and says what is wrong", () => {
    const good = MARKED[0].sealed.idNumber;
    expect(idNumberProblem(good)).toBeNull();
    expect(idNumberProblem(good.slice(0, 17).padEnd(18, good[17] === "0" ? "1" : "0"))).toMatch(/校验码错误.*check character mismatch: expected/);
    expect(idNumberProblem("4403041985070412")).toMatch(/18 位.*got 16 characters/);
    expect(idNumberProblem("440304198502301234")).toMatch(/出生日期 19850230 无效/);
    expect(idNumberProblem("990304198507041234")).toMatch(/unknown region code/);
    expect(idNumberProblem(`${first17.slice(0, 16)}9x`.replace(/9x$/, "9" + idCheckDigit(first17).toLowerCase()))).toBeNull();
  });

  it("flags two checks only beyond minKm and strictly above maxKmh", () => {
    const a = { lon: 114.059, lat: 22.534 };
    const b = { lon: 113.8145, lat: 22.6248 };
    const km = Math.round(distanceKm(a, b) * 1000) / 1000;
    expect(km).toBeGreaterThan(20);
    const rule = { maxKmh: 350, minKm: 1 };
    const atLimitMs = (km / rule.maxKmh) * 3_600_000;
    const prev = { check: "idc-00000000", time: 0, ...a, site: "A", dept: "d" };
    expect(assessDuplicate(prev, { time: atLimitMs * 1.001, ...b }, rule)).toBeNull();
    expect(assessDuplicate(prev, { time: atLimitMs * 0.999, ...b }, rule)).toMatchObject({ km });
    // Order of the two checks does not matter; the same instant is infinitely fast.
    expect(assessDuplicate({ ...prev, time: atLimitMs * 0.999 }, { time: 0, ...b }, rule)).not.toBeNull();
    expect(assessDuplicate(prev, { time: 0, ...b }, rule)).toMatchObject({ kmh: null, minutes: 0 });
    // Distance boundary: at exactly minKm it is not a conflict, however fast.
    expect(assessDuplicate(prev, { time: 1, ...b }, { maxKmh: 350, minKm: km })).toBeNull();
    expect(assessDuplicate(prev, { time: 1, ...b }, { maxKmh: 350, minKm: km - 0.001 })).not.toBeNull();
    expect(assessDuplicate(undefined, { time: 1, ...b }, rule)).toBeNull();
  });
});

describe.each(BACKENDS)("ID verification on %s", (backend) => {
  let t: TestDb;
  let h: Harness;
  const made: string[] = [];
  const logged: string[] = [];

  beforeAll(async () => {
    t = await openTestDb(backend);
    h = await createHarness(t.db);
    const L = h.services.ledger;
    await enrolPeople(L, { id: "psb.operator", dept: "sz.psb" }, MARKED, "登记测试人员 enrol test people");
    // A health bureau created after start-up: it holds no verification grant.
    await submitAsSystem(L, "dept.create", { id: "sz.luohu.health", parent: "sz.luohu", name: "罗湖区卫生健康局", nameEn: "Luohu Health Bureau", kind: "bureau", bureau: "health" }, "test");
    await L.registerDeptKey({ id: "admin", dept: "sz" }, "sz.luohu.health");
    await submitAsSystem(L, "user.create", { id: "luohu.health.desk", dept: "sz.luohu.health", name: "罗湖医院挂号员", role: "operator", clearance: 2, credential: CREDENTIAL }, "test");
    for (const m of ["log", "info", "warn", "error", "debug"] as const) vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void logged.push(a.map(String).join(" ")));
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await h?.services.ledger.node.close();
    await t?.dispose();
  });

  async function check(user: string, idNumber: string, name: string, site = "hotel.futian-cbd", extra: Record<string, unknown> = {}) {
    const res = await (await h.as(user)).identity.verify({ idNumber, name, purpose: PURPOSE, site, ...extra });
    made.push(res.check);
    return res;
  }

  it("rejects a bad check digit with a clear error, before any lookup", async () => {
    const bad = MARKED[0].sealed.idNumber.slice(0, 17) + (MARKED[0].sealed.idNumber[17] === "1" ? "2" : "1");
    const before = (await h.services.ledger.db.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_txs WHERE type = 'identity.verify'")).rows[0].n;
    expect(await codeOf((await h.as("futian.psb.desk")).identity.verify({ idNumber: bad, name: "司马测验甲", purpose: PURPOSE, site: "hotel.futian-cbd" }))).toMatch(/^BAD_REQUEST: [\s\S]*校验码错误/);
    expect(await codeOf((await h.as("futian.psb.desk")).identity.verify({ idNumber: MARKED[0].sealed.idNumber, name: "司马测验甲", purpose: "", site: "hotel.futian-cbd" }))).toMatch(/^BAD_REQUEST: [\s\S]*purpose/);
    expect(await codeOf((await h.as("futian.psb.desk")).identity.verify({ idNumber: MARKED[0].sealed.idNumber, name: "司马测验甲", purpose: PURPOSE, site: "nowhere" }))).toMatch(/^BAD_REQUEST: [\s\S]*unknown verification site/);
    expect((await h.services.ledger.db.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_txs WHERE type = 'identity.verify'")).rows[0].n).toBe(before);
  });

  it("answers each status, a name mismatch and an unknown number; the verifier sees the answer only", async () => {
    const cases: [string, string, string][] = [
      [validPeople[0].sealed.idNumber, validPeople[0].sealed.name, "valid"],
      [byStatus("expired").sealed.idNumber, byStatus("expired").sealed.name, "expired"],
      [byStatus("reported_lost").sealed.idNumber, byStatus("reported_lost").sealed.name, "reported_lost"],
      [byStatus("reported_stolen").sealed.idNumber, byStatus("reported_stolen").sealed.name, "reported_stolen"],
      [byStatus("revoked").sealed.idNumber, byStatus("revoked").sealed.name, "revoked"],
      [validPeople[1].sealed.idNumber, validPeople[1].sealed.name + "华", "name_mismatch"],
      [UNKNOWN, "王测", "not_found"],
      // As people type it: spaces, a lower-case x; the name with a space.
      [` ${validPeople[2].sealed.idNumber.slice(0, 6)} ${validPeople[2].sealed.idNumber.slice(6).toLowerCase()} `, `${validPeople[2].sealed.name[0]} ${validPeople[2].sealed.name.slice(1)}`, "valid"],
    ];
    for (const [num, name, want] of cases) {
      const res = await check("futian.psb.desk", num, name, "hotel.futian-cbd");
      expect(res.result, `${want}`).toBe(want);
      expect(JSON.stringify(res)).not.toContain(num.trim());
      expect(res).not.toHaveProperty("record");
    }
    const mine = await (await h.as("futian.psb.desk")).identity.mine();
    expect(mine.checks.slice(0, cases.length).map((c) => c.result).reverse()).toEqual(cases.map((c) => c[2]));
    expect(mine.checks[0]).not.toHaveProperty("record");
  });

  it("flags duplicate concurrent use across sites too far apart, and alerts the owner's officer", async () => {
    const p = validPeople[5];
    const first = await check("futian.psb.desk", p.sealed.idNumber, p.sealed.name, "hotel.futian-cbd");
    expect(first.duplicate).toBe(false);
    // The same desk again a moment later: same place, no conflict.
    expect((await check("futian.psb.desk", p.sealed.idNumber, p.sealed.name, "hotel.futian-cbd")).duplicate).toBe(false);
    const far = await check("tr.operator", p.sealed.idNumber, p.sealed.name, "hub.bao-an-airport");
    expect(far.result).toBe("valid");
    // The desk learns that the card is in use elsewhere, not where.
    expect(far.duplicate).toBe(true);
    expect(far.alert).toMatch(/^ida-/);
    const { alerts, names } = await (await h.as("psb.supervisor")).identity.alerts({ status: "open" });
    const alert = alerts.find((a) => a.id === far.alert)!;
    expect(alert).toMatchObject({ kind: "duplicate_use", severity: "critical", owner: "sz.psb", verifierDept: "sz.transport", status: "open" });
    expect(alert.duplicate).toMatchObject({ check: made[made.length - 2], site: siteById("hotel.futian-cbd")!.name, dept: "sz.futian.psb" });
    expect(alert.duplicate!.km).toBeCloseTo(distanceKm(siteById("hotel.futian-cbd")!, siteById("hub.bao-an-airport")!), 2);
    expect(names.depts["sz.transport"].name).toBe("深圳市交通运输局");
  });

  it("raises an alert for a stolen card; the officer acknowledges and confirms, a dismissal needs a reason", async () => {
    const res = await check("futian.health.desk", MARKED[1].sealed.idNumber, MARKED[1].sealed.name, "hospital.pku-sz");
    expect(res.result).toBe("reported_stolen");
    expect(res.alert).toMatch(/^ida-/);
    const sup = await h.as("psb.supervisor");
    // The home inbox of the owner's officers shows the check that raised it.
    expect((await sup.portal.alerts({ limit: 20 })).some((e) => e.type === "identity.verify" && e.subject.startsWith(res.check))).toBe(true);
    expect(await codeOf(sup.identity.act({ id: res.alert!, action: "dismiss" }))).toMatch(/^BAD_REQUEST: [\s\S]*reason/);
    expect(await codeOf((await h.as("futian.psb.desk")).identity.act({ id: res.alert!, action: "acknowledge" }))).toMatch(/^FORBIDDEN/);
    await sup.identity.act({ id: res.alert!, action: "acknowledge" });
    await sup.identity.act({ id: res.alert!, action: "assign", assignee: "psb.operator" });
    expect(await codeOf(sup.identity.act({ id: res.alert!, action: "assign", assignee: "tp.operator" }))).toMatch(/not an active officer of sz.psb/);
    await (await h.as("psb.operator")).identity.act({ id: res.alert!, action: "confirm", note: "已联系失主，证件已收缴 owner contacted, card seized" });
    const closed = (await sup.identity.alerts({ status: "closed" })).alerts.find((a) => a.id === res.alert)!;
    expect(closed.status).toBe("confirmed");
    expect(closed.steps.map((s) => s.action)).toEqual(["raise", "acknowledge", "assign", "confirm"]);
    expect(await codeOf(sup.identity.act({ id: res.alert!, action: "dismiss", note: "误报 false alarm" }))).toMatch(/is confirmed; cannot dismiss/);
  });

  it("refuses a department without a verification grant, on the server and in the contract", async () => {
    expect(await codeOf((await h.as("luohu.health.desk")).identity.verify({ idNumber: validPeople[0].sealed.idNumber, name: validPeople[0].sealed.name, purpose: PURPOSE, site: "hospital.sz-people" }))).toMatch(
      /^FORBIDDEN: .*sz.luohu.health holds no ID verification grant/,
    );
    const desk = await (await h.as("luohu.health.desk")).identity.desk();
    expect(desk.basis.ok).toBe(false);
    // Submitted directly, naming another department's grant, the contract refuses it.
    const L = h.services.ledger;
    const futianGrant = (await (await h.as("futian.health.desk")).identity.desk()).basis;
    expect(futianGrant).toMatchObject({ ok: true });
    const ix = indexesOf(await indexKey(L), validPeople[0].sealed.idNumber, validPeople[0].sealed.name);
    const site = { id: "hospital.sz-people", name: "深圳市人民医院挂号处", lon: 114.12, lat: 22.555 };
    const payload = { id: "idc-forged0001", idIndex: ix.idNumber, nameIndex: ix.name, record: validPeople[0].key, site, grant: (futianGrant as { grant: string }).grant };
    await expect(L.submitAs({ id: "luohu.health.desk", dept: "sz.luohu.health" }, "identity.verify", payload, PURPOSE)).rejects.toThrow(/is not sz.luohu.health's grant/);
    const { grant: _g, ...ungranted } = payload;
    await expect(L.submitAs({ id: "luohu.health.desk", dept: "sz.luohu.health" }, "identity.verify", { ...ungranted, id: "idc-forged0002" }, PURPOSE)).rejects.toThrow(/holds no verification grant/);
    // Pointing the check at another person's record than the number indexes is refused too.
    await expect(L.submitAs({ id: "futian.health.desk", dept: "sz.futian.health" }, "identity.verify", { ...payload, record: validPeople[1].key }, PURPOSE)).rejects.toThrow(/number indexes/);
    // Departments outside ID verification do not reach the procedure at all.
    expect(await codeOf((await h.as("nanshan.dispatcher")).identity.verify({ idNumber: validPeople[0].sealed.idNumber, name: "x", purpose: PURPOSE, site: "hotel.futian-cbd" }))).toMatch(/^FORBIDDEN/);
  });

  it("limits each verifier's rate by the owner's rule", async () => {
    const L = h.services.ledger;
    await submitAsSystem(L, "user.create", { id: "futian.health.desk2", dept: "sz.futian.health", name: "福田医院挂号员乙", role: "operator", clearance: 2, credential: CREDENTIAL }, "test");
    await L.submitAs({ id: "admin", dept: "sz" }, "rule.set", { name: "identity.rateLimit", value: { perMinute: 3, perDay: 100 } }, "test");
    try {
      const p = validPeople[8];
      for (let i = 0; i < 3; i++) await check("futian.health.desk2", p.sealed.idNumber, p.sealed.name, "hospital.pku-sz");
      expect(await codeOf((await h.as("futian.health.desk2")).identity.verify({ idNumber: p.sealed.idNumber, name: p.sealed.name, purpose: PURPOSE, site: "hospital.pku-sz" }))).toMatch(/^TOO_MANY_REQUESTS: .*3\/min/);
      // Another verifier is not held up.
      expect((await check("tr.operator", p.sealed.idNumber, p.sealed.name, "hub.futian-station")).result).toBe("valid");
    } finally {
      await L.submitAs({ id: "admin", dept: "sz" }, "rule.set", { name: "identity.rateLimit", value: { perMinute: 20, perDay: 600 } }, "test");
    }
  });

  it("anchors the document photo: the stored photo and a presented file prove unchanged; an edit is detected", async () => {
    const res = await check("tr.operator", MARKED[0].sealed.idNumber, MARKED[0].sealed.name, "hub.sz-north", { photo: { mime: "image/png", data: PNG } });
    expect(res.result).toBe("valid");
    expect(res.photo).toMatch(/^[0-9a-f]{64}$/);
    const tx = (await h.services.ledger.db.query<{ body: string }>("SELECT body FROM ledger_txs WHERE seq = $1", [res.seq])).rows[0];
    expect(JSON.parse(tx.body).payload.photo).toBe(res.photo);
    const tr = await h.as("tr.operator");
    expect(await tr.identity.photoCheck({ check: res.check })).toMatchObject({ stored: "unchanged", anchored: res.photo, presented: null });
    expect(await tr.identity.photoCheck({ check: res.check, photo: { mime: "image/png", data: PNG } })).toMatchObject({ presented: true });
    expect(await tr.identity.photoCheck({ check: res.check, photo: { mime: "image/png", data: PNG2 } })).toMatchObject({ presented: false });
    expect(await codeOf(tr.identity.verify({ idNumber: MARKED[0].sealed.idNumber, name: MARKED[0].sealed.name, purpose: PURPOSE, site: "hub.sz-north", photo: { mime: "image/jpeg", data: PNG } }))).toMatch(/^BAD_REQUEST: .*not a image\/jpeg/);
    // Another verifier may not probe someone else's check.
    expect(await codeOf((await h.as("futian.psb.desk")).identity.photoCheck({ check: res.check }))).toMatch(/^FORBIDDEN/);
    // Swap the stored photo for another (sealed the same way): the check shows it altered.
    const other = await check("tr.operator", MARKED[0].sealed.idNumber, MARKED[0].sealed.name, "hub.sz-north", { photo: { mime: "image/png", data: PNG2 } });
    const db = h.services.ledger.db;
    const { rows: saved } = await db.query<{ rows: string }>("SELECT json_agg(p)::text AS rows FROM identity_photos p WHERE hash = $1", [res.photo]);
    try {
      await db.query("UPDATE identity_photos SET sealed = (SELECT sealed FROM identity_photos WHERE hash = $2) WHERE hash = $1", [res.photo, other.photo]);
      expect(await tr.identity.photoCheck({ check: res.check })).toMatchObject({ stored: "altered" });
      await db.query("DELETE FROM identity_photos WHERE hash = $1", [res.photo]);
      expect(await tr.identity.photoCheck({ check: res.check })).toMatchObject({ stored: "missing" });
    } finally {
      await db.query("DELETE FROM identity_photos WHERE hash = $1", [res.photo]);
      await db.query("INSERT INTO identity_photos SELECT * FROM json_populate_recordset(NULL::identity_photos, $1::json)", [saved[0].rows]);
    }
    expect(await tr.identity.photoCheck({ check: res.check })).toMatchObject({ stored: "unchanged" });
  });

  it("lets the owner review every lookup and a person's record with who checked it; status changes apply at once", async () => {
    const sup = await h.as("psb.supervisor");
    const all = await sup.identity.checks({ limit: 200 });
    expect(all.total).toBe(made.length);
    expect(new Set(all.checks.map((c) => c.id))).toEqual(new Set(made.slice(-200)));
    expect(all.byDept["sz.futian.psb"]).toBeGreaterThan(5);
    expect(all.byResult.not_found).toBe(1);
    expect((await sup.identity.checks({ anomalies: true })).checks.every((c) => ["reported_stolen", "revoked", "reported_lost"].includes(c.result) || c.duplicate)).toBe(true);
    // Only the owner reviews: a district police supervisor (public security, clearance 3) is refused.
    await submitAsSystem(h.services.ledger, "user.create", { id: "ftpsb.sup", dept: "sz.futian.psb", name: "福田分局主管", role: "supervisor", clearance: 3, credential: CREDENTIAL }, "test");
    expect(await codeOf((await h.as("ftpsb.sup")).identity.checks())).toMatch(/^FORBIDDEN: .*only the registry owner/);

    const p = validPeople[5];
    const person = await sup.identity.person({ idNumber: p.sealed.idNumber, purpose: "核查重复使用告警 investigating a duplicate-use alert" });
    expect(person.found).toBe(true);
    if (!person.found) return;
    expect(person.person.name).toBe(p.sealed.name);
    expect(person.checks.map((c) => c.dept).sort()).toEqual(["sz.futian.psb", "sz.futian.psb", "sz.transport"]);
    expect(person.checks.every((c) => c.purpose === PURPOSE && c.verifier)).toBe(true);
    expect(person.history.map((x) => x.type)).toEqual(["identity.enrol"]);
    expect(person.audit).not.toBeNull();
    // The owner's lookup is itself on the ledger, naming the field searched and never the number.
    const read = JSON.parse((await h.services.ledger.db.query<{ body: string }>("SELECT body FROM ledger_txs WHERE seq = $1", [person.audit!.seq])).rows[0].body);
    expect(read.payload.query).toBe("match:idNumber");
    // psb.operator (clearance 3) handles alerts and statuses by record, but may not look people up by number.
    expect(await codeOf((await h.as("psb.operator")).identity.person({ idNumber: p.sealed.idNumber, purpose: "核查重复使用告警 investigating" }))).toMatch(/^FORBIDDEN: .*needs clearance 4 \(yours: 3\)/);

    await (await h.as("psb.operator")).identity.setStatus({ record: p.key, status: "reported_stolen", note: "本人报案被盗 reported stolen by the holder" });
    expect((await check("futian.psb.desk", p.sealed.idNumber, p.sealed.name, "hotel.futian-cbd")).result).toBe("reported_stolen");
    expect(await codeOf((await h.as("psb.operator")).identity.setStatus({ record: p.key, status: "reported_stolen", note: "again" }))).toMatch(/already reported_stolen/);
    expect(await codeOf((await h.as("tr.operator")).identity.setStatus({ record: p.key, status: "valid", note: "x" }))).toMatch(/^FORBIDDEN/);
    const again = await sup.identity.person({ idNumber: p.sealed.idNumber, purpose: "复核 review" });
    expect(again.found && again.history.map((x) => x.status)).toEqual(["reported_stolen", null]);
  });

  it("logs every lookup as its own transaction, and no clear ID number or name is anywhere in the database or the logs", async () => {
    const L = h.services.ledger;
    const txs = (await L.db.query<{ seq: string; actor: string; body: string }>("SELECT seq, actor, body FROM ledger_txs WHERE type = 'identity.verify' ORDER BY seq")).rows.map((r) => ({ ...r, body: JSON.parse(r.body) as { purpose?: string; payload: { id: string } } }));
    expect(txs.map((x) => x.body.payload.id).sort()).toEqual([...made].sort());
    const logs = (await L.db.query<{ value: IdCheck }>("SELECT value FROM state_records WHERE ns = 'idcheck'")).rows.map((r) => r.value);
    for (const c of logs) {
      const tx = txs.find((x) => Number(x.seq) === c.seq)!;
      expect(tx.actor).toBe(c.verifier);
      expect(tx.body.purpose).toBe(c.purpose);
    }
    const tables = (await L.db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.t);
    expect(tables).toEqual(expect.arrayContaining(["ledger_txs", "ledger_blocks", "state_records", "identity_photos", "auth_sessions"]));
    const dump = (await Promise.all(tables.map((t) => L.db.query<{ r: string }>(`SELECT x::text AS r FROM "${t}" x`)))).flatMap((q) => q.rows.map((r) => r.r)).join("\n");
    expect(dump.length).toBeGreaterThan(100_000);
    const secrets = [...people.map((p) => p.sealed.idNumber), ...MARKED.flatMap((p) => [p.sealed.idNumber, p.sealed.name, p.sealed.address]), UNKNOWN];
    for (const s of secrets) expect(dump.includes(s), s).toBe(false);
    for (const s of secrets) expect(logged.some((l) => l.includes(s)), `log: ${s}`).toBe(false);
  });

  it("replays: the auditor's verify recomputes every check's answer and matches the projections", async () => {
    const report = await verifyLedger(h.services.ledger.node.store);
    expect(report.ok, JSON.stringify(report.error)).toBe(true);
    expect(report.txs).toBeGreaterThan(made.length);
  });
});
