/**
 * How the sharing pages see the catalogue: each dataset with its holders and the reader's standing,
 * one dataset's detail, requests as summaries, and the departments × datasets access matrix.
 */
import type { AccessRecord, DatasetEntry, DatasetKeys } from "../../chain/contracts/sharing";
import { listDepartments, subtreeIds } from "../ledger/directory";
import type { PortalLedger } from "../ledger/portal-ledger";
import { decide, grantsOf, type Reader } from "./policy";
import { datasetHistory } from "./queries";

/** The policy's view of a signed-in user. */
export const readerOf = (user: Reader): Reader => ({ id: user.id, dept: user.dept, role: user.role, clearance: user.clearance });

export async function catalogueState(ledger: PortalLedger) {
  const [datasets, depts, grants, readlog] = await Promise.all([
    ledger.node.store.records<DatasetEntry>("dataset"),
    listDepartments(ledger.node.store),
    grantsOf(ledger, {}),
    ledger.node.store.records<{ reads: number }>("readlog"),
  ]);
  return { datasets: datasets.map((d) => ({ ...(d.value as DatasetEntry), seq: d.seq })), depts, grants, reads: new Map(readlog.map((r) => [r.key, r.value.reads])) };
}

/** An access request or grant as the lists show it. */
export const summaryOf = (g: AccessRecord) => ({
  id: g.id,
  dataset: g.dataset,
  owner: g.owner,
  dept: g.dept,
  requestedBy: g.requestedBy,
  fields: g.fields,
  actions: g.actions,
  purpose: g.purpose,
  durationDays: g.durationDays,
  rowFilter: g.rowFilter,
  status: g.status,
  grant: g.grant ?? null,
  steps: g.steps,
});

/** The catalogue: every dataset (matching `q`), who holds access, and how the reader stands. */
export async function catalogueView(ledger: PortalLedger, me: Reader, q?: string) {
  const { datasets, depts, grants, reads } = await catalogueState(ledger);
  const names = new Map(depts.map((d) => [d.id, { name: d.name, nameEn: d.nameEn }]));
  const now = Date.now();
  const term = q?.toLowerCase();
  return datasets
    .filter((d) => !term || [d.id, d.name, d.nameEn, d.description, d.descriptionEn, ...d.tags, ...d.fields.flatMap((f) => [f.name, f.label, f.labelEn])].some((s) => s.toLowerCase().includes(term)))
    .map((d) => {
      const mine = decide(me, d, depts, grants.filter((g) => g.dept === me.dept), now);
      const live = grants.filter((g) => g.dataset === d.id && g.status === "active" && g.grant!.expires > now);
      return {
        id: d.id,
        name: d.name,
        nameEn: d.nameEn,
        description: d.description,
        descriptionEn: d.descriptionEn,
        owner: d.owner,
        ownerName: names.get(d.owner) ?? null,
        tags: d.tags,
        retentionDays: d.retentionDays,
        rowKey: d.rowKey ?? null,
        source: d.source.kind,
        fields: d.fields,
        holders: [...new Set(live.map((g) => g.dept))].map((id) => ({ id, ...(names.get(id) ?? { name: id, nameEn: id }) })),
        pending: grants.filter((g) => g.dataset === d.id && g.status === "pending").length,
        reads: reads.get(d.id) ?? 0,
        access: mine.ok ? { ok: true as const, basis: mine.basis, fields: mine.fields.map((f) => f.name), rowFilter: mine.rowFilter } : { ok: false as const, code: mine.code, reason: mine.reason },
      };
    });
}

/** One dataset: entry, key versions (who can open each, no key material), its requests and grants, its ledger history; null when unknown. */
export async function datasetDetail(ledger: PortalLedger, me: Reader, id: string) {
  const rec = await ledger.node.store.record<DatasetEntry>("dataset", id);
  if (!rec) return null;
  const grants = await grantsOf(ledger, { dataset: id });
  const [depts, keys, history, readlog] = await Promise.all([
    listDepartments(ledger.node.store),
    ledger.node.store.record<DatasetKeys>("dskey", id),
    datasetHistory(ledger, id, grants.map((g) => g.id)),
    ledger.node.store.record<{ reads: number; byDept: Record<string, number> }>("readlog", id),
  ]);
  const mine = decide(me, rec.value, depts, grants.filter((g) => g.dept === me.dept), Date.now());
  return {
    entry: rec.value,
    ownerName: depts.find((d) => d.id === rec.value.owner) ?? null,
    /** Values a row filter may take (districts), for the request form. */
    districts: depts.filter((d) => d.kind === "district").map((d) => ({ id: d.id, name: d.name, nameEn: d.nameEn })),
    mine: me.dept,
    /** Departments a grant may name (for the owner's share form). */
    departments: depts.filter((d) => d.status === "active").map((d) => ({ id: d.id, name: d.name, nameEn: d.nameEn })),
    keys: keys ? { current: keys.value.current, versions: keys.value.versions.map((v) => ({ version: v.version, reason: v.reason, created: v.created, readers: Object.keys(v.wraps).sort() })) } : null,
    requests: grants.map(summaryOf).reverse(),
    history,
    reads: readlog?.value ?? { reads: 0, byDept: {} },
    access: mine.ok ? { ok: true as const, basis: mine.basis, fields: mine.fields.map((f) => f.name), hidden: mine.hidden, rowFilter: mine.rowFilter, grant: mine.grant?.id ?? null } : { ok: false as const, code: mine.code, reason: mine.reason },
  };
}

/** Which department reads what: departments (as a tree) × datasets, with the basis of each cell. */
export async function accessMatrix(ledger: PortalLedger) {
  const { datasets, depts, grants } = await catalogueState(ledger);
  const now = Date.now();
  const rows = depts
    .filter((d) => d.status === "active")
    .map((d) => ({
      dept: { id: d.id, name: d.name, nameEn: d.nameEn, parent: d.parent, kind: d.kind },
      cells: datasets.map((ds) => {
        if (ds.owner === d.id) return { dataset: ds.id, basis: "owner" as const };
        if (subtreeIds(depts, d.id).has(ds.owner)) return { dataset: ds.id, basis: "hierarchy" as const };
        const g = grants.filter((x) => x.dataset === ds.id && x.dept === d.id && x.status === "active" && x.grant!.expires > now);
        if (g.length) return { dataset: ds.id, basis: "grant" as const, grants: g.map((x) => ({ id: x.id, fields: x.grant!.fields.length, expires: x.grant!.expires, rowFilter: x.grant!.rowFilter })) };
        return { dataset: ds.id, basis: null };
      }),
    }))
    .filter((r) => r.cells.some((c) => c.basis));
  return { datasets: datasets.map((d) => ({ id: d.id, name: d.name, nameEn: d.nameEn, owner: d.owner, sealed: d.fields.some((f) => f.sealed) })), rows };
}
