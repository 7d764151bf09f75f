/**
 * Only a geofence's owner department or its ancestors may redefine or retire it: refused FORBIDDEN
 * over tRPC before signing, and refused by the contract when a department key signs the tx directly
 * (also with a forged department line), on PGlite and PostgreSQL.
 */
import { clientErrorOf } from "../server/api/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "../chain/signature.js";
import { verifyLedger } from "../chain/verify.js";
import { deptKeyId, ROOT_DEPT, SYSTEM_KEY_ID } from "../server/ledger/seed-data.js";
import { createHarness, type Harness } from "../server/testing/harness.js";
import { BACKENDS, openTestDb, type TestDb } from "./helpers/db.js";
import { CREDENTIAL } from "./helpers/ledger.js";

const NOT_OWNER = /只有所属部门或其上级可修改 only the owner department or its ancestors may change this/;
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e) => clientErrorOf(e)?.code ?? Promise.reject(e));
const fence = (id: string, name: string) => ({ id, name, kind: "key_area" as const, shape: { type: "circle" as const, center: [114.05, 22.54] as [number, number], radiusM: 500 } });

describe.each(BACKENDS)("geofence authority on %s", (backend) => {
  let t: TestDb;
  let h: Harness;
  /** Signs a tx directly with a department's key, bypassing the server's check. */
  const direct = (dept: string, actor: string, type: string, payload: object) => h.services.ledger.node.submit({ type, dept, actor, payload: payload as never }, deptKeyId(dept));

  beforeAll(async () => {
    t = await openTestDb(backend);
    h = await createHarness(t.db);
    const { ledger } = h.services;
    const sys = (type: string, payload: object) => ledger.node.submit({ type, dept: ROOT_DEPT.id, actor: "system", payload: payload as never }, SYSTEM_KEY_ID);
    // Two district traffic brigades under the city traffic bureau sz.tp (siblings of each other).
    for (const [slug, name, en] of [["futian", "福田交警大队", "Futian Traffic Brigade"], ["nanshan", "南山交警大队", "Nanshan Traffic Brigade"]]) {
      await sys("dept.create", { id: `sz.tp.${slug}`, parent: "sz.tp", name, nameEn: en, kind: "bureau", bureau: "traffic_police" });
      const kp = generateKeyPair();
      ledger.keystore.add(deptKeyId(`sz.tp.${slug}`), kp.secretKey);
      await sys("key.register", { id: deptKeyId(`sz.tp.${slug}`), publicKey: kp.publicKey, dept: `sz.tp.${slug}`, kind: "dept" });
      await sys("user.create", { id: `${slug}.brigade`, dept: `sz.tp.${slug}`, name: `${name}管理员`, role: "dept_admin", clearance: 3, credential: CREDENTIAL });
    }
  });
  afterAll(async () => {
    await h?.close();
    await t?.dispose().catch(() => {}); // the harness has closed the database already
  });

  it("a district traffic-police admin cannot retire or redefine a city-level geofence; the city bureau can", async () => {
    const city = await h.as("tp.supervisor");
    await city.geofences.define(fence("city-core", "市中心重点区域"));
    expect((await h.services.ledger.node.store.record<{ owner: string }>("geofence", "city-core"))?.value.owner).toBe("sz.tp");

    const district = await h.as("futian.admin"); // sz.futian.tp: under the Futian district, not under sz.tp
    expect(await codeOf(district.geofences.retire({ id: "city-core", reason: "区级撤销" }))).toBe("FORBIDDEN");
    await expect(district.geofences.retire({ id: "city-core", reason: "区级撤销" })).rejects.toThrow(NOT_OWNER);
    expect(await codeOf(district.geofences.define(fence("city-core", "区级改写")))).toBe("FORBIDDEN");
    expect(await codeOf(district.geofences.retire({ id: "no-such-fence", reason: "x" }))).toBe("NOT_FOUND");

    // The contract refuses the same writes signed directly, and a forged department line.
    await expect(direct("sz.futian.tp", "futian.admin", "geofence.retire", { id: "city-core", reason: "伪造" })).rejects.toThrow(NOT_OWNER);
    await expect(direct("sz.futian.tp", "futian.admin", "geofence.define", fence("city-core", "伪造"))).rejects.toThrow(NOT_OWNER);
    await expect(direct("sz.futian.tp", "futian.admin", "geofence.retire", { id: "city-core", reason: "伪造", authority: ["sz.tp", "sz.futian.tp"] })).rejects.toThrow(NOT_OWNER);
    await expect(direct("sz.futian.tp", "futian.admin", "geofence.define", { ...fence("city-core", "伪造"), owner: "sz.futian.tp" })).rejects.toThrow(/belongs to sz\.tp|only the owner/);
    expect((await h.services.ledger.node.store.record<{ status: string; name: string }>("geofence", "city-core"))?.value).toMatchObject({ status: "active", name: "市中心重点区域" });

    await city.geofences.retire({ id: "city-core", reason: "市局调整" });
    expect((await h.services.ledger.node.store.record<{ status: string }>("geofence", "city-core"))?.value.status).toBe("retired");
  });

  it("the owner brigade manages its fence, a sibling brigade cannot, the city bureau above it can and keeps the owner", async () => {
    const futian = await h.as("futian.brigade");
    const nanshan = await h.as("nanshan.brigade");
    const city = await h.as("tp.supervisor");
    await futian.geofences.define(fence("futian-school", "福田学校区域"));
    await futian.geofences.define(fence("futian-school", "福田学校区域（扩大）"));
    const rec = async () => (await h.services.ledger.node.store.record<{ owner: string; name: string; status: string; version: number }>("geofence", "futian-school"))!.value;
    expect(await rec()).toMatchObject({ owner: "sz.tp.futian", version: 2 });

    expect(await codeOf(nanshan.geofences.retire({ id: "futian-school", reason: "越权" }))).toBe("FORBIDDEN");
    expect(await codeOf(nanshan.geofences.define(fence("futian-school", "越权")))).toBe("FORBIDDEN");
    await expect(direct("sz.tp.nanshan", "nanshan.brigade", "geofence.retire", { id: "futian-school", reason: "越权" })).rejects.toThrow(NOT_OWNER);
    // A line through the sibling does not hold on chain: sz.tp.futian's parent is sz.tp, not sz.tp.nanshan.
    await expect(direct("sz.tp.nanshan", "nanshan.brigade", "geofence.retire", { id: "futian-school", reason: "越权", authority: ["sz.tp.futian", "sz.tp.nanshan"] })).rejects.toThrow(NOT_OWNER);

    await city.geofences.define(fence("futian-school", "市局调整"));
    expect(await rec()).toMatchObject({ owner: "sz.tp.futian", name: "市局调整", version: 3 });
    await futian.geofences.retire({ id: "futian-school", reason: "学期结束" });
    expect((await rec()).status).toBe("retired");

    // Every accepted write replays: the contract's checks hold on verification.
    expect((await verifyLedger(h.services.ledger.node.store)).ok).toBe(true);
  });
});
