/**
 * Vehicle supervision: the registry, live positions, track replay, geofences, hazmat permits,
 * the alarm inbox and ride-hailing compliance. Reads come from the ledger projection (and the
 * pings table for tracks); every change is a ledger transaction as the signed-in official.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { RECORD_ID } from "../../../chain/contracts/ids";
import { geofenceSchema, VEHICLE_CLASSES } from "../../../chain/contracts/geofence-schema";
import { PLATE, type AlarmRecord } from "../../../chain/contracts/vehicles";
import { allows, SUPERVISION_DEFINE as DEFINE, SUPERVISION_VIEW as VIEW, SUPERVISION_WORK as WORK } from "../../../lib/access";
import { checkBatch } from "../../ingest/pings";
import { SENSITIVE_LEVEL } from "../../../chain/contracts/sharing";
import { auditIfSensitive, guardRead, withhold } from "../../sharing/guard";
import { alarmOwnerOf, authorityLineFor, departmentTree, geofenceOwnerOf, manages, withAuthority } from "../../vehicles/authority";
import type { PortalLedger } from "../../ledger/portal-ledger";
import type { VehicleServices } from "../../vehicles/service";
import { txResult } from "../errors";
import { createTRPCRouter, permissionProcedure, type Context } from "../trpc";


const plate = z.string().trim().regex(PLATE, "车牌格式如 粤B12345 plate like 粤B12345");
const alarmId = z.string().regex(/^[a-z0-9-]{8,64}$/, "alarm id");

function vehiclesOf(ctx: Context): VehicleServices {
  if (!ctx.services.vehicles) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "车辆监管服务未运行 vehicle supervision is not running" });
  return ctx.services.vehicles;
}

export const vehiclesRouter = createTRPCRouter({
  list: permissionProcedure(VIEW)
    .input(z.object({ q: z.string().trim().max(20).optional(), cls: z.enum(VEHICLE_CLASSES).optional(), limit: z.number().int().min(1).max(500).default(100) }))
    .query(async ({ ctx, input }) => {
      // The registry is the transport bureau's: read through the sharing policy (owner, hierarchy or grant; fields by clearance).
      const g = await guardRead(ctx.services.ledger, ctx.session.user, "vehicles");
      const { rows } = await ctx.services.ledger.db.query<{ key: string; value: { cls: string; company: string; terminal: string; licence: { status: string } } }>(
        `SELECT key, value FROM state_records WHERE ns = 'vehicle'
           AND ($1::text IS NULL OR key LIKE '%' || $1 || '%') AND ($2::text IS NULL OR value->>'cls' = $2)
         ORDER BY key LIMIT $3`,
        [input.q ?? null, input.cls ?? null, input.limit],
      );
      const live = ctx.services.vehicles?.ingest.live;
      return rows.map((r) => {
        const slot = live?.slotOf(r.key);
        return {
          plate: r.key,
          cls: r.value.cls,
          company: g.sees("company") ? r.value.company : null,
          terminal: g.sees("terminal") ? r.value.terminal : null,
          licence: g.sees("licence") ? r.value.licence.status : null,
          position: slot === undefined || !live ? null : { lon: live.lon[slot], lat: live.lat[slot], speedKmh: live.speed[slot], ts: live.ts[slot] },
        };
      });
    }),

  get: permissionProcedure(VIEW)
    .input(z.object({ plate }))
    .query(async ({ ctx, input }) => {
      const { ledger } = ctx.services;
      const me = ctx.session.user;
      const g = await guardRead(ledger, me, "vehicles");
      const store = ledger.node.store;
      const v = await store.record<Record<string, unknown>>("vehicle", input.plate);
      if (!v) throw new TRPCError({ code: "NOT_FOUND", message: `未登记的车辆 unknown vehicle ${input.plate}` });
      // Hazmat permits are the traffic police's dataset: shown when the policy allows it.
      const permitGuard = await guardRead(ledger, me, "hazmat.permits").catch(() => null);
      const [mileage, history, permits] = await Promise.all([
        store.record("mileage", input.plate),
        store.history("vehicle", input.plate),
        permitGuard
          ? ledger.db.query<{ key: string; value: Record<string, unknown> }>("SELECT key, value FROM state_records WHERE ns = 'permit' AND value->>'plate' = $1 ORDER BY key", [input.plate])
          : { rows: [] as { key: string; value: Record<string, unknown> }[] },
      ]);
      // A query refetches: it never shows a sensitive field (the VIN), which the explorer reveals as one logged read.
      const sensitive = g.decision.fields.filter((f) => f.sensitivity >= SENSITIVE_LEVEL || f.sealed).map((f) => f.name);
      const vehicle = withhold(v.value, g);
      for (const f of sensitive) delete vehicle[f];
      return {
        plate: input.plate,
        vehicle,
        revealable: sensitive.filter((f) => f in v.value),
        mileage: mileage?.value ?? null,
        permits: permits.rows.map((r) => withhold(r.value, permitGuard!)),
        history: history.map((t) => ({ seq: t.seq, hash: t.hash, type: t.type, dept: t.dept, actor: t.actor, ts: t.ts })),
      };
    }),

  /** A vehicle's track over a time range with its alarms; each batch's pings checked against the root anchored on the ledger. */
  track: permissionProcedure(VIEW)
    .input(
      z
        .object({ plate, from: z.number().int().positive(), to: z.number().int().positive() })
        .refine((x) => x.to > x.from, { message: "结束时间须晚于开始时间 'to' must be after 'from'" })
        .refine((x) => x.to - x.from <= 24 * 3600_000, { message: "回放区间最长 24 小时 at most 24 hours" }),
    )
    .query(async ({ ctx, input }) => {
      const v = vehiclesOf(ctx);
      const { ledger } = ctx.services;
      const me = ctx.session.user;
      // Tracks are the transport bureau's telemetry: replay needs positions visible under the policy.
      const g = await guardRead(ledger, me, "telemetry");
      if (!g.sees("lon") || !g.sees("lat")) throw new TRPCError({ code: "FORBIDDEN", message: `拒绝访问 Access denied: telemetry positions are withheld at clearance ${me.clearance}` });
      const alarmGuard = await guardRead(ledger, me, "alarms").catch(() => null);
      const pings = await v.ingest.pings.track(input.plate, input.from, input.to);
      const store = ctx.services.ledger.node.store;
      const batches = [...new Set(pings.map((p) => p.batch))];
      const verified: Record<string, boolean> = {};
      for (const b of batches) {
        const anchor = await store.record<{ root: string; count: number }>("telemetry", b);
        verified[b] = !!anchor && (await checkBatch(v.ingest.pings, b, anchor.value.root, anchor.value.count)).ok;
      }
      const { rows } = await ctx.services.ledger.db.query<{ value: AlarmRecord }>(
        "SELECT value FROM state_records WHERE ns = 'alarm' AND value->>'subject' = $1 AND (value->>'at')::bigint >= $2 AND (value->>'at')::bigint < $3 ORDER BY (value->>'at')::bigint",
        [input.plate, input.from, input.to],
      );
      await auditIfSensitive(ledger, me, g, pings.length, "轨迹回放 track replay", input.plate);
      return {
        points: pings.map((p) => ({ ts: p.ts, lon: p.lonE6 / 1e6, lat: p.latE6 / 1e6, speedKmh: p.speedX10 / 10, heading: p.heading, verified: verified[p.batch] })),
        alarms: alarmGuard ? rows.map((r) => withhold(r.value as unknown as Record<string, unknown>, alarmGuard) as unknown as AlarmRecord) : [],
        batches: batches.length,
        tampered: Object.values(verified).filter((x) => !x).length,
      };
    }),
});

