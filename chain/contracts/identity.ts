/**
 * ID verification (身份核验) against the identity registry of public security (`identity.registry`,
 * a sealed dataset). Name and ID number never appear in clear on the ledger: records carry them
 * sealed, and blind indexes (HMAC under the dataset key, i.e. salted hashes) let a check compare
 * without opening anything. The contract decides every answer from ledger state, so any node or
 * auditor replaying the chain reproduces it; the node only finds which record a number indexes.
 *
 * State namespaces:
 * - `dsrec` "identity.registry/<person>": the record (the sharing module's sealed-record shape);
 * - `ididx` blind index of an ID number → { key } of its record (one record per number);
 * - `idcheck` check id → the access log of one lookup: who, department, purpose, site, answer;
 * - `idseen` person → how often and where it was last checked (duplicate concurrent use);
 * - `idalert` alert id → an anomaly for the owner's officers, with its follow-up steps.
 */
import { z } from "zod";
import { hex, isAdmin, requireCurrentKey, sealedValueSchema, stamp, text, type AccessRecord, type DatasetEntry, type DatasetKeys, type SealedRecord } from "./sharing.js";
import { cstDate } from "./cst.js";
import { CARD_STATUSES, ID_ALERT_ACTIONS, type CardStatus } from "./enums.js";
import { PERSON_KEY, recordId } from "./ids.js";
import { defineContract, type ContractContext } from "./types.js";

export const REGISTRY = "identity.registry";
/** The access log of ID checks (owner: the public security bureau). */
export const VERIFICATIONS = "identity.verifications";
export { CARD_STATUSES, type CardStatus };
/** Answers of a check, most serious first. */
export const CHECK_RESULTS = ["reported_stolen", "revoked", "reported_lost", "name_mismatch", "expired", "not_found", "valid"] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];
/** Card statuses that make every use of the card an anomaly for the owner's officers. */
const ALERTING: readonly CheckResult[] = ["reported_stolen", "revoked", "reported_lost"];

/** Smart-law rule `identity.duplicateUse`: two checks of one card farther apart than `minKm` at an implied speed above `maxKmh`. */
export interface DuplicateUseRule {
  maxKmh: number;
  minKm: number;
}
export const DEFAULT_DUPLICATE_USE: DuplicateUseRule = { maxKmh: 350, minKm: 1 };

const blind = hex(16);
const personKey = z.string().regex(PERSON_KEY, "person key like p-00001");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "date as YYYY-MM-DD");
const userId = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/);

export const siteSchema = z
  .object({
    id: recordId("site id"),
    name: text(60),
    lon: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
  })
  .strict();
export type Site = z.infer<typeof siteSchema>;

export interface IdCheck {
  id: string;
  time: number;
  seq: number;
  verifier: string;
  dept: string;
  purpose: string;
  site: Site;
  result: CheckResult;
  /** The person's registry key (pseudonymous), null when the number is not enrolled. */
  record: string | null;
  basis: "owner" | "grant" | "admin";
  grant?: string;
  duplicate?: DuplicateUse;
  /** SHA-256 of the document photo kept off chain. */
  photo?: string;
}

export interface DuplicateUse {
  /** The earlier check it conflicts with. */
  check: string;
  site: string;
  dept: string;
  km: number;
  minutes: number;
  kmh: number | null;
}

export interface IdSeen {
  checks: number;
  last: { check: string; time: number; lon: number; lat: number; site: string; dept: string };
}

export type AlertStatus = "open" | "acknowledged" | "assigned" | "confirmed" | "dismissed";
export interface IdAlert {
  id: string;
  check: string;
  record: string;
  kind: CheckResult | "duplicate_use";
  severity: "warning" | "critical";
  owner: string;
  site: Site;
  verifierDept: string;
  duplicate?: DuplicateUse;
  status: AlertStatus;
  assignee?: string;
  time: number;
  steps: { action: string; actor: string; dept: string; seq: number; time: number; note?: string }[];
}

