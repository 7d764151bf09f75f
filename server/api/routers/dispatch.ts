/**
 * Emergency dispatch: call intake, alarm escalation, unit recommendation by road travel time,
 * dispatch, unit status from the crew's phone, support requests, transfer of lead and closure.
 * Reads come from the ledger projection; every change is a ledger transaction as the signed-in official.
 */
import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { RECORD_ID } from "../../../chain/contracts/ids";
import { CAPABILITIES, DEFAULT_SLA, DISPATCH_BUREAUS, INCIDENT_SPEC, INCIDENT_TYPES, INCIDENTS_DATASET, SLA_RULE, slaRuleSchema, UNIT_STATUSES, type SlaTargets, type UnitRecord } from "../../../chain/contracts/dispatch";
import type { AlarmRecord } from "../../../chain/contracts/vehicles";
import { DISPATCH_CREW as CREW, DISPATCH_RULES as RULES, DISPATCH_VIEW as VIEW, DISPATCH_WORK as WORK } from "../../../lib/access";
import { incidentsForReader } from "../../dispatch/caller";
import { getIncident, incidentView, listIncidents, listUnits, navigationRoute, recommendFor } from "../../dispatch/service";
import { sealRecordFields } from "../../sharing/service";
import { txResult } from "../errors";
import { createTRPCRouter, permissionProcedure, type Context } from "../trpc";

const incidentId = z.string().trim().regex(/^inc-[a-z0-9-]{4,60}$/, "警情编号格式如 inc-20261126-0001 incident id like inc-20261126-0001");
const unitId = z.string().trim().regex(RECORD_ID, "单元编号格式错误 unit id: lowercase letters, digits, '.', '_' or '-'");
const lon = z.number().min(113.7, "经度超出深圳范围 longitude outside Shenzhen").max(114.7, "经度超出深圳范围 longitude outside Shenzhen");
const lat = z.number().min(22.3, "纬度超出深圳范围 latitude outside Shenzhen").max(22.9, "纬度超出深圳范围 latitude outside Shenzhen");
const type = z.enum(INCIDENT_TYPES, "警情类型无效 unknown incident type");
const severity = z.enum(["low", "medium", "high", "critical"], "等级无效 unknown severity");
const notes = z.string().trim().max(500, "备注最长 500 字 notes: at most 500 characters").default("");
const reason = (what: string) => z.string().trim().min(1, `请填写${what}`).max(500);
/** Drops undefined fields (a ledger payload is plain JSON). */
const plain = <T extends object>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

/** A new incident id: the day (Shenzhen time) and 8 random hex digits. */
function newIncidentId(now = Date.now()): string {
  const day = new Date(now + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, "");
  return `inc-${day}-${randomBytes(4).toString("hex")}`;
}

/** The caller sealed for incident `id`; without the incidents dataset's key on this ledger, intake with a caller is refused (never written in clear). */
async function sealCaller(ledger: Context["services"]["ledger"], id: string, caller: string) {
  try {
    return (await sealRecordFields(ledger, INCIDENTS_DATASET, id, { caller })).sealed;
  } catch (e) {
    throw new TRPCError({ code: "PRECONDITION_FAILED", message: `报警人信息无法加密，请不填报警人或联系管理员 the caller cannot be sealed on this ledger: ${(e as Error).message}`, cause: e });
  }
}

const notFound = (what: string) => new TRPCError({ code: "NOT_FOUND", message: `${what} 不存在 not found` });

