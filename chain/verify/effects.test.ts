import { describe, expect, it } from "vitest";
import { writesRoot } from "../engine.js";
import { nodeSuite } from "../node-crypto.js";
import { LedgerIntegrityError } from "../store/ledger-store.js";
import { EffectsAudit } from "./effects.js";

const writes = [
  { ns: "anchor", key: "a1", value: '{"n":1}' },
  { ns: "user", key: "op", value: null },
];
const flat = writes.flatMap((w) => [w.ns, w.key, w.value]);
const rows = (list: [string, string, number][]) =>
  (async function* () {
    for (const [ns, key, seq] of list) yield { ns, key, seq };
  })();

describe("the auditor's effects check", () => {
  it("accepts a block's writes that hash to its writes root and refuses any other", () => {
    const root = writesRoot(nodeSuite.hasher, writes);
    const audit = new EffectsAudit(nodeSuite.hasher);
    expect(() => audit.apply({ height: 3, writesRoot: root, writes: flat, touches: [7, "anchor", "a1", 8, "user", "op"] })).not.toThrow();
    const changed = [...flat];
    changed[2] = '{"n":2}';
    const err = (() => {
      try {
        audit.apply({ height: 4, writesRoot: root, writes: changed, touches: [9, "anchor", "a1"] });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LedgerIntegrityError);
    expect(err).toMatchObject({ message: "block 4: replay gives a different state writes root", at: { height: 4 } });
  });

  it("matches the stored history run by run and names the first row missing or extra", async () => {
    const root = writesRoot(nodeSuite.hasher, []);
    const audit = () => {
      const a = new EffectsAudit(nodeSuite.hasher);
      a.apply({ height: 1, writesRoot: root, writes: [], touches: [1, "user", "op", 2, "anchor", "a1", 3, "user", "op"] });
      return a;
    };
    const inKeyOrder: [string, string, number][] = [["anchor", "a1", 2], ["user", "op", 1], ["user", "op", 3]];
    // In commit order (as the heap holds them), or out of it (then matched again in key order).
    await expect(audit().compare(rows([["user", "op", 1], ["anchor", "a1", 2], ["user", "op", 3]]), () => rows(inKeyOrder))).resolves.toBe(3);
    await expect(audit().compare(rows([["user", "op", 3], ["anchor", "a1", 2], ["user", "op", 1]]), () => rows(inKeyOrder))).resolves.toBe(3);
    // A row too many, whichever order: the key-ordered pass names it.
    const extra: [string, string, number][] = [["anchor", "a1", 2], ["anchor", "a1", 2], ["user", "op", 1], ["user", "op", 3]];
    await expect(audit().compare(rows([["user", "op", 1], ["anchor", "a1", 2], ["user", "op", 3], ["anchor", "a1", 2]]), () => rows(extra))).rejects.toThrow(/\(#2, anchor, a1\) does not match the replay/);
    const stray = () => rows([["user", "x", 1]]);
    await expect(new EffectsAudit(nodeSuite.hasher).compare(stray(), stray)).rejects.toThrow(/\(#1, user, x\) does not match the replay/);
    const partial = new EffectsAudit(nodeSuite.hasher);
    partial.apply({ height: 1, writesRoot: root, writes: [], touches: [1, "user", "op", 3, "user", "op"] });
    const one = () => rows([["user", "op", 1]]);
    await expect(partial.compare(one(), one)).rejects.toThrow(/ledger_touches row \(#3, user, op\) is missing/);
  });
});
