/** The contract registry: every transaction type the ledger accepts, used by nodes and the auditor alike. */
import { coreContracts } from "./core.js";
import { dispatchContracts } from "./dispatch.js";
import { identityContracts } from "./identity.js";
import { importContract } from "./import.js";
import { sharingContracts } from "./sharing.js";
import { vehicleContracts } from "./vehicles.js";
import type { Contract } from "./types.js";

export type ContractRegistry = ReadonlyMap<string, Contract<unknown>>;

export function buildRegistry(...groups: Contract<any>[][]): ContractRegistry {
  const map = new Map<string, Contract<unknown>>();
  for (const c of groups.flat()) {
    if (map.has(c.type)) throw new Error(`duplicate contract ${c.type}`);
    map.set(c.type, c as Contract<unknown>);
  }
  return map;
}

const domainRegistry = buildRegistry(coreContracts, vehicleContracts, dispatchContracts, sharingContracts, identityContracts);
/** All contracts of CityLedger. Domain modules add theirs here so that `verify` can replay them; registry.import applies rows of the others. */
export const defaultRegistry: ContractRegistry = buildRegistry([...domainRegistry.values()], [importContract(domainRegistry) as Contract<unknown>]);
