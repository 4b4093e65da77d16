/**
 * Issue 14 item 4: the heavy libraries are loaded on first use, not at start-up. dondoc is
 * started as the start-up bench starts it (local mode, an empty data directory, until
 * ready) with a module-resolution hook that reports every package resolved: none of the
 * heavy readers' and outputs' libraries may be among them. Then an .xlsx plan is read in the
 * same kind of process: exceljs is loaded then.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// htmlparser2 and csv-parse are light and load with the importer; these three weigh.
const LAZY = ["exceljs", "mammoth", "@resvg/resvg-js"];
const dir = mkdtempSync(path.join(os.tmpdir(), "dondoc-lazy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hook = path.join(dir, "hook.mjs");
writeFileSync(
  hook,
  `import { writeSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.includes("/node_modules/")) writeSync(2, "RESOLVED " + result.url + "\\n");
  return result;
}
`,
);
const register = path.join(dir, "register.mjs");
writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`);

/** The packages a dondoc script resolves, from `node_modules/<name>/…` URLs. */
function packagesResolved(script: string, env: Record<string, string> = {}): Set<string> {
  const run = spawnSync(process.execPath, ["--import", "tsx", "--import", register, script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.status, run.stderr.slice(-2000)).toBe(0);
  const names = new Set<string>();
  for (const line of run.stderr.split("\n")) {
    const m = /^RESOLVED .*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
    if (m) names.add(m[1]);
  }
  return names;
}

describe("heavy libraries are loaded on first use", () => {
  it("starting dondoc to ready loads none of exceljs, mammoth, resvg", () => {
    const data = path.join(dir, "data");
    const names = packagesResolved(path.join(ROOT, "bench/startup-child.ts"), { BENCH_DATA_DIR: data });
    expect(names.has("grammy")).toBe(true); // the hook sees packages at all
    expect(LAZY.filter((n) => names.has(n))).toEqual([]);
  });

  it("reading an .xlsx plan loads exceljs then (and not mammoth)", () => {
    const script = path.join(dir, "read-xlsx.mts");
    const file = path.join(ROOT, "test/fixtures/plans/dak-lak-2025-cchc-xlsx-merged-title.xlsx");
    writeFileSync(
      script,
      `import { readFileSync } from "node:fs";
import { readPlan } from ${JSON.stringify(pathToFileURL(path.join(ROOT, "src/import/read.ts")).href)};
const plan = await readPlan({ name: "ke-hoach.xlsx", data: readFileSync(${JSON.stringify(file)}) });
if (plan.rows.length === 0) throw new Error("expected tasks");
`,
    );
    const names = packagesResolved(script);
    expect(names.has("exceljs")).toBe(true);
    expect(names.has("mammoth")).toBe(false);
  });
});
