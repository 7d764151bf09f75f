/** Password hashing, cookies, the failure limiter and secret redaction, without a ledger. */
import { describe, expect, it } from "vitest";
import { carriesSecret, redactSecrets, REDACTED } from "../ledger/redact";
import { parseCookies, sessionCookie, SESSION_COOKIE } from "./cookies";
import { DUMMY_CREDENTIAL, hashPassword, verifyPassword } from "./password";
import { FailureLimiter } from "./rate-limit";

describe("password", () => {
  it("hashes in the ledger's credential format and verifies only the right password", async () => {
    const cred = await hashPassword("Correct horse 1");
    expect(cred).toMatch(/^scrypt\$16384\$8\$1\$[0-9a-f]{32}\$[0-9a-f]{128}$/);
    expect(await verifyPassword("Correct horse 1", cred)).toBe(true);
    expect(await verifyPassword("correct horse 1", cred)).toBe(false);
    expect(await hashPassword("Correct horse 1")).not.toBe(cred); // salted
  });

  it("refuses malformed or absurd credentials without throwing", async () => {
    expect(await verifyPassword("x", undefined)).toBe(false);
    expect(await verifyPassword("x", "plain")).toBe(false);
    expect(await verifyPassword("x", DUMMY_CREDENTIAL)).toBe(false);
    expect(await verifyPassword("x", `scrypt$99999999$8$1$${"0".repeat(32)}$${"0".repeat(128)}`)).toBe(false);
  });
});

describe("cookies", () => {
  it("parses a Cookie header and keeps the first of duplicates", () => {
    expect(parseCookies("a=1; cl_session=abc; a=2; bad; e=%E4%B8%AD")).toEqual({ a: "1", cl_session: "abc", e: "中" });
    expect(parseCookies(null)).toEqual({});
  });

  it("sets httpOnly, SameSite=Lax, Path=/ and Secure only over https", () => {
    const c = sessionCookie("tok", { secure: false, maxAgeSec: 60 });
    expect(c).toBe(`${SESSION_COOKIE}=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=60`);
    expect(sessionCookie("tok", { secure: true, maxAgeSec: 60 })).toMatch(/; Secure$/);
    expect(sessionCookie("tok", { secure: false, maxAgeSec: 0 })).toMatch(new RegExp(`^${SESSION_COOKIE}=; .*Max-Age=0`));
  });
});

describe("FailureLimiter", () => {
  it("blocks after max failures in the window and frees up as they age out", () => {
    const l = new FailureLimiter(3, 1000);
    for (let i = 0; i < 3; i++) {
      expect(l.check("k", 100 * i).blocked).toBe(false);
      l.fail("k", 100 * i);
    }
    expect(l.check("k", 300)).toEqual({ blocked: true, retryAfterMs: 700 });
    expect(l.check("other", 300).blocked).toBe(false);
    expect(l.check("k", 1001).blocked).toBe(false);
    l.fail("k", 1001);
    l.reset("k");
    expect(l.check("k", 1002).blocked).toBe(false);
  });

  it("takes a higher threshold per call (account-wide limit)", () => {
    const l = new FailureLimiter(2, 1000);
    for (let i = 0; i < 5; i++) l.fail("acct", i);
    expect(l.check("acct", 10).blocked).toBe(true);
    expect(l.check("acct", 10, 8).blocked).toBe(false);
  });
});

describe("redaction", () => {
  it("replaces credential fields at any depth and leaves the rest", () => {
    const v = { id: "u", credential: "scrypt$...", nested: [{ credential: "x", name: "n" }] };
    expect(redactSecrets(v)).toEqual({ id: "u", credential: REDACTED, nested: [{ credential: REDACTED, name: "n" }] });
    expect(carriesSecret(JSON.stringify({ payload: { id: "u", credential: "c" } }))).toBe(true);
    expect(carriesSecret(JSON.stringify({ payload: { id: "u" } }))).toBe(false);
    expect(carriesSecret("not json")).toBe(false);
  });
});

describe("client address behind trusted proxies", async () => {
  const { clientIp, parseTrustedProxies, DIRECT } = await import("./client-ip");
  const h = (xff?: string) => new Headers(xff ? { "x-forwarded-for": xff } : {});
  it("ignores X-Forwarded-For entirely without TRUSTED_PROXIES", () => {
    expect(clientIp(h("203.0.113.9"), parseTrustedProxies(undefined))).toBe(DIRECT);
    expect(clientIp(h(), parseTrustedProxies(""))).toBe(DIRECT);
  });
  it("takes the rightmost hop that is not a trusted proxy (CIDR, mapped IPv6, ports)", () => {
    const t = parseTrustedProxies("10.0.0.0/8, 192.168.1.5, ::1");
    expect(clientIp(h("1.2.3.4, 198.51.100.7, 10.1.2.3"), t)).toBe("198.51.100.7");
    expect(clientIp(h("198.51.100.7:5123, ::ffff:10.9.9.9"), t)).toBe("198.51.100.7");
    expect(clientIp(h("192.168.1.5"), t)).toBe("192.168.1.5");
    expect(t.has("::1") && t.has("10.255.0.1") && !t.has("11.0.0.1")).toBe(true);
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/not an IPv4 CIDR/);
    expect(() => parseTrustedProxies("proxy.local")).toThrow(/not an IP address/);
  });
});

describe("SignInThrottle", async () => {
  const { SignInThrottle } = await import("./sign-in-throttle");
  it("backs off exponentially per (account, address) after 5 failures, capped, and a success clears it", () => {
    const t = new SignInThrottle("s");
    const a = { username: "u", ip: "198.51.100.1" };
    let now = 1_000_000;
    for (let i = 0; i < 5; i++) t.fail(a, now);
    expect(t.check(a, now)).toEqual({ allowed: false, retryAfterMs: 1000 });
    expect(t.check(a, now + 1000).allowed).toBe(true);
    for (let i = 0; i < 4; i++) t.fail(a, now);
    expect(t.check(a, now).retryAfterMs).toBe(16_000);
    for (let i = 0; i < 20; i++) t.fail(a, (now += 1));
    expect(t.check(a, now).retryAfterMs).toBe(15 * 60_000);
    // Another address for the same account: only the account-wide bucket (29 failures, cap 60 s) applies.
    expect(t.check({ username: "u", ip: "198.51.100.2" }, now).retryAfterMs).toBe(60_000);
    t.succeed(a, now);
    expect(t.check(a, now).retryAfterMs).toBe(60_000);
  });
  it("gives a browser with the account's device cookie its own bucket", () => {
    const t = new SignInThrottle("s");
    const device = t.issueDevice("Alice");
    expect(t.deviceOf("alice", device)).toMatch(/^[0-9a-f]{24}$/);
    expect(t.deviceOf("bob", device)).toBeNull();
    expect(t.deviceOf("alice", device.replace(/.$/, (c) => (c === "0" ? "1" : "0")))).toBeNull();
    expect(new SignInThrottle("other").deviceOf("alice", device)).toBeNull();
    for (let i = 0; i < 200; i++) t.fail({ username: "alice", ip: "direct" }, 5000);
    expect(t.check({ username: "alice", ip: "direct" }, 5000).allowed).toBe(false);
    expect(t.check({ username: "alice", ip: "direct", device }, 5000).allowed).toBe(true);
  });
});
