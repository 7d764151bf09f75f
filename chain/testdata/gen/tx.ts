/**
 * tx/: transaction envelopes and signed batches (chain/tx.ts, chain/signature.ts). An envelope case
 * gives a body and its canonical text and id, or the first schema error as the node words it; a batch
 * case gives the transactions' texts, the batch, the signer's public key and what a verifier finds.
 * Ids are checked against SHA-256(0x00 || text) computed apart from the code under test.
 */
import { toHex, utf8 } from "../../bytes.js";
import { nodeSuite } from "../../node-crypto.js";
import { batchMessage, encodeTx, hashTxText, signBatch, txBodySchema, verifyBatch, type Batch } from "../../tx.js";
import { refLeafHash } from "./reference.js";
import { add, CHAIN, expectSame, flipBit, T0, testKey, type VectorSet } from "./common.js";

const { hasher, signatures } = nodeSuite;
const fileHash = (n: number) => n.toString(16).padStart(64, "0");
const anchor = (n: number, extra: Record<string, unknown> = {}) => ({ actor: "op", chain: CHAIN, dept: "sz", nonce: `nonce-${String(n).padStart(4, "0")}`, payload: { fileHash: fileHash(n) }, ts: T0 + n, type: "file.anchor", v: 1, ...extra });

const VALID: [name: string, desc: string, body: Record<string, unknown>][] = [
  ["envelope-anchor", "a file anchor with an inline payload", anchor(1)],
  ["envelope-keys-unsorted", "keys in any order: the text is canonical, so the id is the same as for sorted keys", { v: 1, type: "file.anchor", ts: T0 + 1, payload: { fileHash: fileHash(1) }, nonce: "nonce-0001", dept: "sz", chain: CHAIN, actor: "op" }],
  ["envelope-payload-hash", "a payload kept off the ledger, committed to by its hash, with a purpose in Chinese", { actor: "op", chain: CHAIN, dept: "sz", nonce: "nonce-0002", payloadHash: "ab".repeat(32), purpose: "事故核查 accident check", ts: T0, type: "identity.verify", v: 1 }],
  ["envelope-bounds", "at the bounds: 8-character nonce, ts 0, v 1000, empty purpose, null payload", { actor: "a", chain: "c", dept: "d", nonce: "12345678", payload: null, purpose: "", ts: 0, type: "a.b", v: 1000 }],
];

const INVALID: [name: string, desc: string, body: Record<string, unknown>][] = [
  ["envelope-nonce-short", "a nonce of 7 characters", anchor(1, { nonce: "1234567" })],
  ["envelope-both-payloads", "payload and payloadHash together", anchor(1, { payloadHash: "ab".repeat(32) })],
  ["envelope-no-payload", "neither payload nor payloadHash", anchor(1, { payload: undefined })],
  ["envelope-unknown-key", "a key the envelope does not have", anchor(1, { extra: 1 })],
  ["envelope-bad-type", "a type that is not 'domain.action'", anchor(1, { type: "FileAnchor" })],
  ["envelope-payload-hash-upper", "a payloadHash in uppercase hex", { ...anchor(1, { payloadHash: "AB".repeat(32) }), payload: undefined }],
  ["envelope-ts-fraction", "a timestamp that is not an integer", anchor(1, { ts: T0 + 0.5 })],
  ["envelope-ts-negative", "a negative timestamp", anchor(1, { ts: -1 })],
  ["envelope-version-zero", "version 0", anchor(1, { v: 0 })],
  ["envelope-chain-empty", "an empty chain id", anchor(1, { chain: "" })],
  ["envelope-actor-long", "an actor of 129 characters", anchor(1, { actor: "a".repeat(129) })],
];

