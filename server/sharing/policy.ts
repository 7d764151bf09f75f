/**
 * The read policy every dataset read goes through. It decides on what basis a user may read a
 * dataset (owner department; hierarchy: supervisors and admins of a department above the owner;
 * or an active, unexpired grant to the user's department), which fields they see (the grant's
 * fields, and only fields at or below their clearance), and which rows (the grant's row filter).
 * A denial says why. Sensitive reads are written to the ledger as `data.read` transactions.
 */
import { SENSITIVE_LEVEL, type AccessRecord, type DatasetEntry, type DatasetField, type DatasetKeys, type SealedRecord } from "../../chain/contracts/sharing";
import { blindIndex, openField, type SealedValue } from "../../chain/sealing";
import type { Role } from "../../chain/contracts/types";
import type { Committed } from "../../chain/node";
import { listDepartments, type Department } from "../ledger/directory";
import type { PortalLedger } from "../ledger/portal-ledger";
import { AccessDeniedError } from "../errors";
import { datasetKeys, openDataKey } from "./keys";

export interface Reader {
  id: string;
  dept: string;
  role: Role;
  clearance: number;
}

export type Basis = "owner" | "hierarchy" | "grant";
export type DenialCode = "unknown_dataset" | "no_grant" | "expired" | "revoked" | "rank" | "clearance" | "field" | "purpose";

export interface Allowed {
  ok: true;
  basis: Basis;
  grant: AccessRecord | null;
  /** Fields the reader sees, in catalogue order. */
  fields: DatasetField[];
  /** Fields withheld, each with why. */
  hidden: { name: string; reason: string }[];
  rowFilter: Record<string, string> | null;
  /** Whose key wrap opens sealed fields: the reader's department. */
  keyDept: string;
  /** Sensitive fields are visible: the read is audited. */
  sensitive: boolean;
}
export interface Denied {
  ok: false;
  code: DenialCode;
  reason: string;
}
export type Decision = Allowed | Denied;

/** A refused read, with the reason shown to the reader. */
export { AccessDeniedError };

const HIERARCHY_ROLES: readonly Role[] = ["supervisor", "dept_admin", "sys_admin"];

/** Strict ancestors of `id`, nearest first. */
export function ancestorsOf(depts: Pick<Department, "id" | "parent">[], id: string): string[] {
  const byId = new Map(depts.map((d) => [d.id, d]));
  const out: string[] = [];
  for (let d = byId.get(id)?.parent; d && !out.includes(d); d = byId.get(d)?.parent ?? null) out.push(d);
  return out;
}

export async function loadDataset(ledger: PortalLedger, id: string): Promise<DatasetEntry | null> {
  return (await ledger.node.store.record<DatasetEntry>("dataset", id))?.value ?? null;
}

export async function grantsOf(ledger: PortalLedger, filter: { dataset?: string; dept?: string; status?: string }): Promise<AccessRecord[]> {
  const { rows } = await ledger.db.query<{ value: AccessRecord }>(
    `SELECT value FROM state_records WHERE ns = 'access'
       AND ($1::text IS NULL OR value->>'dataset' = $1) AND ($2::text IS NULL OR value->>'dept' = $2) AND ($3::text IS NULL OR value->>'status' = $3)
     ORDER BY key`,
    [filter.dataset ?? null, filter.dept ?? null, filter.status ?? null],
  );
  return rows.map((r) => r.value);
}

const fmt = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 16) + " UTC";

/**
 * Decides how `reader` may read `entry` at time `now` (ms). Pure given the departments and grants.
 */
export function decide(reader: Reader, entry: DatasetEntry, depts: Pick<Department, "id" | "parent">[], grants: AccessRecord[], now: number): Decision {
  let basis: Basis | null = null;
  let grant: AccessRecord | null = null;
  if (reader.dept === entry.owner) basis = "owner";
  else if (ancestorsOf(depts, entry.owner).includes(reader.dept)) {
    if (!HIERARCHY_ROLES.includes(reader.role)) {
      return { ok: false, code: "rank", reason: `上级部门仅主管及以上可查看下级数据 a parent department's data view is for supervisors and admins (your role: ${reader.role})` };
    }
    basis = "hierarchy";
  } else {
    const mine = grants.filter((g) => g.dataset === entry.id && g.dept === reader.dept && g.grant?.actions.includes("read"));
    const live = mine.filter((g) => g.status === "active" && g.grant!.expires > now).sort((a, b) => b.grant!.fields.length - a.grant!.fields.length);
    if (live.length) {
      basis = "grant";
      grant = live[0];
    } else {
      const last = mine.sort((a, b) => b.steps[b.steps.length - 1].seq - a.steps[a.steps.length - 1].seq)[0];
      if (last?.status === "revoked") {
        const step = last.steps[last.steps.length - 1];
        return { ok: false, code: "revoked", reason: `授权 ${last.id} 已于 ${fmt(step.time)} 被 ${step.dept} 撤销 grant ${last.id} was revoked by ${step.dept} at ${fmt(step.time)}${step.note ? ` (${step.note})` : ""}` };
      }
      if (last?.status === "active") return { ok: false, code: "expired", reason: `授权 ${last.id} 已于 ${fmt(last.grant!.expires)} 到期 grant ${last.id} expired at ${fmt(last.grant!.expires)}` };
      return { ok: false, code: "no_grant", reason: `${reader.dept} 未获得 ${entry.id}（属 ${entry.owner}）的访问授权，请在资源目录申请 ${reader.dept} holds no grant on ${entry.id} (owned by ${entry.owner}); request access in the catalogue` };
    }
  }
  const hidden: { name: string; reason: string }[] = [];
  const fields = entry.fields.filter((f) => {
    if (grant && !grant.grant!.fields.includes(f.name)) return hidden.push({ name: f.name, reason: "not granted 未授权字段" }), false;
    if (f.sensitivity > reader.clearance) return hidden.push({ name: f.name, reason: `sensitivity ${f.sensitivity} > clearance ${reader.clearance} 密级不足` }), false;
    return true;
  });
  if (!fields.length) {
    return { ok: false, code: "clearance", reason: `可见字段为空：密级 ${reader.clearance} 不足以查看所授权字段 no field visible at clearance ${reader.clearance}` };
  }
  return { ok: true, basis, grant, fields, hidden, rowFilter: grant?.grant?.rowFilter ?? null, keyDept: reader.dept, sensitive: fields.some((f) => f.sensitivity >= SENSITIVE_LEVEL || f.sealed) };
}

