/**
 * Emergency dispatch, the changes: call intake, alarm escalation, dispatch, unit status from the
 * crew's phone, support requests, transfer of lead, SLA targets and closure; each a ledger
 * transaction as the signed-in official.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { DISPATCH_BUREAUS, INCIDENT_TYPES, SLA_RULE, slaRuleSchema, UNIT_STATUSES, type UnitRecord } from "../../../chain/contracts/dispatch";
import { INCIDENT_SEVERITIES } from "../../../chain/contracts/enums";
import { DISPATCH_CREW as CREW, DISPATCH_RULES as RULES, DISPATCH_WORK as WORK } from "../../../lib/access";
import { newIncidentId, sealCaller } from "../../dispatch/intake";
import { getIncident, listUnits, navigationRoute } from "../../dispatch/service";
import { txResult } from "../errors";
import { createTRPCRouter, permissionProcedure } from "../trpc";
import { incidentId, notFound, unitId } from "./dispatch-inputs";

const lon = z.number().min(113.7, "经度超出深圳范围 longitude outside Shenzhen").max(114.7, "经度超出深圳范围 longitude outside Shenzhen");
const lat = z.number().min(22.3, "纬度超出深圳范围 latitude outside Shenzhen").max(22.9, "纬度超出深圳范围 latitude outside Shenzhen");
const type = z.enum(INCIDENT_TYPES, "警情类型无效 unknown incident type");
const severity = z.enum(INCIDENT_SEVERITIES, "等级无效 unknown severity");
const notes = z.string().trim().max(500, "备注最长 500 字 notes: at most 500 characters").default("");
const reason = (what: string) => z.string().trim().min(1, `请填写${what}`).max(500);
/** Drops undefined fields (a ledger payload is plain JSON). */
const plain = <T extends object>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

export const dispatchActsRouter = createTRPCRouter({
  create: permissionProcedure(WORK)
    .input(z.object({ type, severity, lon, lat, address: z.string().trim().min(1, "请填写地址或地标 address or landmark required").max(200), notes, caller: z.string().trim().max(60).optional() }))
    .mutation(async ({ ctx, input }) => {
      const id = newIncidentId();
      const { ledger } = ctx.services;
      const { caller, ...rest } = input;
      // The caller is personal data: it reaches the ledger sealed under the incidents dataset's key, never in clear.
      const sealed = caller ? await sealCaller(ledger, id, caller) : undefined;
      return { id, ...txResult(await ledger.submitAs(ctx.session.user, "incident.create", plain({ id, ...rest, ...(sealed ? { sealed } : {}) }), "接警登记 incident intake")) };
    }),

  escalate: permissionProcedure(WORK)
    .input(z.object({ alarm: z.string().trim().regex(/^[a-z0-9-]{8,64}$/, "告警编号格式错误 alarm id"), type, severity, notes, address: z.string().trim().max(200).optional() }))
    .mutation(async ({ ctx, input }) => {
      const id = newIncidentId();
      return { id, ...txResult(await ctx.services.ledger.submitAs(ctx.session.user, "incident.escalate", plain({ id, ...input, address: input.address || undefined }), "告警升级为警情 escalate alarm")) };
    }),

  dispatch: permissionProcedure(WORK)
    .input(z.object({ id: incidentId, units: z.array(unitId).min(1, "请选择至少一个单元 choose at least one unit").max(10), note: z.string().trim().max(500).optional() }))
    .mutation(async ({ ctx, input }) => {
      const inc = await getIncident(ctx.services, input.id);
      if (!inc) throw notFound(`警情 incident ${input.id}`);
      // The ETA the dispatcher was shown goes on the ledger with the dispatch (for the after-action review).
      const units = await listUnits(ctx.services);
      const unknown = input.units.find((u) => !units.some((x) => x.id === u));
      if (unknown) throw new TRPCError({ code: "BAD_REQUEST", message: `未登记的单元 unknown unit ${unknown}` });
      const etas = await Promise.all(
        input.units.map(async (uid) => {
          const u = units.find((x) => x.id === uid)!;
          const r = navigationRoute(ctx.services, [u.lon, u.lat], [inc.lon, inc.lat]);
          return r ? Math.round(r.seconds) : 0;
        }),
      );
      return txResult(await ctx.services.ledger.submitAs(ctx.session.user, "incident.dispatch", plain({ ...input, etaS: etas }), "派遣应急单元 dispatch units"));
    }),

  /** A unit's status from its crew (or the dispatcher on the radio); the unit's current incident is filled in. */
  status: permissionProcedure(CREW)
    .input(z.object({ unit: unitId, status: z.enum(UNIT_STATUSES, "状态无效 unknown status"), note: z.string().trim().max(500).optional() }))
    .mutation(async ({ ctx, input }) => {
      const rec = await ctx.services.ledger.node.store.record<UnitRecord>("unit", input.unit);
      if (!rec) throw notFound(`单元 unit ${input.unit}`);
      const serving = ["dispatched", "en_route", "on_scene", "transporting"].includes(rec.value.status) ? rec.value.incident : null;
      return txResult(await ctx.services.ledger.submitAs(ctx.session.user, "unit.status", plain({ ...input, incident: serving ?? undefined }), "单元状态 unit status"));
    }),

  support: permissionProcedure(WORK)
    .input(z.object({ id: incidentId, bureau: z.enum(DISPATCH_BUREAUS, "部门类型无效 unknown bureau"), note: reason("所需支援 the support needed") }))
    .mutation(async ({ ctx, input }) => txResult(await ctx.services.ledger.submitAs(ctx.session.user, "incident.support", input, "请求跨部门支援 request support"))),

  transfer: permissionProcedure(WORK)
    .input(z.object({ id: incidentId, bureau: z.enum(DISPATCH_BUREAUS, "部门类型无效 unknown bureau"), note: reason("移交原因 the reason") }))
    .mutation(async ({ ctx, input }) => txResult(await ctx.services.ledger.submitAs(ctx.session.user, "incident.transfer", input, "移交主办 transfer lead"))),

  /** Sets the SLA targets: a rule.set of dispatch.sla by the emergency bureau; applies to incidents opened afterwards. */
  setSla: permissionProcedure(RULES)
    .input(z.object({ targets: slaRuleSchema, note: z.string().trim().max(500).optional() }))
    .mutation(async ({ ctx, input }) => txResult(await ctx.services.ledger.submitAs(ctx.session.user, "rule.set", plain({ name: SLA_RULE, value: input.targets, note: input.note || undefined }), "设定应急响应时限 set dispatch SLA targets"))),

  close: permissionProcedure(WORK)
    .input(z.object({ id: incidentId, note: reason("处置结果 the outcome") }))
    .mutation(async ({ ctx, input }) => txResult(await ctx.services.ledger.submitAs(ctx.session.user, "incident.close", input, "结案 close incident"))),
});
