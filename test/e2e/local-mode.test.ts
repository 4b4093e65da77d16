import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/env.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PLAN = path.resolve(ROOT, "../shared/plans/kien-giang-2021.txt");

/** Run `npm start`'s program with no token, typing `lines` into its terminal chat. */
function runLocal(dataDir: string, lines: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    input: lines.join("\n") + "\n",
    env: { ...process.env, TELEGRAM_BOT_TOKEN: "", DATA_DIR: dataDir, NODE_ENV: "production" },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe("local mode (no token): the terminal chat over stdin/stdout", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir("dondoc-local-")));
  afterAll(async () => cleanup());

  it("starts, says it is local, answers /giup, and exits 0 at the end of input", () => {
    const { stdout, status } = runLocal(dir, ["/giup"]);
    expect(status).toBe(0);
    expect(stdout).toContain("CHẾ ĐỘ THỬ TRÊN MÁY (không có TELEGRAM_BOT_TOKEN, ZALO_BOT_TOKEN)");
    expect(stdout).toContain("/tiendo — Cập nhật tiến độ");
    // The local user is an admin: admin commands are listed.
    expect(stdout).toContain("/nap — Nạp kế hoạch");
  });

  it("loads a plan, then an agency's group reports progress, all kept in the JSON store", () => {
    const { stdout } = runLocal(dir, [
      `/nap ${PLAN}`,
      ":bam 1",
      ":nhom so-tu-phap",
      "/nhiemvu",
      "/tiendo A1 40 đang xin ý kiến",
      "/tiendo A1 150",
    ]);
    expect(stdout).toContain("Tổng số nhiệm vụ: 31");
    expect(stdout).toContain("Đã nạp «KẾ HOẠCH CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2021»: thêm 31");
    expect(stdout).toContain("đang ở nhóm so-tu-phap — đã gắn với Sở Tư pháp");
    expect(stdout).toMatch(/Nhiệm vụ chưa hoàn thành — Sở Tư pháp \(\d+\)/);
    expect(stdout).toContain("A1 — Sở Tư pháp: tiến độ 0% → 40%");
    expect(stdout).toContain("Tiến độ «150» không hợp lệ");

    const store = JSON.parse(readFileSync(path.join(dir, "store.json"), "utf8"));
    expect(store.tasks).toHaveLength(31);
    expect(store.assignments.find((a: { id: string }) => a.id === "A1@so-tu-phap").progress).toBe(40);
    expect(existsSync(path.join(dir, "events.jsonl"))).toBe(true);
    const events = readFileSync(path.join(dir, "events.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.map((e: { action: string }) => e.action)).toEqual(["import", "bind", "progress"]);
  });

  it("keeps state across restarts (same DATA_DIR)", () => {
    const { stdout } = runLocal(dir, [":nhom so-tu-phap", "/chitiet a1"]);
    expect(stdout).toContain("Sở Tư pháp: đang làm, 40%");
  });

  it(":homnay refuses a year outside the window every command uses", () => {
    const { stdout } = runLocal(dir, [":homnay 1800-01-01", ":homnay 2021-03-25"]);
    expect(stdout).toContain("Ngày 01/01/1800 nằm ngoài khoảng dondoc nhận");
    expect(stdout).toContain("Đồng hồ thử:");
  });

  it("writes the files the bot sends into DATA_DIR/tep-gui; a bad path or a folder gets plain Vietnamese", () => {
    const { stdout, status } = runLocal(dir, ["/maunhap 2027", `:tep ${path.join(dir, "khong-co.docx")}`, `/nap ${dir}`]);
    expect(status).toBe(0);
    const written = path.join(dir, "tep-gui", "mau-ke-hoach-2027.xlsx");
    expect(stdout).toContain(`→ ${written}`);
    expect(readFileSync(written).subarray(0, 2).toString()).toBe("PK"); // an .xlsx is a zip
    expect(stdout).toContain("Không gửi được tệp");
    expect(stdout).toContain("không có tệp này");
    expect(stdout).toContain("là một thư mục, không phải tệp kế hoạch");
    expect(stdout).not.toMatch(/ENOENT|EISDIR|Error:/);
  });
});
