/**
 * A ledger written by a release that kept incident callers and driver names in clear: the catalogue
 * sync seals those fields (the datasets' first keys, wrapped for today's readers, grantees included),
 * clear values are refused from then on, earlier clear values are read under the same policy, and
 * the whole history still replays.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyLedger } from "../../chain/verify";
import type { DatasetKeys } from "../../chain/contracts/sharing";
import { incidentsForReader } from "../dispatch/caller";
import { getIncident, incidentView } from "../dispatch/service";
import type { PortalLedger } from "../ledger/portal-ledger";
import { createHarness, type Harness } from "../testing/harness";
import { registerDriver } from "../vehicles/drivers";
import { CATALOGUE } from "./catalogue";
import { submitAsSystem } from "./keys";
import { readDataset } from "./policy";
import { syncCatalogue } from "./service";

let h: Harness;
let L: PortalLedger;
const ADMIN = { id: "admin", dept: "sz", role: "sys_admin" as const, clearance: 4 };
const VIEWER = { id: "tp.viewer", dept: "sz.tp", role: "viewer" as const, clearance: 1 };
const TP_SUPERVISOR = { id: "tp.supervisor", dept: "sz.tp", role: "supervisor" as const, clearance: 3 };

/** The definition as the earlier release registered it: every field clear. */
const unsealed = (id: string) => {
  const d = CATALOGUE.find((x) => x.id === id)!;
  return { ...d, fields: d.fields.map((f) => ({ ...f, sealed: false, indexed: undefined })).map(({ indexed: _i, ...f }) => f) };
};

beforeAll(async () => {
  h = await createHarness(undefined, { catalogue: false });
  L = h.services.ledger;
  await submitAsSystem(L, "dataset.register", unsealed("incidents"), "earlier release");
  await submitAsSystem(L, "dataset.register", unsealed("drivers"), "earlier release");
  await submitAsSystem(L, "access.grant", { id: "req-old-drivers-tp", dataset: "drivers", dept: "sz.tp", fields: ["id", "name", "company", "licence"], actions: ["read"], purpose: "earlier statutory share", durationDays: 300, rowFilter: null }, "earlier release");
  await L.submitAs({ id: "tr.operator", dept: "sz.transport" }, "company.register", { id: "didi", name: "滴滴", kind: "ride_hailing_platform", ingestKey: "ab".repeat(32) });
  await L.submitAs({ id: "em.dispatcher", dept: "sz.emergency" }, "incident.create", { id: "inc-20250101-old00001", type: "medical", severity: "high", lon: 114.06, lat: 22.54, address: "福田", caller: "旧版报警人 13700000000" });
  await L.submitAs({ id: "tr.operator", dept: "sz.transport" }, "driver.register", { id: "d-old-0001", name: "旧版司机", company: "didi", licence: { no: "OLD-LIC-1", status: "valid" }, vehicles: [] });
  await syncCatalogue(L, { demo: true });
});
afterAll(async () => {
  await h?.close();
});

describe("sealing fields of an existing ledger", () => {
  it("gives the datasets their first key, wrapped for the owner, the departments above it and live grantees", async () => {
    for (const [id, owner] of [["incidents", "sz.emergency"], ["drivers", "sz.transport"]]) {
      const keys = (await L.node.store.record<DatasetKeys>("dskey", id))!.value;
      expect(keys.current).toBe(1);
      expect(Object.keys(keys.versions[0].wraps)).toEqual(expect.arrayContaining([owner, "sz"]));
    }
    expect(Object.keys((await L.node.store.record<DatasetKeys>("dskey", "drivers"))!.value.versions[0].wraps)).toContain("sz.tp");
  });

  it("refuses clear values from then on, and seals new ones", async () => {
    await expect(L.submitAs({ id: "em.dispatcher", dept: "sz.emergency" }, "incident.create", { id: "inc-20250101-new00001", type: "fire", severity: "low", lon: 114.06, lat: 22.54, address: "福田", caller: "13700000001" })).rejects.toThrow(/must be sealed/);
    await registerDriver(L, { id: "tr.operator", dept: "sz.transport" }, { id: "d-new-0001", name: "新司机", company: "didi", licence: { no: "NEW-LIC-1", status: "valid" }, vehicles: [] });
    const rows = await readDataset(L, TP_SUPERVISOR, "drivers", { purpose: "核查 check", q: "d-" });
    expect(rows.rows.map((r) => [r.id, r.name])).toEqual([
      ["d-new-0001", "新司机"],
      ["d-old-0001", "旧版司机"],
    ]);
  });

  it("reads an earlier clear caller under the policy", async () => {
    const inc = incidentView((await getIncident(h.services, "inc-20250101-old00001"))!);
    expect((await incidentsForReader(L, ADMIN, [inc], { reveal: true }))[0]).toMatchObject({ caller: "旧版报警人 13700000000", hidden: [] });
    const withheld = (await incidentsForReader(L, VIEWER, [inc], { reveal: true }))[0];
    expect(withheld).not.toHaveProperty("caller");
    expect(withheld.hidden).toEqual([{ name: "caller", reason: expect.stringMatching(/no grant/) }]);
  });

  it("replays the whole history", async () => {
    const report = await verifyLedger(L.node.store);
    expect(report.ok, JSON.stringify(report.error)).toBe(true);
  });
});
