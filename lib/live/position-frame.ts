/**
 * The binary position frame the big screen's live feed carries (base64 inside an SSE event): a
 * snapshot of every vehicle slot, or the slots that changed since the last frame. Shared by the
 * server (encode) and the browser (decode), so both read one layout.
 *
 * Layout, little-endian, `24 + 19 n` bytes for n vehicles:
 *   u8 version (1) · u8 flags (bit 0: full snapshot) · u16 0 · u32 n · u32 slotCount · f64 serverTime (ms) · u32 0
 *   u32 slot[n] · f32 lon[n] · f32 lat[n] · u16 heading×100[n] · u16 speed×10[n] · u16 ageSec[n] · u8 cls[n]
 * Float32 degrees hold Shenzhen positions to ~0.8 m, enough to draw; the ledger keeps exact values.
 */

export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 24;
export const FRAME_BYTES_PER_VEHICLE = 19;
const FLAG_FULL = 1;

/** The typed arrays of a source of positions (LivePositions on the server, a test fixture elsewhere). */
export interface PositionSource {
  count: number;
  lon: ArrayLike<number>;
  lat: ArrayLike<number>;
  heading: ArrayLike<number>;
  speed: ArrayLike<number>;
  ts: ArrayLike<number>;
  cls: ArrayLike<number>;
}

/** A decoded frame: views into one buffer, no copies. */
export interface PositionFrame {
  full: boolean;
  n: number;
  slotCount: number;
  serverTime: number;
  slot: Uint32Array;
  lon: Float32Array;
  lat: Float32Array;
  /** Degrees clockwise from north × 100. */
  heading: Uint16Array;
  /** km/h × 10. */
  speed: Uint16Array;
  /** Seconds since the vehicle's last ping, at serverTime (capped at 65535). */
  ageSec: Uint16Array;
  cls: Uint8Array;
}

function views(buf: ArrayBuffer, byteOffset: number, n: number) {
  let o = byteOffset + FRAME_HEADER_BYTES;
  const take = <T>(make: (off: number) => T, bytes: number): T => {
    const v = make(o);
    o += bytes * n;
    return v;
  };
  return {
    slot: take((off) => new Uint32Array(buf, off, n), 4),
    lon: take((off) => new Float32Array(buf, off, n), 4),
    lat: take((off) => new Float32Array(buf, off, n), 4),
    heading: take((off) => new Uint16Array(buf, off, n), 2),
    speed: take((off) => new Uint16Array(buf, off, n), 2),
    ageSec: take((off) => new Uint16Array(buf, off, n), 2),
    cls: take((off) => new Uint8Array(buf, off, n), 1),
  };
}

/**
 * Encodes the given slots of `src` (all slots when `slots` is omitted: a full snapshot).
 * @param slots - slot numbers, each < src.count
 * @param now - the server time the ages are measured at
 * @returns a new Uint8Array holding the frame
 */
export function encodePositionFrame(src: PositionSource, now: number, slots?: ArrayLike<number>): Uint8Array {
  const full = slots === undefined;
  const n = full ? src.count : slots.length;
  const bytes = new Uint8Array(FRAME_HEADER_BYTES + FRAME_BYTES_PER_VEHICLE * n);
  const dv = new DataView(bytes.buffer);
  dv.setUint8(0, FRAME_VERSION);
  dv.setUint8(1, full ? FLAG_FULL : 0);
  dv.setUint32(4, n, true);
  dv.setUint32(8, src.count, true);
  dv.setFloat64(12, now, true);
  const v = views(bytes.buffer, 0, n);
  for (let i = 0; i < n; i++) {
    const s = full ? i : slots[i];
    if (s >= src.count) throw new RangeError(`slot ${s} out of range, want < ${src.count}`);
    v.slot[i] = s;
    v.lon[i] = src.lon[s];
    v.lat[i] = src.lat[s];
    v.heading[i] = Math.round((((src.heading[s] % 360) + 360) % 360) * 100);
    v.speed[i] = Math.min(65535, Math.round(src.speed[s] * 10));
    v.ageSec[i] = Math.min(65535, Math.max(0, Math.floor((now - src.ts[s]) / 1000)));
    v.cls[i] = src.cls[s];
  }
  return bytes;
}

/**
 * Reads a frame without copying.
 * @throws RangeError when the bytes are shorter than the header says, TypeError for an unknown version
 */
export function decodePositionFrame(bytes: Uint8Array): PositionFrame {
  if (bytes.byteLength < FRAME_HEADER_BYTES) throw new RangeError(`position frame of ${bytes.byteLength} bytes, want >= ${FRAME_HEADER_BYTES}`);
  // Typed views need aligned offsets: copy when the bytes sit at an odd place in their buffer.
  if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice();
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint8(0);
  if (version !== FRAME_VERSION) throw new TypeError(`position frame version ${version}, want ${FRAME_VERSION}`);
  const n = dv.getUint32(4, true);
  const want = FRAME_HEADER_BYTES + FRAME_BYTES_PER_VEHICLE * n;
  if (bytes.byteLength < want) throw new RangeError(`position frame of ${bytes.byteLength} bytes, want ${want} for ${n} vehicles`);
  return {
    full: (dv.getUint8(1) & FLAG_FULL) !== 0,
    n,
    slotCount: dv.getUint32(8, true),
    serverTime: dv.getFloat64(12, true),
    ...views(bytes.buffer as ArrayBuffer, bytes.byteOffset, n),
  };
}

/** base64 → bytes, in the browser or Node, with the platform's fastest decoder. */
export function base64ToBytes(b64: string): Uint8Array {
  const U8 = Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array };
  if (typeof U8.fromBase64 === "function") return U8.fromBase64(b64);
  if (typeof Buffer !== "undefined") return new Uint8Array(Buffer.from(b64, "base64"));
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
