/**
 * The ledger receipt/ and consistency/ bundle vectors come from: built block by block by the chain's own
 * executor over state held in memory (no database: regenerating takes a second, so the test can),
 * from fixed keys, times and nonces, so every regeneration gives the same bytes. Three nodes,
 * quorum 2; block 2 holds seven transactions in three batches, so a receipt's inclusion path (3
 * hashes) and signer proof (2 hashes) are never empty. Receipts and bundles are assembled as the
 * node assembles them (LedgerNode.receipt, loadConsistencyBundle), with buildReceipt and
 * buildConsistencyBundle.
 */
import { fromHex, toHex } from "../../bytes.js";
import { signBlockHash, ZERO_HASH, type BlockSignature } from "../../block.js";
import { buildConsistencyBundle, type ConsistencyBundle } from "../../consistency.js";
import { defaultRegistry } from "../../contracts/index.js";
import type { Json } from "../../encoding.js";
import { BlockExecutor, nonceId, stateId, type BlockPlan, type BlockResult, type StateSource } from "../../engine.js";
import { MerkleTree } from "../../merkle.js";
import { nodeSuite } from "../../node-crypto.js";
import { buildInclusionProof } from "../../proof/build.js";
import { buildReceipt, type Receipt } from "../../receipt.js";
import { signerProof } from "../../signers.js";
import { encodeTx, signBatch, txBodySchema } from "../../tx.js";
import type { NodePin } from "../../node-pin.js";
import { CHAIN, pad, T0, testKey, type Outcome } from "./common.js";

const { hasher, signatures } = nodeSuite;
const NODES = ["n1", "n2", "n3"];
export const QUORUM = 2;
/** Who signs each block: a quorum, not every node. */
const BLOCK_SIGNERS = ["n1", "n2"];
const CREDENTIAL = "scrypt$16384$8$1$" + "0".repeat(32) + "$" + "1".repeat(128);

/** The projection and used nonces, in memory: what the executor reads before each block. */
class MemoryState implements StateSource {
  private readonly values = new Map<string, Json | null>();
  private readonly nonces = new Set<string>();

  async load(keys: [string, string][]): Promise<Map<string, Json | null>> {
    return new Map(keys.map(([ns, key]) => [stateId(ns, key), this.get(ns, key)]));
  }

  async usedNonces(ids: string[]): Promise<Set<string>> {
    return new Set(ids.filter((id) => this.nonces.has(id)));
  }

  get<T = Json>(ns: string, key: string): T | null {
    return (this.values.get(stateId(ns, key)) ?? null) as T | null;
  }

  apply(result: BlockResult): void {
    for (const w of result.writes) this.values.set(stateId(w.ns, w.key), w.value === null ? null : (JSON.parse(w.value) as Json));
    for (const a of result.accepted) this.nonces.add(nonceId(a.body));
  }
}

export interface Ledger {
  blocks: { result: BlockResult; signatures: BlockSignature[] }[];
  /** State after the last block (keys, nodes and config do not change after genesis). */
  state: MemoryState;
}

export async function buildLedger(): Promise<Ledger> {
  const state = new MemoryState();
  const exec = new BlockExecutor(nodeSuite, defaultRegistry);
  const history = new MerkleTree(hasher);
  const L: Ledger = { blocks: [], state };
  let anchors = 0;

  const body = (height: number, i: number, type: string, actor: string, payload: unknown) => ({
    actor,
    chain: CHAIN,
    dept: "sz",
    nonce: `block${pad(height)}-tx${pad(i)}`,
    payload,
    ts: T0 + height * 1000 - 100,
    type,
    v: 1,
  });
  const anchor = (height: number, i: number, actor: string) => body(height, i, "file.anchor", actor, { fileHash: (++anchors).toString(16).padStart(64, "0") });

  const block = async (height: number, batches: [signer: string, bodies: object[]][]) => {
    const tip = L.blocks[height - 1]?.result;
    const plan: BlockPlan = {
      chain: CHAIN,
      height,
      prev: tip?.hash ?? ZERO_HASH,
      time: T0 + height * 1000,
      firstSeq: tip ? tip.header.firstSeq + tip.header.txCount : 0,
      historyRoot: toHex(history.root()),
      proposer: "n1",
      batches: batches.map(([signer, bodies]) => {
        const enc = bodies.map((b) => encodeTx(hasher, txBodySchema.parse(b)));
        return { ...signBatch(hasher, signatures, CHAIN, signer, testKey(signer).secretKey, enc.map((t) => t.hash)), texts: enc.map((t) => t.text) };
      }),
    };
    const result = await exec.execute(plan, state);
    if (result.rejected.length) throw new Error(`vector ledger block ${height}: ${result.rejected[0].error.message}`);
    L.blocks.push({ result, signatures: BLOCK_SIGNERS.map((id) => signBlockHash(signatures, id, testKey(id).secretKey, result.hash)) });
    state.apply(result);
    history.appendLeafHash(fromHex(result.hash));
  };

  await block(0, [
    [
      "sys",
      [
        body(0, 0, "ledger.genesis", "system", {
          chainName: "Vectors",
          quorum: QUORUM,
          nodes: NODES.map((id, i) => ({ id, publicKey: testKey(id).publicKey, region: "shenzhen", name: `Node ${i + 1}` })),
          keys: [
            { id: "sys", publicKey: testKey("sys").publicKey, dept: "sz", kind: "system" },
            { id: "k.a", publicKey: testKey("k.a").publicKey, dept: "sz", kind: "dept" },
            { id: "k.b", publicKey: testKey("k.b").publicKey, dept: "sz", kind: "dept" },
          ],
          root: { id: "sz", name: "深圳市", nameEn: "Shenzhen", kind: "city" },
        }),
      ],
    ],
  ]);
  await block(1, [["sys", [body(1, 0, "user.create", "system", { id: "op", dept: "sz", name: "操作员", role: "operator", clearance: 2, credential: CREDENTIAL })]]]);
  await block(2, [
    ["k.a", [0, 1, 2].map((i) => anchor(2, i, "op"))],
    ["k.b", [3, 4].map((i) => anchor(2, i, "op"))],
    ["sys", [5, 6].map((i) => anchor(2, i, "system"))],
  ]);
  for (let h = 3; h < 8; h++) await block(h, [["k.a", [anchor(h, 0, "op")]]]);
  return L;
}

