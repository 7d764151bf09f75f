/** The ledger explorer: blocks, transactions, a record's history, inclusion proofs and receipts. */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { loadConsistencyBundle } from "../../../chain/consistency-store";
import { ledgerNodePin } from "../../../chain/node-pin-store";
import { EXPLORER } from "../../../lib/access";
import { ExplorerGovernor, type Governed } from "../../explorer/governance";
import { governedDetail, governedSummary, prepareReveal } from "../../explorer/governed-read";
import { carriesSecret } from "../../ledger/redact";
import { namespace, txHash } from "../inputs";
import { createTRPCRouter, permissionProcedure, type Context } from "../trpc";

type Authed = Context & { session: NonNullable<Context["session"]> };
const governor = (ctx: Authed, reveal = false) => ExplorerGovernor.create(ctx.services.ledger, ctx.session.user, { reveal });
const recordKey = z.string().trim().min(1).max(128);
const purpose = z.string().trim().min(2, "请说明查看用途 state the purpose of this read").max(200);

/** Why a receipt is refused: it carries the exact signed bytes, so every field the reader may not see. */
function receiptRefusal(hidden: Governed["hidden"]): string | null {
  const refused = hidden.filter((h) => !h.revealable && !h.ownIndex);
  if (!refused.length) return null;
  const fields = [...new Set(refused.map((h) => `${h.dataset}.${h.field}`))].join(", ");
  return `回执含有您无权查看的字段 the receipt carries fields withheld from you: ${fields} (${refused[0].reason})`;
}

const notFound = (what: string) => new TRPCError({ code: "NOT_FOUND", message: `${what} 不存在 not found` });

export const explorerRouter = createTRPCRouter({
  blocks: permissionProcedure(EXPLORER)
    .input(z.object({ limit: z.number().int().min(1).max(100).default(20), before: z.number().int().min(0).optional() }).default({ limit: 20 }))
    .query(async ({ ctx, input }) => {
      const blocks = await ctx.services.ledger.node.store.listBlocks(input.limit, input.before);
      return blocks.map((b) => ({ height: b.height, hash: b.hash, time: b.time, txCount: b.txCount, proposer: b.proposer, firstSeq: b.firstSeq }));
    }),

  latestTxs: permissionProcedure(EXPLORER)
    .input(z.object({ limit: z.number().int().min(1).max(100).default(20), type: z.string().max(64).optional() }).default({ limit: 20 }))
    .query(async ({ ctx, input }) => {
      const [txs, gov] = await Promise.all([ctx.services.ledger.node.store.latestTxs(input.limit, { type: input.type }), governor(ctx)]);
      return txs.map((t) => governedSummary(gov, t));
    }),

  block: permissionProcedure(EXPLORER)
    .input(z.object({ height: z.number().int().min(0) }))
    .query(async ({ ctx, input }) => {
      const store = ctx.services.ledger.node.store;
      const block = await store.block(input.height);
      if (!block) throw notFound(`区块 block #${input.height}`);
      const [txs, batches, gov] = await Promise.all([store.txsOfBlock(input.height), store.batches(input.height), governor(ctx)]);
      return {
        height: block.height,
        hash: block.hash,
        header: block.header,
        signatures: block.signatures,
        batches: batches.map((b) => ({ signer: b.signer, txCount: b.txHashes.length })),
        txs: txs.map((t) => governedSummary(gov, t)),
      };
    }),

  tx: permissionProcedure(EXPLORER)
    .input(z.object({ hash: txHash }))
    .query(async ({ ctx, input }) => {
      const { node } = ctx.services.ledger;
      const tx = await node.store.txByHash(input.hash);
      if (!tx) throw notFound("交易 transaction");
      const [found, gov] = await Promise.all([node.receipt(input.hash), governor(ctx)]);
      const receipt = found!;
      const detail = governedDetail(gov, tx);
      const refusal = carriesSecret(tx.body) && ctx.session.user.role !== "sys_admin" ? "credential" : receiptRefusal(detail.hidden);
      return {
        tx: detail,
        block: { height: tx.height, hash: receipt.block.hash, time: receipt.block.header.time, txRoot: receipt.block.header.txRoot, signatures: receipt.block.signatures },
        signer: receipt.keys.signer ?? { id: receipt.batch.signer, publicKey: "", dept: "" },
        batch: { signer: receipt.batch.signer, txCount: receipt.batch.txHashes.length, signature: receipt.batch.signature },
        proof: { ...receipt.proof, root: receipt.block.header.txRoot },
        receiptRestricted: refusal !== null,
        /** Why the receipt is refused: "credential", or the withheld fields it carries. */
        receiptReason: refusal,
      };
    }),

  history: permissionProcedure(EXPLORER)
    .input(z.object({ ns: namespace, key: recordKey }))
    .query(async ({ ctx, input }) => {
      const store = ctx.services.ledger.node.store;
      const [record, txs, gov] = await Promise.all([store.record(input.ns, input.key), store.history(input.ns, input.key), governor(ctx)]);
      const current = record ? gov.record(input.ns, input.key, record.value) : null;
      return {
        ns: input.ns,
        key: input.key,
        current: current?.value ?? null,
        hidden: current?.hidden ?? [],
        revealable: current?.revealable ?? false,
        txs: txs.map((t) => governedSummary(gov, t)),
      };
    }),

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

  /** Proof that block `to`'s history extends block `from`'s (and holds block `from`), with both signed headers. */
  consistency: permissionProcedure(EXPLORER)
    .input(z.object({ from: z.number().int().min(0), to: z.number().int().min(0) }).refine((x) => x.from <= x.to, { message: "起始高度不能大于结束高度 from must not exceed to" }))
    .query(async ({ ctx, input }) => {
      const { node } = ctx.services.ledger;
      const tip = node.height;
      if (input.to > tip) throw notFound(`区块 block #${input.to}`);
      return loadConsistencyBundle(node.store, node.suite.hasher, input.from, input.to);
    }),

  /** The browser's pin for receipts and consistency proofs: the node keys and quorum this portal's ledger runs with. */
  nodePin: permissionProcedure(EXPLORER).query(({ ctx }) => ledgerNodePin(ctx.services.ledger.node.store)),
});
