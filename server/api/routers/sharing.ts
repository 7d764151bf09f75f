/**
 * Sovereign data sharing: the resource catalogue, reads through the policy, access requests and
 * grants (request → approve/narrow/deny → revoke, each a ledger transaction), the grants matrix and
 * the read audit. Catalogue metadata is visible to every signed-in user; data only through the policy.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { RECORD_ID } from "../../../chain/contracts/ids";
import { ACTIONS, type AccessRecord, type DatasetEntry, type DatasetKeys } from "../../../chain/contracts/sharing";
import { ADMIN, SHARING_REQUEST } from "../../../lib/access";
import { listDepartments, subtreeIds } from "../../ledger/directory";
import { decide, grantsOf, readDataset, type Reader } from "../../sharing/policy";
import { decideAccess, grantAccess, requestAccess, revokeAccess } from "../../sharing/service";
import { txResult } from "../errors";
import { createTRPCRouter, permissionProcedure, protectedProcedure, type Context } from "../trpc";

const datasetId = z.string().trim().regex(RECORD_ID, "数据集编号 dataset id");
const requestId = z.string().trim().regex(/^req-[a-z0-9-]{6,60}$/, "申请编号如 req-xxxxxx request id like req-xxxxxx");
const fieldName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, "字段名 field name");
const rowFilter = z.record(fieldName, z.string().trim().min(1).max(64));

const readerOf = (ctx: { session: { user: Reader } }): Reader => ({ id: ctx.session.user.id, dept: ctx.session.user.dept, role: ctx.session.user.role, clearance: ctx.session.user.clearance });

async function catalogueState(ctx: Context) {
  const { ledger } = ctx.services;
  const [datasets, depts, grants, readlog] = await Promise.all([
    ledger.node.store.records<DatasetEntry>("dataset"),
    listDepartments(ledger.node.store),
    grantsOf(ledger, {}),
    ledger.node.store.records<{ reads: number }>("readlog"),
  ]);
  return { datasets: datasets.map((d) => ({ ...(d.value as DatasetEntry), seq: d.seq })), depts, grants, reads: new Map(readlog.map((r) => [r.key, r.value.reads])) };
}

const summaryOf = (g: AccessRecord) => ({
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

export const sharingRouter = createTRPCRouter({
  /** The catalogue: every dataset, who holds access, and how the caller stands. */
  catalogue: protectedProcedure.input(z.object({ q: z.string().trim().max(40).optional() }).optional()).query(async ({ ctx, input }) => {
    const { datasets, depts, grants, reads } = await catalogueState(ctx);
    const me = readerOf(ctx);
    const names = new Map(depts.map((d) => [d.id, { name: d.name, nameEn: d.nameEn }]));
    const now = Date.now();
    const q = input?.q?.toLowerCase();
    return datasets
      .filter((d) => !q || [d.id, d.name, d.nameEn, d.description, d.descriptionEn, ...d.tags, ...d.fields.flatMap((f) => [f.name, f.label, f.labelEn])].some((s) => s.toLowerCase().includes(q)))
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
  }),

  /** One dataset: entry, key versions (who can open each, no key material), its requests and grants, its ledger history. */
  dataset: protectedProcedure.input(z.object({ id: datasetId })).query(async ({ ctx, input }) => {
    const { ledger } = ctx.services;
    const rec = await ledger.node.store.record<DatasetEntry>("dataset", input.id);
    if (!rec) throw new TRPCError({ code: "NOT_FOUND", message: `资源目录中没有数据集 ${input.id} no dataset ${input.id}` });
    const [depts, grants, keys, history, readlog] = await Promise.all([
      listDepartments(ledger.node.store),
      grantsOf(ledger, { dataset: input.id }),
      ledger.node.store.record<DatasetKeys>("dskey", input.id),
      ledger.db.query<{ seq: number; hash: string; type: string; dept: string; actor: string; ts: number }>(
        `SELECT DISTINCT t.seq, t.hash, t.type, t.dept, t.actor, t.ts FROM ledger_touches h JOIN ledger_txs t ON t.seq = h.seq
          WHERE (h.ns IN ('dataset', 'dskey') AND h.key = $1) OR (h.ns = 'access' AND h.key = ANY($2::text[])) ORDER BY t.seq`,
        [input.id, (await grantsOf(ledger, { dataset: input.id })).map((g) => g.id)],
      ),
      ledger.node.store.record<{ reads: number; byDept: Record<string, number> }>("readlog", input.id),
    ]);
    const me = readerOf(ctx);
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
      history: history.rows,
      reads: readlog?.value ?? { reads: 0, byDept: {} },
      access: mine.ok ? { ok: true as const, basis: mine.basis, fields: mine.fields.map((f) => f.name), hidden: mine.hidden, rowFilter: mine.rowFilter, grant: mine.grant?.id ?? null } : { ok: false as const, code: mine.code, reason: mine.reason },
    };
  }),

  /** Reads a dataset's records through the policy; a sensitive read states its purpose and is logged on the ledger. */
  /** A read of a dataset: a mutation (POST), so its search term stays out of URLs and logs, and each read is one audited act. */
  read: protectedProcedure
    .input(
      z.object({
        id: datasetId,
        purpose: z.string().trim().max(300).optional(),
        q: z.string().trim().max(40).optional(),
        limit: z.number().int().min(1).max(500).default(100),
        offset: z.number().int().min(0).default(0),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      return await readDataset(ctx.services.ledger, readerOf(ctx), input.id, input);
    }),

  request: permissionProcedure(SHARING_REQUEST)
    .input(
      z.object({
        dataset: datasetId,
        fields: z.array(fieldName).min(1, "至少选择一个字段 choose at least one field").max(60),
        actions: z.array(z.enum(ACTIONS)).min(1).default(["read"]),
        purpose: z.string().trim().min(4, "请说明用途（至少 4 个字） state the purpose (at least 4 characters)").max(300),
        durationDays: z.number().int().min(1, "期限至少 1 天 at least 1 day").max(365, "期限最长 365 天 at most 365 days"),
        rowFilter: rowFilter.nullable().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { id, tx } = await requestAccess(ctx.services.ledger, ctx.session.user, input);
      return { id, ...txResult(tx) };
    }),

  /** The owner's admin shares a dataset with another department directly (no request). */
  grant: permissionProcedure(ADMIN)
    .input(
      z.object({
        dataset: datasetId,
        dept: z.string().trim().regex(RECORD_ID, "部门编号 department id"),
        fields: z.array(fieldName).min(1, "至少选择一个字段 choose at least one field").max(60),
        actions: z.array(z.enum(ACTIONS)).min(1).default(["read"]),
        purpose: z.string().trim().min(4, "请说明用途（至少 4 个字） state the purpose (at least 4 characters)").max(300),
        durationDays: z.number().int().min(1, "期限至少 1 天 at least 1 day").max(365, "期限最长 365 天 at most 365 days"),
        rowFilter: rowFilter.nullable().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { id, tx } = await grantAccess(ctx.services.ledger, ctx.session.user, input);
      return { id, ...txResult(tx) };
    }),

  decide: permissionProcedure(ADMIN)
    .input(
      z
        .object({
          id: requestId,
          decision: z.enum(["approve", "deny"]),
          fields: z.array(fieldName).min(1).max(60).optional(),
          durationDays: z.number().int().min(1).max(365).optional(),
          rowFilter: rowFilter.optional(),
          note: z.string().trim().max(300).optional(),
        })
        .refine((x) => x.decision === "approve" || !!x.note, { message: "驳回须说明理由 a denial needs a reason", path: ["note"] }),
    )
    .mutation(async ({ ctx, input }) => {
      return txResult(await decideAccess(ctx.services.ledger, ctx.session.user, input));
    }),

  revoke: permissionProcedure(ADMIN)
    .input(z.object({ id: requestId, reason: z.string().trim().min(2, "请说明撤销理由 state the reason").max(300) }))
    .mutation(async ({ ctx, input }) => {
      return txResult(await revokeAccess(ctx.services.ledger, ctx.session.user, input));
    }),

  /** Requests and grants: incoming (of datasets my department owns; all for a system admin) or outgoing (my department's). */
  requests: protectedProcedure
    .input(z.object({ box: z.enum(["incoming", "outgoing"]).default("incoming"), status: z.enum(["pending", "active", "denied", "revoked", "withdrawn"]).optional() }).optional())
    .query(async ({ ctx, input }) => {
      const { ledger } = ctx.services;
      const me = ctx.session.user;
      const all = await grantsOf(ledger, { status: input?.status });
      const box = input?.box ?? "incoming";
      const mine = all.filter((g) => (box === "incoming" ? me.role === "sys_admin" || g.owner === me.dept : g.dept === me.dept));
      return mine.map(summaryOf).sort((a, b) => b.steps[b.steps.length - 1].seq - a.steps[a.steps.length - 1].seq);
    }),

  /** Which department reads what: departments (as a tree) × datasets, with the basis of each cell. */
  matrix: permissionProcedure(ADMIN).query(async ({ ctx }) => {
    const { datasets, depts, grants } = await catalogueState(ctx);
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
  }),

  /** Who read which sensitive dataset: the data.read transactions (a department admin sees reads of its datasets and by its staff). */
  audit: permissionProcedure(ADMIN)
    .input(z.object({ dataset: datasetId.optional(), limit: z.number().int().min(1).max(500).default(100) }).optional())
    .query(async ({ ctx, input }) => {
      const { ledger } = ctx.services;
      const me = ctx.session.user;
      const owned = me.role === "sys_admin" ? null : (await ledger.node.store.records<DatasetEntry>("dataset")).filter((d) => (d.value as DatasetEntry).owner === me.dept).map((d) => d.key);
      const { rows } = await ledger.db.query<{ seq: number; hash: string; dept: string; actor: string; ts: number; body: string }>(
        `SELECT seq, hash, dept, actor, ts, body FROM ledger_txs WHERE type = 'data.read'
           AND ($1::text IS NULL OR body::jsonb->'payload'->>'dataset' = $1)
           AND ($2::text[] IS NULL OR dept = $3 OR body::jsonb->'payload'->>'dataset' = ANY($2::text[]))
         ORDER BY seq DESC LIMIT $4`,
        [input?.dataset ?? null, owned, me.dept, input?.limit ?? 100],
      );
      return rows.map((r) => {
        const body = JSON.parse(r.body) as { purpose?: string; payload: { dataset: string; basis: string; grant?: string; fields: string[]; records: number; query?: string } };
        return { seq: r.seq, hash: r.hash, dept: r.dept, actor: r.actor, ts: Number(r.ts), purpose: body.purpose ?? "", ...body.payload };
      });
    }),
});
