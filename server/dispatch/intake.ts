/** Incident intake helpers: a new incident's id, and its caller sealed before it reaches the ledger. */
import { randomBytes } from "node:crypto";
import { INCIDENTS_DATASET } from "../../chain/contracts/dispatch";
import type { PortalLedger } from "../ledger/portal-ledger";
import { UnavailableError } from "../errors";
import { sealRecordFields } from "../sharing/service";

/** A new incident id: the day (Shenzhen time) and 8 random hex digits. */
export function newIncidentId(now = Date.now()): string {
  const day = new Date(now + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, "");
  return `inc-${day}-${randomBytes(4).toString("hex")}`;
}

/** The caller sealed for incident `id`; without the incidents dataset's key on this ledger, intake with a caller is refused (never written in clear). */
export async function sealCaller(ledger: PortalLedger, id: string, caller: string) {
  try {
    return (await sealRecordFields(ledger, INCIDENTS_DATASET, id, { caller })).sealed;
  } catch (e) {
    throw new UnavailableError(`报警人信息无法加密，请不填报警人或联系管理员 the caller cannot be sealed on this ledger: ${(e as Error).message}`);
  }
}
