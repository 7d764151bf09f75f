/**
 * What a ledger node may do on NATS, derived from the same names ClusterNode uses: a nats-server
 * config built from these (scripts/nats-cluster.ts) gives each node its own user, limited to its
 * chain's subjects and to the JetStream API of its one stream. Not granted: deleting, purging or
 * reconfiguring the stream, other streams, other subjects, serving another node's history, or
 * reading other clients' replies (each node has its own inbox prefix).
 */

/** The stream and subject prefix of a chain (ClusterNode's defaults). */
export function orderingNames(chain: string, stream?: string, subjectPrefix?: string): { stream: string; prefix: string } {
  const safe = chain.replace(/[^A-Za-z0-9_-]/g, "_");
  return { stream: stream ?? `CITYLEDGER_${safe}`, prefix: subjectPrefix ?? `cityledger.${safe}` };
}

/** Each node's replies come to its own inboxes, so that no node may subscribe to another's. */
export const nodeInboxPrefix = (nodeId: string) => `_INBOX_${nodeId.replace(/[^A-Za-z0-9_-]/g, "_")}`;

export interface NatsPermissions {
  publish: { allow: string[] };
  subscribe: { allow: string[] };
  /** Lets the node answer requests made to it (history) on the requester's reply subject, and nothing else there. */
  allow_responses: boolean;
}

export function nodePermissions(nodeId: string, names: { stream: string; prefix: string }): NatsPermissions {
  const { stream: s, prefix: p } = names;
  return {
    publish: {
      allow: [
        `${p}.order`,
        `${p}.sig`,
        `${p}.beacon`,
        `${p}.history.*`, // asking a peer for stored blocks
        "$JS.API.INFO",
        `$JS.API.STREAM.INFO.${s}`,
        `$JS.API.STREAM.CREATE.${s}`, // the first node to start creates it
        `$JS.API.STREAM.MSG.GET.${s}`,
        `$JS.API.DIRECT.GET.${s}`,
        `$JS.API.DIRECT.GET.${s}.>`,
        // Ordered (ephemeral) consumers of the stream: older servers' and newer servers' create subjects.
        `$JS.API.CONSUMER.CREATE.${s}`,
        `$JS.API.CONSUMER.CREATE.${s}.>`,
        `$JS.API.CONSUMER.INFO.${s}.>`,
        `$JS.API.CONSUMER.DELETE.${s}.>`,
        `$JS.API.CONSUMER.MSG.NEXT.${s}.>`,
      ],
    },
    subscribe: { allow: [`${p}.beacon`, `${p}.history.${nodeId}`, `${nodeInboxPrefix(nodeId)}.>`] },
    allow_responses: true,
  };
}
