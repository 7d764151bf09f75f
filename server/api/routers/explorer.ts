/** The ledger explorer: blocks, transactions, a record's history, inclusion proofs and receipts. */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { EXPLORER } from "../../../lib/access";
import { describeTx, summarizeTx } from "../../explorer/describe";
import { carriesSecret, redactSecrets } from "../../ledger/redact";
import { namespace, txHash } from "../inputs";
import { createTRPCRouter, permissionProcedure } from "../trpc";

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
    .query(async ({ ctx, input }) => (await ctx.services.ledger.node.store.latestTxs(input.limit, { type: input.type })).map(summarizeTx)),

  block: permissionProcedure(EXPLORER)
    .input(z.object({ height: z.number().int().min(0) }))
    .query(async ({ ctx, input }) => {
      const store = ctx.services.ledger.node.store;
      const block = await store.block(input.height);
      if (!block) throw notFound(`区块 block #${input.height}`);
      const [txs, batches] = await Promise.all([store.txsOfBlock(input.height), store.batches(input.height)]);
      return {
        height: block.height,
        hash: block.hash,
        header: block.header,
        signatures: block.signatures,
        batches: batches.map((b) => ({ signer: b.signer, txCount: b.txHashes.length })),
        txs: txs.map(summarizeTx),
      };
    }),

  tx: permissionProcedure(EXPLORER)
    .input(z.object({ hash: txHash }))
    .query(async ({ ctx, input }) => {
      const { node } = ctx.services.ledger;
      const tx = await node.store.txByHash(input.hash);
      if (!tx) throw notFound("交易 transaction");
      const receipt = (await node.receipt(input.hash))!;
      return {
        tx: describeTx(tx),
        block: { height: tx.height, hash: receipt.block.hash, time: receipt.block.header.time, txRoot: receipt.block.header.txRoot, signatures: receipt.block.signatures },
        signer: receipt.keys.signer ?? { id: receipt.batch.signer, publicKey: "", dept: "" },
        batch: { signer: receipt.batch.signer, txCount: receipt.batch.txHashes.length, signature: receipt.batch.signature },
        proof: { ...receipt.proof, root: receipt.block.header.txRoot },
        receiptRestricted: carriesSecret(tx.body) && ctx.session.user.role !== "sys_admin",
      };
    }),

  history: permissionProcedure(EXPLORER)
    .input(z.object({ ns: namespace, key: z.string().trim().min(1).max(128) }))
    .query(async ({ ctx, input }) => {
      const store = ctx.services.ledger.node.store;
      const [record, txs] = await Promise.all([store.record(input.ns, input.key), store.history(input.ns, input.key)]);
      return { ns: input.ns, key: input.key, current: record ? redactSecrets(record.value) : null, txs: txs.map(summarizeTx) };
    }),

  receipt: permissionProcedure(EXPLORER)
    .input(z.object({ hash: txHash }))
    .query(async ({ ctx, input }) => {
      const { node } = ctx.services.ledger;
      const receipt = await node.receipt(input.hash);
      if (!receipt) throw notFound("交易 transaction");
      // The receipt must carry the exact signed bytes; when those hold a password hash only a system admin gets them.
      if (carriesSecret(receipt.tx.text) && ctx.session.user.role !== "sys_admin") {
        throw new TRPCError({ code: "FORBIDDEN", message: "该交易含凭证哈希，仅系统管理员可下载回执 this receipt holds a credential hash; system admins only" });
      }
      return receipt;
    }),

  /** Node public keys to pin when verifying a receipt. */
  trustedNodes: permissionProcedure(EXPLORER).query(async ({ ctx }) => {
    const nodes = await ctx.services.ledger.node.store.records<{ id: string; publicKey: string; region: string; name: string; status: string }>("node");
    return nodes.map((n) => ({ id: n.value.id, publicKey: n.value.publicKey, region: n.value.region, name: n.value.name, status: n.value.status }));
  }),
});
