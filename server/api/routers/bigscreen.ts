/** The command-centre big screen: map overlays, panel statistics, vehicle and alarm details. Any signed-in user (BIGSCREEN). */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { alarmForView, bigscreenView, livePositions, sees } from "../../bigscreen/access";
import { alarmDetail, geofences, panelStats, recentAlarms, vehicleDetail } from "../../bigscreen/overview";
import { createTRPCRouter, protectedProcedure } from "../trpc";

const forbidden = (reason: string | undefined) => new TRPCError({ code: "FORBIDDEN", message: reason ?? "权限不足 Forbidden" });

const plate = z.string().trim().min(2, "车牌 plate required").max(16).regex(/^[\p{L}\p{N}-]+$/u, "车牌只含字母数字 plate: letters and digits");
const alarmId = z.string().trim().regex(/^[a-z0-9-]{8,64}$/, "告警编号格式错误 alarm id: lowercase letters, digits, '-'");
const notFound = (what: string) => new TRPCError({ code: "NOT_FOUND", message: `${what} 不存在 not found` });

export const bigscreenRouter = createTRPCRouter({
  overlays: protectedProcedure
    .input(z.object({ alarms: z.number().int().min(1).max(200).default(50) }).default({ alarms: 50 }))
    .query(async ({ ctx, input }) => {
      const view = await bigscreenView(ctx.services.ledger, ctx.session.user);
      const [fences, alarms] = await Promise.all([view.guards.geofences ? geofences(ctx.services) : [], view.guards.alarms ? recentAlarms(ctx.services, input.alarms) : []]);
      return { geofences: fences, alarms: alarms.map((a) => alarmForView(view, a)), withheld: view.withheld };
    }),

  stats: protectedProcedure.query(({ ctx }) => panelStats(ctx.services)),

  /** One vehicle, as the vehicle procedures would show it to this user (403 where they refuse). */
  vehicle: protectedProcedure.input(z.object({ plate })).query(async ({ ctx, input }) => {
    const view = await bigscreenView(ctx.services.ledger, ctx.session.user);
    if (!view.guards.vehicles) throw forbidden(view.withheld.vehicles);
    const v = await vehicleDetail(ctx.services, ctx.session.user, input.plate);
    if (!v) throw notFound(`车辆 vehicle ${input.plate}`);
    const company = sees(view, "vehicles", "company");
    return {
      ...v,
      company: company ? v.company : null,
      companyName: company ? v.companyName : null,
      position: livePositions(view) ? v.position : null,
      alarms: view.guards.alarms ? v.alarms : [],
      withheld: view.withheld,
    };
  }),

  alarm: protectedProcedure.input(z.object({ id: alarmId })).query(async ({ ctx, input }) => {
    const view = await bigscreenView(ctx.services.ledger, ctx.session.user);
    if (!view.guards.alarms) throw forbidden(view.withheld.alarms);
    const a = await alarmDetail(ctx.services, ctx.session.user, input.id);
    if (!a) throw notFound(`告警 alarm ${input.id}`);
    return { ...alarmForView(view, a), detail: sees(view, "alarms", "detail") ? a.detail : null, withheld: view.withheld };
  }),
});
