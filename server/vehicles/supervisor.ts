/**
 * The vehicle supervision runtime: keeps the event engine in step with the ledger (vehicles,
 * terminals, geofences, permits and smart-law rules, updated from every committed block), evaluates
 * ingested pings, and raises the resulting alarms as ledger transactions.
 */
import { createHash } from "node:crypto";
import type { Json } from "../../chain/encoding";
import type { BlockResult } from "../../chain/engine";
import type { LedgerNode } from "../../chain/node";
import { RoadNetwork } from "../geo/road-network";
import type { GeofenceDef, VehicleClass } from "./geofence";
import { GeofenceIndex } from "./geofence-index";
import { DEFAULT_RULES, EventEngine, type AlarmEvent, type EngineRules, type HazmatPermit, type Licence, type Ping } from "./event-engine";

export interface ServiceIdentity {
  dept: string;
  actor: string;
  key: string;
}

/** Ledger rule names (set by the traffic police) and the engine setting each one feeds. */
export const RULE_BINDINGS: Record<string, keyof EngineRules> = {
  "traffic.speedLimit.motorway": "motorwayKmh",
  "traffic.speedLimit.trunk": "trunkKmh",
  "traffic.speedLimit.primary": "primaryKmh",
  "traffic.speedLimit.secondary": "secondaryKmh",
  "hazmat.speedLimit.expressway": "hazmatExpresswayKmh",
  "hazmat.speedLimit.other": "hazmatOtherKmh",
  "traffic.overspeedToleranceKmh": "overspeedToleranceKmh",
  "traffic.longStopMinutes": "longStopMinutes",
  "traffic.stopSpeedKmh": "stopSpeedKmh",
  "traffic.offlineMinutes": "offlineMinutes",
};

interface PermitRecord {
  id: string;
  plate: string;
  corridor: string;
  from: number;
  to: number;
  status: string;
}

export function alarmId(e: Pick<AlarmEvent, "plate" | "type" | "ts" | "geofenceId">): string {
  return "al-" + createHash("sha256").update(`${e.plate}|${e.type}|${e.ts}|${e.geofenceId ?? ""}`).digest("hex").slice(0, 24);
}

export class VehicleSupervisor {
  readonly fences = new GeofenceIndex();
  readonly engine: EventEngine;
  private readonly terminals = new Map<string, { plate: string; company: string }>();
  private readonly vehicles = new Map<string, { cls: VehicleClass; company: string }>();
  private permits = new Map<string, PermitRecord>();
  private readonly listeners = new Set<(alarms: AlarmEvent[]) => void>();
  private sweepTimer: ReturnType<typeof setInterval> | null = null;

  private constructor(
    private readonly node: LedgerNode,
    private readonly identity: ServiceIdentity,
    roads: RoadNetwork | null,
  ) {
    this.engine = new EventEngine(this.fences, roads);
  }

  static async open(node: LedgerNode, identity: ServiceIdentity, opts: { roads?: RoadNetwork | null; sweepMs?: number } = {}): Promise<VehicleSupervisor> {
    const s = new VehicleSupervisor(node, identity, opts.roads === undefined ? RoadNetwork.fromFile() : opts.roads);
    const st = node.store;
    for (const r of await st.records<{ plate: string; company: string }>("terminal")) s.terminals.set(r.key, r.value);
    for (const r of await st.records<{ cls: VehicleClass; company: string; licence?: Licence }>("vehicle")) s.setVehicle(r.key, r.value);
    for (const r of await st.records<GeofenceDef & { status: string }>("geofence")) s.setGeofence(r.key, r.value);
    for (const r of await st.records<PermitRecord>("permit")) s.permits.set(r.key, r.value);
    for (const name of Object.keys(RULE_BINDINGS)) {
      const rule = await st.record<{ value: Json }>("rule", name);
      if (rule) s.setRule(name, rule.value.value);
    }
    s.refreshPermits();
    node.onBlock((b) => s.follow(b));
    if (opts.sweepMs !== 0) {
      s.sweepTimer = setInterval(() => void s.raise(s.engine.sweepOffline(Date.now())), opts.sweepMs ?? 30_000);
      s.sweepTimer.unref();
    }
    return s;
  }

