import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["chain/**/*.test.ts", "server/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
  },
});
