/**
 * Both auditors over every case of the tamper table (test/helpers/tamper-cases.ts), on PGlite and
 * PostgreSQL: the reference auditor (chain/audit/reference.ts) and the fast one (chain/verify.ts,
 * on this thread and, on PostgreSQL, with its checker thread) must give the same verdict and name
 * the same first bad row, the one the case says.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Auditor } from "../chain/audit/auditor.js";
import { auditLedger } from "../chain/audit/reference.js";
import type { Database } from "../chain/store/db.js";
import { LedgerStore } from "../chain/store/ledger-store.js";
import { verifyLedger } from "../chain/verify.js";
import { BACKENDS, openTestDb, type TestDb } from "./helpers/db.js";
import { LEDGER_TABLES, TAMPER_CASES, tamperLedger, type TamperCase, type TamperFixture } from "./helpers/tamper-cases.js";

const APPEND_ONLY = LEDGER_TABLES.filter((t) => t !== "state_records");

describe.each(BACKENDS)("the auditors agree on every tamper case, on %s", (backend) => {
  let t: TestDb;
  let f: TamperFixture;
  let store: LedgerStore;
  const auditors: [string, Auditor][] = [
    ["reference", auditLedger],
    ["fast", (s, o) => verifyLedger(s, { ...o, worker: false })],
    ...(backend === "postgres" ? [["fast, checker thread", (s, o) => verifyLedger(s, { ...o, worker: true, handover: 0 })] as [string, Auditor]] : []),
  ];

  beforeAll(async () => {
    t = await openTestDb(backend);
    const built = await tamperLedger(t.db);
    await built.L.node.close();
    f = built.f;
    store = new LedgerStore(t.db);
    for (const table of LEDGER_TABLES) await t.db.query(`CREATE TABLE saved_${table} AS SELECT * FROM ${table}`);
  }, 120_000);
  afterAll(async () => {
    await t?.dispose();
  });

  /** Puts every ledger table back as it was saved, with the append-only triggers on again. */
  async function restore(db: Database, c: TamperCase): Promise<void> {
    await c.undo?.(db).catch(() => undefined);
    for (const table of LEDGER_TABLES) {
      await db.query(`DELETE FROM ${table}`);
      await db.query(`INSERT INTO ${table} SELECT * FROM saved_${table}`);
    }
    for (const table of APPEND_ONLY) await db.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
  }

  it.each(TAMPER_CASES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    for (const table of APPEND_ONLY) await t.db.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    try {
      const expected = await c.apply(t.db, f);
      for (const [name, audit] of auditors) {
        const r = await audit(store);
        expect({ auditor: name, ok: r.ok, at: r.error?.at ?? null }, r.error?.message).toEqual({ auditor: name, ok: expected === null, at: expected });
      }
    } finally {
      await restore(t.db, c);
    }
  }, 60_000);

  it("on the untouched ledger, both report the same counts", async () => {
    const [ref, fast] = await Promise.all([auditLedger(store), verifyLedger(store, { worker: false })]);
    expect(ref.ok).toBe(true);
    expect({ ...ref, ms: 0 }).toEqual({ ...fast, ms: 0 });
  }, 60_000);
});
