/**
 * The auditor's CLI as an auditor runs it, as a child process against a real database (PGlite and
 * PostgreSQL): it reads only, refuses an empty database, notices the newest blocks gone once the tip is
 * pinned, and never calls a receipt OK that no pinned key anchors.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../chain/store/db.js";
import { createPgDatabase } from "./helpers/db.js";
import { createTestLedger, type TestLedger } from "./helpers/ledger.js";
import { LONG_TEST_MS } from "./helpers/timeouts.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** Where a CLI run finds its database: DATABASE_URL, or the embedded one under CITYLEDGER_DATA_DIR. */
type Target = { env: Record<string, string> };

function cli(target: Target, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...target.env };
  if (!target.env.DATABASE_URL) delete env.DATABASE_URL;
  const r = spawnSync("node_modules/.bin/tsx", ["chain/cli.ts", ...args], { env, encoding: "utf8", timeout: LONG_TEST_MS });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

async function addBlocks(L: TestLedger, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await L.node.submit({ type: "dept.update", dept: "sz", actor: "system", payload: { id: "tp", name: `交警支队 ${i}` } as never }, "sys");
  }
}

interface Backend {
  name: string;
  /** An empty database the CLI can be pointed at. */
  empty(): Promise<Target>;
  /** A ledger at some height, and a copy of it taken one block earlier (the newest block deleted, cleanly). */
  ledger(): Promise<{ target: Target; truncated: Target; L: TestLedger; height: number; db: Database }>;
  /** Every row of every table, as text: the same before and after a read-only audit. */
  fingerprint(target: Target): Promise<string>;
}

const FINGERPRINT = `SELECT string_agg(t, '|' ORDER BY t) AS f FROM (
  SELECT table_schema || '.' || table_name || ':' || (xpath('/row/c/text()', query_to_xml('SELECT md5(coalesce(string_agg(x::text, '','' ORDER BY x::text), '''')) AS c FROM ' || quote_ident(table_schema) || '.' || quote_ident(table_name) || ' x', false, true, '')))[1]::text AS t
  FROM information_schema.tables WHERE table_schema IN ('public', 'drizzle')) s`;

const postgres: Backend = {
  name: "postgres",
  async empty() {
    const { url, drop } = await createPgDatabase();
    cleanups.push(drop);
    return { env: { DATABASE_URL: url } };
  },
  async ledger() {
    const { url, drop } = await createPgDatabase();
    cleanups.push(drop);
    const db = await openDatabase({ url });
    const L = await createTestLedger(db);
    await addBlocks(L, 2);
    // The copy is what an attacker leaves after deleting the newest block with its projection.
    await db.close();
    const copy = await createPgDatabase({ template: url });
    cleanups.push(copy.drop);
    const db2 = await openDatabase({ url });
    const L2 = await createTestLedger(db2, { keys: { nodeKey: L.nodeKey, systemKey: L.systemKey, deptKey: L.deptKey } });
    await addBlocks(L2, 1);
    cleanups.push(() => db2.close());
    return { target: { env: { DATABASE_URL: url } }, truncated: { env: { DATABASE_URL: copy.url } }, L: L2, height: L2.node.height, db: db2 };
  },
  async fingerprint(target) {
    const c = new pg.Client({ connectionString: target.env.DATABASE_URL });
    await c.connect();
    const { rows } = await c.query(FINGERPRINT);
    await c.end();
    return String(rows[0].f);
  },
};

