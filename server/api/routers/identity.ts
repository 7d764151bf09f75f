/**
 * ID verification (身份核验): verifiers at hotel desks, transport hubs and hospitals check a card and
 * get an answer only; every lookup is an `identity.verify` transaction. The registry owner (public
 * security) reviews every lookup, looks a person up (itself logged), changes card statuses and
 * follows up anomalies — each step on the ledger.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { CARD_STATUSES, CHECK_RESULTS, type IdCheck } from "../../../chain/contracts/identity";
import { IDCHECK_REVIEW, IDCHECK_USE } from "../../../lib/access";
import { idNumberSchema } from "../../../lib/id-number";
import { siteById, sitesFor } from "../../../lib/identity-sites";
import { checkPhoto, PHOTO_MIMES } from "../../identity/photos";
import { setCardStatus } from "../../identity/registry";
import { actOnAlert, listAlerts, listChecks, lookupPerson, requireReviewer } from "../../identity/review";
import { verifyBasis, verifyIdentity } from "../../identity/verify";
import { listDepartments, listUsers } from "../../ledger/directory";
import { AccessDeniedError } from "../../errors";
import { txResult } from "../errors";
import { createTRPCRouter, permissionProcedure, type Context } from "../trpc";

const purpose = z.string().trim().min(4, "请说明核验目的（至少 4 个字） state the purpose of the check (at least 4 characters)").max(200);
const personKey = z.string().trim().regex(/^p-[0-9a-z]{1,40}$/, "人员编号如 p-00001 person key like p-00001");
const photo = z.object({
  mime: z.enum(PHOTO_MIMES as [string, ...string[]], { message: "照片须为 JPEG、PNG 或 WebP the photo must be JPEG, PNG or WebP" }),
  data: z.string().max(4_300_000, "照片不得超过 3 MB the photo exceeds 3 MB").regex(/^[A-Za-z0-9+/]+={0,2}$/, "照片须为 base64 the photo must be base64"),
});

/** What a verifier sees of a check: the answer, where and why — not the person's registry key. */
const forVerifier = (c: IdCheck) => ({ id: c.id, time: c.time, seq: c.seq, purpose: c.purpose, site: c.site.name, result: c.result, duplicate: !!c.duplicate, photo: !!c.photo });

/** Display names of departments and users, for the owner's review tables. */
async function namesOf(ctx: Context) {
  const store = ctx.services.ledger.node.store;
  const [depts, users] = await Promise.all([listDepartments(store), listUsers(store)]);
  return {
    depts: Object.fromEntries(depts.map((d) => [d.id, { name: d.name, nameEn: d.nameEn }])),
    users: Object.fromEntries(users.map((u) => [u.id, { name: u.name, dept: u.dept, status: u.status }])),
  };
}

async function reviewer(ctx: Context & { session: NonNullable<Context["session"]> }) {
  return await requireReviewer(ctx.services.ledger, ctx.session.user);
}

export const identityRouter = createTRPCRouter({
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
      const [list, names] = await Promise.all([listChecks(ctx.services.ledger, input), namesOf(ctx)]);
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
      const [alerts, names] = await Promise.all([listAlerts(ctx.services.ledger, input), namesOf(ctx)]);
      return { alerts, names };
    }),

  /** Follow-up of an anomaly: acknowledge, assign, confirm, or dismiss with a reason. */
  act: permissionProcedure(IDCHECK_REVIEW)
    .input(
      z
        .object({
          id: z.string().trim().regex(/^ida-[a-z0-9]{8,40}$/, "告警编号如 ida-xxxxxxxx alert id like ida-xxxxxxxx"),
          action: z.enum(["acknowledge", "assign", "confirm", "dismiss"]),
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
