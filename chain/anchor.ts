/**
 * Off-chain files: the file stays where it is (object store, disk); its SHA-256 goes on the ledger
 * in a file.anchor transaction. Plain SHA-256 of the bytes, so anyone can recompute it with
 * `sha256sum`.
 */
import { toHex } from "./bytes.js";
import type { Hasher } from "./hasher.js";
import type { LedgerStore } from "./store/ledger-store.js";

export function fileHash(hasher: Hasher, bytes: Uint8Array): string {
  return toHex(hasher.digest(bytes));
}

export interface AnchorRecord {
  fileHash: string;
  name?: string;
  size?: number;
  mime?: string;
  ref?: string;
  dept: string;
  actor: string;
  seq: number;
  time: number;
}

/** The anchor of these exact bytes, or null when they were never anchored (or were changed). */
export async function findAnchor(store: LedgerStore, hasher: Hasher, bytes: Uint8Array): Promise<AnchorRecord | null> {
  const rec = await store.record<AnchorRecord>("anchor", fileHash(hasher, bytes));
  return rec?.value ?? null;
}
