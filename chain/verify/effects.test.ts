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

describe("the auditor's effects check", () => {
  it("accepts a block's writes that hash to its writes root and refuses any other", () => {
    const root = writesRoot(nodeSuite.hasher, writes);
    const audit = new EffectsAudit(nodeSuite.hasher);
    expect(() => audit.apply({ height: 3, writesRoot: root, writes: flat })).not.toThrow();
    const changed = [...flat];
    changed[2] = '{"n":2}';
    const err = (() => {
      try {
        audit.apply({ height: 4, writesRoot: root, writes: changed });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LedgerIntegrityError);
    expect(err).toMatchObject({ message: "block 4: replay gives a different state writes root", at: { height: 4 } });
  });
});
