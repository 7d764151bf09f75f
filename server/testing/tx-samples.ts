/**
 * One committed transaction of every contract type, for the generated read-policy test: the demo
 * ledger holds most types; the rest are made here through the portal's own procedures (or the
 * ledger as its services submit them). A new type gets a sample here, or the test says it has none.
 */
import { randomBytes } from "node:crypto";
import { generateKeyPair } from "../../chain/signature";
import { idCheckDigit } from "../../lib/id-number";
import { sealRecordFields } from "../sharing/service";
import type { Harness } from "./harness";

type Fixture = (h: Harness) => Promise<unknown>;

const csv = (lines: string[]) => lines.join("\r\n") + "\r\n";
const idNumber = (first17: string) => first17 + idCheckDigit(first17);
const hex = (bytes: number) => randomBytes(bytes).toString("hex");
/** Two people of the sample import: one in Futian, one in Nanshan (row-limited grants see the first only). */
export const SAMPLE_PEOPLE = [
  { key: "p-tm0101", name: "上官样本", idNumber: idNumber("44030419800202123"), district: "sz.futian" },
  { key: "p-tm0102", name: "欧阳样本", idNumber: idNumber("44030519810303123"), district: "sz.nanshan" },
];
const CO = "tm-co";
const TAXI = "粤B7T001";
const HAZMAT = "粤BH7T01";

/** Builds once what several samples share: a company, a taxi, a driver. */
async function company(h: Harness): Promise<void> {
  const L = h.services.ledger;
  if (await L.node.store.record("company", CO)) return;
  const tr = await h.as("tr.operator");
  await tr.registry.create({ kind: "companies", row: { id: CO, name: "样本出租汽车公司", kind: "taxi", ingest_key: generateKeyPair().publicKey } });
  await tr.registry.create({ kind: "vehicles", row: { plate: TAXI, cls: "taxi", company: CO, terminal: "T-TM-0001", licence_no: "运输证TM1", vin: "LSVAA1234TM000001" } });
  await tr.registry.create({ kind: "drivers", row: { id: "drv-tm1", name: "样本司机", company: CO, licence_no: "网驾TM0001", vehicles: TAXI } });
}

async function incident(h: Harness): Promise<string> {
  const em = await h.as("em.dispatcher");
  return (await em.dispatch.create({ type: "traffic_accident", severity: "high", lon: 114.058, lat: 22.541, address: "福华三路样本路口", notes: "两车相撞", caller: "13900001111" })).id;
}

async function alarm(h: Harness, id: string): Promise<string> {
  await h.services.ledger.submitAs({ id: "tp.operator", dept: "sz.tp" }, "alarm.raise", { id, type: "overspeed", severity: "warning", subject: TAXI, at: Date.now(), lon: 114.05, lat: 22.54, speedKmh: 92, limitKmh: 60, detail: "样本超速" }, "样本告警 sample alarm");
  return id;
}

