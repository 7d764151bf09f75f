/**
 * The sharing workflow on this node: the catalogue registered at start-up (server/app.ts: departments' sealing keys,
 * datasets with their version-1 keys, demo records of sealed datasets), sealed writes, and the
 * request → decide → revoke steps with the key wraps and rotations they carry.
 */
import { randomBytes } from "node:crypto";
import type { ACTIONS, AccessRecord, DatasetEntry, DatasetKeys } from "../../chain/contracts/sharing";
import type { Committed } from "../../chain/node";
import { blindIndex, generateDataKey, sealField, type SealedValue } from "../../chain/sealing";
import { NotFoundError } from "../errors";
import type { Actor, PortalLedger } from "../ledger/portal-ledger";
import { listDepartments } from "../ledger/directory";
import { REGISTRY } from "../../chain/contracts/identity";
import { enrolPeople } from "../identity/registry";
import { CATALOGUE, demoRecords, STANDING_SHARES, STANDING_VERIFY } from "./catalogue";
import { datasetKeys, ensureSealKey, openDataKey, rotatedWraps, submitAsSystem, wrapFor, wrapsForReader } from "./keys";
import { ancestorsOf, grantsOf, loadDataset } from "./policy";

/**
 * Registers missing datasets (with the demo records of sealed ones when `demo`), re-registers changed
 * definitions, and renews statutory shares. Idempotent; a start-up step of server/app.ts, never a request's.
 */
export async function syncCatalogue(ledger: PortalLedger, opts: { demo: boolean }): Promise<void> {
  const depts = await listDepartments(ledger.node.store);
  const known = new Set(depts.map((d) => d.id));
  const defs = CATALOGUE.filter((d) => known.has(d.owner));
  const missing: typeof defs = [];
  const changed: typeof defs = [];
  for (const d of defs) {
    const cur = await loadDataset(ledger, d.id);
    if (!cur) missing.push(d);
    else if (stableJson(d) !== stableJson(pick(cur, Object.keys(d) as (keyof typeof d)[]))) changed.push(d);
  }
  if (missing.length) await registerDatasets(ledger, depts, missing, opts.demo);
  // A definition that changed in this release (wording, a new field, an index) is re-registered: the entry's version goes up.
  // One that seals a field for the first time brings its first key, wrapped for every department that reads it today.
  await Promise.all(
    changed.map(async (d) => {
      const firstKey = d.fields.some((f) => f.sealed) && !(await datasetKeys(ledger, d.id));
      const wraps = firstKey ? (await wrapFor(ledger, d.id, 1, generateDataKey(), await currentReaders(ledger, depts, d.id, d.owner))).map(({ version: _v, ...w }) => w) : undefined;
      await submitAsSystem(ledger, "dataset.register", { ...d, ...(wraps ? { wraps } : {}) }, "更新资源目录 update catalogue entry");
    }),
  );
  await Promise.all([renewStandingShares(ledger, depts), renewVerifyShares(ledger, depts)]);
}

/** The owner, the departments above it and every department with a live grant. */
async function currentReaders(ledger: PortalLedger, depts: Awaited<ReturnType<typeof listDepartments>>, dataset: string, owner: string, now = Date.now()): Promise<string[]> {
  const live = (await grantsOf(ledger, { dataset, status: "active" })).filter((g) => g.grant!.expires > now).map((g) => g.dept);
  return [...new Set([owner, ...ancestorsOf(depts, owner), ...live])];
}

/** JSON with object keys sorted (the database's jsonb does not keep key order). */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

function pick<T extends object>(o: T, keys: (keyof T)[]): Partial<T> {
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]])) as Partial<T>;
}

