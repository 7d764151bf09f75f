/** Reads of vehicles, permits and alarms from the ledger projection (state_records), one typed function each. */
import type { AlarmRecord } from "../../chain/contracts/vehicles";
import type { PortalLedger } from "../ledger/portal-ledger";

export interface VehicleRow {
  key: string;
  value: { cls: string; company: string; terminal: string; licence: { status: string } };
}

/** Registered vehicles, by plate substring and class, in plate order. */
export async function listVehicles(ledger: PortalLedger, filter: { q?: string; cls?: string; limit: number }): Promise<VehicleRow[]> {
  const { rows } = await ledger.db.query<VehicleRow>(
    `SELECT key, value FROM state_records WHERE ns = 'vehicle'
       AND ($1::text IS NULL OR key LIKE '%' || $1 || '%') AND ($2::text IS NULL OR value->>'cls' = $2)
     ORDER BY key LIMIT $3`,
    [filter.q ?? null, filter.cls ?? null, filter.limit],
  );
  return rows;
}

/** The hazmat permits naming a plate. */
export async function permitsOfPlate(ledger: PortalLedger, plate: string): Promise<{ key: string; value: Record<string, unknown> }[]> {
  const { rows } = await ledger.db.query<{ key: string; value: Record<string, unknown> }>("SELECT key, value FROM state_records WHERE ns = 'permit' AND value->>'plate' = $1 ORDER BY key", [plate]);
  return rows;
}

/** A vehicle's alarms raised in [from, to), oldest first. */
export async function alarmsOfPlate(ledger: PortalLedger, plate: string, from: number, to: number): Promise<AlarmRecord[]> {
  const { rows } = await ledger.db.query<{ value: AlarmRecord }>(
    "SELECT value FROM state_records WHERE ns = 'alarm' AND value->>'subject' = $1 AND (value->>'at')::bigint >= $2 AND (value->>'at')::bigint < $3 ORDER BY (value->>'at')::bigint",
    [plate, from, to],
  );
  return rows.map((r) => r.value);
}

/** Alarms, newest first: by status ("active": any but closed) and type. */
export async function listAlarms(ledger: PortalLedger, filter: { status?: string; type?: string; limit: number }): Promise<{ key: string; value: AlarmRecord }[]> {
  const status = filter.status === "active" ? null : (filter.status ?? null);
  const { rows } = await ledger.db.query<{ key: string; value: AlarmRecord }>(
    `SELECT key, value FROM state_records WHERE ns = 'alarm'
       AND ($1::text IS NULL OR value->>'status' = $1) AND ($2::boolean IS FALSE OR value->>'status' <> 'closed')
       AND ($3::text IS NULL OR value->>'type' = $3)
     ORDER BY (value->>'at')::bigint DESC, key LIMIT $4`,
    [status, filter.status === "active", filter.type ?? null, filter.limit],
  );
  return rows;
}

/** The number of alarms per type and status. */
export async function alarmCounts(ledger: PortalLedger): Promise<{ type: string; status: string; n: number }[]> {
  const { rows } = await ledger.db.query<{ type: string; status: string; n: number }>(
    "SELECT value->>'type' AS type, value->>'status' AS status, count(*)::int AS n FROM state_records WHERE ns = 'alarm' GROUP BY 1, 2",
  );
  return rows;
}

/** Open alarms with a position (which a dispatcher may escalate into incidents), newest first. */
export async function escalatableAlarms(ledger: PortalLedger, limit = 100): Promise<AlarmRecord[]> {
  const { rows } = await ledger.db.query<{ value: AlarmRecord }>(
    `SELECT value FROM state_records WHERE ns = 'alarm' AND value->>'status' IN ('open', 'acknowledged', 'assigned')
       AND value->'lon' IS NOT NULL ORDER BY (value->>'at')::bigint DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.value);
}
