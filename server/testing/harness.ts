/**
 * Test harness: the app (server/app.ts) on an in-memory PGlite (or a given database) with the demo
 * staff and the catalogue but no demo world or vehicle supervision, and callers per user.
 */
import { openDatabase, type Database } from "../../chain/store/db";
import { createCaller } from "../api/root";
import { createContext, type Services } from "../api/trpc";
import { openApp, type App } from "../app";
import { SESSION_COOKIE } from "../auth/cookies";
import { createSession } from "../auth/sessions";
import { loadConfig, type Config } from "../config";
import type { ClusterConfig } from "../ledger/portal-ledger";

/** The configuration of an unconfigured environment: tests do not depend on the shell's variables. */
export const testConfig = (env: Record<string, string> = {}): Config => loadConfig(env);

export interface Harness {
  app: App;
  services: Services;
  /** A caller as an anonymous client (from `ip`), and the response headers it sets. */
  anonymous(ip?: string): Promise<{ caller: ReturnType<typeof createCaller>; resHeaders: Headers }>;
  /** A caller signed in as `userId` (a real session row). */
  as(userId: string): Promise<ReturnType<typeof createCaller>>;
  /** A caller presenting a raw cookie header. */
  withCookie(cookie: string): Promise<ReturnType<typeof createCaller>>;
  close(): Promise<void>;
}

/** `opts`: a keystore file and cluster membership, for multi-node tests. */
/** `catalogue: false` leaves the catalogue unsynced (a ledger as an earlier release left it). */
export async function createHarness(db?: Database, opts: { keysFile?: string; cluster?: ClusterConfig; trustedProxies?: string; catalogue?: boolean } = {}): Promise<Harness> {
  const database = db ?? (await openDatabase({ dataDir: "memory://", migrate: false }));
  // Requests come "through" a trusted proxy at 10.0.0.1, so `anonymous(ip)` can name the client.
  const app = await openApp(testConfig({ TRUSTED_PROXIES: opts.trustedProxies ?? "10.0.0.1" }), { db: database, keysFile: opts.keysFile ?? null, cluster: opts.cluster, catalogue: opts.catalogue, demoWorld: false, vehicles: false, log: () => undefined });
  const { services } = app;
  const { ledger } = services;
  const callerFor = async (headers: Headers) => {
    const resHeaders = new Headers();
    const ctx = await createContext({ services, headers, resHeaders });
    return { caller: createCaller(ctx), resHeaders };
  };
  return {
    app,
    services,
    anonymous: (ip = "203.0.113.7") => callerFor(new Headers({ "x-forwarded-for": ip })),
    async as(userId) {
      const { token } = await createSession(ledger.db, userId, { ip: "test" });
      return (await callerFor(new Headers({ cookie: `${SESSION_COOKIE}=${token}` }))).caller;
    },
    withCookie: async (cookie) => (await callerFor(new Headers({ cookie }))).caller,
    close: () => app.close(),
  };
}

/** Calls a procedure by dotted path on a caller. */
export function callPath(caller: unknown, path: string, input: unknown): Promise<unknown> {
  let fn: unknown = caller;
  for (const part of path.split(".")) fn = (fn as Record<string, unknown>)[part];
  return (fn as (i: unknown) => Promise<unknown>)(input);
}
