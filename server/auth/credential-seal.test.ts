/** Sealed credentials: no password hash on the ledger or in the database, and sign-in still works. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, SEED_USERS } from "../ledger/seed-data";
import { createHarness, type Harness } from "../testing/harness";
import { openCredential, sealCredential } from "./credential-seal";
import { hashPassword, verifyPassword } from "./password";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("sealed credentials", () => {
  it("the seed puts no scrypt hash on the ledger or in the state tables, and seeded users sign in", async () => {
    const db = h.services.ledger.db;
    const txs = (await db.query<{ v: string }>("SELECT string_agg(body, '\n') AS v FROM ledger_txs WHERE type = 'user.create'")).rows[0].v;
    const state = (await db.query<{ v: string }>("SELECT string_agg(value::text, '\n') AS v FROM state_records WHERE ns = 'user'")).rows[0].v;
    expect(txs).toContain("sealed$");
    expect(txs).not.toContain("scrypt$");
    expect(state).not.toContain("scrypt$");
    expect(txs.match(/sealed\$/g)!.length).toBeGreaterThanOrEqual(SEED_USERS.length);
    const { caller } = await h.anonymous("198.51.100.1");
    await expect(caller.auth.signIn({ username: "tp.admin", password: DEMO_PASSWORD })).resolves.toMatchObject({ id: "tp.admin" });
    await expect(caller.auth.signIn({ username: "tp.admin", password: "wrong-password" })).rejects.toThrow(/Wrong username or password/);
  });

  it("users created and re-passworded by an admin get sealed credentials and sign in with them", async () => {
    const admin = await h.as("admin");
    await admin.admin.createUser({ id: "seal.user", dept: "sz.tp", name: "封存测试", role: "operator", clearance: 2, password: "Sealed@2026" });
    const rec = await h.services.ledger.node.store.record<{ credential: string }>("user", "seal.user");
    expect(rec!.value.credential).toMatch(/^sealed\$/);
    const { caller } = await h.anonymous("198.51.100.2");
    await expect(caller.auth.signIn({ username: "seal.user", password: "Sealed@2026" })).resolves.toMatchObject({ id: "seal.user" });
    await admin.admin.updateUser({ id: "seal.user", password: "Changed@2026" });
    await expect(caller.auth.signIn({ username: "seal.user", password: "Sealed@2026" })).rejects.toThrow(/Wrong username or password/);
    await expect(caller.auth.signIn({ username: "seal.user", password: "Changed@2026" })).resolves.toMatchObject({ id: "seal.user" });
  });

  it("a credential opens only for its own user and key; a bare scrypt hash (older ledgers) still verifies", async () => {
    const ks = h.services.ledger.keystore;
    const hash = await hashPassword("Pw@123456");
    const sealed = sealCredential(ks, "u1", hash);
    expect(openCredential(ks, "u1", sealed)).toBe(hash);
    expect(openCredential(ks, "u2", sealed)).toBeNull();
    expect(openCredential({ credentialKey: "00".repeat(32) }, "u1", sealed)).toBeNull();
    expect(await verifyPassword("Pw@123456", openCredential(ks, "u1", hash))).toBe(true);
  });
});
