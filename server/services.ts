/**
 * The process-wide services (one ledger node, one database, one sign-in limiter), opened once per
 * process by the composition root (./app.ts) from the environment (./config.ts), and kept on
 * globalThis so dev-mode reloads do not open PGlite twice.
 */
import { openApp } from "./app";
import { loadConfig } from "./config";
import type { Services } from "./api/trpc";

const g = globalThis as typeof globalThis & { __cityledgerServices?: Promise<Services> };

export function getServices(): Promise<Services> {
  g.__cityledgerServices ??= openApp(loadConfig())
    .then((app) => app.services)
    .catch((e) => {
      g.__cityledgerServices = undefined;
      throw e;
    });
  return g.__cityledgerServices;
}
