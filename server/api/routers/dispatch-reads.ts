/**
 * Emergency dispatch, the reads: units, incidents with their SLA timers, unit recommendation by road
 * travel time, navigation, escalatable alarms, SLA targets, and the caller shown on explicit request.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { CAPABILITIES, DEFAULT_SLA, INCIDENT_SPEC, SLA_RULE, slaRuleSchema, type SlaTargets } from "../../../chain/contracts/dispatch";
import { DISPATCH_CREW as CREW, DISPATCH_VIEW as VIEW, DISPATCH_WORK as WORK } from "../../../lib/access";
import { incidentsForReader } from "../../dispatch/caller";
import { getIncident, incidentView, listIncidents, listUnits, navigationRoute, recommendFor } from "../../dispatch/service";
import { escalatableAlarms } from "../../vehicles/queries";
import { createTRPCRouter, permissionProcedure } from "../trpc";
import { incidentId, notFound, unitId } from "./dispatch-inputs";

export const dispatchReadsRouter = createTRPCRouter({
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
    const alarms = await escalatableAlarms(ctx.services.ledger);
    return alarms.map((a) => ({ id: a.id, type: a.type, severity: a.severity, plate: a.subject, at: a.at, lon: a.lon!, lat: a.lat!, detail: a.detail ?? null }));
  }),

  /** The SLA targets in force (the emergency bureau's rule, or the defaults when never set). */
  sla: permissionProcedure(VIEW).query(async ({ ctx }) => {
    const rule = await ctx.services.ledger.node.store.record<{ value: Record<string, SlaTargets>; version: number; setBy: { dept: string; actor: string; seq: number } }>("rule", SLA_RULE);
    const parsed = slaRuleSchema.safeParse(rule?.value.value);
    return { targets: parsed.success ? parsed.data : DEFAULT_SLA, version: rule?.value.version ?? 0, setBy: rule?.value.setBy ?? null };
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
});
