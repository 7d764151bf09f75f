/** The explorer's logged reads: sensitive fields revealed on request, and receipts (which carry the exact signed bytes). */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { EXPLORER } from "../../../lib/access";
import { governedDetail, prepareReveal } from "../../explorer/governed-read";
import { receiptRefusal } from "../../explorer/receipt";
import { carriesSecret } from "../../ledger/redact";
import { namespace, txHash } from "../inputs";
import { createTRPCRouter, permissionProcedure } from "../trpc";
import { governor, notFound, recordKey } from "./explorer-inputs";

const purpose = z.string().trim().min(2, "请说明查看用途 state the purpose of this read").max(200);

export const explorerRevealRouter = createTRPCRouter({
  /**
   * Shows the sensitive fields the policy lets the reader see, of a record's current value or of one
   * transaction, sealed values opened with the reader department's key: one `data.read` per dataset.
   */
  reveal: permissionProcedure(EXPLORER)
    .input(z.discriminatedUnion("kind", [z.object({ kind: z.literal("record"), ns: namespace, key: recordKey, purpose }), z.object({ kind: z.literal("tx"), hash: txHash, purpose })]))
    .mutation(async ({ ctx, input }) => {
      const gov = await governor(ctx, true);
      const store = ctx.services.ledger.node.store;
      if (input.kind === "record") {
        const record = await store.record(input.ns, input.key);
        if (!record) throw notFound(`记录 record ${input.ns}/${input.key}`);
        await prepareReveal(gov, { ns: input.ns, key: input.key, value: record.value });
        const g = gov.record(input.ns, input.key, record.value);
        return { value: g.value, purpose: null, hidden: g.hidden, audit: await gov.audit(input.purpose, 1, `${input.ns}/${input.key}`) };
      }
      const tx = await store.txByHash(input.hash);
      if (!tx) throw notFound("交易 transaction");
      await prepareReveal(gov, { tx });
      const d = governedDetail(gov, tx);
      return { value: d.payload, purpose: d.purpose, hidden: d.hidden, audit: await gov.audit(input.purpose, 1, `tx:${tx.seq}`) };
    }),

  /** A mutation (POST): a receipt with sensitive fields is a logged read, which no link or prefetch may trigger. */
  receipt: permissionProcedure(EXPLORER)
    .input(z.object({ hash: txHash }))
    .mutation(async ({ ctx, input }) => {
      const { node } = ctx.services.ledger;
      const receipt = await node.receipt(input.hash);
      if (!receipt) throw notFound("交易 transaction");
      // The receipt must carry the exact signed bytes; when those hold a password hash only a system admin gets them.
      if (carriesSecret(receipt.tx.text) && ctx.session.user.role !== "sys_admin") {
        throw new TRPCError({ code: "FORBIDDEN", message: "该交易含凭证哈希，仅系统管理员可下载回执 this receipt holds a credential hash; system admins only" });
      }
      // ...and every governed field: refused when any is withheld from the reader; a logged read when sensitive ones are shown.
      const tx = (await node.store.txByHash(input.hash))!;
      const gov = await governor(ctx);
      const { hidden } = governedDetail(gov, tx);
      const refusal = receiptRefusal(hidden);
      if (refusal) throw new TRPCError({ code: "FORBIDDEN", message: `拒绝访问 Access denied: ${refusal}` });
      gov.markRevealed(hidden);
      await gov.audit("下载交易回执 receipt download", 1, `tx:${tx.seq}`);
      return receipt;
    }),
});
