/**
 * Driver registration as the transport bureau writes it: the name and the licence number are
 * personal data, sealed under the `drivers` dataset key (the number with its blind index, so it can
 * be looked up by value), while the licence status stays clear for the trip checks of the contract.
 */
import { DRIVERS_DATASET } from "../../chain/contracts/vehicles";
import type { Committed } from "../../chain/node";
import type { SealedValue } from "../../chain/sealing";
import type { Actor, PortalLedger } from "../ledger/portal-ledger";
import { sealRecordFields } from "../sharing/service";

export interface DriverInput {
  id: string;
  name: string;
  company: string;
  licence: { no: string; status: "valid" | "suspended" | "revoked" | "expired"; expires?: string };
  vehicles: string[];
}

/** Seals a driver's personal fields: what a `driver.register` payload carries instead of them. */
export type DriverSealer = (driver: string, values: { name: string; licenceNo: string }) => Promise<{ sealed: Record<string, SealedValue>; index?: Record<string, string> }>;

/** The sealer of this ledger (the catalogue is registered at start-up, before any driver, so the dataset has its key). */
export function driverSealer(ledger: PortalLedger): DriverSealer {
  return (driver, values) => sealRecordFields(ledger, DRIVERS_DATASET, driver, values);
}

/** The `driver.register` payload: no clear name or licence number. */
export async function driverPayload(seal: DriverSealer, d: DriverInput): Promise<Record<string, unknown>> {
  const { no, ...licence } = d.licence;
  return { id: d.id, company: d.company, licence, vehicles: d.vehicles, ...(await seal(d.id, { name: d.name, licenceNo: no })) };
}

export async function registerDriver(ledger: PortalLedger, actor: Actor, d: DriverInput, purpose = "登记营运驾驶员 register driver"): Promise<Committed> {
  return ledger.submitAs(actor, "driver.register", await driverPayload(driverSealer(ledger), d), purpose);
}
