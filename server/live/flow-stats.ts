/**
 * Traffic flow per minute, kept in memory from the live position updates: pings received, distinct
 * vehicles reporting and their mean speed, for the last hour (since the process started).
 */
import type { PositionUpdate } from "../vehicles/live-positions";

export interface FlowMinute {
  /** Start of the minute (ms since epoch). */
  t: number;
  pings: number;
  vehicles: number;
  meanSpeedKmh: number;
}

const MINUTE = 60_000;

export class FlowStats {
  private readonly minutes: { t: number; pings: number; vehicles: number; speedSum: number }[] = [];
  /** The minute each slot last counted in (to count distinct vehicles). */
  private lastMinute = new Float64Array(1024);

  constructor(private readonly keepMinutes = 60) {}

  record(updates: PositionUpdate[], now = Date.now()): void {
    const t = Math.floor(now / MINUTE) * MINUTE;
    let cur = this.minutes[this.minutes.length - 1];
    if (!cur || cur.t !== t) {
      cur = { t, pings: 0, vehicles: 0, speedSum: 0 };
      this.minutes.push(cur);
      while (this.minutes.length > this.keepMinutes) this.minutes.shift();
    }
    for (const u of updates) {
      if (u.slot >= this.lastMinute.length) {
        const a = new Float64Array(Math.max(this.lastMinute.length * 2, u.slot + 1));
        a.set(this.lastMinute);
        this.lastMinute = a;
      }
      cur.pings++;
      cur.speedSum += u.speedKmh;
      if (this.lastMinute[u.slot] !== t) {
        this.lastMinute[u.slot] = t;
        cur.vehicles++;
      }
    }
  }

  /** Minutes oldest first, gaps (no pings) filled with zeros, up to the current minute. */
  series(now = Date.now()): FlowMinute[] {
    if (this.minutes.length === 0) return [];
    const end = Math.floor(now / MINUTE) * MINUTE;
    const start = Math.max(this.minutes[0].t, end - (this.keepMinutes - 1) * MINUTE);
    const byT = new Map(this.minutes.map((m) => [m.t, m]));
    const out: FlowMinute[] = [];
    for (let t = start; t <= end; t += MINUTE) {
      const m = byT.get(t);
      out.push({ t, pings: m?.pings ?? 0, vehicles: m?.vehicles ?? 0, meanSpeedKmh: m && m.pings ? Math.round((m.speedSum / m.pings) * 10) / 10 : 0 });
    }
    return out;
  }
}
