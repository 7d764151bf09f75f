/**
 * consistency/bundle-*: history consistency bundles between blocks of the ledger, verified against
 * pinned node keys. Each mutation names the checks it must fail; generation stops if the verifier
 * says otherwise.
 */
import type { ConsistencyBundle } from "../../consistency.js";
import { nodeSuite } from "../../node-crypto.js";
import type { NodePin } from "../../node-pin.js";
import { add, checkBundle, flipBit, pad, type VectorSet } from "./common.js";
import { bundleOf, intended, pinned, type Ledger } from "./ledger.js";

export function bundleVectors(set: VectorSet, L: Ledger): void {
  const vector = (name: string, desc: string, b: ConsistencyBundle, mustFail: string[], pin: NodePin | null = pinned()) => {
    const expected = intended(`consistency/${name}`, checkBundle(nodeSuite, b, pin), mustFail, pin);
    add(set, "consistency", name, { desc, kind: "bundle", pinned: pin, bundle: b, expected });
  };
  for (const [from, to] of [[3, 7], [0, 7], [6, 7], [5, 5]]) vector(`bundle-${pad(from)}-${pad(to)}`, `block ${to} extends the history through block ${from}, each signed by 2 of 3 nodes`, bundleOf(L, from, to), []);

  const subject = bundleOf(L, 3, 7);
  const block4 = bundleOf(L, 4, 7).from;
  const INCLUDED = "block 3 in the history of block 7";
  const mutate = (name: string, desc: string, fn: (b: ConsistencyBundle) => void, mustFail: string[], pin?: NodePin | null) => {
    const b = structuredClone(subject);
    fn(b);
    vector(`bundle-03-07-${name}`, `block 7 extends block 3: ${desc}`, b, mustFail, pin);
  };
  subject.proof.forEach((_, i) => mutate(`flip-proof${i}`, `lowest bit of byte 0 of proof[${i}] flipped`, (b) => (b.proof[i] = flipBit(b.proof[i])), ["history consistency"]));
  subject.fromInclusion.forEach((_, i) =>
    mutate(`flip-from-inclusion${i}`, `lowest bit of byte 0 of fromInclusion[${i}] flipped`, (b) => (b.fromInclusion[i] = flipBit(b.fromInclusion[i])), [INCLUDED]),
  );
  mutate("from-header-time", "block 3's header time one ms later", (b) => (b.from.header.time += 1), ["block hashes"]);
  mutate("from-history-root", "a bit of block 3's historyRoot flipped", (b) => (b.from.header.historyRoot = flipBit(b.from.header.historyRoot)), ["block hashes", "history consistency"]);
  mutate("to-history-root", "a bit of block 7's historyRoot flipped", (b) => (b.to.header.historyRoot = flipBit(b.to.header.historyRoot)), ["block hashes", "history consistency", INCLUDED]);
  mutate("from-block-swapped", "block 3 swapped for block 4 (genuine, signed) but the proofs kept", (b) => (b.from = block4), ["history consistency", "block 4 in the history of block 7"]);
  mutate("from-below-quorum", "only n1's signature on block 3", (b) => (b.from.signatures = b.from.signatures.filter((s) => s.signer === "n1")), ["from block signatures"]);
  mutate("to-below-quorum", "only n2's signature on block 7", (b) => (b.to.signatures = b.to.signatures.filter((s) => s.signer === "n2")), ["to block signatures"]);
  mutate("swapped-node-key", "n2 and n3 pinned to each other's key: n2's signatures no longer count", () => undefined, ["from block signatures", "to block signatures"], pinned(["n1", "n3", "n2"]));
  mutate(
    "below-quorum-file-claims-one",
    "only n1's signature on block 7, and the bundle's own keys claim quorum 1: the pinned quorum (2) decides",
    (b) => {
      b.to.signatures = b.to.signatures.filter((s) => s.signer === "n1");
      b.keys.quorum = 1;
    },
    ["to block signatures"],
  );
  vector("bundle-03-07-unpinned", "block 7 extends block 3, with no node keys pinned: unanchored, not ok", subject, [], null);
  mutate("swapped-node-keys", "n1 and n2 pinned to each other's key", () => undefined, ["from block signatures", "to block signatures"], pinned(["n2", "n1", "n3"]));
  mutate("chain-renamed", "the bundle's chain id changed", (b) => (b.chain = "other-chain"), ["chain"]);
  mutate("format", "an unknown format", (b) => ((b as { format: string }).format = "cityledger-consistency/v0"), ["format"]);
}
