/**
 * ingest.pings: telemetry end to end through HTTP (signed batch -> validation -> pings table ->
 * Merkle anchor on the ledger -> event engine over 1,000 geofences -> alarms on the ledger), on
 * PostgreSQL. alarm_p99_ms is the time from sending a batch to its alarms being committed.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { toHex, utf8 } from "../chain/bytes.js";
import { nodeSignatures } from "../chain/node-crypto.js";
import { generateKeyPair } from "../chain/signature.js";
import { unproject } from "../server/geo/geometry";
import { RoadGraph } from "../server/geo/road-graph";
import { handleIngestRequest } from "../server/ingest/http";
import { TelemetryIngest, type IngestResult } from "../server/ingest/telemetry-ingest";
import { Fleet } from "../server/sim/fleet";
import { VehicleSupervisor } from "../server/vehicles/supervisor";
import { openTestDb } from "../test/helpers/db.js";
import { addTransportBureau, createTestLedger } from "../test/helpers/ledger.js";
import { percentile } from "./ledger.js";

export async function benchIngest(opts: { vehicles?: number; seconds?: number; batch?: number; inflight?: number } = {}): Promise<void> {
  const VEHICLES = opts.vehicles ?? 5000;
  const SECONDS = opts.seconds ?? 15;
  const BATCH = opts.batch ?? 1000;
  const INFLIGHT = opts.inflight ?? 4;
  const t = await openTestDb("postgres");
  const L = await createTestLedger(t.db);
  await addTransportBureau(L, [
    ["svc.ingest", "tr", "operator"],
    ["svc.engine", "tp", "operator"],
    ["tp.sup", "tp", "supervisor"],
  ]);
  const company = generateKeyPair();
  await L.node.submit({ type: "company.register", dept: "tr", actor: "svc.ingest", payload: { id: "fleet", name: "模拟车队", kind: "logistics", ingestKey: company.publicKey } }, "k.tr");

  const graph = RoadGraph.fromFile();
  const fleet = new Fleet(graph, { seed: 11 });
  fleet.add(VEHICLES, () => "fleet");
  await Promise.all(
    fleet.vehicles.map((v) =>
      L.node.submit(
        { type: "vehicle.register", dept: "tp", actor: "tp.sup", payload: { plate: v.plate, cls: v.cls, company: "fleet", terminal: v.terminal, licence: { no: `L-${v.plate}`, status: "valid" } } },
        "k.tp",
      ),
    ),
  );
  // 1,000 geofences over the road network, 40 m circles at junctions: monitored key areas, one in ten a
  // 30 km/h zone, one in ten a danger zone alarming on hazmat entry.
  await Promise.all(
    Array.from({ length: 1000 }, (_, i) => {
      const [x, y] = graph.xy[fleet.core[(i * 7919) % fleet.core.length]];
      const center = unproject(x, y);
      return L.node.submit(
        { type: "geofence.define", dept: "tp", actor: "tp.sup", payload: {
            id: `zone-${i}`,
            name: `管控点${i}`,
            kind: i % 10 === 5 ? "danger_zone" : "key_area",
            shape: { type: "circle", center, radiusM: 40 },
            ...(i % 10 === 5 ? { classes: ["hazmat"] } : {}),
            ...(i % 10 === 0 ? { speedLimitKmh: 30 } : {}),
          } },
        "k.tp",
      );
    }),
  );
  const supervisor = await VehicleSupervisor.open(L.node, { dept: "tp", actor: "svc.engine", key: "k.tp" }, { sweepMs: 0 });
  const ingest = new TelemetryIngest(t.db, L.node, supervisor, { dept: "tr", actor: "svc.ingest", key: "k.tr" });
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const r = await handleIngestRequest(new Request(`http://x${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) }), ingest);
    res.writeHead(r.status, { "content-type": "application/json" });
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/ingest/pings`;

  // Pre-generate the traffic (simulation cost is not part of the figure), then replay it as fast as it is taken.
  const batches: Uint8Array[] = [];
  let pending: object[] = [];
  fleet.clock = Date.now() - 10 * 60_000;
  while (batches.length * BATCH < SECONDS * 40_000) {
    for (const p of fleet.step(1)) {
      pending.push({ terminal: p.terminal, ts: p.ts, lon: p.lon, lat: p.lat, speed: p.speed, heading: p.heading });
      if (pending.length === BATCH) {
        batches.push(utf8(JSON.stringify({ pings: pending })));
        pending = [];
      }
    }
  }
  const signed = batches.map((b) => ({ body: b, sig: toHex(nodeSignatures.sign(company.secretKey, b)) }));

  let next = 0;
  let accepted = 0;
  let alarms = 0;
  const alarmLatency: number[] = [];
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: INFLIGHT }, async () => {
      while (performance.now() < deadline && next < signed.length) {
        const b = signed[next++];
        const t0 = performance.now();
        const res = await fetch(url, { method: "POST", headers: { "x-cityledger-company": "fleet", "x-cityledger-signature": b.sig, "content-type": "application/json" }, body: Buffer.from(b.body) });
        const r = (await res.json()) as IngestResult;
        if (res.status !== 200) throw new Error(`ingest ${res.status}: ${JSON.stringify(r)}`);
        accepted += r.accepted;
        alarms += r.alarms;
        if (r.alarms > 0) alarmLatency.push(performance.now() - t0);
      }
    }),
  );
  const secs = (performance.now() - started) / 1000;
  alarmLatency.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: "ingest.pings",
      pings_per_s: Math.round(accepted / secs),
      alarm_p99_ms: Math.round(percentile(alarmLatency, 99)),
      alarm_p50_ms: Math.round(percentile(alarmLatency, 50)),
      pings: accepted,
      alarms,
      geofences: supervisor.fences.size,
      vehicles: VEHICLES,
      batch: BATCH,
    }),
  );
  server.close();
  supervisor.close();
  await L.node.close();
  await t.dispose();
}
