/**
 * Issue 13 item 17 on the command line: a period out of range and a file that cannot be
 * written are told in plain Vietnamese — no zod text ("Too small: expected number to be
 * >=2000"), no raw ENOENT/EISDIR — with exit code 2.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/env.ts";
import { planPath } from "../support/plans.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const ENGLISH = /Too small|expected|ENOENT|EEXIST|EISDIR|Error:|undefined|NaN|\[object|Lỗi:/;

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir("dondoc-cli13-")));
afterAll(async () => cleanup?.());

function run(script: string, args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: path.join(dir, "data"), TELEGRAM_BOT_TOKEN: "", LOG_LEVEL: "silent" },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("CLI: periods and output files in plain Vietnamese", () => {
  it('digest --period "nam 1999" names the year and its range (was zod\'s English)', () => {
    const r = run("src/cli/digest.ts", ["--period", "nam 1999"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--period: Năm 1999 ngoài khoảng 2000–2100.");
    expect(r.stderr).not.toMatch(ENGLISH);
  });

  it("digest --xlsx <a folder> and --png <a missing folder>/x.png: what is wrong, no Node error", () => {
    const folder = run("src/cli/digest.ts", ["--at", "2021-06-30", "--xlsx", dir]);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toContain(`«${dir}» là một thư mục`);
    const missing = run("src/cli/digest.ts", ["--at", "2021-06-30", "--png", path.join(dir, "khong co", "x.png")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`Thư mục «${path.join(dir, "khong co")}» không có`);
    for (const r of [folder, missing]) expect(r.stderr).not.toMatch(ENGLISH);
  });

  it("export --out <a missing folder>/plan.json: what is wrong, nothing written", () => {
    const imported = run("src/cli/import.ts", [planPath("ben-tre-2021.md")]);
    expect(imported.status).toBe(0);
    const out = path.join(dir, "khong co", "plan.json");
    const r = run("src/cli/export.ts", ["--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`Thư mục «${path.join(dir, "khong co")}» không có`);
    expect(r.stderr).not.toMatch(ENGLISH);
    expect(existsSync(out)).toBe(false);
  });
});
