/** What every vector builder shares: the file map, fixed test keys, error wording and bit flips. */
import { createHash } from "node:crypto";
import type { CheckReport } from "../../check-list.js";
import { verifyConsistencyBundle, type ConsistencyBundle } from "../../consistency.js";
import type { NodePin } from "../../node-pin.js";
import { verifyReceipt, type Receipt } from "../../receipt.js";
import { publicKeyOf, type CryptoSuite, type KeyPair } from "../../signature.js";

/** The chain id and start time (2026-01-01T00:00:00Z) of every vector transaction and block. */
export const CHAIN = "vectors";
export const T0 = 1_767_225_600_000;

export const pad = (n: number) => String(n).padStart(2, "0");

export interface Vector {
  desc: string;
  [field: string]: unknown;
}

/** Vectors by path under chain/testdata, e.g. "inclusion/size07-index5.json". */
export type VectorSet = Map<string, Vector>;

export function add(set: VectorSet, folder: string, name: string, v: Vector): void {
  const path = `${folder}/${name}.json`;
  if (set.has(path)) throw new Error(`vector ${path} made twice`);
  set.set(path, v);
}

/** A fixed ed25519 key per name: the seed is SHA-256 of the name, so regenerating gives the same signatures. */
export function testKey(name: string): KeyPair {
  const secretKey = createHash("sha256").update(`cityledger/testdata/${name}`).digest("hex");
  return { secretKey, publicKey: publicKeyOf(secretKey) };
}

/** How a vector spells an expected error: the error's name and message. */
export const errorText = (e: unknown): string => `${(e as Error).name}: ${(e as Error).message}`;

/** The error `fn` throws; generation stops if it throws none (a mutation that passes is a bug to look at, not a vector). */
export function mustThrow(what: string, fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return errorText(e);
  }
  throw new Error(`vector ${what}: expected an error, got none`);
}

/** Asserts a generator-time expectation (the vectors must say what the spec says, not only what the code does). */
export function expectSame(what: string, got: unknown, want: unknown): void {
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`vector ${what}: code gives ${JSON.stringify(got)}, reference ${JSON.stringify(want)}`);
}

/** `hex` with the lowest bit of its byte `byte` flipped. */
export function flipBit(hex: string, byte = 0): string {
  const i = 2 * byte + 1;
  return hex.slice(0, i) + (parseInt(hex[i], 16) ^ 1).toString(16) + hex.slice(i + 1);
}

/** How a vector states a receipt's or bundle's verdict: ok, the verdict, and each failing check with why. */
export interface Outcome {
  ok: boolean;
  verdict: CheckReport["verdict"];
  failed: { name: string; detail?: string }[];
}
const outcomeOf = (r: CheckReport): Outcome => ({ ok: r.ok, verdict: r.verdict, failed: r.checks.filter((c) => !c.ok).map((c) => ({ name: c.name, detail: c.detail })) });

// The one place (generator and test) where receipts and bundles are verified: against the node keys
// and quorum a vector pins (null: nothing pinned).
export const checkReceipt = (suite: CryptoSuite, r: Receipt, pin: NodePin | null): Outcome => outcomeOf(verifyReceipt(suite, r, pin));
export const checkBundle = (suite: CryptoSuite, b: ConsistencyBundle, pin: NodePin | null): Outcome => outcomeOf(verifyConsistencyBundle(suite, b, pin));
