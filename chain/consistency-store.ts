/** Builds a history consistency bundle from a stored ledger (server and CLI; the checks in consistency.ts stay browser-safe). */
import { buildConsistencyBundle, type ConsistencyBundle } from "./consistency.js";
import type { Hasher } from "./hasher.js";
import type { LedgerStore } from "./store/ledger-store.js";

export async function loadConsistencyBundle(store: LedgerStore, hasher: Hasher, from: number, to: number): Promise<ConsistencyBundle> {
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to)) throw new RangeError(`need 0 <= from <= to, got ${from}, ${to}`);
  const [a, b, hashes, nodes, config] = await Promise.all([
    store.block(from),
    store.block(to),
    store.blockHashes(),
    store.records<{ id: string; publicKey: string }>("node"),
    store.record<{ quorum: number }>("config", "ledger"),
  ]);
  if (!a || !b) throw new RangeError(`no block at height ${!a ? from : to} (the tip is ${hashes.length - 1})`);
  const proven = (x: NonNullable<typeof a>) => ({ hash: x.hash, header: x.header, signatures: x.signatures });
  return buildConsistencyBundle(hasher, hashes, proven(a), proven(b), {
    nodes: nodes.map((n) => ({ id: n.value.id, publicKey: n.value.publicKey })),
    quorum: config?.value.quorum ?? 1,
  });
}