/** Grants (or renews) the statutory shares: one-year grants of the supervision datasets to the supervising departments. */
async function renewStandingShares(ledger: PortalLedger, depts: Awaited<ReturnType<typeof listDepartments>>): Promise<void> {
  const now = Date.now();
  const grantees = depts.filter((d) => d.status === "active" && ((STANDING_SHARES.kinds as readonly string[]).includes(d.kind) || (!!d.bureau && (STANDING_SHARES.bureaus as readonly string[]).includes(d.bureau))));
  const existing = new Map((await grantsOf(ledger, {})).map((g) => [g.id, g]));
  const pending: Promise<unknown>[] = [];
  for (const dsId of STANDING_SHARES.datasets) {
    const ds = await loadDataset(ledger, dsId);
    if (!ds) continue;
    // A dataset with sealed fields (drivers) is shared with its key wrapped for the grantee.
    const keys = await datasetKeys(ledger, dsId);
    const above = new Set([ds.owner, ...ancestorsOf(depts, ds.owner)]);
    for (const d of grantees) {
      if (above.has(d.id)) continue;
      const base = `req-std-${dsId}-${d.id}`.replace(/[._]/g, "-");
      // One id per renewal period: a renewed share is a new grant, the old one expires on its own.
      const live = [...existing.values()].some((g) => g.id.startsWith(base) && g.status === "active" && g.grant!.expires - now > STANDING_SHARES.renewWithinDays * 86_400_000);
      if (live) continue;
      const id = `${base}-${new Date(now).getUTCFullYear()}${String(new Date(now).getUTCMonth() + 1).padStart(2, "0")}`.slice(0, 64);
      if (existing.has(id)) continue;
      pending.push(
        (async () => {
          const wraps = keys ? await wrapsForReader(ledger, keys, ds.owner, d.id) : undefined;
          const payload = { id, dataset: dsId, dept: d.id, fields: ds.fields.map((f) => f.name), actions: ["read"], purpose: STANDING_SHARES.purpose, durationDays: STANDING_SHARES.durationDays, rowFilter: null, ...(wraps ? { wraps } : {}) };
          return submitAsSystem(ledger, "access.grant", payload, "法定职责共享 statutory sharing");
        })(),
      );
    }
  }
  await Promise.all(pending);
}

/** Grants (or renews) the statutory ID-verification shares: the `verify` action on the identity registry, no field readable. */
async function renewVerifyShares(ledger: PortalLedger, depts: Awaited<ReturnType<typeof listDepartments>>): Promise<void> {
  const spec = STANDING_VERIFY;
  const ds = await loadDataset(ledger, spec.dataset);
  if (!ds) return;
  const now = Date.now();
  const above = new Set([ds.owner, ...ancestorsOf(depts, ds.owner)]);
  const grants = await grantsOf(ledger, { dataset: spec.dataset });
  const pending = depts
    .filter((d) => d.status === "active" && !!d.bureau && (spec.bureaus as readonly string[]).includes(d.bureau) && !above.has(d.id))
    .flatMap((d) => {
      const base = `req-vfy-${d.id}`.replace(/[._]/g, "-");
      const live = grants.some((g) => g.id.startsWith(base) && g.status === "active" && g.grant!.expires - now > spec.renewWithinDays * 86_400_000);
      const id = `${base}-${new Date(now).toISOString().slice(0, 7).replace("-", "")}`.slice(0, 64);
      if (live || grants.some((g) => g.id === id)) return [];
      const payload = { id, dataset: spec.dataset, dept: d.id, fields: ["cardStatus"], actions: ["verify"], purpose: spec.purpose, durationDays: spec.durationDays, rowFilter: null };
      return [submitAsSystem(ledger, "access.grant", payload, "法定职责共享：实名核验 statutory ID verification")];
    });
  await Promise.all(pending);
}

async function registerDatasets(ledger: PortalLedger, depts: Awaited<ReturnType<typeof listDepartments>>, missing: typeof CATALOGUE, demo: boolean): Promise<void> {
  await Promise.all(
    missing.map(async (d) => {
      const sealed = d.fields.some((f) => f.sealed);
      const readers = [d.owner, ...ancestorsOf(depts, d.owner)];
      const key = sealed ? generateDataKey() : null;
      const wraps = key ? (await wrapFor(ledger, d.id, 1, key, readers)).map(({ version: _v, ...w }) => w) : undefined;
      await submitAsSystem(ledger, "dataset.register", { ...d, ...(wraps ? { wraps } : {}) }, "登记资源目录 register dataset in the catalogue");
      if (!sealed || !demo) return;
      const records = demoRecords(d.id, Date.now());
      if (d.id === REGISTRY) return void (await enrolPeople(ledger, null, records, "初始化演示数据：合成人员 seed synthetic people"));
      await Promise.all(records.map((r) => writeSealedRecord(ledger, null, d.id, r.key, r.attrs, r.sealed, "初始化演示数据 seed demo records")));
    }),
  );
}

/**
 * Writes a record of a sealed dataset: clear attributes as given, sensitive values sealed under the
 * dataset's current key (opened through the owner's wrap). `actor` null writes as the system.
 */
