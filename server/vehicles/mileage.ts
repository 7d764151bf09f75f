/**
 * Mileage from the terminals: follows each vehicle's GPS track (distance between consecutive
 * pings, in time order) and its reported odometer, and says when a reading is due on the ledger
 * (`mileage.record`, at most one per vehicle per interval; the contract flags rollback and
 * divergence from the GPS distance and raises their alarms).
 */

/** A gap between pings longer than this makes the GPS distance of the period incomplete. */
export const MAX_TRACK_GAP_MS = 5 * 60_000;
/** Default spacing of a vehicle's readings on the ledger. */
export const MILEAGE_INTERVAL_MS = 3600_000;

export interface MileageReading {
  plate: string;
  odometerKm: number;
  /** ms since epoch of the ping that carried the odometer. */
  at: number;
  /** GPS distance (km) since the previous reading; absent for the first reading or when the track had gaps. */
  gpsKm?: number;
}

interface Track {
  ts: number;
  lon: number;
  lat: number;
  /** GPS metres since the last recorded reading, up to the latest ping. */
  metres: number;
  /** `metres` as it was at the ping that carried the latest odometer reading. */
  metresAtOdometer: number;
  complete: boolean;
  odometerKm: number | null;
  odometerAt: number;
  /** Wall-clock time of the last reading handed out; -Infinity before the first. */
  recordedAt: number;
  /** Whether a reading has been handed out (the first has no GPS distance to compare). */
  recorded: boolean;
}

/** Great-circle distance in metres (haversine, mean Earth radius). */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008 * Math.asin(Math.sqrt(h));
}

export class MileageTracker {
  private readonly tracks = new Map<string, Track>();

  constructor(private readonly intervalMs = MILEAGE_INTERVAL_MS) {}

  /**
   * Follows one stored ping. Requires pings of a vehicle in time order within a batch; a ping older
   * than the vehicle's last one (late delivery) adds no distance and makes the period incomplete.
   */
  observe(plate: string, ts: number, lon: number, lat: number, odometerKm?: number): void {
    let t = this.tracks.get(plate);
    if (!t) {
      t = { ts, lon, lat, metres: 0, metresAtOdometer: 0, complete: true, odometerKm: null, odometerAt: 0, recordedAt: -Infinity, recorded: false };
      this.tracks.set(plate, t);
    } else if (ts <= t.ts) {
      t.complete = false;
      return;
    } else {
      if (ts - t.ts > MAX_TRACK_GAP_MS) t.complete = false;
      t.metres += haversineM(t.lon, t.lat, lon, lat);
      t.ts = ts;
      t.lon = lon;
      t.lat = lat;
    }
    if (odometerKm !== undefined) {
      t.odometerKm = odometerKm;
      t.odometerAt = ts;
      t.metresAtOdometer = t.metres;
    }
  }

  /**
   * Readings due for the given vehicles at wall-clock `now`: those with an odometer reading whose
   * last ledger reading is at least the interval old. Handing one out starts the next period.
   */
  due(plates: Iterable<string>, now: number): MileageReading[] {
    const out: MileageReading[] = [];
    for (const plate of new Set(plates)) {
      const t = this.tracks.get(plate);
      if (!t || t.odometerKm === null || now - t.recordedAt < this.intervalMs) continue;
      const reading: MileageReading = { plate, odometerKm: t.odometerKm, at: t.odometerAt };
      if (t.recorded && t.complete) reading.gpsKm = Math.round(t.metresAtOdometer) / 1000;
      out.push(reading);
      // Distance driven after the odometer's ping belongs to the next period.
      t.metres -= t.metresAtOdometer;
      t.metresAtOdometer = 0;
      t.complete = true;
      t.odometerKm = null;
      t.recordedAt = now;
      t.recorded = true;
    }
    return out;
  }
}
