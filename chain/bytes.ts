/** Byte helpers shared by the ledger: hex, UTF-8 and concatenation. Browser-safe. */

const HEX = "0123456789abcdef";
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

// Node's Buffer does hex natively and much faster; browsers take the loop.
const NodeBuffer = (globalThis as { Buffer?: { from(b: ArrayBufferLike, o?: number, l?: number): { toString(enc: string): string } } }).Buffer;

export function toHex(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return out;
}

/** @throws TypeError when `hex` is not an even-length string of hex digits. */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== "string" || hex.length % 2 !== 0) throw new TypeError(`invalid hex string of length ${String(hex?.length)}`);
  if (NodeBuffer) {
    // Buffer stops decoding at the first pair that is not hex: a short result is the check (no regex on the hot path).
    const b = (NodeBuffer as unknown as { from(s: string, enc: string): Uint8Array }).from(hex, "hex");
    if (b.byteLength * 2 !== hex.length) throw new TypeError(`invalid hex string of length ${hex.length}`);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  if (!/^[0-9a-fA-F]*$/.test(hex)) throw new TypeError(`invalid hex string of length ${hex.length}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export const utf8 = (s: string): Uint8Array => utf8Encoder.encode(s);
export const fromUtf8 = (b: Uint8Array): string => utf8Decoder.decode(b);

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}

export function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