export async function writeSealedRecord(ledger: PortalLedger, actor: Actor | null, dataset: string, key: string, attrs: Record<string, unknown>, values: Record<string, unknown>, purpose: string, now = Date.now()): Promise<Committed> {
  const entry = await loadDataset(ledger, dataset);
  const current = await datasetKeys(ledger, dataset);
  if (!entry || !current) throw new Error(`dataset ${dataset} is not a sealed dataset`);
  const { sealed, index } = await sealValues(ledger, entry, current, key, values, now);
  const payload = { dataset, key, attrs, sealed, ...(index ? { index } : {}) };
  return actor ? ledger.submitAs(actor, "dataset.record", payload, purpose) : submitAsSystem(ledger, "dataset.record", payload, purpose);
}

/**
 * Seals a record's values under the dataset's current key (rotated first when stale), with blind
 * indexes of its indexed fields; undefined values are left out. For contracts that carry sealed
 * values of their own records (an incident's caller, a driver's name), and for `dataset.record`.
 */
export async function sealValues(ledger: PortalLedger, entry: DatasetEntry, current: DatasetKeys, record: string, values: Record<string, unknown>, now = Date.now()): Promise<{ sealed: Record<string, SealedValue>; index?: Record<string, string> }> {
  const present = Object.entries(values).filter(([, v]) => v !== undefined);
  const { keys, dataKey } = await currentSealingKey(ledger, entry, current, now);
  const sealed = Object.fromEntries(present.map(([field, v]) => [field, sealField(dataKey, keys.current, { dataset: entry.id, record, field }, v)]));
  const indexed = entry.fields.filter((f) => f.indexed && typeof values[f.name] === "string");
  const first = indexed.length ? openDataKey(ledger, keys, 1, entry.owner) : null;
  const index = first ? Object.fromEntries(indexed.map((f) => [f.name, blindIndex(first, entry.id, f.name, values[f.name] as string)])) : undefined;
  return { sealed, ...(index ? { index } : {}) };
}

/**
 * Seals values of a record of a ledger-backed dataset whose catalogue entry seals them; call after
 * `syncCatalogue`. Only fields the catalogue declares sealed are accepted.
 * @throws Error when the dataset is not registered with a key on this ledger, or a field is not sealed.
 */
export async function sealRecordFields(ledger: PortalLedger, dataset: string, record: string, values: Record<string, unknown>, now = Date.now()): Promise<{ sealed: Record<string, SealedValue>; index?: Record<string, string> }> {
  const [entry, current] = await Promise.all([loadDataset(ledger, dataset), datasetKeys(ledger, dataset)]);
  if (!entry || !current) throw new Error(`dataset ${dataset} has no key on this ledger`);
  const clear = Object.keys(values).filter((f) => !entry.fields.some((x) => x.name === f && x.sealed));
  if (clear.length) throw new Error(`fields ${clear.join(", ")} of ${dataset} are not sealed fields`);
  return sealValues(ledger, entry, current, record, values, now);
}

/** The key new records of `entry` are sealed under (rotated first when stale), opened through the owner's wrap. */
export async function currentSealingKey(ledger: PortalLedger, entry: DatasetEntry, current: DatasetKeys, now = Date.now()): Promise<{ keys: DatasetKeys; dataKey: string }> {
  const keys = await rotateIfStale(ledger, entry, current, now);
  const dataKey = openDataKey(ledger, keys, keys.current, entry.owner);
  if (!dataKey) throw new Error(`this node cannot open the current key of ${entry.id}`);
  return { keys, dataKey };
}

/**
 * Before a write: when the current key is still wrapped for a department that no longer reads the
 * dataset (its grant expired), the key rotates first, so new records never open for it.
 */
async function rotateIfStale(ledger: PortalLedger, entry: DatasetEntry, keys: DatasetKeys, now: number): Promise<DatasetKeys> {
  const depts = await listDepartments(ledger.node.store);
  const live = (await grantsOf(ledger, { dataset: entry.id, status: "active" })).filter((g) => g.grant!.expires > now).map((g) => g.dept);
  const readers = [...new Set([entry.owner, ...ancestorsOf(depts, entry.owner), ...live])];
  const currentWraps = Object.keys(keys.versions.find((v) => v.version === keys.current)?.wraps ?? {});
  const stale = currentWraps.filter((d) => !readers.includes(d));
  if (!stale.length) return keys;
  const wraps = await rotatedWraps(ledger, entry.id, keys.current + 1, readers);
  await submitAsSystem(ledger, "dataset.key", { dataset: entry.id, rotate: true, wraps, reason: `grant ended: ${stale.join(", ")}`.slice(0, 300) }, "授权到期，轮换数据密钥 rotate the key after a grant ended");
  return (await datasetKeys(ledger, entry.id))!;
}

