/**
 * Sealing: encryption of sensitive fields under a per-dataset key (AES-256-GCM), and wrapping of that
 * key for each department that may read it (X25519 ECDH with an ephemeral key, HKDF-SHA256, then
 * AES-256-GCM). Only ciphertext and wrapped keys reach the ledger and the database; department secret
 * keys stay in the node's keystore. Every ciphertext is bound by its additional data to where it
 * belongs (dataset, record, field, key version), so it cannot be moved to another record or field.
 */
import { gcm } from "@noble/ciphers/aes.js";
import { randomBytes } from "@noble/ciphers/utils.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, fromBase64, fromHex, fromUtf8, toBase64, toHex, utf8 } from "./bytes.js";

/** Domain-separation labels of the two constructions. */
export const WRAP_INFO = "cityledger/seal/wrap/v1";
export const FIELD_AAD = "cityledger/seal/field/v1";
export const SEALED_ALG = "A256GCM";

export interface SealKeyPair {
  /** X25519 public key, 32 bytes hex. */
  publicKey: string;
  /** X25519 secret key, 32 bytes hex. Never leaves the node. */
  secretKey: string;
}

/** A dataset key wrapped for one department: ephemeral public key, nonce and ciphertext, hex. */
export interface WrappedKey {
  epk: string;
  nonce: string;
  ct: string;
}

/** A sealed field value as stored on the ledger. */
export interface SealedValue {
  $sealed: typeof SEALED_ALG;
  /** Dataset key version that sealed it. */
  v: number;
  /** 12-byte nonce, base64. */
  n: string;
  /** Ciphertext with its 16-byte tag, base64. */
  c: string;
}

export class SealingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealingError";
  }
}

function requireKey(hex: string, what: string): Uint8Array {
  if (typeof hex !== "string" || !/^[0-9a-f]{64}$/.test(hex)) throw new RangeError(`${what} must be 32 bytes of lowercase hex`);
  return fromHex(hex);
}

export function generateSealKeyPair(): SealKeyPair {
  const sk = randomBytes(32);
  return { secretKey: toHex(sk), publicKey: toHex(x25519.getPublicKey(sk)) };
}

export function sealPublicKeyOf(secretKeyHex: string): string {
  return toHex(x25519.getPublicKey(requireKey(secretKeyHex, "secret key")));
}

/** A fresh random 256-bit dataset key, hex. */
export function generateDataKey(): string {
  return toHex(randomBytes(32));
}

function wrapKek(shared: Uint8Array, epk: Uint8Array, recipient: Uint8Array, context: string): Uint8Array {
  return hkdf(sha256, shared, concatBytes(epk, recipient), utf8(`${WRAP_INFO}\u0000${context}`), 32);
}

/**
 * Wraps `dataKeyHex` for the holder of `recipientPublicKeyHex`. `context` (e.g. "dataset/version/dept")
 * is bound into the key derivation and the AEAD: a wrap cannot be replayed under another context.
 * @throws RangeError for a malformed key.
 */
export function wrapDataKey(dataKeyHex: string, recipientPublicKeyHex: string, context: string, ephemeralSecretHex?: string, nonceHex?: string): WrappedKey {
  const dataKey = requireKey(dataKeyHex, "data key");
  const recipient = requireKey(recipientPublicKeyHex, "recipient public key");
  const esk = ephemeralSecretHex ? requireKey(ephemeralSecretHex, "ephemeral key") : randomBytes(32);
  const epk = x25519.getPublicKey(esk);
  const shared = x25519.getSharedSecret(esk, recipient);
  const nonce = nonceHex ? fromHex(nonceHex) : randomBytes(12);
  if (nonce.length !== 12) throw new RangeError(`nonce is ${nonce.length} bytes, want 12`);
  const ct = gcm(wrapKek(shared, epk, recipient, context), nonce, utf8(context)).encrypt(dataKey);
  return { epk: toHex(epk), nonce: toHex(nonce), ct: toHex(ct) };
}

/**
 * Unwraps a dataset key with the recipient's secret key.
 * @throws SealingError when the wrap was not made for this key or context, or was altered.
 */
