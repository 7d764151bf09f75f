/** The same portal on PostgreSQL: seed, sign-in, an admin change on the ledger, its receipt. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeSuite } from "../../chain/node-crypto";
import { verifyReceipt } from "../../chain/receipt";
import { openTestDb, type TestDb } from "../../test/helpers/db";
import { DEMO_PASSWORD } from "../ledger/seed-data";
import { createHarness, type Harness } from "../testing/harness";

let t: TestDb;
let h: Harness;
beforeAll(async () => {
  t = await openTestDb("postgres");
  h = await createHarness(t.db);
});
afterAll(async () => {
  await h?.services.ledger.node.close();
  await t?.dispose();
});

describe("portal on PostgreSQL", () => {
  it("seeds, signs in, and commits an admin change with a verifiable receipt", async () => {
    expect(h.services.ledger.db.kind).toBe("postgres");
    const { caller, resHeaders } = await h.anonymous("192.0.2.10");
    await expect(caller.auth.signIn({ username: "admin", password: DEMO_PASSWORD })).resolves.toMatchObject({ role: "sys_admin" });
    expect(resHeaders.get("set-cookie")).toMatch(/HttpOnly/);
    const admin = await h.as("admin");
    const res = await admin.admin.updateDepartment({ id: "sz.dapeng", name: "大鹏新区管理委员会" });
    const receipt = await admin.explorer.receipt({ hash: res.hash });
    expect(verifyReceipt(nodeSuite, receipt, await admin.explorer.nodePin()).ok).toBe(true);
    expect((await admin.explorer.history({ ns: "dept", key: "sz.dapeng" })).txs.map((x) => x.type)).toEqual(["dept.create", "dept.update"]);
  });
});
