/**
 * Durability: a writer killed with SIGKILL in the middle of a stream of commits restarts with every
 * acknowledged transaction present and no partial block (verify replays the whole ledger).
 * Real child processes, several kills per backend.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../chain/store/db.js";
import { LedgerStore } from "../chain/store/ledger-store.js";
import { verifyLedger } from "../chain/verify.js";
import { createPgDatabase } from "./helpers/db.js";

const ROUNDS = 3;

/**
 * Runs the writer and SIGKILLs it as its `killAt`-th acknowledgement comes in: it keeps 400
 * transactions in flight, so the kill lands while later blocks are being built and written.
 */
function runAndKill(keysFile: string, target: string, killAt: number): Promise<{ acks: string[]; errors: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/commit-writer.ts", keysFile, target], { stdio: ["ignore", "pipe", "pipe"] });
    const acks: string[] = [];
    const errors: string[] = [];
    let buf = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith("ACK ")) {
          acks.push(line.slice(4));
          if (acks.length === killAt) child.kill("SIGKILL");
        } else if (line.startsWith("ERR ")) errors.push(line.slice(4));
      }
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (_code, signal) => {
      if (signal === "SIGKILL") resolve({ acks, errors });
      else reject(new Error(`writer exited without being killed: ${stderr}`));
    });
  });
}

describe.each(["postgres", "pglite"] as const)("SIGKILL during commits (%s)", (backend) => {
  const dir = mkdtempSync(join(tmpdir(), "cityledger-crash-"));
  let target = join(dir, "pglite");
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged transaction and no partial block, over ${ROUNDS} kills`, async () => {
    if (backend === "postgres") ({ url: target, drop } = await createPgDatabase());
    const keysFile = join(dir, "keys.json");
    const acked: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // At the first acknowledgement, then some blocks of 200 later (each round's kill lands elsewhere in the pipeline).
      const { acks, errors } = await runAndKill(keysFile, target, 1 + round * 301);
      expect(errors).toEqual([]);
      expect(acks.length).toBeGreaterThan(0);
      acked.push(...acks);

      const db = await openDatabase(target.startsWith("postgres") ? { url: target } : { dataDir: target });
      try {
        const store = new LedgerStore(db);
        const { rows } = await db.query<{ hash: string }>("SELECT hash FROM ledger_txs WHERE hash = ANY($1::text[])", [acked]);
        expect(rows.length).toBe(acked.length);
        const report = await verifyLedger(store);
        expect(report.error).toBeUndefined();
        expect(report.ok).toBe(true);
        expect(report.txs).toBeGreaterThanOrEqual(acked.length);
      } finally {
        await db.close();
      }
    }
  });
});
