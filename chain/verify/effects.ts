/**
 * The auditor's check of a replayed block's final writes against its header's writes root, where
 * the replay took the root as given (it runs on the checker's thread when that one has time).
 */
import { writesRoot } from "../engine.js";
import type { Hasher } from "../hasher.js";
import { LedgerIntegrityError } from "../store/ledger-store.js";

/** One replayed block's writes, flat (cheap to build and to post between threads). */
export interface BlockEffects {
  height: number;
  /** The writes root its header claims. */
  writesRoot: string;
  /** [ns, key, canonical value or null for a delete, ...]: each key's final value, in the order of the block's writes. */
  writes: (string | null)[];
}

export class EffectsAudit {
  constructor(private readonly hasher: Hasher) {}

  /** Throws if the block's writes do not hash to the writes root it came with. */
  apply({ height, writesRoot: claimed, writes }: BlockEffects): void {
    const list: { ns: string; key: string; value: string | null }[] = [];
    for (let i = 0; i < writes.length; i += 3) list.push({ ns: writes[i]!, key: writes[i + 1]!, value: writes[i + 2] });
    if (writesRoot(this.hasher, list) !== claimed) throw new LedgerIntegrityError(`block ${height}: replay gives a different state writes root`, { height });
  }
}
