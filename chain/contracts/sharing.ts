/**
 * Sovereign data sharing (主权化分层级管理, 数据加密可控共享, 资源目录): the resource catalogue, access
 * requests and grants, department sealing keys, dataset key versions (wrapped per reading department),
 * sealed dataset records, and the read audit. The owning department decides; every step is here.
 *
 * State namespaces:
 * - `sealkey` dept → the department's X25519 public key (its secret stays in a node keystore);
 * - `dataset` id → catalogue entry (owner, fields with sensitivity, retention, row key);
 * - `dskey` dataset → key versions, each with the dataset key wrapped for the departments that read it;
 * - `access` request id → the request and, once decided, the grant (status, fields, expiry, history);
 * - `dsrec` "<dataset>/<key>" → a record of a sealed dataset (sensitive fields as ciphertext only);
 * - `readlog` dataset → read counters (each read is itself a `data.read` transaction).
 */
import { z } from "zod";
import { ACCESS_DECISIONS, ACCESS_STATUSES } from "./enums.js";
import { recordId } from "./ids.js";
import { ROLES, defineContract, type ContractContext } from "./types.js";

const id = recordId();
const KEYS_PUBLIC = "部门公钥与加密的数据密钥 department public keys and wrapped (encrypted) dataset keys";
const ACCESS_PUBLIC = "共享申请与授权对参与部门公开 access requests and grants are open to the departments involved";
const fieldName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, "field name: letters, digits, '_' (max 40)");
export const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `${bytes} bytes of lowercase hex`);
export const text = (max: number) => z.string().trim().min(1).max(max);
const b64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, "base64").max(20_000);

export const wrappedKeySchema = z.object({ epk: hex(32), nonce: hex(12), ct: hex(48) }).strict();
const deptWrap = wrappedKeySchema.extend({ dept: id }).strict();
const versionWrap = deptWrap.extend({ version: z.number().int().min(1) }).strict();
export const sealedValueSchema = z.object({ $sealed: z.literal("A256GCM"), v: z.number().int().min(1), n: b64, c: b64 }).strict();

export const SENSITIVITY = [1, 2, 3, 4] as const;
/** Sensitivity at or above which a read is a read of sensitive data (audited by `data.read`). */
export const SENSITIVE_LEVEL = 3;
/** read: see the granted fields; export: take them out; verify: ask a registry yes/no questions (ID checks) without seeing any field. */
export const ACTIONS = ["read", "export", "verify"] as const;

export const datasetFieldSchema = z
  .object({
    name: fieldName,
    label: text(40),
    labelEn: text(60),
    /** 1 public, 2 internal, 3 sensitive, 4 secret (personal data). A reader sees a field only at this clearance or above. */
    sensitivity: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    /** Stored sealed: only ciphertext on the ledger and in the database. */
    sealed: z.boolean().default(false),
    /** A sealed field findable by exact value through a blind index (HMAC), e.g. an ID number. */
    indexed: z.boolean().optional(),
  })
  .strict();
export type DatasetField = z.infer<typeof datasetFieldSchema>;

export const datasetSchema = z
  .object({
    id,
    name: text(60),
    nameEn: text(100),
    description: text(500),
    descriptionEn: text(800),
    owner: id,
    /** Where its records live: a ledger namespace written by its own contracts, or sealed records (`dsrec`). */
    source: z.discriminatedUnion("kind", [z.object({ kind: z.literal("ledger"), ns: z.string().regex(/^[a-z_]{2,32}$/) }).strict(), z.object({ kind: z.literal("sealed") }).strict(), z.object({ kind: z.literal("table"), table: z.string().regex(/^[a-z_]{2,48}$/) }).strict()]),
    fields: z.array(datasetFieldSchema).min(1).max(60),
    /** The record attribute a row filter may name (e.g. "district"). */
    rowKey: fieldName.optional(),
    retentionDays: z.number().int().min(1).max(36_500),
    tags: z.array(text(20)).max(12).default([]),
    /** Version-1 key wraps: required when a field is sealed; must include the owner. */
    wraps: z.array(deptWrap).max(100).optional(),
  })
  .strict()
  .refine((d) => new Set(d.fields.map((f) => f.name)).size === d.fields.length, { message: "field names must be unique" })
  .refine((d) => !d.rowKey || d.fields.some((f) => f.name === d.rowKey && !f.sealed), { message: "rowKey must name an unsealed field" })
  // A table dataset lives outside the ledger, where nothing seals; a ledger namespace's own contracts carry sealed values.
  .refine((d) => !d.fields.some((f) => f.sealed) || d.source.kind !== "table", { message: "sealed fields need a sealed or ledger source" })
  .refine((d) => d.fields.every((f) => !f.indexed || f.sealed), { message: "only sealed fields carry a blind index" });
