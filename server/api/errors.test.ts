/** The one error table: every domain error class has its tRPC code, ledger refusals map by their code, and procedures answer with them. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TxRejectedError } from "../../chain/contracts/types";
import { REGISTRY } from "../../chain/contracts/identity";
import { SESSION_COOKIE } from "../auth/cookies";
import { createSession } from "../auth/sessions";
import * as errors from "../errors";
import { demoRecords } from "../sharing/catalogue";
import { submitAsSystem } from "../sharing/keys";
import { createHarness, type Harness } from "../testing/harness";
import { codeOf, DOMAIN_ERROR_CODES, toTRPCError } from "./errors";
import { createCaller } from "./root";
import { createContext } from "./trpc";

/** What each domain error means to a client. A new class in server/errors.ts must be added here and to the table. */
const EXPECTED: Record<string, [error: Error, code: string][]> = {
  NotFoundError: [[new errors.NotFoundError("没有 none"), "NOT_FOUND"]],
  InvalidInputError: [[new errors.InvalidInputError("坏 bad"), "BAD_REQUEST"]],
  ConflictError: [[new errors.ConflictError("冲突 conflict"), "CONFLICT"]],
  UnavailableError: [[new errors.UnavailableError("无密钥 no key"), "PRECONDITION_FAILED"]],
  RateLimitedError: [[new errors.RateLimitedError(30, "稍后 later"), "TOO_MANY_REQUESTS"]],
  AccessDeniedError: [
    [new errors.AccessDeniedError("no_grant", "无授权 no grant"), "FORBIDDEN"],
    [new errors.AccessDeniedError("clearance", "密级 clearance"), "FORBIDDEN"],
    [new errors.AccessDeniedError("not_owner", "非所属 not owner"), "FORBIDDEN"],
    [new errors.AccessDeniedError("unknown_dataset", "无数据集 no dataset"), "NOT_FOUND"],
    [new errors.AccessDeniedError("purpose", "须说明用途 purpose"), "BAD_REQUEST"],
  ],
};

describe("the domain error table", () => {
  it("maps every domain error class of server/errors.ts, each to its code, keeping the message", () => {
    const classes = Object.entries(errors).filter(([, v]) => typeof v === "function" && v.prototype instanceof errors.DomainError);
    expect(classes.map(([name]) => name).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [name, cls] of classes) {
      expect(DOMAIN_ERROR_CODES.some(([c]) => c === cls), `${name} is in the table`).toBe(true);
      for (const [e, code] of EXPECTED[name]) {
        const mapped = toTRPCError(e);
        expect([name, mapped.code]).toEqual([name, code]);
        expect(mapped.message).toBe(e.message);
        expect(mapped.cause).toBe(e);
      }
    }
  });

  it("maps a ledger refusal by its code", () => {
    const byCode: [TxRejectedError["code"], string][] = [
      ["unauthorized", "FORBIDDEN"],
      ["internal", "INTERNAL_SERVER_ERROR"],
      ["refused", "BAD_REQUEST"],
      ["malformed", "BAD_REQUEST"],
      ["replay", "BAD_REQUEST"],
      ["unknown_type", "BAD_REQUEST"],
    ];
    for (const [code, want] of byCode) expect([code, codeOf(new TxRejectedError("拒绝 refused", code))]).toEqual([code, want]);
  });

  it("leaves anything else a server error", () => {
    expect(codeOf(new Error("boom"))).toBe("INTERNAL_SERVER_ERROR");
    expect(codeOf("boom")).toBe("INTERNAL_SERVER_ERROR");
  });
});

describe("procedures answer domain errors with the table's code", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h?.close());

  const rejection = (p: Promise<unknown>) => p.then(() => ({ code: "OK", message: "" }), (e: { code: string; message: string }) => ({ code: e.code, message: e.message }));

  it("a domain module's NotFoundError and AccessDeniedError, and a contract's refusal", async () => {
    const admin = await h.as("admin");
    expect(await rejection(admin.sharing.decide({ id: "req-nosuch-1", decision: "approve" }))).toEqual({ code: "NOT_FOUND", message: "没有该申请 unknown request req-nosuch-1" });
    expect((await rejection(admin.sharing.read({ id: "no.such.dataset", limit: 1 }))).code).toBe("NOT_FOUND");
    const viewer = await h.as("tp.viewer");
    expect(await rejection(viewer.sharing.read({ id: REGISTRY, limit: 1 }))).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/^拒绝访问 Access denied: /) });
    // user.create of an id that exists: the contract refuses, the client sees its message as a bad request.
    expect(await rejection(admin.admin.createUser({ id: "tp.viewer", dept: "sz.tp", name: "重复", role: "viewer", clearance: 1, password: "Harbour-Light-2026" }))).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/tp\.viewer/),
    });
  });

  it("a rate limit answers TOO_MANY_REQUESTS with Retry-After", async () => {
    const L = h.services.ledger;
    await submitAsSystem(L, "rule.set", { name: "identity.rateLimit", value: { perMinute: 1, perDay: 100 } }, "测试限流 test the rate limit");
    const { token } = await createSession(L.db, "futian.psb.desk", { ip: "test" });
    const resHeaders = new Headers();
    const desk = createCaller(await createContext({ services: h.services, headers: new Headers({ cookie: `${SESSION_COOKIE}=${token}` }), resHeaders }));
    const p = demoRecords(REGISTRY, 0)[0];
    const check = () => desk.identity.verify({ idNumber: p.sealed.idNumber as string, name: p.sealed.name as string, purpose: "旅馆业入住登记 hotel check-in", site: "hotel.futian-cbd" });
    expect((await rejection(check())).code).toBe("OK");
    expect(resHeaders.get("Retry-After")).toBeNull();
    expect(await rejection(check())).toMatchObject({ code: "TOO_MANY_REQUESTS", message: expect.stringMatching(/1\/min/) });
    expect(Number(resHeaders.get("Retry-After"))).toBeGreaterThan(0);
  });
});
