/**
 * verify's pins and row names: a saved receipt pins its block (the same hash at its height, and a tip
 * at least that high, so a deleted newest block is caught), and deleted or swapped transaction rows are
 * named by seq. PGlite and PostgreSQL, with the append-only triggers disabled as an attacker would.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../chain/store/db.js";
import { LedgerStore } from "../chain/store/ledger-store.js";
import { verifyLedger } from "../chain/verify.js";
import { BACKENDS, createPgDatabase, openTestDb } from "./helpers/db.js";
import { createTestLedger, newTestKeys, type TestLedger } from "./helpers/ledger.js";
import { LONG_TEST_MS } from "./helpers/timeouts.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function cli(env: Record<string, string>, ...args: string[]) {
  const e: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!env.DATABASE_URL) delete e.DATABASE_URL;
  const r = spawnSync("node_modules/.bin/tsx", ["chain/cli.ts", ...args], { env: e, encoding: "utf8", timeout: LONG_TEST_MS });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

const rename = (L: TestLedger, name: string) => L.node.submit({ type: "dept.update", dept: "sz", actor: "system", payload: { id: "tp", name } as never }, "sys");

describe.each(BACKENDS)("verify names transaction rows on %s", (kind) => {
  it("a deleted row by its seq, two swapped rows by both seqs", async () => {
    const t = await openTestDb(kind);
    cleanups.push(() => t.dispose());
    const L = await createTestLedger(t.db);
    await L.node.drain();
    const verify = () => verifyLedger(new LedgerStore(t.db), { worker: false });
    expect((await verify()).ok).toBe(true);
    // A block of several transactions (the test users are created together).
    const { rows } = await t.db.query<{ height: number; seqs: number[] }>(
      "SELECT height::int AS height, array_agg(seq::int ORDER BY seq) AS seqs FROM ledger_txs GROUP BY height HAVING count(*) >= 3 ORDER BY height LIMIT 1",
    );
    expect(rows.length).toBe(1);
    const { height, seqs } = rows[0];
    const [a, b] = [seqs[0], seqs[2]];

    await t.db.query("ALTER TABLE ledger_txs DISABLE TRIGGER ALL");
    await t.db.query("CREATE TABLE saved_tx AS SELECT * FROM ledger_txs WHERE seq = $1", [seqs[1]]);
    await t.db.query("DELETE FROM ledger_txs WHERE seq = $1", [seqs[1]]);
    const del = await verify();
    expect(del.ok).toBe(false);
    expect(del.error!.message).toContain(`transaction #${seqs[1]} of block ${height} missing`);
    expect(del.error!.at).toMatchObject({ height, seq: seqs[1], table: "ledger_txs" });
    await t.db.query("INSERT INTO ledger_txs SELECT * FROM saved_tx");
    await t.db.query("DROP TABLE saved_tx");
    expect((await verify()).ok).toBe(true);

    // Swapped: each row moved to the other's seq.
    await t.db.query("UPDATE ledger_txs SET seq = -1 WHERE seq = $1", [a]);
    await t.db.query("UPDATE ledger_txs SET seq = $1 WHERE seq = $2", [a, b]);
    await t.db.query("UPDATE ledger_txs SET seq = $1 WHERE seq = -1", [b]);
    const sw = await verify();
    expect(sw.ok).toBe(false);
    expect(sw.error!.message).toContain(`transactions #${a} and #${b} of block ${height} swapped`);
    // The same with the position column swapped too (only the signed order tells them apart).
    await t.db.query("UPDATE ledger_txs SET idx = CASE WHEN seq = $1 THEN $3::int ELSE $4::int END WHERE seq IN ($1, $2)", [a, b, 0, 2]);
    const sw2 = await verify();
    expect(sw2.error!.message).toContain(`transactions #${a} and #${b} of block ${height} swapped`);
    await t.db.query("ALTER TABLE ledger_txs ENABLE TRIGGER ALL");
  });
});

interface Target {
  env: Record<string, string>;
}

/** A ledger with a copy taken before its newest block (what deleting that block cleanly leaves), and a receipt from that block. */
async function ledgerWithCut(kind: (typeof BACKENDS)[number]): Promise<{ target: Target; cut: Target; receipt: unknown }> {
  const keys = newTestKeys();
  if (kind === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "cl-pins-"));
    const cut = mkdtempSync(join(tmpdir(), "cl-pins-cut-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => rmSync(cut, { recursive: true, force: true }));
    let db: Database = await openDatabase({ dataDir: join(dir, "pglite") });
    await rename(await createTestLedger(db, { keys }), "a");
    await db.close();
    cpSync(join(dir, "pglite"), join(cut, "pglite"), { recursive: true });
    db = await openDatabase({ dataDir: join(dir, "pglite") });
    const L = await createTestLedger(db, { keys });
    const { hash } = await rename(L, "b");
    await L.node.drain();
    const receipt = await L.node.receipt(hash);
    await db.close();
    return { target: { env: { CITYLEDGER_DATA_DIR: dir } }, cut: { env: { CITYLEDGER_DATA_DIR: cut } }, receipt };
  }
  const { url, drop } = await createPgDatabase();
  cleanups.push(drop);
  let db = await openDatabase({ url });
  await rename(await createTestLedger(db, { keys }), "a");
  await db.close();
  const copy = await createPgDatabase({ template: url });
  cleanups.push(copy.drop);
  db = await openDatabase({ url });
  const L = await createTestLedger(db, { keys });
  const { hash } = await rename(L, "b");
  await L.node.drain();
  const receipt = await L.node.receipt(hash);
  await db.close();
  return { target: { env: { DATABASE_URL: url } }, cut: { env: { DATABASE_URL: copy.url } }, receipt };
}

