/**
 * MQTT ingest: terminals (or their company gateway) publish signed batches to
 *   cityledger/telemetry/<company>/<terminal>
 * with the payload "<128-hex ed25519 signature>\n<JSON body {"pings": [...]}>", the same signed body
 * as the HTTP path. The result is published back to cityledger/telemetry-ack/<company>/<terminal>.
 * The project's broker (./broker-config.ts) lets each company publish and read only its own topics.
 */
import { RECORD_ID } from "../../chain/contracts/ids";
import mqtt, { type MqttClient } from "mqtt";
import { IngestError, type IngestResult, type TelemetryIngest } from "./telemetry-ingest";

/** Topic root; a deployment (or a test) may use its own so that several share one broker. */
export const DEFAULT_TOPIC_ROOT = "cityledger";

export function encodeMqttPayload(signatureHex: string, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(signatureHex + "\n"), Buffer.from(body)]);
}

export interface MqttIngest {
  client: MqttClient;
  stats: { messages: number; accepted: number; rejected: number; errors: number };
  stop(): Promise<void>;
}

export async function startMqttIngest(url: string, ingest: TelemetryIngest, opts: { clientId?: string; root?: string; username?: string; password?: string; ca?: Buffer } = {}): Promise<MqttIngest> {
  const root = opts.root ?? DEFAULT_TOPIC_ROOT;
  const TOPIC = new RegExp(`^${root.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\/telemetry\\/(${RECORD_ID.source.slice(1, -1)})\\/([A-Za-z0-9_-]{4,40})$`);
  const client = await mqtt.connectAsync(url, {
    clientId: opts.clientId ?? `cityledger-ingest-${process.pid}`,
    clean: true,
    reconnectPeriod: 2000,
    username: opts.username,
    password: opts.password,
    ca: opts.ca, // mqtts:// against a broker certificate of a private CA (MQTT_CA_FILE)
  });
  const stats = { messages: 0, accepted: 0, rejected: 0, errors: 0 };
  client.on("message", (topic, payload) => {
    stats.messages++;
    void handle(topic, payload).then(
      (res) => {
        stats.accepted += res.accepted;
        stats.rejected += res.rejected.length;
        void client.publishAsync(topic.replace("/telemetry/", "/telemetry-ack/"), JSON.stringify(res)).catch(() => undefined);
      },
      (e: Error) => {
        stats.errors++;
        const status = e instanceof IngestError ? e.status : 500;
        if (status === 500) console.error(`[mqtt] ${topic}: ${e.message}`);
        void client.publishAsync(topic.replace("/telemetry/", "/telemetry-ack/"), JSON.stringify({ error: e.message, status })).catch(() => undefined);
      },
    );
  });

  async function handle(topic: string, payload: Buffer): Promise<IngestResult> {
    const m = TOPIC.exec(topic);
    if (!m) throw new IngestError(`topic must be ${root}/telemetry/<company>/<terminal>`, 400);
    const [, company, terminal] = m;
    const nl = payload.indexOf(0x0a);
    if (nl !== 128) throw new IngestError("payload must be '<signature hex>\\n<json>'", 400);
    const signature = payload.subarray(0, 128).toString("ascii");
    const body = new Uint8Array(payload.subarray(129));
    // The topic names the terminal: every ping in the message must be that terminal's.
    const res = await ingest.ingestSigned(company, signature, body, (p) => p.terminal === terminal || `terminal: message on ${terminal}'s topic`);
    return res;
  }

  await client.subscribeAsync(`${root}/telemetry/+/+`, { qos: 1 });
  return {
    client,
    stats,
    stop: async () => {
      await client.endAsync();
    },
  };
}

