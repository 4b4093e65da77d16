/**
 * Smoke test of the benchmark helpers (not of any figure: benchmarks report, they never
 * fail a test): the statistics, the synthetic plan, and that a data directory written
 * straight to disk is one the file store opens as its own.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exponent, makeRegistry, median, p99, quantile, steadySendLog, tempDir, writeDataDir, PLANS_DIR } from "../../bench/lib.ts";
import { syntheticPlan } from "../../bench/import.ts";
import { readPlan } from "../../src/import/read.ts";
import { openFileStore } from "../../src/store/file.ts";

describe("bench helpers", () => {
  it("computes quantiles and growth exponents", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(median(xs)).toBe(50);
    expect(p99(xs)).toBe(99);
    expect(quantile([5], 0.99)).toBe(5);
    expect(exponent(10, 1, 100, 10)).toBeCloseTo(1);
    expect(exponent(10, 1, 100, 100)).toBeCloseTo(2);
  });

  it("makes a synthetic plan with `factor` times the tasks", async () => {
    const source = await readFile(path.join(PLANS_DIR, "ben-tre-2021.md"), "utf8");
    const one = await readPlan({ name: "x1.md", data: Buffer.from(syntheticPlan(source, 1)) });
    const three = await readPlan({ name: "x3.md", data: Buffer.from(syntheticPlan(source, 3)) });
    expect(one.rows.length).toBeGreaterThan(20);
    expect(three.rows.length).toBe(3 * one.rows.length);
    expect(new Set(three.rows.map((r) => r.content)).size).toBe(three.rows.length);
  });

  it("writes a data directory the file store opens as its own, with a steady-state send-log", async () => {
    const history = steadySendLog("2021-06-15", 10, 3); // Thu 10, Fri 11, Mon 14 June
    const data = { ...makeRegistry({ tasks: 30, agencies: 60, groups: 10 }), sendLog: history.sendLog };
    expect(data.assignments).toHaveLength(90);
    expect(data.bindings).toHaveLength(10);
    const { dir, cleanup } = await tempDir("dondoc-bench-smoke-");
    try {
      await writeDataDir(dir, data, 25, history.archive);
      const warnings: string[] = [];
      const store = await openFileStore(dir, { onWarning: (m) => warnings.push(m) });
      try {
        expect(warnings).toEqual([]);
        expect(store.read().eventSeq).toBe(25);
        expect(store.read().tasks).toHaveLength(30);
        const events = await store.events();
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
        expect(new Set(store.read().sendLog.map((e) => e.day))).toEqual(new Set(["2021-06-14"]));
        const archived = await store.sendLogArchive.entries();
        expect(archived).toHaveLength(20);
        expect(new Set(archived.map((e) => e.day))).toEqual(new Set(["2021-06-10", "2021-06-11"]));
      } finally {
        await store.close();
      }
    } finally {
      await cleanup();
    }
  });
});
