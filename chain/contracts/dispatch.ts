/**
 * Emergency dispatch (computer-aided dispatch) contracts: response units and their status machine,
 * incidents from calls or escalated alarms, dispatch, support requests, transfer of lead, closure.
 * Every step is appended to the incident's timeline with its transaction's sequence number; time
 * is the block's order time only. SLA targets are the emergency bureau's smart-law rule
 * `dispatch.sla`, copied onto the incident when it is opened.
 */
import { z } from "zod";
import { checkSealedFields, sealedValueSchema, type SealedRecord } from "./sharing.js";
import type { AlarmRecord } from "./vehicles.js";
import { recordId } from "./ids.js";
import { defineContract, type ContractContext } from "./types.js";

import { INCIDENT_SEVERITIES, UNIT_KINDS, type IncidentSeverity, type UnitKind } from "./enums.js";
export { UNIT_KINDS, type UnitKind } from "./enums.js";

export const UNIT_STATUSES = ["available", "dispatched", "en_route", "on_scene", "transporting", "returning", "out_of_service"] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

/** What a unit can do; an incident type needs one or more of these. */
export const CAPABILITIES = ["medical", "fire", "rescue", "police", "traffic", "tow", "hazmat"] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const INCIDENT_TYPES = ["fire", "medical", "traffic_accident", "hazmat_spill", "public_security"] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

type Bureau = "traffic_police" | "transport" | "public_security" | "emergency" | "fire" | "health" | "environment";
export const DISPATCH_BUREAUS = ["emergency", "fire", "health", "traffic_police", "public_security", "environment"] as const satisfies readonly Bureau[];

/** Each incident type's responsible bureau (the lead at intake) and the capabilities it needs, the first being the primary. */
export const INCIDENT_SPEC: Record<IncidentType, { bureau: Bureau; needs: Capability[] }> = {
  fire: { bureau: "fire", needs: ["fire", "medical"] },
  medical: { bureau: "health", needs: ["medical"] },
  traffic_accident: { bureau: "traffic_police", needs: ["traffic", "medical", "tow"] },
  hazmat_spill: { bureau: "environment", needs: ["hazmat", "fire", "traffic"] },
  public_security: { bureau: "public_security", needs: ["police"] },
};

/**
 * The unit status machine: which status may follow which. Dispatch (available or returning ->
 * dispatched) is only by incident.dispatch; the rest by unit.status.
 */
export const UNIT_TRANSITIONS: Record<UnitStatus, readonly UnitStatus[]> = {
  available: ["dispatched", "out_of_service"],
  dispatched: ["en_route", "available"],
  en_route: ["on_scene", "returning"],
  on_scene: ["transporting", "returning"],
  transporting: ["returning"],
  returning: ["available", "dispatched"],
  out_of_service: ["available"],
};

/** Statuses in which a unit is committed to an incident. */
export const COMMITTED: readonly UnitStatus[] = ["dispatched", "en_route", "on_scene", "transporting"];

/** SLA targets in seconds: call to first dispatch, dispatch to en route, en route to on scene. */
export interface SlaTargets {
  dispatchS: number;
  enRouteS: number;
  onSceneS: number;
}
export const slaTargetsSchema = z
  .object({ dispatchS: z.number().int().min(10).max(7200), enRouteS: z.number().int().min(10).max(7200), onSceneS: z.number().int().min(30).max(14400) })
  .strict();
/** The rule `dispatch.sla`: targets per incident type (all types required). */
export const slaRuleSchema = z.object(Object.fromEntries(INCIDENT_TYPES.map((t) => [t, slaTargetsSchema])) as Record<IncidentType, typeof slaTargetsSchema>).strict();
export const SLA_RULE = "dispatch.sla";

export interface UnitRecord {
  id: string;
  name: string;
  kind: UnitKind;
  /** Owning department (its crews and dispatchers act for it). */
  dept: string;
  bureau: string;
  station: { name: string; lon: number; lat: number };
  capabilities: Capability[];
  /** The vehicle's plate when the unit is a registered vehicle with a terminal (live position). */
  plate?: string;
  /** Staff of the owning department who crew it. */
  crew?: string[];
  status: UnitStatus;
  incident: string | null;
  statusAt: number;
  registered: { dept: string; actor: string; seq: number; time: number };
}

