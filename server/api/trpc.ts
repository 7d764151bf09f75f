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
import type { FailureLimiter } from "../auth/rate-limit";
import { resolveSession, type Session } from "../auth/resolve-session";
import type { PortalLedger } from "../ledger/portal-ledger";
import type { VehicleServices } from "../vehicles/service";

export interface Services {
  ledger: PortalLedger;
  limiter: FailureLimiter;
  /** Vehicle supervision (absent in tests that do not need it). */
  vehicles?: VehicleServices;
}

export interface Context {
  services: Services;
  session: Session | null;
  ip: string;
  userAgent: string;
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

export async function createContext(opts: { services: Services; headers: Headers; resHeaders: Headers; url?: string }): Promise<Context> {
  const { headers } = opts;
  const token = parseCookies(headers.get("cookie"))[SESSION_COOKIE];
  const session = await resolveSession(opts.services.ledger, token);
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const proto = headers.get("x-forwarded-proto") ?? (opts.url ? new URL(opts.url).protocol.replace(":", "") : "http");
  return {
    services: opts.services,
    session,
    ip: forwarded || headers.get("x-real-ip") || "local",
    userAgent: headers.get("user-agent") ?? "",
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

export const createTRPCRouter = t.router;
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
export const publicProcedure = t.procedure.meta({ access: { kind: "public" } });

/** Callable by any signed-in, active user; ctx.session is non-null. */
export const protectedProcedure = t.procedure.meta({ access: { kind: "signedIn" } }).use(requireAccess);

/** Callable by the given roles (and minimum clearance); ctx.session is non-null. */
export function permissionProcedure(access: Access) {
  return t.procedure.meta({ access: { kind: "role", roles: access.roles, minClearance: access.minClearance, units: access.units } }).use(requireAccess);
}
