/**
 * What every ledger auditor promises: read a store, say whether it holds a valid ledger, and if not
 * name the first bad row. Two implement it: the reference auditor (chain/audit/reference.ts: plain,
 * single-threaded, three phases) and the fast one (chain/verify.ts). test/audit-differential.test.ts
 * runs both over every tamper case and requires the same verdict and location.
 */
import type { ContractRegistry } from "../contracts/index.js";
import type { CryptoSuite } from "../signature.js";
import type { LedgerIntegrityError, LedgerStore } from "../store/ledger-store.js";

/** Where a fault is: block height, transaction seq and id, table, projection or history key, batch index. */
export type FaultLocation = LedgerIntegrityError["at"];

export interface AuditReport {
  ok: boolean;
  chain: string | null;
  blocks: number;
  txs: number;
  records: number;
  touches: number;
  headHash: string | null;
  /** Blocks whose valid node signatures are still fewer than the quorum (not yet final). */
  notFinal: number[];
  ms: number;
  error?: { message: string; at: FaultLocation };
}

export interface AuditOptions {
  suite?: CryptoSuite;
  contracts?: ContractRegistry;
  /** A block the ledger must hold, e.g. from a saved receipt: the block at this height must have this hash. */
  pin?: { height: number; hash: string };
  onProgress?: (height: number, txs: number) => void;
}

export type Auditor = (store: LedgerStore, opts?: AuditOptions) => Promise<AuditReport>;
