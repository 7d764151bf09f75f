#!/usr/bin/env node
// `npm run dev`: the portal (next dev) on the embedded database, plus the traffic simulator feeding it
// (set CITYLEDGER_SIMULATE=0 to run the portal alone).
import { spawn } from "node:child_process";

const setup = spawn(process.execPath, ["scripts/setup.mjs"], { stdio: "inherit" });
await new Promise((r) => setup.on("exit", r));
const port = process.env.PORT ?? "3000";
// A larger young generation: the ingest path allocates per ping, and scavenges were 12-15% of its time.
const serverEnv = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-semi-space-size=32`.trim() };
const children = [spawn("node_modules/.bin/next", ["dev", "-p", port], { stdio: "inherit", env: serverEnv })];
if (process.env.CITYLEDGER_SIMULATE !== "0") {
  children.push(spawn("node_modules/.bin/tsx", ["scripts/simulate.ts", "--url", `http://127.0.0.1:${port}`], { stdio: "inherit" }));
}
const stop = () => {
  for (const c of children) c.kill("SIGTERM");
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
children[0].on("exit", (code) => {
  for (const c of children.slice(1)) c.kill("SIGTERM");
  process.exit(code ?? 0);
});
