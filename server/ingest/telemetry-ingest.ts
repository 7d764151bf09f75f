/**
 * Telemetry ingest, shared by the HTTP and MQTT paths: authenticates the company's signed batch,
 * validates each ping (a bad ping is rejected with its reason, the rest of the batch is kept),
 * stores new pings (duplicates skipped), anchors the batch's Merkle root on the ledger, runs the
 * event engine on the pings and puts the terminals' odometer readings on the ledger (hourly per
 * vehicle, with the GPS distance driven, so rollback and divergence are flagged).
 */
import { randomBytes } from "node:crypto";
import { fromHex } from "../../chain/bytes";
import { nodeSignatures } from "../../chain/node-crypto";
import type { LedgerNode } from "../../chain/node";
import type { Database } from "../../chain/store/db";
import { LivePositions } from "../vehicles/live-positions";
import { MileageTracker } from "../vehicles/mileage";
import type { ServiceIdentity, VehicleSupervisor } from "../vehicles/supervisor";
import { batchRoot, MAX_PING_AGE_MS, MAX_PING_FUTURE_MS, newBatchId, PingStore, pingInputSchema, toStored, type PingInput, type StoredPing } from "./pings";

export const MAX_BATCH = 5000;

/** An additional per-ping check of a transport (e.g. MQTT: the ping's terminal is the topic's): true or the reason. */
export type PingCheck = (p: PingInput) => true | string;

export interface IngestResult {
  batch: string | null;
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: string }[];
  anchor: { tx: string; root: string } | null;
  alarms: number;
  /** Odometer readings put on the ledger with this batch. */
  mileage: number;
}

export class IngestError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 401 | 403 | 413,
  ) {
    super(message);
    this.name = "IngestError";
  }
}

export class TelemetryIngest {
  readonly pings: PingStore;
  /** Latest position of every vehicle, for live views. */
  readonly live = new LivePositions();
  /** GPS distance and odometer per vehicle, between its mileage readings on the ledger. */
  readonly mileage: MileageTracker;

  constructor(
    db: Database,
    private readonly node: LedgerNode,
    private readonly supervisor: VehicleSupervisor,
    private readonly identity: ServiceIdentity,
    private readonly clock: () => number = Date.now,
    mileageIntervalMs?: number,
  ) {
    this.pings = new PingStore(db);
    this.mileage = new MileageTracker(mileageIntervalMs);
  }

  /** A company's batch as it arrives: raw JSON bytes and the company's ed25519 signature over them. */
  async ingestSigned(company: string, signatureHex: string, body: Uint8Array, extraCheck?: PingCheck): Promise<IngestResult> {
    const rec = await this.node.store.record<{ ingestKey: string; status: string }>("company", company);
    if (!rec || rec.value.status !== "active") throw new IngestError(`unknown company ${company}`, 401);
    if (!/^[0-9a-f]{128}$/.test(signatureHex) || !nodeSignatures.verify(rec.value.ingestKey, body, fromHex(signatureHex))) {
      throw new IngestError("bad batch signature", 401);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(body));
    } catch {
      throw new IngestError("body is not JSON", 400);
    }
    const pings = (parsed as { pings?: unknown })?.pings;
    if (!Array.isArray(pings)) throw new IngestError('body must be {"pings": [...]}', 400);
    return this.ingest(company, pings, extraCheck);
  }

  /** Ingests an authenticated company's pings. */
  async ingest(company: string, raw: unknown[], extraCheck?: PingCheck): Promise<IngestResult> {
    if (raw.length > MAX_BATCH) throw new IngestError(`at most ${MAX_BATCH} pings per batch`, 413);
    const now = this.clock();
    const rejected: IngestResult["rejected"] = [];
    const valid: StoredPing[] = [];
    const seen = new Set<string>();
    const odometers = new Map<string, number>();
    raw.forEach((item, index) => {
      const r = pingInputSchema.safeParse(item);
      if (!r.success) {
        const issue = r.error.issues[0];
        return void rejected.push({ index, error: `${issue.path.join(".") || "ping"}: ${issue.message}` });
      }
      const p = r.data;
      if (p.ts > now + MAX_PING_FUTURE_MS) return void rejected.push({ index, error: "ts: timestamp is in the future" });
      if (p.ts < now - MAX_PING_AGE_MS) return void rejected.push({ index, error: "ts: timestamp is older than 7 days" });
      const extra = extraCheck?.(p);
      if (typeof extra === "string") return void rejected.push({ index, error: extra });
      const t = this.supervisor.terminal(p.terminal);
      if (!t) return void rejected.push({ index, error: `terminal: unknown terminal ${p.terminal}` });
      if (t.company !== company) return void rejected.push({ index, error: `terminal: ${p.terminal} does not belong to ${company}` });
      const s = toStored(t.plate, p);
      const key = `${s.plate}\u0000${s.ts}`;
      if (seen.has(key)) return; // repeated inside the batch: a duplicate, counted below
      seen.add(key);
      valid.push(s);
      if (p.odometerKm !== undefined) odometers.set(key, p.odometerKm);
    });
    if (valid.length === 0) return { batch: null, accepted: 0, duplicates: raw.length - rejected.length, rejected, anchor: null, alarms: 0, mileage: 0 };

    const batch = newBatchId(now, randomBytes(10));
    const stored = await this.pings.insert(batch, valid);
    const result: IngestResult = { batch, accepted: stored.length, duplicates: raw.length - rejected.length - stored.length, rejected, anchor: null, alarms: 0, mileage: 0 };
    if (stored.length === 0) return { ...result, batch: null };

    const root = batchRoot(stored);
    const positions = stored.map((p) => ({ plate: p.plate, ts: p.ts, lon: p.lonE6 / 1e6, lat: p.latE6 / 1e6, speedKmh: p.speedX10 / 10, heading: p.heading ?? undefined, cls: this.supervisor.vehicle(p.plate)?.cls ?? ("taxi" as const) }));
    const evaluation = this.supervisor.evaluate(positions);
    this.live.update(positions);
    const { dept, actor, key } = this.identity;
    const anchor = this.node.submit(
      {
        type: "telemetry.anchor",
        dept,
        actor,
        payload: { batch, company, count: stored.length, root, fromTs: Math.min(...stored.map((p) => p.ts)), toTs: Math.max(...stored.map((p) => p.ts)) },
      },
      key,
    );
    const readings = this.trackMileage(stored, odometers, now).map((r) =>
      this.node.submit({ type: "mileage.record", dept, actor, payload: { ...r, source: "terminal" } }, key),
    );
    const [committed, alarms, mileage] = await Promise.all([anchor, evaluation, Promise.allSettled(readings)]);
    for (const m of mileage) if (m.status === "rejected") console.warn(`[ingest] mileage.record refused: ${(m.reason as Error).message}`);
    return { ...result, anchor: { tx: committed.hash, root }, alarms: alarms.length, mileage: mileage.filter((m) => m.status === "fulfilled").length };
  }

  /** Feeds the batch's new pings to the mileage tracker; returns the readings now due on the ledger. */
  private trackMileage(stored: StoredPing[], odometers: Map<string, number>, now: number) {
    const withOdometer: string[] = [];
    for (const p of stored) {
      const odo = odometers.size ? odometers.get(`${p.plate}\u0000${p.ts}`) : undefined;
      this.mileage.observe(p.plate, p.ts, p.lonE6 / 1e6, p.latE6 / 1e6, odo);
      if (odo !== undefined) withOdometer.push(p.plate);
    }
    return withOdometer.length ? this.mileage.due(withOdometer, now) : [];
  }
}