export const alarmsRouter = createTRPCRouter({
  list: permissionProcedure(VIEW)
    .input(z.object({ status: z.enum(["open", "acknowledged", "assigned", "escalated", "closed", "active"]).optional(), type: z.string().max(30).optional(), limit: z.number().int().min(1).max(500).default(100) }))
    .query(async ({ ctx, input }) => {
      const g = await guardRead(ctx.services.ledger, ctx.session.user, "alarms");
      const status = input.status === "active" ? null : (input.status ?? null);
      const { rows } = await ctx.services.ledger.db.query<{ key: string; value: AlarmRecord }>(
        `SELECT key, value FROM state_records WHERE ns = 'alarm'
           AND ($1::text IS NULL OR value->>'status' = $1) AND ($2::boolean IS FALSE OR value->>'status' <> 'closed')
           AND ($3::text IS NULL OR value->>'type' = $3)
         ORDER BY (value->>'at')::bigint DESC, key LIMIT $4`,
        [status, input.status === "active", input.type ?? null, input.limit],
      );
      // Whether this user may act on each alarm: the owner department (the one that raised it) or an ancestor, with the work role.
      const me = ctx.session.user;
      const depts = await departmentTree(ctx.services.ledger);
      const works = allows(WORK, me);
      const mayAct = (owner: string) => works && manages(depts, me, owner);
      return rows.map((r) => ({ ...(withhold(r.value as unknown as Record<string, unknown>, g) as unknown as AlarmRecord), id: r.key, owner: r.value.owner, mayAct: mayAct(r.value.owner) }));
    }),

  counts: permissionProcedure(VIEW).query(async ({ ctx }) => {
    await guardRead(ctx.services.ledger, ctx.session.user, "alarms");
    const { rows } = await ctx.services.ledger.db.query<{ type: string; status: string; n: number }>(
      "SELECT value->>'type' AS type, value->>'status' AS status, count(*)::int AS n FROM state_records WHERE ns = 'alarm' GROUP BY 1, 2",
    );
    return rows;
  }),

  act: permissionProcedure(WORK)
    .input(
      z.object({
        id: alarmId,
        action: z.enum(["acknowledge", "assign", "escalate", "close"]),
        assignee: z.string().regex(RECORD_ID).optional(),
        incident: z.string().regex(RECORD_ID).optional(),
        note: z.string().trim().max(500).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { ledger } = ctx.services;
      const line = await authorityLineFor(ledger, ctx.session.user, await alarmOwnerOf(ledger, input.id));
      return txResult(await ledger.submitAs(ctx.session.user, "alarm.act", withAuthority(input, line), `告警处置 alarm ${input.action}`));
    }),
});

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

export const ridehailRouter = createTRPCRouter({
  /** Dual-compliance rate (双合规率) per platform: trips by a licensed driver in a licensed car registered together. */
  compliance: permissionProcedure(VIEW).query(async ({ ctx }) => {
    const store = ctx.services.ledger.node.store;
    const [stats, companies] = await Promise.all([
      store.records<{ trips: number; compliant: number; byProblem: Record<string, number> }>("ridehail_stats"),
      store.records<{ name: string }>("company"),
    ]);
    const names = new Map(companies.map((c) => [c.key, c.value.name]));
    return stats.map((s) => ({ platform: s.key, name: names.get(s.key) ?? s.key, ...(s.value as object), trips: s.value.trips, compliant: s.value.compliant, rate: s.value.trips ? s.value.compliant / s.value.trips : null }));
  }),
});
