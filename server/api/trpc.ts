/**
 * All tRPC wiring: the request context (session from the cookie), the error formatter (zod errors
 * flattened, readable messages), and the procedure builders. Every procedure declares who may call
 * it in `.meta({ access })`; the one middleware that enforces it reads that same meta, so the
 * declaration a test enumerates is exactly what the server checks.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { allows, type Access } from "../../lib/access";
import { parseCookies, SESSION_COOKIE } from "../auth/cookies";
import { clientIp, parseTrustedProxies, type TrustedProxies } from "../auth/client-ip";
import { DEVICE_COOKIE, type SignInThrottle } from "../auth/sign-in-throttle";
import { resolveSession, type Session } from "../auth/resolve-session";
import type { PortalLedger } from "../ledger/portal-ledger";
import { RateLimitedError } from "../errors";
import type { VehicleServices } from "../vehicles/service";
import { toTRPCError } from "./errors";

export interface Services {
  ledger: PortalLedger;
  limiter: SignInThrottle;
  /** Proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES); default: none. */
  trustedProxies?: TrustedProxies;
  /** The portal's origins for the cross-site check (APP_ORIGIN); default: the request's own host. */
  appOrigins?: string[];
  /** Vehicle supervision (absent in tests that do not need it). */
  vehicles?: VehicleServices;
}

export interface Context {
  services: Services;
  session: Session | null;
  /** The client address ("direct" when no trusted proxy names it: see client-ip.ts). */
  ip: string;
  userAgent: string;
  /** The browser's sign-in device cookie, if any. */
  device?: string;
  /** Served over https: cookies get the Secure flag. */
  secure: boolean;
  /** Response headers (Set-Cookie) of the current request. */
  resHeaders: Headers;
}

/** Who may call a procedure: anyone, any signed-in user, or given roles (and minimum clearance). */
export type ProcedureAccess = { kind: "public" } | { kind: "signedIn" } | ({ kind: "role" } & Access);

export interface Meta {
  access: ProcedureAccess;
}

const NO_PROXIES = parseTrustedProxies("");

export async function createContext(opts: { services: Services; headers: Headers; resHeaders: Headers; url?: string }): Promise<Context> {
  const { headers } = opts;
  const cookies = parseCookies(headers.get("cookie"));
  const session = await resolveSession(opts.services.ledger, cookies[SESSION_COOKIE]);
  const proto = headers.get("x-forwarded-proto") ?? (opts.url ? new URL(opts.url).protocol.replace(":", "") : "http");
  return {
    services: opts.services,
    session,
    ip: clientIp(headers, opts.services.trustedProxies ?? NO_PROXIES),
    userAgent: headers.get("user-agent") ?? "",
    device: cookies[DEVICE_COOKIE],
    secure: proto === "https",
    resHeaders: opts.resHeaders,
  };
}

function readableZodMessage(err: ZodError): string {
  return err.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const zodError = error.cause instanceof ZodError ? error.cause : null;
      const { stack: _stack, ...data } = shape.data;
      return {
        ...shape,
        message: zodError ? readableZodMessage(zodError) : shape.message,
        data: { ...data, zodError: zodError ? z.flattenError(zodError) : null },
      };
    },
  });

/** True when a string (or an object key) anywhere in the input holds a NUL character. */
export function holdsNul(v: unknown, depth = 0): boolean {
  if (typeof v === "string") return v.includes("\u0000");
  if (depth > 32 || !v || typeof v !== "object") return false;
  if (Array.isArray(v)) return v.some((x) => holdsNul(x, depth + 1));
  return Object.entries(v).some(([k, x]) => k.includes("\u0000") || holdsNul(x, depth + 1));
}

/**
 * PostgreSQL cannot store NUL in text or jsonb: refused here, for every procedure, as a clear 400
 * before any parsing, query or signature (never a 500 with the database's error text).
 */
const refuseNul = t.middleware(async ({ getRawInput, next }) => {
  if (holdsNul(await getRawInput())) throw new TRPCError({ code: "BAD_REQUEST", message: "输入不得包含空字符 (NUL) NUL characters are not allowed in input" });
  return next();
});

/**
 * Domain errors and ledger refusals thrown anywhere below become their tRPC code through the one
 * table (./errors.ts); a rate limit also tells the client when to retry.
 */
const mapDomainErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (result.ok || result.error.code !== "INTERNAL_SERVER_ERROR" || !result.error.cause) return result;
  const cause = result.error.cause;
  if (cause instanceof RateLimitedError) ctx.resHeaders.set("Retry-After", String(cause.retryAfterS));
  throw toTRPCError(cause);
});

const base = t.procedure.use(mapDomainErrors).use(refuseNul);

export const createTRPCRouter = t.router;
/** One router at one path from several files (each a sub-area), procedure paths unchanged. */
export const mergeTRPCRouters = t.mergeRouters;
export const createCallerFactory = t.createCallerFactory;

/** Enforces the procedure's declared access (signed-in or role); narrows ctx.session to non-null. */
const requireAccess = t.middleware(({ ctx, meta, next }) => {
  const access = meta?.access;
  if (!access) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "procedure declares no access" });
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "请先登录 Sign-in required" });
  if (access.kind === "role" && !allows(access, ctx.session.user)) {
    const units = access.units ? `; departments: ${[...(access.units.kinds ?? []), ...(access.units.bureaus ?? [])].join(", ")}` : "";
    const need = access.roles.join(", ") + (access.minClearance ? `; clearance >= ${access.minClearance}` : "") + units;
    throw new TRPCError({ code: "FORBIDDEN", message: `权限不足 Forbidden: requires ${need}` });
  }
  return next({ ctx: { ...ctx, session: ctx.session } });
});

/** Callable by anyone (sign-in, the current session). */
export const publicProcedure = base.meta({ access: { kind: "public" } });

/** Callable by any signed-in, active user; ctx.session is non-null. */
export const protectedProcedure = base.meta({ access: { kind: "signedIn" } }).use(requireAccess);

/** Callable by the given roles (and minimum clearance); ctx.session is non-null. */
export function permissionProcedure(access: Access) {
  return base.meta({ access: { kind: "role", roles: access.roles, minClearance: access.minClearance, units: access.units } }).use(requireAccess);
}
