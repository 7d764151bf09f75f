/**
 * npm run simulate — drives the demo fleet against a running portal (HTTP and MQTT ingest).
 *   --url http://127.0.0.1:3000   --vehicles 2000   --speedup 1   --scenarios all|none|a,b   --no-mqtt   --seconds N
 *   --at HH:MM   start the simulated clock at the most recent past HH:MM Shenzhen time (e.g. 23:00 for the night ban)
 * Reads the companies' ingest keys from the portal's keystore (CITYLEDGER_KEYS or <CITYLEDGER_DATA_DIR>/keys.json),
 * and the MQTT company's broker password from <CITYLEDGER_DATA_DIR>/mqtt/secrets.json (or MQTT_URL/MQTT_USERNAME/MQTT_PASSWORD).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { companyKeyId, DEMO_COMPANIES } from "../server/vehicles/demo-data";
import { loadConfig } from "../server/config";
import { mqttConnection } from "../server/ingest/broker-config";
import { MQTT_COMPANY, SCENARIOS, Simulator, type ScenarioName } from "../server/sim/runner";

const args = process.argv.slice(2);
const flag = (name: string, fallback?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const url = flag("url", process.env.CITYLEDGER_URL ?? "http://127.0.0.1:3000")!;
const config = loadConfig();
const broker = mqttConnection(config.dataDir, MQTT_COMPANY, config.mqtt);
const scenarioArg = flag("scenarios", "all")!;
const scenarios: ScenarioName[] = scenarioArg === "all" ? [...SCENARIOS] : scenarioArg === "none" ? [] : (scenarioArg.split(",") as ScenarioName[]);
for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}; known: ${SCENARIOS.join(", ")}`);
const log = (m: string) => console.log(`[simulate] ${m}`);

/** The most recent past moment that is HH:MM in Shenzhen (UTC+8). */
function lastLocalTime(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error("--at takes HH:MM");
  const now = Date.now();
  const local = new Date(now + 8 * 3600_000);
  let t = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), Number(m[1]), Number(m[2])) - 8 * 3600_000;
  if (t > now) t -= 86_400_000;
  return t;
}

async function waitForPortal(): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    if (i % 10 === 0) log(`waiting for the portal at ${url} …`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function loadKeys(): Map<string, string> | null {
  if (!existsSync(config.keysFile)) return null;
  const keys = new Map(Object.entries((JSON.parse(readFileSync(config.keysFile, "utf8")) as { keys: Record<string, string> }).keys));
  return DEMO_COMPANIES.every((c) => keys.has(companyKeyId(c.id))) ? keys : null;
}

await waitForPortal();
let keys = loadKeys();
while (!keys) {
  log(`waiting for the demo companies' keys in ${config.keysFile} …`);
  await new Promise((r) => setTimeout(r, 2000));
  keys = loadKeys();
}
const sim = new Simulator({
  url,
  mqttUrl: args.includes("--no-mqtt") ? null : broker.url,
  mqttCredentials: broker.credentials,
  keys,
  vehicles: Number(flag("vehicles", String(config.demo.vehicles))),
  speedup: Number(flag("speedup", "1")),
  start: flag("at") ? lastLocalTime(flag("at")!) : undefined,
  scenarios,
  log,
});
await sim.start().catch(async (e: Error) => {
  log(`MQTT unavailable (${e.message}); sending everything over HTTP`);
  (sim.opts as { mqttUrl: string | null }).mqttUrl = null;
  await sim.start();
});
log(`${sim.fleet.vehicles.length} vehicles moving on ${sim.fleet.graph.size} road nodes; scenarios: ${scenarios.join(", ") || "none"}`);
const seconds = Number(flag("seconds", "0"));
const report = setInterval(() => log(`sent ${sim.stats.sent}, accepted ${sim.stats.accepted}, rejected ${sim.stats.rejected}, alarms ${sim.stats.alarms}, errors ${sim.stats.errors}`), 10_000);
const stop = async () => {
  clearInterval(report);
  await sim.stop();
  log(`done: ${JSON.stringify(sim.stats)}`);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
if (seconds > 0) setTimeout(stop, seconds * 1000);