export function txVectors(set: VectorSet): void {
  for (const [name, desc, body] of VALID) {
    const tx = encodeTx(hasher, txBodySchema.parse(body));
    expectSame(`tx/${name} id`, tx.hash, refLeafHash(toHex(utf8(tx.text))));
    add(set, "tx", name, { desc, kind: "envelope", body, expected: { text: tx.text, id: tx.hash } });
  }
  for (const [name, desc, raw] of INVALID) {
    const body = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
    const r = txBodySchema.safeParse(body);
    if (r.success) throw new Error(`vector tx/${name}: the schema accepts it`);
    const i = r.error.issues[0];
    add(set, "tx", name, { desc, kind: "envelope", body, expected: { error: `${i.path.join(".") || "transaction"}: ${i.message}` } });
  }

  // One batch signed by k.a over three transactions, then that batch with one thing changed at a time.
  const ka = testKey("k.a");
  const kb = testKey("k.b");
  const texts = [1, 2, 3].map((n) => encodeTx(hasher, txBodySchema.parse(anchor(n))).text);
  const ids = texts.map((t) => refLeafHash(toHex(utf8(t))));
  const batch = signBatch(hasher, signatures, CHAIN, "k.a", ka.secretKey, ids);
  const batchCase = (name: string, desc: string, c: { chain?: string; texts?: string[]; batch?: Batch; publicKey?: string; secretKey?: string }, valid: boolean, bytesMatch = true) => {
    const v = { chain: c.chain ?? CHAIN, texts: c.texts ?? texts, batch: c.batch ?? batch, publicKey: c.publicKey ?? ka.publicKey };
    const textIds = v.texts.map((t) => hashTxText(hasher, t));
    const bytesMatchIds = JSON.stringify(textIds) === JSON.stringify(v.batch.txHashes);
    const got = verifyBatch(hasher, signatures, v.chain, v.batch, v.publicKey);
    if (got !== valid || bytesMatchIds !== bytesMatch) throw new Error(`vector tx/${name}: signature ${got}, bytes match ${bytesMatchIds}; expected ${valid}, ${bytesMatch}`);
    const message = toHex(batchMessage(hasher, v.chain, v.batch.signer, v.batch.txHashes));
    add(set, "tx", name, {
      desc,
      kind: "batch",
      ...v,
      ...(c.secretKey ? { secretKey: c.secretKey } : {}),
      expected: { textIds, bytesMatchIds, message, valid },
    });
  };
  batchCase("batch-valid", "three transactions signed once by k.a; the secret key is given so the (deterministic) ed25519 signature can be reproduced", { secretKey: ka.secretKey }, true);
  batchCase("batch-flip-signature-r", "a bit flipped in the signature's first half (R)", { batch: { ...batch, signature: flipBit(batch.signature, 0) } }, false);
  batchCase("batch-flip-signature-s", "a bit flipped in the signature's second half (S)", { batch: { ...batch, signature: flipBit(batch.signature, 40) } }, false);
  batchCase("batch-reordered", "the signed ids in another order", { batch: { ...batch, txHashes: [ids[1], ids[0], ids[2]] }, texts: [texts[1], texts[0], texts[2]] }, false);
  batchCase("batch-dropped-tx", "one signed transaction left out", { batch: { ...batch, txHashes: ids.slice(0, 2) }, texts: texts.slice(0, 2) }, false);
  batchCase("batch-added-tx", "a transaction added that was not signed", { batch: { ...batch, txHashes: [...ids, refLeafHash(toHex(utf8("x")))] }, texts: [...texts, "x"] }, false);
  batchCase("batch-other-chain", "the same batch presented on another chain", { chain: "other-chain" }, false);
  batchCase("batch-renamed-signer", "the signer id changed to k.b, signature kept", { batch: { ...batch, signer: "k.b" }, publicKey: kb.publicKey }, false);
  batchCase("batch-swapped-key", "verified with another key's public key (k.b)", { publicKey: kb.publicKey }, false);
  batchCase("batch-signature-short", "a signature of 63 bytes", { batch: { ...batch, signature: batch.signature.slice(2) } }, false);
  batchCase("batch-signature-not-hex", "a signature that is not lowercase hex", { batch: { ...batch, signature: batch.signature.toUpperCase() } }, false);
  const edited = texts[1].replace('"op"', '"viewer"');
  batchCase("batch-text-edited", "a transaction's text edited after signing: the signature still covers the ids, but the text no longer hashes to its id", { texts: [texts[0], edited, texts[2]] }, true, false);
}
