/**
 * Input and request hardening through real HTTP (the tRPC fetch handler the route serves) and the
 * router (issue 18, items 5 and 9): NUL characters are a 400 everywhere, batches are bounded,
 * cookie-authenticated POSTs need this portal's Origin and JSON, sharing.read and portal.search
 * are POSTed (never a search term in a URL), and the ingest body is capped while it streams.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../auth/cookies";
import { createSession } from "../auth/sessions";
import { MAX_BODY_BYTES, readBodyCapped } from "../ingest/http";
import { DEMO_PASSWORD } from "../ledger/seed-data";
import { callPath, createHarness, testConfig, type Harness } from "../testing/harness";
import { handleTrpc } from "./http-handler";
import { MAX_BATCH } from "./request-guard";
import { appRouter } from "./root";
import type { Meta } from "./trpc";

const ORIGIN = "http://portal.test";
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : Promise.reject(e)));
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta; type: string } }>).map(([path, p]) => ({ path, type: p._def.type }));

let h: Harness;
let cookie: string;
beforeAll(async () => {
  h = await createHarness();
  cookie = `${SESSION_COOKIE}=${(await createSession(h.services.ledger.db, "tp.admin", { ip: "t" })).token}`;
});
afterAll(async () => {
  await h?.close();
});

const post = (path: string, input: unknown, headers: Record<string, string> = {}, services = h.services) =>
  handleTrpc(new Request(`${ORIGIN}/api/trpc/${path}`, { method: "POST", headers: { host: "portal.test", "content-type": "application/json", origin: ORIGIN, cookie, ...headers }, body: JSON.stringify({ json: input }) }), services);
const get = (path: string, query = "") => handleTrpc(new Request(`${ORIGIN}/api/trpc/${path}${query}`, { headers: { host: "portal.test", cookie } }), h.services);
const dataReads = async () => (await h.services.ledger.db.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_txs WHERE type = 'data.read'")).rows[0].n;

describe("NUL characters", () => {
  it("are a 400 with a clear message in every procedure, never a 500", async () => {
    const admin = await h.as("admin");
    for (const { path } of procedures) {
      for (const input of [{ q: "a\u0000b" }, { id: "x", nested: { list: ["ok", "\u0000"] } }, { ["k\u0000"]: 1 }]) {
        expect(await codeOf(callPath(admin, path, input)), path).toMatch(/^BAD_REQUEST: .*NUL characters are not allowed/);
      }
    }
  });

  it("are refused in real-shaped inputs of the procedures that hit the database", async () => {
    const admin = await h.as("admin");
    const anon = (await h.anonymous()).caller;
    const cases: [Promise<unknown>, string][] = [
      [anon.auth.signIn({ username: "tp.viewer\u0000", password: DEMO_PASSWORD }), "auth.signIn"],
      [admin.portal.search({ q: "福田\u0000" }), "portal.search"],
      [admin.explorer.history({ ns: "user", key: "a\u0000" }), "explorer.history"],
      [admin.sharing.read({ id: "tp.violations", purpose: "审计 audit", q: "\u0000" }), "sharing.read"],
      [admin.dispatch.create({ type: "medical", severity: "high", lon: 114.05, lat: 22.54, address: "市民中心\u0000" }), "dispatch.create"],
      [admin.admin.createUser({ id: "nul.user", dept: "sz.tp", name: "名\u0000字", role: "viewer", clearance: 1, password: "Correct-Horse-7" } as never), "admin.createUser"],
      [admin.identity.verify({ idNumber: "440304198507041230", name: "张\u0000三", purpose: "旅客入住登记", site: "hotel.futian-cbd" }), "identity.verify"],
      [admin.geofences.define({ id: "gf-nul", name: "区\u0000域" } as never), "geofences.define"],
    ];
    for (const [p, name] of cases) expect(await codeOf(p), name).toMatch(/^BAD_REQUEST: .*NUL/);
    const res = await post("auth.signIn", { username: "a\u0000", password: "x" }, { cookie: "" });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toMatch(/invalid byte sequence|unsupported Unicode|22P05|22021/);
  });
});

describe("requests over HTTP", () => {
  it("limits a batch to MAX_BATCH calls", async () => {
    const paths = (n: number) => Array.from({ length: n }, () => "portal.status").join(",");
    const input = (n: number) => `?batch=1&input=${encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]))))}`;
    expect((await get(paths(MAX_BATCH), input(MAX_BATCH))).status).toBe(200);
    const over = await get(paths(MAX_BATCH + 1), input(MAX_BATCH + 1));
    expect(over.status).toBe(400);
    expect(await over.text()).toMatch(/[Bb]atch/);
  });

  it("refuses a cookie-authenticated POST from another origin, without an origin, or not as JSON", async () => {
    const ok = await post("sharing.read", { id: "geofences", limit: 1 });
    expect(ok.status).toBe(200);
    const evil = await post("sharing.read", { id: "geofences" }, { origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(await evil.text()).toMatch(/origin https:\/\/evil\.example is not this portal/);
    const viaReferer = await post("sharing.read", { id: "geofences", limit: 1 }, { origin: "", referer: `${ORIGIN}/catalogue/geofences` });
    expect(viaReferer.status).toBe(200);
    expect((await post("sharing.read", { id: "geofences" }, { origin: "" })).status).toBe(403);
    expect((await post("sharing.read", { id: "geofences" }, { "content-type": "text/plain" })).status).toBe(415);
    // Without a session there is nothing to forge: a script may sign in without Origin.
    expect((await post("auth.signIn", { username: "tp.viewer", password: DEMO_PASSWORD }, { origin: "", cookie: "" })).status).toBe(200);
    // APP_ORIGIN names the portal explicitly (behind a proxy that rewrites Host).
    const named = { ...h.services, appOrigins: testConfig({ APP_ORIGIN: "https://portal.city.gov" }).appOrigins };
    expect((await post("sharing.read", { id: "geofences" }, {}, named)).status).toBe(403);
    expect((await post("sharing.read", { id: "geofences", limit: 1 }, { origin: "https://portal.city.gov" }, named)).status).toBe(200);
  });

  it("refuses a GET whose input carries text (a plate, a key); the same query as POST answers", async () => {
    const input = (v: unknown) => `?input=${encodeURIComponent(JSON.stringify({ json: v }))}`;
    const plate = await get("registry.list", input({ kind: "vehicles", q: "粤B" }));
    expect(plate.status).toBe(400);
    expect(await plate.text()).toMatch(/POST/);
    expect((await get("explorer.history", input({ ns: "dsrec", key: "identity.registry/p-00001" }))).status).toBe(400);
    // Numbers alone (a limit, a height) are no one's data.
    expect((await get("explorer.blocks", input({ limit: 2 }))).status).toBe(200);
    const byPost = await post("registry.list", { kind: "vehicles", q: "粤B", limit: 2 });
    expect(byPost.status).toBe(200);
    expect(Array.isArray(((await byPost.json()) as { result: { data: { json: unknown } } }).result.data.json)).toBe(true);
  });

  it("serves sharing.read and portal.search only as POST: no search term in a URL, one data.read per read", async () => {
    const q = encodeURIComponent(JSON.stringify({ json: { id: "tp.violations", purpose: "审计 audit", q: "440304198507041230" } }));
    const byGet = await get("sharing.read", `?input=${q}`);
    expect(byGet.status).toBe(400);
    expect(await byGet.text()).toMatch(/never in a URL/);
    expect((await get("portal.search", `?input=${encodeURIComponent(JSON.stringify({ json: { q: "福田" } }))}`)).status).toBe(400);
    const before = await dataReads();
    for (let i = 0; i < 2; i++) expect((await post("sharing.read", { id: "tp.violations", purpose: "交通违法复核 case review", limit: 5 })).status).toBe(200);
    expect(await dataReads()).toBe(before + 2);
    const found = await post("portal.search", { q: "福田" });
    expect(found.status).toBe(200);
  });
});

describe("ingest body", () => {
  it("is capped while it streams, whatever Content-Length says", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024);
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled += chunk.byteLength;
        c.enqueue(chunk);
      },
    });
    const req = new Request("http://x/api/ingest/pings", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    await expect(readBodyCapped(req, MAX_BODY_BYTES)).rejects.toThrow();
    // It stopped near the cap: an endless body is not buffered.
    expect(pulled).toBeLessThan(MAX_BODY_BYTES + 4 * chunk.byteLength);
    const small = new Request("http://x/", { method: "POST", body: "hello" });
    expect(new TextDecoder().decode(await readBodyCapped(small, 10))).toBe("hello");
  });

  it("answers 413 through the signed-request handler for a streamed body over the limit", async () => {
    const { handleSignedRequest } = await import("../ingest/http");
    const big = new Uint8Array(MAX_BODY_BYTES + 1);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(big);
        c.close();
      },
    });
    const req = new Request("http://x/api/ingest/pings", { method: "POST", headers: { "x-cityledger-company": "didi", "x-cityledger-signature": "00" }, body: stream, duplex: "half" } as RequestInit);
    let accepted = false;
    const res = await handleSignedRequest(req, async () => ((accepted = true), {}));
    expect(res.status).toBe(413);
    expect(accepted).toBe(false);
  });
});
