/**
 * ID verification (身份核验), the registry owner's review: public security reviews every lookup, looks
 * a person up (itself logged), changes card statuses and follows up anomalies — each step on the ledger.
 */
import { z } from "zod";
import { ID_ALERT_ACTIONS } from "../../../chain/contracts/enums";
import { CARD_STATUSES, CHECK_RESULTS } from "../../../chain/contracts/identity";
import { IDCHECK_REVIEW } from "../../../lib/access";
import { idNumberSchema } from "../../../lib/id-number";
import { setCardStatus } from "../../identity/registry";
import { actOnAlert, listAlerts, listChecks, lookupPerson, requireReviewer } from "../../identity/review";
import { namesOf } from "../../identity/views";
import { txResult } from "../errors";
import { createTRPCRouter, permissionProcedure, type Context } from "../trpc";
import { purpose } from "./identity-inputs";

const personKey = z.string().trim().regex(/^p-[0-9a-z]{1,40}$/, "人员编号如 p-00001 person key like p-00001");

async function reviewer(ctx: Context & { session: NonNullable<Context["session"]> }) {
  return await requireReviewer(ctx.services.ledger, ctx.session.user);
}

export const identityReviewRouter = createTRPCRouter({
  /** The owner's access review: every lookup of the registry, filterable, with counts by department and answer. */
  checks: permissionProcedure(IDCHECK_REVIEW)
    .input(
      z
        .object({
          dept: z.string().trim().max(64).optional(),
          result: z.enum(CHECK_RESULTS).optional(),
          anomalies: z.boolean().optional(),
          limit: z.number().int().min(1).max(200).default(50),
          offset: z.number().int().min(0).default(0),
        })
        .default({ limit: 50, offset: 0 }),
    )
    .query(async ({ ctx, input }) => {
      await reviewer(ctx);
      const [list, names] = await Promise.all([listChecks(ctx.services.ledger, input), namesOf(ctx.services.ledger)]);
      return { ...list, names };
    }),

  /** A person by ID number (the read is logged with its purpose): card, who checked it, history. */
  person: permissionProcedure(IDCHECK_REVIEW)
    .input(z.object({ idNumber: idNumberSchema, purpose }))
    .mutation(async ({ ctx, input }) => {
      return await lookupPerson(ctx.services.ledger, ctx.session.user, input.idNumber, input.purpose);
    }),

  /** A card status change by the owner (reported lost/stolen, revoked, restored), with its reason. */
  setStatus: permissionProcedure(IDCHECK_REVIEW)
    .input(z.object({ record: personKey, status: z.enum(CARD_STATUSES), note: z.string().trim().min(2, "请说明原因 state the reason").max(300), cardExpires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }))
    .mutation(async ({ ctx, input }) => {
      await reviewer(ctx);
      return txResult(await setCardStatus(ctx.services.ledger, ctx.session.user, input));
    }),

  /** Anomalies (stolen, lost, revoked card used; duplicate concurrent use) for the owner's officers. */
  alerts: permissionProcedure(IDCHECK_REVIEW)
    .input(z.object({ status: z.enum(["open", "closed", "all"]).default("open"), limit: z.number().int().min(1).max(200).default(50) }).default({ status: "open", limit: 50 }))
    .query(async ({ ctx, input }) => {
      await reviewer(ctx);
      const [alerts, names] = await Promise.all([listAlerts(ctx.services.ledger, input), namesOf(ctx.services.ledger)]);
      return { alerts, names };
    }),

  /** Follow-up of an anomaly: acknowledge, assign, confirm, or dismiss with a reason. */
  act: permissionProcedure(IDCHECK_REVIEW)
    .input(
      z
        .object({
          id: z.string().trim().regex(/^ida-[a-z0-9]{8,40}$/, "告警编号如 ida-xxxxxxxx alert id like ida-xxxxxxxx"),
          action: z.enum(ID_ALERT_ACTIONS),
          note: z.string().trim().min(2).max(300).optional(),
          assignee: z.string().trim().max(64).optional(),
        })
        .refine((i) => i.action !== "dismiss" || !!i.note, { message: "排除异常须说明理由 dismissing needs a reason", path: ["note"] })
        .refine((i) => i.action !== "assign" || !!i.assignee, { message: "请选择指派对象 choose whom to assign", path: ["assignee"] }),
    )
    .mutation(async ({ ctx, input }) => {
      await reviewer(ctx);
      return txResult(await actOnAlert(ctx.services.ledger, ctx.session.user, input));
    }),
});
