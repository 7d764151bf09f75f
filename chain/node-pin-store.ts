/** The pin a portal hands its browser: its ledger's active node keys and the quorum it runs with (config/ledger). */
import type { NodePin } from "./node-pin.js";
import type { LedgerStore } from "./store/ledger-store.js";

export async function ledgerNodePin(store: LedgerStore): Promise<NodePin> {
  const [nodes, config] = await Promise.all([
    store.records<{ id: string; publicKey: string; status: string }>("node"),
    store.record<{ quorum: number }>("config", "ledger"),
  ]);
  const active = nodes.filter((n) => n.value.status === "active");
  return { nodes: Object.fromEntries(active.map((n) => [n.value.id, n.value.publicKey])), quorum: config?.value.quorum ?? 1 };
}
