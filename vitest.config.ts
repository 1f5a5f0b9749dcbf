import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Pulumi's mock runtime is process-global state, so each test file gets its own process.
    pool: "forks",
    testTimeout: 60_000,
  },
});
