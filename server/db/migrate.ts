/**
 * Applies the drizzle migrations (ledger tables and the portal's auth tables) from `folder`
 * (config.migrationsDir: `<cwd>/drizzle` unless CITYLEDGER_MIGRATIONS says otherwise, resolved from the
 * working directory, not from a module URL, so that it is found from the Next server bundle as well as from tests).
 */
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { Database } from "../../chain/store/db";

export async function migratePortalDatabase(db: Database, folder: string): Promise<void> {
  const cfg = { migrationsFolder: folder };
  if (db.kind === "pglite") await migratePglite(db.orm as Parameters<typeof migratePglite>[0], cfg);
  else await migratePg(db.orm as Parameters<typeof migratePg>[0], cfg);
}
