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

/** Runs the writer until it has acknowledged at least `minAcks` transactions past a random delay, then SIGKILLs it. */
function runAndKill(keysFile: string, target: string, killAfterMs: number): Promise<{ acks: string[]; errors: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/commit-writer.ts", keysFile, target], { stdio: ["ignore", "pipe", "pipe"] });
    const acks: string[] = [];
    const errors: string[] = [];
    let buf = "";
    let stderr = "";
    let ready = false;
    let killOnAck = false;
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith("ACK ")) {
          acks.push(line.slice(4));
          if (killOnAck) child.kill("SIGKILL");
        }
        else if (line.startsWith("ERR ")) errors.push(line.slice(4));
        else if (line.startsWith("READY") && !ready) {
          ready = true;
          // On a loaded machine the first commit can take longer than the delay: then kill at the
          // first acknowledgement instead (the writer is still mid-stream), so every round has some.
          setTimeout(() => (acks.length ? child.kill("SIGKILL") : (killOnAck = true)), killAfterMs);
        }
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
      const { acks, errors } = await runAndKill(keysFile, target, 1500 + round * 500);
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
  }, 120_000);
});