const pglite: Backend = {
  name: "pglite",
  async empty() {
    const dir = mkdtempSync(join(tmpdir(), "cl-verify-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return { env: { CITYLEDGER_DATA_DIR: dir } };
  },
  async ledger() {
    const dir = mkdtempSync(join(tmpdir(), "cl-verify-"));
    const cut = mkdtempSync(join(tmpdir(), "cl-verify-cut-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => rmSync(cut, { recursive: true, force: true }));
    let db = await openDatabase({ dataDir: join(dir, "pglite") });
    const L = await createTestLedger(db);
    await addBlocks(L, 2);
    await db.close();
    cpSync(join(dir, "pglite"), join(cut, "pglite"), { recursive: true });
    db = await openDatabase({ dataDir: join(dir, "pglite") });
    const L2 = await createTestLedger(db, { keys: { nodeKey: L.nodeKey, systemKey: L.systemKey, deptKey: L.deptKey } });
    await addBlocks(L2, 1);
    const height = L2.node.height;
    // One owner at a time for an embedded database: the CLI gets it once the node lets go.
    await db.close();
    return { target: { env: { CITYLEDGER_DATA_DIR: dir } }, truncated: { env: { CITYLEDGER_DATA_DIR: cut } }, L: L2, height, db };
  },
  async fingerprint(target) {
    const db = await openDatabase({ dataDir: join(target.env.CITYLEDGER_DATA_DIR!, "pglite"), readOnly: true });
    const { rows } = await db.query<{ f: string }>(FINGERPRINT);
    await db.close();
    return String(rows[0]?.f);
  },
};

describe.each([pglite, postgres])("verify CLI on $name", (backend) => {
  it("fails on an empty database with 'no ledger', and creates nothing there", async () => {
    const target = await backend.empty();
    const r = cli(target, "verify");
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/VERIFY FAILED: no ledger/);
    if (backend === postgres) expect(await backend.fingerprint(target)).toBe("null");
    else expect(r.out).toMatch(/no embedded database/);
  });

  it("reads only; the pinned tip catches the newest block deleted, which an unpinned run cannot see", async () => {
    const { target, truncated, height } = await backend.ledger();
    const before = await backend.fingerprint(target);

    const pinned = cli(target, "verify", "--expect-height", String(height));
    expect(pinned.code, pinned.out).toBe(0);
    expect(pinned.out).toMatch(/ledger OK/);
    expect(pinned.out).not.toMatch(/not pinned/);
    expect(await backend.fingerprint(target)).toBe(before);

    // The reference auditor, as `npm run verify -- --reference` runs it: the same verdicts.
    const reference = cli(target, "verify", "--reference", "--expect-height", String(height));
    expect(reference.code, reference.out).toBe(0);
    expect(reference.out).toMatch(/ledger OK \(reference auditor\)/);
    const referenceCut = cli(truncated, "verify", "--reference", "--expect-height", String(height));
    expect(referenceCut.code, referenceCut.out).toBe(1);
    expect(referenceCut.out).toContain(`the tip is block ${height - 1}, the pinned tip is block ${height}`);

    const unpinned = cli(truncated, "verify");
    expect(unpinned.code, unpinned.out).toBe(0);
    expect(unpinned.out).toMatch(/tip is not pinned/);

    const cut = cli(truncated, "verify", "--expect-height", String(height));
    expect(cut.code, cut.out).toBe(1);
    expect(cut.out).toContain(`the tip is block ${height - 1}, the pinned tip is block ${height} (newest blocks are missing)`);

    expect(cli(target, "verify", "--expect-height", "x").code).toBe(2);
  });
});

describe("verify-receipt", () => {
  it("says UNANCHORED (exit 3) without pinned node keys, OK with them, INVALID with the wrong ones", async () => {
    const db = await openDatabase({ dataDir: "memory://" });
    cleanups.push(() => db.close());
    const L = await createTestLedger(db);
    const res = await L.node.submit({ type: "dept.update", dept: "sz", actor: "system", payload: { id: "tp", name: "交警支队" } as never }, "sys");
    const { hash } = res;
    const dir = mkdtempSync(join(tmpdir(), "cl-receipt-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "receipt.json");
    writeFileSync(file, JSON.stringify(await L.node.receipt(hash)));
    const none: Target = { env: {} };

    const unanchored = cli(none, "verify-receipt", file);
    expect(unanchored.code, unanchored.out).toBe(3);
    expect(unanchored.out).toMatch(/RECEIPT UNANCHORED/);
    expect(unanchored.out).not.toMatch(/receipt OK/);

    writeFileSync(join(dir, "nodes.json"), JSON.stringify({ n1: L.nodeKey.publicKey }));
    const ok = cli(none, "verify-receipt", file, "--nodes", join(dir, "nodes.json"));
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toMatch(/receipt OK/);

    writeFileSync(join(dir, "wrong.json"), JSON.stringify({ n1: "00".repeat(32) }));
    const wrong = cli(none, "verify-receipt", file, "--nodes", join(dir, "wrong.json"));
    expect(wrong.code, wrong.out).toBe(1);
    expect(wrong.out).toMatch(/RECEIPT INVALID/);
  });
});
