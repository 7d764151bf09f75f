import { describe, expect, it } from "vitest";
import { fromHex, toHex, utf8 } from "./bytes.js";
import { canonicalize, isCanonicalText, isPlainJson, jsonEqual, parseCanonical } from "./encoding.js";
import { nobleHasher } from "./hasher.js";
import { nodeHasher } from "./node-hasher.js";
import { nodeSignatures } from "./node-crypto.js";
import { generateKeyPair, nobleSignatures } from "./signature.js";
import { encodeTx, type TxBody } from "./tx.js";

describe("canonical JSON", () => {
  it("sorts keys, drops whitespace, and round-trips", () => {
    const v = { b: [1, 2.5, "x"], a: { z: null, y: true, 中文: "深圳" }, c: -0.000001 };
    const text = canonicalize(v);
    expect(text).toBe('{"a":{"y":true,"z":null,"中文":"深圳"},"b":[1,2.5,"x"],"c":-0.000001}');
    expect(parseCanonical(text)).toEqual(v);
    expect(canonicalize(JSON.parse(text))).toBe(text);
  });

  it("is independent of insertion order", () => {
    expect(canonicalize({ a: 1, b: 2 })).toBe(canonicalize({ b: 2, a: 1 }));
  });

  it("rejects what JSON cannot carry exactly", () => {
    expect(() => canonicalize({ a: Number.NaN })).toThrow(/non-finite number at \$\.a/);
    expect(() => canonicalize({ a: Infinity })).toThrow(TypeError);
    expect(() => canonicalize({ d: new Date() })).toThrow(/unsupported object Date/);
    expect(() => canonicalize({ n: 1n })).toThrow(/bigint/);
    expect(() => parseCanonical('{"b":1,"a":2}')).toThrow(/not canonical/);
    expect(() => canonicalize({ a: [1, { "b c": [0, Number.NaN] }] })).toThrow(/non-finite number at \$\.a\[1\]\.b c\[1\]$/);
  });

  it("escapes strings and keys exactly as JSON.stringify does", () => {
    const specials = ['"', "\\", "\n", "\u0000", "\u001f", "\u007f", "\u2028", "\ud83d\ude00", "\ud83d", "\ude00x", "深", "a/b", ""];
    const strings = [...specials];
    for (let i = 0; i < 500; i++) {
      let s = "";
      for (let j = 0; j < 6; j++) s += i % 3 ? specials[(i * 7 + j * 13) % specials.length] : String.fromCharCode((i * 31 + j * 977) % 0xffff);
      strings.push(s);
    }
    for (const s of strings) {
      expect(canonicalize(s)).toBe(JSON.stringify(s));
      expect(canonicalize({ [s]: s })).toBe(JSON.stringify({ [s]: s }));
    }
  });

  it("isCanonicalText agrees with re-encoding, integer-like keys, -0 and duplicates included", () => {
    const texts = [
      '{"a":1,"b":[1,2,{"c":null,"d":"x"}]}',
      '{"b":1,"a":2}',
      '{"a":{"y":1,"x":2}}',
      '[{"b":1,"a":2}]',
      '{"10":1,"9":2}', // canonical (code-unit order), but JSON.parse puts 9 first
      '{"9":2,"10":1}',
      '{"1":1,"a":2}',
      '{"a":-0}',
      '{"a":1.0}',
      '{"a":1e21}',
      '{"a":1e+21}',
      '{"a":1,"a":1}',
      '{"a": 1}',
      '{"s":"\\u00e9"}',
      '{"s":"é"}',
      '{"s":"\\ud800"}',
      '{"s":"\\n"}',
      '{"s":"\\u000a"}',
      '{"":1,"a":{}}',
      '{"a":[],"b":{"c":{"d":{"e":[{"g":1,"f":2}]}}}}',
      '"x"',
      "null",
    ];
    for (const t of texts) expect([t, isCanonicalText(JSON.parse(t), t)]).toEqual([t, canonicalize(JSON.parse(t)) === t]);
    expect(isCanonicalText(JSON.parse('{"10":1,"9":2}'), '{"10":1,"9":2}')).toBe(true);
    expect(isCanonicalText(JSON.parse('{"b":1,"a":2}'), '{"b":1,"a":2}')).toBe(false);
  });

  it("writes the same text whether or not the keys come sorted (native and sorting encoders agree)", () => {
    // An independent reference: sort keys by UTF-16 code units, skip undefined members, JSON.stringify leaves.
    const ref = (v: unknown): string => {
      if (Array.isArray(v)) return `[${Array.from(v, (x) => (x === undefined ? "!" : ref(x))).join(",")}]`;
      if (v && typeof v === "object") {
        const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
        return `{${keys.map((k) => `${JSON.stringify(k)}:${ref((v as Record<string, unknown>)[k])}`).join(",")}}`;
      }
      return JSON.stringify(v);
    };
    const leaves: unknown[] = [0, -0, 1.5, 1e21, 5e-324, -1e-7, 2 ** 53, "", "深圳", "\ud83d", '"\\\n', true, false, null];
    const keys = ["a", "b", "B", "10", "9", "", "中", "\ud83d\ude00", "\uffff", "aa", "__proto__x"];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const gen = (depth: number): unknown => {
      const r = rnd(depth > 3 ? 2 : 5);
      if (r < 2) return leaves[rnd(leaves.length)];
      if (r === 2) return Array.from({ length: rnd(4) }, () => gen(depth + 1));
      const o: Record<string, unknown> = r === 3 ? {} : Object.create(null);
      const ks = keys.filter(() => rnd(2));
      if (rnd(2)) ks.sort(); // about half the objects come with their keys in order
      for (const k of ks) o[k] = rnd(8) ? gen(depth + 1) : undefined;
      return o;
    };
    for (let i = 0; i < 3000; i++) {
      const v = gen(0);
      expect(canonicalize(v)).toBe(ref(v));
    }
    // What the native encoder would write differently is still refused.
    expect(() => canonicalize({ a: 1, b: [1, undefined] })).toThrow(/unsupported undefined at \$\.b\[1\]/);
    expect(() => canonicalize({ a: 1, toJSON: () => "x" })).toThrow(/unsupported function at \$\.toJSON/);
    expect(() => canonicalize({ a: [1, , 3] })).toThrow(/unsupported undefined/);
    expect(() => canonicalize(Object.assign(Object.create({ inherited: 1 }), { a: 1 }))).toThrow(/unsupported object/);
  });

  it("tells plain JSON, and plain JSON in canonical order, from the rest", () => {
    const deep = (n: number): unknown => (n === 0 ? "x" : [deep(n - 1)]);
    const cases: [unknown, plain: boolean, canonical: boolean][] = [
      [{ a: 1, b: [true, null, "s"] }, true, true],
      [{ b: 1, a: 1 }, true, false],
      [[1, , 3], true, false], // a hole: skipped by the plain check, refused by the canonical one
      [[1, undefined], false, false],
      [{ a: undefined }, false, false],
      [{ a: Number.NaN }, false, false],
      [{ a: () => 1 }, false, false],
      [{ d: new Date(0) }, false, false],
      [Object.create(null), true, true],
      [deep(32), true, true],
      [deep(33), false, true],
      [deep(65), false, false],
    ];
    for (const [v, plain, canonical] of cases) {
      expect(isPlainJson(v, 32), JSON.stringify(v)).toBe(plain);
      expect(isPlainJson(v, 64, true), JSON.stringify(v)).toBe(canonical);
    }
  });

  it("jsonEqual agrees with comparing canonical texts", () => {
    const values: unknown[] = [
      null, true, false, 0, -0, 1, 1.5, "", "1", "a", [], {}, [1, 2], [2, 1], [1, [2]], [[1], 2],
      { a: 1 }, { a: 1, b: undefined }, { b: 2, a: 1 }, { a: 1, b: 2 }, { a: "1" }, { a: [1] }, { a: { b: null } }, { a: { b: false } },
      { a: {} }, { a: [] }, { "": 0 }, JSON.parse('{"__proto__":{"x":1}}'), { ["__proto__"]: 1 }, { constructor: 1 },
    ];
    for (const a of values) for (const b of values) expect(jsonEqual(a, b), `${canonicalize(a)} vs ${canonicalize(b)}`).toBe(canonicalize(a) === canonicalize(b));
  });

  it("hex round-trips and rejects bad input", () => {
    expect(toHex(fromHex("00ff10ab"))).toBe("00ff10ab");
    expect(() => fromHex("abc")).toThrow(TypeError);
    expect(() => fromHex("zz")).toThrow(TypeError);
  });
});

