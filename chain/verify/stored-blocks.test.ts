import { describe, expect, it } from "vitest";
import { canonicalize } from "../encoding.js";
import type { TxBody } from "../tx.js";
import { fromWire, toWire, type CheckedBlock } from "./stored-blocks.js";

const id = (n: number) => n.toString(16).padStart(64, "0");
const body = (n: number): TxBody => ({ actor: "op", chain: "c", dept: "tp", nonce: `n${n}`, payload: { fileHash: id(n), name: ` f${n} ` }, ts: 1000 + n, type: "file.anchor", v: 1 }) as TxBody;

describe("a checked block posted between threads", () => {
  it("arrives as it left: ids, seqs, batch columns, batches with ids of transactions not stored, payloads the schema changed", () => {
    const bodies = [body(1), body(2), body(3)];
    const b: CheckedBlock = {
      height: 7,
      hash: id(99),
      header: { firstSeq: 40 } as CheckedBlock["header"],
      signatures: [{ signer: "n1", signature: "ab" }],
      batches: [
        { idx: 0, signer: "k.tp", signature: "s1", txHashes: [id(1), id(50), id(2)], at: [0, -1, 1] },
        { idx: 1, signer: "k.tr", signature: "s2", txHashes: [id(51), id(3)], at: [-1, 2] },
      ],
      txs: [
        { seq: 40, hash: id(1), batchIdx: 0 },
        { seq: 41, hash: id(2), batchIdx: 0 },
        { seq: 42, hash: id(3), batchIdx: 1 },
      ],
      // The schema trimmed the second one's name.
      decoded: bodies.map((x, i) => ({ body: x, payload: i === 1 ? { ...(x.payload as object), name: "f2" } : x.payload })),
      texts: bodies.map(canonicalize),
    };
    const wire = toWire(b);
    const back = fromWire(structuredClone(wire));
    const { texts: _, ...sent } = b;
    expect(back).toEqual(sent);
    expect(wire.payloads).toEqual([[1, { fileHash: id(2), name: "f2" }]]);
    expect(wire.batches.map((x) => x.unstored)).toEqual([[id(50)], [id(51)]]);
  });
});
