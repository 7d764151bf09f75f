import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["chain/**/*.test.ts", "server/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    // A harness runs the app's start-up steps (server/app.ts: seed, catalogue) in beforeAll.
    hookTimeout: 180_000,
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
  },
});