/** Node keys and quorum as the ledger holds them (genesis). */
function ledgerKeys(L: Ledger): { nodes: { id: string; publicKey: string }[]; quorum: number } {
  const nodes = NODES.map((id) => L.state.get<{ id: string; publicKey: string }>("node", id)!).map((n) => ({ id: n.id, publicKey: n.publicKey }));
  return { nodes, quorum: L.state.get<{ quorum: number }>("config", "ledger")!.quorum };
}

/** The receipt of transaction `idx` of block `height`, assembled as LedgerNode.receipt does from the stored block and the keys as they stand. */
export function receiptOf(L: Ledger, height: number, idx: number): Receipt {
  const { result, signatures: sigs } = L.blocks[height];
  const tx = result.accepted[idx];
  const ids = result.accepted.map((a) => a.hash);
  const tree = new MerkleTree(hasher, ids.map(fromHex));
  const batch = result.batches[tx.batchIdx];
  const signers = result.batches.map((b) => L.state.get<{ id: string; publicKey: string; dept: string }>("key", b.signer)!);
  const key = signers[tx.batchIdx];
  const keys = ledgerKeys(L);
  const r = buildReceipt({
    tx: { hash: tx.hash, seq: tx.seq, text: tx.text },
    batch,
    block: { hash: result.hash, header: result.header, signatures: sigs },
    proof: { index: idx, size: ids.length, path: buildInclusionProof(idx, ids.length, tree.hashRange).map(toHex) },
    signerKey: { id: key.id, publicKey: key.publicKey, dept: key.dept },
    signerProof: signerProof(hasher, signers.map((k) => ({ id: k.id, publicKey: k.publicKey, dept: k.dept, status: "active" })), batch.signer),
    nodes: keys.nodes,
    quorum: keys.quorum,
  });
  return JSON.parse(JSON.stringify(r)) as Receipt;
}

/** The bundle between blocks `from` and `to`, assembled as loadConsistencyBundle does. */
export function bundleOf(L: Ledger, from: number, to: number): ConsistencyBundle {
  const proven = (h: number) => ({ hash: L.blocks[h].result.hash, header: L.blocks[h].result.header, signatures: L.blocks[h].signatures });
  const b = buildConsistencyBundle(hasher, L.blocks.map((x) => x.result.hash), proven(from), proven(to), ledgerKeys(L));
  return JSON.parse(JSON.stringify(b)) as ConsistencyBundle;
}

/** What a verifier pins: node i to the key of `ids[i]` (the right keys by default), and the quorum. */
export const pinned = (ids = NODES): NodePin => ({ nodes: Object.fromEntries(NODES.map((id, i) => [id, testKey(ids[i]).publicKey])), quorum: QUORUM });

/**
 * The verifier's outcome, checked to be the intended one: failing exactly the checks named (by prefix,
 * in order), with verdict "invalid" if any, else "ok" when pinned and "unanchored" when not.
 */
export function intended(what: string, v: Outcome, mustFail: string[], pin: NodePin | null): Outcome {
  const verdict = mustFail.length ? "invalid" : pin ? "ok" : "unanchored";
  const fits = v.verdict === verdict && v.failed.length === mustFail.length && v.failed.every((c, i) => c.name.startsWith(mustFail[i]));
  if (!fits) throw new Error(`vector ${what}: ${v.verdict}, failed ${JSON.stringify(v.failed.map((c) => c.name))}; intended ${verdict}, ${JSON.stringify(mustFail)}`);
  return v;
}
