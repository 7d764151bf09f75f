/**
 * Sovereign data sharing, access: requests and grants (request → approve/narrow/deny → revoke, each
 * a ledger transaction as the signed-in official) and the incoming and outgoing boxes.
 */
import { z } from "zod";
import { ACCESS_DECISIONS, ACCESS_STATUSES } from "../../../chain/contracts/enums";
import { RECORD_ID } from "../../../chain/contracts/ids";
import { ACTIONS } from "../../../chain/contracts/sharing";
import { ADMIN, SHARING_REQUEST } from "../../../lib/access";
import { grantsOf } from "../../sharing/policy";
import { decideAccess, grantAccess, requestAccess, revokeAccess } from "../../sharing/service";
import { summaryOf } from "../../sharing/views";
import { txResult } from "../errors";
import { createTRPCRouter, permissionProcedure, protectedProcedure } from "../trpc";
import { datasetId } from "./sharing-inputs";

const requestId = z.string().trim().regex(/^req-[a-z0-9-]{6,60}$/, "申请编号如 req-xxxxxx request id like req-xxxxxx");
const fieldName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, "字段名 field name");
const rowFilter = z.record(fieldName, z.string().trim().min(1).max(64));

/** What a request asks for, and a direct grant gives. */
const terms = {
  fields: z.array(fieldName).min(1, "至少选择一个字段 choose at least one field").max(60),
  actions: z.array(z.enum(ACTIONS)).min(1).default(["read"]),
  purpose: z.string().trim().min(4, "请说明用途（至少 4 个字） state the purpose (at least 4 characters)").max(300),
  durationDays: z.number().int().min(1, "期限至少 1 天 at least 1 day").max(365, "期限最长 365 天 at most 365 days"),
  rowFilter: rowFilter.nullable().optional(),
};

export const sharingAccessRouter = createTRPCRouter({
  request: permissionProcedure(SHARING_REQUEST)
    .input(z.object({ dataset: datasetId, ...terms }))
    .mutation(async ({ ctx, input }) => {
      const { id, tx } = await requestAccess(ctx.services.ledger, ctx.session.user, input);
      return { id, ...txResult(tx) };
    }),

  /** The owner's admin shares a dataset with another department directly (no request). */
  grant: permissionProcedure(ADMIN)
    .input(z.object({ dataset: datasetId, dept: z.string().trim().regex(RECORD_ID, "部门编号 department id"), ...terms }))
    .mutation(async ({ ctx, input }) => {
      const { id, tx } = await grantAccess(ctx.services.ledger, ctx.session.user, input);
      return { id, ...txResult(tx) };
    }),

  decide: permissionProcedure(ADMIN)
    .input(
      z
        .object({
          id: requestId,
          decision: z.enum(ACCESS_DECISIONS),
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
    .input(z.object({ box: z.enum(["incoming", "outgoing"]).default("incoming"), status: z.enum(ACCESS_STATUSES).optional() }).optional())
    .query(async ({ ctx, input }) => {
      const me = ctx.session.user;
      const all = await grantsOf(ctx.services.ledger, { status: input?.status });
      const box = input?.box ?? "incoming";
      const mine = all.filter((g) => (box === "incoming" ? me.role === "sys_admin" || g.owner === me.dept : g.dept === me.dept));
      return mine.map(summaryOf).sort((a, b) => b.steps[b.steps.length - 1].seq - a.steps[a.steps.length - 1].seq);
    }),
});
