/** Geofences (key areas, danger zones, hazmat corridors, restricted zones), defined and retired by the traffic police. */
import { z } from "zod";
import { authorityLine, authorityReads, requireOwnerOrAncestor } from "./authority.js";
import { geofenceSchema } from "./geofence-schema.js";
import { defineContract } from "./types.js";
import { id, requireBureau, stamp } from "./vehicle-common.js";

export const GEOFENCES_DATASET = "geofences";

/**
 * A geofence's owner: its `owner`, or for fences defined before owners were recorded the
 * department of its last definition (what history replays to).
 */
export const geofenceOwner = (g: { owner?: string; defined?: { dept?: string } }): string => g.owner ?? g.defined?.dept ?? "";

export const geofenceDefine = defineContract({
  type: "geofence.define",
  version: 1,
  roles: ["supervisor", "dept_admin", "sys_admin"],
  writes: ["geofence"],
  governs: { scope: () => ({ dataset: GEOFENCES_DATASET }) },
  /** `owner` is written by new definitions; a redefinition must name the fence's existing owner. */
  schema: geofenceSchema.extend({ owner: id.optional(), authority: authorityLine }).strict(),
  reads: (_tx, p) => [["geofence", p.id], ...authorityReads(p)],
  apply(ctx, { authority, ...p }) {
    requireBureau(ctx, "traffic_police");
    const prev = ctx.get<{ version: number; owner?: string; defined?: { dept?: string } }>("geofence", p.id);
    const owner = prev ? geofenceOwner(prev) : ctx.tx.dept;
    if (prev) requireOwnerOrAncestor(ctx, owner, authority);
    if (p.owner !== undefined && p.owner !== owner) return ctx.refuse(`geofence ${p.id} belongs to ${owner}, not ${p.owner}`);
    // A redefinition by another department (an ancestor, a system admin) keeps the owner explicitly.
    const def = owner !== ctx.tx.dept && p.owner === undefined ? { ...p, owner } : p;
    ctx.put("geofence", p.id, { ...(def as object), status: "active", version: (prev?.version ?? 0) + 1, defined: stamp(ctx) });
  },
});

export const geofenceRetire = defineContract({
  type: "geofence.retire",
  version: 1,
  roles: ["supervisor", "dept_admin", "sys_admin"],
  writes: ["geofence"],
  governs: { scope: () => ({ dataset: GEOFENCES_DATASET }) },
  schema: z.object({ id, reason: z.string().trim().min(1).max(300), authority: authorityLine }).strict(),
  reads: (_tx, p) => [["geofence", p.id], ...authorityReads(p)],
  apply(ctx, p) {
    requireBureau(ctx, "traffic_police");
    const g = ctx.get<Record<string, unknown> & { owner?: string; defined?: { dept?: string } }>("geofence", p.id);
    if (!g) return ctx.refuse(`unknown geofence ${p.id}`);
    requireOwnerOrAncestor(ctx, geofenceOwner(g), p.authority);
    if (g.status === "retired") return ctx.refuse(`geofence ${p.id} is already retired`);
    ctx.put("geofence", p.id, { ...(g as object), status: "retired", retired: { ...stamp(ctx), reason: p.reason } });
  },
});

