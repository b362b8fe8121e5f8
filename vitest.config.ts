import { defineConfig } from "vitest/config";

// Store-backed suites share one Redis and one PostgreSQL; files run one after another so a
// slow suite never starves another's connections. Each suite still isolates itself by name
// (tenant ids, queue prefixes, schemas) so order never matters.
export default defineConfig({
  test: {
    include: ["server/test/**/*.test.ts", "shared/**/*.test.ts", "test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
