/**
 * Ledger nodes: this node and, in a multi-node deployment, its peers as it sees them (heights,
 * finality, lag, signatures, and any node whose stored history differs from the quorum-signed chain).
 * The full view is for administrators; the big screen gets a summary.
 */
import type { ClusterStatus } from "../../../chain/cluster/cluster-node";
import { ADMIN } from "../../../lib/access";
import { createTRPCRouter, permissionProcedure, protectedProcedure, type Context } from "../trpc";

export type NodeStatus = ClusterStatus & { mode: "single" | "cluster"; name: string };

async function nodeStatus(ctx: Context): Promise<NodeStatus> {
  const { node, cluster } = ctx.services.ledger;
  const names = new Map((await node.store.records<{ id: string; name: string }>("node")).map((n) => [n.value.id, n.value.name]));
  if (cluster) {
    const s = cluster.status();
    return { ...s, mode: "cluster", name: names.get(s.node) ?? s.node };
  }
  // One embedded node, its own orderer: final as soon as it is written (quorum 1).
  const self = await node.store.record<{ region: string }>("node", node.opts.node.id);
  return {
    mode: "single",
    node: node.opts.node.id,
    name: names.get(node.opts.node.id) ?? node.opts.node.id,
    region: self?.value.region ?? "",
    connected: true,
    height: node.height,
    headHash: node.blockHash(node.height),
    finalHeight: node.height,
    quorum: 1,
    orderedThrough: 0,
    streamLast: 0,
    lag: 0,
    signing: true,
    selfProblem: null,
    lastSignatureAt: node.lastBlockTime,
    peers: [],
    rejectedSignatures: [],
  };
}

export const nodesRouter = createTRPCRouter({
  status: permissionProcedure(ADMIN).query(({ ctx }) => nodeStatus(ctx)),

  /** For the wall (every signed-in role, like the big screen): nodes up and in agreement, and how far the chain is final. */
  summary: protectedProcedure.query(async ({ ctx }) => {
    const s = await nodeStatus(ctx);
    const nodes = [
      { id: s.node, region: s.region, online: true, height: s.height, signing: s.signing, flagged: s.selfProblem !== null },
      ...s.peers.map((p) => ({ id: p.id, region: p.region, online: p.online, height: p.height, signing: p.signing, flagged: p.divergence !== null })),
    ];
    return { mode: s.mode, quorum: s.quorum, height: s.height, finalHeight: s.finalHeight, nodes };
  }),
});
