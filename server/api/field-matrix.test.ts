/**
 * The authorisation matrix per field: for every seeded user and a record of every governed dataset,
 * what the explorer, the big screen and dispatch show of each catalogued field is what the sharing
 * policy (`decide`) says, field by field: clear when visible and not sensitive, withheld-until-revealed
 * when visible and sensitive, withheld with the policy's reason otherwise. The policy is the oracle;
 * what is under test is that every read path applies it.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGISTRY } from "../../chain/contracts/identity";
import { SENSITIVE_LEVEL, type DatasetEntry } from "../../chain/contracts/sharing";
import { allows, DISPATCH_VIEW, EXPLORER, SUPERVISION_VIEW } from "../../lib/access";
import { idCheckDigit } from "../../lib/id-number";
import { resolveSession } from "../auth/resolve-session";
import { createSession } from "../auth/sessions";
import { enrolPeople } from "../identity/registry";
import { listDepartments } from "../ledger/directory";
import { SEED_USERS } from "../ledger/seed-data";
import { decide, grantsOf, type Decision } from "../sharing/policy";
import type { SessionUser } from "../auth/resolve-session";
import { openDemoWorld } from "../testing/demo-world";
import type { Harness } from "../testing/harness";
import type { VehicleServices } from "../vehicles/service";
import { REVOKED_DRIVER } from "../vehicles/demo-data";

type Value = Record<string, unknown>;
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e) => (e instanceof TRPCError ? e.code : Promise.reject(e)));
const isWithheld = (v: unknown): v is { withheld: true; reason: string; revealable?: true } => !!v && typeof v === "object" && (v as { withheld?: unknown }).withheld === true;
const ID_NUMBER = "44030419900101123" + idCheckDigit("44030419900101123");

let h: Harness;
let vs: VehicleServices;
const users = new Map<string, SessionUser>();
/** ns, key of one record per governed dataset. */
const samples: { ns: string; key: string; dataset: string }[] = [];
let incidentId: string;
let alarmId: string;
let plate: string;

async function decisionFor(u: SessionUser, dataset: string): Promise<{ entry: DatasetEntry; d: Decision }> {
  const L = h.services.ledger;
  const entry = (await L.node.store.record<DatasetEntry>("dataset", dataset))!.value;
  const [depts, grants] = await Promise.all([listDepartments(L.node.store), grantsOf(L, { dept: u.dept })]);
  return { entry, d: decide(u, entry, depts, grants, Date.now()) };
}

/** What the policy says a field must look like to the user. */
function expected(entry: DatasetEntry, d: Decision, field: string): { kind: "clear" } | { kind: "revealable" } | { kind: "withheld"; reason: string } {
  if (!d.ok) return { kind: "withheld", reason: d.reason };
  const f = entry.fields.find((x) => x.name === field)!;
  if (!d.fields.some((x) => x.name === field)) return { kind: "withheld", reason: d.hidden.find((x) => x.name === field)!.reason };
  return f.sensitivity >= SENSITIVE_LEVEL || f.sealed ? { kind: "revealable" } : { kind: "clear" };
}

beforeAll(async () => {
  ({ h, vs } = await openDemoWorld());
  const L = h.services.ledger;
  const person = { key: "p-m0001", attrs: { personId: "p-m0001", cardStatus: "valid", cardIssued: "2020-01-01", cardExpires: "2040-01-01", authority: "深圳市公安局福田分局", district: "sz.futian" }, sealed: { name: "公孙矩阵", idNumber: ID_NUMBER, address: "深圳市福华路66号" } };
  await enrolPeople(L, { id: "psb.operator", dept: "sz.psb" }, [person], "登记测试人员 enrol test people");
  const check = await (await h.as("futian.psb.desk")).identity.verify({ idNumber: ID_NUMBER, name: person.sealed.name, purpose: "旅客入住登记 hotel check-in", site: "hotel.futian-cbd" });
  incidentId = (await (await h.as("em.dispatcher")).dispatch.create({ type: "medical", severity: "high", lon: 114.059, lat: 22.543, address: "市民中心 B 区北门", notes: "胸痛", caller: "139****5678" })).id;
  plate = (await L.node.store.records<{ cls: string }>("vehicle")).find((r) => r.value.cls === "taxi")!.key;
  alarmId = "al-matrix-0001";
  await L.submitAs({ id: "tp.operator", dept: "sz.tp" }, "alarm.raise", { id: alarmId, type: "overspeed", severity: "warning", subject: plate, at: Date.now(), lon: 114.05, lat: 22.54, detail: "matrix" }, "test alarm");
  const first = async (ns: string) => (await L.node.store.records(ns))[0]?.key;
  samples.push(
    { ns: "vehicle", key: plate, dataset: "vehicles" },
    { ns: "driver", key: REVOKED_DRIVER, dataset: "drivers" },
    { ns: "geofence", key: await first("geofence"), dataset: "geofences" },
    { ns: "alarm", key: alarmId, dataset: "alarms" },
    { ns: "incident", key: incidentId, dataset: "incidents" },
    { ns: "idcheck", key: check.check, dataset: "identity.verifications" },
    { ns: "dsrec", key: `${REGISTRY}/${person.key}`, dataset: REGISTRY },
  );
  const permit = await first("permit");
  if (permit) samples.push({ ns: "permit", key: permit, dataset: "hazmat.permits" });
  for (const u of SEED_USERS) {
    const { token } = await createSession(L.db, u.id, { ip: "t" });
    users.set(u.id, (await resolveSession(L, token))!.user);
  }
});
afterAll(async () => {
  vs?.supervisor.close();
  await h?.close();
});

