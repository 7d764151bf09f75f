/** The project's Mosquitto (server/ingest/broker-config.ts) on a random loopback port, in a temporary data dir. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../server/config";
import { readMqttCredentials, startMosquitto, type MqttCredentials, type RunningBroker } from "../../server/ingest/broker-config";

export interface TestBroker {
  url: string;
  dataDir: string;
  broker: RunningBroker;
  credentials(user: string): MqttCredentials;
  close(): Promise<void>;
}

export async function startTestBroker(opts: { companies: string[]; root?: string }, attempts = 5): Promise<TestBroker> {
  const dataDir = mkdtempSync(join(tmpdir(), "cityledger-mqtt-"));
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    // Below Linux's ephemeral range (32768+), where an outgoing connection's local port could take it.
    const port = 20000 + Math.floor(Math.random() * 12000);
    try {
      const broker = await startMosquitto({ dataDir, port, companies: opts.companies, root: opts.root, bin: loadConfig().mqtt.mosquittoBin });
      return {
        url: broker.url,
        dataDir,
        broker,
        credentials: (user) => readMqttCredentials(dataDir, user) ?? (() => { throw new Error(`no MQTT user ${user}`); })(),
        close: async () => {
          await broker.stop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    } catch (e) {
      last = e;
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  throw last;
}
