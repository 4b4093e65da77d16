/** Building the runtime: a failure after the store opened releases it (found in review). */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildRuntime } from "../../src/boot/runtime.ts";
import { openFileStore } from "../../src/store/file.ts";
import { silentLog, tempDir, testConfig } from "../support/env.ts";

describe("buildRuntime", () => {
  it("a bad agencies.json is refused and leaves the data directory unlocked", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(path.join(dir, "agencies.json"), "{ not json");
      await expect(buildRuntime(testConfig({ DATA_DIR: dir }), silentLog)).rejects.toThrow();
      const store = await openFileStore(dir); // would be refused as locked before
      await store.close();
    } finally {
      await cleanup();
    }
  });
});