/**
 * Loads what a decision needs and decides.
 * @throws AccessDeniedError when the read is refused.
 */
export async function authorizeRead(ledger: PortalLedger, reader: Reader, datasetId: string, now = Date.now()): Promise<{ entry: DatasetEntry; decision: Allowed }> {
  const entry = await loadDataset(ledger, datasetId);
  if (!entry || entry.status !== "active") throw new AccessDeniedError("unknown_dataset", `资源目录中没有数据集 ${datasetId} no dataset ${datasetId} in the catalogue`);
  const [depts, grants] = await Promise.all([listDepartments(ledger.node.store), grantsOf(ledger, { dataset: datasetId, dept: reader.dept })]);
  const decision = decide(reader, entry, depts, grants, now);
  if (!decision.ok) throw new AccessDeniedError(decision.code, decision.reason);
  return { entry, decision };
}

/** Keeps only the visible fields of a row (the row filter is applied by the query). */
export function project<T extends Record<string, unknown>>(row: T, decision: Allowed): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const f of decision.fields) if (f.name in row) out[f.name] = row[f.name];
  return out as Partial<T>;
}

/** True when the row passes the decision's row filter. */
export function rowAllowed(row: Record<string, unknown>, decision: Allowed): boolean {
  return !decision.rowFilter || Object.entries(decision.rowFilter).every(([k, v]) => String(row[k] ?? "") === v);
}

/** Writes the `data.read` access-log transaction for a sensitive read; null when nothing sensitive was shown. */
export async function auditRead(ledger: PortalLedger, reader: Reader, entry: DatasetEntry, decision: Allowed, records: number, purpose: string | undefined, query?: string): Promise<Committed | null> {
  if (!decision.sensitive) return null;
  if (!purpose?.trim()) throw new AccessDeniedError("purpose", `读取敏感数据须说明用途 a read of sensitive data in ${entry.id} must state its purpose`);
  return ledger.submitAs(
    reader,
    "data.read",
    {
      dataset: entry.id,
      basis: decision.basis,
      ...(decision.grant ? { grant: decision.grant.id } : {}),
      fields: decision.fields.map((f) => f.name),
      records,
      ...(query ? { query: query.slice(0, 200) } : {}),
    },
    purpose.trim().slice(0, 500),
  );
}

/**
 * The record's sealed values the decision lets the reader see, opened with the reader department's
 * key wrap (null when this node cannot open that version for it); withheld fields stay out.
 */
export function openVisible(ledger: PortalLedger, keys: DatasetKeys | null, entry: DatasetEntry, record: string, sealed: Record<string, SealedValue>, decision: Allowed): Record<string, unknown> {
  const visible = new Set(decision.fields.map((f) => f.name));
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(sealed)) {
    if (!visible.has(field)) continue;
    const key = keys ? openDataKey(ledger, keys, value.v, decision.keyDept) : null;
    out[field] = key ? openField(key, { dataset: entry.id, record, field }, value) : null;
  }
  return out;
}

export interface DatasetRows {
  dataset: string;
  basis: Basis;
  grant: string | null;
  columns: DatasetField[];
  hidden: { name: string; reason: string }[];
  rowFilter: Record<string, string> | null;
  rows: Record<string, unknown>[];
  total: number;
  audit: { seq: number; hash: string } | null;
}

/**
 * Reads a catalogued dataset through the policy: ledger-backed datasets from their namespace,
 * sealed datasets from `dsrec` with visible sealed fields opened by the reader department's key.
 * @throws AccessDeniedError when refused (or when a sensitive read states no purpose).
 */
