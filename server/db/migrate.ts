/**
 * Applies the drizzle migrations (ledger tables and the portal's auth tables) from `<cwd>/drizzle`.
 * The folder is resolved from the working directory, not from a module URL, so that it is found
 * from the Next server bundle as well as from tests.
 */
import { resolve } from "node:path";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { Database } from "../../chain/store/db";

export const MIGRATIONS_FOLDER = resolve(/*turbopackIgnore: true*/ process.env.CITYLEDGER_MIGRATIONS ?? "drizzle");

export async function migratePortalDatabase(db: Database): Promise<void> {
  const cfg = { migrationsFolder: MIGRATIONS_FOLDER };
  if (db.kind === "pglite") await migratePglite(db.orm as Parameters<typeof migratePglite>[0], cfg);
  else await migratePg(db.orm as Parameters<typeof migratePg>[0], cfg);
}
