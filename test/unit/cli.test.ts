/**
 * Every command-line script refuses what it does not know — an unknown flag (a typo like
 * `--dryrun`), a missing or malformed value, an extra argument — with one Vietnamese message
 * and its usage, exit code 2, and writes nothing.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planPath } from "../support/plans.ts";
import { tempDir } from "../support/env.ts";
import { openFileStore } from "../../src/store/file.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
let dataDir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: dataDir, cleanup } = await tempDir());
});
afterAll(async () => cleanup?.());

function run(script: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, TELEGRAM_BOT_TOKEN: "", ...env },
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
  ["import", "src/cli/import.ts", [PLAN, "--year", "2022", "--period", "2021-2025"], /Chỉ dùng một trong --year và --period/],
  ["import", "src/cli/import.ts", [PLAN, "--columns", "content=2,lead=2"], /cột 2 không thể vừa là cột nội dung vừa là cột chủ trì/],
  ["import", "src/cli/import.ts", [PLAN, "--columns", "content=2,content=3"], /cột nội dung được ghi hai lần/],
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

describe("npm run import and npm run template: help, folders and paths in Vietnamese", () => {
  it.each([
    ["import", "src/cli/import.ts", /--replaces/],
    ["template", "src/cli/template.ts", /--year 2027/],
  ])("npm run %s -- --help prints the usage and exits 0", (name, script, flag) => {
    const result = run(script, ["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Cách dùng: npm run ${name}`);
    expect(result.stdout).toMatch(flag);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it("a folder, a missing file, a missing folder to write into: a clear message, no Node error", async () => {
    const { dir, cleanup: done } = await tempDir();
    const folder = run("src/cli/import.ts", [dir]);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toContain(`«${dir}» là một thư mục, không phải tệp kế hoạch`);
    const missing = run("src/cli/import.ts", [path.join(dir, "khong-co.docx")]);
    expect(missing.stderr).toContain("Không có tệp");
    const out = path.join(dir, "nodir", "x.xlsx");
    const template = run("src/cli/template.ts", ["--out", out]);
    expect(template.status).toBe(2);
    expect(template.stderr).toContain(`Thư mục «${path.join(dir, "nodir")}» không có: hãy tạo thư mục đó trước`);
    for (const r of [folder, missing, template]) expect(r.stderr).not.toMatch(/EISDIR|ENOENT|Lỗi:/);
    expect(readdirSync(dataDir)).toEqual([]);
    await done();
  });

  it("relative paths are read and written from the folder the user ran npm in (INIT_CWD)", async () => {
    const { dir, cleanup: done } = await tempDir();
    mkdirSync(path.join(dir, "sub"));
    copyFileSync(PLAN, path.join(dir, "sub", "ke-hoach.md"));
    const npm = { INIT_CWD: dir, npm_lifecycle_event: "import" };
    const read = run("src/cli/import.ts", ["sub/ke-hoach.md", "--dry-run"], npm);
    expect(read.stderr).toBe("");
    expect(read.status).toBe(0);
    expect(read.stdout).toContain("Tổng số nhiệm vụ: 37");
    const made = run("src/cli/template.ts", ["--out", "sub/mau.xlsx", "--year", "2027"], { ...npm, npm_lifecycle_event: "template" });
    expect(made.status).toBe(0);
    expect(existsSync(path.join(dir, "sub", "mau.xlsx"))).toBe(true);
    expect(existsSync(path.join(ROOT, "sub"))).toBe(false);
    await done();
  });
});

describe("npm run import while the bot holds the data directory (found by a newcomer)", () => {
  it("--dry-run previews from a snapshot; a real import says to use /nap or stop the bot", async () => {
    const { dir, cleanup: done } = await tempDir();
    const held = await openFileStore(dir); // the "running bot"
    try {
      const dry = run("src/cli/import.ts", [PLAN, "--dry-run"], { DATA_DIR: dir });
      expect(dry.status).toBe(0);
      expect(dry.stdout).toContain("nhiệm vụ");
      const real = run("src/cli/import.ts", [PLAN], { DATA_DIR: dir });
      expect(real.status).toBe(2);
      expect(real.stderr).toContain("Bot đang chạy trên thư mục dữ liệu");
      expect(real.stderr).not.toMatch(/Có lỗi ngoài dự kiến|data directory is in use/);
    } finally {
      await held.close();
      await done();
    }
  });
});
