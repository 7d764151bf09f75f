/**
 * Generates the golden vectors under chain/testdata/<folder>/<case>.json from fixed keys, times and
 * nonces: running it again writes the same bytes (vectors.test.ts checks that the files are exactly
 * this script's output). Run: npx tsx chain/testdata/generate.ts
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { canonicalVectors } from "./gen/canonical.js";
import type { VectorSet } from "./gen/common.js";
import { bundleVectors } from "./gen/bundle.js";
import { buildLedger } from "./gen/ledger.js";
import { proofVectors } from "./gen/proofs.js";
import { receiptVectors } from "./gen/receipt.js";
import { txVectors } from "./gen/tx.js";

export const TESTDATA_DIR = dirname(fileURLToPath(import.meta.url));
export const FOLDERS = ["canonical", "tx", "inclusion", "consistency", "receipt", "signers"] as const;

/** Every vector file: path under chain/testdata -> its text. */
export async function generateVectors(): Promise<Map<string, string>> {
  const set: VectorSet = new Map();
  canonicalVectors(set);
  txVectors(set);
  proofVectors(set);
  const ledger = await buildLedger();
  receiptVectors(set, ledger);
  bundleVectors(set, ledger);
  return new Map([...set].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, v]) => [path, JSON.stringify(v, null, 2) + "\n"]));
}

/** Names of the vector files in `folder` on disk, sorted. */
export function vectorFiles(folder: string): string[] {
  return readdirSync(join(TESTDATA_DIR, folder))
    .filter((f) => f.endsWith(".json"))
    .sort();
}

async function main(): Promise<void> {
  const files = await generateVectors();
  for (const folder of FOLDERS) {
    // Cases removed from the generator go too.
    rmSync(join(TESTDATA_DIR, folder), { recursive: true, force: true });
    mkdirSync(join(TESTDATA_DIR, folder));
  }
  for (const [path, text] of files) writeFileSync(join(TESTDATA_DIR, path), text);
  let bytes = 0;
  for (const text of files.values()) bytes += Buffer.byteLength(text);
  console.log(`${files.size} vector files, ${(bytes / 1024).toFixed(0)} KiB, in ${TESTDATA_DIR}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
