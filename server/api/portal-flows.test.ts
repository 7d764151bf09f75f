/** Sign-in, rate limit, sessions, and admin changes landing on the ledger, through the real router. */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeSuite } from "../../chain/node-crypto";
import { verifyReceipt } from "../../chain/receipt";
import { SESSION_COOKIE } from "../auth/cookies";
import { DEMO_PASSWORD, SEED_DEPARTMENTS, SEED_USERS } from "../ledger/seed-data";
import { createHarness, type Harness } from "../testing/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

async function rejection(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return e;
    throw e;
  }
  throw new Error("expected a TRPCError");
}

function sessionTokenFrom(headers: Headers): string {
  const cookie = headers.get("set-cookie") ?? "";
  const m = new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(cookie);
  return m?.[1] ?? "";
}

describe("seed", () => {
  it("wrote the department tree, keys and users as ledger transactions", async () => {
    const { node } = h.services.ledger;
    expect((await node.store.records("dept")).length).toBe(SEED_DEPARTMENTS.length + 1);
    expect((await node.store.records("user")).length).toBe(SEED_USERS.length);
    // The seed's own transactions (the start-up's catalogue step writes after it, with other types).
    const { rows } = await h.services.ledger.db.query<{ n: number; top: number }>(
      "SELECT count(*)::int AS n, max(height)::int AS top FROM ledger_txs WHERE type IN ('ledger.genesis', 'dept.create', 'key.register', 'user.create')",
    );
    expect(rows[0].n).toBe(h.services.ledger.seeded!.transactions);
    expect(rows[0].top).toBeLessThanOrEqual(5); // concurrent submission: a handful of blocks
    const futianTp = await node.store.record<{ name: string; parent: string }>("dept", "sz.futian.tp");
    expect(futianTp?.value).toMatchObject({ name: "福田交警大队", parent: "sz.futian" });
    const history = await node.store.history("user", "admin");
    expect(history.map((t) => t.type)).toEqual(["user.create"]);
  });
});

