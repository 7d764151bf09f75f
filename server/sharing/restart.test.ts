/** After a restart the node still opens sealed data (sealing keys persisted in the keystore) and the catalogue sync writes nothing. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openApp } from "../app";
import { testConfig } from "../testing/harness";
import { demoRecords } from "./catalogue";
import { readDataset } from "./policy";

const dir = mkdtempSync(join(tmpdir(), "cityledger-sharing-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The app on PGlite in `dir`: its start-up syncs the catalogue. */
async function open() {
  const app = await openApp(testConfig({ CITYLEDGER_DATA_DIR: dir }), { demoWorld: false, vehicles: false, log: () => undefined });
  return app.services.ledger;
}

describe("sharing across a restart", () => {
  it("keeps department sealing keys and the credential key in the keystore file, reads sealed data, re-syncs to no-op", async () => {
    const first = await open();
    const height = first.node.height;
    await first.close();
    const file = JSON.parse(readFileSync(join(dir, "keys.json"), "utf8")) as { sealKeys: Record<string, string>; credentialKey: string };
    expect(Object.keys(file.sealKeys)).toEqual(expect.arrayContaining(["sz", "sz.tp", "sz.psb", "sz.futian.tp"]));
    expect(file.credentialKey).toMatch(/^[0-9a-f]{64}$/);

    const again = await open();
    try {
      expect(again.node.height).toBe(height);
      const res = await readDataset(again, { id: "admin", dept: "sz", role: "sys_admin", clearance: 4 }, "identity.registry", { purpose: "重启后核对 check after restart", limit: 3 });
      expect(res.rows[0].name).toBe(demoRecords("identity.registry", 0)[0].sealed.name);
    } finally {
      await again.close();
    }
  });
});