export type DatasetEntry = Omit<z.infer<typeof datasetSchema>, "wraps"> & { status: "active" | "retired"; version: number; registered: Stamp; updated?: Stamp };

export interface Stamp {
  dept: string;
  actor: string;
  seq: number;
  time: number;
}

export interface KeyVersion {
  version: number;
  created: Stamp;
  reason: string;
  wraps: Record<string, { epk: string; nonce: string; ct: string }>;
}
export interface DatasetKeys {
  dataset: string;
  current: number;
  versions: KeyVersion[];
}

export type AccessStatus = (typeof ACCESS_STATUSES)[number];
export interface AccessStep {
  action: "request" | "grant" | "approve" | "narrow" | "deny" | "revoke" | "withdraw";
  actor: string;
  dept: string;
  seq: number;
  time: number;
  note?: string;
}
export interface AccessRecord {
  id: string;
  dataset: string;
  owner: string;
  /** The requesting (grantee) department. */
  dept: string;
  requestedBy: string;
  fields: string[];
  actions: (typeof ACTIONS)[number][];
  purpose: string;
  durationDays: number;
  rowFilter: Record<string, string> | null;
  status: AccessStatus;
  /** Once approved: what was granted (possibly narrowed) and when it ends. */
  grant?: { fields: string[]; actions: (typeof ACTIONS)[number][]; rowFilter: Record<string, string> | null; from: number; expires: number; narrowed: boolean };
  steps: AccessStep[];
}

export interface SealedRecord {
  dataset: string;
  key: string;
  index?: Record<string, string>;
  attrs: Record<string, unknown>;
  sealed: Record<string, z.infer<typeof sealedValueSchema>>;
  written: Stamp;
}

export const stamp = (ctx: ContractContext): Stamp => ({ dept: ctx.tx.dept, actor: ctx.tx.actor, seq: ctx.seq, time: ctx.blockTime });
const sealedFields = (d: { fields: DatasetField[] }) => d.fields.filter((f) => f.sealed).map((f) => f.name);
/** The system actor or a system admin: may act for any owner. */
export const isAdmin = (ctx: ContractContext) => !ctx.user || ctx.user.role === "sys_admin";

/** Refuses unless the submitter acts for the dataset's owner (a system admin or the system actor may act for any). */
function requireOwner(ctx: ContractContext, owner: string, what: string): void {
  if (isAdmin(ctx)) return;
  if (ctx.tx.dept !== owner) ctx.refuse(`only the owner department ${owner} may ${what}`);
}

const WRITERS = ["operator", "dispatcher", "supervisor", "dept_admin", "sys_admin", "system"] as const;

const sealKeyRegister = defineContract({
  type: "sealkey.register",
  version: 1,
  roles: ["system", "sys_admin", "dept_admin"],
  writes: ["sealkey"],
  governs: { public: KEYS_PUBLIC },
  subject: (p) => p.dept,
  schema: z.object({ dept: id, publicKey: hex(32) }).strict(),
  reads: (_tx, p) => [
    ["sealkey", p.dept],
    ["dept", p.dept],
  ],
  apply(ctx, p) {
    if (!isAdmin(ctx) && ctx.tx.dept !== p.dept) return ctx.refuse(`a department admin registers only the sealing key of ${ctx.tx.dept}`);
    if (!ctx.get("dept", p.dept)) return ctx.refuse(`unknown department ${p.dept}`);
    const prev = ctx.get<{ version: number }>("sealkey", p.dept);
    ctx.put("sealkey", p.dept, { dept: p.dept, publicKey: p.publicKey, version: (prev?.version ?? 0) + 1, registered: { ...stamp(ctx) } });
  },
});

