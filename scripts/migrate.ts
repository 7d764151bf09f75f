/** Applies the drizzle migrations to DATABASE_URL (PostgreSQL) or the embedded PGlite database. */
import { openDatabase } from "../chain/store/db.js";
import { loadConfig } from "../server/config";

const { database } = loadConfig();
const db = await openDatabase(database.kind === "postgres" ? { url: database.url } : { dataDir: database.dir });
console.log(`migrations applied (${db.kind})`);
await db.close();
