/** Geofences: the list, definition (one or a GeoJSON import) and retirement, each a ledger transaction with its owner's authority. */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { geofenceSchema } from "../../../chain/contracts/geofence-schema";
import { RECORD_ID } from "../../../chain/contracts/ids";
import { SUPERVISION_DEFINE as DEFINE, SUPERVISION_VIEW as VIEW } from "../../../lib/access";
import type { PortalLedger } from "../../ledger/portal-ledger";
import { guardRead } from "../../sharing/guard";
import { authorityLineFor, geofenceOwnerOf, withAuthority } from "../../vehicles/authority";
import { txResult } from "../errors";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/** A definition with its owner written explicitly: the writer for a new fence, the existing owner (kept) for a redefinition. */
async function ownedDefinition<D extends { id: string }>(ledger: PortalLedger, me: { dept: string; role: string }, def: D): Promise<D & { owner: string }> {
  const owner = (await geofenceOwnerOf(ledger, def.id)) ?? me.dept;
  return withAuthority({ ...def, owner }, await authorityLineFor(ledger, me, owner));
}

export const geofencesRouter = createTRPCRouter({
  list: permissionProcedure(VIEW).query(async ({ ctx }) => {
    await guardRead(ctx.services.ledger, ctx.session.user, "geofences");
    return (await ctx.services.ledger.node.store.records<Record<string, unknown>>("geofence")).map((r) => ({ ...(r.value as object), id: r.key, seq: r.seq }));
  }),

  define: permissionProcedure(DEFINE)
    .input(geofenceSchema)
    .mutation(async ({ ctx, input }) => {
      // Optional rules sent as undefined are dropped: a ledger payload is plain JSON.
      const def = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as typeof input;
      return txResult(await ctx.services.ledger.submitAs(ctx.session.user, "geofence.define", await ownedDefinition(ctx.services.ledger, ctx.session.user, def), "划定电子围栏 define geofence"));
    }),

  /** Imports a GeoJSON FeatureCollection of polygons (properties: id, name, kind, speedLimitKmh, classes, schedule). */
  importGeoJson: permissionProcedure(DEFINE)
    .input(
      z.object({
        features: z
          .array(z.object({ type: z.literal("Feature"), properties: z.record(z.string(), z.unknown()), geometry: z.object({ type: z.literal("Polygon"), coordinates: z.array(z.array(z.tuple([z.number(), z.number()]))) }) }))
          .min(1)
          .max(200),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const defs = input.features.map((f, i) => {
        const r = geofenceSchema.safeParse({ kind: "key_area", ...(f.properties as object), shape: { type: "polygon", coordinates: f.geometry.coordinates } });
        if (!r.success) throw new TRPCError({ code: "BAD_REQUEST", message: `第 ${i + 1} 个要素 feature ${i}: ${r.error.issues[0].path.join(".")}: ${r.error.issues[0].message}` });
        return r.data;
      });
      const { ledger } = ctx.services;
      const owned = await Promise.all(defs.map((d) => ownedDefinition(ledger, ctx.session.user, d)));
      const done = await Promise.all(owned.map((d) => ledger.submitAs(ctx.session.user, "geofence.define", d, "导入电子围栏 import geofence")));
      return done.map(txResult);
    }),

  retire: permissionProcedure(DEFINE)
    .input(z.object({ id: z.string().regex(RECORD_ID), reason: z.string().trim().min(1).max(300) }))
    .mutation(async ({ ctx, input }) => {
      const { ledger } = ctx.services;
      const owner = await geofenceOwnerOf(ledger, input.id);
      if (!owner) throw new TRPCError({ code: "NOT_FOUND", message: `未知电子围栏 unknown geofence ${input.id}` });
      const line = await authorityLineFor(ledger, ctx.session.user, owner);
      return txResult(await ledger.submitAs(ctx.session.user, "geofence.retire", withAuthority(input, line), "撤销电子围栏 retire geofence"));
    }),
});