describe("sign-in and sessions", () => {
  it("signs in with the right password, sets an httpOnly SameSite cookie, and the session resolves", async () => {
    const { caller, resHeaders } = await h.anonymous("198.51.100.1");
    const res = await caller.auth.signIn({ username: "tp.operator", password: DEMO_PASSWORD });
    expect(res).toEqual({ id: "tp.operator", name: "张伟", role: "operator" });
    const cookie = resHeaders.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const token = sessionTokenFrom(resHeaders);
    const me = await (await h.withCookie(`${SESSION_COOKIE}=${token}`)).auth.me();
    expect(me).toMatchObject({ id: "tp.operator", role: "operator", dept: "sz.tp", deptName: "深圳市公安局交通警察支队" });
    expect(JSON.stringify(me)).not.toMatch(/scrypt/);
  });

  it("refuses a wrong password and an unknown user alike", async () => {
    const { caller } = await h.anonymous("198.51.100.2");
    expect((await rejection(caller.auth.signIn({ username: "tp.operator", password: "wrong-password" }))).code).toBe("UNAUTHORIZED");
    expect((await rejection(caller.auth.signIn({ username: "nobody", password: "wrong-password" }))).code).toBe("UNAUTHORIZED");
  });

  it("gives a readable zod error for bad input, never a 500", async () => {
    const { caller } = await h.anonymous();
    const e = await rejection(caller.auth.signIn({ username: "", password: "" }));
    expect(e.code).toBe("BAD_REQUEST");
  });

  it("rate-limits failed sign-ins per username and IP with TOO_MANY_REQUESTS", async () => {
    const { caller } = await h.anonymous("198.51.100.3");
    for (let i = 0; i < 5; i++) {
      expect((await rejection(caller.auth.signIn({ username: "tp.viewer", password: "bad-" + i }))).code).toBe("UNAUTHORIZED");
    }
    // Even the right password is refused while blocked.
    expect((await rejection(caller.auth.signIn({ username: "tp.viewer", password: DEMO_PASSWORD }))).code).toBe("TOO_MANY_REQUESTS");
    // Another IP is not affected.
    const other = await h.anonymous("198.51.100.4");
    await expect(other.caller.auth.signIn({ username: "tp.viewer", password: DEMO_PASSWORD })).resolves.toMatchObject({ id: "tp.viewer" });
  });

  it("slows one account guessed from rotating addresses, but never locks out the user's own browser", async () => {
    // The real user signed in before from this browser: it holds a device cookie.
    const victim = await h.anonymous("192.0.2.10");
    await victim.caller.auth.signIn({ username: "em.supervisor", password: DEMO_PASSWORD });
    const device = /cl_device=([^;]+)/.exec(victim.resHeaders.get("set-cookie") ?? "")![1];
    expect(victim.resHeaders.get("set-cookie")).toMatch(/cl_device=[^;]+; Path=\/api\/trpc; HttpOnly; SameSite=Strict/);
    for (let i = 0; i < 40; i++) {
      const { caller } = await h.anonymous(`203.0.113.${100 + i}`);
      const code = (await rejection(caller.auth.signIn({ username: "em.supervisor", password: "bad-" + i }))).code;
      expect(["UNAUTHORIZED", "TOO_MANY_REQUESTS"]).toContain(code);
    }
    // A new address without the cookie is slowed (seconds, not a lock)...
    const { caller } = await h.anonymous("203.0.113.250");
    const slowed = await rejection(caller.auth.signIn({ username: "em.supervisor", password: DEMO_PASSWORD }));
    expect(slowed.code).toBe("TOO_MANY_REQUESTS");
    expect(slowed.message).toMatch(/请在 \d+ 秒后重试 .*retry in ([1-9]|[1-5]\d|60) s$/);
    // ...while the user's browser, even behind the attackers' address, signs in at once.
    const again = await h.withCookie(`cl_device=${device}`);
    await expect(again.auth.signIn({ username: "em.supervisor", password: DEMO_PASSWORD })).resolves.toMatchObject({ id: "em.supervisor" });
    // A forged or another account's device cookie is no better than none.
    const forged = await h.withCookie(`cl_device=${device.slice(0, -2)}00`);
    expect((await rejection(forged.auth.signIn({ username: "em.supervisor", password: DEMO_PASSWORD }))).code).toBe("TOO_MANY_REQUESTS");
  });

  it("ignores X-Forwarded-For without a trusted proxy: a spoofed address gets no fresh bucket", async () => {
    const bare = await createHarness(undefined, { trustedProxies: "" });
    try {
      for (let i = 0; i < 25; i++) {
        const { caller } = await bare.anonymous(`198.18.0.${i}`);
        await rejection(caller.auth.signIn({ username: "tp.operator", password: "bad-" + i }));
      }
      const { caller } = await bare.anonymous("198.18.1.1");
      expect((await rejection(caller.auth.signIn({ username: "tp.operator", password: DEMO_PASSWORD }))).code).toBe("TOO_MANY_REQUESTS");
    } finally {
      await bare.close();
    }
    // Behind a trusted proxy the client is the rightmost hop the proxy did not add: hops a client prepends are ignored.
    const { caller } = await h.anonymous("1.1.1.1, 198.51.100.77");
    for (let i = 0; i < 5; i++) await rejection(caller.auth.signIn({ username: "tr.operator", password: "bad-" + i }));
    const spoof = await h.anonymous("9.9.9.9, 198.51.100.77");
    expect((await rejection(spoof.caller.auth.signIn({ username: "tr.operator", password: DEMO_PASSWORD }))).code).toBe("TOO_MANY_REQUESTS");
  });

  it("signs out: the session row is gone and the cookie cleared", async () => {
    const { caller, resHeaders } = await h.anonymous("198.51.100.5");
    await caller.auth.signIn({ username: "tp.supervisor", password: DEMO_PASSWORD });
    const token = sessionTokenFrom(resHeaders);
    const { services } = h;
    const headers = new Headers();
    const { createContext } = await import("./trpc");
    const { createCaller } = await import("./root");
    const signedIn = createCaller(await createContext({ services, headers: new Headers({ cookie: `${SESSION_COOKIE}=${token}` }), resHeaders: headers }));
    await signedIn.auth.signOut();
    expect(headers.get("set-cookie")).toMatch(/Max-Age=0/);
    expect(await (await h.withCookie(`${SESSION_COOKIE}=${token}`)).auth.me()).toBeNull();
    expect((await rejection((await h.withCookie(`${SESSION_COOKIE}=${token}`)).portal.status())).code).toBe("UNAUTHORIZED");
  });

  it("ignores a forged cookie", async () => {
    const c = await h.withCookie(`${SESSION_COOKIE}=${"A".repeat(43)}`);
    expect(await c.auth.me()).toBeNull();
  });
});