const datasetRegister = defineContract({
  type: "dataset.register",
  version: 1,
  roles: ["system", "sys_admin", "dept_admin"],
  writes: ["dataset", "dskey"],
  governs: { public: "资源目录对各部门公开 the resource catalogue is open to every department" },
  schema: datasetSchema,
  reads: (_tx, p) => [
    ["dataset", p.id],
    ["dskey", p.id],
    ["dept", p.owner],
  ],
  apply(ctx, p) {
    requireOwner(ctx, p.owner, `register dataset ${p.id}`);
    const owner = ctx.get<{ status: string }>("dept", p.owner);
    if (!owner || owner.status !== "active") return ctx.refuse(`unknown or disabled owner department ${p.owner}`);
    const { wraps, ...entry } = p;
    const prev = ctx.get<DatasetEntry>("dataset", p.id);
    if (prev) {
      if (prev.owner !== p.owner) return ctx.refuse(`dataset ${p.id} belongs to ${prev.owner}; ownership does not move by re-registering`);
      // Sealing a clear field is allowed (new writes are sealed from then on); unsealing would show ciphertext as data.
      for (const f of prev.fields) {
        const now = p.fields.find((x) => x.name === f.name);
        if (now && f.sealed && !now.sealed) return ctx.refuse(`field ${f.name} cannot change from sealed to clear`);
      }
      const hasKey = !!ctx.get("dskey", p.id);
      if (sealedFields(p).length && !hasKey && !wraps?.some((w) => w.dept === p.owner)) return ctx.refuse("a dataset without a key gains sealed fields only with its first key wrapped for the owner department");
      if (sealedFields(p).length && !hasKey) putFirstKey(ctx, p.id, wraps!);
      ctx.put("dataset", p.id, { ...prev, ...entry, status: prev.status, version: prev.version + 1, registered: prev.registered, updated: stamp(ctx) } as never);
      return;
    }
    if (sealedFields(p).length) {
      if (!wraps?.some((w) => w.dept === p.owner)) return ctx.refuse("a dataset with sealed fields needs its key wrapped for the owner department");
      putFirstKey(ctx, p.id, wraps);
    }
    ctx.put("dataset", p.id, { ...entry, status: "active", version: 1, registered: stamp(ctx) } as never);
  },
});

function putFirstKey(ctx: ContractContext, dataset: string, wraps: z.infer<typeof deptWrap>[]): void {
  ctx.put("dskey", dataset, { dataset, current: 1, versions: [{ version: 1, created: stamp(ctx), reason: "register", wraps: Object.fromEntries(wraps.map(({ dept, ...w }) => [dept, w])) }] } as never);
}

/**
 * The sealed fields of a record that a ledger-backed dataset's own contract writes (an incident's
 * caller, a driver's name): a clear value of a field the catalogue declares sealed is refused;
 * sealed values must be of sealed fields, under the current key; blind indexes only of indexed
 * fields sent sealed. Before the catalogue declares a field sealed (earlier history) a clear value
 * stands. The contract declares `["dataset", dataset]` and `["dskey", dataset]` among its reads.
 */
export function checkSealedFields(ctx: ContractContext, dataset: string, clear: Record<string, unknown>, sealed: Record<string, { v: number }> | undefined, index?: Record<string, string>): void {
  const d = ctx.get<DatasetEntry>("dataset", dataset);
  const declared = new Set(d ? sealedFields(d) : []);
  for (const [f, v] of Object.entries(clear)) {
    if (v !== undefined && v !== null && declared.has(f)) ctx.refuse(`field ${f} of ${dataset} is sensitive and must be sealed, not sent in clear`);
  }
  const keys = ctx.get<DatasetKeys>("dskey", dataset);
  for (const [f, v] of Object.entries(sealed ?? {})) {
    if (!declared.has(f)) ctx.refuse(`field ${f} is not a sealed field of ${dataset}`);
    requireCurrentKey(ctx, keys, f, v);
  }
  for (const f of Object.keys(index ?? {})) {
    if (!d?.fields.some((x) => x.name === f && x.indexed) || !sealed?.[f]) ctx.refuse(`field ${f} of ${dataset} has no blind index`);
  }
}