describe("per-field authorisation matrix", () => {
  it("explorer.history shows each field of each governed record as the policy decides, for every user", async () => {
    let cells = 0;
    for (const u of SEED_USERS.filter((x) => allows(EXPLORER, users.get(x.id)))) {
      const caller = await h.as(u.id);
      for (const s of samples) {
        const { entry, d } = await decisionFor(users.get(u.id)!, s.dataset);
        const raw = (await h.services.ledger.node.store.record<Value>(s.ns, s.key))!.value;
        const shown = (await caller.explorer.history({ ns: s.ns, key: s.key })).current as Value;
        // Catalogued fields live at the top, under `attrs` (sealed datasets) and under `sealed`.
        const places: [Value, Value][] = [[raw, shown]];
        if (raw.attrs) places.push([raw.attrs as Value, shown.attrs as Value]);
        if (raw.sealed) places.push([raw.sealed as Value, shown.sealed as Value]);
        for (const [r, v] of places) {
          for (const f of entry.fields) {
            if (!(f.name in r)) continue;
            const want = r === raw.sealed ? (expected(entry, d, f.name).kind === "clear" ? { kind: "revealable" as const } : expected(entry, d, f.name)) : expected(entry, d, f.name);
            const got = v[f.name];
            const where = `${u.id} ${s.ns}/${s.key} ${f.name}`;
            if (want.kind === "clear") expect(got, where).toEqual(r[f.name]);
            else if (want.kind === "revealable") expect(isWithheld(got) && got.revealable, where).toBe(true);
            else expect(isWithheld(got) && !got.revealable && got.reason, where).toBe(want.reason);
            cells++;
          }
        }
        // Blind indexes never.
        if (raw.index) for (const k of Object.keys(raw.index as Value)) expect(isWithheld((shown.index as Value)[k]), `${u.id} ${s.ns} index.${k}`).toBe(true);
      }
    }
    expect(cells).toBeGreaterThan(300);
  });

  it("bigscreen.vehicle and bigscreen.alarm show each field as the policy decides, for every user", async () => {
    for (const u of SEED_USERS) {
      const su = users.get(u.id)!;
      const caller = await h.as(u.id);
      const inSupervision = allows(SUPERVISION_VIEW, su);
      const veh = await decisionFor(su, "vehicles");
      const vCode = await codeOf(caller.bigscreen.vehicle({ plate }));
      expect(vCode, `${u.id} bigscreen.vehicle`).toBe(inSupervision && veh.d.ok ? "OK" : "FORBIDDEN");
      if (vCode === "OK") {
        const v = await caller.bigscreen.vehicle({ plate });
        expect(v.company === null, `${u.id} company`).toBe(expected(veh.entry, veh.d, "company").kind === "withheld");
      }
      const al = await decisionFor(su, "alarms");
      const aCode = await codeOf(caller.bigscreen.alarm({ id: alarmId }));
      expect(aCode, `${u.id} bigscreen.alarm`).toBe(inSupervision && al.d.ok ? "OK" : "FORBIDDEN");
      if (aCode === "OK") {
        const a = await caller.bigscreen.alarm({ id: alarmId });
        for (const [shown, field] of [[a.plate, "subject"], [a.lon, "lon"], [a.lat, "lat"], [a.detail, "detail"]] as const) {
          expect(shown === null, `${u.id} alarm ${field}`).toBe(expected(al.entry, al.d, field).kind !== "clear");
        }
      }
    }
  });

  it("dispatch never shows the caller in a polled read, and reveals it exactly to those the policy lets see it", async () => {
    const outcomes = new Set<string>();
    for (const u of SEED_USERS.filter((x) => allows(DISPATCH_VIEW, users.get(x.id)))) {
      const su = users.get(u.id)!;
      const caller = await h.as(u.id);
      const inc = await decisionFor(su, "incidents");
      const want = expected(inc.entry, inc.d, "caller");
      const listed = (await caller.dispatch.incidents({ status: "all", limit: 500 })).find((i) => i.id === incidentId);
      if (!listed) continue; // dispatch shows an incident to the bureaus involved
      expect("caller" in listed, `${u.id} list`).toBe(false);
      const one = await caller.dispatch.incident({ id: incidentId });
      expect("caller" in one).toBe(false);
      const hidden = one.hidden.find((x) => x.name === "caller")!;
      expect(!!hidden.revealable, `${u.id} revealable`).toBe(want.kind !== "withheld");
      const code = await codeOf(caller.dispatch.revealCaller({ id: incidentId }));
      expect(code, `${u.id} revealCaller`).toBe(want.kind === "withheld" ? "FORBIDDEN" : "OK");
      if (want.kind === "withheld") expect(hidden.reason).toBe(want.reason);
      outcomes.add(code);
    }
    // Both sides of the matrix are exercised: some users see the caller, some are refused.
    expect([...outcomes].sort()).toEqual(["FORBIDDEN", "OK"]);
  });
});