describe.each(BACKENDS)("verify --receipt on %s", (kind) => {
  it("pins the receipt's block: passes on the ledger, catches the newest block deleted and a block that is not the receipt's", async () => {
    const { target, cut, receipt } = await ledgerWithCut(kind);
    const dir = mkdtempSync(join(tmpdir(), "cl-pins-r-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "receipt.json");
    writeFileSync(file, JSON.stringify(receipt));
    const height = (receipt as { block: { header: { height: number } } }).block.header.height;

    const ok = cli(target.env, "verify", "--receipt", file);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain(`pinned: block ${height}`);
    expect(ok.out).not.toMatch(/not pinned/);

    const gone = cli(cut.env, "verify", "--receipt", file);
    expect(gone.code, gone.out).toBe(1);
    expect(gone.out).toContain(`the tip is block ${height - 1}, the receipt is in block ${height} (newest blocks are missing)`);

    // A genuine receipt from another ledger of the same chain at the same height: that block is not this one.
    const other = await openDatabase({ dataDir: "memory://" });
    cleanups.push(() => other.close());
    const O = await createTestLedger(other);
    await rename(O, "a");
    const { hash } = await rename(O, "b");
    await O.node.drain();
    const foreign = await O.node.receipt(hash);
    expect(foreign!.block.header.height).toBe(height);
    writeFileSync(join(dir, "foreign.json"), JSON.stringify(foreign));
    const swapped = cli(target.env, "verify", "--receipt", join(dir, "foreign.json"));
    expect(swapped.code, swapped.out).toBe(1);
    expect(swapped.out).toContain(`block ${height} is not the pinned block`);

    // A receipt that does not hold together is refused before the ledger is read.
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ ...(receipt as object), block: { ...(receipt as { block: object }).block, hash: "00".repeat(32) } }));
    const bad = cli(target.env, "verify", "--receipt", join(dir, "bad.json"));
    expect(bad.code, bad.out).toBe(2);
    expect(bad.out).toMatch(/receipt invalid/);
  });
});
