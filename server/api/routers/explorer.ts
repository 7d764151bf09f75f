/** The ledger explorer: blocks, transactions, a record's history, consistency proofs and the node pin. */
import { z } from "zod";
import { loadConsistencyBundle } from "../../../chain/consistency-store";
import { ledgerNodePin } from "../../../chain/node-pin-store";
import { EXPLORER } from "../../../lib/access";
import { governedDetail, governedSummary } from "../../explorer/governed-read";
import { receiptRefusal } from "../../explorer/receipt";
import { carriesSecret } from "../../ledger/redact";
import { namespace, txHash } from "../inputs";
import { createTRPCRouter, permissionProcedure } from "../trpc";
import { governor, notFound, recordKey } from "./explorer-inputs";

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
