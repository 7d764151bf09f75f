/**
 * The verifier's trust anchor for node signatures: node public keys pinned from a channel the verifier
 * trusts, and how many distinct pinned nodes must sign a block. Receipts and consistency proofs carry
 * keys and a quorum of their own (`keys`); those never decide, since whoever holds one stolen node key
 * can write "quorum 1" next to its one signature. Pure and browser-safe.
 */
import { verifyBlockSignature, type BlockSignature } from "./block.js";
import type { Signatures } from "./signature.js";

export interface NodePin {
  /** Node id -> ed25519 public key (64 hex digits). */
  nodes: Record<string, string>;
  /** Distinct pinned nodes whose valid signature a block needs; 1 <= quorum <= number of pinned nodes. */
  quorum: number;
}

/** A strict majority of n nodes: the quorum an older nodes file without one is held to. */
export const majority = (n: number): number => Math.floor(n / 2) + 1;

const isKey = (v: unknown): v is string => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);

/** Checks a pin, throwing a RangeError that says what is wrong; returns a copy safe to index by any id. */
export function checkNodePin(pin: NodePin): NodePin {
  const entries = pin && typeof pin.nodes === "object" && pin.nodes !== null && !Array.isArray(pin.nodes) ? Object.entries(pin.nodes) : null;
  if (!entries) throw new RangeError("固定的节点公钥须为 {节点: 公钥} pinned node keys must be an object {id: publicKey}");
  if (!entries.length) throw new RangeError("没有固定任何节点公钥 no node key is pinned");
  const bad = entries.find(([, pk]) => !isKey(pk));
  if (bad) throw new RangeError(`节点 ${bad[0]} 的公钥不是 64 位十六进制 node ${bad[0]}: public key is not 64 hex digits`);
  if (new Set(entries.map(([, pk]) => pk)).size !== entries.length) throw new RangeError("两个节点固定了同一公钥 two pinned nodes share one public key");
  const q = pin.quorum;
  if (!(Number.isInteger(q) && q >= 1 && q <= entries.length)) {
    throw new RangeError(`法定签名数须为 1 到 ${entries.length} 的整数 the pinned quorum must be an integer from 1 to ${entries.length} (got ${String(q)})`);
  }
  return { nodes: Object.assign(Object.create(null) as Record<string, string>, pin.nodes), quorum: q };
}

/**
 * An auditor's nodes file: `{"nodes": {"id": "hex"}, "quorum": n}`, or the older bare `{"id": "hex"}`,
 * held to a strict majority of its keys.
 */
export function parseNodePin(raw: unknown): NodePin {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new RangeError("节点文件须为 JSON 对象 the nodes file must be a JSON object");
  const o = raw as Record<string, unknown>;
  if (!isBareNodesFile(o)) return checkNodePin({ nodes: o.nodes as Record<string, string>, quorum: o.quorum as number });
  return checkNodePin({ nodes: o as Record<string, string>, quorum: majority(Object.keys(o).length) });
}

/** Whether a nodes file is the older bare `{"id": "hex"}` form, which names no quorum. */
export const isBareNodesFile = (raw: object): boolean => !("nodes" in raw || "quorum" in raw);

/**
 * The node-signature check receipts and consistency proofs share: true once `quorum` distinct
 * nodes of `keys` signed `blockHash` validly, else why not. `claimed` is the file's own quorum, named
 * in the reason when it asks for less (it is never what decides).
 */
export function quorumSigned(signatures: Signatures, keys: NodePin, blockHash: string, sigs: readonly BlockSignature[], claimed?: number): true | string {
  const valid = new Set<string>();
  for (const s of Array.isArray(sigs) ? sigs : []) {
    if (typeof s?.signer !== "string" || typeof s.signature !== "string" || !Object.hasOwn(keys.nodes, s.signer)) continue;
    if (verifyBlockSignature(signatures, keys.nodes[s.signer], blockHash, s)) valid.add(s.signer);
  }
  if (valid.size >= keys.quorum) return true;
  const note = typeof claimed === "number" && claimed < keys.quorum ? ` (the file claims quorum ${claimed}; not trusted)` : "";
  return `${valid.size} valid signature(s) from distinct pinned nodes, quorum ${keys.quorum}${note}`;
}

/** The keys and quorum a file carries, for its self-consistency check only (a pin must come from elsewhere). */
export function ownKeys(k: { nodes: { id: string; publicKey: string }[]; quorum: number }): NodePin {
  return { nodes: Object.fromEntries(k.nodes.map((n) => [n.id, n.publicKey])), quorum: Math.max(1, k.quorum) };
}