export interface Assignment {
  unit: string;
  dispatchedAt: number;
  enRouteAt?: number;
  onSceneAt?: number;
  transportingAt?: number;
  clearedAt?: number;
  /** ETA (s) the dispatcher saw when dispatching. */
  etaS?: number;
}

export interface TimelineEntry {
  action: string;
  actor: string;
  dept: string;
  seq: number;
  time: number;
  unit?: string;
  status?: string;
  bureau?: string;
  note?: string;
}

export interface IncidentRecord {
  id: string;
  type: IncidentType;
  severity: IncidentSeverity;
  lon: number;
  lat: number;
  address: string;
  notes: string;
  /** The caller in clear: only in history written before the catalogue sealed the field. */
  caller?: string;
  /** The caller sealed under the `incidents` dataset key (AES-GCM, bound to this incident and field). */
  sealed?: { caller?: SealedRecord["sealed"][string] };
  source: { kind: "call" } | { kind: "alarm"; alarm: string; plate: string; alarmType: string };
  status: "open" | "dispatched" | "on_scene" | "closed";
  lead: string;
  support: string[];
  openedAt: number;
  openedBy: string;
  sla: SlaTargets;
  /** First dispatch / first en route / first on scene over all units. */
  firstDispatchAt: number | null;
  firstEnRouteAt: number | null;
  firstOnSceneAt: number | null;
  closedAt: number | null;
  assignments: Assignment[];
  timeline: TimelineEntry[];
}

/** Targets when the rule is unset: 90 s to dispatch, 60 s to roll, 8 min on scene (ambulances in the centre), 10 min otherwise. */
export const DEFAULT_SLA: Record<IncidentType, SlaTargets> = {
  fire: { dispatchS: 60, enRouteS: 60, onSceneS: 480 },
  medical: { dispatchS: 90, enRouteS: 60, onSceneS: 480 },
  traffic_accident: { dispatchS: 120, enRouteS: 90, onSceneS: 600 },
  hazmat_spill: { dispatchS: 90, enRouteS: 90, onSceneS: 720 },
  public_security: { dispatchS: 90, enRouteS: 60, onSceneS: 600 },
};

const id = recordId();
const UNITS_PUBLIC = "应急单元是公共服务资源（乘员为工作人员编号） response units are public service resources (crews are staff ids)";
/** An incident's keys that stand for catalogued fields of another name. */
export const INCIDENT_ALIAS = { type: "kind", address: "location", lon: "location", lat: "location" } as const;
const incidentScope = (p: { id: string }) => ({ dataset: INCIDENTS_DATASET, recordKey: p.id, alias: INCIDENT_ALIAS });
const incidentId = z.string().regex(/^inc-[a-z0-9-]{4,60}$/, "incident id like inc-20261126-0001");
const lon = z.number().min(113.7, "longitude outside Shenzhen").max(114.7, "longitude outside Shenzhen");
const lat = z.number().min(22.3, "latitude outside Shenzhen").max(22.9, "latitude outside Shenzhen");
const note = z.string().trim().max(500);
const bureau = z.enum(DISPATCH_BUREAUS);

const deptOf = (ctx: ContractContext, dept = ctx.tx.dept) => ctx.get<{ bureau?: string; kind: string }>("dept", dept);
const isSysAdmin = (ctx: ContractContext) => ctx.user?.role === "sys_admin";
/** The emergency management bureau coordinates every department's units (the command centre). */
const isCommand = (ctx: ContractContext) => isSysAdmin(ctx) || deptOf(ctx)?.bureau === "emergency";
const entry = (ctx: ContractContext, action: string, extra: Omit<TimelineEntry, "action" | "actor" | "dept" | "seq" | "time"> = {}): TimelineEntry => ({
  action,
  actor: ctx.tx.actor,
  dept: ctx.tx.dept,
  seq: ctx.seq,
  time: ctx.blockTime,
  ...extra,
});

