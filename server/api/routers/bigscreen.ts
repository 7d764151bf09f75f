/** The command-centre big screen: map overlays, panel statistics, vehicle and alarm details. Any signed-in user (BIGSCREEN). */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { alarmDetail, geofences, panelStats, recentAlarms, vehicleDetail } from "../../bigscreen/overview";
import { createTRPCRouter, protectedProcedure } from "../trpc";

const plate = z.string().trim().min(2, "车牌 plate required").max(16).regex(/^[\p{L}\p{N}-]+$/u, "车牌只含字母数字 plate: letters and digits");
const alarmId = z.string().trim().regex(/^[a-z0-9-]{8,64}$/, "告警编号格式错误 alarm id: lowercase letters, digits, '-'");
const notFound = (what: string) => new TRPCError({ code: "NOT_FOUND", message: `${what} 不存在 not found` });

export const bigscreenRouter = createTRPCRouter({
  overlays: protectedProcedure
    .input(z.object({ alarms: z.number().int().min(1).max(200).default(50) }).default({ alarms: 50 }))
    .query(async ({ ctx, input }) => ({ geofences: await geofences(ctx.services), alarms: await recentAlarms(ctx.services, input.alarms) })),

  stats: protectedProcedure.query(({ ctx }) => panelStats(ctx.services)),

  vehicle: protectedProcedure.input(z.object({ plate })).query(async ({ ctx, input }) => {
    const v = await vehicleDetail(ctx.services, input.plate);
    if (!v) throw notFound(`车辆 vehicle ${input.plate}`);
    return v;
  }),

  alarm: protectedProcedure.input(z.object({ id: alarmId })).query(async ({ ctx, input }) => {
    const a = await alarmDetail(ctx.services, input.id);
    if (!a) throw notFound(`告警 alarm ${input.id}`);
    return a;
  }),
});
