/**
 * Ride-hailing trip reports: a platform POSTs its signed batch of completed trips to
 * /api/ingest/trips (same signature headers as pings). Each trip becomes a ridehail.trip ledger
 * transaction, whose contract checks licences and pairing; a bad trip is refused with its reason
 * and the rest are kept.
 */
import { z } from "zod";
import { RECORD_ID } from "../../chain/contracts/ids";
import { fromHex } from "../../chain/bytes";
import { nodeSignatures } from "../../chain/node-crypto";
import type { LedgerNode } from "../../chain/node";
import type { ServiceIdentity } from "../vehicles/supervisor";
import { IngestError } from "./telemetry-ingest";

export const MAX_TRIPS = 1000;

const tripInput = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, "trip id: 6-64 letters, digits, '_' or '-'"),
  driver: z.string().regex(RECORD_ID, "driver id"),
  plate: z.string().min(7).max(9),
  start: z.number().int().positive(),
  end: z.number().int().positive(),
  distanceKm: z.number().min(0).max(500),
  fareYuan: z.number().min(0).max(10_000),
});

export interface TripResult {
  accepted: number;
  compliant: number;
  rejected: { index: number; error: string }[];
}

export class TripIngest {
  constructor(
    private readonly node: LedgerNode,
    private readonly identity: ServiceIdentity,
  ) {}

  async ingestSigned(company: string, signatureHex: string, body: Uint8Array): Promise<TripResult> {
    const rec = await this.node.store.record<{ ingestKey: string; status: string; kind: string }>("company", company);
    if (!rec || rec.value.status !== "active") throw new IngestError(`unknown company ${company}`, 401);
    if (!/^[0-9a-f]{128}$/.test(signatureHex) || !nodeSignatures.verify(rec.value.ingestKey, body, fromHex(signatureHex))) throw new IngestError("bad batch signature", 401);
    if (rec.value.kind !== "ride_hailing_platform") throw new IngestError(`${company} is not a ride-hailing platform`, 403);
    let trips: unknown;
    try {
      trips = (JSON.parse(new TextDecoder().decode(body)) as { trips?: unknown }).trips;
    } catch {
      throw new IngestError("body is not JSON", 400);
    }
    if (!Array.isArray(trips)) throw new IngestError('body must be {"trips": [...]}', 400);
    return this.ingest(company, trips);
  }

  /** Submits an authenticated platform's trips. */
  async ingest(company: string, trips: unknown[]): Promise<TripResult> {
    if (trips.length > MAX_TRIPS) throw new IngestError(`at most ${MAX_TRIPS} trips per batch`, 413);
    const rejected: TripResult["rejected"] = [];
    const submitted: { index: number; p: Promise<{ hash: string }>; id: string }[] = [];
    trips.forEach((t, index) => {
      const r = tripInput.safeParse(t);
      if (!r.success) {
        const i = r.error.issues[0];
        return void rejected.push({ index, error: `${i.path.join(".") || "trip"}: ${i.message}` });
      }
      const { dept, actor, key } = this.identity;
      submitted.push({ index, id: r.data.id, p: this.node.submit({ type: "ridehail.trip", dept, actor, payload: { ...r.data, platform: company } }, key) });
    });
    const results = await Promise.allSettled(submitted.map((s) => s.p));
    let accepted = 0;
    const ok: string[] = [];
    results.forEach((r, i) => {
      if (r.status === "fulfilled") {
        accepted++;
        ok.push(submitted[i].id);
      } else rejected.push({ index: submitted[i].index, error: (r.reason as Error).message });
    });
    const records = await Promise.all(ok.map((id) => this.node.store.record<{ compliant: boolean }>("trip", id)));
    rejected.sort((a, b) => a.index - b.index);
    return { accepted, compliant: records.filter((r) => r?.value.compliant).length, rejected };
  }
}
