import { defineConfig } from "vitest/config";

// The cards run under their own config and dependencies (HubSpot builds them from this folder's
// package.json); the repository root's `npm test` calls `npm --prefix <this folder> test`.
export default defineConfig({
  test: {
    include: ["__test__/**/*.test.{ts,tsx}"],
    environment: "node",
  },
});