const EARTH_KM = 6371.0088;
/** Great-circle distance in km (haversine). */
export function distanceKm(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Duplicate concurrent use: the same card checked at two places too far apart for the time between.
 * Flags only beyond `minKm` (two desks of one building are not a conflict) and above `maxKmh`
 * (exactly at the limit is plausible). Distances are rounded to metres so every node agrees.
 */
export function assessDuplicate(prev: IdSeen["last"] | undefined, cur: { time: number; lon: number; lat: number }, rule: DuplicateUseRule): Omit<DuplicateUse, "check" | "site" | "dept"> | null {
  if (!prev) return null;
  const km = Math.round(distanceKm(prev, cur) * 1000) / 1000;
  if (km <= rule.minKm) return null;
  const hours = Math.abs(cur.time - prev.time) / 3_600_000;
  const kmh = hours > 0 ? km / hours : Infinity;
  if (kmh <= rule.maxKmh) return null;
  return { km, minutes: Math.round(hours * 600) / 10, kmh: Number.isFinite(kmh) ? Math.round(kmh) : null };
}


function registry(ctx: ContractContext): DatasetEntry {
  const d = ctx.get<DatasetEntry>("dataset", REGISTRY);
  if (!d || d.status !== "active") return ctx.refuse(`the identity registry ${REGISTRY} is not registered`);
  return d;
}

function requireRegistryOwner(ctx: ContractContext, d: DatasetEntry, what: string): void {
  if (!isAdmin(ctx) && ctx.tx.dept !== d.owner) ctx.refuse(`only the registry owner ${d.owner} may ${what}`);
}

/** Enrols a person: clear card attributes, sealed name/number/address, blind indexes of number and name. */
const identityEnrol = defineContract({
  type: "identity.enrol",
  version: 1,
  roles: ["operator", "supervisor", "dept_admin", "sys_admin", "system"],
  writes: ["dsrec", "ididx"],
  governs: { scope: (p) => ({ dataset: REGISTRY, alias: { key: "personId" }, recordKey: p.key }) },
  subject: (p) => p.key,
  schema: z
    .object({
      key: personKey,
      attrs: z
        .object({ personId: personKey, cardStatus: z.enum(CARD_STATUSES), cardIssued: isoDate, cardExpires: isoDate, authority: text(60), district: recordId("district") })
        .strict()
        .refine((a) => a.cardIssued < a.cardExpires, { message: "a card expires after it is issued" }),
      sealed: z.object({ name: sealedValueSchema, idNumber: sealedValueSchema, address: sealedValueSchema.optional() }).strict(),
      index: z.object({ idNumber: blind, name: blind }).strict(),
    })
    .strict()
    .refine((p) => p.attrs.personId === p.key, { message: "attrs.personId must equal the record key" }),
  reads: (_tx, p) => [
    ["dataset", REGISTRY],
    ["dskey", REGISTRY],
    ["ididx", p.index.idNumber],
    ["dsrec", `${REGISTRY}/${p.key}`],
  ],
  apply(ctx, p) {
    const d = registry(ctx);
    requireRegistryOwner(ctx, d, "enrol people in the identity registry");
    if (ctx.get("dsrec", `${REGISTRY}/${p.key}`)) return ctx.refuse(`person ${p.key} is already enrolled`);
    const taken = ctx.get<{ key: string }>("ididx", p.index.idNumber);
    // The refusal names no record: a preview of a file must not become a lookup of who holds a number.
    if (taken) return ctx.refuse("该身份证号已登记 this ID number is already enrolled");
    const keys = ctx.get<DatasetKeys>("dskey", REGISTRY);
    for (const [f, v] of Object.entries(p.sealed)) {
      if (v) requireCurrentKey(ctx, keys, f, v);
    }
    ctx.put("dsrec", `${REGISTRY}/${p.key}`, { dataset: REGISTRY, key: p.key, attrs: p.attrs, sealed: p.sealed, index: p.index, written: stamp(ctx) } as never);
    ctx.put("ididx", p.index.idNumber, { key: p.key });
  },
});

/** A card status change by the registry owner (reported lost or stolen, revoked, renewed), with its reason. */
const identityStatus = defineContract({
  type: "identity.status",
  version: 1,
  roles: ["operator", "supervisor", "dept_admin", "sys_admin", "system"],
  writes: ["dsrec"],
  governs: { scope: (p) => ({ dataset: REGISTRY, alias: { record: "personId", status: "cardStatus" }, recordKey: p.record }) },
  subject: (p) => `${p.record} → ${p.status}`,
  schema: z
    .object({
      record: personKey,
      status: z.enum(CARD_STATUSES),
      cardIssued: isoDate.optional(),
      cardExpires: isoDate.optional(),
      note: text(300),
    })
    .strict(),
  reads: (_tx, p) => [
    ["dataset", REGISTRY],
    ["dsrec", `${REGISTRY}/${p.record}`],
  ],
  apply(ctx, p) {
    const d = registry(ctx);
    requireRegistryOwner(ctx, d, "change card statuses");
    const rec = ctx.get<SealedRecord>("dsrec", `${REGISTRY}/${p.record}`);
    if (!rec) return ctx.refuse(`no person ${p.record} in the registry`);
    const attrs = { ...rec.attrs, cardStatus: p.status, ...(p.cardIssued ? { cardIssued: p.cardIssued } : {}), ...(p.cardExpires ? { cardExpires: p.cardExpires } : {}) };
    if (JSON.stringify(attrs) === JSON.stringify(rec.attrs)) return ctx.refuse(`card of ${p.record} is already ${p.status}`);
    if (String(attrs.cardIssued) >= String(attrs.cardExpires)) return ctx.refuse("a card expires after it is issued");
    ctx.put("dsrec", `${REGISTRY}/${p.record}`, { ...rec, attrs, updated: stamp(ctx) } as never);
  },
});


/** The answer for a record, from ledger state only. */
export function answerFor(rec: SealedRecord | undefined, nameIndex: string, blockTime: number): CheckResult {
  if (!rec) return "not_found";
  const status = rec.attrs.cardStatus as CardStatus;
  if (status === "reported_stolen" || status === "revoked" || status === "reported_lost") return status;
  if (rec.index?.name !== nameIndex) return "name_mismatch";
  if (status === "expired" || String(rec.attrs.cardExpires) < cstDate(blockTime)) return "expired";
  return "valid";
}

/**
 * One lookup, by a verifier with a stated purpose. The verifier's department must be the owner or
 * hold an active grant with the `verify` action; the verifier learns only the answer.
 */
const identityVerify = defineContract({
  type: "identity.verify",
  version: 1,
  roles: ["operator", "dispatcher", "supervisor", "dept_admin", "sys_admin"],
  writes: ["idseen", "idcheck", "idalert"],
  governs: { scope: () => ({ dataset: VERIFICATIONS, alias: { idIndex: "record", nameIndex: "record", record: "record" }, purposeField: "purpose" }) },
  subject: (p) => `${p.id} · ${p.site?.name ?? ""}`,
  rules: ["identity.duplicateUse"],
  schema: z
    .object({
      id: z.string().regex(/^idc-[a-z0-9]{8,40}$/, "check id like idc-xxxxxxxx"),
      idIndex: blind,
      nameIndex: blind,
      /** The record the node found under `idIndex`; the contract checks it against `ididx`. */
      record: personKey.nullable(),
      site: siteSchema,
      grant: z.string().regex(/^req-[a-z0-9-]{6,60}$/).optional(),
      photo: hex(32).optional(),
    })
    .strict(),
  reads: (_tx, p) => [
    ["dataset", REGISTRY],
    ["ididx", p.idIndex],
    ["idcheck", p.id],
    ...(p.record ? ([["dsrec", `${REGISTRY}/${p.record}`], ["idseen", p.record]] as const) : []),
    ...(p.grant ? ([["access", p.grant]] as const) : []),
  ],
  apply(ctx, p) {
    const purpose = ctx.tx.purpose?.trim();
    if (!purpose) return ctx.refuse("an ID check states its purpose");
    const d = registry(ctx);
    let basis: IdCheck["basis"];
    if (ctx.tx.dept === d.owner) basis = "owner";
    else if (p.grant) {
      const g = ctx.get<AccessRecord>("access", p.grant);
      if (!g || g.dataset !== REGISTRY || g.dept !== ctx.tx.dept) return ctx.refuse(`grant ${p.grant} is not ${ctx.tx.dept}'s grant on ${REGISTRY}`);
      if (g.status !== "active" || !g.grant) return ctx.refuse(`grant ${p.grant} is ${g.status}`);
      if (g.grant.expires <= ctx.blockTime) return ctx.refuse(`grant ${p.grant} expired`);
      if (!g.grant.actions.includes("verify")) return ctx.refuse(`grant ${p.grant} does not allow verification`);
      basis = "grant";
    } else if (isAdmin(ctx)) basis = "admin";
    else return ctx.refuse(`${ctx.tx.dept} holds no verification grant on ${REGISTRY}`);
    if (ctx.get("idcheck", p.id)) return ctx.refuse(`check ${p.id} already recorded`);
    const indexed = ctx.get<{ key: string }>("ididx", p.idIndex)?.key ?? null;
    if (indexed !== p.record) return ctx.refuse(`the check names record ${p.record ?? "none"} but the number indexes ${indexed ?? "none"}`);

    const rec = p.record ? ctx.get<SealedRecord>("dsrec", `${REGISTRY}/${p.record}`) : undefined;
    const result = answerFor(rec, p.nameIndex, ctx.blockTime);
    let duplicate: DuplicateUse | undefined;
    if (p.record) {
      const seen = ctx.get<IdSeen>("idseen", p.record);
      const rule = { ...DEFAULT_DUPLICATE_USE, ...(ctx.rule<Partial<DuplicateUseRule>>("identity.duplicateUse") ?? {}) };
      const dup = assessDuplicate(seen?.last, { time: ctx.blockTime, lon: p.site.lon, lat: p.site.lat }, rule);
      if (dup && seen) duplicate = { check: seen.last.check, site: seen.last.site, dept: seen.last.dept, ...dup };
      ctx.put("idseen", p.record, { checks: (seen?.checks ?? 0) + 1, last: { check: p.id, time: ctx.blockTime, lon: p.site.lon, lat: p.site.lat, site: p.site.name, dept: ctx.tx.dept } } satisfies IdSeen as never);
    }
    ctx.put("idcheck", p.id, {
      id: p.id,
      time: ctx.blockTime,
      seq: ctx.seq,
      verifier: ctx.tx.actor,
      dept: ctx.tx.dept,
      purpose,
      site: p.site,
      result,
      record: p.record,
      basis,
      ...(p.grant ? { grant: p.grant } : {}),
      ...(duplicate ? { duplicate } : {}),
      ...(p.photo ? { photo: p.photo } : {}),
    } satisfies IdCheck as never);
    if (p.record && (ALERTING.includes(result) || duplicate)) {
      const kind = ALERTING.includes(result) ? result : "duplicate_use";
      const alertId = `ida-${p.id.slice(4)}`;
      ctx.put("idalert", alertId, {
        id: alertId,
        check: p.id,
        record: p.record,
        kind,
        severity: kind === "reported_lost" ? "warning" : "critical",
        owner: d.owner,
        site: p.site,
        verifierDept: ctx.tx.dept,
        ...(duplicate ? { duplicate } : {}),
        status: "open",
        time: ctx.blockTime,
        steps: [{ action: "raise", actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime }],
      } satisfies IdAlert as never);
    }
  },
});

/** The follow-up workflow of an anomaly: which action is allowed from which state. */
const ALERT_STEPS: Record<string, { from: readonly AlertStatus[]; to: AlertStatus }> = {
  acknowledge: { from: ["open"], to: "acknowledged" },
  assign: { from: ["open", "acknowledged", "assigned"], to: "assigned" },
  confirm: { from: ["open", "acknowledged", "assigned"], to: "confirmed" },
  dismiss: { from: ["open", "acknowledged", "assigned"], to: "dismissed" },
};

const identityAlert = defineContract({
  type: "identity.alert",
  version: 1,
  roles: ["operator", "supervisor", "dept_admin", "sys_admin"],
  writes: ["idalert"],
  governs: { scope: () => ({ dataset: VERIFICATIONS, alias: { record: "record" } }) },
  subject: (p) => `${p.id} · ${p.action}`,
  schema: z
    .object({
      id: z.string().regex(/^ida-[a-z0-9]{8,40}$/, "alert id like ida-xxxxxxxx"),
      action: z.enum(ID_ALERT_ACTIONS),
      note: text(300).optional(),
      assignee: userId.optional(),
    })
    .strict()
    .refine((p) => p.action !== "dismiss" || !!p.note, { message: "dismissing an alert needs a reason", path: ["note"] })
    .refine((p) => (p.action === "assign") === !!p.assignee, { message: "assign names an assignee (and only assign does)", path: ["assignee"] }),
  reads: (_tx, p) => [["idalert", p.id], ...(p.assignee ? ([["user", p.assignee]] as const) : [])],
  apply(ctx, p) {
    const a = ctx.get<IdAlert>("idalert", p.id);
    if (!a) return ctx.refuse(`no alert ${p.id}`);
    if (!isAdmin(ctx) && ctx.tx.dept !== a.owner) return ctx.refuse(`alert ${p.id} is handled by ${a.owner}`);
    const step = ALERT_STEPS[p.action];
    if (!step.from.includes(a.status)) return ctx.refuse(`alert ${p.id} is ${a.status}; cannot ${p.action}`);
    if (p.assignee) {
      const u = ctx.get<{ dept: string; status: string }>("user", p.assignee);
      if (!u || u.status !== "active" || u.dept !== a.owner) return ctx.refuse(`${p.assignee} is not an active officer of ${a.owner}`);
    }
    ctx.put("idalert", p.id, {
      ...a,
      status: step.to,
      ...(p.assignee ? { assignee: p.assignee } : {}),
      steps: [...a.steps, { action: p.action, actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime, ...(p.note ? { note: p.note } : {}) }],
    } satisfies IdAlert as never);
  },
});

export const identityContracts = [identityEnrol, identityStatus, identityVerify, identityAlert];
