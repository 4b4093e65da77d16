/**
 * The importer over the real plans: every row accounted for, codes, agencies, re-import and
 * amendments, dondoc's own export, and the CLI's contract.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createDirectory, type Directory } from "../../src/core/agencies.ts";
import { loadAgencyDirectory } from "../../src/boot/reference.ts";
import { readPlan } from "../../src/import/read.ts";
import {
  applyImport,
  compoundNames,
  draftFromRaw,
  newAgencies,
  planYearsOf,
  previewImport,
  type ImportPreview,
} from "../../src/import/importer.ts";
import { commitImport, previewText } from "../../src/import/service.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import type { RawPlan } from "../../src/import/types.ts";
import { draftFromExport, exportPreview } from "../../src/import/export.ts";
import { emptyStoreData, type StoreData } from "../../src/store/types.ts";
import { planPath } from "../support/plans.ts";
import { tempDir } from "../support/env.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
let directory: Directory;
const NOW = new Date("2021-01-04T01:00:00Z");

async function preview(name: string, data: StoreData, text?: string, year?: number): Promise<ImportPreview> {
  const raw = await readPlan({ name, data: text !== undefined ? Buffer.from(text) : readFileSync(planPath(name)) });
  return previewImport(draftFromRaw(raw, { directory, year }), data);
}

function commit(data: StoreData, p: ImportPreview, removeMissing = false): StoreData {
  const next = structuredClone(data);
  applyImport(next, p, { directory, now: NOW, removeMissing });
  return next;
}

beforeAll(() => {
  directory = createDirectory(loadAgencyDirectory(path.join(ROOT, "data/agencies.json")));
});

describe("the four real plans", () => {
  it.each([
    ["kien-giang-2021.txt", 31, 2021, "189/KH-UBND"],
    ["ben-tre-2021.md", 37, 2021, "7018/KH-UBND"],
    ["quang-ngai-2022.txt", 66, 2022, "2108/QĐ-UBND"],
    ["ca-mau-2025.txt", 60, 2025, "126/KH-UBND"],
  ])("%s: %i tasks of plan year %i, no silent drop", async (name, count, year, number) => {
    const raw = await readPlan({ name, data: readFileSync(planPath(name)) });
    const p = previewImport(draftFromRaw(raw, { directory }), emptyStoreData());
    expect(p.plan).toMatchObject({ year, number });
    expect(p.tasks).toHaveLength(count);
    // Every row the reader found is a task, in order, with its row number.
    expect(p.tasks.map((t) => t.row)).toEqual(raw.rows.map((r) => r.row));
    // Every task without a readable deadline or a known lead is in the warnings, by row.
    for (const task of p.tasks) {
      if (task.deadline.kind === "unknown") expect(p.warnings.some((w) => w.row === task.row && /thời hạn/.test(w.message))).toBe(true);
      for (const lead of task.leads) if (!lead.agencyId) expect(p.unresolved.map((u) => u.name)).toContain(lead.raw);
    }
    const codes = p.tasks.map((t) => t.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[A-Z]{1,2}\d{1,4}$/);
  });

  it("keeps content verbatim, resolves leads, parses deadlines (Bến Tre, field by field)", async () => {
    const p = await preview("ben-tre-2021.md", emptyStoreData());
    const first = p.tasks[0];
    expect(first).toMatchObject({
      code: "A1",
      stt: "1",
      area: "chi-dao-dieu-hanh",
      content: "Xây dựng và triển khai Kế hoạch CCHC năm 2021",
      product: "Kế hoạch",
      leads: [{ raw: "Sở Nội vụ", agencyId: "so-noi-vu" }],
      coordinating: "Cơ quan hành chính nhà nước các cấp",
      deadline: { raw: "Tháng 12/2020", kind: "date", milestones: [{ due: "2020-12-31" }] },
    });
    const quarterly = p.tasks.find((t) => t.content.startsWith("Thực hiện góp ý, thẩm định 100% văn bản"))!;
    expect(quarterly.area).toBe("the-che");
    expect(quarterly.leads).toEqual([{ raw: "Sở Tư pháp", agencyId: "so-tu-phap" }]);
    expect(quarterly.deadline).toMatchObject({ kind: "period", recurrence: "quarterly" });
    expect(quarterly.deadline.milestones.map((m) => m.due)).toEqual(["2021-03-31", "2021-06-30", "2021-09-30", "2021-12-31"]);
    const conditional = p.tasks.find((t) => t.deadline.raw === "Theo quy định của Bộ Nội vụ")!;
    expect(conditional.deadline).toMatchObject({ kind: "conditional", condition: "Theo quy định của Bộ Nội vụ", milestones: [] });
  });

  it("a task with several or collective leads is tracked per agency", async () => {
    const p = await preview("quang-ngai-2022.txt", emptyStoreData());
    const data = commit(emptyStoreData(), p);
    const multi = p.tasks.filter((t) => t.leads.filter((l) => l.agencyId).length > 1);
    expect(multi.length).toBeGreaterThan(0);
    for (const task of multi) {
      const shares = data.assignments
        .filter((a) => a.taskCode === task.code)
        .map((a) => a.agencyId)
        .sort();
      const expected = [...new Set(task.leads.flatMap((l) => (l.agencyId ? directory.expand(l.agencyId) : [])))].sort();
      expect(shares).toEqual(expected);
    }
    // The one lead not in the directory is reported, with its row.
    expect(p.unresolved).toEqual([{ name: "UBND thành phố Quảng Ngãi", rows: [787] }]);
  });
});

describe("re-import and amendments", () => {
  it("importing the same plan again changes nothing and keeps progress", async () => {
    const first = await preview("kien-giang-2021.txt", emptyStoreData());
    const data = commit(emptyStoreData(), first);
    const share = data.assignments.find((a) => a.id === "A3@so-tu-phap")!;
    share.progress = 80;
    share.status = "blocked";
    const again = await preview("kien-giang-2021.txt", data);
    expect(again.diff).toMatchObject({ added: [], changed: [], removed: [], unchanged: 31 });
    expect(again.tasks.map((t) => t.code)).toEqual(first.tasks.map((t) => t.code));
    const after = commit(data, again);
    expect(after.tasks).toHaveLength(31);
    expect(after.assignments).toHaveLength(data.assignments.length);
    expect(after.assignments.find((a) => a.id === "A3@so-tu-phap")).toMatchObject({ progress: 80, status: "blocked" });
  });

  it("an amended copy reports exactly the rows changed, added and removed", async () => {
    const original = readFileSync(planPath("ben-tre-2021.md"), "utf8");
    const data = commit(emptyStoreData(), await preview("ben-tre-2021.md", emptyStoreData()));
    const amended = original
      // a changed deadline
      .replace("Quý II/2021\tSở Tư pháp\tCác đơn vị được kiểm tra", "Quý III/2021\tSở Tư pháp\tCác đơn vị được kiểm tra")
      // a reworded task (same place, mostly the same words)
      .replace("Xây dựng Kế hoạch tuyên truyền CCHC năm 2021", "Xây dựng và ban hành Kế hoạch tuyên truyền CCHC năm 2021")
      // a removed task
      .replace(/^9\tKiểm tra CCHC tại cơ quan hành chính các cấp.*$/m, "")
      // an added task
      .replace(
        /^(7\tĐánh giá và công bố Chỉ số CCHC.*)$/m,
        "$1\n10\tTổ chức hội nghị sơ kết CCHC 6 tháng đầu năm\tHội nghị\tQuý III/2021\tSở Nội vụ\tCác sở, ngành\t",
      );
    const p = await preview("ben-tre-2021.md", data, amended);
    expect(p.diff.added.map((t) => t.content)).toEqual(["Tổ chức hội nghị sơ kết CCHC 6 tháng đầu năm"]);
    expect(p.diff.added[0].code).toBe("A38"); // a new number, never a reused one
    expect(p.diff.removed.map((t) => t.content)).toEqual(["Kiểm tra CCHC tại cơ quan hành chính các cấp trên địa bàn tỉnh"]);
    expect(p.diff.changed.map((c) => [c.before.code, c.fields])).toEqual([
      ["A2", ["content"]],
      [
        data.tasks.find((t) => t.content.startsWith("Xây dựng và tổ chức thực hiện kế hoạch kiểm tra công tác pháp chế"))!.code,
        ["deadline"],
      ],
    ]);
    expect(p.diff.unchanged).toBe(37 - 1 - 2);
    // Without confirmation the removed task stays; with it, it is marked removed (history kept).
    expect(commit(data, p).tasks.filter((t) => t.removed)).toHaveLength(0);
    const removed = commit(data, p, true).tasks.filter((t) => t.removed);
    expect(removed.map((t) => t.code)).toEqual(p.diff.removed.map((t) => t.code));
  });

  it("a second plan gets its own letter; codes stay unique across active plans", async () => {
    const data = commit(emptyStoreData(), await preview("kien-giang-2021.txt", emptyStoreData()));
    const second = await preview("ben-tre-2021.md", data);
    expect(second.tasks[0].code).toBe("B1");
    const both = commit(data, second);
    expect(new Set(both.tasks.map((t) => t.code)).size).toBe(31 + 37);
  });

  it("the admin's year overrides the title's for phrases without a year", async () => {
    const p = await preview("kien-giang-2021.txt", emptyStoreData(), undefined, 2022);
    expect(p.plan.year).toBe(2022);
    const undated = p.tasks.find((t) => t.deadline.raw === "XD kế hoạch Quý I; thực hiện quý IV")!;
    expect(undated.deadline.milestones.map((m) => m.due)).toEqual(["2022-03-31", "2022-12-31"]);
    // "Quý II/2021" keeps its written year, and is flagged as not fitting the signing date.
    expect(p.tasks.find((t) => t.deadline.raw === "Quý II/2021")!.deadline.milestones[0].due).toBe("2021-06-30");
  });
});

describe("the plan's year or period: inferred, never a reason to refuse", () => {
  const raw = (meta: Partial<RawPlan["meta"]>, deadlines: string[] = []): RawPlan => ({
    meta: { number: null, issuer: null, signed: null, title: "", year: null, period: null, ...meta },
    rows: deadlines.map((deadline, i) => ({ row: i + 1, section: [], content: `Nhiệm vụ ${i + 1}`, deadline })),
    warnings: [],
  });

  it("from the title: a period ('GIAI ĐOẠN 2026 - 2030'), 'đến năm 2030' from the signing year, a year", async () => {
    const dongNai = await preview("dong-nai-2026-179-kinh-te-so.txt", emptyStoreData());
    expect(dongNai.plan).toMatchObject({ year: 2026, period: { first: 2026, last: 2030 } });
    expect(dongNai.plan.yearSource).toMatch(/^đọc từ tiêu đề «KẾ HOẠCH PHÁT TRIỂN KINH TẾ SỐ/);
    expect(dongNai.tasks[0].deadline).toMatchObject({
      raw: "2026 - 2030",
      kind: "period",
      recurrence: "annual",
      milestones: [{ start: "2026-01-01", due: "2030-12-31" }],
    });
    const haNoi = await preview("ha-noi-2025-310-5g-iot.txt", emptyStoreData());
    expect(haNoi.plan).toMatchObject({ year: 2025, period: { first: 2025, last: 2030 } });
    // "Hàng năm" in a plan to 2030: every year-end of the period.
    expect(haNoi.tasks.find((t) => t.deadline.raw === "Hàng năm")!.deadline.milestones).toHaveLength(6);
  });

  it("a title without a year: the signing year, to the last year a deadline names", async () => {
    const laiChau = await preview("lai-chau-2025-7360-luat-tccl.txt", emptyStoreData());
    expect(laiChau.plan).toMatchObject({ year: 2025, period: { first: 2025, last: 2026 } });
    expect(laiChau.plan.yearSource).toBe("tiêu đề không ghi năm: lấy năm ký 2025, đến 2026 (năm xa nhất trong các thời hạn)");
  });

  it("no title year and no signing date: the years the deadlines name; then today; never a silent guess", () => {
    expect(planYearsOf(raw({}, ["Quý II/2024", "Tháng 3/2025"]), {})).toMatchObject({ year: 2024, period: { first: 2024, last: 2025 } });
    expect(planYearsOf(raw({}, ["Thường xuyên"]), { now: new Date("2026-11-29T03:00:00Z") })).toMatchObject({
      year: 2026,
      source: "văn bản không ghi năm nào: lấy năm hiện tại",
    });
    expect(() => planYearsOf(raw({}, ["Thường xuyên"]), {})).toThrow(/--year 2022/);
  });

  it("the admin's year or period wins, and says so", () => {
    const plan = raw({ title: "KẾ HOẠCH CCHC NĂM 2021", year: 2021 });
    expect(planYearsOf(plan, { year: 2022 })).toEqual({
      year: 2022,
      period: { first: 2022, last: 2022 },
      source: "do quản trị viên chỉ định",
    });
    expect(planYearsOf(plan, { period: { first: 2021, last: 2025 } })).toEqual({
      year: 2021,
      period: { first: 2021, last: 2025 },
      source: "do quản trị viên chỉ định",
    });
  });
});

describe("agencies a plan names that the directory lacks", () => {
  it("are listed once, each a new agency with an id; names that hold known agencies are not", async () => {
    const haNoi = await preview("ha-noi-2025-310-5g-iot.txt", emptyStoreData());
    expect(newAgencies(haNoi, directory).map((a) => [a.id, a.name])).toEqual([
      ["doanh-nghiep", "Doanh nghiệp"],
      ["nha-cung-cap-dich-vu-iot", "nhà cung cấp dịch vụ IoT"],
      ["nha-dau-tu", "nhà đầu tư"],
    ]);
    const laiChau = await preview("lai-chau-2025-7360-luat-tccl.txt", emptyStoreData());
    expect(newAgencies(laiChau, directory)).toEqual([]);
    expect(compoundNames(laiChau, directory).map((c) => c.name)).toEqual([
      "Báo và Phát thanh Truyền hình Lai Châu và các sở, ngành có liên quan",
      "các sở, ngành liên quan và Ủy ban nhân dân các xã, phường",
    ]);
    const text = previewText(haNoi, { directory, via: "cli" });
    expect(text).toContain("Cơ quan chưa có trong danh mục (3) — chạy lại với --add-agencies");
    expect(text).toContain("• «nhà đầu tư» → mã mới nha-dau-tu (dòng 483)");
    expect(previewText(laiChau, { directory, via: "chat" })).toContain("Tên gộp nhiều cơ quan (2) — chưa giao cho ai");
  });

  it("committed with addAgencies: added to the directory (audited) and their tasks assigned", async () => {
    const store = createMemoryStore();
    const haNoi = previewImport(
      draftFromRaw(await readPlan({ name: "ha-noi.txt", data: readFileSync(planPath("ha-noi-2025-310-5g-iot.txt")) }), { directory }),
      store.read(),
    );
    const counts = await commitImport(store, haNoi, {
      directory,
      actor: { id: "test", name: "Kiểm thử" },
      chatId: null,
      now: NOW,
      removeMissing: false,
      addAgencies: true,
    });
    expect(counts.agencies).toEqual(["doanh-nghiep", "nha-cung-cap-dich-vu-iot", "nha-dau-tu"]);
    expect(store.read().extraAgencies.map((a) => a.id)).toEqual(counts.agencies);
    const task5 = store.read().tasks.find((t) => t.content.startsWith("Doanh nghiệp, nhà cung cấp"))!;
    expect(task5.leads.map((l) => l.agencyId)).toEqual(["doanh-nghiep", "nha-cung-cap-dich-vu-iot", "nha-dau-tu"]);
    expect(
      store
        .read()
        .assignments.filter((a) => a.taskCode === task5.code)
        .map((a) => a.agencyId)
        .sort(),
    ).toEqual(["doanh-nghiep", "nha-cung-cap-dich-vu-iot", "nha-dau-tu"]);
    const events = await store.events({});
    expect(
      events
        .filter((e) => e.action === "agency.add")
        .map((e) => e.agencyId)
        .sort(),
    ).toEqual(counts.agencies);
    // Without the flag nothing is added and the task waits for a mapping.
    const plain = createMemoryStore();
    expect(
      (
        await commitImport(plain, haNoi, {
          directory,
          actor: { id: "test", name: "Kiểm thử" },
          chatId: null,
          now: NOW,
          removeMissing: false,
        })
      ).agencies,
    ).toEqual([]);
    expect(plain.read().extraAgencies).toEqual([]);
  });
});

describe("dondoc's own JSON export", () => {
  it("round-trips: the export loads back with the same codes and tasks", async () => {
    const p = await preview("quang-ngai-2022.txt", emptyStoreData());
    const exported = JSON.parse(JSON.stringify(exportPreview(p)));
    const draft = draftFromExport(exported)!;
    const back = previewImport(draft, emptyStoreData());
    expect(back.tasks.map((t) => t.code)).toEqual(p.tasks.map((t) => t.code));
    expect(back.tasks.map((t) => [t.content, t.deadline, t.leads])).toEqual(p.tasks.map((t) => [t.content, t.deadline, t.leads]));
    expect(draftFromExport({ plan: {}, tasks: "no" })).toBeNull();
  });
});

describe("npm run import (CLI)", () => {
  const run = (args: string[], dataDir: string) =>
    spawnSync(process.execPath, ["--import", "tsx", "src/cli/import.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: "utf8",
      timeout: 60_000,
    });

  it("--dry-run --json prints the contract's shape and writes nothing", async () => {
    const { dir, cleanup } = await tempDir();
    const result = run([planPath("kien-giang-2021.txt"), "--dry-run", "--json"], dir);
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout);
    // The shape other tools read is stable; fields are only ever added (period, where the year came from).
    expect(out.plan).toEqual({
      number: "189/KH-UBND",
      issuer: "UBND tỉnh Kiên Giang",
      signed: "2020-12-30",
      title: "KẾ HOẠCH CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2021",
      year: 2021,
      period: { first: 2021, last: 2021 },
      yearSource: "đọc từ tiêu đề «KẾ HOẠCH CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2021»",
    });
    expect(out.tasks[0]).toMatchObject({
      code: "A1",
      area: "the-che",
      leads: [{ raw: "Sở Tư pháp", agencyId: "so-tu-phap" }],
      deadline: { raw: "Tháng 12/2020", kind: "date", milestones: [{ due: "2020-12-31" }] },
    });
    expect(out.tasks[0]).toHaveProperty("title");
    expect(out.tasks[0]).toHaveProperty("coordinating");
    expect(out.tasks[0]).toHaveProperty("product");
    expect(Array.isArray(out.warnings)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, "store.json"), "utf8")).tasks).toEqual([]);
    await cleanup();
  });

  it("writes, then refuses an amendment that removes tasks without --yes", async () => {
    const { dir, cleanup } = await tempDir();
    expect(run([planPath("ben-tre-2021.md")], dir).status).toBe(0);
    const shorter = path.join(dir, "ben-tre-dieu-chinh.md");
    writeFileSync(shorter, readFileSync(planPath("ben-tre-2021.md"), "utf8").replace(/^9\tKiểm tra CCHC.*$/m, ""));
    const refused = run([shorter], dir);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("Kế hoạch mới bỏ 1 nhiệm vụ");
    expect(refused.stderr).toContain("--yes");
    const store = () => JSON.parse(readFileSync(path.join(dir, "store.json"), "utf8"));
    expect(store().tasks.filter((t: { removed: boolean }) => t.removed)).toHaveLength(0);
    expect(run([shorter, "--yes"], dir).status).toBe(0);
    expect(store().tasks.filter((t: { removed: boolean }) => t.removed)).toHaveLength(1);
    await cleanup();
  });

  it("npm run export writes the registry; importing it elsewhere keeps codes and tasks", async () => {
    const from = await tempDir();
    const to = await tempDir();
    expect(run([planPath("quang-ngai-2022.txt")], from.dir).status).toBe(0);
    const file = path.join(from.dir, "export.json");
    const exported = spawnSync(process.execPath, ["--import", "tsx", "src/cli/export.ts", "--out", file], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: from.dir },
      encoding: "utf8",
    });
    expect(exported.status).toBe(0);
    expect(run([file], to.dir).status).toBe(0);
    const tasks = (dir: string) =>
      JSON.parse(readFileSync(path.join(dir, "store.json"), "utf8")).tasks.map(
        (t: { code: string; content: string; deadline: unknown }) => [t.code, t.content, t.deadline],
      );
    expect(tasks(to.dir)).toEqual(tasks(from.dir));
    await from.cleanup();
    await to.cleanup();
  });

  it("npm run template writes a template that npm run import reads back", async () => {
    const { dir, cleanup } = await tempDir();
    const file = path.join(dir, "mau.xlsx");
    const made = spawnSync(process.execPath, ["--import", "tsx", "src/cli/template.ts", "--out", file, "--year", "2027"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(made.status).toBe(0);
    const read = run([file, "--dry-run", "--json"], dir);
    expect(read.status).toBe(0);
    const out = JSON.parse(read.stdout);
    expect(out.plan).toMatchObject({ year: 2027, number: "01/KH-UBND" });
    expect(out.tasks.map((t: { leads: { agencyId: string }[] }) => t.leads[0].agencyId)).toEqual(["so-tu-phap", "so-noi-vu"]);
    await cleanup();
  });

  it("a table whose header is not recognised lists its columns; --columns reads it", async () => {
    const { dir, cleanup } = await tempDir();
    const file = path.join(dir, "cot.csv");
    writeFileSync(
      file,
      "Cột 1;Cột 2;Cột 3;Cột 4\n1;Rà soát văn bản quy phạm pháp luật;Sở Tư pháp;Quý II/2024\n2;Kiểm tra công tác CCHC;Sở Nội vụ;Tháng 10/2024\n3;Số hóa hồ sơ TTHC;Văn phòng UBND tỉnh;Năm 2024\n",
    );
    const refused = run([file, "--dry-run"], dir);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("Không nhận ra dòng tiêu đề của bảng");
    expect(refused.stderr).toContain("3. «Cột 3» — vd: «Sở Tư pháp», «Sở Nội vụ»");
    expect(refused.stderr).toContain("--columns content=2,lead=3,deadline=4");
    const read = run([file, "--dry-run", "--json", "--year", "2024", "--columns", "content=2,lead=3,deadline=4"], dir);
    expect(read.status).toBe(0);
    const out = JSON.parse(read.stdout);
    expect(
      out.tasks.map((t: { stt: string; content: string; leads: { agencyId: string }[]; deadline: { kind: string } }) => [
        t.stt,
        t.content,
        t.leads[0].agencyId,
        t.deadline.kind,
      ]),
    ).toEqual([
      [undefined, "Rà soát văn bản quy phạm pháp luật", "so-tu-phap", "period"],
      [undefined, "Kiểm tra công tác CCHC", "so-noi-vu", "date"],
      [undefined, "Số hóa hồ sơ TTHC", "vp-ubnd", "period"],
    ]);
    expect(run([file, "--columns", "lead=3"], dir).stderr).toContain("--columns lead=3: cần ít nhất cột nội dung");
    await cleanup();
  });

  it("--period and --add-agencies", async () => {
    const { dir, cleanup } = await tempDir();
    const dry = run([planPath("lai-chau-2025-7360-luat-tccl.txt"), "--period", "2025-2027", "--dry-run", "--json"], dir);
    expect(dry.status).toBe(0);
    expect(JSON.parse(dry.stdout).plan).toMatchObject({
      year: 2025,
      period: { first: 2025, last: 2027 },
      yearSource: "do quản trị viên chỉ định",
    });
    expect(run([planPath("ha-noi-2025-310-5g-iot.txt"), "--period", "2030-2025", "--dry-run"], dir).status).toBe(2);
    const added = run([planPath("ha-noi-2025-310-5g-iot.txt"), "--add-agencies"], dir);
    expect(added.status).toBe(0);
    expect(added.stderr).toContain("thêm 3 cơ quan (doanh-nghiep, nha-cung-cap-dich-vu-iot, nha-dau-tu)");
    const store = JSON.parse(readFileSync(path.join(dir, "store.json"), "utf8"));
    expect(store.extraAgencies.map((a: { id: string }) => a.id)).toEqual(["doanh-nghiep", "nha-cung-cap-dich-vu-iot", "nha-dau-tu"]);
    await cleanup();
  });

  it("bad input: a clear Vietnamese message, exit code 2", async () => {
    const { dir, cleanup } = await tempDir();
    const garbage = path.join(dir, "kehoach.pdf");
    writeFileSync(garbage, "%PDF-1.4");
    const result = run([garbage], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/\.docx/);
    expect(run([], dir).stderr).toContain("Cách dùng: npm run import");
    await cleanup();
  });
});

describe("the preview's warnings", () => {
  it("count and list a row once per message (three unknown leads on one row are one warning)", async () => {
    const directory = createDirectory(loadAgencyDirectory(path.resolve(import.meta.dirname, "../../data/agencies.json")));
    const name = "ha-noi-2025-310-5g-iot.txt";
    const raw = await readPlan({ name, data: readFileSync(planPath(name)) });
    const preview = previewImport(draftFromRaw(raw, { directory }), emptyStoreData(), directory);
    const row = preview.warnings.filter((w) => w.message.startsWith("Cơ quan chủ trì không có trong danh mục"));
    expect(row.length).toBeGreaterThan(1); // the importer warns once per unknown name
    const text = previewText(preview, { directory, via: "cli" });
    expect(text).toContain("Cảnh báo (1):");
    expect(text).not.toMatch(/(\d+), \1\b/);
  });
});
