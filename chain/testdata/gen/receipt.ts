/**
 * receipt/: receipts of block 2's transactions (seven in three batches) and of block 3's one, verified
 * against pinned node keys. Each mutation names the checks it must fail; generation stops if the
 * verifier says otherwise.
 */
import { nodeSuite } from "../../node-crypto.js";
import type { Receipt } from "../../receipt.js";
import { signBatch } from "../../tx.js";
import type { NodePin } from "../../node-pin.js";
import { add, checkReceipt, flipBit, testKey, type VectorSet } from "./common.js";
import { intended, pinned, receiptOf, type Ledger } from "./ledger.js";

const { hasher, signatures } = nodeSuite;

export function receiptVectors(set: VectorSet, L: Ledger): void {
  const subject = receiptOf(L, 2, 3);
  const other = receiptOf(L, 3, 0);

  const vector = (name: string, desc: string, r: Receipt, mustFail: string[], pin: NodePin | null = pinned()) => {
    const expected = intended(`receipt/${name}`, checkReceipt(nodeSuite, r, pin), mustFail, pin);
    add(set, "receipt", name, { desc, pinned: pin, receipt: r, expected });
  };
  const mutate = (name: string, desc: string, fn: (r: Receipt) => void, mustFail: string[], pin?: NodePin | null) => {
    const r = structuredClone(subject);
    fn(r);
    vector(name, `transaction 3 of 7 in block 2 (k.b's batch): ${desc}`, r, mustFail, pin);
  };

  vector("valid", "transaction 3 of the 7 in block 2 (first of k.b's batch), signed by 2 of 3 nodes, quorum 2", subject, []);
  vector("valid-first", "transaction 0 of 7 (k.a's batch)", receiptOf(L, 2, 0), []);
  vector("valid-last", "transaction 6 of 7 (the system key's batch)", receiptOf(L, 2, 6), []);
  vector("valid-single-tx-block", "the only transaction of block 3 (an empty inclusion path)", other, []);
  mutate("valid-third-signature-invalid", "a third, invalid node signature (n3) added: two valid still make the quorum", (r) => r.block.signatures.push({ signer: "n3", signature: flipBit(r.block.signatures[0].signature) }), []);

  // The transaction (the proof's leaf).
  mutate("wrong-tx-text", "the transaction's text edited (actor op -> viewer)", (r) => (r.tx.text = r.tx.text.replace('"op"', '"viewer"')), ["transaction hash"]);
  const sibling = receiptOf(L, 2, 4);
  mutate("wrong-leaf", "the leaf swapped for transaction 4 (same batch), proof kept", (r) => (r.tx = { ...sibling.tx, seq: r.tx.seq }), ["inclusion proof"]);
  const first = receiptOf(L, 2, 0);
  mutate("wrong-leaf-other-batch", "the leaf swapped for transaction 0 (k.a's batch), proof kept", (r) => (r.tx = { ...first.tx, seq: r.tx.seq }), ["batch contains transaction", "inclusion proof"]);

  // The inclusion proof.
  subject.proof.path.forEach((_, i) => mutate(`flip-path${i}`, `lowest bit of byte 0 of proof.path[${i}] flipped`, (r) => (r.proof.path[i] = flipBit(r.proof.path[i])), ["inclusion proof"]));
  mutate("wrong-size", "proof size 8 claimed (the block has 7)", (r) => (r.proof.size = 8), ["inclusion proof"]);
  mutate(
    "wrong-size-and-header",
    "proof size and the header's txCount both 8: the path verifies at size 8 too (same shape), so only the signed header's hash catches it",
    (r) => (r.proof.size = r.block.header.txCount = 8),
    ["block hash"],
  );
  mutate("wrong-index", "proof index 2 claimed", (r) => (r.proof.index = 2), ["inclusion proof", "transaction sequence"]);
  mutate("wrong-index-and-seq", "proof index 2 and seq one lower", (r) => ((r.proof.index = 2), (r.tx.seq -= 1)), ["inclusion proof"]);
  mutate("wrong-seq", "seq one higher", (r) => (r.tx.seq += 1), ["transaction sequence"]);

  // The batch and its signer key.
  mutate("flip-batch-signature", "lowest bit of byte 0 of the batch signature flipped", (r) => (r.batch.signature = flipBit(r.batch.signature)), ["batch signature"]);
  mutate("batch-tx-dropped", "the batch's other transaction removed from its signed ids", (r) => (r.batch.txHashes = r.batch.txHashes.slice(0, 1)), ["batch signature"]);
  mutate("swapped-signer-key", "the signer's public key swapped for k.a's", (r) => (r.keys.signer!.publicKey = testKey("k.a").publicKey), ["batch signature", "signer key in block"]);
  const attacker = testKey("attacker");
  mutate(
    "swapped-signer-key-resigned",
    "the signer's key swapped for an attacker's, who re-signs the batch: the signer proof shows the block committed to another key",
    (r) => {
      r.keys.signer!.publicKey = attacker.publicKey;
      r.batch = signBatch(hasher, signatures, r.chain, r.batch.signer, attacker.secretKey, r.batch.txHashes);
    },
    ["signer key in block"],
  );
  mutate(
    "swapped-signer-key-resigned-leaf",
    "as swapped-signer-key-resigned, and the signer proof's leaf carries the attacker's key too: it no longer leads to signersRoot",
    (r) => {
      r.keys.signer!.publicKey = r.signerProof!.leaf.publicKey = attacker.publicKey;
      r.batch = signBatch(hasher, signatures, r.chain, r.batch.signer, attacker.secretKey, r.batch.txHashes);
    },
    ["signer key in block"],
  );
  mutate("signer-id-swapped", "the signer entry swapped for k.a's (id and key)", (r) => (r.keys.signer = { id: "k.a", publicKey: testKey("k.a").publicKey, dept: "sz" }), ["batch signature", "signer key in block"]);
  subject.signerProof!.path.forEach((_, i) =>
    mutate(`flip-signer-path${i}`, `lowest bit of byte 0 of signerProof.path[${i}] flipped`, (r) => (r.signerProof!.path[i] = flipBit(r.signerProof!.path[i])), ["signer key in block"]),
  );
  mutate("signer-proof-wrong-size", "signer proof size 2 claimed (3 keys): the path is too long for it", (r) => (r.signerProof!.size = 2), ["signer key in block"]);
  mutate(
    "signer-proof-other-size-passes",
    "signer proof size 4 claimed (3 keys): same path shape, so it still leads to signersRoot, and the key is in the block's set all the same (size and index only say where)",
    (r) => (r.signerProof!.size = 4),
    [],
  );
  mutate("signer-proof-missing", "no signer proof", (r) => (r.signerProof = null), ["signer key in block"]);

  // The block and its node signatures.
  mutate("header-time", "the header's time one ms later", (r) => (r.block.header.time += 1), ["block hash"]);
  mutate("header-tx-root", "a bit of the header's txRoot flipped", (r) => (r.block.header.txRoot = flipBit(r.block.header.txRoot)), ["inclusion proof", "block hash"]);
  mutate("header-signers-root", "a bit of the header's signersRoot flipped", (r) => (r.block.header.signersRoot = flipBit(r.block.header.signersRoot)), ["signer key in block", "block hash"]);
  mutate("block-hash-swapped", "the block hash swapped for block 3's, header and signatures kept", (r) => (r.block.hash = other.block.hash), ["block hash", "node signatures"]);
  mutate("block-swapped", "the whole block (header, hash, signatures: all genuine) swapped for block 3", (r) => (r.block = other.block), ["signer key in block", "inclusion proof", "transaction sequence"]);
  mutate("swapped-node-key", "n2 and n3 pinned to each other's key: n2's signature no longer counts", () => undefined, ["node signatures"], pinned(["n1", "n3", "n2"]));
  mutate("swapped-node-keys", "n1 and n2 pinned to each other's key", () => undefined, ["node signatures"], pinned(["n2", "n1", "n3"]));
  mutate("foreign-node-keys", "nodes pinned to the keys of another ledger", () => undefined, ["node signatures"], pinned(["x1", "x2", "x3"]));
  mutate("below-quorum", "only n1's signature (1 of quorum 2)", (r) => (r.block.signatures = r.block.signatures.filter((s) => s.signer === "n1")), ["node signatures"]);
  mutate(
    "below-quorum-file-claims-one",
    "only n1's signature, and the receipt's own keys claim quorum 1: the pinned quorum (2) decides, never the file's",
    (r) => {
      r.block.signatures = r.block.signatures.filter((s) => s.signer === "n1");
      r.keys.quorum = 1;
    },
    ["node signatures"],
  );
  mutate("pinned-quorum-three", "both signatures valid, but the verifier pins quorum 3", () => undefined, ["node signatures"], { ...pinned(), quorum: 3 });
  vector("unpinned", "the valid receipt with no node keys pinned: every check passes on the receipt's own keys, but it is unanchored, not ok", subject, [], null);
  mutate("below-quorum-duplicate", "n1's signature twice: one node counts once", (r) => (r.block.signatures = [r.block.signatures[0], r.block.signatures[0]]), ["node signatures"]);
  mutate("below-quorum-relabelled", "n1's signature also listed as n2's", (r) => (r.block.signatures = [r.block.signatures[0], { ...r.block.signatures[0], signer: "n2" }]), ["node signatures"]);
  mutate("chain-renamed", "the receipt's chain id changed", (r) => (r.chain = "other-chain"), ["transaction chain", "batch signature"]);
  mutate("format", "an unknown format", (r) => ((r as { format: string }).format = "cityledger-receipt/v0"), ["format"]);
}