/** Refuses a value sealed under any key version but the dataset's current one: after a rotation, new writes use the new key. */
export function requireCurrentKey(ctx: ContractContext, keys: DatasetKeys | undefined, field: string, sealed: { v: number }): void {
  if (!keys || sealed.v !== keys.current) ctx.refuse(`field ${field} is sealed under key version ${sealed.v}; new writes use version ${keys?.current ?? "none"}`);
}

/** Adds wraps of existing key versions (a new reader, a new parent department key), or rotates to a new version. */
const datasetKey = defineContract({
  type: "dataset.key",
  version: 1,
  roles: ["system", "sys_admin", "dept_admin"],
  writes: ["dskey"],
  governs: { public: KEYS_PUBLIC },
  subject: (p) => `${p.dataset}${p.rotate ? " ↻" : ""}`,
  schema: z.object({ dataset: id, rotate: z.boolean(), wraps: z.array(versionWrap).min(1).max(200), reason: text(300) }).strict(),
  reads: (_tx, p) => [
    ["dataset", p.dataset],
    ["dskey", p.dataset],
  ],
  apply(ctx, p) {
    const d = ctx.get<DatasetEntry>("dataset", p.dataset);
    if (!d) return ctx.refuse(`unknown dataset ${p.dataset}`);
    requireOwner(ctx, d.owner, "manage its key");
    const keys = ctx.get<DatasetKeys>("dskey", p.dataset);
    if (!keys) return ctx.refuse(`dataset ${p.dataset} has no sealed fields and no key`);
    ctx.put("dskey", p.dataset, applyWraps(ctx, keys, d.owner, p.wraps, p.rotate, p.reason) as never);
  },
});

/** The key record after adding `wraps` (to existing versions) or rotating (all wraps for current + 1, owner included). */
function applyWraps(ctx: ContractContext, keys: DatasetKeys, owner: string, wraps: z.infer<typeof versionWrap>[], rotate: boolean, reason: string): DatasetKeys {
  const versions = keys.versions.map((v) => ({ ...v, wraps: { ...v.wraps } }));
  if (rotate) {
    const next = keys.current + 1;
    const bad = wraps.find((w) => w.version !== next);
    if (bad) return ctx.refuse(`a rotation wraps version ${next} only (got ${bad.version})`);
    if (!wraps.some((w) => w.dept === owner)) return ctx.refuse("a rotation must wrap the new key for the owner department");
    versions.push({ version: next, created: stamp(ctx), reason, wraps: Object.fromEntries(wraps.map(({ dept, version: _v, ...w }) => [dept, w])) });
    return { ...keys, current: next, versions };
  }
  for (const { dept, version, ...w } of wraps) {
    const v = versions.find((x) => x.version === version);
    if (!v) return ctx.refuse(`unknown key version ${version} of ${keys.dataset}`);
    v.wraps[dept] = w;
  }
  return { ...keys, versions };
}