export interface RequestInput {
  dataset: string;
  fields: string[];
  actions?: (typeof ACTIONS)[number][];
  purpose: string;
  durationDays: number;
  rowFilter?: Record<string, string> | null;
}

export async function requestAccess(ledger: PortalLedger, actor: Actor, input: RequestInput): Promise<{ id: string; tx: Committed }> {
  const id = `req-${randomBytes(6).toString("hex")}`;
  const tx = await ledger.submitAs(actor, "access.request", { id, ...input, actions: input.actions ?? ["read"], rowFilter: input.rowFilter ?? null }, `申请数据访问 request access: ${input.purpose}`.slice(0, 500));
  return { id, tx };
}

export interface GrantInput extends RequestInput {
  dept: string;
}

/** The owner shares on its own initiative; a sealed dataset's key versions are wrapped for the grantee. */
export async function grantAccess(ledger: PortalLedger, actor: Actor, input: GrantInput): Promise<{ id: string; tx: Committed }> {
  const id = `req-${randomBytes(6).toString("hex")}`;
  const entry = await loadDataset(ledger, input.dataset);
  const keys = entry ? await datasetKeys(ledger, input.dataset) : null;
  const wraps = entry && keys ? await wrapsForReader(ledger, keys, entry.owner, input.dept) : undefined;
  const tx = await ledger.submitAs(actor, "access.grant", { id, ...input, actions: input.actions ?? ["read"], rowFilter: input.rowFilter ?? null, ...(wraps ? { wraps } : {}) }, `主动共享数据 share data: ${input.purpose}`.slice(0, 500));
  return { id, tx };
}

export interface DecideInput {
  id: string;
  decision: "approve" | "deny";
  fields?: string[];
  durationDays?: number;
  rowFilter?: Record<string, string>;
  note?: string;
}

/** Approves (possibly narrowed) or denies; an approval of a sealed dataset wraps every key version for the grantee. */
export async function decideAccess(ledger: PortalLedger, actor: Actor, input: DecideInput): Promise<Committed> {
  const r = await accessRecord(ledger, input.id);
  const keys = input.decision === "approve" ? await datasetKeys(ledger, r.dataset) : null;
  const wraps = keys ? await wrapsForReader(ledger, keys, r.owner, r.dept) : undefined;
  return ledger.submitAs(actor, "access.decide", { ...input, dataset: r.dataset, ...(wraps ? { wraps } : {}) }, `${input.decision === "approve" ? "批准" : "驳回"}数据访问申请 ${input.decision} access request`);
}

/** Revokes a grant (or withdraws one's own pending request); a sealed dataset's key rotates for the remaining readers. */
export async function revokeAccess(ledger: PortalLedger, actor: Actor, input: { id: string; reason: string }, now = Date.now()): Promise<Committed> {
  const r = await accessRecord(ledger, input.id);
  const keys = r.status === "active" ? await datasetKeys(ledger, r.dataset) : null;
  const rotation = keys ? await rotationFor(ledger, keys, r, now) : undefined;
  return ledger.submitAs(actor, "access.revoke", { ...input, dataset: r.dataset, ...(rotation ? { rotation } : {}) }, `撤销数据访问授权 revoke access: ${input.reason}`.slice(0, 500));
}

/** Readers of the next key version: the owner, the departments above it, and every other live grantee. */
async function rotationFor(ledger: PortalLedger, keys: DatasetKeys, revoked: AccessRecord, now: number) {
  const depts = await listDepartments(ledger.node.store);
  const others = (await grantsOf(ledger, { dataset: revoked.dataset, status: "active" })).filter((g) => g.id !== revoked.id && g.dept !== revoked.dept && g.grant!.expires > now).map((g) => g.dept);
  return rotatedWraps(ledger, keys.dataset, keys.current + 1, [revoked.owner, ...ancestorsOf(depts, revoked.owner), ...others]);
}

async function accessRecord(ledger: PortalLedger, id: string): Promise<AccessRecord> {
  const r = (await ledger.node.store.record<AccessRecord>("access", id))?.value;
  if (!r) throw new UnknownRequestError(id);
  return r;
}

export class UnknownRequestError extends NotFoundError {
  constructor(readonly id: string) {
    super(`没有该申请 unknown request ${id}`);
  }
}

export type { DatasetEntry };
export { ensureSealKey };
