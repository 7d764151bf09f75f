/** After a restart the node still opens sealed data (sealing keys persisted in the keystore) and the catalogue sync writes nothing. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../chain/store/db";
import { migratePortalDatabase } from "../db/migrate";
import { openPortalLedger } from "../ledger/portal-ledger";
import { demoRecords } from "./catalogue";
import { readDataset } from "./policy";
import { ensureSharing } from "./service";

const dir = mkdtempSync(join(tmpdir(), "cityledger-sharing-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function open() {
  const db = await openDatabase({ dataDir: join(dir, "pglite"), migrate: false });
  await migratePortalDatabase(db);
  return openPortalLedger({ db, keysFile: join(dir, "keys.json") });
}

describe("sharing across a restart", () => {
  it("keeps department sealing keys and the credential key in the keystore file, reads sealed data, re-syncs to no-op", async () => {
    const first = await open();
    await ensureSharing(first);
    const height = first.node.height;
    await first.close();
    const file = JSON.parse(readFileSync(join(dir, "keys.json"), "utf8")) as { sealKeys: Record<string, string>; credentialKey: string };
    expect(Object.keys(file.sealKeys)).toEqual(expect.arrayContaining(["sz", "sz.tp", "sz.psb", "sz.futian.tp"]));
    expect(file.credentialKey).toMatch(/^[0-9a-f]{64}$/);

    const again = await open();
    try {
      await ensureSharing(again);
      expect(again.node.height).toBe(height);
      const res = await readDataset(again, { id: "admin", dept: "sz", role: "sys_admin", clearance: 4 }, "identity.registry", { purpose: "重启后核对 check after restart", limit: 3 });
      expect(res.rows[0].name).toBe(demoRecords("identity.registry", 0)[0].sealed.name);
    } finally {
      await again.close();
    }
  });
});