function requireDispatchBureau(ctx: ContractContext): string {
  if (isSysAdmin(ctx)) return "emergency";
  const b = deptOf(ctx)?.bureau;
  if (!b || !(DISPATCH_BUREAUS as readonly string[]).includes(b)) return ctx.refuse(`only an emergency service bureau may submit ${ctx.tx.type}`);
  return b;
}

/** The department may act on the incident: the command centre, the lead bureau or a bureau asked for support. */
function requireInvolved(ctx: ContractContext, inc: IncidentRecord): void {
  if (isCommand(ctx)) return;
  const b = deptOf(ctx)?.bureau;
  if (!b || (b !== inc.lead && !inc.support.includes(b))) ctx.refuse(`incident ${inc.id} is led by ${inc.lead}; ${b ?? ctx.tx.dept} is not involved`);
}

function slaFor(ctx: ContractContext, type: IncidentType): SlaTargets {
  const rule = ctx.rule<Record<string, SlaTargets>>(SLA_RULE);
  const parsed = slaRuleSchema.safeParse(rule);
  return parsed.success ? parsed.data[type] : DEFAULT_SLA[type];
}

/** A crew: distinct user ids, at most 12. */
const crewSchema = z.array(id).max(12).refine((c) => new Set(c).size === c.length, { message: "a crew lists each member once" });
const crewReads = (crew?: readonly string[]) => (crew ?? []).map((u) => ["user", u] as const);

/** Every member an active user of the unit's department. */
function checkCrew(ctx: ContractContext, dept: string, crew: readonly string[]): void {
  for (const u of crew) {
    const rec = ctx.get<{ dept: string; status: string }>("user", u);
    if (!rec || rec.status !== "active") return ctx.refuse(`unknown or disabled user ${u}`);
    if (rec.dept !== dept) return ctx.refuse(`${u} is staff of ${rec.dept}, not of the unit's department ${dept}`);
  }
}

const unitRegister = defineContract({
  type: "unit.register",
  version: 1,
  roles: ["supervisor", "dept_admin", "sys_admin"],
  writes: ["unit", "unit_plate"],
  governs: { public: UNITS_PUBLIC },
  schema: z
    .object({
      id,
      name: z.string().trim().min(1).max(60),
      kind: z.enum(UNIT_KINDS),
      /** Owning department; default the submitter's. */
      dept: id.optional(),
      station: z.object({ name: z.string().trim().min(1).max(80), lon, lat }).strict(),
      capabilities: z.array(z.enum(CAPABILITIES)).min(1).max(CAPABILITIES.length),
      plate: z.string().min(7).max(9).optional(),
      /** The unit's crew: staff of the owning department (their user ids). */
      crew: crewSchema.optional(),
    })
    .strict(),
  reads: (tx, p) => [
    ["unit", p.id],
    ["dept", p.dept ?? tx.dept],
    ...(p.plate ? [["vehicle", p.plate] as const, ["unit_plate", p.plate] as const] : []),
    ...crewReads(p.crew),
  ],
  apply(ctx, p) {
    const dept = p.dept ?? ctx.tx.dept;
    if (ctx.get("unit", p.id)) return ctx.refuse(`unit ${p.id} already registered`);
    const d = deptOf(ctx, dept);
    if (!d) return ctx.refuse(`unknown department ${dept}`);
    if (!d.bureau || !(DISPATCH_BUREAUS as readonly string[]).includes(d.bureau)) return ctx.refuse(`department ${dept} runs no emergency units`);
    if (dept !== ctx.tx.dept && !isSysAdmin(ctx)) return ctx.refuse(`a department registers only its own units (${ctx.tx.dept})`);
    if (p.plate) {
      const v = ctx.get<{ cls: string }>("vehicle", p.plate);
      if (!v) return ctx.refuse(`unknown vehicle ${p.plate}`);
      if (!["ambulance", "fire", "police"].includes(v.cls)) return ctx.refuse(`${p.plate} is a ${v.cls} vehicle, not an emergency vehicle`);
      const other = ctx.get<{ unit: string }>("unit_plate", p.plate);
      if (other) return ctx.refuse(`vehicle ${p.plate} already serves unit ${other.unit}`);
      ctx.put("unit_plate", p.plate, { unit: p.id });
    }
    if (p.crew) checkCrew(ctx, dept, p.crew);
    const rec: UnitRecord = {
      ...p,
      dept,
      bureau: d.bureau!,
      status: "available",
      incident: null,
      statusAt: ctx.blockTime,
      registered: { dept: ctx.tx.dept, actor: ctx.tx.actor, seq: ctx.seq, time: ctx.blockTime },
    };
    ctx.put("unit", p.id, rec as never);
  },
});