const accessRequest = defineContract({
  type: "access.request",
  version: 1,
  roles: ["supervisor", "dept_admin", "sys_admin"],
  writes: ["access", "dskey"],
  governs: { public: ACCESS_PUBLIC },
  schema: z
    .object({
      id: z.string().regex(/^req-[a-z0-9-]{6,60}$/, "request id like req-xxxxxx"),
      dataset: id,
      fields: z.array(fieldName).min(1, "request at least one field").max(60),
      actions: z.array(z.enum(ACTIONS)).min(1).max(3).default(["read"]),
      purpose: z.string().trim().min(4, "state the purpose (at least 4 characters)").max(300),
      durationDays: z.number().int().min(1).max(365),
      rowFilter: z.record(fieldName, z.string().min(1).max(64)).nullable().default(null),
    })
    .strict(),
  reads: (_tx, p) => [
    ["access", p.id],
    ["dataset", p.dataset],
  ],
  apply(ctx, p) {
    if (ctx.get("access", p.id)) return ctx.refuse(`request ${p.id} already exists`);
    const d = ctx.get<DatasetEntry>("dataset", p.dataset);
    if (!d || d.status !== "active") return ctx.refuse(`unknown or retired dataset ${p.dataset}`);
    if (d.owner === ctx.tx.dept) return ctx.refuse(`${ctx.tx.dept} owns ${p.dataset} and needs no grant`);
    const unknown = p.fields.filter((f) => !d.fields.some((x) => x.name === f));
    if (unknown.length) return ctx.refuse(`dataset ${p.dataset} has no field ${unknown.join(", ")}`);
    if (p.rowFilter) {
      const keys = Object.keys(p.rowFilter);
      if (!d.rowKey || keys.some((k) => k !== d.rowKey)) return ctx.refuse(d.rowKey ? `rows filter only by ${d.rowKey}` : `${p.dataset} has no row filter`);
    }
    ctx.put("access", p.id, {
      ...p,
      fields: [...new Set(p.fields)],
      actions: [...new Set(p.actions)],
      owner: d.owner,
      dept: ctx.tx.dept,
      requestedBy: ctx.tx.actor,
      status: "pending",
      steps: [{ action: "request", actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime }],
    } satisfies AccessRecord as never);
  },
});

const accessDecide = defineContract({
  type: "access.decide",
  version: 1,
  roles: ["dept_admin", "sys_admin"],
  writes: ["access", "dskey"],
  governs: { public: ACCESS_PUBLIC },
  schema: z
    .object({
      id: z.string().regex(/^req-[a-z0-9-]{6,60}$/),
      /** The request's dataset (named so that its key record is a declared read). */
      dataset: id,
      decision: z.enum(ACCESS_DECISIONS),
      /** Narrowing: a subset of the requested fields, a shorter duration, a row filter. */
      fields: z.array(fieldName).min(1).max(60).optional(),
      durationDays: z.number().int().min(1).max(365).optional(),
      rowFilter: z.record(fieldName, z.string().min(1).max(64)).optional(),
      note: z.string().trim().max(300).optional(),
      /** The dataset key of every version wrapped for the grantee (when sealed fields are granted). */
      wraps: z.array(versionWrap).max(100).optional(),
    })
    .strict()
    .refine((p) => p.decision === "approve" || p.note, { message: "a denial needs a note (the reason)" }),
  reads: (_tx, p) => [
    ["access", p.id],
    ["dskey", p.dataset],
  ],
  apply(ctx, p) {
    const r = ctx.get<AccessRecord>("access", p.id);
    if (!r || r.dataset !== p.dataset) return ctx.refuse(`unknown request ${p.id} on ${p.dataset}`);
    requireOwner(ctx, r.owner, "decide on requests for its data");
    if (r.status !== "pending") return ctx.refuse(`request ${p.id} is ${r.status}, not pending`);
    const step = { actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime, ...(p.note ? { note: p.note } : {}) };
    if (p.decision === "deny") {
      ctx.put("access", p.id, { ...r, status: "denied", steps: [...r.steps, { action: "deny", ...step }] } as never);
      return;
    }
    const fields = p.fields ? [...new Set(p.fields)] : r.fields;
    const extra = fields.filter((f) => !r.fields.includes(f));
    if (extra.length) return ctx.refuse(`cannot grant fields that were not requested: ${extra.join(", ")}`);
    const days = p.durationDays ?? r.durationDays;
    if (days > r.durationDays) return ctx.refuse(`cannot grant ${days} days; ${r.durationDays} were requested`);
    if (r.rowFilter && p.rowFilter && JSON.stringify(p.rowFilter) !== JSON.stringify(r.rowFilter)) return ctx.refuse("the row filter can be added, not changed");
    const rowFilter = p.rowFilter ?? r.rowFilter;
    const narrowed = fields.length < r.fields.length || days < r.durationDays || (!r.rowFilter && !!p.rowFilter);
    ctx.put("access", p.id, {
      ...r,
      status: "active",
      grant: { fields, actions: r.actions, rowFilter: rowFilter ?? null, from: ctx.blockTime, expires: ctx.blockTime + days * 86_400_000, narrowed },
      steps: [...r.steps, { action: narrowed ? "narrow" : "approve", ...step }],
    } as never);
    if (p.wraps?.length) {
      const keys = ctx.get<DatasetKeys>("dskey", r.dataset);
      if (!keys) return ctx.refuse(`dataset ${r.dataset} has no key to wrap`);
      if (p.wraps.some((w) => w.dept !== r.dept)) return ctx.refuse(`wraps may be made only for the grantee ${r.dept}`);
      ctx.put("dskey", r.dataset, applyWraps(ctx, keys, r.owner, p.wraps, false, "grant") as never);
    }
  },
});

