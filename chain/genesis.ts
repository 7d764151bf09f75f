/** Builds the genesis transaction: chain name, nodes and quorum, the system key and the root department. */
import type { TxInput } from "./node.js";

export interface GenesisSpec {
  chainName: string;
  quorum: number;
  nodes: { id: string; publicKey: string; region: string; name: string }[];
  /** Keys known from the start: the system key (kind "system") and optionally department keys. */
  keys: { id: string; publicKey: string; dept: string; kind: "system" | "dept" }[];
  root: { id: string; name: string; nameEn: string; kind: "city"; region?: string; adcode?: string };
}

export function genesisTx(spec: GenesisSpec): TxInput {
  return { type: "ledger.genesis", dept: spec.root.id, actor: "system", payload: spec as never };
}