/** The catalogue dataset of incidents (owner: the emergency bureau); its `caller` field is sealed. */
export const INCIDENTS_DATASET = "incidents";

const incidentFields = {
  id: incidentId,
  type: z.enum(INCIDENT_TYPES),
  severity: z.enum(INCIDENT_SEVERITIES),
  notes: note.default(""),
};

function openIncident(ctx: ContractContext, p: { id: string; type: IncidentType; severity: IncidentRecord["severity"]; notes: string; lon: number; lat: number; address: string; caller?: string; sealed?: IncidentRecord["sealed"] }, source: IncidentRecord["source"]): IncidentRecord {
  const inc: IncidentRecord = {
    id: p.id,
    type: p.type,
    severity: p.severity,
    lon: p.lon,
    lat: p.lat,
    address: p.address,
    notes: p.notes,
    ...(p.caller ? { caller: p.caller } : {}),
    ...(p.sealed?.caller ? { sealed: { caller: p.sealed.caller } } : {}),
    source,
    status: "open",
    lead: INCIDENT_SPEC[p.type].bureau,
    support: [],
    openedAt: ctx.blockTime,
    openedBy: ctx.tx.dept,
    sla: slaFor(ctx, p.type),
    firstDispatchAt: null,
    firstEnRouteAt: null,
    firstOnSceneAt: null,
    closedAt: null,
    assignments: [],
    timeline: [entry(ctx, source.kind === "alarm" ? "escalate" : "create", source.kind === "alarm" ? { note: `alarm ${source.alarm}` } : {})],
  };
  ctx.put("incident", p.id, inc as never);
  return inc;
}

/** Sets a unit's crew (the whole list), by its department or the command centre. */
const unitCrew = defineContract({
  type: "unit.crew",
  version: 1,
  roles: ["supervisor", "dept_admin", "sys_admin"],
  writes: ["unit"],
  governs: { public: UNITS_PUBLIC },
  schema: z.object({ unit: id, crew: crewSchema }).strict(),
  reads: (_tx, p) => [["unit", p.unit], ...crewReads(p.crew)],
  apply(ctx, p) {
    const u = ctx.get<UnitRecord>("unit", p.unit);
    if (!u) return ctx.refuse(`unknown unit ${p.unit}`);
    if (ctx.tx.dept !== u.dept && !isSysAdmin(ctx)) return ctx.refuse(`unit ${p.unit} belongs to ${u.dept}`);
    checkCrew(ctx, u.dept, p.crew);
    ctx.put("unit", p.unit, { ...u, crew: p.crew, crewAt: ctx.blockTime } as never);
  },
});

