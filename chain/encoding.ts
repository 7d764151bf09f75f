/**
 * Canonical JSON (RFC 8785 subset): object keys sorted by UTF-16 code units, no whitespace,
 * ECMAScript number and string serialisation. Every hash in the ledger is over these bytes,
 * so two nodes that agree on a value agree on its hash.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * @returns the canonical string of `value`.
 * @throws TypeError for values JSON cannot carry exactly: undefined, functions, bigint,
 *   non-finite numbers, non-plain objects (Date, Map, Uint8Array, ...).
 */
export function canonicalize(value: unknown): string {
  // Most values are built with their keys in order: then the native encoder writes the same text.
  if (isPlainJson(value, 64, true)) return JSON.stringify(value);
  try {
    return write(value);
  } catch (e) {
    if (e instanceof Unencodable) throw new TypeError(`canonical JSON: ${e.what} at $${e.path.reverse().join("")}`);
    throw e;
  }
}

/** Raised deep inside write(); each level adds its path segment on the way out (no path strings on the hot path). */
class Unencodable {
  readonly path: string[] = [];
  constructor(readonly what: string) {}
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify of a string, skipping the call for the common plain ASCII key/value. */
export function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/**
 * Whether `v` is plain JSON, at most `maxDepth` levels deep: strings, finite numbers, booleans, null,
 * arrays and plain objects, nothing undefined, no function or other value JSON cannot carry. With
 * `canonicalOrder`, also no array holes and every object's own keys in sorted order: then
 * JSON.stringify writes exactly write()'s text. A walk, no allocation.
 */
export function isPlainJson(v: unknown, maxDepth: number, canonicalOrder = false, depth = 0): boolean {
  if (depth > maxDepth) return false;
  switch (typeof v) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(v);
    case "object": {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          // A hole is skipped by a plain check (as every() does); JSON.stringify writes null where write() refuses.
          if (x === undefined) {
            if (canonicalOrder || i in v) return false;
            continue;
          }
          if (!isPlainJson(x, maxDepth, canonicalOrder, depth + 1)) return false;
        }
        return true;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      let prev: string | null = null;
      for (const k in v) {
        if (canonicalOrder) {
          if (!Object.hasOwn(v, k) || (prev !== null && !(prev < k))) return false;
          prev = k;
        }
        // undefined is skipped by both encoders, but such records are not plain JSON (write() takes them).
        if (!isPlainJson((v as Record<string, unknown>)[k], maxDepth, canonicalOrder, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

function write(v: unknown): string {
  switch (typeof v) {
    case "string":
      return quote(v);
    case "boolean":
      return v ? "true" : "false";
    case "number":
      if (!Number.isFinite(v)) throw new Unencodable("non-finite number");
      return JSON.stringify(v);
    case "object": {
      if (v === null) return "null";
      if (Array.isArray(v)) {
        let out = "[";
        for (let i = 0; i < v.length; i++) {
          try {
            out += (i ? "," : "") + write(v[i]);
          } catch (e) {
            if (e instanceof Unencodable) e.path.push(`[${i}]`);
            throw e;
          }
        }
        return out + "]";
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw new Unencodable(`unsupported object ${proto?.constructor?.name ?? "?"}`);
      const keys = Object.keys(v).sort();
      let out = "{";
      let first = true;
      for (const k of keys) {
        const item = (v as Record<string, unknown>)[k];
        if (item === undefined) continue; // like JSON.stringify: absent and undefined are the same record
        try {
          out += (first ? "" : ",") + quote(k) + ":" + write(item);
        } catch (e) {
          if (e instanceof Unencodable) e.path.push(`.${k}`);
          throw e;
        }
        first = false;
      }
      return out + "}";
    }
    default:
      throw new Unencodable(`unsupported ${typeof v}`);
  }
}

/**
 * Whether two JSON values are the same record, as their canonical texts would say (key order and
 * keys holding `undefined` do not count), without encoding either: the auditor compares every stored
 * projection row this way.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k of Object.keys(x)) {
    if (x[k] === undefined) continue;
    if (!Object.hasOwn(y, k) || !jsonEqual(x[k], y[k])) return false;
    n++;
  }
  for (const k of Object.keys(y)) if (y[k] !== undefined) n--;
  return n === 0;
}

/**
 * Whether `text` is the canonical encoding of `value`, where `value` is what JSON.parse made of it.
 * Such a value has its keys in the text's order, so when the text is canonical JSON.stringify (native)
 * reproduces it and every object's keys come sorted; integer-like keys, which JSON.parse reorders,
 * fall back to encoding.
 */
export function isCanonicalText(value: unknown, text: string): boolean {
  return JSON.stringify(value) === text ? keysSorted(value) : canonicalize(value) === text;
}

function keysSorted(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (!keysSorted(x)) return false;
    return true;
  }
  let prev: string | null = null;
  for (const k in v) {
    if (prev !== null && !(prev < k)) return false;
    if (!keysSorted((v as Record<string, unknown>)[k])) return false;
    prev = k;
  }
  return true;
}

/** Parses canonical JSON and checks that it is canonical (re-encoding gives the same string). */
export function parseCanonical(text: string): Json {
  const value = JSON.parse(text) as Json;
  if (!isCanonicalText(value, text)) throw new TypeError("not canonical JSON");
  return value;
}