describe("admin changes are ledger transactions", () => {
  it("creates a user via the admin mutation; the user lands on the ledger and can sign in", async () => {
    const admin = await h.as("admin");
    const res = await admin.admin.createUser({ id: "fire.ops1", dept: "sz.fire", name: "高远", role: "operator", clearance: 2, password: "Fire@2026!" });
    expect(res.hash).toMatch(/^[0-9a-f]{64}$/);
    const { node } = h.services.ledger;
    const tx = await node.store.txByHash(res.hash);
    expect(tx).toMatchObject({ type: "user.create", actor: "admin", dept: "sz" });
    const rec = await node.store.record<{ role: string }>("user", "fire.ops1");
    expect(rec?.value.role).toBe("operator");
    // Its receipt verifies offline.
    const receipt = await admin.explorer.receipt({ hash: res.hash });
    expect(verifyReceipt(nodeSuite, receipt, await admin.explorer.nodePin()).ok).toBe(true);
    // The explorer shows the transaction without the credential.
    const detail = await admin.explorer.tx({ hash: res.hash });
    expect(detail.tx.payload).toMatchObject({ id: "fire.ops1", credential: "[redacted]" });
    const { caller } = await h.anonymous("198.51.100.9");
    await expect(caller.auth.signIn({ username: "fire.ops1", password: "Fire@2026!" })).resolves.toMatchObject({ role: "operator" });
  });

  it("refuses a common or trivially guessable password with a clear message, and writes nothing", async () => {
    const admin = await h.as("admin");
    const height = (await h.services.ledger.node.store.listBlocks(1))[0]?.height;
    for (const weak of ["12345678", "password", "Password1", "qwerty123", "aaaaaaaaaa", "98765432", "1234567"]) {
      const e = await rejection(admin.admin.createUser({ id: "weak.user", dept: "sz.fire", name: "弱口令", role: "viewer", clearance: 1, password: weak }));
      expect(e.code, weak).toBe("BAD_REQUEST");
      expect(e.message, weak).toMatch(/common|repeated|run of digits|at least 8/);
    }
    expect(await h.services.ledger.node.store.record("user", "weak.user")).toBeNull();
    expect((await h.services.ledger.node.store.listBlocks(1))[0]?.height).toBe(height);
    // The documented demo password and ordinary strong ones stay valid.
    await expect(admin.admin.createUser({ id: "ok.user", dept: "sz.fire", name: "合规", role: "viewer", clearance: 1, password: DEMO_PASSWORD })).resolves.toBeTruthy();
  });

  it("a role change applies to existing sessions; a disabled user is signed out and cannot sign in", async () => {
    const admin = await h.as("admin");
    const { createSession } = await import("../auth/sessions");
    const { token } = await createSession(h.services.ledger.db, "futian.operator", {});
    // Each request builds its context afresh, as over HTTP.
    const user = () => h.withCookie(`${SESSION_COOKIE}=${token}`);
    expect(await (await user()).auth.me()).toMatchObject({ role: "operator" });
    await admin.admin.updateUser({ id: "futian.operator", role: "viewer" });
    expect(await (await user()).auth.me()).toMatchObject({ role: "viewer" });
    expect((await rejection((await user()).explorer.blocks())).code).toBe("FORBIDDEN");
    await admin.admin.updateUser({ id: "futian.operator", status: "disabled" });
    expect(await (await user()).auth.me()).toBeNull();
    const { caller } = await h.anonymous("198.51.100.10");
    expect((await rejection(caller.auth.signIn({ username: "futian.operator", password: DEMO_PASSWORD }))).code).toBe("FORBIDDEN");
  });

  it("a department admin is confined to their department; the ledger's refusal comes back as a client error", async () => {
    const deptAdmin = await h.as("tp.admin");
    expect((await rejection(deptAdmin.admin.createUser({ id: "x.user", dept: "sz.fire", name: "某人", role: "viewer", clearance: 1, password: "Passw0rd!" }))).code).toBe("FORBIDDEN");
    const refused = await rejection(deptAdmin.admin.createUser({ id: "x.boss", dept: "sz.tp", name: "某人", role: "sys_admin", clearance: 1, password: "Passw0rd!" }));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toMatch(/cannot grant role sys_admin/);
    const ok = await deptAdmin.admin.createUser({ id: "tp.new", dept: "sz.tp", name: "新同事", role: "operator", clearance: 2, password: "Passw0rd!" });
    expect(ok.hash).toMatch(/^[0-9a-f]{64}$/);
    const visible = await deptAdmin.admin.users();
    expect(visible.every((u) => u.dept === "sz.tp")).toBe(true);
    expect(JSON.stringify(visible)).not.toMatch(/scrypt/);
  });

  it("creates, renames and disables a department; the new department gets a signing key", async () => {
    const admin = await h.as("admin");
    const res = await admin.admin.createDepartment({ id: "sz.longhua.tp", parent: "sz.longhua", name: "龙华交警大队", nameEn: "Longhua Traffic Police Brigade", kind: "bureau", bureau: "traffic_police" });
    expect(res.keyTx.hash).toMatch(/^[0-9a-f]{64}$/);
    const { node } = h.services.ledger;
    expect((await node.store.record("key", "k.sz.longhua.tp"))?.value).toMatchObject({ dept: "sz.longhua.tp", status: "active" });
    await admin.admin.updateDepartment({ id: "sz.longhua.tp", name: "深圳市公安局交通警察支队龙华大队" });
    await admin.admin.updateDepartment({ id: "sz.longhua.tp", status: "disabled" });
    expect((await node.store.record("dept", "sz.longhua.tp"))?.value).toMatchObject({ name: "深圳市公安局交通警察支队龙华大队", status: "disabled" });
    expect((await node.store.history("dept", "sz.longhua.tp")).map((t) => t.type)).toEqual(["dept.create", "dept.update", "dept.update"]);
    const bad = await rejection(admin.admin.createDepartment({ id: "Bad Id", parent: "sz", name: "x", nameEn: "x", kind: "district" }));
    expect(bad.code).toBe("BAD_REQUEST");
  });
});