const incidentCreate = defineContract({
  type: "incident.create",
  version: 1,
  roles: ["operator", "dispatcher", "supervisor", "dept_admin", "sys_admin"],
  writes: ["incident"],
  governs: { scope: incidentScope },
  rules: [SLA_RULE],
  schema: z
    .object({
      ...incidentFields,
      lon,
      lat,
      address: z.string().trim().min(1, "address or landmark required").max(200),
      /** Clear caller: accepted only while the catalogue does not seal the field (earlier history). */
      caller: z.string().trim().max(60).optional(),
      sealed: z.object({ caller: sealedValueSchema }).strict().optional(),
    })
    .strict()
    .refine((p) => !(p.caller && p.sealed), { message: "send the caller sealed or in clear, not both" }),
  reads: (_tx, p) => [
    ["incident", p.id],
    ["dataset", INCIDENTS_DATASET],
    ["dskey", INCIDENTS_DATASET],
  ],
  apply(ctx, p) {
    requireDispatchBureau(ctx);
    if (ctx.get("incident", p.id)) return ctx.refuse(`incident ${p.id} already exists`);
    checkSealedFields(ctx, INCIDENTS_DATASET, { caller: p.caller || undefined }, p.sealed);
    openIncident(ctx, p, { kind: "call" });
  },
});

const incidentEscalate = defineContract({
  type: "incident.escalate",
  version: 1,
  roles: ["operator", "dispatcher", "supervisor", "dept_admin", "sys_admin"],
  writes: ["incident", "alarm"],
  governs: { scope: incidentScope },
  rules: [SLA_RULE],
  schema: z
    .object({ ...incidentFields, alarm: z.string().regex(/^[a-z0-9-]{8,64}$/, "alarm id"), address: z.string().trim().max(200).optional() })
    .strict(),
  reads: (_tx, p) => [
    ["incident", p.id],
    ["alarm", p.alarm],
  ],
  apply(ctx, p) {
    requireDispatchBureau(ctx);
    if (ctx.get("incident", p.id)) return ctx.refuse(`incident ${p.id} already exists`);
    const a = ctx.get<AlarmRecord>("alarm", p.alarm);
    if (!a) return ctx.refuse(`unknown alarm ${p.alarm}`);
    if (a.status === "closed" || a.status === "escalated") return ctx.refuse(`alarm ${p.alarm} is ${a.status}${a.incident ? ` (incident ${a.incident})` : ""}`);
    if (a.lon === undefined || a.lat === undefined) return ctx.refuse(`alarm ${p.alarm} has no position`);
    openIncident(ctx, { ...p, lon: a.lon, lat: a.lat, address: p.address || `${a.subject} @ ${a.lon.toFixed(5)}, ${a.lat.toFixed(5)}` }, { kind: "alarm", alarm: a.id, plate: a.subject, alarmType: a.type });
    ctx.put("alarm", p.alarm, {
      ...(a as object),
      status: "escalated",
      incident: p.id,
      steps: [...a.steps, { action: "escalate", actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime, note: `incident ${p.id}` }],
    } as never);
  },
});

function getIncident(ctx: ContractContext, incId: string): IncidentRecord {
  const inc = ctx.get<IncidentRecord>("incident", incId);
  if (!inc) return ctx.refuse(`unknown incident ${incId}`);
  if (inc.status === "closed") return ctx.refuse(`incident ${incId} is closed`);
  return inc;
}