const accessRevoke = defineContract({
  type: "access.revoke",
  version: 1,
  roles: ["dept_admin", "sys_admin"],
  writes: ["access", "dskey"],
  governs: { public: ACCESS_PUBLIC },
  schema: z
    .object({
      id: z.string().regex(/^req-[a-z0-9-]{6,60}$/),
      dataset: id,
      reason: z.string().trim().min(2, "state the reason").max(300),
      /** The rotated dataset key (current + 1) wrapped for every department that still reads it. */
      rotation: z.array(versionWrap).max(200).optional(),
    })
    .strict(),
  reads: (_tx, p) => [
    ["access", p.id],
    ["dskey", p.dataset],
  ],
  apply(ctx, p) {
    const r = ctx.get<AccessRecord>("access", p.id);
    if (!r || r.dataset !== p.dataset) return ctx.refuse(`unknown request ${p.id} on ${p.dataset}`);
    if (r.status === "pending" && ctx.tx.dept === r.dept) {
      ctx.put("access", p.id, { ...r, status: "withdrawn", steps: [...r.steps, { action: "withdraw", actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime, note: p.reason }] } as never);
      return;
    }
    requireOwner(ctx, r.owner, "revoke grants of its data");
    if (r.status !== "active") return ctx.refuse(`request ${p.id} is ${r.status}; only an active grant can be revoked`);
    ctx.put("access", p.id, { ...r, status: "revoked", steps: [...r.steps, { action: "revoke", actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime, note: p.reason }] } as never);
    const keys = ctx.get<DatasetKeys>("dskey", r.dataset);
    if (keys) {
      if (!p.rotation?.length) return ctx.refuse(`revoking a grant of sealed dataset ${r.dataset} rotates its key: the rotation wraps are missing`);
      if (p.rotation.some((w) => w.dept === r.dept)) return ctx.refuse(`the rotated key must not be wrapped for ${r.dept}, whose grant is revoked`);
      ctx.put("dskey", r.dataset, applyWraps(ctx, keys, r.owner, p.rotation, true, `revoke ${p.id}`) as never);
    }
  },
});

