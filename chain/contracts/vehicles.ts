/**
 * Vehicle supervision contracts: companies, vehicles, drivers, geofences, hazmat permits, telemetry
 * anchoring, mileage and the alarm workflow. Authority follows the competent bureau: the transport
 * bureau licenses companies, ride-hailing and taxis; the traffic police define geofences, approve
 * hazmat permits and handle alarms.
 */
import { z } from "zod";
import { HEX32 } from "../tx.js";
import { geofenceSchema, VEHICLE_CLASSES } from "./geofence-schema.js";
import { authorityLine, authorityReads, requireOwnerOrAncestor } from "./authority.js";
import { cstDate } from "./cst.js";
import { checkSealedFields, hex, sealedValueSchema } from "./sharing.js";
import { defineContract, type ContractContext, type StateKey } from "./types.js";

export const PLATE = /^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$/;
const plate = z.string().regex(PLATE, "plate like 粤B12345 (or 粤BD12345 for new energy)");
const id = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "id: lowercase letters, digits, '.', '_' or '-'");
const name = z.string().trim().min(1).max(100);
const licence = z.object({ no: z.string().trim().min(1).max(40), status: z.enum(["valid", "suspended", "revoked", "expired"]), expires: z.string().date().optional() });
const OPERATORS = ["operator", "supervisor", "dept_admin", "sys_admin"] as const;

/** A licence in force at `time`: status valid and not past its expiry date (when it has one). */
export function licenceInForce(l: { status: string; expires?: string } | undefined, time: number): boolean {
  return !!l && l.status === "valid" && (!l.expires || l.expires >= cstDate(time));
}

type Bureau = "traffic_police" | "transport" | "public_security" | "emergency" | "fire" | "health" | "environment";

/** Refuses unless the submitting department is one of these bureaus (a system admin may act anywhere). */
function requireBureau(ctx: ContractContext, ...bureaus: Bureau[]): void {
  if (!ctx.user || ctx.user.role === "sys_admin") return;
  const dept = ctx.get<{ bureau?: string }>("dept", ctx.tx.dept);
  if (!dept?.bureau || !bureaus.includes(dept.bureau as Bureau)) ctx.refuse(`only the ${bureaus.join(" or ")} bureau may submit ${ctx.tx.type}`);
}

/** Hazmat vehicles are the traffic police's alone; other classes the transport bureau's or the traffic police's. */
const vehicleAuthority = (cls: string): Bureau[] => (cls === "hazmat" ? ["traffic_police"] : ["transport", "traffic_police"]);

const stamp = (ctx: ContractContext) => ({ dept: ctx.tx.dept, actor: ctx.tx.actor, seq: ctx.seq, time: ctx.blockTime });

/** The department that registered a record (vehicles, drivers: the `registered` stamp). */
const registrant = (r: { registered?: { dept?: string } }): string => r.registered?.dept ?? "";
/**
 * A geofence's owner: its `owner`, or for fences defined before owners were recorded the
 * department of its last definition (what history replays to).
 */
export const geofenceOwner = (g: { owner?: string; defined?: { dept?: string } }): string => g.owner ?? g.defined?.dept ?? "";

const companyRegister = defineContract({
  type: "company.register",
  version: 1,
  roles: OPERATORS,
  schema: z
    .object({
      id,
      name,
      kind: z.enum(["ride_hailing_platform", "taxi", "logistics", "bus", "public_service"]),
      /** ed25519 key the company signs telemetry batches with. */
      ingestKey: z.string().regex(HEX32, "ingestKey must be 64 lowercase hex digits"),
    })
    .strict(),
  reads: (_tx, p) => [["company", p.id]],
  apply(ctx, p) {
    requireBureau(ctx, "transport");
    if (ctx.get("company", p.id)) return ctx.refuse(`company ${p.id} already registered`);
    ctx.put("company", p.id, { ...p, status: "active", registered: stamp(ctx) });
  },
});

