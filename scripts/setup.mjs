// Prepares a checkout before `next dev` / `next start`: vendor files, and the data folder.
// The ledger itself is opened (and seeded when empty) by the server on its first request.
import { mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";

execFileSync(process.execPath, ["scripts/copy-vendor.mjs"], { stdio: "inherit" });
if (!process.env.DATABASE_URL) mkdirSync(process.env.CITYLEDGER_DATA_DIR || ".data", { recursive: true });
console.log(
  process.env.DATABASE_URL
    ? "setup: ledger on PostgreSQL (DATABASE_URL)"
    : `setup: ledger on PGlite in ${process.env.CITYLEDGER_DATA_DIR || ".data"}/pglite (seeded with demo data on first start)`,
);
