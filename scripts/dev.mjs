#!/usr/bin/env node
// `npm run dev`: the portal (next dev) on the embedded database, the project's MQTT broker (mosquitto
// with per-company users, scripts/mqtt-broker.ts) and the traffic simulator feeding it
// (set CITYLEDGER_SIMULATE=0 to run the portal alone; MQTT_URL=... to use another broker, MQTT_URL=off for none).
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createConnection } from "node:net";

const setup = spawn(process.execPath, ["scripts/setup.mjs"], { stdio: "inherit" });
await new Promise((r) => setup.on("exit", r));
const port = process.env.PORT ?? "3000";
const children = [];

const portOpen = (p) =>
  new Promise((done) => {
    const s = createConnection({ host: "127.0.0.1", port: p });
    s.once("connect", () => (s.destroy(), done(true)));
    s.once("error", () => done(false));
  });

/** Starts the project broker unless MQTT_URL names another; returns the env the portal and simulator need. */
async function startBroker() {
  if (process.env.MQTT_URL) return {};
  // Debian installs it in /usr/sbin, which is not on a normal user's PATH.
  const bin = process.env.MOSQUITTO_BIN ?? (existsSync("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto");
  if (spawnSync(bin, ["-h"]).error) {
    console.warn("[dev] mosquitto is not installed (apt-get install mosquitto): running without MQTT ingest; HTTP ingest still works");
    return { MQTT_URL: "off" };
  }
  const brokerPort = Number(process.env.MQTT_BROKER_PORT ?? 1884);
  const broker = spawn("node_modules/.bin/tsx", ["scripts/mqtt-broker.ts", "--port", String(brokerPort)], { stdio: "inherit" });
  let exited = false;
  broker.on("exit", () => (exited = true));
  for (let i = 0; i < 200 && !exited; i++) {
    if (await portOpen(brokerPort)) {
      children.push(broker);
      return { MQTT_URL: `mqtt://127.0.0.1:${brokerPort}` };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  broker.kill("SIGTERM");
  console.warn(`[dev] the MQTT broker did not start on ${brokerPort}: running without MQTT ingest; HTTP ingest still works`);
  return { MQTT_URL: "off" };
}

const brokerEnv = await startBroker();
// A larger young generation: the ingest path allocates per ping, and scavenges were 12-15% of its time.
const serverEnv = { ...process.env, ...brokerEnv, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-semi-space-size=32`.trim() };
const portal = spawn("node_modules/.bin/next", ["dev", "-p", port], { stdio: "inherit", env: serverEnv });
children.unshift(portal);
if (process.env.CITYLEDGER_SIMULATE !== "0") {
  children.push(spawn("node_modules/.bin/tsx", ["scripts/simulate.ts", "--url", `http://127.0.0.1:${port}`], { stdio: "inherit", env: { ...process.env, ...brokerEnv } }));
}
const stop = () => {
  for (const c of children) c.kill("SIGTERM");
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
portal.on("exit", (code) => {
  for (const c of children.slice(1)) c.kill("SIGTERM");
  process.exit(code ?? 0);
});