describe("node:crypto and @noble give identical results", () => {
  it("SHA-256", () => {
    for (const s of ["", "abc", "深圳市交通运输局".repeat(50)]) {
      expect(toHex(nodeHasher.digest(utf8(s)))).toBe(toHex(nobleHasher.digest(utf8(s))));
      // The string fast path hashes what hashLeaf hashes over the UTF-8 bytes.
      expect(toHex(nodeHasher.hashLeafText(s))).toBe(toHex(nobleHasher.hashLeaf(utf8(s))));
      expect(nodeHasher.hashLeafTextHex(s)).toBe(nobleHasher.hashLeafTextHex(s));
    }
  });

  it("ed25519 sign and cross-verify", () => {
    const kp = generateKeyPair();
    const msg = utf8("block 42");
    const a = nodeSignatures.sign(kp.secretKey, msg);
    const b = nobleSignatures.sign(kp.secretKey, msg);
    expect(toHex(a)).toBe(toHex(b));
    expect(nobleSignatures.verify(kp.publicKey, msg, a)).toBe(true);
    expect(nodeSignatures.verify(kp.publicKey, msg, b)).toBe(true);
    const bad = a.slice();
    bad[0] ^= 1;
    expect(nodeSignatures.verify(kp.publicKey, msg, bad)).toBe(false);
    expect(nobleSignatures.verify(kp.publicKey, msg, bad)).toBe(false);
    expect(nodeSignatures.verify(kp.publicKey, utf8("block 43"), a)).toBe(false);
  });

  it("transaction ids are the same on both", () => {
    const body: TxBody = { chain: "c", type: "file.anchor", v: 1, dept: "d", actor: "a", nonce: "n0000001", ts: 1, payload: { fileHash: "ab".repeat(32) } };
    expect(encodeTx(nodeHasher, body).hash).toBe(encodeTx(nobleHasher, body).hash);
    expect(encodeTx(nodeHasher, body).text).toBe(canonicalize(body));
  });
});