/** The owner shares on its own initiative (e.g. statutory sharing with the supervising bureaus): a grant without a request. */
const accessGrant = defineContract({
  type: "access.grant",
  version: 1,
  roles: ["system", "sys_admin", "dept_admin"],
  writes: ["access", "dskey"],
  governs: { public: ACCESS_PUBLIC },
  schema: z
    .object({
      id: z.string().regex(/^req-[a-z0-9-]{6,60}$/, "grant id like req-xxxxxx"),
      dataset: id,
      dept: id,
      fields: z.array(fieldName).min(1).max(60),
      actions: z.array(z.enum(ACTIONS)).min(1).max(3).default(["read"]),
      purpose: z.string().trim().min(4).max(300),
      durationDays: z.number().int().min(1).max(365),
      rowFilter: z.record(fieldName, z.string().min(1).max(64)).nullable().default(null),
      wraps: z.array(versionWrap).max(100).optional(),
    })
    .strict(),
  reads: (_tx, p) => [
    ["access", p.id],
    ["dataset", p.dataset],
    ["dskey", p.dataset],
    ["dept", p.dept],
  ],
  apply(ctx, p) {
    if (ctx.get("access", p.id)) return ctx.refuse(`grant ${p.id} already exists`);
    const d = ctx.get<DatasetEntry>("dataset", p.dataset);
    if (!d || d.status !== "active") return ctx.refuse(`unknown or retired dataset ${p.dataset}`);
    requireOwner(ctx, d.owner, "grant access to its data");
    if (p.dept === d.owner) return ctx.refuse(`${p.dept} owns ${p.dataset} and needs no grant`);
    const dept = ctx.get<{ status: string }>("dept", p.dept);
    if (!dept || dept.status !== "active") return ctx.refuse(`unknown or disabled department ${p.dept}`);
    const unknown = p.fields.filter((f) => !d.fields.some((x) => x.name === f));
    if (unknown.length) return ctx.refuse(`dataset ${p.dataset} has no field ${unknown.join(", ")}`);
    if (p.rowFilter && (!d.rowKey || Object.keys(p.rowFilter).some((k) => k !== d.rowKey))) return ctx.refuse(`rows of ${p.dataset} cannot be filtered that way`);
    const { wraps, ...rest } = p;
    const fields = [...new Set(p.fields)];
    const actions = [...new Set(p.actions)];
    ctx.put("access", p.id, {
      ...rest,
      fields,
      actions,
      owner: d.owner,
      requestedBy: ctx.tx.actor,
      status: "active",
      grant: { fields, actions, rowFilter: p.rowFilter, from: ctx.blockTime, expires: ctx.blockTime + p.durationDays * 86_400_000, narrowed: false },
      steps: [{ action: "grant", actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime }],
    } satisfies AccessRecord as never);
    const keys = ctx.get<DatasetKeys>("dskey", p.dataset);
    if (keys && !wraps?.length && fields.some((f) => sealedFields(d).includes(f))) return ctx.refuse(`granting sealed fields of ${p.dataset} needs the key wrapped for ${p.dept}`);
    if (keys && wraps?.length) {
      if (wraps.some((w) => w.dept !== p.dept)) return ctx.refuse(`wraps may be made only for the grantee ${p.dept}`);
      ctx.put("dskey", p.dataset, applyWraps(ctx, keys, d.owner, wraps, false, "grant") as never);
    }
  },
});

/** A record of a sealed dataset, written by its owner; sealed fields must be under the current key version. */
const datasetRecord = defineContract({
  type: "dataset.record",
  version: 1,
  roles: WRITERS,
  writes: ["dsrec"],
  governs: { scope: (p) => ({ dataset: p.dataset, alias: { key: "__rowkey" }, recordKey: p.key }) },
  subject: (p) => `${p.dataset}/${p.key}`,
  schema: z
    .object({
      dataset: id,
      key: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "record key: letters, digits, '.', '_' or '-'"),
      attrs: z.record(fieldName, z.json()),
      sealed: z.record(fieldName, sealedValueSchema),
      /** Blind indexes (HMAC, 16 bytes hex) of indexed sealed fields. */
      index: z.record(fieldName, hex(16)).optional(),
    })
    .strict(),
  reads: (_tx, p) => [
    ["dataset", p.dataset],
    ["dskey", p.dataset],
  ],
  apply(ctx, p) {
    const d = ctx.get<DatasetEntry>("dataset", p.dataset);
    if (!d || d.status !== "active") return ctx.refuse(`unknown or retired dataset ${p.dataset}`);
    if (d.source.kind !== "sealed") return ctx.refuse(`${p.dataset} is written by its own contracts, not dataset.record`);
    // The identity registry keeps an index of ID numbers that only its own contract maintains.
    if (p.dataset === "identity.registry") return ctx.refuse("people are enrolled in identity.registry by identity.enrol");
    requireOwner(ctx, d.owner, `write records of ${p.dataset}`);
    const sealed = new Set(sealedFields(d));
    for (const f of Object.keys(p.attrs)) {
      if (sealed.has(f)) return ctx.refuse(`field ${f} is sensitive and must be sealed, not sent in clear`);
      if (!d.fields.some((x) => x.name === f)) return ctx.refuse(`dataset ${p.dataset} has no field ${f}`);
    }
    const keys = ctx.get<DatasetKeys>("dskey", p.dataset);
    for (const [f, v] of Object.entries(p.sealed)) {
      if (!sealed.has(f)) return ctx.refuse(`field ${f} is not a sealed field of ${p.dataset}`);
      requireCurrentKey(ctx, keys, f, v);
    }
    for (const f of Object.keys(p.index ?? {})) {
      if (!d.fields.some((x) => x.name === f && x.indexed)) return ctx.refuse(`field ${f} of ${p.dataset} has no blind index`);
    }
    ctx.put("dsrec", `${p.dataset}/${p.key}`, { dataset: p.dataset, key: p.key, attrs: p.attrs, sealed: p.sealed, ...(p.index ? { index: p.index } : {}), written: stamp(ctx) } as never);
  },
});