const FIXTURES: Record<string, Fixture> = {
  "company.update": async (h) => {
    await company(h);
    const tr = await h.as("tr.operator");
    await tr.registry.act({ kind: "companies", id: CO, action: "suspend", reason: "年检样本" });
    await tr.registry.act({ kind: "companies", id: CO, action: "reinstate", reason: "整改完成" });
  },
  "vehicle.update": async (h) => {
    await company(h);
    await (await h.as("tr.operator")).registry.act({ kind: "vehicles", id: TAXI, action: "licence", fields: { licence_status: "valid", licence_expires: "2030-12-31" }, reason: "换证" });
  },
  "driver.update": async (h) => {
    await company(h);
    await (await h.as("tr.operator")).registry.act({ kind: "drivers", id: "drv-tm1", action: "licence", fields: { licence_status: "valid", licence_expires: "2031-06-30" }, reason: "换证" });
  },
  "registry.import": async (h) => {
    const rows = SAMPLE_PEOPLE.map((p) => `${p.key},${p.name},${p.idNumber},valid,2020-01-01,2040-01-01,深圳市公安局,${p.district}`);
    await (await h.as("psb.operator")).registry.import({ kind: "people", csv: csv(["key,name,id_number,card_status,card_issued,card_expires,authority,district", ...rows]), fileName: "people.csv" });
  },
  "identity.status": async (h) => {
    await (await h.as("psb.operator")).identity.setStatus({ record: SAMPLE_PEOPLE[1].key, status: "reported_lost", note: "本人挂失" });
  },
  "identity.verify": async (h) => {
    const p = SAMPLE_PEOPLE[1];
    await (await h.as("futian.psb.desk")).identity.verify({ idNumber: p.idNumber, name: p.name, purpose: "旅客入住登记 hotel check-in", site: "hotel.futian-cbd" });
  },
  "identity.alert": async (h) => {
    const psb = await h.as("psb.supervisor");
    const [a] = (await psb.identity.alerts({ status: "open", limit: 1 })).alerts;
    if (a) await psb.identity.act({ id: a.id, action: "acknowledge" });
  },
  "data.read": async (h) => {
    await (await h.as("psb.supervisor")).identity.person({ idNumber: SAMPLE_PEOPLE[0].idNumber, purpose: "核查样本 sample check" });
  },
  "hazmat.permit": async (h) => {
    await company(h);
    await (await h.as("tp.supervisor")).geofences.define({ id: "tm-corridor", name: "样本走廊", kind: "hazmat_corridor", shape: { type: "corridor", path: [[114.03, 22.54], [114.06, 22.54]], widthM: 200 } });
    await (await h.as("tp.operator")).registry.create({ kind: "vehicles", row: { plate: HAZMAT, cls: "hazmat", company: CO, terminal: "T-TM-H001", licence_no: "危运TM1" } });
    await (await h.as("tp.supervisor")).registry.create({ kind: "permits", row: { id: "hp-tm1", plate: HAZMAT, cargo_class: "3", cargo: "汽油样本", corridor: "tm-corridor", from: "2026-12-08 06:00", to: "2026-12-08 18:00" } });
  },
  "hazmat.permit.amend": (h) => h.as("tp.supervisor").then((s) => s.registry.act({ kind: "permits", id: "hp-tm1", action: "amend", fields: { cargo: "柴油样本" }, reason: "货物变更" })),
  "hazmat.permit.revoke": (h) => h.as("tp.supervisor").then((s) => s.registry.act({ kind: "permits", id: "hp-tm1", action: "revoke", reason: "企业违规" })),
  "geofence.retire": async (h) => {
    const sup = await h.as("tp.supervisor");
    await sup.geofences.define({ id: "tm-zone", name: "样本禁区", kind: "restricted", shape: { type: "circle", center: [114.05, 22.54], radiusM: 300 } });
    await sup.geofences.retire({ id: "tm-zone", reason: "活动结束" });
  },
  "unit.crew": async (h) => {
    const em = await h.as("em.supervisor");
    await em.registry.create({ kind: "units", row: { id: "em-tm1", name: "样本救护车", kind: "ambulance", station_name: "市急救中心", lon: "114.06", lat: "22.55", capabilities: "medical" } });
    await em.registry.act({ kind: "units", id: "em-tm1", action: "crew", fields: { crew: "em.dispatcher" }, reason: "" });
  },
  "alarm.raise": (h) => alarm(h, "al-tm-raise1"),
  "alarm.act": async (h) => {
    await (await h.as("tp.operator")).alarms.act({ id: await alarm(h, "al-tm-act01"), action: "acknowledge" });
  },
  "incident.create": incident,
  "incident.escalate": async (h) => {
    const id = await alarm(h, "al-tm-esc01");
    await (await h.as("em.dispatcher")).dispatch.escalate({ alarm: id, type: "traffic_accident", severity: "high", notes: "告警升级", address: "福华三路" });
  },
  "incident.dispatch": async (h) => {
    const em = await h.as("em.dispatcher");
    const id = await incident(h);
    const [best] = (await em.dispatch.recommend({ id, limit: 1 })).units;
    await em.dispatch.dispatch({ id, units: [best.unit.id] });
    for (const status of ["en_route", "on_scene", "returning"] as const) await em.dispatch.status({ unit: best.unit.id, status });
    await em.dispatch.support({ id, bureau: "fire", note: "需要破拆" });
    await em.dispatch.transfer({ id, bureau: "health", note: "医疗主办" });
    await em.dispatch.close({ id, note: "处置完毕" });
  },
  "mileage.record": (h) => company(h).then(() => h.services.ledger.submitAs({ id: "tr.operator", dept: "sz.transport" }, "mileage.record", { plate: TAXI, odometerKm: 12345.6, at: Date.now(), source: "inspection" }, "年检里程 inspection")),
  "telemetry.anchor": (h) =>
    company(h).then(() => h.services.ledger.submitAs({ id: "tr.operator", dept: "sz.transport" }, "telemetry.anchor", { batch: hex(16), company: CO, count: 3, root: hex(32), fromTs: Date.now() - 60_000, toTs: Date.now() }, "定位批次锚定 anchor")),
  "ridehail.trip": async (h) => {
    await company(h);
    const L = h.services.ledger;
    const platform = (await L.node.store.records<{ kind: string }>("company")).find((c) => c.value.kind === "ride_hailing_platform")!.key;
    await L.submitAs({ id: "tr.operator", dept: "sz.transport" }, "ridehail.trip", { id: "trip-tm-000001", platform, driver: "drv-tm1", plate: TAXI, start: Date.now() - 1_800_000, end: Date.now() - 60_000, distanceKm: 12.4, fareYuan: 48.5 }, "行程上报 trip report");
  },
  "file.anchor": (h) => h.services.ledger.submitAs({ id: "tp.operator", dept: "sz.tp" }, "file.anchor", { fileHash: hex(32), name: "样本现场照片.jpg", size: 1024, mime: "image/jpeg" }, "存证 anchor a file"),
  "key.revoke": async (h) => {
    const admin = { id: "admin", dept: "sz" };
    await h.services.ledger.submitAs(admin, "key.register", { id: "k.tm.sample", publicKey: generateKeyPair().publicKey, dept: "sz.tp", kind: "terminal" }, "登记样本密钥 register a key");
    await h.services.ledger.submitAs(admin, "key.revoke", { id: "k.tm.sample", reason: "样本注销" }, "注销样本密钥 revoke a key");
  },
  "user.update": (h) => h.as("admin").then((a) => a.admin.updateUser({ id: "tp.viewer", name: "赵敏（样本）" })),
  "dept.update": (h) => h.as("admin").then((a) => a.admin.updateDepartment({ id: "sz.nanshan.env", nameEn: "Nanshan Environment Office" })),
  "dataset.key": async (h) => {
    // A one-day grant of a sealed dataset; a write two days later finds it ended and rotates the key first.
    await (await h.as("admin")).sharing.grant({ dataset: "tp.violations", dept: "sz.transport", fields: ["caseNo", "partyName"], purpose: "样本共享 sample share", durationDays: 1 });
    await sealRecordFields(h.services.ledger, "tp.violations", "v-tm-0001", { partyName: "样本当事人" }, Date.now() + 2 * 86_400_000);
  },
  "access.request": async (h) => {
    const { id } = await (await h.as("tp.supervisor")).sharing.request({ dataset: "futian.parking", fields: ["ticket", "plate", "street", "district"], actions: ["read"], purpose: "样本共享申请 sample request", durationDays: 30 });
    const owner = await h.as("futian.admin");
    await owner.sharing.decide({ id, decision: "approve" });
    await owner.sharing.revoke({ id, reason: "样本撤销" });
  },
};
FIXTURES["access.decide"] = FIXTURES["access.request"];
FIXTURES["access.revoke"] = FIXTURES["access.request"];
FIXTURES["unit.status"] = FIXTURES["incident.dispatch"];
FIXTURES["incident.support"] = FIXTURES["incident.dispatch"];
FIXTURES["incident.transfer"] = FIXTURES["incident.dispatch"];
FIXTURES["incident.close"] = FIXTURES["incident.dispatch"];

/** The newest transaction of each type, after making the missing ones: type -> hash. */
export async function txSamples(h: Harness): Promise<Map<string, string>> {
  const db = h.services.ledger.db;
  const present = async () => new Set((await db.query<{ type: string }>("SELECT DISTINCT type FROM ledger_txs")).rows.map((r) => r.type));
  const have = await present();
  const made = new Set<Fixture>();
  for (const [type, make] of Object.entries(FIXTURES)) {
    if (have.has(type) || made.has(make)) continue;
    made.add(make);
    await make(h);
  }
  const { rows } = await db.query<{ type: string; hash: string }>("SELECT DISTINCT ON (type) type, hash FROM ledger_txs ORDER BY type, seq DESC");
  return new Map(rows.map((r) => [r.type, r.hash]));
}
