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
  return write(value, "$");
}

function write(v: unknown, path: string): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "boolean":
      return v ? "true" : "false";
    case "number":
      if (!Number.isFinite(v)) throw new TypeError(`canonical JSON: non-finite number at ${path}`);
      return JSON.stringify(v);
    case "object": {
      if (v === null) return "null";
      if (Array.isArray(v)) {
        let out = "[";
        for (let i = 0; i < v.length; i++) out += (i ? "," : "") + write(v[i], `${path}[${i}]`);
        return out + "]";
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`canonical JSON: unsupported object ${proto?.constructor?.name ?? "?"} at ${path}`);
      }
      const keys = Object.keys(v).sort();
      let out = "{";
      let first = true;
      for (const k of keys) {
        const item = (v as Record<string, unknown>)[k];
        if (item === undefined) continue; // like JSON.stringify: absent and undefined are the same record
        out += (first ? "" : ",") + JSON.stringify(k) + ":" + write(item, `${path}.${k}`);
        first = false;
      }
      return out + "}";
    }
    default:
      throw new TypeError(`canonical JSON: unsupported ${typeof v} at ${path}`);
  }
}

/** Parses canonical JSON and checks that it is canonical (re-encoding gives the same string). */
export function parseCanonical(text: string): Json {
  const value = JSON.parse(text) as Json;
  if (canonicalize(value) !== text) throw new TypeError("not canonical JSON");
  return value;
}
