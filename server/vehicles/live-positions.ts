/**
 * The latest position of every vehicle, in flat typed arrays (one slot per vehicle, never
 * reallocated per update), for live views: the big screen reads it as a snapshot and follows
 * changes through onUpdate. Fed by the telemetry ingest with every stored ping.
 */
import { VEHICLE_CLASSES, type VehicleClass } from "./geofence";

export interface PositionUpdate {
  slot: number;
  plate: string;
  cls: VehicleClass;
  ts: number;
  lon: number;
  lat: number;
  speedKmh: number;
  heading: number;
}

export class LivePositions {
  private capacity: number;
  count = 0;
  readonly plates: string[] = [];
  private readonly slots = new Map<string, number>();
  lon: Float64Array;
  lat: Float64Array;
  speed: Float32Array;
  heading: Float32Array;
  ts: Float64Array;
  /** Index into VEHICLE_CLASSES. */
  cls: Uint8Array;
  private readonly listeners = new Set<(updates: PositionUpdate[]) => void>();

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.lon = new Float64Array(capacity);
    this.lat = new Float64Array(capacity);
    this.speed = new Float32Array(capacity);
    this.heading = new Float32Array(capacity);
    this.ts = new Float64Array(capacity);
    this.cls = new Uint8Array(capacity);
  }

  private grow(): void {
    this.capacity *= 2;
    const g = <T extends Float64Array | Float32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.capacity);
      b.set(a);
      return b;
    };
    this.lon = g(this.lon);
    this.lat = g(this.lat);
    this.speed = g(this.speed);
    this.heading = g(this.heading);
    this.ts = g(this.ts);
    this.cls = g(this.cls);
  }

  slotOf(plate: string): number | undefined {
    return this.slots.get(plate);
  }

  /** Applies pings (newer than what is held) and tells listeners which slots changed. */
  update(pings: { plate: string; cls: VehicleClass; ts: number; lon: number; lat: number; speedKmh: number; heading?: number }[]): void {
    const changed: PositionUpdate[] = [];
    const tell = this.listeners.size > 0;
    for (const p of pings) {
      let slot = this.slots.get(p.plate);
      if (slot === undefined) {
        if (this.count === this.capacity) this.grow();
        slot = this.count++;
        this.slots.set(p.plate, slot);
        this.plates[slot] = p.plate;
      } else if (p.ts <= this.ts[slot]) continue;
      this.lon[slot] = p.lon;
      this.lat[slot] = p.lat;
      this.speed[slot] = p.speedKmh;
      this.heading[slot] = p.heading ?? 0;
      this.ts[slot] = p.ts;
      this.cls[slot] = Math.max(0, VEHICLE_CLASSES.indexOf(p.cls));
      if (tell) changed.push({ slot, plate: p.plate, cls: p.cls, ts: p.ts, lon: p.lon, lat: p.lat, speedKmh: p.speedKmh, heading: p.heading ?? 0 });
    }
    if (changed.length) for (const fn of this.listeners) fn(changed);
  }

  onUpdate(fn: (updates: PositionUpdate[]) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
