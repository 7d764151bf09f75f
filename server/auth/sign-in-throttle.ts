/**
 * Failed sign-in throttling that an attacker cannot turn into a lock-out (OWASP "device cookies").
 * Failures are counted in buckets, each with exponential backoff rather than a lock:
 * - a browser that signed in to the account before presents its device cookie: its own bucket, so
 *   the real user is never slowed by anyone else's failures;
 * - otherwise per (account, client address), and per address across accounts (password spraying),
 *   both only when the address is known (see client-ip.ts);
 * - and per account for all untrusted browsers together, with a short cap: many addresses guessing
 *   one password get about one try a minute, while a real user on a new browser waits at most that.
 * In memory, per process: enough for one portal node.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { DIRECT } from "./client-ip";

export const DEVICE_COOKIE = "cl_device";
export const DEVICE_MAX_AGE_SEC = 180 * 86_400;

interface Bucket {
  failures: number;
  last: number;
}

/** How many failures a bucket absorbs before backoff, and the longest wait it imposes. */
interface Rule {
  free: number;
  capMs: number;
}

const RULES = {
  device: { free: 5, capMs: 15 * 60_000 },
  pair: { free: 5, capMs: 15 * 60_000 },
  address: { free: 30, capMs: 15 * 60_000 },
  account: { free: 20, capMs: 60_000 },
} satisfies Record<string, Rule>;

/** Failures older than this are forgotten. */
const FORGET_MS = 60 * 60_000;

export interface Attempt {
  username: string;
  ip: string;
  /** The raw device cookie the browser sent, if any. */
  device?: string;
}

export interface Verdict {
  allowed: boolean;
  retryAfterMs: number;
}

function waitMs(b: Bucket | undefined, rule: Rule, now: number): number {
  if (!b || b.failures < rule.free) return 0;
  const delay = Math.min(rule.capMs, 1000 * 2 ** Math.min(30, b.failures - rule.free));
  return Math.max(0, b.last + delay - now);
}

export class SignInThrottle {
  private readonly buckets = new Map<string, Bucket>();
  private readonly secret: Uint8Array;

  constructor(secret?: string) {
    this.secret = secret ? utf8ToBytes(secret) : randomBytes(32);
  }

  /** A device cookie value for `username`: a nonce and its MAC, naming the account. */
  issueDevice(username: string): string {
    const nonce = bytesToHex(randomBytes(12));
    const user = Buffer.from(username.trim().toLowerCase()).toString("base64url");
    return `${user}.${nonce}.${this.mac(user, nonce)}`;
  }

  /** The device id when `cookie` is a valid device cookie for `username`, else null. */
  deviceOf(username: string, cookie: string | undefined): string | null {
    const [user, nonce, mac] = (cookie ?? "").split(".");
    if (!user || !nonce || !mac) return null;
    if (user !== Buffer.from(username.trim().toLowerCase()).toString("base64url")) return null;
    const want = this.mac(user, nonce);
    if (want.length !== mac.length) return null;
    let diff = 0;
    for (let i = 0; i < want.length; i++) diff |= want.charCodeAt(i) ^ mac.charCodeAt(i);
    return diff === 0 ? nonce : null;
  }

  private mac(user: string, nonce: string): string {
    return bytesToHex(hmac(sha256, this.secret, utf8ToBytes(`cityledger-device|${user}|${nonce}`))).slice(0, 32);
  }

  private keysOf(a: Attempt): [string, Rule][] {
    const account = a.username.trim().toLowerCase();
    const device = this.deviceOf(a.username, a.device);
    if (device) return [[`d|${account}|${device}`, RULES.device]];
    const keys: [string, Rule][] = [[`u|${account}`, RULES.account]];
    if (a.ip !== DIRECT) keys.push([`p|${account}|${a.ip}`, RULES.pair], [`a|${a.ip}`, RULES.address]);
    return keys;
  }

  check(a: Attempt, now = Date.now()): Verdict {
    let wait = 0;
    for (const [key, rule] of this.keysOf(a)) wait = Math.max(wait, waitMs(this.live(key, now), rule, now));
    return { allowed: wait === 0, retryAfterMs: wait };
  }

  fail(a: Attempt, now = Date.now()): void {
    for (const [key] of this.keysOf(a)) {
      const b = this.live(key, now) ?? { failures: 0, last: now };
      this.buckets.set(key, { failures: b.failures + 1, last: now });
    }
    if (this.buckets.size > 50_000) for (const k of [...this.buckets.keys()]) this.live(k, now);
  }

  /** A success clears the buckets of this browser (device, or account and address); the account-wide one decays. */
  succeed(a: Attempt, now = Date.now()): void {
    for (const [key] of this.keysOf(a)) if (!key.startsWith("u|") && !key.startsWith("a|")) this.buckets.delete(key);
    void now;
  }

  private live(key: string, now: number): Bucket | undefined {
    const b = this.buckets.get(key);
    if (b && now - b.last > FORGET_MS) {
      this.buckets.delete(key);
      return undefined;
    }
    return b;
  }
}

/** httpOnly device cookie (sent only to sign-in). */
export function deviceCookie(value: string, opts: { secure: boolean }): string {
  return [`${DEVICE_COOKIE}=${value}`, "Path=/api/trpc", "HttpOnly", "SameSite=Strict", `Max-Age=${DEVICE_MAX_AGE_SEC}`, ...(opts.secure ? ["Secure"] : [])].join("; ");
}
