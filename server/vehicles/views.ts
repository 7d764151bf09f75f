/** How vehicle supervision reads are shown: a registry row with its live position, a track's batches checked against the ledger. */
import type { Guarded } from "../sharing/guard";
import { checkBatch } from "../ingest/pings";
import type { TelemetryIngest } from "../ingest/telemetry-ingest";
import type { PortalLedger } from "../ledger/portal-ledger";
import type { VehicleRow } from "./queries";

/** A registry row as the list shows it: fields by the reader's clearance, the live position when the vehicle reports. */
export function vehicleListRow(r: VehicleRow, g: Guarded, live: TelemetryIngest["live"] | undefined) {
  const slot = live?.slotOf(r.key);
  return {
    plate: r.key,
    cls: r.value.cls,
    company: g.sees("company") ? r.value.company : null,
    terminal: g.sees("terminal") ? r.value.terminal : null,
    licence: g.sees("licence") ? r.value.licence.status : null,
    position: slot === undefined || !live ? null : { lon: live.lon[slot], lat: live.lat[slot], speedKmh: live.speed[slot], ts: live.ts[slot] },
  };
}

/** For each batch, whether its stored pings still match the root anchored on the ledger. */
export async function verifyBatches(ledger: PortalLedger, ingest: TelemetryIngest, batches: readonly string[]): Promise<Record<string, boolean>> {
  const verified: Record<string, boolean> = {};
  for (const b of batches) {
    const anchor = await ledger.node.store.record<{ root: string; count: number }>("telemetry", b);
    verified[b] = !!anchor && (await checkBatch(ingest.pings, b, anchor.value.root, anchor.value.count)).ok;
  }
  return verified;
}
