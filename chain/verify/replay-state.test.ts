import { describe, expect, it } from "vitest";
import { NonceSet, nonceId, type BlockResult } from "../engine.js";
import { ReplayState } from "./replay-state.js";

const body = (dept: string, actor: string, nonce: string) => ({ dept, actor, nonce });

describe("the auditor's replay state", () => {
  it("knows each used nonce by department and actor, asked either way", async () => {
    const state = new ReplayState();
    const used = [body("tp", "op", "n-1"), body("tp", "op2", "n-1"), body("tr", "op", "n-2")];
    state.apply({ accepted: used.map((b) => ({ body: b })), writes: [] } as unknown as BlockResult);
    for (const b of used) expect(state.nonceUsed(b)).toBe(true);
    for (const b of [body("tp", "op", "n-2"), body("tr", "op2", "n-1"), body("sz", "op", "n-1")]) expect(state.nonceUsed(b)).toBe(false);
    const ids = [...used, body("tp", "op", "n-3")].map(nonceId);
    expect(await state.usedNonces(ids)).toEqual(new Set(ids.slice(0, 3)));
  });

  it("finds a nonce below, at or above the greatest seen, whatever the order they came in", () => {
    const set = new NonceSet();
    for (const n of ["m", "c", "x", "a"]) set.add(body("tp", "op", n));
    for (const n of ["m", "c", "x", "a"]) expect(set.has(body("tp", "op", n))).toBe(true);
    for (const n of ["b", "d", "w", "xa", "z", ""]) expect(set.has(body("tp", "op", n))).toBe(false);
    expect(set.has(body("tp", "other", "m"))).toBe(false);
    // Rising nonces, as the portal draws them, with some out of order among them.
    const rising = new NonceSet();
    const drawn = Array.from({ length: 2000 }, (_, i) => (1_000_000 + 3 * i).toString(16).padStart(24, "0"));
    for (const n of drawn) rising.add(body("tr", "op", n));
    const late = ["000000000000000000000001", drawn[500].slice(0, 23) + "1"];
    for (const n of late) rising.add(body("tr", "op", n));
    for (const n of [...drawn, ...late]) expect(rising.has(body("tr", "op", n))).toBe(true);
    for (let i = 0; i < drawn.length; i += 37) expect(rising.has(body("tr", "op", (1_000_001 + 3 * i).toString(16).padStart(24, "0")))).toBe(false);
    expect(rising.has(body("tr", "op", "000000000000000000000000"))).toBe(false);
    expect(rising.has(body("tr", "op", "z"))).toBe(false);
  });

  it("reads a record as the block that wrote it last left it, parsed once", () => {
    const state = new ReplayState();
    const write = (value: string | null, seq: number) => state.apply({ accepted: [], writes: [{ ns: "user", key: "op", value, seq }] } as unknown as BlockResult);
    write('{"a":1}', 1);
    const v = state.peek("user", "op");
    expect(v).toEqual({ a: 1 });
    expect(state.peek("user", "op")).toBe(v);
    write("null", 2); // a record may hold JSON null
    expect(state.peek("user", "op")).toBeNull();
    write('{"a":2}', 3);
    expect(state.peek("user", "op")).toEqual({ a: 2 });
    write(null, 4); // deleted
    expect(state.peek("user", "op")).toBeNull();
    expect(state.peek("user", "nobody")).toBeNull();
  });
});
