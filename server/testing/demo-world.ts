/** A seeded portal with the demo traffic world and dispatch units, for tests that read across every dataset. */
import { seedDispatchDemo } from "../dispatch/demo-data";
import { openVehicleServices, type VehicleServices } from "../vehicles/service";
import { createHarness, type Harness } from "./harness";

export async function openDemoWorld(vehicles = 40): Promise<{ h: Harness; vs: VehicleServices }> {
  const h = await createHarness();
  const L = h.services.ledger;
  const vs = await openVehicleServices(L, { demo: true, vehicles, sweepMs: 0 });
  h.services.vehicles = vs;
  await seedDispatchDemo(L.node, L.keystore);
  return { h, vs };
}
