/** The process's live feed and district index, opened once (globalThis, like the services). */
import type { Services } from "../api/trpc";
import { DistrictIndex } from "./district-index";
import { FleetFeed } from "./fleet-feed";

const g = globalThis as typeof globalThis & { __cityledgerFeed?: FleetFeed; __cityledgerDistricts?: DistrictIndex };

/** The live feed over the services' vehicles, or null when vehicle supervision is not running. */
export function getFleetFeed(services: Services): FleetFeed | null {
  const v = services.vehicles;
  if (!v) return null;
  g.__cityledgerFeed ??= new FleetFeed(v.ingest.live, services.ledger.node, (fn) => v.supervisor.onAlarms(fn));
  return g.__cityledgerFeed;
}

export function getDistrictIndex(): DistrictIndex {
  g.__cityledgerDistricts ??= DistrictIndex.fromFile();
  return g.__cityledgerDistricts;
}
