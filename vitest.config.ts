import { defineConfig } from "vitest/config";
import { LONG_TEST_MS } from "./test/helpers/timeouts";

export default defineConfig({
  test: {
    include: ["chain/**/*.test.ts", "server/**/*.test.ts", "test/**/*.test.ts"],
    // One bound for every test and hook, against hangs only: with other work on both cores a verify or
    // a seeded portal takes minutes, and no test may fail for being slow.
    testTimeout: LONG_TEST_MS,
    hookTimeout: LONG_TEST_MS,
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
  },
});
