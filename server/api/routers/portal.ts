/** Portal home: ledger status, the user's apps, their inbox and global search. */
import { z } from "zod";
import { allows, DISPATCH_VIEW, EXPLORER } from "../../../lib/access";
import { APPS } from "../../../lib/apps";
import { latestEventsFor } from "../../portal/alerts";
import { searchPortal } from "../../portal/search";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const portalRouter = createTRPCRouter({
  status: protectedProcedure.query(async ({ ctx }) => {
    const { node } = ctx.services.ledger;
    const [nodes, config] = await Promise.all([
      node.store.records<{ id: string; name: string; region: string; status: string }>("node"),
      node.store.record<{ chainName: string; quorum: number }>("config", "ledger"),
    ]);
    return {
      chain: node.chain,
      chainName: config?.value.chainName ?? node.chain,
      height: node.height,
      lastBlockTime: node.lastBlockTime,
      txCount: node.txCount,
      nodeCount: nodes.length,
      quorum: config?.value.quorum ?? 1,
      nodes: nodes.map((n) => ({ id: n.value.id, name: n.value.name, region: n.value.region, status: n.value.status })),
    };
  }),

  apps: protectedProcedure.query(({ ctx }) =>
    APPS.filter((a) => allows(a.access, ctx.session.user)).map((a) => ({ id: a.id, href: a.href, ready: a.ready, glyph: a.glyph })),
  ),

  alerts: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(50).default(8) }).default({ limit: 8 }))
    .query(({ ctx, input }) => latestEventsFor(ctx.services.ledger, ctx.session.user, input.limit)),

  /** A mutation (POST) though it writes nothing: the search term (a name, a plate, an address) stays out of URLs and logs. */
  search: protectedProcedure
    .input(z.object({ q: z.string().trim().min(1, "请输入关键词 enter a search term").max(100) }))
    .mutation(({ ctx, input }) => searchPortal(ctx.services.ledger, ctx.session.user, input.q, { includeTransactions: allows(EXPLORER, ctx.session.user), includeIncidents: allows(DISPATCH_VIEW, ctx.session.user) })),
});
