/**
 * The bound on every test and hook (vitest.config.ts) and on a CLI run a test spawns: seconds on an
 * idle machine, minutes with other work on both cores. It guards against a hang; it is not a
 * performance budget (timings belong in `npm run bench`).
 */
export const LONG_TEST_MS = 600_000;