/**
 * A company's standing and key: suspended or revoked companies cannot sign telemetry (the ingest
 * refuses them) and a revoked company cannot come back; a new ingest key replaces the old one
 * (a compromised key is rotated, not shared). Only the transport bureau that licenses companies.
 */
const companyUpdate = defineContract({
  type: "company.update",
  version: 1,
  roles: OPERATORS,
  schema: z
    .object({
      id,
      name: name.optional(),
      status: z.enum(["active", "suspended", "revoked"]).optional(),
      ingestKey: z.string().regex(HEX32, "ingestKey must be 64 lowercase hex digits").optional(),
      reason: z.string().trim().min(1, "a reason is required").max(300),
      authority: authorityLine,
    })
    .strict()
    .refine((p) => p.name !== undefined || p.status !== undefined || p.ingestKey !== undefined, { message: "nothing to change: give a name, status or ingestKey" }),
  reads: (_tx, p) => [["company", p.id], ...authorityReads(p)],
  apply(ctx, { authority, reason, ...p }) {
    requireBureau(ctx, "transport");
    const c = ctx.get<Record<string, unknown> & { status: string; registered?: { dept?: string } }>("company", p.id);
    if (!c) return ctx.refuse(`unknown company ${p.id}`);
    requireOwnerOrAncestor(ctx, registrant(c), authority);
    if (c.status === "revoked") return ctx.refuse(`company ${p.id} is revoked; register it anew`);
    if (p.status && p.status === c.status && p.name === undefined && p.ingestKey === undefined) return ctx.refuse(`company ${p.id} is already ${p.status}`);
    ctx.put("company", p.id, { ...(c as object), ...p, updated: { ...stamp(ctx), reason } });
  },
});

const vehicleRegister = defineContract({
  type: "vehicle.register",
  version: 1,
  roles: OPERATORS,
  schema: z
    .object({
      plate,
      cls: z.enum(VEHICLE_CLASSES),
      company: id,
      terminal: z.string().regex(/^[A-Za-z0-9_-]{4,40}$/, "terminal id: 4-40 letters, digits, '_' or '-'"),
      licence,
      vin: z.string().regex(/^[A-HJ-NPR-Z0-9]{17}$/, "VIN: 17 characters").optional(),
      /** Odometer at registration (km). */
      odometerKm: z.number().min(0).max(5_000_000).optional(),
    })
    .strict(),
  reads: (_tx, p) => [
    ["vehicle", p.plate],
    ["company", p.company],
    ["terminal", p.terminal],
  ],
  apply(ctx, p) {
    requireBureau(ctx, ...vehicleAuthority(p.cls));
    if (ctx.get("vehicle", p.plate)) return ctx.refuse(`vehicle ${p.plate} already registered`);
    if (!ctx.get("company", p.company)) return ctx.refuse(`unknown company ${p.company}`);
    const t = ctx.get<{ plate: string }>("terminal", p.terminal);
    if (t) return ctx.refuse(`terminal ${p.terminal} already belongs to ${t.plate}`);
    ctx.put("vehicle", p.plate, { ...p, registered: stamp(ctx) });
    ctx.put("terminal", p.terminal, { plate: p.plate, company: p.company });
  },
});

const vehicleUpdate = defineContract({
  type: "vehicle.update",
  version: 1,
  roles: OPERATORS,
  schema: z.object({ plate, licence: licence.optional(), company: id.optional(), authority: authorityLine }).strict(),
  reads: (_tx, p) => [["vehicle", p.plate], ...(p.company ? [["company", p.company] as const] : []), ...authorityReads(p)],
  apply(ctx, { authority, ...p }) {
    const v = ctx.get<Record<string, unknown> & { cls: string; registered?: { dept?: string } }>("vehicle", p.plate);
    if (!v) return ctx.refuse(`unknown vehicle ${p.plate}`);
    requireBureau(ctx, ...vehicleAuthority(v.cls));
    requireOwnerOrAncestor(ctx, registrant(v), authority);
    if (p.company && !ctx.get("company", p.company)) return ctx.refuse(`unknown company ${p.company}`);
    ctx.put("vehicle", p.plate, { ...(v as object), ...p, updated: stamp(ctx) });
  },
});

