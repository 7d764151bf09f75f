/**
 * One SQL interface over the two backends: PGlite (embedded, file-backed default) and PostgreSQL
 * (node-postgres, when DATABASE_URL is set). The ledger's SQL is the same on both.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
// Each backend's modules load when a database of that kind opens: a process (or the auditor's
// worker thread) on PostgreSQL never loads PGlite's WebAssembly, nor one on PGlite node-postgres.
import type { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type { drizzle as drizzlePg } from "drizzle-orm/node-postgres";

export interface QueryResult<T> {
  rows: T[];
  /** Rows an INSERT/UPDATE/DELETE affected (so a write need not send rows back to be counted). */
  rowCount?: number | null;
}

export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<T>>;
}

export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** PostgreSQL: where it is, so that other threads (the auditor's checker) can open their own connections. */
  readonly url?: string;
  /** Runs fn in one database transaction: all of it commits or none of it. */
  transaction<R>(fn: (q: Queryable) => Promise<R>): Promise<R>;
  /** drizzle-orm over the same connection(s), for typed reads. */
  readonly orm: ReturnType<typeof drizzlePg> | ReturnType<typeof drizzlePglite>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../drizzle");

const INT8 = 20;

export interface OpenOptions {
  /** postgres://... ; when absent, PGlite at `dataDir`. */
  url?: string;
  /** PGlite folder; "memory://" for an in-memory database. */
  dataDir?: string;
  migrate?: boolean;
  /** Refuse every write in every session (an auditor's connection); implies no migrations. */
  readOnly?: boolean;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const db = opts.url ? await openPostgres(opts.url, opts.readOnly) : await openPglite(opts.dataDir ?? ".data/pglite");
  if (opts.readOnly) {
    // PGlite has one session; PostgreSQL pool clients get it from the connection options above.
    if (!opts.url) await db.query("SET default_transaction_read_only = on");
    return db;
  }
  if (opts.migrate !== false) await migrateDatabase(db);
  return db;
}

export async function migrateDatabase(db: Database): Promise<void> {
  const cfg = { migrationsFolder: MIGRATIONS_DIR };
  if (db.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(db.orm as ReturnType<typeof drizzlePglite>, cfg);
  } else {
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    await migrate(db.orm as ReturnType<typeof drizzlePg>, cfg);
  }
}

async function openPglite(dataDir: string): Promise<Database> {
  // PGlite does not create parent folders; without this the failure surfaces as a misleading migration error.
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const [{ PGlite }, { drizzle }] = await Promise.all([import("@electric-sql/pglite"), import("drizzle-orm/pglite")]);
  const client = await PGlite.create(dataDir, { parsers: { [INT8]: (v: string) => Number(v) } });
  const orm = drizzle(client);
  // PGlite is one connection: queue every statement and transaction so that a read never lands
  // inside another caller's open transaction (it would see a half-written block).
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <R>(fn: () => Promise<R>): Promise<R> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    kind: "pglite",
    orm,
    query: (text, params) => exclusive(() => client.query(text, params).then((r) => ({ rows: r.rows, rowCount: r.affectedRows ?? null })) as never),
    transaction: (fn) => exclusive(() => client.transaction((tx) => fn({ query: (t, p) => tx.query(t, p) as never }))),
    close: () => client.close(),
  };
}

async function openPostgres(url: string, readOnly = false): Promise<Database> {
  const [{ default: pg }, { drizzle }] = await Promise.all([import("pg"), import("drizzle-orm/node-postgres")]);
  const pool = new pg.Pool({
    connectionString: url,
    max: 8,
    ...(readOnly ? { options: "-c default_transaction_read_only=on" } : {}),
    types: { getTypeParser: (oid: number, format?: string) => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format as never)) } as never,
  });
  // An idle client can be cut off by the server (restart, DROP DATABASE ... FORCE); without a listener
  // that error would crash the process. The pool replaces the client on next use.
  pool.on("error", (err) => console.warn(`postgres: idle client error: ${err.message}`));
  const orm = drizzle(pool);
  return {
    kind: "postgres",
    url,
    orm,
    query: (text, params) => pool.query(text, params) as never,
    async transaction<R>(fn: (q: Queryable) => Promise<R>): Promise<R> {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const out = await fn({ query: (t, p) => client.query(t, p) as never });
        await client.query("COMMIT");
        return out;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
