import { describe, expect, it } from "vitest";
import { isPlainEnvelope, txBodySchema } from "./tx.js";

const hex = (n: number) => n.toString(16).padStart(64, "0");
const bases: Record<string, unknown>[] = [
  { actor: "op", chain: "c", dept: "tp", nonce: "0123456789abcdef01234567", payload: { fileHash: hex(1) }, ts: 1_700_000_000_000, type: "file.anchor", v: 1 },
  { actor: "system", chain: "shenzhen-gov", dept: "sz", nonce: "n".repeat(64), payloadHash: hex(2), purpose: "核查", ts: 0, type: "identity.verify", v: 1000 },
  { actor: "a".repeat(128), chain: "c".repeat(64), dept: "d".repeat(64), nonce: "12345678", payload: [1, "x", null, { a: [true] }], purpose: "", ts: 5, type: "a.b.cD9", v: 2 },
  { actor: "u", chain: "c", dept: "d", nonce: "12345678", payload: null, ts: 1, type: "x.y", v: 1 },
];
let deep: unknown = 1;
for (let i = 0; i < 40; i++) deep = { d: deep };
const values: unknown[] = [undefined, null, true, 0, -1, 1, 1000, 1001, 1.5, 1e21, 2 ** 53, -0, "", "x", "1234567", "12345678", "x".repeat(64), "x".repeat(65), "x".repeat(128), "x".repeat(129), "x".repeat(500), "x".repeat(501), "é", hex(3), hex(3).toUpperCase(), "file.anchor", "File.anchor", "file", "file.Anchor", "file.aNchor", "a.b.c", "1a.b", "a..b", {}, [], { fileHash: hex(4) }, deep, [deep]];

/** Every base with each key changed to each value, removed, or an unknown key added. */
function* candidates(): Generator<unknown> {
  yield* [null, [], "x", 1];
  for (const base of bases) {
    yield base;
    for (const key of [...Object.keys(base), "payload", "payloadHash", "purpose", "extra", "__proto__"]) {
      for (const value of values) {
        // JSON.parse makes "__proto__" an own key, as a stored text would.
        const b = JSON.parse(JSON.stringify(base));
        if (value === undefined) delete b[key];
        else if (key === "__proto__") Object.defineProperty(b, key, { value, enumerable: true, configurable: true, writable: true });
        else b[key] = value;
        yield b;
      }
    }
  }
}

describe("the envelope's fast check", () => {
  it("accepts only envelopes the schema accepts unchanged, and every ordinary one", () => {
    let accepted = 0;
    let refused = 0;
    for (const b of candidates()) {
      const schema = txBodySchema.safeParse(b);
      if (isPlainEnvelope(b)) {
        accepted++;
        expect(schema.success, JSON.stringify(b)?.slice(0, 200)).toBe(true);
        expect(schema.data).toEqual(b);
      } else refused++;
    }
    for (const b of bases) expect(isPlainEnvelope(b)).toBe(true);
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });
});