export const dispatchRouter = createTRPCRouter({
  /** Every unit with its status, station and position (live telemetry or station). */
  units: permissionProcedure(VIEW).query(async ({ ctx }) => listUnits(ctx.services)),

  /** The signed-in user's department's units (the crew's phone view). */
  myUnits: permissionProcedure(CREW).query(async ({ ctx }) => (await listUnits(ctx.services)).filter((u) => u.dept === ctx.session.user.dept || ctx.session.user.role === "sys_admin")),

  /** Incidents; callers are withheld (a polled read never opens personal data: see `revealCaller`). */
  incidents: permissionProcedure(VIEW)
    .input(z.object({ status: z.enum(["active", "closed", "all"]).default("active"), limit: z.number().int().min(1).max(500).default(100) }).default({ status: "active", limit: 100 }))
    .query(async ({ ctx, input }) => incidentsForReader(ctx.services.ledger, ctx.session.user, await listIncidents(ctx.services, input.status, input.limit), { reveal: false })),

  /** One incident with its SLA timers, its assigned units and the ledger transactions behind its timeline; the caller withheld (revealable where the policy allows). */
  incident: permissionProcedure(VIEW)
    .input(z.object({ id: incidentId }))
    .query(async ({ ctx, input }) => {
      const inc = await getIncident(ctx.services, input.id);
      if (!inc) throw notFound(`警情 incident ${input.id}`);
      const units = new Map((await listUnits(ctx.services)).map((u) => [u.id, u]));
      const history = await ctx.services.ledger.node.store.history("incident", input.id);
      const [shown] = await incidentsForReader(ctx.services.ledger, ctx.session.user, [incidentView(inc)], { reveal: false });
      return {
        ...shown,
        units: inc.assignments.map((a) => {
          const u = units.get(a.unit);
          return { ...a, name: u?.name ?? a.unit, kind: u?.kind ?? null, status: u?.incident === inc.id ? u.status : "cleared", lon: u?.lon ?? null, lat: u?.lat ?? null };
        }),
        ledger: history.map((t) => ({ seq: t.seq, hash: t.hash, type: t.type, dept: t.dept, actor: t.actor, ts: t.ts })),
      };
    }),

  /** The nearest available units with the capability (default: the incident type's primary need), by road ETA. */
  recommend: permissionProcedure(VIEW)
    .input(z.object({ id: incidentId, capability: z.enum(CAPABILITIES, "能力类型无效 unknown capability").optional(), limit: z.number().int().min(1).max(20).default(5) }))
    .query(async ({ ctx, input }) => {
      const inc = await getIncident(ctx.services, input.id);
      if (!inc) throw notFound(`警情 incident ${input.id}`);
      const capability = input.capability ?? INCIDENT_SPEC[inc.type].needs[0];
      return { capability, units: await recommendFor(ctx.services, inc, capability, input.limit) };
    }),

  /** The road route from a unit's position to its incident (the crew's navigation line). */
  route: permissionProcedure(VIEW)
    .input(z.object({ unit: unitId }))
    .query(async ({ ctx, input }) => {
      const u = (await listUnits(ctx.services)).find((x) => x.id === input.unit);
      if (!u) throw notFound(`单元 unit ${input.unit}`);
      if (!u.incident) return null;
      const inc = await getIncident(ctx.services, u.incident);
      if (!inc) return null;
      const r = navigationRoute(ctx.services, [u.lon, u.lat], [inc.lon, inc.lat]);
      return r && { incident: inc.id, path: r.path, etaS: Math.round(r.seconds), roadM: Math.round(r.meters) };
    }),

  /** Open alarms with a position, which a dispatcher may escalate into incidents. */
  escalatable: permissionProcedure(WORK).query(async ({ ctx }) => {
    const { rows } = await ctx.services.ledger.db.query<{ value: AlarmRecord }>(
      `SELECT value FROM state_records WHERE ns = 'alarm' AND value->>'status' IN ('open', 'acknowledged', 'assigned')
         AND value->'lon' IS NOT NULL ORDER BY (value->>'at')::bigint DESC LIMIT 100`,
    );
    return rows.map((r) => ({ id: r.value.id, type: r.value.type, severity: r.value.severity, plate: r.value.subject, at: r.value.at, lon: r.value.lon!, lat: r.value.lat!, detail: r.value.detail ?? null }));
  }),

  /**
   * The caller of one incident, shown on an explicit request (a mutation, so no refetch repeats it) to a
   * reader the sharing policy allows; each call is one `data.read`. Refused with the policy's reason.
   */
  revealCaller: permissionProcedure(VIEW)
    .input(z.object({ id: incidentId }))
    .mutation(async ({ ctx, input }) => {
      const inc = await getIncident(ctx.services, input.id);
      if (!inc) throw notFound(`警情 incident ${input.id}`);
      const [shown] = await incidentsForReader(ctx.services.ledger, ctx.session.user, [incidentView(inc)], { reveal: true, query: input.id });
      if (shown.caller !== undefined) return { id: input.id, caller: shown.caller };
      const withheld = shown.hidden.find((h) => h.name === "caller");
      if (!withheld) throw notFound(`警情 ${input.id} 的报警人 the caller of incident ${input.id}`);
      throw new TRPCError({ code: "FORBIDDEN", message: `拒绝访问 Access denied: ${withheld.reason}` });
    }),

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

  /** The SLA targets in force (the emergency bureau's rule, or the defaults when never set). */
  sla: permissionProcedure(VIEW).query(async ({ ctx }) => {
    const rule = await ctx.services.ledger.node.store.record<{ value: Record<string, SlaTargets>; version: number; setBy: { dept: string; actor: string; seq: number } }>("rule", SLA_RULE);
    const parsed = slaRuleSchema.safeParse(rule?.value.value);
    return { targets: parsed.success ? parsed.data : DEFAULT_SLA, version: rule?.value.version ?? 0, setBy: rule?.value.setBy ?? null };
  }),

  /** Sets the SLA targets: a rule.set of dispatch.sla by the emergency bureau; applies to incidents opened afterwards. */
  setSla: permissionProcedure(RULES)
    .input(z.object({ targets: slaRuleSchema, note: z.string().trim().max(500).optional() }))
    .mutation(async ({ ctx, input }) => txResult(await ctx.services.ledger.submitAs(ctx.session.user, "rule.set", plain({ name: SLA_RULE, value: input.targets, note: input.note || undefined }), "设定应急响应时限 set dispatch SLA targets"))),

  close: permissionProcedure(WORK)
    .input(z.object({ id: incidentId, note: reason("处置结果 the outcome") }))
    .mutation(async ({ ctx, input }) => txResult(await ctx.services.ledger.submitAs(ctx.session.user, "incident.close", input, "结案 close incident"))),
});
