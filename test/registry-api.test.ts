/**
 * The registries over tRPC on a seeded portal (PGlite and PostgreSQL): form writes, actions, CSV
 * preview with per-row errors, all-or-nothing import, export, authorisation, and sealing.
 */
import { clientErrorOf } from "../server/api/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "../chain/signature.js";
import { parseCsv } from "../lib/csv.js";
import { idCheckDigit } from "../lib/id-number.js";
import { createHarness, type Harness } from "../server/testing/harness.js";
import { BACKENDS, openTestDb, type TestDb } from "./helpers/db.js";

const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e) => clientErrorOf(e)?.code ?? Promise.reject(e));
const csv = (lines: string[]) => lines.join("\r\n") + "\r\n";

describe.each(BACKENDS)("registries over tRPC on %s", (backend) => {
  let t: TestDb;
  let h: Harness;
  beforeAll(async () => {
    t = await openTestDb(backend);
    h = await createHarness(t.db);
  });
  afterAll(async () => {
    await h?.close();
    // Closing the ledger closed an in-memory PGlite already; PostgreSQL's database is dropped here.
    await t?.dispose().catch(() => undefined);
  });

  it("registers a company from the form; suspends, rotates and revokes it; only the bureaus that may", async () => {
    const tr = await h.as("tr.operator");
    const key = generateKeyPair().publicKey;
    await tr.registry.create({ kind: "companies", row: { id: "reg-taxi", name: "注册测试出租", kind: "taxi", ingest_key: key } });
    expect((await tr.registry.list({ kind: "companies", q: "reg-taxi" }))[0]).toMatchObject({ id: "reg-taxi", status: "active", ingest_key: key, registered_dept: "sz.transport" });
    await expect(tr.registry.create({ kind: "companies", row: { id: "reg-2", name: "x", kind: "spaceship" } })).rejects.toThrow(/ingest_key: 必填 required/);
    expect(await codeOf((await h.as("tp.viewer")).registry.create({ kind: "companies", row: { id: "v-1", name: "x", kind: "taxi", ingest_key: key } }))).toBe("FORBIDDEN");
    expect(await codeOf((await h.as("psb.operator")).registry.list({ kind: "companies" }))).toBe("FORBIDDEN");
    // The traffic police pass the portal's gate for companies but the contract refuses them.
    await expect((await h.as("tp.operator")).registry.create({ kind: "companies", row: { id: "tp-co", name: "x", kind: "taxi", ingest_key: key } })).rejects.toThrow(/only the transport bureau/);
    await expect(tr.registry.act({ kind: "companies", id: "reg-taxi", action: "suspend", reason: "" })).rejects.toThrow(/reason/);
    await tr.registry.act({ kind: "companies", id: "reg-taxi", action: "suspend", reason: "年检未通过" });
    expect((await tr.registry.list({ kind: "companies", q: "reg-taxi" }))[0].status).toBe("suspended");
    const key2 = generateKeyPair().publicKey;
    await tr.registry.act({ kind: "companies", id: "reg-taxi", action: "rotate_key", fields: { ingest_key: key2 }, reason: "密钥泄露" });
    await tr.registry.act({ kind: "companies", id: "reg-taxi", action: "reinstate", reason: "整改完成" });
    expect((await tr.registry.list({ kind: "companies", q: "reg-taxi" }))[0]).toMatchObject({ status: "active", ingest_key: key2 });
    await expect(tr.registry.act({ kind: "companies", id: "nobody", action: "suspend", reason: "x" })).rejects.toThrow(/unknown/);
    await expect(tr.registry.act({ kind: "companies", id: "reg-taxi", action: "explode", reason: "x" })).rejects.toThrow(/unknown action/);
  });

  it("previews a vehicle file row by row, imports nothing while any row is invalid, then all of it in one transaction", async () => {
    const tr = await h.as("tr.operator");
    const head = "plate,cls,company,terminal,licence_no,licence_status,licence_expires";
    const bad = csv([head, "粤B70001,taxi,reg-taxi,T-R-70001,运输证1,valid,2029-12-31", "粤B70002,taxi,no-such-co,T-R-70002,运输证2,,", "B7,taxi,reg-taxi,T-R-70003,运输证3,valid,2029/12/31", "粤B70004,taxi,reg-taxi,T-R-70001,运输证4,,"]);
    const p = await tr.registry.preview({ kind: "vehicles", csv: bad });
    expect(p.fileErrors).toEqual([]);
    expect(p.rows.map((r) => r.ok)).toEqual([true, false, false, false]);
    expect(p.rows[1].errors).toEqual(["unknown company no-such-co"]);
    expect(p.rows[2].errors.join(" ")).toMatch(/licence_expires: 日期格式/);
    expect(p.rows[3].errors).toEqual(["terminal T-R-70001 already belongs to 粤B70001"]);
    const height = h.services.ledger.node.height;
    await expect(tr.registry.import({ kind: "vehicles", csv: bad, fileName: "bad.csv" })).rejects.toThrow(/nothing imported: 第 2 行 row 2: unknown company/);
    expect(h.services.ledger.node.height).toBe(height);
    expect(await h.services.ledger.node.store.record("vehicle", "粤B70001")).toBeNull();
    // Chinese headers (as our export and spreadsheets write them) read the same.
    const good = csv(["车牌,车辆类别,所属企业,车载终端号,道路运输证号,证照有效期至", "粤B70001,taxi,reg-taxi,T-R-70001,运输证1,2029-12-31", "粤B70002,taxi,reg-taxi,T-R-70002,运输证2,"]);
    expect((await tr.registry.preview({ kind: "vehicles", csv: good })).invalid).toBe(0);
    const done = await tr.registry.import({ kind: "vehicles", csv: good, fileName: "good.csv" });
    expect(done.rows).toBe(2);
    const tx = await h.services.ledger.node.store.txByHash(done.hash);
    expect(tx?.type).toBe("registry.import");
    expect((await h.services.ledger.node.store.record<{ licence: { expires?: string } }>("vehicle", "粤B70001"))?.value.licence.expires).toBe("2029-12-31");
    // Export reads back as import: the same rows are now "already registered".
    const out = await tr.registry.export({ kind: "vehicles" });
    const table = parseCsv(out.csv);
    expect(table[0]).toContain("plate");
    expect(table.some((r) => r[0] === "粤B70002")).toBe(true);
    const again = await tr.registry.preview({ kind: "vehicles", csv: out.csv });
    expect(again.rows.find((r) => r.key === "粤B70001")?.errors).toEqual(["vehicle 粤B70001 already registered"]);
    // Header faults are the file's.
    expect((await tr.registry.preview({ kind: "vehicles", csv: "plate,colour\n粤B1,red\n" })).fileErrors.join()).toMatch(/unknown column "colour".*missing column cls/);
    // Revoking the licence is a ledger transaction by the registering bureau.
    await tr.registry.act({ kind: "vehicles", id: "粤B70001", action: "licence", fields: { licence_status: "revoked" }, reason: "违规营运" });
    expect((await h.services.ledger.node.store.record<{ licence: { status: string; no: string } }>("vehicle", "粤B70001"))?.value.licence).toMatchObject({ status: "revoked", no: "运输证1" });
  });

  it("seals drivers' names and licence numbers; previews mask them; nothing personal reaches the ledger in clear", async () => {
    const tr = await h.as("tr.operator");
    const file = csv(["id,name,company,licence_no,licence_status,licence_expires,vehicles", "drv-r1,张三丰,reg-taxi,网驾440300199001,valid,2030-06-30,粤B70002", "drv-r2,李四,reg-taxi,网驾440300199002,revoked,,"]);
    const p = await tr.registry.preview({ kind: "drivers", csv: file });
    expect(p.invalid).toBe(0);
    expect(JSON.stringify(p)).not.toContain("张三丰");
    expect(JSON.stringify(p)).not.toContain("网驾440300199001");
    const done = await tr.registry.import({ kind: "drivers", csv: file, fileName: "drivers.csv" });
    const tx = await h.services.ledger.node.store.txByHash(done.hash);
    expect(JSON.stringify(tx)).not.toContain("张三丰");
    expect(JSON.stringify(tx)).not.toContain("网驾440300199001");
    const listed = await tr.registry.list({ kind: "drivers", q: "drv-r" });
    expect(listed.map((d) => d.id)).toEqual(["drv-r1", "drv-r2"]);
    expect(JSON.stringify(listed)).not.toContain("张三丰");
    await tr.registry.act({ kind: "drivers", id: "drv-r1", action: "licence", fields: { licence_status: "suspended" }, reason: "记分满分" });
    expect((await h.services.ledger.node.store.record<{ licence: { status: string; expires: string } }>("driver", "drv-r1"))?.value.licence).toMatchObject({ status: "suspended", expires: "2030-06-30" });
    expect((await tr.registry.export({ kind: "drivers" })).csv.split("\r\n")[0]).not.toMatch(/name|licence_no/);
  });

  it("issues, amends and revokes hazmat permits (times in China Standard Time)", async () => {
    const sup = await h.as("tp.supervisor");
    const tr = await h.as("tr.operator");
    await sup.geofences.define({ id: "reg-corridor", name: "测试走廊", kind: "hazmat_corridor", shape: { type: "corridor", path: [[114.03, 22.54], [114.06, 22.54]], widthM: 200 } });
    await (await h.as("tp.operator")).registry.create({ kind: "vehicles", row: { plate: "粤BH7701", cls: "hazmat", company: "reg-taxi", terminal: "T-R-H7701", licence_no: "危运7701" } });
    expect(await codeOf(tr.registry.preview({ kind: "permits", csv: "id\nx\n" }))).toBe("FORBIDDEN");
    const file = csv(["id,plate,cargo_class,cargo,corridor,from,to", "hp-r1,粤BH7701,3,汽油,reg-corridor,2026-12-08 06:00,2026-12-08 18:00", "hp-r2,粤BH7701,3,汽油,reg-corridor,2026-12-08 18:00,2026-12-08 06:00"]);
    const p = await sup.registry.preview({ kind: "permits", csv: file });
    expect(p.rows[1].errors).toEqual(["permit window must end after it starts"]);
    await sup.registry.import({ kind: "permits", csv: csv(file.trim().split("\r\n").slice(0, 2)), fileName: "permits.csv" });
    const rec = await h.services.ledger.node.store.record<{ from: number; to: number }>("permit", "hp-r1");
    expect(rec?.value.from).toBe(Date.parse("2026-12-08T06:00:00+08:00"));
    await sup.registry.act({ kind: "permits", id: "hp-r1", action: "amend", fields: { to: "2026-12-08 20:00" }, reason: "延时" });
    expect((await sup.registry.list({ kind: "permits", q: "hp-r1" }))[0]).toMatchObject({ to: "2026-12-08 20:00", status: "approved" });
    await sup.registry.act({ kind: "permits", id: "hp-r1", action: "revoke", reason: "企业违规" });
    expect((await sup.registry.list({ kind: "permits", q: "hp-r1" }))[0].status).toBe("revoked");
  });

  it("registers a response unit with its crew; the crew must be the unit's own staff", async () => {
    const em = await h.as("em.supervisor");
    await em.registry.create({ kind: "units", row: { id: "em-r1", name: "测试救护车", kind: "ambulance", station_name: "市急救中心", lon: "114.06", lat: "22.55", capabilities: "medical", crew: "em.dispatcher" } });
    expect((await em.registry.list({ kind: "units", q: "em-r1" }))[0]).toMatchObject({ crew: "em.dispatcher", dept: "sz.emergency", status: "available" });
    await expect(em.registry.act({ kind: "units", id: "em-r1", action: "crew", fields: { crew: "em.dispatcher;tp.operator" }, reason: "" })).rejects.toThrow(/tp.operator is staff of sz.tp/);
    await em.registry.act({ kind: "units", id: "em-r1", action: "crew", fields: { crew: "em.supervisor;em.dispatcher" }, reason: "" });
    expect((await em.registry.list({ kind: "units", q: "em-r1" }))[0].crew).toBe("em.supervisor;em.dispatcher");
    expect(await codeOf((await h.as("em.dispatcher")).registry.create({ kind: "units", row: {} }))).toBe("FORBIDDEN");
  });

  it("enrols people in the identity registry sealed, lists card attributes only, and changes a card's status", async () => {
    const psb = await h.as("psb.operator");
    const file = csv(["key,name,id_number,card_status,card_issued,card_expires,authority,district", "p-r0001,王小明,440304199001011234,valid,2020-01-01,2040-01-01,深圳市公安局福田分局,futian"]);
    const p = await psb.registry.preview({ kind: "people", csv: file });
    expect(p.invalid).toBe(0);
    expect(JSON.stringify(p)).not.toContain("440304199001011234");
    const done = await psb.registry.import({ kind: "people", csv: file, fileName: "people.csv" });
    expect(JSON.stringify(await h.services.ledger.node.store.txByHash(done.hash))).not.toContain("王小明");
    expect((await psb.registry.preview({ kind: "people", csv: file.replace("p-r0001", "p-r0002") })).rows[0].errors.join()).toMatch(/this ID number is already enrolled$/);
    // Card attributes are sensitive: masked in the list for the owner too, and listing writes no data.read.
    const reads = async () => (await h.services.ledger.db.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_txs WHERE type = 'data.read'")).rows[0].n;
    const before = await reads();
    const listed = await psb.registry.list({ kind: "people", q: "p-r0001" });
    expect(listed).toEqual([{ key: "p-r0001", card_status: "•••", card_issued: "•••", card_expires: "•••", authority: "深圳市公安局福田分局", district: "futian" }]);
    expect((await psb.registry.export({ kind: "people" })).csv).not.toMatch(/2040-01-01/);
    expect(await reads()).toBe(before);
    await psb.registry.act({ kind: "people", id: "p-r0001", action: "card", fields: { card_status: "reported_lost" }, reason: "本人挂失" });
    expect((await h.services.ledger.node.store.record<{ attrs: { cardStatus: string } }>("dsrec", "identity.registry/p-r0001"))?.value.attrs.cardStatus).toBe("reported_lost");
    expect(await codeOf((await h.as("futian.psb.desk")).registry.list({ kind: "people" }))).toBe("FORBIDDEN");
    expect(await codeOf((await h.as("tr.operator")).registry.import({ kind: "people", csv: file, fileName: "x.csv" }))).toBe("FORBIDDEN");
  });

  it("lists and exports only the rows of a row-limited grant", async () => {
    const psb = await h.as("psb.operator");
    const rows = [
      ["p-rr001", "福田甲", "44030419900101", "sz.futian"],
      ["p-rr002", "南山乙", "44030519900101", "sz.nanshan"],
      ["p-rr003", "福田丙", "44030419910101", "sz.futian"],
    ].map(([key, name, prefix, district]) => `${key},${name},${prefix}${key.slice(-3)}${idCheckDigit(`${prefix}${key.slice(-3)}`)},valid,2020-01-01,2040-01-01,深圳市公安局,${district}`);
    await psb.registry.import({ kind: "people", csv: csv(["key,name,id_number,card_status,card_issued,card_expires,authority,district", ...rows]), fileName: "rows.csv" });
    await (await h.as("admin")).sharing.grant({ dataset: "identity.registry", dept: "sz.futian.psb", fields: ["personId", "district", "authority"], purpose: "辖区人口核查 district checks", durationDays: 30, rowFilter: { district: "sz.futian" } });
    await (await h.as("admin")).admin.createUser({ id: "futian.psb.reviewer", dept: "sz.futian.psb", name: "福田审核员", role: "supervisor", clearance: 3, password: "Rows#Grant-7319x!" });
    const district = await h.as("futian.psb.reviewer");
    const listed = await district.registry.list({ kind: "people", q: "p-rr" });
    expect(listed.map((r) => r.key).sort()).toEqual(["p-rr001", "p-rr003"]);
    expect(listed.every((r) => r.district === "sz.futian" && r.card_status === undefined)).toBe(true);
    const exported = (await district.registry.export({ kind: "people" })).csv;
    expect(exported).toMatch(/p-rr001/);
    expect(exported).not.toMatch(/p-rr002/);
    expect((await psb.registry.list({ kind: "people", q: "p-rr" })).length).toBe(3);
  });
});
