/**
 * The process's ledger: the one database and LedgerNode (opened, migrated and, when empty, seeded
 * on first use), shared through globalThis. See app.ts (start-up) and config.ts (configuration).
 */
import type { PortalLedger } from "./ledger/portal-ledger";
import { getServices } from "./services";

export { getServices };

export async function getLedger(): Promise<PortalLedger> {
  return (await getServices()).ledger;
}
