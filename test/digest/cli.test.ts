import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kienGiang } from "./fixtures.ts";
import { decodePng } from "./png.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const exec = promisify(execFile);
let dir = "";

/** `npm run digest -- …` on a data dir holding the scripted Kiên Giang store and its audit trail. */
async function digest(...args: string[]) {
  return exec(process.execPath, ["--import", "tsx", path.join(ROOT, "src/cli/digest.ts"), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: "silent" },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "dondoc-digest-"));
  const s = await kienGiang();
  await writeFile(path.join(dir, "store.json"), JSON.stringify({ ...s.data, eventSeq: s.events.length }));
  await writeFile(path.join(dir, "events.jsonl"), s.events.map((e) => JSON.stringify(e)).join("\n") + "\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("npm run digest", { timeout: 60_000 }, () => {
  it("--json prints the figures the bot gives (Quý II/2021 as of 30/06)", async () => {
    const { stdout } = await digest("--at", "2021-06-30", "--json");
    const json = JSON.parse(stdout);
    expect(json.at).toBe("2021-06-30");
    expect(json.period).toEqual({ from: "2021-04-01", to: "2021-06-30" });
    expect(json.totals).toEqual({
      tasks: 15,
      awaitingDone: 0,
      doneOnTime: 2,
      doneLate: 3,
      openOnTime: 1,
      openOverdue: 8,
      continuousReported: 0,
      continuousMissing: 0,
      conditional: 1,
    });
    expect(json.byAgency[0]).toMatchObject({ agencyId: "so-noi-vu", name: "Sở Nội vụ", tasks: 5, openOverdue: 4 });
    expect(json.overdue).toHaveLength(8);
    expect(json.overdue[0]).toEqual({ code: "A10", agencyId: "so-noi-vu", due: "2020-12-31", workingDaysLate: 120, awaitingDone: false });
  });

  it("--from/--to, --xlsx and --png write files; the summary is printed otherwise", async () => {
    const { stdout } = await digest("--at", "2021-03-31", "--from", "2021-01-01", "--to", "2021-03-31", "--json");
    expect(JSON.parse(stdout).totals).toMatchObject({
      tasks: 22,
      doneOnTime: 7,
      doneLate: 2,
      openOnTime: 5,
      openOverdue: 6,
      conditional: 2,
    });
    const xlsx = path.join(dir, "out.xlsx");
    const png = path.join(dir, "out.png");
    const written = await digest("--at", "2021-06-30", "--xlsx", xlsx, "--png", png);
    expect(written.stderr).toContain("(1000×378)");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(xlsx)) as unknown as ArrayBuffer);
    expect(wb.getWorksheet("Tổng hợp")!.getCell("B7").value).toBe(15);
    expect(decodePng(await readFile(png))).toMatchObject({ width: 1000, height: 378 });
    const text = await digest("--at", "2021-06-30", "--agency", "so-tu-phap");
    expect(text.stdout).toContain("Sở Tư pháp · số liệu đến 30/06/2021");
    expect(text.stdout).toContain("Tổng số nhiệm vụ: 1");
  });

  it("refuses bad flags with the usage", async () => {
    await expect(digest("--at", "2021-02-30")).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Cách dùng: npm run digest"),
    });
    await expect(digest("--from", "2021-01-01")).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("--from và --to") });
    await expect(digest("--area", "vu-tru")).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("Không có lĩnh vực") });
  });
});