export function unwrapDataKey(wrap: WrappedKey, recipientSecretHex: string, context: string): string {
  const sk = requireKey(recipientSecretHex, "secret key");
  let epk: Uint8Array, nonce: Uint8Array, ct: Uint8Array;
  try {
    epk = requireKey(wrap.epk, "epk");
    nonce = fromHex(wrap.nonce);
    ct = fromHex(wrap.ct);
  } catch (e) {
    throw new SealingError(`malformed wrapped key: ${(e as Error).message}`);
  }
  const recipient = x25519.getPublicKey(sk);
  const shared = x25519.getSharedSecret(sk, epk);
  try {
    return toHex(gcm(wrapKek(shared, epk, recipient, context), nonce, utf8(context)).decrypt(ct));
  } catch {
    throw new SealingError("wrapped key does not open with this department key (wrong recipient, context or altered)");
  }
}

/** The additional data a field's ciphertext is bound to. */
export function fieldAad(dataset: string, record: string, field: string, version: number): Uint8Array {
  return utf8(`${FIELD_AAD}\u0000${dataset}\u0000${record}\u0000${field}\u0000${version}`);
}

export interface FieldPlace {
  dataset: string;
  record: string;
  field: string;
}

/** Seals one field value (any JSON) under the dataset key of `version`. */
export function sealField(dataKeyHex: string, version: number, place: FieldPlace, value: unknown, nonceHex?: string): SealedValue {
  if (!Number.isInteger(version) || version < 1) throw new RangeError(`key version ${version}, want an integer >= 1`);
  const key = requireKey(dataKeyHex, "data key");
  const nonce = nonceHex ? fromHex(nonceHex) : randomBytes(12);
  const ct = gcm(key, nonce, fieldAad(place.dataset, place.record, place.field, version)).encrypt(utf8(JSON.stringify(value ?? null)));
  return { $sealed: SEALED_ALG, v: version, n: toBase64(nonce), c: toBase64(ct) };
}

/**
 * Opens a sealed field.
 * @throws SealingError when the key, place or ciphertext does not match.
 */
export function openField(dataKeyHex: string, place: FieldPlace, sealed: SealedValue): unknown {
  const key = requireKey(dataKeyHex, "data key");
  try {
    const pt = gcm(key, fromBase64(sealed.n), fieldAad(place.dataset, place.record, place.field, sealed.v)).decrypt(fromBase64(sealed.c));
    return JSON.parse(fromUtf8(pt));
  } catch {
    throw new SealingError(`sealed field ${place.dataset}/${place.record}/${place.field} does not open (wrong key, wrong place or altered)`);
  }
}

export function isSealed(v: unknown): v is SealedValue {
  return !!v && typeof v === "object" && (v as SealedValue).$sealed === SEALED_ALG && typeof (v as SealedValue).c === "string";
}

/** Context string of a dataset key wrap. */
export const wrapContext = (dataset: string, version: number, dept: string) => `${dataset}\u0000${version}\u0000${dept}`;

/** Symmetric sealing of a secret string with a node-held key (used for credentials): "sealed$<nonce>$<ct>" in base64. */
export function sealSecret(keyHex: string, label: string, secret: string, nonceHex?: string): string {
  const nonce = nonceHex ? fromHex(nonceHex) : randomBytes(12);
  const ct = gcm(requireKey(keyHex, "secret key"), nonce, utf8(label)).encrypt(utf8(secret));
  return `sealed$${toBase64(nonce)}$${toBase64(ct)}`;
}

/** @throws SealingError when the text is not sealed under this key and label. */
export function openSecret(keyHex: string, label: string, text: string): string {
  const m = /^sealed\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(text);
  if (!m) throw new SealingError("not a sealed secret");
  try {
    return fromUtf8(gcm(requireKey(keyHex, "secret key"), fromBase64(m[1]), utf8(label)).decrypt(fromBase64(m[2])));
  } catch {
    throw new SealingError("sealed secret does not open with this key");
  }
}

export const BLIND_INDEX_INFO = "cityledger/seal/blind-index/v1";

/**
 * A blind index of a sealed field's value: HMAC-SHA256 under a key derived from the dataset's first
 * key version, truncated to 16 bytes (hex). Equal values give equal indexes, so a holder of the key
 * finds a record by value (an ID number) without the database ever holding the value.
 * `value` is normalised (trimmed, upper-cased) first.
 */
export function blindIndex(firstDataKeyHex: string, dataset: string, field: string, value: string): string {
  const key = hkdf(sha256, requireKey(firstDataKeyHex, "data key"), undefined, utf8(`${BLIND_INDEX_INFO}\u0000${dataset}\u0000${field}`), 32);
  return toHex(hmac(sha256, key, utf8(value.trim().toUpperCase())).subarray(0, 16));
}
