/**
 * Vehicle supervision: the registry, vehicle detail with its hazmat permits, and track replay. Reads
 * come from the ledger projection (and the pings table for tracks), through the sharing policy.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { VEHICLE_CLASSES } from "../../../chain/contracts/enums";
import { SENSITIVE_LEVEL } from "../../../chain/contracts/sharing";
import { PLATE, type AlarmRecord } from "../../../chain/contracts/vehicles";
import { SUPERVISION_VIEW as VIEW } from "../../../lib/access";
import { auditIfSensitive, guardRead, withhold } from "../../sharing/guard";
import { alarmsOfPlate, listVehicles, permitsOfPlate } from "../../vehicles/queries";
import type { VehicleServices } from "../../vehicles/service";
import { vehicleListRow, verifyBatches } from "../../vehicles/views";
import { createTRPCRouter, permissionProcedure, type Context } from "../trpc";

const plate = z.string().trim().regex(PLATE, "车牌格式如 粤B12345 plate like 粤B12345");

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
      const rows = await listVehicles(ctx.services.ledger, input);
      return rows.map((r) => vehicleListRow(r, g, ctx.services.vehicles?.ingest.live));
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
        permitGuard ? permitsOfPlate(ledger, input.plate) : [],
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
        permits: permits.map((r) => withhold(r.value, permitGuard!)),
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
      const batches = [...new Set(pings.map((p) => p.batch))];
      const verified = await verifyBatches(ledger, v.ingest, batches);
      const alarms = await alarmsOfPlate(ledger, input.plate, input.from, input.to);
      await auditIfSensitive(ledger, me, g, pings.length, "轨迹回放 track replay", input.plate);
      return {
        points: pings.map((p) => ({ ts: p.ts, lon: p.lonE6 / 1e6, lat: p.latE6 / 1e6, speedKmh: p.speedX10 / 10, heading: p.heading, verified: verified[p.batch] })),
        alarms: alarmGuard ? alarms.map((a) => withhold(a as unknown as Record<string, unknown>, alarmGuard) as unknown as AlarmRecord) : [],
        batches: batches.length,
        tampered: Object.values(verified).filter((x) => !x).length,
      };
    }),
});