describe("portal", () => {
  it("shows ledger status, apps by role, and search without secrets", async () => {
    const viewer = await h.as("tp.viewer");
    const admin = await h.as("admin");
    const status = await viewer.portal.status();
    expect(status).toMatchObject({ nodeCount: 1, quorum: 1 });
    expect(status.height).toBeGreaterThanOrEqual(2);
    const viewerApps = (await viewer.portal.apps()).map((a) => a.id);
    const adminApps = (await admin.portal.apps()).map((a) => a.id);
    expect(viewerApps).not.toContain("admin");
    expect(viewerApps).not.toContain("explorer");
    expect(adminApps).toEqual(expect.arrayContaining(["admin", "explorer"]));
    const found = await viewer.portal.search({ q: "福田" });
    expect(found.departments.map((d) => d.id)).toContain("sz.futian");
    expect(found.transactions).toEqual([]);
    const someHash = (await admin.explorer.latestTxs({ limit: 1 }))[0].hash;
    expect((await admin.portal.search({ q: someHash.slice(0, 10) })).transactions[0].hash).toBe(someHash);
    const genesis = (await admin.explorer.block({ height: 0 }))!.txs[0].hash;
    expect((await admin.portal.search({ q: genesis.toUpperCase() })).transactions.map((t) => t.hash)).toEqual([genesis]);
    expect((await admin.portal.search({ q: "0".repeat(64) })).transactions).toEqual([]);
    expect((await viewer.portal.alerts()).length).toBeGreaterThan(0);
  });
});