const incidentDispatch = defineContract({
  type: "incident.dispatch",
  version: 1,
  roles: ["dispatcher", "supervisor", "dept_admin", "sys_admin"],
  writes: ["incident", "unit"],
  governs: { scope: incidentScope },
  subject: (p) => `${p.id}: ${p.units.join(", ")}`,
  schema: z
    .object({ id: incidentId, units: z.array(id).min(1, "choose at least one unit").max(10), etaS: z.array(z.number().min(0).max(86_400)).max(10).optional(), note: note.optional() })
    .strict()
    .refine((p) => new Set(p.units).size === p.units.length, { message: "a unit is listed twice" })
    .refine((p) => !p.etaS || p.etaS.length === p.units.length, { message: "etaS must match units" }),
  reads: (_tx, p) => [["incident", p.id], ...p.units.map((u) => ["unit", u] as const)],
  apply(ctx, p) {
    const inc = getIncident(ctx, p.id);
    requireInvolved(ctx, inc);
    const myBureau = deptOf(ctx)?.bureau;
    const assignments = [...inc.assignments];
    const timeline = [...inc.timeline];
    p.units.forEach((uid, i) => {
      const u = ctx.get<UnitRecord>("unit", uid);
      if (!u) return ctx.refuse(`unknown unit ${uid}`);
      if (!isCommand(ctx) && u.bureau !== myBureau) ctx.refuse(`unit ${uid} belongs to ${u.dept}; ask the ${u.bureau} bureau for support`);
      if (u.incident === inc.id && COMMITTED.includes(u.status)) ctx.refuse(`unit ${uid} is already dispatched to ${inc.id}`);
      if (!UNIT_TRANSITIONS[u.status].includes("dispatched")) ctx.refuse(`unit ${uid} is ${u.status}${u.incident ? ` (incident ${u.incident})` : ""}, not available`);
      ctx.put("unit", uid, { ...u, status: "dispatched", incident: inc.id, statusAt: ctx.blockTime } as never);
      assignments.push({ unit: uid, dispatchedAt: ctx.blockTime, ...(p.etaS ? { etaS: Math.round(p.etaS[i]) } : {}) });
      timeline.push(entry(ctx, "dispatch", { unit: uid, ...(p.note ? { note: p.note } : {}) }));
    });
    ctx.put("incident", inc.id, {
      ...inc,
      status: inc.status === "open" ? "dispatched" : inc.status,
      firstDispatchAt: inc.firstDispatchAt ?? ctx.blockTime,
      assignments,
      timeline,
    } as never);
  },
});

const unitStatus = defineContract({
  type: "unit.status",
  version: 1,
  roles: ["operator", "dispatcher", "supervisor", "dept_admin", "sys_admin"],
  writes: ["unit", "incident"],
  // Serving an incident, the step is part of its record; otherwise it is the unit's own status.
  governs: { scope: (p) => (p.incident ? { dataset: INCIDENTS_DATASET, alias: { incident: "id", unit: "units" }, recordKey: p.incident } : null) },
  subject: (p) => `${p.unit} → ${p.status}${p.incident ? ` (${p.incident})` : ""}`,
  schema: z
    .object({
      unit: id,
      status: z.enum(UNIT_STATUSES).refine((s) => s !== "dispatched", "a unit is dispatched by incident.dispatch"),
      /** The incident the unit serves (must match the unit's record; absent when it serves none). */
      incident: incidentId.optional(),
      note: note.optional(),
    })
    .strict(),
  reads: (_tx, p) => [["unit", p.unit], ...(p.incident ? [["incident", p.incident] as const] : [])],
  apply(ctx, p) {
    const u = ctx.get<UnitRecord>("unit", p.unit);
    if (!u) return ctx.refuse(`unknown unit ${p.unit}`);
    if (!isCommand(ctx) && ctx.tx.dept !== u.dept) return ctx.refuse(`unit ${p.unit} belongs to ${u.dept}`);
    if (!UNIT_TRANSITIONS[u.status].includes(p.status)) return ctx.refuse(`unit ${p.unit} cannot go from ${u.status} to ${p.status} (allowed: ${UNIT_TRANSITIONS[u.status].join(", ") || "none"})`);
    if ((p.incident ?? null) !== (u.status === "returning" || u.status === "available" || u.status === "out_of_service" ? null : u.incident)) {
      return ctx.refuse(`unit ${p.unit} serves ${u.incident ?? "no incident"}, not ${p.incident ?? "none"}`);
    }
    const releases = p.status === "returning" || p.status === "available";
    ctx.put("unit", p.unit, { ...u, status: p.status, incident: releases ? null : u.incident, statusAt: ctx.blockTime } as never);
    if (!p.incident) return;
    const inc = ctx.get<IncidentRecord>("incident", p.incident);
    if (!inc) return ctx.refuse(`unknown incident ${p.incident}`);
    const t = ctx.blockTime;
    const assignments = inc.assignments.map((a) => {
      if (a.unit !== p.unit || a.clearedAt !== undefined) return a;
      if (p.status === "en_route") return { ...a, enRouteAt: t };
      if (p.status === "on_scene") return { ...a, onSceneAt: t };
      if (p.status === "transporting") return { ...a, transportingAt: t };
      return { ...a, clearedAt: t };
    });
    ctx.put("incident", inc.id, {
      ...inc,
      status: p.status === "on_scene" && inc.status !== "closed" ? "on_scene" : inc.status,
      firstEnRouteAt: inc.firstEnRouteAt ?? (p.status === "en_route" ? t : null),
      firstOnSceneAt: inc.firstOnSceneAt ?? (p.status === "on_scene" ? t : null),
      assignments,
      timeline: [...inc.timeline, entry(ctx, p.status === "available" ? "cancel" : "status", { unit: p.unit, status: p.status, ...(p.note ? { note: p.note } : {}) })],
    } as never);
  },
});

