/** Hazmat transport permits: issued, amended and revoked by the traffic police; checked against vehicle, licence and corridor. */
import { z } from "zod";
import { authorityLine, authorityReads, requireOwnerOrAncestor } from "./authority.js";
import { CARGO_CLASSES } from "./enums.js";
import { plateSchema as plate } from "./ids.js";
import { defineContract, type ContractContext } from "./types.js";
import { id, licenceInForce, requireBureau, stamp } from "./vehicle-common.js";

export const PERMITS_DATASET = "hazmat.permits";

const ISSUERS = ["supervisor", "dept_admin", "sys_admin"] as const;
const governs = { scope: () => ({ dataset: PERMITS_DATASET }) };
/** What a permit allows: the cargo, the corridor and the window (issued whole, amended in part). */
const terms = z.object({
  /** UN hazard class of the cargo (1–9). */
  cargoClass: z.enum(CARGO_CLASSES),
  cargo: z.string().trim().min(1).max(100),
  /** The corridor geofence of the planned route. */
  corridor: id,
  from: z.number().int().positive(),
  to: z.number().int().positive(),
});
const MAX_WINDOW_MS = 31 * 24 * 3600_000;

/** The corridor must be an active hazmat corridor geofence. */
function requireCorridor(ctx: ContractContext, corridor: string): void {
  const g = ctx.get<{ kind: string; status: string }>("geofence", corridor);
  if (!g || g.status !== "active") return ctx.refuse(`unknown or retired geofence ${corridor}`);
  if (g.kind !== "hazmat_corridor") return ctx.refuse(`${corridor} is not a hazmat corridor`);
}

export const hazmatPermit = defineContract({
  type: "hazmat.permit",
  version: 1,
  roles: ISSUERS,
  writes: ["permit"],
  governs,
  schema: z
    .object({ id, plate, ...terms.shape })
    .strict()
    .refine((p) => p.to > p.from, { message: "permit window must end after it starts" })
    .refine((p) => p.to - p.from <= MAX_WINDOW_MS, { message: "permit window at most 31 days" }),
  reads: (_tx, p) => [
    ["permit", p.id],
    ["vehicle", p.plate],
    ["geofence", p.corridor],
  ],
  apply(ctx, p) {
    requireBureau(ctx, "traffic_police");
    if (ctx.get("permit", p.id)) return ctx.refuse(`permit ${p.id} already exists`);
    const v = ctx.get<{ cls: string; licence: { status: string; expires?: string } }>("vehicle", p.plate);
    if (!v) return ctx.refuse(`unknown vehicle ${p.plate}`);
    if (v.cls !== "hazmat") return ctx.refuse(`${p.plate} is not a hazmat vehicle`);
    if (!licenceInForce(v.licence, ctx.blockTime)) return ctx.refuse(`${p.plate} licence is ${v.licence.status === "valid" ? "expired" : v.licence.status}`);
    requireCorridor(ctx, p.corridor);
    ctx.put("permit", p.id, { ...p, status: "approved", approved: stamp(ctx) });
  },
});

/** The permit's issuing department (the `approved` stamp). */
const issuer = (p: { approved?: { dept?: string } }): string => p.approved?.dept ?? "";

/**
 * Amends an approved permit (corridor, window, cargo), as its issuer or an ancestor; the amended
 * permit is checked as a new one would be. The engine follows the permit at once.
 */
export const hazmatPermitAmend = defineContract({
  type: "hazmat.permit.amend",
  version: 1,
  roles: ISSUERS,
  writes: ["permit"],
  governs,
  schema: z
    .object({
      id,
      ...terms.partial().shape,
      reason: z.string().trim().min(1, "a reason is required").max(300),
      authority: authorityLine,
    })
    .strict(),
  reads: (_tx, p) => [["permit", p.id], ...(p.corridor ? [["geofence", p.corridor] as const] : []), ...authorityReads(p)],
  apply(ctx, { authority, reason, ...p }) {
    requireBureau(ctx, "traffic_police");
    const prev = ctx.get<Record<string, unknown> & { status: string; from: number; to: number; approved?: { dept?: string } }>("permit", p.id);
    if (!prev) return ctx.refuse(`unknown permit ${p.id}`);
    requireOwnerOrAncestor(ctx, issuer(prev), authority);
    if (prev.status !== "approved") return ctx.refuse(`permit ${p.id} is ${prev.status}`);
    const from = p.from ?? prev.from;
    const to = p.to ?? prev.to;
    if (to <= from) return ctx.refuse("permit window must end after it starts");
    if (to - from > MAX_WINDOW_MS) return ctx.refuse("permit window at most 31 days");
    if (p.corridor) requireCorridor(ctx, p.corridor);
    const changes = Object.fromEntries(Object.entries(p).filter(([k, v]) => k !== "id" && v !== undefined));
    if (Object.keys(changes).length === 0) return ctx.refuse("nothing to amend");
    const amendments = [...((prev.amendments as object[] | undefined) ?? []), { ...stamp(ctx), reason, changes }].slice(-20);
    ctx.put("permit", p.id, { ...(prev as object), ...changes, amendments } as never);
  },
});

/** Revokes a permit before its window ends: the vehicle moving after it is outside any window. */
export const hazmatPermitRevoke = defineContract({
  type: "hazmat.permit.revoke",
  version: 1,
  roles: ISSUERS,
  writes: ["permit"],
  governs,
  schema: z.object({ id, reason: z.string().trim().min(1, "a reason is required").max(300), authority: authorityLine }).strict(),
  reads: (_tx, p) => [["permit", p.id], ...authorityReads(p)],
  apply(ctx, p) {
    requireBureau(ctx, "traffic_police");
    const prev = ctx.get<Record<string, unknown> & { status: string; approved?: { dept?: string } }>("permit", p.id);
    if (!prev) return ctx.refuse(`unknown permit ${p.id}`);
    requireOwnerOrAncestor(ctx, issuer(prev), p.authority);
    if (prev.status === "revoked") return ctx.refuse(`permit ${p.id} is already revoked`);
    ctx.put("permit", p.id, { ...(prev as object), status: "revoked", revoked: { ...stamp(ctx), reason: p.reason } });
  },
});

