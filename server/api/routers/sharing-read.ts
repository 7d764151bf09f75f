/** Sovereign data sharing, the reads: a dataset's records through the policy, and the audit of sensitive reads. */
import { z } from "zod";
import type { DatasetEntry } from "../../../chain/contracts/sharing";
import { ADMIN } from "../../../lib/access";
import { readDataset } from "../../sharing/policy";
import { readAudit } from "../../sharing/queries";
import { readerOf } from "../../sharing/views";
import { createTRPCRouter, permissionProcedure, protectedProcedure } from "../trpc";
import { datasetId } from "./sharing-inputs";

export const sharingReadRouter = createTRPCRouter({
  /** A read of a dataset: a mutation (POST), so its search term stays out of URLs and logs, and each read is one audited act; a sensitive read states its purpose. */
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
      return await readDataset(ctx.services.ledger, readerOf(ctx.session.user), input.id, input);
    }),

  /** Who read which sensitive dataset: the data.read transactions (a department admin sees reads of its datasets and by its staff). */
  audit: permissionProcedure(ADMIN)
    .input(z.object({ dataset: datasetId.optional(), limit: z.number().int().min(1).max(500).default(100) }).optional())
    .query(async ({ ctx, input }) => {
      const { ledger } = ctx.services;
      const me = ctx.session.user;
      const owned = me.role === "sys_admin" ? null : (await ledger.node.store.records<DatasetEntry>("dataset")).filter((d) => (d.value as DatasetEntry).owner === me.dept).map((d) => d.key);
      return await readAudit(ledger, { dataset: input?.dataset, owned, dept: me.dept, limit: input?.limit ?? 100 });
    }),
});
