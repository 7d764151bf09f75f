/**
 * Sovereign data sharing, the catalogue: every dataset with who holds access and how the caller
 * stands, one dataset's detail, and the grants matrix. Catalogue metadata is visible to every
 * signed-in user; data only through the policy (./sharing-read.ts).
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { ADMIN } from "../../../lib/access";
import { accessMatrix, catalogueView, datasetDetail, readerOf } from "../../sharing/views";
import { createTRPCRouter, permissionProcedure, protectedProcedure } from "../trpc";
import { datasetId } from "./sharing-inputs";

export const sharingCatalogueRouter = createTRPCRouter({
  /** The catalogue: every dataset, who holds access, and how the caller stands. */
  catalogue: protectedProcedure
    .input(z.object({ q: z.string().trim().max(40).optional() }).optional())
    .query(async ({ ctx, input }) => catalogueView(ctx.services.ledger, readerOf(ctx.session.user), input?.q)),

  /** One dataset: entry, key versions (who can open each, no key material), its requests and grants, its ledger history. */
  dataset: protectedProcedure.input(z.object({ id: datasetId })).query(async ({ ctx, input }) => {
    const detail = await datasetDetail(ctx.services.ledger, readerOf(ctx.session.user), input.id);
    if (!detail) throw new TRPCError({ code: "NOT_FOUND", message: `资源目录中没有数据集 ${input.id} no dataset ${input.id}` });
    return detail;
  }),

  /** Which department reads what: departments (as a tree) × datasets, with the basis of each cell. */
  matrix: permissionProcedure(ADMIN).query(async ({ ctx }) => accessMatrix(ctx.services.ledger)),
});
