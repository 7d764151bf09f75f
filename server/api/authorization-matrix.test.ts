/**
 * The authorisation matrix, generated from the router: every procedure declares its access in meta;
 * every non-public procedure refuses an anonymous caller (401) and, for role-gated ones, a signed-in
 * user of a role it does not allow (403), and admits a role it allows. New procedures are covered
 * without touching this file.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allows } from "../../lib/access";
import { ROOT_DEPT, SEED_DEPARTMENTS, SEED_USERS as USERS } from "../ledger/seed-data";

/** Seeded users with their department's kind and bureau, as the session carries them. */
const SEED_USERS = USERS.map((u) => {
  const d = u.dept === ROOT_DEPT.id ? { kind: "city", bureau: undefined } : SEED_DEPARTMENTS.find((x) => x.id === u.dept)!;
  return { ...u, deptKind: d.kind, bureau: d.bureau };
});
import { callPath, createHarness, type Harness } from "../testing/harness";
import { appRouter } from "./root";
import type { Meta } from "./trpc";

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>).map(([path, p]) => ({
  path,
  access: p._def.meta?.access,
}));
const PUBLIC = ["auth.me", "auth.signIn"];

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    if (e instanceof TRPCError) return e.code;
    throw e;
  }
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("authorisation matrix", () => {
  it("covers the router, and every procedure declares its access", () => {
    expect(procedures.length).toBeGreaterThanOrEqual(17);
    for (const p of procedures) expect(p.access, p.path).toBeDefined();
    expect(procedures.filter((p) => p.access!.kind === "public").map((p) => p.path).sort()).toEqual(PUBLIC);
  });

  it.each(procedures.filter((p) => p.access?.kind !== "public"))("$path refuses an anonymous caller with UNAUTHORIZED", async ({ path }) => {
    const { caller } = await h.anonymous();
    expect(await codeOf(callPath(caller, path, undefined))).toBe("UNAUTHORIZED");
  });

  const roleGated = procedures.filter((p) => p.access?.kind === "role");
  it.each(roleGated)("$path refuses a role it does not allow with FORBIDDEN", async ({ path, access }) => {
    const wrong = SEED_USERS.filter((u) => !allows(access as never, u));
    expect(wrong.length, `${path}: some seeded user must lack access`).toBeGreaterThan(0);
    for (const u of wrong) {
      const caller = await h.as(u.id);
      expect(await codeOf(callPath(caller, path, undefined)), `${path} as ${u.id} (${u.role})`).toBe("FORBIDDEN");
    }
  });

  it.each(roleGated)("$path admits a role it allows past the access check", async ({ path, access }) => {
    const right = SEED_USERS.find((u) => allows(access as never, u))!;
    const caller = await h.as(right.id);
    // Without input a mutation fails validation (BAD_REQUEST) and a query may succeed: never 401/403.
    expect(["OK", "BAD_REQUEST"]).toContain(await codeOf(callPath(caller, path, undefined)));
  });
});
