/**
 * Telemetry pings: validation of what terminals send, the canonical form that batch Merkle roots
 * are computed over, and the time-partitioned table they are stored in.
 */
import { z } from "zod";
import { toHex, utf8 } from "../../chain/bytes";
import { MerkleTree } from "../../chain/merkle";
import { nodeHasher } from "../../chain/node-hasher";
import type { Database } from "../../chain/store/db";
import { intArray, nullableIntArray, textArray } from "../../chain/store/pg-array";

/** One position report as a terminal sends it. */
export const pingInputSchema = z.object({
  terminal: z.string().regex(/^[A-Za-z0-9_-]{4,40}$/, "terminal id: 4-40 letters, digits, '_' or '-'"),
  /** ms since epoch */
  ts: z.number().int().positive(),
  lon: z.number().min(73, "longitude out of range").max(136, "longitude out of range"),
  lat: z.number().min(3, "latitude out of range").max(54, "latitude out of range"),
  speed: z.number().min(0, "speed cannot be negative").max(300, "speed above 300 km/h"),
  heading: z.number().min(0).max(360).optional(),
  /** Odometer (km), when the terminal reports it; recorded on the ledger as the vehicle's mileage. */
  odometerKm: z.number().min(0, "odometer cannot be negative").max(5_000_000, "odometer above 5,000,000 km").optional(),
});
export type PingInput = z.infer<typeof pingInputSchema>;

export const MAX_PING_FUTURE_MS = 5 * 60_000;
export const MAX_PING_AGE_MS = 7 * 24 * 3600_000;

/** A validated ping as stored: integers only, so its canonical form is exact. */
export interface StoredPing {
  plate: string;
  ts: number;
  lonE6: number;
  latE6: number;
  speedX10: number;
  heading: number | null;
}

export function toStored(plate: string, p: PingInput): StoredPing {
  return {
    plate,
    ts: p.ts,
    lonE6: Math.round(p.lon * 1e6),
    latE6: Math.round(p.lat * 1e6),
    speedX10: Math.round(p.speed * 10),
    heading: p.heading === undefined ? null : Math.round(p.heading),
  };
}

/**
 * Canonical leaf bytes of a ping: fixed-width big-endian integers (ts i64, lon/lat/speed i32,
 * heading i16 with -1 for none) followed by the plate in UTF-8. Unambiguous and cheap to hash.
 */
export function pingLeaf(p: StoredPing): Uint8Array {
  const plate = utf8(p.plate);
  const buf = new Uint8Array(22 + plate.length);
  const v = new DataView(buf.buffer);
  v.setBigInt64(0, BigInt(p.ts));
  v.setInt32(8, p.lonE6);
  v.setInt32(12, p.latE6);
  v.setInt32(16, p.speedX10);
  v.setInt16(20, p.heading ?? -1);
  buf.set(plate, 22);
  return buf;
}

export function batchRoot(pings: StoredPing[]): string {
  return toHex(new MerkleTree(nodeHasher, pings.map((p) => nodeHasher.hashLeaf(pingLeaf(p)))).root());
}

/**
 * A batch id: 32 hex digits, the first 12 the arrival time in ms. Time-ordered ids keep the batch
 * index appending at its right edge instead of scattering into random pages (measured cheaper).
 */
export function newBatchId(now: number, random: Uint8Array): string {
  return Math.max(0, Math.floor(now)).toString(16).padStart(12, "0").slice(-12) + Buffer.from(random.subarray(0, 10)).toString("hex");
}

const DAY_MS = 86_400_000;
const SHENZHEN_OFFSET_MS = 8 * 3600_000;

/** [start, end) in ms of the Shenzhen calendar day holding ts, and its partition name. */
export function dayPartition(ts: number): { name: string; from: number; to: number } {
  const from = Math.floor((ts + SHENZHEN_OFFSET_MS) / DAY_MS) * DAY_MS - SHENZHEN_OFFSET_MS;
  const d = new Date(from + SHENZHEN_OFFSET_MS);
  const name = `telemetry_pings_${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, "0")}${String(d.getUTCDate()).padStart(2, "0")}`;
  return { name, from, to: from + DAY_MS };
}

export class PingStore {
  private readonly partitions = new Map<string, Promise<void>>();

  constructor(private readonly db: Database) {}

  private ensurePartition(ts: number): Promise<void> {
    const part = dayPartition(ts);
    let pending = this.partitions.get(part.name);
    if (!pending) {
      // One CREATE per partition per process; concurrent batches wait on the same promise.
      pending = this.db.query(`CREATE TABLE IF NOT EXISTS ${part.name} PARTITION OF telemetry_pings FOR VALUES FROM (${part.from}) TO (${part.to})`).then(
        () => undefined,
        (err: { code?: string }) => {
          // Another process created it between IF NOT EXISTS and the catalog insert: that is success.
          if (err.code === "42P07" || err.code === "23505") return;
          this.partitions.delete(part.name);
          throw err;
        },
      );
      this.partitions.set(part.name, pending);
    }
    return pending;
  }

