import { defineConfig } from "vitest/config";

/** `npm run test:faults`: long-running fault tests (processes killed at random), kept out of `npm test`. */
export default defineConfig({
  test: {
    include: ["test/faults/**/*.fault.ts"],
    testTimeout: 120_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
