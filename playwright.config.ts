/**
 * End-to-end tests against a production build (`next build` runs before, never here), served by
 * `next start` on port 3100 with a fresh ledger: a new PGlite data dir, or E2E_DATABASE_URL (a fresh,
 * empty PostgreSQL database) with a new keystore path. Debian's chromium; no browser download.
 */
import { readdirSync, rmSync, statSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
/** The second server, started with no demo data; its administrator's password (a test secret, not a real one). */
const EMPTY_PORT = Number(process.env.E2E_EMPTY_PORT ?? 3101);
const EMPTY_ADMIN_PASSWORD = "Onboard@e2e-2026";
process.env.E2E_RUN_ID ??= String(Date.now());
const dataDir = `.data/e2e-${process.env.E2E_RUN_ID}`;
const pg = process.env.E2E_DATABASE_URL;

/** Earlier runs' ledgers (older than an hour) are removed so .data does not grow without bound. */
function removeOldRunDirs(): void {
  try {
    for (const name of readdirSync(".data")) {
      const dir = `.data/${name}`;
      if (name.startsWith("e2e-") && dir !== dataDir && Date.now() - statSync(dir).mtimeMs > 3600_000) rmSync(dir, { recursive: true, force: true });
    }
  } catch {
    // no .data yet
  }
}
if (!process.env.TEST_WORKER_INDEX) removeOldRunDirs();

export default defineConfig({
  testDir: "e2e",
  // A bound against hangs only: on a busy machine a whole flow (sign in, ingest, map, ledger) takes minutes.
  timeout: 300_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results/e2e",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    acceptDownloads: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--use-angle=swiftshader",
        "--enable-unsafe-swiftshader",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: [
    {
      command: `node_modules/.bin/next start -p ${PORT}`,
      url: `http://127.0.0.1:${PORT}/api/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        // As `npm start` runs the server (see package.json).
        NODE_OPTIONS: "--max-semi-space-size=32",
        CITYLEDGER_DATA_DIR: dataDir,
        // The e2e tests feed telemetry over HTTP; MQTT ingest and its broker are covered by test/mqtt-broker.test.ts.
        MQTT_URL: "off",
        ...(pg ? { DATABASE_URL: pg, CITYLEDGER_KEYS: `${dataDir}/keys.json` } : {}),
      },
    },
    {
      // A deployment with no demo data (CITYLEDGER_DEMO=0): e2e/onboarding.spec.ts starts from its empty ledger.
      command: `node_modules/.bin/next start -p ${EMPTY_PORT}`,
      url: `http://127.0.0.1:${EMPTY_PORT}/api/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        NODE_OPTIONS: "--max-semi-space-size=32",
        CITYLEDGER_DATA_DIR: `${dataDir}-empty`,
        CITYLEDGER_DEMO: "0",
        CITYLEDGER_ADMIN_PASSWORD: EMPTY_ADMIN_PASSWORD,
        MQTT_URL: "off",
      },
    },
  ],
});