/** The access log of sensitive reads: who read which dataset, on which basis, for what purpose. */
const dataRead = defineContract({
  type: "data.read",
  version: 1,
  roles: [...ROLES, "system"],
  writes: ["readlog"],
  governs: { searchTerm: (p) => ({ dataset: p.dataset, key: "query" }) },
  subject: (p) => `${p.dataset} · ${p.records} × ${p.fields.join(", ")}`,
  schema: z
    .object({
      dataset: id,
      basis: z.enum(["owner", "hierarchy", "grant"]),
      grant: z.string().regex(/^req-[a-z0-9-]{6,60}$/).optional(),
      fields: z.array(fieldName).max(60),
      records: z.number().int().min(0).max(1_000_000),
      query: z.string().max(200).optional(),
    })
    .strict()
    .refine((p) => (p.basis === "grant") === !!p.grant, { message: "a read under a grant names the grant" }),
  reads: (_tx, p) => [["dataset", p.dataset], ["readlog", p.dataset], ...(p.grant ? [["access", p.grant] as const] : [])],
  apply(ctx, p) {
    if (!ctx.tx.purpose?.trim()) return ctx.refuse("a read of sensitive data states its purpose");
    const d = ctx.get<DatasetEntry>("dataset", p.dataset);
    if (!d) return ctx.refuse(`unknown dataset ${p.dataset}`);
    if (p.basis === "owner" && d.owner !== ctx.tx.dept) return ctx.refuse(`${ctx.tx.dept} does not own ${p.dataset}`);
    if (p.grant) {
      const g = ctx.get<AccessRecord>("access", p.grant);
      if (!g || g.dataset !== p.dataset || g.dept !== ctx.tx.dept) return ctx.refuse(`grant ${p.grant} is not ${ctx.tx.dept}'s grant on ${p.dataset}`);
      if (g.status !== "active" || !g.grant) return ctx.refuse(`grant ${p.grant} is ${g.status}`);
      if (g.grant.expires <= ctx.blockTime) return ctx.refuse(`grant ${p.grant} expired`);
      const beyond = p.fields.filter((f) => !g.grant!.fields.includes(f));
      if (beyond.length) return ctx.refuse(`grant ${p.grant} does not cover ${beyond.join(", ")}`);
    }
    const log = ctx.get<{ reads: number; byDept: Record<string, number> }>("readlog", p.dataset) ?? { reads: 0, byDept: {} };
    ctx.put("readlog", p.dataset, { reads: log.reads + 1, byDept: { ...log.byDept, [ctx.tx.dept]: (log.byDept[ctx.tx.dept] ?? 0) + 1 }, lastSeq: ctx.seq, lastTime: ctx.blockTime });
  },
});

export const sharingContracts = [sealKeyRegister, datasetRegister, datasetKey, accessRequest, accessDecide, accessGrant, accessRevoke, datasetRecord, dataRead];
