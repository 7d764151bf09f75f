/**
 * Transactions and signed batches. A transaction's id is its RFC 6962 leaf hash over canonical
 * bytes; a batch carries one ed25519 signature over many transaction ids, so a department node
 * signs once per batch instead of once per transaction.
 */
import { z } from "zod";
import { concatBytes, fromHex, toHex, utf8 } from "./bytes.js";
import { canonicalize, isPlainJson, type Json } from "./encoding.js";
import { DOMAIN_BATCH, type Hasher } from "./hasher.js";
import type { Signatures } from "./signature.js";

export const HEX32 = /^[0-9a-f]{64}$/;

/** Plain JSON values only (what canonical encoding can carry); a loop, not a recursive zod union, for speed. */
export function isJson(v: unknown): v is Json {
  return isPlainJson(v, 32);
}

const jsonValue = z.custom<Json>((v) => isJson(v), "payload must be plain JSON (no undefined, NaN, dates or nesting deeper than 32)");

const TX_TYPE = /^[a-z][a-z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;

/**
 * Envelope of every transaction. The payload is checked again by the contract of `type`. Keys in
 * canonical (sorted) order: the parsed envelope keeps it, so its canonical text is JSON.stringify's.
 * isPlainEnvelope below must accept nothing this refuses: change them together (tx.test.ts holds them).
 */
export const txBodySchema = z
  .object({
    actor: z.string().min(1).max(128),
    chain: z.string().min(1).max(64),
    dept: z.string().min(1).max(64),
    nonce: z.string().min(8).max(64),
    payload: jsonValue.optional(),
    payloadHash: z.string().regex(HEX32, "payloadHash must be 64 lowercase hex digits").optional(),
    purpose: z.string().max(500).optional(),
    ts: z.number().int().min(0),
    type: z.string().regex(TX_TYPE, "type must look like 'domain.action'"),
    v: z.number().int().min(1).max(1000),
  })
  .strict()
  .refine((b) => (b.payload === undefined) !== (b.payloadHash === undefined), {
    message: "exactly one of payload or payloadHash is required",
  });

export type TxBody = z.infer<typeof txBodySchema>;

const TX_KEYS = new Set(["actor", "chain", "dept", "nonce", "payload", "payloadHash", "purpose", "ts", "type", "v"]);
const isText = (v: unknown, min: number, max: number) => typeof v === "string" && v.length >= min && v.length <= max;

/**
 * Whether a parsed envelope surely passes txBodySchema as it is, checked without the schema: the
 * schema costs ~1.5 µs a transaction, the auditor's largest cost for each stored transaction. It
 * accepts a subset of what the schema accepts (the test holds the two together); whatever it does
 * not accept goes to the schema, which decides and words the error.
 */
export function isPlainEnvelope(v: unknown): v is TxBody {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const b = v as Record<string, unknown>;
  for (const k in b) if (!TX_KEYS.has(k)) return false;
  const { payload, payloadHash, purpose, ts, v: version } = b;
  return (
    isText(b.actor, 1, 128) &&
    isText(b.chain, 1, 64) &&
    isText(b.dept, 1, 64) &&
    isText(b.nonce, 8, 64) &&
    typeof b.type === "string" &&
    TX_TYPE.test(b.type) &&
    typeof ts === "number" &&
    Number.isSafeInteger(ts) &&
    ts >= 0 &&
    typeof version === "number" &&
    Number.isSafeInteger(version) &&
    version >= 1 &&
    version <= 1000 &&
    (purpose === undefined || isText(purpose, 0, 500)) &&
    (payload === undefined ? typeof payloadHash === "string" && HEX32.test(payloadHash) : payloadHash === undefined && isJson(payload))
  );
}

/** A transaction as it travels: its canonical bytes (the signed, hashed form) and its id. */
export interface EncodedTx {
  body: TxBody;
  text: string;
  hash: string;
}

export function encodeTx(hasher: Hasher, body: TxBody): EncodedTx {
  const text = canonicalize(body);
  return { body, text, hash: hashTxText(hasher, text) };
}

/** Recomputes the id of a transaction from its text. */
export function hashTxText(hasher: Hasher, text: string): string {
  return hasher.hashLeafTextHex(text);
}

export interface Batch {
  /** Key id registered on the ledger (ns "key"). */
  signer: string;
  /** Ids of every transaction in the batch, in order, hex. */
  txHashes: string[];
  /** ed25519 signature over batchMessage(), hex. */
  signature: string;
}

/** Bytes a batch signature covers: tag, chain, signer, count, then each 32-byte id. */
export function batchMessage(hasher: Hasher, chain: string, signer: string, txHashes: string[]): Uint8Array {
  const head = utf8(`${chain}\n${signer}\n${txHashes.length}\n`);
  const ids = new Uint8Array(32 * txHashes.length);
  txHashes.forEach((h, i) => ids.set(fromHex(h), 32 * i));
  return hasher.hashTagged(DOMAIN_BATCH, concatBytes(head, ids));
}

export function signBatch(
  hasher: Hasher,
  signatures: Signatures,
  chain: string,
  signer: string,
  secretKey: string,
  txHashes: string[],
): Batch {
  const sig = signatures.sign(secretKey, batchMessage(hasher, chain, signer, txHashes));
  return { signer, txHashes, signature: toHex(sig) };
}

export function verifyBatch(
  hasher: Hasher,
  signatures: Signatures,
  chain: string,
  batch: Batch,
  publicKey: string,
): boolean {
  if (!/^[0-9a-f]{128}$/.test(batch.signature)) return false;
  return signatures.verify(publicKey, batchMessage(hasher, chain, batch.signer, batch.txHashes), fromHex(batch.signature));
}
