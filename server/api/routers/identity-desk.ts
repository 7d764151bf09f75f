/**
 * ID verification (身份核验), the desk: verifiers at hotel desks, transport hubs and hospitals check a
 * card and get an answer only; every lookup is an `identity.verify` transaction.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { IdCheck } from "../../../chain/contracts/identity";
import { IDCHECK_USE } from "../../../lib/access";
import { idNumberSchema } from "../../../lib/id-number";
import { siteById, sitesFor } from "../../../lib/identity-sites";
import { AccessDeniedError } from "../../errors";
import { checkPhoto } from "../../identity/photos";
import { listChecks, requireReviewer } from "../../identity/review";
import { verifyBasis, verifyIdentity } from "../../identity/verify";
import { forVerifier } from "../../identity/views";
import { createTRPCRouter, permissionProcedure } from "../trpc";
import { photo, purpose } from "./identity-inputs";

export const identityDeskRouter = createTRPCRouter({
  /** Verification points, the caller's kind first, and whether the caller's department may verify. */
  desk: permissionProcedure(IDCHECK_USE).query(async ({ ctx }) => {
    const user = ctx.session.user;
    const basis = await verifyBasis(ctx.services.ledger, user).then(
      (b) => ({ ok: true as const, grant: b.grant ?? null }),
      (e) => (e instanceof AccessDeniedError ? { ok: false as const, reason: e.message } : Promise.reject(e)),
    );
    return { sites: sitesFor(user.bureau), basis };
  }),

  /** One check: the answer comes from the contract; the lookup is on the ledger with its purpose. */
  verify: permissionProcedure(IDCHECK_USE)
    .input(
      z.object({
        idNumber: idNumberSchema,
        name: z.string().trim().min(1, "请输入姓名 enter the name").max(40, "姓名过长 name too long"),
        purpose,
        site: z
          .string()
          .trim()
          .min(1, "请选择核验点 choose the verification site")
          .max(64)
          .refine((id) => !!siteById(id), "未知核验点 unknown verification site"),
        photo: photo.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const outcome = await verifyIdentity(ctx.services.ledger, ctx.session.user, input as Parameters<typeof verifyIdentity>[2]);
      // Where else the card was used is for the owner's officers, not for the desk: the desk learns only that it was.
      return { ...outcome, duplicate: outcome.duplicate !== null };
    }),

  /** The caller's own recent checks. */
  mine: permissionProcedure(IDCHECK_USE)
    .input(z.object({ limit: z.number().int().min(1).max(100).default(20) }).default({ limit: 20 }))
    .query(async ({ ctx, input }) => {
      const { checks, total } = await listChecks(ctx.services.ledger, { verifier: ctx.session.user.id, limit: input.limit });
      return { checks: checks.map(forVerifier), total };
    }),

  /** Proves a check's photo unchanged: the stored photo (and optionally a presented file) against the hash on chain. */
  photoCheck: permissionProcedure(IDCHECK_USE)
    .input(z.object({ check: z.string().trim().regex(/^idc-[a-z0-9]{8,40}$/, "核验编号如 idc-xxxxxxxx check id like idc-xxxxxxxx"), photo: photo.optional() }))
    .mutation(async ({ ctx, input }) => {
      const { ledger } = ctx.services;
      const check = (await ledger.node.store.record<IdCheck>("idcheck", input.check))?.value;
      if (!check) throw new TRPCError({ code: "NOT_FOUND", message: `没有核验记录 ${input.check} no check ${input.check}` });
      if (check.verifier !== ctx.session.user.id) await requireReviewer(ledger, ctx.session.user);
      return await checkPhoto(ledger, check, input.photo as Parameters<typeof checkPhoto>[2]);
    }),
});
