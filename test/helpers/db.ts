/** Test databases: PGlite in memory, and a fresh PostgreSQL database per test file (dropped after). */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../../chain/store/db.js";

export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDb {
  db: Database;
  url?: string;
  dispose(): Promise<void>;
}

/** A fresh database, empty or (with `template`, the URL of a database nobody is connected to) a copy of that one. */
export async function createPgDatabase(opts: { template?: string } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cityledger_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(opts.template ? `CREATE DATABASE ${name} TEMPLATE ${opts.template.split("/").pop()}` : `CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const BACKENDS = ["pglite", "postgres"] as const;
export type Backend = (typeof BACKENDS)[number];

export async function openTestDb(kind: Backend): Promise<TestDb> {
  if (kind === "pglite") {
    const db = await openDatabase({ dataDir: "memory://" });
    return { db, dispose: () => db.close() };
  }
  const { url, drop } = await createPgDatabase();
  const db = await openDatabase({ url });
  return {
    db,
    url,
    dispose: async () => {
      // Whoever else closed the connection first (a harness closing its services), the database goes.
      await db.close().catch(() => undefined);
      await drop();
    },
  };
}
