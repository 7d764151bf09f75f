/**
 * The sharing contracts' own refusals on the ledger (the server's checks aside): who may register,
 * request, decide, grant and revoke; key rotation required on revocation; the read log checks the
 * grant it names at block time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDataKey, sealPublicKeyOf, wrapContext, wrapDataKey } from "../../chain/sealing";
import type { PortalLedger } from "../ledger/portal-ledger";
import { createHarness, type Harness } from "../testing/harness";
import { ensureSealKey, submitAsSystem } from "./keys";

let h: Harness;
let L: PortalLedger;
const tpAdmin = { id: "tp.admin", dept: "sz.tp" };
const futianAdmin = { id: "futian.admin", dept: "sz.futian.tp" };
const field = (name: string, sealed = false) => ({ name, label: name, labelEn: name, sensitivity: sealed ? 3 : 1, sealed });

beforeAll(async () => {
  h = await createHarness();
  L = h.services.ledger;
});
afterAll(async () => {
  await h?.close();
});

describe("sharing contracts", () => {
  it("dataset.register: only the owner (or system) registers; sealed fields need the owner's wrap; ownership does not move", async () => {
    const def = { id: "tp.test", name: "测试", nameEn: "Test", description: "测试数据集", descriptionEn: "Test dataset", owner: "sz.tp", source: { kind: "sealed" }, fields: [field("a"), field("s", true)], retentionDays: 30 };
    await expect(L.submitAs(futianAdmin, "dataset.register", def)).rejects.toThrow(/only the owner department sz\.tp may register/);
    await expect(L.submitAs(tpAdmin, "dataset.register", def)).rejects.toThrow(/needs its key wrapped for the owner/);
    await expect(L.submitAs(tpAdmin, "dataset.register", { ...def, source: { kind: "table", table: "thing" } })).rejects.toThrow(/sealed fields need a sealed or ledger source/);
    const pub = await ensureSealKey(L, "sz.tp");
    const w = wrapDataKey(generateDataKey(), pub, wrapContext("tp.test", 1, "sz.tp"));
    await L.submitAs(tpAdmin, "dataset.register", { ...def, wraps: [{ dept: "sz.tp", ...w }] });
    await expect(submitAsSystem(L, "dataset.register", { ...def, owner: "sz.psb" }, "t")).rejects.toThrow(/ownership does not move/);
    await expect(L.submitAs(tpAdmin, "dataset.register", { ...def, fields: [field("a"), field("s")] })).rejects.toThrow(/cannot change from sealed to clear/);
    expect(sealPublicKeyOf(L.keystore.sealKeys.get("sz.tp")!)).toBe(pub);
  });

  it("access.request / decide: no request for one's own data, only known fields, only the owner decides, once", async () => {
    await expect(L.submitAs(tpAdmin, "access.request", { id: "req-own-000001", dataset: "alarms", fields: ["id"], purpose: "自查自用", durationDays: 5 })).rejects.toThrow(/owns alarms and needs no grant/);
    await expect(L.submitAs(futianAdmin, "access.request", { id: "req-bad-000001", dataset: "tp.violations", fields: ["nope"], purpose: "查处违法", durationDays: 5 })).rejects.toThrow(/has no field nope/);
    await expect(L.submitAs(futianAdmin, "access.request", { id: "req-bad-000002", dataset: "tp.violations", fields: ["caseNo"], purpose: "查处违法", durationDays: 5, rowFilter: { plate: "x" } })).rejects.toThrow(/rows filter only by district/);
    await expect(L.submitAs({ id: "futian.operator", dept: "sz.futian.tp" }, "access.request", { id: "req-op-0000001", dataset: "tp.violations", fields: ["caseNo"], purpose: "查处违法", durationDays: 5 })).rejects.toThrow(/role operator may not submit access\.request/);
    await L.submitAs(futianAdmin, "access.request", { id: "req-ok-0000001", dataset: "tp.violations", fields: ["caseNo", "partyName"], purpose: "查处违法", durationDays: 5 });
    await expect(L.submitAs(tpAdmin, "access.decide", { id: "req-ok-0000001", dataset: "tp.violations", decision: "deny" })).rejects.toThrow(/a denial needs a note/);
    await expect(L.submitAs(tpAdmin, "access.decide", { id: "req-ok-0000001", dataset: "tp.violations", decision: "approve", durationDays: 9 })).rejects.toThrow(/cannot grant 9 days; 5 were requested/);
    await L.submitAs(tpAdmin, "access.decide", { id: "req-ok-0000001", dataset: "tp.violations", decision: "deny", note: "用途不明确" });
    await expect(L.submitAs(tpAdmin, "access.decide", { id: "req-ok-0000001", dataset: "tp.violations", decision: "deny", note: "再次" })).rejects.toThrow(/is denied, not pending/);
  });

  it("access.grant: sealed fields need the grantee's wrap; access.revoke of a sealed dataset needs a rotation without the revoked department", async () => {
    await expect(L.submitAs(tpAdmin, "access.grant", { id: "req-grant-000001", dataset: "tp.violations", dept: "sz.futian.tp", fields: ["partyName"], purpose: "专项行动", durationDays: 5 })).rejects.toThrow(/needs the key wrapped for sz\.futian\.tp/);
    await expect(L.submitAs(futianAdmin, "access.grant", { id: "req-grant-000001", dataset: "tp.violations", dept: "sz.futian.tp", fields: ["caseNo"], purpose: "专项行动", durationDays: 5 })).rejects.toThrow(/only the owner department sz\.tp may grant/);
    await L.submitAs(tpAdmin, "access.grant", { id: "req-grant-000001", dataset: "tp.violations", dept: "sz.futian.tp", fields: ["caseNo"], purpose: "专项行动", durationDays: 5 });
    await expect(L.submitAs(tpAdmin, "access.revoke", { id: "req-grant-000001", dataset: "tp.violations", reason: "结束" })).rejects.toThrow(/rotates its key: the rotation wraps are missing/);
    const pub = await ensureSealKey(L, "sz.futian.tp");
    const bad = wrapDataKey(generateDataKey(), pub, wrapContext("tp.violations", 2, "sz.futian.tp"));
    await expect(L.submitAs(tpAdmin, "access.revoke", { id: "req-grant-000001", dataset: "tp.violations", reason: "结束", rotation: [{ dept: "sz.futian.tp", version: 2, ...bad }] })).rejects.toThrow(/must not be wrapped for sz\.futian\.tp/);
  });

  it("data.read: states a purpose, and a read under a grant is refused by the contract once the grant is gone", async () => {
    await expect(L.submitAs(futianAdmin, "data.read", { dataset: "tp.violations", basis: "grant", grant: "req-grant-000001", fields: ["caseNo"], records: 1 })).rejects.toThrow(/states its purpose/);
    await L.submitAs(futianAdmin, "data.read", { dataset: "tp.violations", basis: "grant", grant: "req-grant-000001", fields: ["caseNo"], records: 1 }, "查处违法");
    await expect(L.submitAs(futianAdmin, "data.read", { dataset: "tp.violations", basis: "grant", grant: "req-grant-000001", fields: ["partyName"], records: 1 }, "查处违法")).rejects.toThrow(/does not cover partyName/);
    await expect(L.submitAs(futianAdmin, "data.read", { dataset: "tp.violations", basis: "owner", fields: ["caseNo"], records: 1 }, "查处违法")).rejects.toThrow(/does not own tp\.violations/);
    await expect(L.submitAs({ id: "psb.operator", dept: "sz.psb" }, "data.read", { dataset: "tp.violations", basis: "grant", grant: "req-grant-000001", fields: ["caseNo"], records: 1 }, "x")).rejects.toThrow(/is not sz\.psb's grant/);
    await expect(L.submitAs(futianAdmin, "data.read", { dataset: "tp.violations", basis: "grant", grant: "req-ok-0000001", fields: ["caseNo"], records: 1 }, "查处违法")).rejects.toThrow(/grant req-ok-0000001 is denied/);
  });
});