/** The catalogue dataset of drivers (owner: the transport bureau); name and licence number are sealed. */
export const DRIVERS_DATASET = "drivers";
/** A driver's personal fields, sealed under the `drivers` dataset key; the licence number with its blind index. */
const driverSealed = z.object({ name: sealedValueSchema.optional(), licenceNo: sealedValueSchema.optional() }).strict();
const driverIndex = z.object({ licenceNo: hex(16) }).strict();
const driverReads = (p: { id: string }): StateKey[] => [
  ["driver", p.id],
  ["dataset", DRIVERS_DATASET],
  ["dskey", DRIVERS_DATASET],
];

/**
 * A driver and the vehicles they drive. The licence's status stays clear (trip checks read it); the
 * name and the licence number travel sealed once the catalogue seals them (`name` and `licence.no`
 * in clear are earlier history's shape).
 */
const driverRegister = defineContract({
  type: "driver.register",
  version: 1,
  roles: OPERATORS,
  schema: z
    .object({ id, name: name.optional(), company: id, licence: licence.extend({ no: licence.shape.no.optional() }), vehicles: z.array(plate).max(10).default([]), sealed: driverSealed.optional(), index: driverIndex.optional() })
    .strict()
    .refine((p) => !!p.name !== !!p.sealed?.name, { message: "a driver has a name, sealed or (earlier history) in clear" }),
  reads: (_tx, p) => [...driverReads(p), ["company", p.company]],
  apply(ctx, p) {
    requireBureau(ctx, "transport");
    if (ctx.get("driver", p.id)) return ctx.refuse(`driver ${p.id} already registered`);
    if (!ctx.get("company", p.company)) return ctx.refuse(`unknown company ${p.company}`);
    checkSealedFields(ctx, DRIVERS_DATASET, { name: p.name, licenceNo: p.licence.no }, p.sealed, p.index);
    ctx.put("driver", p.id, { ...p, registered: stamp(ctx) });
  },
});

const driverUpdate = defineContract({
  type: "driver.update",
  version: 1,
  roles: OPERATORS,
  schema: z
    .object({ id, licence: licence.extend({ no: licence.shape.no.optional() }).optional(), vehicles: z.array(plate).max(10).optional(), sealed: z.object({ licenceNo: sealedValueSchema }).strict().optional(), index: driverIndex.optional(), authority: authorityLine })
    .strict(),
  reads: (_tx, p) => [...driverReads(p), ...authorityReads(p)],
  apply(ctx, { authority, ...p }) {
    requireBureau(ctx, "transport");
    const d = ctx.get<Record<string, unknown> & { sealed?: object; index?: object; registered?: { dept?: string } }>("driver", p.id);
    if (!d) return ctx.refuse(`unknown driver ${p.id}`);
    requireOwnerOrAncestor(ctx, registrant(d), authority);
    checkSealedFields(ctx, DRIVERS_DATASET, { licenceNo: p.licence?.no }, p.sealed, p.index);
    const sealed = p.sealed || d.sealed ? { sealed: { ...d.sealed, ...p.sealed } } : {};
    const index = p.index || d.index ? { index: { ...d.index, ...p.index } } : {};
    ctx.put("driver", p.id, { ...(d as object), ...p, ...sealed, ...index, updated: stamp(ctx) });
  },
});