export async function readDataset(
  ledger: PortalLedger,
  reader: Reader,
  datasetId: string,
  opts: { purpose?: string; q?: string; limit?: number; offset?: number; /** Exact match on an indexed sealed field (by blind index; the value never reaches the database). */ match?: { field: string; value: string } } = {},
): Promise<DatasetRows> {
  const { entry, decision } = await authorizeRead(ledger, reader, datasetId);
  let matchIndex: [string, string] | null = null;
  if (opts.match) {
    const f = entry.fields.find((x) => x.name === opts.match!.field);
    if (!f?.indexed) throw new AccessDeniedError("field", `${entry.id} 的字段 ${opts.match.field} 不支持按值查找 field ${opts.match.field} of ${entry.id} has no blind index`);
    if (!decision.fields.some((x) => x.name === f.name)) {
      // Finding a record by a value reveals that the value exists: it needs the field, and its clearance.
      if (f.sensitivity > reader.clearance) throw new AccessDeniedError("clearance", `按 ${f.name} 查找须密级 ${f.sensitivity}（您为 ${reader.clearance}） searching by ${f.name} needs clearance ${f.sensitivity} (yours: ${reader.clearance})`);
      throw new AccessDeniedError("field", `无权按 ${f.name} 查找 searching by ${f.name} needs that field granted`);
    }
    const keys = await datasetKeys(ledger, entry.id);
    const first = keys ? openDataKey(ledger, keys, 1, decision.keyDept) : null;
    if (!first) throw new AccessDeniedError("field", `本节点无法为 ${decision.keyDept} 打开 ${entry.id} 的索引密钥 no index key of ${entry.id} for ${decision.keyDept} on this node`);
    matchIndex = [f.name, blindIndex(first, entry.id, f.name, opts.match.value)];
  }
  const limit = Math.min(opts.limit ?? 100, 500);
  const offset = opts.offset ?? 0;
  const filter = decision.rowFilter ? Object.entries(decision.rowFilter)[0] : null;
  const q = opts.q?.trim() || null;
  let raw: Record<string, unknown>[] = [];
  let total = 0;
  if (entry.source.kind === "sealed") {
    const { rows } = await ledger.db.query<{ value: SealedRecord; n: number }>(
      `SELECT value, count(*) OVER ()::int AS n FROM state_records WHERE ns = 'dsrec' AND key LIKE $1 || '/%'
         AND ($2::text IS NULL OR value->'attrs'->>$2 = $3) AND ($4::text IS NULL OR (value->'attrs')::text LIKE '%' || $4 || '%')
         AND ($7::text IS NULL OR value->'index'->>$7 = $8)
       ORDER BY key LIMIT $5 OFFSET $6`,
      [entry.id, filter?.[0] ?? null, filter?.[1] ?? null, q, limit, offset, matchIndex?.[0] ?? null, matchIndex?.[1] ?? null],
    );
    total = rows[0]?.n ?? 0;
    const keys = await datasetKeys(ledger, entry.id);
    raw = rows.map(({ value: r }) => ({ ...r.attrs, ...openVisible(ledger, keys, entry, r.key, r.sealed, decision) }));
  } else if (entry.source.kind === "ledger") {
    // A ledger record keeps its sealed fields under `sealed` (and their blind indexes under `index`); clear text search skips them.
    const { rows } = await ledger.db.query<{ key: string; value: Record<string, unknown> & { sealed?: Record<string, SealedValue> }; n: number }>(
      `SELECT key, value, count(*) OVER ()::int AS n FROM state_records WHERE ns = $1
         AND ($2::text IS NULL OR value->>$2 = $3) AND ($4::text IS NULL OR key LIKE '%' || $4 || '%' OR (value::jsonb - 'sealed' - 'index')::text LIKE '%' || $4 || '%')
         AND ($7::text IS NULL OR value->'index'->>$7 = $8)
       ORDER BY key LIMIT $5 OFFSET $6`,
      [entry.source.ns, filter?.[0] ?? null, filter?.[1] ?? null, q, limit, offset, matchIndex?.[0] ?? null, matchIndex?.[1] ?? null],
    );
    total = rows[0]?.n ?? 0;
    const keys = entry.fields.some((f) => f.sealed) ? await datasetKeys(ledger, entry.id) : null;
    raw = rows.map((r) => ({ id: r.key, ...r.value, ...openVisible(ledger, keys, entry, r.key, r.value.sealed ?? {}, decision) }));
  } else {
    throw new AccessDeniedError("field", `${entry.id} 为明细表数据，请在其业务页面查看 ${entry.id} is a table dataset; read it in its own module (e.g. track replay)`);
  }
  const rows = raw.map((r) => project(r, decision));
  // The audit names what was searched, never a sealed value: a match is logged by field only.
  const audit = await auditRead(ledger, reader, entry, decision, rows.length, opts.purpose, matchIndex ? `match:${matchIndex[0]}` : (q ?? undefined));
  return {
    dataset: entry.id,
    basis: decision.basis,
    grant: decision.grant?.id ?? null,
    columns: decision.fields,
    hidden: decision.hidden,
    rowFilter: decision.rowFilter,
    rows,
    total,
    audit: audit ? { seq: audit.seq, hash: audit.hash } : null,
  };
}
