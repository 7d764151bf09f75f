/** openApp: the start-up steps in order on a fresh PGlite data dir, and a second start on the same dir resuming its ledger. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DRIVERS_DATASET } from "../chain/contracts/vehicles";
import { openApp, type App } from "./app";
import { SERVICE_ACCOUNTS } from "./vehicles/service";
import { DEMO_MARKER_RULE } from "./vehicles/demo-data";
import { testConfig } from "./testing/harness";

const dir = mkdtempSync(join(tmpdir(), "cityledger-app-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = testConfig({ CITYLEDGER_DATA_DIR: dir, CITYLEDGER_DEMO_VEHICLES: "20", MQTT_URL: "off" });
const open = () => openApp(config, { vehicles: { sweepMs: 0 }, log: () => undefined });

async function snapshot(app: App) {
  const { store } = app.services.ledger.node;
  const genesis = await app.services.ledger.db.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_txs WHERE type = 'ledger.genesis'");
  return {
    height: app.services.ledger.node.height,
    block0: (await store.block(0))?.hash,
    genesisTxs: genesis.rows[0].n,
    datasets: (await store.records("dataset")).length,
    users: (await store.records("user")).length,
  };
}

describe("openApp on PGlite", () => {
  it("runs migrate, ledger, genesis, catalogue, service accounts, demo, ingest; a second start resumes the same ledger", async () => {
    const first = await open();
    let before: Awaited<ReturnType<typeof snapshot>>;
    try {
      expect(first.steps).toEqual(["migrate", "ledger", "genesis", "catalogue", "service-accounts", "demo", "ingest"]);
      const { store } = first.services.ledger.node;
      // Each step left its mark: the catalogue (with the drivers' key, which the demo's sealed drivers needed), the service accounts, the demo world, the ingest.
      expect(await store.record("dataset", DRIVERS_DATASET)).not.toBeNull();
      for (const a of Object.values(SERVICE_ACCOUNTS)) expect(await store.record("user", a.id)).not.toBeNull();
      expect(await store.record("rule", DEMO_MARKER_RULE)).not.toBeNull();
      expect((await store.records("driver")).length).toBeGreaterThan(0);
      expect(first.services.vehicles?.ingest).toBeDefined();
      expect(first.services.vehicles?.mqtt).toBeNull();
      before = await snapshot(first);
      expect(before.genesisTxs).toBe(1);
    } finally {
      await first.close();
    }

    const second = await open();
    try {
      expect(second.steps).toEqual(["migrate", "ledger", "resume", "catalogue", "service-accounts", "demo", "ingest"]);
      // Nothing seeded twice: the same genesis block, no new datasets, users or demo transactions.
      expect(await snapshot(second)).toEqual(before);
    } finally {
      await second.close();
    }
  }, 300_000);
});
