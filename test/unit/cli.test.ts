/**
 * Every command-line script refuses what it does not know — an unknown flag (a typo like
 * `--dryrun`), a missing or malformed value, an extra argument — with one Vietnamese message
 * and its usage, exit code 2, and writes nothing.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planPath } from "../support/plans.ts";
import { tempDir } from "../support/env.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
let dataDir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: dataDir, cleanup } = await tempDir());
});
afterAll(async () => cleanup?.());

function run(script: string, args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, TELEGRAM_BOT_TOKEN: "" },
    encoding: "utf8",
    timeout: 60_000,
  });
}

const PLAN = planPath("ben-tre-2021.md");
const CASES: [string, string, string[], RegExp][] = [
  ["import", "src/cli/import.ts", [PLAN, "--dryrun"], /Không có tùy chọn --dryrun\. Có phải ý bạn là --dry-run\?/],
  ["import", "src/cli/import.ts", [PLAN, "--bogus"], /Không có tùy chọn --bogus\./],
  ["import", "src/cli/import.ts", [PLAN, "--year", "abc"], /--year abc: cần một năm, ví dụ 2022/],
  ["import", "src/cli/import.ts", [PLAN, "--year"], /Tùy chọn --year cần một giá trị\./],
  ["import", "src/cli/import.ts", [PLAN, "--json=yes"], /Tùy chọn --json không nhận giá trị\./],
  ["import", "src/cli/import.ts", [PLAN, PLAN], /Thừa tham số/],
  ["remind", "src/cli/remind.ts", ["--dryrun"], /Không có tùy chọn --dryrun\. Có phải ý bạn là --dry-run\?/],
  ["remind", "src/cli/remind.ts", ["2021-03-25"], /Không nhận tham số «2021-03-25»/],
  ["digest", "src/cli/digest.ts", ["--bogus"], /Không có tùy chọn --bogus\./],
  ["digest", "src/cli/digest.ts", ["--at", "2021-02-31"], /--at 2021-02-31: cần một ngày có thật/],
  ["digest", "src/cli/digest.ts", ["--from", "2021-04-01"], /--from và --to đi cùng nhau/],
  ["export", "src/cli/export.ts", ["--outt", "x.json"], /Không có tùy chọn --outt\. Có phải ý bạn là --out\?/],
  ["score", "test/support/gold-report.ts", ["--detail"], /Không có tùy chọn --detail\. Có phải ý bạn là --details\?/],
  ["bench", "bench/run.ts", ["--only", "nothing"], /--only nothing: chọn trong: import/],
];

describe("every CLI refuses unknown flags and bad values, in Vietnamese, and does nothing", () => {
  it.each(CASES)("npm run %s: %s %j", (name, script, args, message) => {
    const result = run(script, args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(`Cách dùng: npm run ${name}`);
    expect(result.stderr).not.toMatch(/Invalid|Unknown|Error|expected/);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