  close(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  /** Live alarm feed (big screen, inbox). */
  onAlarms(fn: (alarms: AlarmEvent[]) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  terminal(id: string): { plate: string; company: string } | undefined {
    return this.terminals.get(id);
  }

  vehicle(plate: string): { cls: VehicleClass; company: string } | undefined {
    return this.vehicles.get(plate);
  }

  private setVehicle(plate: string, v: { cls: VehicleClass; company: string; licence?: Licence }): void {
    this.vehicles.set(plate, { cls: v.cls, company: v.company });
    this.engine.track(plate, v.cls, v.licence ? { status: v.licence.status, ...(v.licence.expires ? { expires: v.licence.expires } : {}) } : undefined);
  }

  private setGeofence(id: string, g: (GeofenceDef & { status: string }) | null): void {
    if (!g || g.status !== "active") this.fences.remove(id);
    else this.fences.upsert(g);
  }

  private setRule(name: string, value: Json): void {
    const key = RULE_BINDINGS[name];
    if (key && typeof value === "number" && Number.isFinite(value)) this.engine.rules = { ...this.engine.rules, [key]: value };
  }

  private refreshPermits(): void {
    const list: HazmatPermit[] = [];
    for (const p of this.permits.values()) {
      if (p.status !== "approved") continue;
      const corridor = this.fences.get(p.corridor);
      if (corridor) list.push({ id: p.id, plate: p.plate, from: p.from, to: p.to, corridor });
    }
    this.engine.setPermits(list);
  }

  /** Applies a committed block's writes to the engine's view. */
  private follow(b: BlockResult): void {
    let permitsChanged = false;
    for (const w of b.writes) {
      const value = w.value === null ? null : (JSON.parse(w.value) as Record<string, unknown>);
      switch (w.ns) {
        case "terminal":
          if (value) this.terminals.set(w.key, value as never);
          else this.terminals.delete(w.key);
          break;
        case "vehicle":
          if (value) this.setVehicle(w.key, value as never);
          break;
        case "geofence":
          this.setGeofence(w.key, value as never);
          permitsChanged = true;
          break;
        case "permit":
          if (value) this.permits.set(w.key, value as never);
          else this.permits.delete(w.key);
          permitsChanged = true;
          break;
        case "rule":
          if (value && w.key in RULE_BINDINGS) this.setRule(w.key, value.value as Json);
          break;
      }
    }
    if (permitsChanged) this.refreshPermits();
  }

  /** Evaluates pings (in time order per vehicle) and raises what they trigger. */
  async evaluate(pings: Ping[]): Promise<AlarmEvent[]> {
    const sorted = [...pings].sort((a, b) => a.ts - b.ts);
    const alarms: AlarmEvent[] = [];
    const receivedAt = Date.now();
    for (const p of sorted) alarms.push(...this.engine.evaluate(p, receivedAt));
    await this.raise(alarms);
    return alarms;
  }

  /** Puts alarms on the ledger (one transaction each, batched into shared blocks) and tells listeners. */
  async raise(alarms: AlarmEvent[]): Promise<void> {
    if (alarms.length === 0) return;
    const { dept, actor, key } = this.identity;
    const results = await Promise.allSettled(
      alarms.map((a) =>
        this.node.submit(
          {
            type: "alarm.raise",
            dept,
            actor,
            payload: {
              id: alarmId(a),
              type: a.type,
              severity: a.severity,
              subject: a.plate,
              at: a.ts,
              lon: a.lon,
              lat: a.lat,
              ...(a.geofenceId ? { geofence: a.geofenceId } : {}),
              ...(a.permitId ? { permit: a.permitId } : {}),
              ...(a.speedKmh !== undefined ? { speedKmh: a.speedKmh } : {}),
              ...(a.limitKmh !== undefined && Number.isFinite(a.limitKmh) ? { limitKmh: a.limitKmh } : {}),
              ...(a.minutes !== undefined ? { detail: `${a.minutes} min` } : a.detail ? { detail: a.detail } : {}),
            },
          },
          key,
        ),
      ),
    );
    const failed = results.filter((r) => r.status === "rejected" && !/already raised/.test(String(r.reason?.message)));
    if (failed.length) console.warn(`[supervisor] ${failed.length} alarm(s) not recorded: ${(failed[0] as PromiseRejectedResult).reason?.message}`);
    for (const fn of this.listeners) {
      try {
        fn(alarms);
      } catch {
        // a listener's failure must not stop supervision
      }
    }
  }
}