  /**
   * Stores a batch; pings already stored (same plate and timestamp) are skipped. Returns the pings
   * actually stored, in batch order: the ones the batch's Merkle root covers.
   */
  async insert(batch: string, pings: StoredPing[]): Promise<StoredPing[]> {
    if (pings.length === 0) return [];
    for (const ts of new Set(pings.map((p) => dayPartition(p.ts).from))) await this.ensurePartition(ts);
    const n = pings.length;
    const [plates, ts, lon, lat, speed] = [new Array<string>(n), new Array<number>(n), new Array<number>(n), new Array<number>(n), new Array<number>(n)];
    const heading = new Array<number | null>(n);
    for (let i = 0; i < n; i++) {
      const p = pings[i];
      plates[i] = p.plate;
      ts[i] = p.ts;
      lon[i] = p.lonE6;
      lat[i] = p.latE6;
      speed[i] = p.speedX10;
      heading[i] = p.heading;
    }
    // Array literals built here (the drivers' element-wise escaping was a measured share of ingest);
    // no RETURNING: sending every stored row back cost more than the rare duplicate lookup below.
    const res = await this.db.query(
      `INSERT INTO telemetry_pings (plate, ts, lon_e6, lat_e6, speed_x10, heading, batch, batch_idx)
       SELECT plate, ts, lon, lat, spd, hdg, $1, i - 1
       FROM unnest($2::text[], $3::bigint[], $4::int[], $5::int[], $6::int[], $7::smallint[]) WITH ORDINALITY AS p(plate, ts, lon, lat, spd, hdg, i)
       ON CONFLICT (plate, ts) DO NOTHING`,
      [batch, textArray(plates), intArray(ts), intArray(lon), intArray(lat), intArray(speed), nullableIntArray(heading)],
    );
    if (res.rowCount === n) return pings;
    // Some were already stored (a resent batch): which ones this batch stored, by their index in it.
    const { rows } = await this.db.query<{ i: number }>("SELECT batch_idx AS i FROM telemetry_pings WHERE batch = $1", [batch]);
    const stored = new Set(rows.map((r) => r.i));
    return pings.filter((_, i) => stored.has(i));
  }

  /** The pings a batch stored, in order (for re-computing its anchored root). */
  async batch(batch: string): Promise<StoredPing[]> {
    const { rows } = await this.db.query<{ plate: string; ts: number; lon_e6: number; lat_e6: number; speed_x10: number; heading: number | null; batch_idx: number }>(
      "SELECT plate, ts, lon_e6, lat_e6, speed_x10, heading, batch_idx FROM telemetry_pings WHERE batch = $1 ORDER BY batch_idx",
      [batch],
    );
    return rows.map((r) => ({ plate: r.plate, ts: r.ts, lonE6: r.lon_e6, latE6: r.lat_e6, speedX10: r.speed_x10, heading: r.heading }));
  }

  /** A vehicle's track over [from, to), oldest first (track replay). */
  async track(plate: string, from: number, to: number, limit = 20_000): Promise<(StoredPing & { batch: string })[]> {
    const { rows } = await this.db.query<{ plate: string; ts: number; lon_e6: number; lat_e6: number; speed_x10: number; heading: number | null; batch: string }>(
      "SELECT plate, ts, lon_e6, lat_e6, speed_x10, heading, batch FROM telemetry_pings WHERE plate = $1 AND ts >= $2 AND ts < $3 ORDER BY ts LIMIT $4",
      [plate, from, to, limit],
    );
    return rows.map((r) => ({ plate: r.plate, ts: r.ts, lonE6: r.lon_e6, latE6: r.lat_e6, speedX10: r.speed_x10, heading: r.heading, batch: r.batch }));
  }
}

/** Recomputes a stored batch's root and compares it with the anchored one. */
export async function checkBatch(store: PingStore, batch: string, anchoredRoot: string, anchoredCount: number): Promise<{ ok: boolean; reason?: string }> {
  const pings = await store.batch(batch);
  if (pings.length !== anchoredCount) return { ok: false, reason: `${pings.length} pings stored, ${anchoredCount} anchored` };
  const root = batchRoot(pings);
  return root === anchoredRoot ? { ok: true } : { ok: false, reason: `stored pings hash to ${root.slice(0, 16)}…, anchored root is ${anchoredRoot.slice(0, 16)}…` };
}

