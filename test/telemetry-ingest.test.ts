/** Telemetry ingest end to end on PGlite and PostgreSQL: signed batches, validation, storage, anchoring, tamper detection, alarms. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toHex, utf8 } from "../chain/bytes.js";
import { nodeSignatures } from "../chain/node-crypto.js";
import { generateKeyPair } from "../chain/signature.js";
import { project, unproject } from "../server/geo/geometry";
import { checkBatch } from "../server/ingest/pings";
import { IngestError, TelemetryIngest } from "../server/ingest/telemetry-ingest";
import { handleIngestRequest, handleTripRequest } from "../server/ingest/http";
import { TripIngest } from "../server/ingest/trips";
import { encodeMqttPayload, startMqttIngest } from "../server/ingest/mqtt";
import mqtt from "mqtt";
import { startTestBroker } from "./helpers/mqtt-broker.js";
import { VehicleSupervisor } from "../server/vehicles/supervisor";
import { BACKENDS, openTestDb, type TestDb } from "./helpers/db.js";
import { addTransportBureau, createTestLedger, type TestLedger } from "./helpers/ledger.js";
import { until } from "./helpers/until.js";

const C: [number, number] = [114.05, 22.54];
const at = (dx: number, dy: number) => unproject(project(...C)[0] + dx, project(...C)[1] + dy);

describe.each(BACKENDS)("telemetry ingest on %s", (backend) => {
  let t: TestDb;
  let L: TestLedger;
  let supervisor: VehicleSupervisor;
  let ingest: TelemetryIngest;
  const company = generateKeyPair();
  const now = Date.now();
  const sign = (body: object) => {
    const bytes = utf8(JSON.stringify(body));
    return { bytes, sig: toHex(nodeSignatures.sign(company.secretKey, bytes)) };
  };
  const ping = (terminal: string, sec: number, dx: number, dy: number, speed = 40) => {
    const [lon, lat] = at(dx, dy);
    return { terminal, ts: now - 600_000 + sec * 1000, lon, lat, speed };
  };

  beforeAll(async () => {
    t = await openTestDb(backend);
    L = await createTestLedger(t.db);
    await addTransportBureau(L, [
      ["svc.ingest", "tr", "operator"],
      ["svc.engine", "tp", "operator"],
      ["tp.sup", "tp", "supervisor"],
    ]);
    const tr = (type: string, payload: object) => L.node.submit({ type, dept: "tr", actor: "svc.ingest", payload: payload as never }, "k.tr");
    const tp = (type: string, payload: object) => L.node.submit({ type, dept: "tp", actor: "tp.sup", payload: payload as never }, "k.tp");
    await tr("company.register", { id: "hz-logistics", name: "深圳危运物流", kind: "logistics", ingestKey: company.publicKey });
    await tr("vehicle.register", { plate: "粤B10001", cls: "taxi", company: "hz-logistics", terminal: "TERM-TAXI", licence: { no: "T1", status: "valid" } });
    await tp("vehicle.register", { plate: "粤BH0001", cls: "hazmat", company: "hz-logistics", terminal: "TERM-HZ", licence: { no: "H1", status: "valid" } });
    await tp("geofence.define", { id: "route-1", name: "危运走廊", kind: "hazmat_corridor", shape: { type: "corridor", path: [at(-3000, 0), at(3000, 0)], widthM: 100 } });
    await tp("hazmat.permit", { id: "permit-1", plate: "粤BH0001", cargoClass: "3", cargo: "柴油", corridor: "route-1", from: now - 3600_000, to: now + 3600_000 });
    supervisor = await VehicleSupervisor.open(L.node, { dept: "tp", actor: "svc.engine", key: "k.tp" }, { sweepMs: 0 });
    ingest = new TelemetryIngest(t.db, L.node, supervisor, { dept: "tr", actor: "svc.ingest", key: "k.tr" });
  });
  afterAll(async () => {
    supervisor.close();
    await L.node.close();
    await t.dispose();
  });

  it("stores valid pings, rejects malformed ones with reasons, skips duplicates, anchors the batch", async () => {
    const body = {
      pings: [
        ping("TERM-TAXI", 0, 0, 0),
        ping("TERM-TAXI", 5, 50, 0),
        { ...ping("TERM-TAXI", 10, 0, 0), lon: 200 },
        { ...ping("TERM-TAXI", 15, 0, 0), speed: -5 },
        { ...ping("TERM-TAXI", 20, 0, 0), ts: now + 3600_000 },
        ping("TERM-NOPE", 25, 0, 0),
        { ...ping("TERM-TAXI", 30, 0, 0), terminal: undefined },
        ping("TERM-TAXI", 5, 50, 0), // same vehicle and time again
        "not a ping",
      ],
    };
    const { bytes, sig } = sign(body);
    const r = await ingest.ingestSigned("hz-logistics", sig, bytes);
    expect(r.accepted).toBe(2);
    expect(r.duplicates).toBe(1);
    expect(r.rejected).toEqual([
      { index: 2, error: "lon: longitude out of range" },
      { index: 3, error: "speed: speed cannot be negative" },
      { index: 4, error: "ts: timestamp is in the future" },
      { index: 5, error: "terminal: unknown terminal TERM-NOPE" },
      { index: 6, error: expect.stringMatching(/^terminal: /) },
      { index: 8, error: expect.stringMatching(/^ping: /) },
    ]);
    const anchor = await L.node.store.record<{ root: string; count: number }>("telemetry", r.batch!);
    expect(anchor?.value).toMatchObject({ root: r.anchor!.root, count: 2 });
    expect(await checkBatch(ingest.pings, r.batch!, anchor!.value.root, 2)).toEqual({ ok: true });
    const track = await ingest.pings.track("粤B10001", now - 3600_000, now);
    expect(track.map((p) => p.speedX10)).toEqual([400, 400]);

    // Sending the same batch again stores nothing new.
    const again = await ingest.ingestSigned("hz-logistics", sig, bytes);
    expect(again).toMatchObject({ accepted: 0, duplicates: 3, batch: null, anchor: null });

    // A resent batch with new pings among old ones: only the new are stored, and the root covers exactly them.
    const mixed = sign({ pings: [ping("TERM-TAXI", 0, 0, 0), ping("TERM-TAXI", 40, 60, 0), ping("TERM-TAXI", 5, 50, 0), ping("TERM-TAXI", 45, 70, 0)] });
    const m = await ingest.ingestSigned("hz-logistics", mixed.sig, mixed.bytes);
    expect(m).toMatchObject({ accepted: 2, duplicates: 2 });
    expect(m.batch).toMatch(/^[0-9a-f]{32}$/);
    expect(await checkBatch(ingest.pings, m.batch!, m.anchor!.root, 2)).toEqual({ ok: true });
    expect((await ingest.pings.batch(m.batch!)).map((p) => p.ts)).toEqual([now - 600_000 + 40_000, now - 600_000 + 45_000]);
  });

  it("detects a later edit of any stored ping against the anchored root", async () => {
    const { bytes, sig } = sign({ pings: [ping("TERM-TAXI", 100, 0, 0), ping("TERM-TAXI", 105, 10, 0), ping("TERM-TAXI", 110, 20, 0)] });
    const r = await ingest.ingestSigned("hz-logistics", sig, bytes);
    const { rows: stored } = await t.db.query<{ rows: string }>("SELECT json_agg(p)::text AS rows FROM telemetry_pings p WHERE batch = $1", [r.batch]);
    try {
      await t.db.query("UPDATE telemetry_pings SET speed_x10 = 300 WHERE batch = $1 AND batch_idx = 1", [r.batch]);
      const check = await checkBatch(ingest.pings, r.batch!, r.anchor!.root, 3);
      expect(check.ok).toBe(false);
      expect(check.reason).toMatch(/anchored root is/);
      await t.db.query("DELETE FROM telemetry_pings WHERE batch = $1 AND batch_idx = 2", [r.batch]);
      expect((await checkBatch(ingest.pings, r.batch!, r.anchor!.root, 3)).reason).toMatch(/2 pings stored, 3 anchored/);
    } finally {
      await t.db.query("DELETE FROM telemetry_pings WHERE batch = $1", [r.batch]);
      await t.db.query("INSERT INTO telemetry_pings SELECT * FROM json_populate_recordset(NULL::telemetry_pings, $1::json)", [stored[0].rows]);
    }
    expect(await checkBatch(ingest.pings, r.batch!, r.anchor!.root, 3)).toEqual({ ok: true });
  });

  it("refuses unknown companies, bad signatures and malformed bodies with clear errors", async () => {
    const { bytes, sig } = sign({ pings: [ping("TERM-TAXI", 200, 0, 0)] });
    await expect(ingest.ingestSigned("nobody", sig, bytes)).rejects.toMatchObject({ status: 401, message: "unknown company nobody" });
    const forged = toHex(nodeSignatures.sign(generateKeyPair().secretKey, bytes));
    await expect(ingest.ingestSigned("hz-logistics", forged, bytes)).rejects.toMatchObject({ status: 401, message: "bad batch signature" });
    const notJson = sign({}).bytes.slice(0, 1);
    await expect(ingest.ingestSigned("hz-logistics", toHex(nodeSignatures.sign(company.secretKey, notJson)), notJson)).rejects.toBeInstanceOf(IngestError);
    const noPings = sign({ positions: [] });
    await expect(ingest.ingestSigned("hz-logistics", noPings.sig, noPings.bytes)).rejects.toThrow(/must be \{"pings"/);
  });

  it("raises a hazmat route deviation as a ledger alarm", async () => {
    const { bytes, sig } = sign({ pings: [ping("TERM-HZ", 300, 0, 10, 40), ping("TERM-HZ", 310, 100, 30, 40), ping("TERM-HZ", 320, 200, 300, 40)] });
    const r = await ingest.ingestSigned("hz-logistics", sig, bytes);
    expect(r.alarms).toBe(1);
    const alarms = (await L.node.store.records<{ type: string; subject: string; permit: string; status: string }>("alarm")).map((a) => a.value);
    expect(alarms).toContainEqual(expect.objectContaining({ type: "route_deviation", subject: "粤BH0001", permit: "permit-1", status: "open" }));
  });

  it("ingests over MQTT through the project's authenticated Mosquitto, and acknowledges on the company's ack topic only", async () => {
    // The project's broker (scripts/mqtt-broker.ts's config) on a free port: per-company users and topic ACLs.
    const broker = await startTestBroker({ companies: ["hz-logistics", "other-co"] });
    const server = await startMqttIngest(broker.url, ingest, { clientId: `test-ingest-${backend}-${process.pid}`, ...broker.credentials("ingest") });
    const device = await mqtt.connectAsync(broker.url, { clientId: `test-device-${backend}-${process.pid}`, ...broker.credentials("hz-logistics") });
    const intruder = await mqtt.connectAsync(broker.url, { clientId: `test-intruder-${backend}-${process.pid}`, ...broker.credentials("other-co") });
    try {
      await device.subscribeAsync("cityledger/telemetry-ack/hz-logistics/TERM-TAXI", { qos: 1 });
      const acks: Record<string, unknown>[] = [];
      device.on("message", (_topic, payload) => acks.push(JSON.parse(payload.toString())));
      const seen: string[] = [];
      await intruder.subscribeAsync("cityledger/#", { qos: 1 });
      intruder.on("message", (topic) => seen.push(topic));
      const waitAck = async (n: number) => {
        await until(`ack #${n}`, () => acks.length >= n);
        expect(acks.length).toBe(n);
        return acks[n - 1];
      };

      const good = sign({ pings: [ping("TERM-TAXI", 400, 0, 0), { ...ping("TERM-TAXI", 405, 30, 0), odometerKm: 12_345.6 }, ping("TERM-HZ", 405, 0, 0)] });
      await device.publishAsync("cityledger/telemetry/hz-logistics/TERM-TAXI", encodeMqttPayload(good.sig, good.bytes), { qos: 1 });
      const ack = await waitAck(1);
      expect(ack).toMatchObject({ accepted: 2, rejected: [{ index: 2, error: "terminal: message on TERM-TAXI's topic" }], mileage: 1 });
      // The terminal's odometer went on the ledger with the batch.
      expect((await L.node.store.record<{ odometerKm: number; readings: number }>("mileage", "粤B10001"))?.value).toMatchObject({ odometerKm: 12_345.6, readings: 1 });
      const rows = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM telemetry_pings WHERE batch = $1", [ack.batch]);
      expect(rows.rows[0].n).toBe(2);

      // Another company's user cannot publish on hz-logistics's topic: the broker drops it before the ingest.
      await intruder.publishAsync("cityledger/telemetry/hz-logistics/TERM-TAXI", encodeMqttPayload(good.sig, good.bytes), { qos: 1 });
      const forged = encodeMqttPayload("0".repeat(128), good.bytes);
      await device.publishAsync("cityledger/telemetry/hz-logistics/TERM-TAXI", forged, { qos: 1 });
      expect(await waitAck(2)).toEqual({ error: "bad batch signature", status: 401 });
      expect(server.stats.messages).toBe(2);
      // Nor did it see hz-logistics's telemetry or acks.
      expect(seen).toEqual([]);
    } finally {
      await intruder.endAsync();
      await device.endAsync();
      await server.stop();
      await broker.close();
    }
  });

  it("takes trips and pings through the HTTP handlers, with clear statuses for bad requests", async () => {
    const platform = generateKeyPair();
    const tr = (type: string, payload: object) => L.node.submit({ type, dept: "tr", actor: "svc.ingest", payload: payload as never }, "k.tr");
    await tr("company.register", { id: "caocao", name: "曹操出行", kind: "ride_hailing_platform", ingestKey: platform.publicKey });
    await tr("vehicle.register", { plate: "粤BD10001", cls: "ride_hailing", company: "caocao", terminal: "TERM-RH1", licence: { no: "R1", status: "valid" } });
    await tr("driver.register", { id: "drv-1", name: "钱师傅", company: "caocao", licence: { no: "D1", status: "valid" }, vehicles: ["粤BD10001"] });
    const trips = new TripIngest(L.node, { dept: "tr", actor: "svc.ingest", key: "k.tr" });
    const post = (handler: (r: Request) => Promise<Response>, company: string, key: string, body: object, path = "trips") => {
      const bytes = utf8(JSON.stringify(body));
      return handler(
        new Request(`http://test/api/ingest/${path}`, {
          method: "POST",
          headers: { "x-cityledger-company": company, "x-cityledger-signature": toHex(nodeSignatures.sign(key, bytes)), "content-type": "application/json" },
          body: Buffer.from(bytes),
        }),
      );
    };
    const res = await post((r) => handleTripRequest(r, trips), "caocao", platform.secretKey, {
      trips: [
        { id: "CC-000001", driver: "drv-1", plate: "粤BD10001", start: now - 600_000, end: now, distanceKm: 4, fareYuan: 18 },
        { id: "CC-000002", driver: "drv-ghost", plate: "粤BD10001", start: now - 600_000, end: now, distanceKm: 4, fareYuan: 18 },
        { id: "x", driver: "drv-1", plate: "粤BD10001", start: now, end: now, distanceKm: 1, fareYuan: 1 },
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 2, compliant: 1, rejected: [{ index: 2, error: expect.stringMatching(/^id: trip id/) }] });
    expect((await L.node.store.record<{ problems: string[] }>("trip", "CC-000002"))?.value.problems).toEqual(["driver_unregistered"]);
    // A logistics company cannot report ride-hailing trips; a missing signature is a 401.
    expect((await post((r) => handleTripRequest(r, trips), "hz-logistics", company.secretKey, { trips: [] })).status).toBe(403);
    const unsigned = await handleIngestRequest(new Request("http://test/api/ingest/pings", { method: "POST", body: "{}" }), ingest);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ error: expect.stringMatching(/headers are required/) });
    const pings = await post((r) => handleIngestRequest(r, ingest), "hz-logistics", company.secretKey, { pings: [ping("TERM-TAXI", 500, 0, 0)] }, "pings");
    expect(pings.status).toBe(200);
    expect(await pings.json()).toMatchObject({ accepted: 1, rejected: [] });
  });
});
