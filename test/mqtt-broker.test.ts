/**
 * The project's Mosquitto (server/ingest/broker-config.ts), started for real on a free port: no
 * anonymous or wrong-password clients; a company publishes only on its own telemetry topics and
 * reads only its own acks; only the ingest user reads telemetry and writes acks; secrets are 0600
 * and reused on restart.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../server/config";
import { mosquittoPasswordHash, mqttConnection, readMqttCredentials, writeBrokerConfig } from "../server/ingest/broker-config";
import { startTestBroker, type TestBroker } from "./helpers/mqtt-broker";
import { until } from "./helpers/until";

const A = "sz-bus";
const B = "didi";
let broker: TestBroker;
const clients: MqttClient[] = [];

async function as(user: string, id = user): Promise<MqttClient> {
  const c = await mqtt.connectAsync(broker.url, { ...broker.credentials(user), clientId: `t-${id}-${process.pid}`, reconnectPeriod: 0 });
  clients.push(c);
  return c;
}

/** Messages a client receives from now on, by topic. */
function inbox(c: MqttClient): { topic: string; text: string }[] {
  const got: { topic: string; text: string }[] = [];
  c.on("message", (topic, payload) => got.push({ topic, text: payload.toString() }));
  return got;
}

describe("the project's MQTT broker", () => {
  beforeAll(async () => {
    broker = await startTestBroker({ companies: [A, B] });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync().catch(() => undefined)));
    await broker?.close();
  });

  it("refuses anonymous clients and wrong passwords", async () => {
    await expect(mqtt.connectAsync(broker.url, { clientId: `t-anon-${process.pid}`, reconnectPeriod: 0 })).rejects.toThrow(/Not authorized/i);
    await expect(mqtt.connectAsync(broker.url, { clientId: `t-bad-${process.pid}`, username: A, password: "wrong-password-123456", reconnectPeriod: 0 })).rejects.toThrow(/Not authorized|Bad username or password/i);
    // One company's password is not another's.
    await expect(mqtt.connectAsync(broker.url, { clientId: `t-swap-${process.pid}`, username: B, password: broker.credentials(A).password, reconnectPeriod: 0 })).rejects.toThrow(/Not authorized|Bad username or password/i);
  });

  it("delivers a company's telemetry on its own topic to the ingest, and drops what it publishes on another company's", async () => {
    const ingest = await as("ingest");
    const got = inbox(ingest);
    await ingest.subscribeAsync("cityledger/telemetry/+/+", { qos: 1 });
    const a = await as(A);
    await a.publishAsync(`cityledger/telemetry/${B}/TERM-B1`, "forged by A", { qos: 1 });
    await a.publishAsync(`cityledger/telemetry/${A}/TERM-A1`, "genuine", { qos: 1 });
    // One client's messages arrive in order: once the genuine one is in, the forged one is not coming.
    await until("A's own telemetry", () => got.length > 0);
    expect(got).toEqual([{ topic: `cityledger/telemetry/${A}/TERM-A1`, text: "genuine" }]);
  });

  it("lets a company read neither other companies' telemetry nor their acks, nor forge acks", async () => {
    const a = await as(A);
    const got = inbox(a);
    // Mosquitto 2.0 grants the subscriptions and checks the ACL on each delivery: what matters is what arrives.
    await a.subscribeAsync([`cityledger/telemetry/${B}/+`, `cityledger/telemetry-ack/${B}/+`, "cityledger/#", `cityledger/telemetry-ack/${A}/+`], { qos: 1 });
    const b = await as(B);
    const bGot = inbox(b);
    await b.subscribeAsync(`cityledger/telemetry-ack/${B}/+`, { qos: 1 });
    await b.publishAsync(`cityledger/telemetry/${B}/TERM-B1`, "B's telemetry", { qos: 1 });
    // A forges an ack to itself and to B: neither arrives.
    await a.publishAsync(`cityledger/telemetry-ack/${A}/TERM-A1`, "forged ack", { qos: 1 });
    await a.publishAsync(`cityledger/telemetry-ack/${B}/TERM-B1`, "forged ack", { qos: 1 });
    // The real acks go last: the broker has routed (or dropped) everything above before it takes them
    // (each publish above waited for its PUBACK), so once they are in, nothing else is coming.
    const ingest = await as("ingest", "ingest-2");
    await ingest.publishAsync(`cityledger/telemetry-ack/${B}/TERM-B1`, "ack for B", { qos: 1 });
    await ingest.publishAsync(`cityledger/telemetry-ack/${A}/TERM-A1`, "ack for A", { qos: 1 });
    await until("B's ack", () => bGot.length > 0);
    await until("A's ack", () => got.length > 0);
    expect(got).toEqual([{ topic: `cityledger/telemetry-ack/${A}/TERM-A1`, text: "ack for A" }]);
    expect(bGot).toEqual([{ topic: `cityledger/telemetry-ack/${B}/TERM-B1`, text: "ack for B" }]);
  });

  it("keeps its secrets 0600 and reuses them when the config is written again; the password file holds hashes only", () => {
    const before = readMqttCredentials(broker.dataDir, A)!;
    const files = writeBrokerConfig({ dataDir: broker.dataDir, companies: [A, B, "new-co"] });
    expect(readMqttCredentials(broker.dataDir, A)).toEqual(before);
    expect(readMqttCredentials(broker.dataDir, "new-co")?.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(files.companies).toEqual([B, "new-co", A]);
    for (const f of ["secrets.json", "passwd", "acl", "mosquitto.conf"]) expect(statSync(join(files.dir, f)).mode & 0o777).toBe(0o600);
    expect(() => writeBrokerConfig({ dataDir: broker.dataDir, companies: ["ingest"] })).toThrow(/cannot be named/);
    expect(() => writeBrokerConfig({ dataDir: broker.dataDir, companies: ["Bad/Company"] })).toThrow(/company id/);
    expect(mosquittoPasswordHash("pw", Buffer.alloc(12))).toMatch(/^\$7\$101\$AAAAAAAAAAAAAAAA\$[A-Za-z0-9+/]{86}==$/);
  });

  it("gives the app and the simulator their user's generated password, unless MQTT_* override it", () => {
    expect(mqttConnection(broker.dataDir, "ingest", loadConfig({}).mqtt)).toEqual({ url: "mqtt://127.0.0.1:1884", credentials: broker.credentials("ingest") });
    expect(mqttConnection(broker.dataDir, A, loadConfig({ MQTT_URL: "mqtts://b.example:8883", MQTT_USERNAME: "gw", MQTT_PASSWORD: "pw" }).mqtt)).toEqual({
      url: "mqtts://b.example:8883",
      credentials: { username: "gw", password: "pw" },
    });
    expect(mqttConnection(join(broker.dataDir, "nowhere"), "ingest", loadConfig({}).mqtt).credentials).toBeNull();
  });
});
