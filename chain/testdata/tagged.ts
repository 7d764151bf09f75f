/**
 * Values JSON cannot carry, spelled in vector files as one-key objects: {"$undefined": true},
 * {"$number": "NaN"}, {"$bigint": "10"}, {"$date": "<iso>"}, {"$bytes": "<hex>"}, {"$map": []},
 * {"$function": true}, {"$symbol": "x"}, {"$nullProto": {...}}. `revive` turns them into the values
 * they stand for; any other object is kept as it is, with its key order.
 */
const TAGS: Record<string, (arg: unknown) => unknown> = {
  $undefined: () => undefined,
  $number: (a) => Number(a),
  $bigint: (a) => BigInt(a as string),
  $date: (a) => new Date(a as string),
  $bytes: (a) => new Uint8Array(Buffer.from(a as string, "hex")),
  $map: (a) => new Map(a as [unknown, unknown][]),
  $function: () => () => undefined,
  $symbol: (a) => Symbol(a as string),
  $nullProto: (a) => Object.assign(Object.create(null), revive(a)),
};

export function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (typeof v !== "object" || v === null) return v;
  const keys = Object.keys(v);
  if (keys.length === 1 && Object.hasOwn(TAGS, keys[0])) return TAGS[keys[0]]((v as Record<string, unknown>)[keys[0]]);
  const out: Record<string, unknown> = {};
  // defineProperty, not assignment: an own "__proto__" key stays a key.
  for (const k of keys) Object.defineProperty(out, k, { value: revive((v as Record<string, unknown>)[k]), enumerable: true, configurable: true, writable: true });
  return out;
}