const incidentSupport = defineContract({
  type: "incident.support",
  version: 1,
  roles: ["dispatcher", "supervisor", "dept_admin", "sys_admin"],
  writes: ["incident"],
  governs: { scope: incidentScope },
  schema: z.object({ id: incidentId, bureau, note: z.string().trim().min(1, "say what support is needed").max(500) }).strict(),
  reads: (_tx, p) => [["incident", p.id]],
  apply(ctx, p) {
    const inc = getIncident(ctx, p.id);
    requireInvolved(ctx, inc);
    if (p.bureau === inc.lead || inc.support.includes(p.bureau)) return ctx.refuse(`the ${p.bureau} bureau is already on incident ${p.id}`);
    ctx.put("incident", inc.id, { ...inc, support: [...inc.support, p.bureau], timeline: [...inc.timeline, entry(ctx, "support_request", { bureau: p.bureau, note: p.note })] } as never);
  },
});

const incidentTransfer = defineContract({
  type: "incident.transfer",
  version: 1,
  roles: ["dispatcher", "supervisor", "dept_admin", "sys_admin"],
  writes: ["incident"],
  governs: { scope: incidentScope },
  schema: z.object({ id: incidentId, bureau, note: z.string().trim().min(1, "give the reason for the transfer").max(500) }).strict(),
  reads: (_tx, p) => [["incident", p.id]],
  apply(ctx, p) {
    const inc = getIncident(ctx, p.id);
    const mine = deptOf(ctx)?.bureau;
    if (!isCommand(ctx) && mine !== inc.lead) return ctx.refuse(`only the lead (${inc.lead}) or the command centre may transfer incident ${p.id}`);
    if (p.bureau === inc.lead) return ctx.refuse(`the ${p.bureau} bureau already leads incident ${p.id}`);
    const support = [...inc.support.filter((b) => b !== p.bureau), inc.lead];
    ctx.put("incident", inc.id, { ...inc, lead: p.bureau, support, timeline: [...inc.timeline, entry(ctx, "transfer", { bureau: p.bureau, note: p.note })] } as never);
  },
});

const incidentClose = defineContract({
  type: "incident.close",
  version: 1,
  roles: ["dispatcher", "supervisor", "dept_admin", "sys_admin"],
  writes: ["incident"],
  governs: { scope: incidentScope },
  schema: z.object({ id: incidentId, note: z.string().trim().min(1, "closing needs a note (outcome)").max(500) }).strict(),
  reads: (_tx, p) => [["incident", p.id]],
  apply(ctx, p) {
    const inc = getIncident(ctx, p.id);
    const mine = deptOf(ctx)?.bureau;
    if (!isCommand(ctx) && mine !== inc.lead) return ctx.refuse(`only the lead (${inc.lead}) or the command centre may close incident ${p.id}`);
    const busy = inc.assignments.filter((a) => a.clearedAt === undefined).map((a) => a.unit);
    if (busy.length) return ctx.refuse(`units still committed to ${p.id}: ${busy.join(", ")} (clear them first)`);
    ctx.put("incident", inc.id, { ...inc, status: "closed", closedAt: ctx.blockTime, timeline: [...inc.timeline, entry(ctx, "close", { note: p.note })] } as never);
  },
});

export const dispatchContracts = [unitRegister, unitCrew, incidentCreate, incidentEscalate, incidentDispatch, unitStatus, incidentSupport, incidentTransfer, incidentClose];