const geofenceDefine = defineContract({
  type: "geofence.define",
  version: 1,
  roles: ["supervisor", "dept_admin", "sys_admin"],
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

const geofenceRetire = defineContract({
  type: "geofence.retire",
  version: 1,
  roles: ["supervisor", "dept_admin", "sys_admin"],
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

const hazmatPermit = defineContract({
  type: "hazmat.permit",
  version: 1,
  roles: ["supervisor", "dept_admin", "sys_admin"],
  schema: z
    .object({
      id,
      plate,
      /** UN hazard class of the cargo (1–9). */
      cargoClass: z.enum(["1", "2", "3", "4", "5", "6", "7", "8", "9"]),
      cargo: z.string().trim().min(1).max(100),
      /** The corridor geofence of the planned route. */
      corridor: id,
      from: z.number().int().positive(),
      to: z.number().int().positive(),
    })
    .strict()
    .refine((p) => p.to > p.from, { message: "permit window must end after it starts" })
    .refine((p) => p.to - p.from <= 31 * 24 * 3600_000, { message: "permit window at most 31 days" }),
  reads: (_tx, p) => [
    ["permit", p.id],
    ["vehicle", p.plate],
    ["geofence", p.corridor],
  ],
  apply(ctx, p) {
    requireBureau(ctx, "traffic_police");
    if (ctx.get("permit", p.id)) return ctx.refuse(`permit ${p.id} already exists`);
    const v = ctx.get<{ cls: string; licence: { status: string; expires?: string } }>("vehicle", p.plate);
    if (!v) return ctx.refuse(`unknown vehicle ${p.plate}`);
    if (v.cls !== "hazmat") return ctx.refuse(`${p.plate} is not a hazmat vehicle`);
    if (!licenceInForce(v.licence, ctx.blockTime)) return ctx.refuse(`${p.plate} licence is ${v.licence.status === "valid" ? "expired" : v.licence.status}`);
    const g = ctx.get<{ kind: string; status: string }>("geofence", p.corridor);
    if (!g || g.status !== "active") return ctx.refuse(`unknown or retired geofence ${p.corridor}`);
    if (g.kind !== "hazmat_corridor") return ctx.refuse(`${p.corridor} is not a hazmat corridor`);
    ctx.put("permit", p.id, { ...p, status: "approved", approved: stamp(ctx) });
  },
});

/** The permit's issuing department (the `approved` stamp). */
const issuer = (p: { approved?: { dept?: string } }): string => p.approved?.dept ?? "";

/**
 * Amends an approved permit (corridor, window, cargo), as its issuer or an ancestor; the amended
 * permit is checked as a new one would be. The engine follows the permit at once.
 */
const hazmatPermitAmend = defineContract({
  type: "hazmat.permit.amend",
  version: 1,
  roles: ["supervisor", "dept_admin", "sys_admin"],
  schema: z
    .object({
      id,
      cargoClass: z.enum(["1", "2", "3", "4", "5", "6", "7", "8", "9"]).optional(),
      cargo: z.string().trim().min(1).max(100).optional(),
      corridor: id.optional(),
      from: z.number().int().positive().optional(),
      to: z.number().int().positive().optional(),
      reason: z.string().trim().min(1, "a reason is required").max(300),
      authority: authorityLine,
    })
    .strict(),
  reads: (_tx, p) => [["permit", p.id], ...(p.corridor ? [["geofence", p.corridor] as const] : []), ...authorityReads(p)],
  apply(ctx, { authority, reason, ...p }) {
    requireBureau(ctx, "traffic_police");
    const prev = ctx.get<Record<string, unknown> & { status: string; from: number; to: number; approved?: { dept?: string } }>("permit", p.id);
    if (!prev) return ctx.refuse(`unknown permit ${p.id}`);
    requireOwnerOrAncestor(ctx, issuer(prev), authority);
    if (prev.status !== "approved") return ctx.refuse(`permit ${p.id} is ${prev.status}`);
    const from = p.from ?? prev.from;
    const to = p.to ?? prev.to;
    if (to <= from) return ctx.refuse("permit window must end after it starts");
    if (to - from > 31 * 24 * 3600_000) return ctx.refuse("permit window at most 31 days");
    if (p.corridor) {
      const g = ctx.get<{ kind: string; status: string }>("geofence", p.corridor);
      if (!g || g.status !== "active") return ctx.refuse(`unknown or retired geofence ${p.corridor}`);
      if (g.kind !== "hazmat_corridor") return ctx.refuse(`${p.corridor} is not a hazmat corridor`);
    }
    const changes = Object.fromEntries(Object.entries(p).filter(([k, v]) => k !== "id" && v !== undefined));
    if (Object.keys(changes).length === 0) return ctx.refuse("nothing to amend");
    const amendments = [...((prev.amendments as object[] | undefined) ?? []), { ...stamp(ctx), reason, changes }].slice(-20);
    ctx.put("permit", p.id, { ...(prev as object), ...changes, amendments } as never);
  },
});

/** Revokes a permit before its window ends: the vehicle moving after it is outside any window. */
const hazmatPermitRevoke = defineContract({
  type: "hazmat.permit.revoke",
  version: 1,
  roles: ["supervisor", "dept_admin", "sys_admin"],
  schema: z.object({ id, reason: z.string().trim().min(1, "a reason is required").max(300), authority: authorityLine }).strict(),
  reads: (_tx, p) => [["permit", p.id], ...authorityReads(p)],
  apply(ctx, p) {
    requireBureau(ctx, "traffic_police");
    const prev = ctx.get<Record<string, unknown> & { status: string; approved?: { dept?: string } }>("permit", p.id);
    if (!prev) return ctx.refuse(`unknown permit ${p.id}`);
    requireOwnerOrAncestor(ctx, issuer(prev), p.authority);
    if (prev.status === "revoked") return ctx.refuse(`permit ${p.id} is already revoked`);
    ctx.put("permit", p.id, { ...(prev as object), status: "revoked", revoked: { ...stamp(ctx), reason: p.reason } });
  },
});

const telemetryAnchor = defineContract({
  type: "telemetry.anchor",
  version: 1,
  roles: OPERATORS,
  schema: z
    .object({
      batch: z.string().regex(/^[0-9a-f]{32}$/, "batch id: 32 hex digits"),
      company: id,
      count: z.number().int().min(1).max(100_000),
      /** RFC 6962 root over the batch's canonical pings, in stored order. */
      root: z.string().regex(HEX32),
      fromTs: z.number().int(),
      toTs: z.number().int(),
    })
    .strict(),
  reads: (_tx, p) => [
    ["telemetry", p.batch],
    ["company", p.company],
  ],
  apply(ctx, p) {
    if (ctx.get("telemetry", p.batch)) return ctx.refuse(`batch ${p.batch} already anchored`);
    if (!ctx.get("company", p.company)) return ctx.refuse(`unknown company ${p.company}`);
    ctx.put("telemetry", p.batch, { ...p, anchored: stamp(ctx) });
  },
});

/** GPS distance below which odometer divergence is not judged (rounding and GPS noise dominate). */
export const MILEAGE_MIN_GPS_KM = 1;
/** Odometer and GPS distance may differ by this fraction of the GPS distance before it is flagged. */
export const MILEAGE_DIVERGENCE = 0.1;

/** A vehicle's mileage as the ledger holds it (ns "mileage"). */
export interface MileageRecord {
  odometerKm: number;
  at: number;
  readings: number;
  /** GPS track distance summed over the readings that reported one. */
  gpsKm: number;
  flags: { kind: "rollback" | "divergence"; at: number; from: number; to: number; gpsKm?: number; seq: number }[];
  lastSeq: number;
}

/**
 * An odometer reading, from the terminal (with the GPS track distance driven since the previous
 * reading, when the track was complete) or from an inspection. A reading lower than an earlier one
 * (or, for the first, than the odometer declared at registration) is rollback; an odometer advance that differs from the GPS distance by more than 10% is
 * divergence. Either is flagged on the vehicle's mileage record for ever and raises an alarm in
 * the same transaction.
 */
const mileageRecord = defineContract({
  type: "mileage.record",
  version: 1,
  roles: OPERATORS,
  schema: z
    .object({
      plate,
      odometerKm: z.number().min(0).max(5_000_000),
      at: z.number().int().positive(),
      source: z.enum(["terminal", "inspection"]),
      /** GPS track distance (km) since the previous reading; absent when the track had gaps. */
      gpsKm: z.number().min(0).max(100_000).optional(),
    })
    .strict(),
  reads: (_tx, p) => [
    ["vehicle", p.plate],
    ["mileage", p.plate],
  ],
  apply(ctx, p) {
    const vehicle = ctx.get<{ odometerKm?: number }>("vehicle", p.plate);
    if (!vehicle) return ctx.refuse(`unknown vehicle ${p.plate}`);
    const prev = ctx.get<MileageRecord>("mileage", p.plate);
    const flags = [...(prev?.flags ?? [])];
    const latest = !prev || p.at >= prev.at;
    let flag: MileageRecord["flags"][number] | null = null;
    // The first reading is checked against the odometer declared at registration.
    const floor = prev ? prev.odometerKm : vehicle.odometerKm;
    if (floor !== undefined && latest && p.odometerKm < floor) {
      flag = { kind: "rollback", at: p.at, from: floor, to: p.odometerKm, seq: ctx.seq };
    } else if (prev && latest && p.gpsKm !== undefined && p.gpsKm >= MILEAGE_MIN_GPS_KM) {
      const advance = p.odometerKm - prev.odometerKm;
      if (Math.abs(advance - p.gpsKm) > MILEAGE_DIVERGENCE * p.gpsKm) flag = { kind: "divergence", at: p.at, from: prev.odometerKm, to: p.odometerKm, gpsKm: p.gpsKm, seq: ctx.seq };
    }
    if (flag) flags.push(flag);
    ctx.put("mileage", p.plate, {
      odometerKm: latest ? p.odometerKm : prev!.odometerKm,
      at: latest ? p.at : prev!.at,
      readings: (prev?.readings ?? 0) + 1,
      gpsKm: Math.round(((prev?.gpsKm ?? 0) + (p.gpsKm ?? 0)) * 1000) / 1000,
      flags: flags.slice(-50),
      lastSeq: ctx.seq,
    });
    if (flag) {
      const alarmId = `mileage-${ctx.seq}`;
      const detail =
        flag.kind === "rollback"
          ? `里程回拨 odometer rollback ${flag.from} → ${flag.to} km`
          : `里程与轨迹不符 odometer +${Math.round((flag.to - flag.from) * 10) / 10} km vs GPS ${flag.gpsKm} km`;
      ctx.put("alarm", alarmId, {
        id: alarmId,
        type: flag.kind === "rollback" ? "odometer_rollback" : "odometer_divergence",
        severity: flag.kind === "rollback" ? "critical" : "warning",
        subject: p.plate,
        at: p.at,
        detail,
        owner: ctx.tx.dept,
        status: "open",
        steps: [{ action: "raise", actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime }],
      });
    }
  },
});

const ALARM_STATES = ["open", "acknowledged", "assigned", "escalated", "closed"] as const;
/** An alarm as the ledger holds it (ns "alarm"): what alarm.raise / ridehail.trip write and alarm.act advances. */
export interface AlarmRecord {
  id: string;
  type: string;
  severity: string;
  /** The vehicle's plate. */
  subject: string;
  at: number;
  lon?: number;
  lat?: number;
  geofence?: string;
  permit?: string;
  trip?: string;
  speedKmh?: number;
  limitKmh?: number;
  detail?: string;
  /** Department that raised it. */
  owner: string;
  status: (typeof ALARM_STATES)[number];
  assignee?: string;
  incident?: string;
  steps: { action: string; actor: string; dept: string; seq: number; time: number; note?: string }[];
}

const alarmRaise = defineContract({
  type: "alarm.raise",
  version: 1,
  roles: OPERATORS,
  schema: z
    .object({
      id: z.string().regex(/^[a-z0-9-]{8,64}$/),
      type: z.enum(["enter", "exit", "crossing", "overspeed", "route_deviation", "restricted", "long_stop", "offline", "unlicensed", "unlicensed_trip", "pair_mismatch", "odometer_rollback", "odometer_divergence", "identity_anomaly"]),
      severity: z.enum(["info", "warning", "critical"]),
      subject: z.string().min(1).max(64),
      at: z.number().int().positive(),
      lon: z.number().min(-180).max(180).optional(),
      lat: z.number().min(-90).max(90).optional(),
      geofence: id.optional(),
      permit: id.optional(),
      speedKmh: z.number().min(0).max(400).optional(),
      limitKmh: z.number().min(0).max(400).optional(),
      detail: z.string().max(500).optional(),
    })
    .strict(),
  reads: (_tx, p) => [["alarm", p.id]],
  apply(ctx, p) {
    if (ctx.get("alarm", p.id)) return ctx.refuse(`alarm ${p.id} already raised`);
    ctx.put("alarm", p.id, { ...p, owner: ctx.tx.dept, status: "open", steps: [{ action: "raise", actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime }] });
  },
});

/** The alarm workflow: which action is allowed from which state, and where it leads. */
const TRANSITIONS: Record<string, { from: readonly AlarmRecord["status"][]; to: AlarmRecord["status"] }> = {
  acknowledge: { from: ["open"], to: "acknowledged" },
  assign: { from: ["open", "acknowledged", "assigned"], to: "assigned" },
  escalate: { from: ["open", "acknowledged", "assigned"], to: "escalated" },
  close: { from: ["open", "acknowledged", "assigned", "escalated"], to: "closed" },
};

const alarmAct = defineContract({
  type: "alarm.act",
  version: 1,
  roles: OPERATORS,
  schema: z
    .object({
      id: z.string().regex(/^[a-z0-9-]{8,64}$/),
      action: z.enum(["acknowledge", "assign", "escalate", "close"]),
      /** assign: the user to handle it; escalate: the incident it became. */
      assignee: id.optional(),
      incident: id.optional(),
      note: z.string().trim().max(500).optional(),
      authority: authorityLine,
    })
    .strict()
    .refine((p) => p.action !== "assign" || p.assignee, { message: "assign needs an assignee" })
    .refine((p) => p.action !== "close" || p.note, { message: "close needs a note (resolution)" }),
  reads: (_tx, p) => [["alarm", p.id], ...(p.assignee ? [["user", p.assignee] as const] : []), ...authorityReads(p)],
  apply(ctx, p) {
    const a = ctx.get<AlarmRecord>("alarm", p.id);
    if (!a) return ctx.refuse(`unknown alarm ${p.id}`);
    requireOwnerOrAncestor(ctx, a.owner, p.authority);
    const t = TRANSITIONS[p.action];
    if (!t.from.includes(a.status)) return ctx.refuse(`cannot ${p.action} an alarm that is ${a.status}`);
    if (p.assignee) {
      const u = ctx.get<{ status: string }>("user", p.assignee);
      if (!u || u.status !== "active") return ctx.refuse(`unknown or disabled user ${p.assignee}`);
    }
    const step = { action: p.action, actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime, ...(p.note ? { note: p.note } : {}) };
    ctx.put("alarm", p.id, {
      ...(a as object),
      status: t.to,
      ...(p.assignee ? { assignee: p.assignee } : {}),
      ...(p.incident ? { incident: p.incident } : {}),
      steps: [...a.steps, step],
    });
  },
});

/**
 * A ride-hailing trip reported by its platform. The contract checks the driver's and the vehicle's
 * licences and that the two are registered together; a non-compliant trip is recorded and raises
 * its alarm in the same transaction, and the platform's dual-compliance tally (双合规率) is updated.
 */
const ridehailTrip = defineContract({
  type: "ridehail.trip",
  version: 1,
  roles: OPERATORS,
  schema: z
    .object({
      id: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, "trip id: 6-64 letters, digits, '_' or '-'"),
      platform: id,
      driver: id,
      plate,
      start: z.number().int().positive(),
      end: z.number().int().positive(),
      distanceKm: z.number().min(0).max(500),
      fareYuan: z.number().min(0).max(10_000),
    })
    .strict()
    .refine((p) => p.end >= p.start, { message: "trip ends before it starts" }),
  reads: (_tx, p) => [
    ["trip", p.id],
    ["company", p.platform],
    ["driver", p.driver],
    ["vehicle", p.plate],
    ["ridehail_stats", p.platform],
  ],
  apply(ctx, p) {
    if (ctx.get("trip", p.id)) return ctx.refuse(`trip ${p.id} already reported`);
    const platform = ctx.get<{ kind: string }>("company", p.platform);
    if (!platform || platform.kind !== "ride_hailing_platform") return ctx.refuse(`${p.platform} is not a registered ride-hailing platform`);
    const driver = ctx.get<{ licence: { status: string; expires?: string }; vehicles: string[]; company: string }>("driver", p.driver);
    const vehicle = ctx.get<{ licence: { status: string; expires?: string }; cls: string }>("vehicle", p.plate);
    const problems: string[] = [];
    if (!driver) problems.push("driver_unregistered");
    else if (!licenceInForce(driver.licence, p.start)) problems.push("driver_unlicensed");
    if (!vehicle) problems.push("vehicle_unregistered");
    else if (!licenceInForce(vehicle.licence, p.start) || vehicle.cls !== "ride_hailing") problems.push("vehicle_unlicensed");
    if (driver && vehicle && !driver.vehicles.includes(p.plate)) problems.push("pair_mismatch");
    const compliant = problems.length === 0;
    ctx.put("trip", p.id, { ...p, compliant, problems, reported: stamp(ctx) });
    const stats = ctx.get<{ trips: number; compliant: number; byProblem: Record<string, number> }>("ridehail_stats", p.platform) ?? { trips: 0, compliant: 0, byProblem: {} };
    const byProblem = { ...stats.byProblem };
    for (const x of problems) byProblem[x] = (byProblem[x] ?? 0) + 1;
    ctx.put("ridehail_stats", p.platform, { trips: stats.trips + 1, compliant: stats.compliant + (compliant ? 1 : 0), byProblem, updatedSeq: ctx.seq });
    if (!compliant) {
      const type = problems.every((x) => x === "pair_mismatch") ? "pair_mismatch" : "unlicensed_trip";
      const alarmId = `trip-${p.id.toLowerCase().replace(/_/g, "-")}`.slice(0, 64);
      ctx.put("alarm", alarmId, {
        id: alarmId,
        type,
        severity: "warning",
        subject: p.plate,
        at: p.start,
        detail: `${p.platform} 行程 ${p.id}: ${problems.join(", ")}`,
        trip: p.id,
        owner: ctx.tx.dept,
        status: "open",
        steps: [{ action: "raise", actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime }],
      });
    }
  },
});

export const vehicleContracts = [
  companyRegister,
  companyUpdate,
  vehicleRegister,
  vehicleUpdate,
  driverRegister,
  driverUpdate,
  geofenceDefine,
  geofenceRetire,
  hazmatPermit,
  hazmatPermitAmend,
  hazmatPermitRevoke,
  telemetryAnchor,
  mileageRecord,
  alarmRaise,
  alarmAct,
  ridehailTrip,
];
