/**
 * The browser's copy of the live fleet, held in the typed arrays deck.gl draws from: a position
 * frame is written straight into them (no per-vehicle objects), and `layerData()` hands deck.gl
 * binary attributes ({length, attributes}) over the same arrays.
 */
import { VEHICLE_CLASS_COLORS } from "./vehicle-classes";
import type { PositionFrame } from "./position-frame";

/** A vehicle whose last ping is older than this is drawn dimmed (offline / silent terminal). */
export const STALE_VEHICLE_SEC = 300;

export interface FleetLayerData {
  length: number;
  attributes: {
    getPosition: { value: Float32Array; size: 2 };
    getColor: { value: Uint8Array; size: 4; normalized: true };
    getFillColor: { value: Uint8Array; size: 4; normalized: true };
    getAngle: { value: Float32Array; size: 1 };
  };
}

export class FleetBuffers {
  capacity = 0;
  /** Slots known (the server's slot count). */
  count = 0;
  /** Bumped by every applied frame, for React to notice. */
  version = 0;
  plates: string[] = [];
  /** lon, lat per slot. */
  positions = new Float32Array(0);
  /** RGBA per slot, by class (dimmed when stale). */
  colors = new Uint8Array(0);
  /** deck.gl angle: degrees counter-clockwise, so -heading. */
  angles = new Float32Array(0);
  cls = new Uint8Array(0);
  /** km/h */
  speed = new Float32Array(0);
  /** Time of the last ping per slot (server clock, ms). */
  lastSeen = new Float64Array(0);
  serverTime = 0;

  constructor(capacity = 4096) {
    this.grow(capacity);
  }

  private grow(min: number): void {
    let cap = Math.max(this.capacity, 1024);
    while (cap < min) cap *= 2;
    if (cap === this.capacity) return;
    const resize = <T extends Float32Array | Float64Array | Uint8Array>(a: T, per: number): T => {
      const b = new (a.constructor as new (n: number) => T)(cap * per);
      b.set(a);
      return b;
    };
    this.positions = resize(this.positions, 2);
    this.colors = resize(this.colors, 4);
    this.angles = resize(this.angles, 1);
    this.cls = resize(this.cls, 1);
    this.speed = resize(this.speed, 1);
    this.lastSeen = resize(this.lastSeen, 1);
    this.capacity = cap;
  }

  /** Writes a decoded frame into the buffers. */
  apply(f: PositionFrame): void {
    if (f.slotCount > this.capacity) this.grow(f.slotCount);
    const { positions, colors, angles, cls, speed, lastSeen } = this;
    const t0 = f.serverTime;
    for (let i = 0; i < f.n; i++) {
      const s = f.slot[i];
      positions[2 * s] = f.lon[i];
      positions[2 * s + 1] = f.lat[i];
      angles[s] = -f.heading[i] / 100;
      speed[s] = f.speed[i] / 10;
      const age = f.ageSec[i];
      lastSeen[s] = t0 - age * 1000;
      const c = f.cls[i];
      cls[s] = c;
      const rgb = VEHICLE_CLASS_COLORS[c] ?? VEHICLE_CLASS_COLORS[0];
      const o = 4 * s;
      colors[o] = rgb[0];
      colors[o + 1] = rgb[1];
      colors[o + 2] = rgb[2];
      colors[o + 3] = age > STALE_VEHICLE_SEC ? 70 : 235;
    }
    if (f.slotCount > this.count) this.count = f.slotCount;
    this.serverTime = Math.max(this.serverTime, t0);
    this.version++;
  }

  /** Forgets every vehicle (a new snapshot follows). Keeps the buffers. */
  reset(): void {
    this.count = 0;
    this.plates = [];
    this.serverTime = 0;
    this.version++;
  }

  /** Adds plates for slots [from, from + plates.length). */
  setPlates(from: number, plates: string[]): void {
    for (let i = 0; i < plates.length; i++) this.plates[from + i] = plates[i];
  }

  slotOf(plate: string): number {
    return this.plates.indexOf(plate);
  }

  /**
   * Binary data for deck.gl layers. A new object on each call (with new attribute wrappers) tells
   * deck.gl to re-upload the same arrays; nothing is recomputed per vehicle on the CPU.
   */
  layerData(): FleetLayerData {
    const color = { value: this.colors, size: 4 as const, normalized: true as const };
    return {
      length: this.count,
      attributes: {
        getPosition: { value: this.positions, size: 2 },
        getColor: color,
        getFillColor: color,
        getAngle: { value: this.angles, size: 1 },
      },
    };
  }

  /** Vehicles per class index, counting only those seen within STALE_VEHICLE_SEC. */
  onlineByClass(classes: number): number[] {
    const out = new Array<number>(classes).fill(0);
    const cutoff = this.serverTime - STALE_VEHICLE_SEC * 1000;
    for (let s = 0; s < this.count; s++) if (this.lastSeen[s] >= cutoff) out[this.cls[s]]++;
    return out;
  }
}
