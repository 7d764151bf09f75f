/**
 * The project's MQTT broker: writes <data dir>/mqtt/{mosquitto.conf,passwd,acl,secrets.json} (see
 * server/ingest/broker-config.ts) and runs mosquitto on it in the foreground (127.0.0.1:1884).
 *   tsx scripts/mqtt-broker.ts [--port 1884]          run the broker (scripts/dev.mjs does this)
 *   tsx scripts/mqtt-broker.ts --add <company-id>     add a company user (its password goes to secrets.json);
 *                                                     a running broker reloads its users and ACL (SIGHUP)
 * Data dir: CITYLEDGER_DATA_DIR, default .data (server/config.ts). Users: `ingest` and every demo company.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../server/config";
import { readMqttCredentials, startMosquitto, writeBrokerConfig } from "../server/ingest/broker-config";
import { DEMO_COMPANIES } from "../server/vehicles/demo-data";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const config = loadConfig();
const dataDir = config.dataDir;
const port = Number(flag("port") ?? config.mqtt.brokerPort);
const companies = DEMO_COMPANIES.map((c) => c.id);
const log = (m: string) => console.log(`[mqtt-broker] ${m}`);

const added = flag("add");
if (added) {
  const files = writeBrokerConfig({ dataDir, port, companies: [...companies, added] });
  log(`company user "${added}" is in ${files.dir}/passwd and acl; its password: ${readMqttCredentials(dataDir, added)!.password}`);
  const pidFile = join(files.dir, "mosquitto.pid");
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, "utf8")), "SIGHUP");
      log("the running broker reloaded its users and ACL");
    } catch {
      log("no broker running; it takes the user at its next start");
    }
  }
  process.exit(0);
}

const broker = await startMosquitto({ dataDir, port, companies, bin: config.mqtt.mosquittoBin, log: true });
const pidFile = join(broker.files.dir, "mosquitto.pid");
writeFileSync(pidFile, String(broker.process.pid));
log(`mosquitto on ${broker.url}: anonymous clients refused; users ingest, ${broker.files.companies.join(", ")}; secrets in ${broker.files.dir}/secrets.json`);
const stop = async () => {
  await broker.stop();
  rmSync(pidFile, { force: true });
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
broker.process.on("exit", (code) => {
  log(`mosquitto exited (code ${code})`);
  rmSync(pidFile, { force: true });
  process.exit(code ?? 1);
});
