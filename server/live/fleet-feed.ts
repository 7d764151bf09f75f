/**
 * The big screen's live feed, one per process: follows the live positions, the supervisor's alarms
 * and the ledger's blocks, and broadcasts them to every subscriber as SSE-ready events. Position
 * changes are coalesced per slot and sent once per interval as one binary frame (base64), encoded
 * once for all subscribers; a new subscriber gets the plates and a full snapshot first.
 */
import { encodePositionFrame } from "../../lib/live/position-frame";
import type { LedgerNode } from "../../chain/node";
import type { LivePositions } from "../vehicles/live-positions";
import type { AlarmEvent } from "../vehicles/event-engine";
import { alarmId } from "../vehicles/supervisor";
import { FlowStats } from "./flow-stats";

/** One SSE event: its name and JSON-serialisable data. */
export interface FeedEvent {
  event: "hello" | "plates" | "positions" | "alarm" | "ledger" | "heartbeat";
  data: unknown;
}

export interface LiveAlarm {
  id: string;
  type: string;
  severity: string;
  plate: string;
  cls: string;
  ts: number;
  lon: number;
  lat: number;
  geofence?: string;
  speedKmh?: number;
  limitKmh?: number;
}

type Subscriber = (e: FeedEvent) => void;

export interface FleetFeedOptions {
  /** How often coalesced position changes go out (ms). */
  intervalMs?: number;
  /** How often a heartbeat goes out when nothing else does (ms). */
  heartbeatMs?: number;
}

export const toLiveAlarm = (a: AlarmEvent): LiveAlarm => ({
  id: alarmId(a),
  type: a.type,
  severity: a.severity,
  plate: a.plate,
  cls: a.cls,
  ts: a.ts,
  lon: a.lon,
  lat: a.lat,
  ...(a.geofenceId ? { geofence: a.geofenceId } : {}),
  ...(a.speedKmh !== undefined ? { speedKmh: Math.round(a.speedKmh) } : {}),
  ...(a.limitKmh !== undefined && Number.isFinite(a.limitKmh) ? { limitKmh: a.limitKmh } : {}),
});

export class FleetFeed {
  readonly flow: FlowStats;
  private readonly subscribers = new Set<Subscriber>();
  private dirty = new Uint8Array(1024);
  private dirtyList: number[] = [];
  /** Plates already announced to current subscribers: slots [0, platesSent). */
  private platesSent = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private lastLedgerSent = 0;
  private ledgerPending: ReturnType<typeof setTimeout> | null = null;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly live: LivePositions,
    private readonly node: LedgerNode,
    onAlarms: (fn: (alarms: AlarmEvent[]) => void) => () => void,
    private readonly opts: FleetFeedOptions = {},
  ) {
    this.flow = new FlowStats();
    this.unsubscribe.push(
      live.onUpdate((updates) => {
        this.flow.record(updates);
        for (const u of updates) {
          if (u.slot >= this.dirty.length) {
            const d = new Uint8Array(Math.max(this.dirty.length * 2, u.slot + 1));
            d.set(this.dirty);
            this.dirty = d;
          }
          if (!this.dirty[u.slot]) {
            this.dirty[u.slot] = 1;
            this.dirtyList.push(u.slot);
          }
        }
      }),
      onAlarms((alarms) => {
        for (const a of alarms) this.broadcast({ event: "alarm", data: toLiveAlarm(a) });
      }),
      node.onBlock(() => this.ledgerChanged()),
    );
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Ledger head, as the feed sends it. */
  ledgerStatus() {
    return { height: this.node.height, txCount: this.node.txCount, lastBlockTime: this.node.lastBlockTime };
  }

  /** A full snapshot: the hello, every plate, every position and the ledger head. */
  snapshot(now = Date.now()): FeedEvent[] {
    return [
      { event: "hello", data: { serverTime: now, intervalMs: this.interval } },
      { event: "plates", data: { from: 0, plates: this.live.plates.slice(0, this.live.count) } },
      { event: "positions", data: Buffer.from(encodePositionFrame(this.live, now)).toString("base64") },
      { event: "ledger", data: this.ledgerStatus() },
    ];
  }

  /** Adds a subscriber (it gets the snapshot at once); returns the function that removes it. */
  subscribe(fn: Subscriber): () => void {
    // Plates already broadcast are in the snapshot; a later plates event carries only new slots.
    for (const e of this.snapshot()) fn(e);
    this.platesSent = Math.max(this.platesSent, this.live.count);
    this.subscribers.add(fn);
    this.start();
    return () => {
      this.subscribers.delete(fn);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  /** Sends the changed slots since the last flush (and plates of new slots). Public for tests. */
  flush(now = Date.now()): void {
    if (this.live.count > this.platesSent) {
      this.broadcast({ event: "plates", data: { from: this.platesSent, plates: this.live.plates.slice(this.platesSent, this.live.count) } });
      this.platesSent = this.live.count;
    }
    if (this.dirtyList.length === 0) return;
    const slots = Uint32Array.from(this.dirtyList);
    for (const s of this.dirtyList) this.dirty[s] = 0;
    this.dirtyList = [];
    this.broadcast({ event: "positions", data: Buffer.from(encodePositionFrame(this.live, now, slots)).toString("base64") });
  }

  close(): void {
    this.stop();
    this.subscribers.clear();
    for (const u of this.unsubscribe) u();
  }

  private get interval(): number {
    return this.opts.intervalMs ?? 1000;
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush(), this.interval);
    this.heartbeat = setInterval(() => this.broadcast({ event: "heartbeat", data: { serverTime: Date.now() } }), this.opts.heartbeatMs ?? 5000);
    this.timer.unref?.();
    this.heartbeat.unref?.();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.timer = this.heartbeat = null;
    // Nobody listens: forget pending changes; the next subscriber starts from a snapshot.
    for (const s of this.dirtyList) this.dirty[s] = 0;
    this.dirtyList = [];
  }

  /** At most one ledger event per second, the last one always sent. */
  private ledgerChanged(): void {
    if (this.ledgerPending || this.subscribers.size === 0) return;
    const wait = Math.max(0, 1000 - (Date.now() - this.lastLedgerSent));
    this.ledgerPending = setTimeout(() => {
      this.ledgerPending = null;
      this.lastLedgerSent = Date.now();
      this.broadcast({ event: "ledger", data: this.ledgerStatus() });
    }, wait);
  }

  private broadcast(e: FeedEvent): void {
    for (const fn of this.subscribers) {
      try {
        fn(e);
      } catch {
        // a broken subscriber is removed by its own stream's cancel
      }
    }
  }
}
