/** Applies the drizzle migrations to DATABASE_URL (PostgreSQL) or the embedded PGlite database. */
import { join } from "node:path";
import { openDatabase } from "../chain/store/db.js";

const url = process.env.DATABASE_URL;
const db = await openDatabase(url ? { url } : { dataDir: join(process.env.CITYLEDGER_DATA_DIR ?? ".data", "pglite") });
console.log(`migrations applied (${db.kind})`);
await db.close();
