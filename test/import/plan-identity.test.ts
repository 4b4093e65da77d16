/**
 * Which registry plan an import writes to, and what the preview says before it is written:
 * the same plan read for another year is updated in place (codes and reports kept, deadlines
 * read again); an amendment with its own number is recognised and can be loaded as a revision;
 * plans without a number are not one plan; the template's sample values are flagged; removed
 * tasks with reports and reassigned tasks say what becomes of their reports; a done task stays
 * done for its new lead; a table's header row read with the admin's columns is not a task.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createDirectory, type Directory } from "../../src/core/agencies.ts";
import { loadAgencyDirectory } from "../../src/boot/reference.ts";
import { readPlan } from "../../src/import/read.ts";
import {
  applyImport,
  draftFromRaw,
  findPlan,
  newAgencies,
  otherPlanYears,
  previewImport,
  type ImportPreview,
  type ImportTarget,
} from "../../src/import/importer.ts";
import { commitImport, importDoneText, planLabel, previewText, sizeText } from "../../src/import/service.ts";
import { planTemplate } from "../../src/import/template.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { emptyStoreData, type StoreData } from "../../src/store/types.ts";
import type { Assignment } from "../../src/core/schemas.ts";
import type { ColumnMap } from "../../src/import/table.ts";
import { planPath } from "../support/plans.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NOW = new Date("2024-05-06T01:00:00Z");
let directory: Directory;

beforeAll(() => {
  directory = createDirectory(loadAgencyDirectory(path.join(ROOT, "data/agencies.json")));
});

/** A plan numbered 301/KH-UBND, signed 27/3/2024, whose title names no year (read as 2024). */
const PLAN_301 = `ỦY BAN NHÂN DÂN TỈNH BẠC LIÊU
Số: 301/KH-UBND   Bạc Liêu, ngày 27 tháng 3 năm 2024

KẾ HOẠCH
Thực hiện công tác cải cách hành chính của tỉnh

STT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành\tSản phẩm
1\tTham mưu ban hành Kế hoạch rà soát văn bản quy phạm pháp luật\tSở Tư pháp\tCác sở, ngành\tQuý II\tKế hoạch
2\tKiểm tra việc thi hành pháp luật về xử lý vi phạm hành chính\tSở Tư pháp\tCông an tỉnh\tTháng 9\tBáo cáo
3\tRà soát, đánh giá thủ tục hành chính thuộc thẩm quyền của tỉnh\tVăn phòng UBND tỉnh\tCác sở, ban, ngành\tQuý III\tBáo cáo
4\tThực hiện thanh toán trực tuyến phí, lệ phí\tSở Tài chính\tKho bạc Nhà nước tỉnh\tHằng quý\tBáo cáo
5\tCông khai kết quả giải quyết hồ sơ trên Cổng dịch vụ công\tVăn phòng UBND tỉnh\t\tTrước ngày 15/12\tCổng DVC
`;

async function previewOf(
  name: string,
  data: StoreData,
  options: { text?: string | Buffer; year?: number; columns?: ColumnMap } & ImportTarget = {},
): Promise<ImportPreview> {
  const given = options.text;
  const bytes = given === undefined ? readFileSync(planPath(name)) : Buffer.isBuffer(given) ? given : Buffer.from(given);
  const raw = await readPlan({ name, data: bytes }, { columns: options.columns });
  return previewImport(draftFromRaw(raw, { directory, year: options.year, now: NOW }), data, directory, { replaces: options.replaces });
}

function commit(data: StoreData, p: ImportPreview, removeMissing = false): StoreData {
  const next = structuredClone(data);
  applyImport(next, p, { directory, now: NOW, removeMissing });
  return next;
}

/** `data` with one share changed (as an agency's report would). */
function report(data: StoreData, id: string, change: Partial<Assignment>): StoreData {
  const next = structuredClone(data);
  const i = next.assignments.findIndex((a) => a.id === id);
  expect(i, id).toBeGreaterThanOrEqual(0);
  next.assignments[i] = { ...next.assignments[i], updatedAt: NOW.toISOString(), ...change };
  return next;
}

const text = (p: ImportPreview, via: "cli" | "chat" = "cli") => previewText(p, { directory, via });

describe("the same plan read for another year (--year, 📅) is updated in place", () => {
  it("same number and signing date: same plan and codes, reports kept, deadlines read again and shown as changes", async () => {
    const first = await previewOf("bac-lieu-301.txt", emptyStoreData(), { text: PLAN_301 });
    expect(first.plan).toMatchObject({ number: "301/KH-UBND", year: 2024 });
    let data = commit(emptyStoreData(), first);
    // Sở Tài chính reported the first quarter of A4; an admin moved A2 to "Tháng 10" (/sua).
    data = report(data, "A4@so-tai-chinh", { progress: 25, milestonesDone: ["2024-03-31"] });
    const a2 = data.tasks.findIndex((t) => t.code === "A2");
    data.tasks[a2] = { ...data.tasks[a2], deadline: { raw: "Tháng 10", kind: "date", milestones: [{ due: "2024-10-31" }] } };

    const again = await previewOf("bac-lieu-301.txt", data, { text: PLAN_301, year: 2025 });
    expect(again.planId).toBe(first.planId);
    expect(again.existing?.id).toBe(first.planId);
    expect(again.tasks.map((t) => t.code)).toEqual(["A1", "A2", "A3", "A4", "A5"]);
    expect(again.diff).toMatchObject({ added: [], removed: [], conflicts: [], years: { from: { year: 2024 }, to: { year: 2025 } } });
    const codes = ["A1", "A2", "A3", "A4", "A5"];
    expect(again.diff.changed.map((c) => [c.after.code, c.fields])).toEqual(codes.map((code) => [code, ["deadline"]]));
    // The admin's phrase is kept, read for the new year.
    expect(again.tasks[1].deadline).toMatchObject({ raw: "Tháng 10", milestones: [{ due: "2025-10-31" }] });
    const shown = text(again);
    expect(shown).toContain("🔁 Kế hoạch đã có trong dữ liệu (mã 2024-301-kh-ubnd): cập nhật tại chỗ");
    expect(shown).toContain("📅 Năm kế hoạch đổi: 2024 → 2025");
    expect(shown).toContain("thêm 0, sửa 5, bỏ 0, giữ nguyên 0");
    expect(shown).toContain("✏️ A1: đổi thời hạn (30/06/2024 → 30/06/2025)");

    const after = commit(data, again);
    expect(after.plans).toHaveLength(1);
    expect(after.plans[0]).toMatchObject({ id: "2024-301-kh-ubnd", year: 2025, active: true });
    expect(after.tasks.map((t) => t.code)).toEqual(["A1", "A2", "A3", "A4", "A5"]);
    expect(after.tasks.find((t) => t.code === "A1")!.deadline.milestones).toEqual([{ due: "2025-06-30" }]);
    // The quarter reported done is the same quarter, in the new year.
    expect(after.assignments.find((a) => a.id === "A4@so-tai-chinh")).toMatchObject({ progress: 25, milestonesDone: ["2025-03-31"] });
    expect(after.assignments).toHaveLength(data.assignments.length);

    // Read again without --year (an amended copy, say): the admin's 2025 stays, and says so.
    const plain = await previewOf("bac-lieu-301.txt", after, { text: PLAN_301 });
    expect(plain.plan).toMatchObject({ year: 2025, yearSource: "do quản trị viên chỉ định" });
    expect(plain.diff).toMatchObject({ added: [], changed: [], removed: [], unchanged: 5, keptYears: { read: { year: 2024 } } });
    expect(plain.diff.years).toBeUndefined();
    expect(text(plain)).toContain("📅 Giữ năm kế hoạch quản trị viên đã chọn lần trước: 2025");
    expect(text(plain)).toContain("(văn bản đọc ra 2024; muốn theo văn bản: chạy lại với --year 2024)");
    // The admin's --year 2024 takes it back.
    const back = await previewOf("bac-lieu-301.txt", after, { text: PLAN_301, year: 2024 });
    const one = (year: number) => ({ year, period: { first: year, last: year } });
    expect(back.diff.years).toEqual({ from: one(2025), to: one(2024) });
  });

  it("a stored plan (id with the year read then) re-imports onto itself; another 301/KH-UBND signed later is another plan", async () => {
    const data = commit(emptyStoreData(), await previewOf("bac-lieu-301.txt", emptyStoreData(), { text: PLAN_301 }));
    expect(data.plans.map((p) => p.id)).toEqual(["2024-301-kh-ubnd"]);
    const same = await previewOf("bac-lieu-301.txt", data, { text: PLAN_301 });
    expect(same.planId).toBe("2024-301-kh-ubnd");
    expect(same.diff).toMatchObject({ added: [], changed: [], removed: [], unchanged: 5 });
    expect(same.diff.years).toBeUndefined();
    const nextYear = PLAN_301.replace("ngày 27 tháng 3 năm 2024", "ngày 10 tháng 1 năm 2025") //
      .replace("Trước ngày 15/12", "Trước ngày 20/12");
    const other = await previewOf("bac-lieu-301-2025.txt", data, { text: nextYear });
    expect(other.existing).toBeUndefined();
    expect(other.planId).toBe("2025-301-kh-ubnd");
    expect(other.tasks[0].code).toBe("B1");
    expect(other.diff.removed).toEqual([]);
  });
});

describe("an amendment with its own number", () => {
  const amended = () =>
    readFileSync(planPath("ben-tre-2021.md"), "utf8")
      .replace("Kế hoạch số 7018 /KH-UBND ngày 29 tháng 12 năm 2020", "Kế hoạch số 95/KH-UBND ngày 15 tháng 4 năm 2021")
      .replace("tuyên truyền CCHC năm 2021\tKế hoạch\tTháng 12/2020", "tuyên truyền CCHC năm 2021\tKế hoạch\tTháng 3/2021");

  it("is recognised as most of an active plan's tasks: the preview says so plainly and how to load it as a revision", async () => {
    let data = commit(emptyStoreData(), await previewOf("ben-tre-2021.md", emptyStoreData()));
    data = report(data, "A1@so-noi-vu", { status: "done", progress: 100, doneAt: "2021-01-20T03:00:00Z" });
    const p = await previewOf("ben-tre-dieu-chinh.md", data, { text: amended() });
    expect(p.plan.number).toBe("95/KH-UBND");
    expect(p.existing).toBeUndefined();
    const number = data.plans[0].number!;
    expect(number).toMatch(/^7018 ?\/KH-UBND$/);
    const title = data.plans[0].title;
    expect(p.diff.resembles).toEqual({ planId: "2021-7018-kh-ubnd", number, title, matched: 37, total: 37, withReports: 1 });
    const cli = text(p, "cli");
    expect(cli).toContain(`🚨 CHÚ Ý: 37/37 nhiệm vụ trùng với kế hoạch đang có số ${number}`);
    expect(cli).toContain("sẽ tạo KẾ HOẠCH THỨ HAI");
    expect(cli).toContain("(1 nhiệm vụ của kế hoạch cũ đã có báo cáo, kể cả đã xong)");
    expect(cli).toContain("chạy lại với --replaces 2021-7018-kh-ubnd");
    expect(text(p, "chat")).toContain("bấm «🔁 Nạp thay kế hoạch …»");
    // Without the flag it still loads, as a second plan.
    expect(commit(data, p).plans).toHaveLength(2);
  });

  it("--replaces loads it onto the plan: same codes, done stays done, the plan takes the new number", async () => {
    let data = commit(emptyStoreData(), await previewOf("ben-tre-2021.md", emptyStoreData()));
    data = report(data, "A1@so-noi-vu", { status: "done", progress: 100, doneAt: "2021-01-20T03:00:00Z" });
    for (const ref of ["7018/KH-UBND", "7018 /kh-ubnd", "2021-7018-kh-ubnd"]) expect(findPlan(data, ref).id).toBe("2021-7018-kh-ubnd");
    expect(() => findPlan(data, "96/KH-UBND")).toThrow(/Không có kế hoạch «96\/KH-UBND».*2021-7018-kh-ubnd/);
    const p = await previewOf("ben-tre-dieu-chinh.md", data, { text: amended(), replaces: "7018/KH-UBND" });
    expect(p.planId).toBe("2021-7018-kh-ubnd");
    expect(p.diff.resembles).toBeUndefined();
    expect(p.diff.added).toEqual([]);
    expect(p.diff.changed.map((c) => [c.after.code, c.fields])).toEqual([["A2", ["deadline"]]]);
    expect(text(p)).toContain(`Bản điều chỉnh của «Số ${data.plans[0].number}, ký ngày 29/12/2020» → «Số 95/KH-UBND, ký ngày 15/04/2021»`);
    const after = commit(data, p);
    expect(after.plans.map((pl) => [pl.id, pl.number, pl.signed])).toEqual([["2021-7018-kh-ubnd", "95/KH-UBND", "2021-04-15"]]);
    expect(after.assignments.find((a) => a.id === "A1@so-noi-vu")).toMatchObject({ status: "done" });
    // Committed through the service the revision is kept when the registry is previewed again.
    const store = createMemoryStore(data);
    const result = await commitImport(store, p, { directory, actor: { id: "t", name: "T" }, chatId: null, now: NOW, removeMissing: true });
    expect(result.planId).toBe("2021-7018-kh-ubnd");
    expect(store.read().plans).toHaveLength(1);
  });
});

describe("plans without a number, and the template's sample values", () => {
  const HEADER = "STT,Nội dung nhiệm vụ,Cơ quan chủ trì,Thời gian thực hiện";
  const NO_YEAR_1 = [
    HEADER,
    "1,Xây dựng kế hoạch tuyên truyền CCHC,Sở Nội vụ,Quý I",
    "2,Rà soát TTHC,Văn phòng UBND tỉnh,Tháng 6",
    "3,Kiểm tra CCHC,Sở Nội vụ,Thường xuyên",
  ].join("\n");
  const NO_YEAR_2 = [HEADER, "1,Nâng cấp Cổng dịch vụ công,Sở Khoa học và Công nghệ,Quý II", "2,Đào tạo kỹ năng số,Sở Nội vụ,Tháng 9"].join(
    "\n",
  );

  it("two different plans without number or title are two plans; the same one again is the same", async () => {
    const data = commit(emptyStoreData(), await previewOf("a.csv", emptyStoreData(), { text: NO_YEAR_1 }));
    const second = await previewOf("b.csv", data, { text: NO_YEAR_2 });
    expect(second.existing).toBeUndefined();
    expect(second.diff.removed).toEqual([]);
    expect(second.tasks.map((t) => t.code)).toEqual(["B1", "B2"]);
    expect(second.planId).not.toBe(data.plans[0].id);
    const both = commit(data, second);
    expect(both.plans).toHaveLength(2);
    const again = await previewOf("a.csv", both, { text: NO_YEAR_1 });
    expect(again.planId).toBe(data.plans[0].id);
    expect(again.diff).toMatchObject({ added: [], removed: [], unchanged: 3 });
    // No title, no number: said plainly.
    expect(text(second)).toMatch(/^📄 Kế hoạch không ghi tiêu đề\nKhông ghi số và ngày ký — kế hoạch năm 2024/);
    expect(planLabel(second.plan)).toBe("kế hoạch không ghi tiêu đề");
    expect(planLabel({ title: "", number: "12/KH-UBND" })).toBe("kế hoạch số 12/KH-UBND");
  });

  it("a template still holding its sample number, date, title and example rows is flagged; two such plans stay apart", async () => {
    const template = await planTemplate(2027);
    const p = await previewOf("mau.xlsx", emptyStoreData(), { text: template });
    expect(p.unfilled).toEqual([
      "Số và ngày ký «01/KH-UBND, 01/01/2027» là giá trị mẫu của tệp mẫu",
      "Tiêu đề «KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2027» là tiêu đề mẫu",
      "2 dòng ví dụ của tệp mẫu vẫn còn trong trang «Nhiệm vụ» («Rà soát, hệ thống hóa văn bản quy phạm pháp luật của tỉnh»…)",
    ]);
    expect(text(p)).toContain("⚠️ Kế hoạch còn giá trị mẫu của tệp mẫu");
    // The same sample number and date in another plan filled from the template: not the same plan.
    const data = commit(emptyStoreData(), p);
    const other = await previewOf("mau2.csv", data, {
      text: [
        "Số: 01/KH-UBND",
        "Ngày ban hành: 01/01/2027",
        "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2027",
        "",
        "STT;Nội dung nhiệm vụ;Cơ quan chủ trì;Thời gian thực hiện",
        "1;Nâng cấp Cổng dịch vụ công;Sở Khoa học và Công nghệ;Quý II",
        "2;Đào tạo kỹ năng số cho công chức;Sở Nội vụ;Tháng 9",
      ].join("\n"),
    });
    expect(other.plan).toMatchObject({ number: "01/KH-UBND", signed: "2027-01-01" });
    expect(other.existing).toBeUndefined();
    expect(other.diff.removed).toEqual([]);
    // A real plan numbered 01/KH-UBND signed on a working day is not flagged.
    const real = await previewOf("real.txt", emptyStoreData(), { text: PLAN_301.replace("301/KH-UBND", "01/KH-UBND") });
    expect(real.unfilled).toBeUndefined();
  });
});

describe("removed and reassigned tasks: what becomes of their reports", () => {
  const source = () => readFileSync(planPath("ben-tre-2021.md"), "utf8");

  it("removed tasks with reports are listed apart with ⚠️, and the final message is true", async () => {
    let data = commit(emptyStoreData(), await previewOf("ben-tre-2021.md", emptyStoreData()));
    const kiemTra = data.tasks.find((t) => t.content.startsWith("Kiểm tra CCHC tại cơ quan hành chính các cấp"))!;
    data = report(data, `${kiemTra.code}@so-noi-vu`, { progress: 60, blocker: "Chờ kinh phí", status: "blocked" });
    data = report(data, "A1@so-noi-vu", { progress: 40 });
    const amended = source()
      .replace(/^9\tKiểm tra CCHC.*$/m, "")
      .replace(/^8\tKhảo sát, đánh giá mức độ hài lòng.*$/m, "");
    const p = await previewOf("ben-tre-2021.md", data, { text: amended });
    expect(p.diff.removed).toHaveLength(2);
    const reports = [{ agencyId: "so-noi-vu", text: "60 %, vướng mắc" }];
    expect(p.diff.removedWithReports).toEqual([{ code: kiemTra.code, title: kiemTra.title, reports }]);
    const shown = text(p);
    expect(shown).toContain(`⚠️ Bỏ nhiệm vụ ĐÃ CÓ BÁO CÁO (1)`);
    expect(shown).toContain(`🗑 ${kiemTra.code}: ${kiemTra.title} — Sở Nội vụ: 60 %, vướng mắc`);
    // The other removed task is in the plain list, the reported one only in the ⚠️ list.
    expect(shown.split("\n").filter((l) => l.includes(`🗑 ${kiemTra.code}:`))).toHaveLength(1);

    const store = createMemoryStore(data);
    const result = await commitImport(store, p, { directory, actor: { id: "t", name: "T" }, chatId: null, now: NOW, removeMissing: true });
    expect(result).toMatchObject({ removed: 2, removedWithReports: [kiemTra.code], keptWithReports: 1 });
    const done = importDoneText(p.plan, result);
    expect(done).toContain("bỏ 2 nhiệm vụ");
    expect(done).toContain("Báo cáo đã có của 1 nhiệm vụ còn trong kế hoạch được giữ nguyên.");
    expect(done).toContain(`⚠️ 1 nhiệm vụ bị bỏ đã có báo cáo (${kiemTra.code}): báo cáo vẫn lưu trong dữ liệu`);
    expect(done).toContain("nhưng không còn được theo dõi.");
    expect(done).not.toContain("Tiến độ đã báo cáo được giữ nguyên");
    const event = (await store.events({})).find((e) => e.action === "import")!;
    expect(event.after).toMatchObject({ removedWithReports: [kiemTra.code] });
  });

  it("a done task reassigned stays done for its new lead (a done share, with a note); a share in progress stays", async () => {
    let data = commit(emptyStoreData(), await previewOf("ben-tre-2021.md", emptyStoreData()));
    const byContent = (start: string) => data.tasks.find((t) => t.content.startsWith(start))!;
    const thamDinh = byContent("Thực hiện góp ý, thẩm định 100% văn bản");
    const kiemTra = byContent("Xây dựng và tổ chức thực hiện kế hoạch kiểm tra công tác pháp chế");
    const others = data.tasks.filter((t) => t.code !== thamDinh.code && t.code !== kiemTra.code);
    const phoBien = others.find((t) => t.leads.some((l) => l.agencyId === "so-tu-phap"))!;
    const doneAt = "2021-03-15T02:00:00Z";
    data = report(data, `${thamDinh.code}@so-tu-phap`, { status: "done", progress: 100, doneAt, milestonesDone: ["2021-03-31"] });
    data = report(data, `${kiemTra.code}@so-tu-phap`, { progress: 60 });
    const moved = source().replaceAll("\tSở Tư pháp\t", "\tSở Nội vụ\t");
    const p = await previewOf("ben-tre-2021.md", data, { text: moved });
    const handover = (code: string) => p.diff.handovers!.find((h) => h.code === code);
    const kept = (text: string) => [{ agencyId: "so-tu-phap", text }];
    expect(handover(thamDinh.code)).toEqual({ code: thamDinh.code, done: true, kept: kept("đã xong 15/03/2021"), moved: [] });
    expect(handover(kiemTra.code)).toEqual({ code: kiemTra.code, done: false, kept: kept("60 %"), moved: [] });
    expect(handover(phoBien.code)).toEqual({ code: phoBien.code, done: false, kept: [], moved: ["so-tu-phap"] });
    const shown = text(p);
    expect(shown).toContain(`🔀 ${thamDinh.code}: Sở Tư pháp → Sở Nội vụ — đã xong: Sở Nội vụ nhận phần ghi là đã xong, không nhắc`);
    expect(shown).toContain(`🔀 ${kiemTra.code}: Sở Tư pháp → Sở Nội vụ — phần của Sở Tư pháp (60 %) giữ lại; Sở Nội vụ nhận phần mới`);
    expect(shown).toContain(`🔀 ${phoBien.code}: Sở Tư pháp → Sở Nội vụ — Sở Tư pháp chưa báo cáo: chuyển hẳn`);

    const after = commit(data, p);
    const share = (id: string) => after.assignments.find((a) => a.id === id);
    expect(share(`${thamDinh.code}@so-noi-vu`)).toMatchObject({
      status: "done",
      progress: 100,
      doneAt: "2021-03-15T02:00:00Z",
      milestonesDone: ["2021-03-31"],
      note: "Đã hoàn thành trước khi giao cho cơ quan này (Sở Tư pháp báo xong ngày 15/03/2021).",
    });
    expect(share(`${thamDinh.code}@so-tu-phap`)).toMatchObject({ status: "done" });
    expect(share(`${kiemTra.code}@so-noi-vu`)).toMatchObject({ status: "open", progress: 0 });
    expect(share(`${kiemTra.code}@so-tu-phap`)).toMatchObject({ progress: 60 });
    expect(share(`${phoBien.code}@so-tu-phap`)).toBeUndefined();
    expect(share(`${phoBien.code}@so-noi-vu`)).toMatchObject({ status: "open" });
  });
});

describe("a table read with the admin's columns", () => {
  it("its header row and its row of column numbers are not tasks (nor agencies)", async () => {
    const csv = [
      "Kế hoạch CCHC năm 2025 của UBND tỉnh Bình Thuận,,,,",
      "#,Việc cần làm,Đơn vị đầu mối,Mốc,Ghi chú",
      "1,2,3,4,5",
      '1,"Xây dựng kế hoạch tuyên truyền CCHC năm 2025","Sở Nội vụ","Tháng 3/2025",',
      '2,"Rà soát, đơn giản hóa thủ tục hành chính","Văn phòng UBND tỉnh","Quý II/2025",',
    ].join("\n");
    const p = await previewOf("bang.csv", emptyStoreData(), { text: csv, columns: { content: 1, lead: 2, deadline: 3 } });
    expect(p.tasks.map((t) => t.content)).toEqual([
      "Xây dựng kế hoạch tuyên truyền CCHC năm 2025",
      "Rà soát, đơn giản hóa thủ tục hành chính",
    ]);
    expect(p.tasks[0].code).toBe("A1");
    expect(newAgencies(p, directory)).toEqual([]);
    expect(p.warnings.filter((w) => /Dòng tiêu đề/.test(w.message)).map((w) => w.text)).toEqual(["Việc cần làm | Đơn vị đầu mối | Mốc"]);
    // The title line's empty CSV cells are not part of the title.
    expect(p.plan.title).toBe("Kế hoạch CCHC năm 2025 của UBND tỉnh Bình Thuận");
  });
});

describe("otherPlanYears: the years or periods the 📅 buttons offer", () => {
  it("a one-year plan: single years around the signing year and the plan's, never the one read", () => {
    expect(otherPlanYears({ year: 2024, signed: "2024-03-27" })).toEqual([
      { year: 2023, label: "📅 Năm 2023" },
      { year: 2025, label: "📅 Năm 2025" },
    ]);
    const kienGiang = { year: 2021, signed: "2020-12-30", period: { first: 2021, last: 2021 } };
    expect(otherPlanYears(kienGiang).map((c) => c.year)).toEqual([2020, 2022]);
  });

  it("a multi-year plan: periods (from the year after, from the signing year) and its first year alone", () => {
    expect(otherPlanYears({ year: 2025, period: { first: 2025, last: 2030 }, signed: "2025-12-20" })).toEqual([
      { year: 2026, period: { first: 2026, last: 2030 }, label: "📅 2026–2030" },
      { year: 2025, period: { first: 2025, last: 2025 }, label: "📅 Năm 2025" },
    ]);
    expect(otherPlanYears({ year: 2026, period: { first: 2026, last: 2030 }, signed: "2025-12-20" }).map((c) => c.label)).toEqual([
      "📅 2027–2030",
      "📅 2025–2030",
      "📅 Năm 2026",
    ]);
    // A two-year period from the signing year and the last year a deadline names.
    const laiChau = { year: 2025, period: { first: 2025, last: 2026 }, signed: "2025-06-01" };
    expect(otherPlanYears(laiChau).map((c) => c.label)).toEqual(["📅 Năm 2026", "📅 Năm 2025"]);
  });
});

describe("sizes", () => {
  it("MAX_PLAN_BYTES reads as 10 MB; other sizes with a decimal comma", () => {
    expect(sizeText(10 * 1024 * 1024)).toBe("10 MB");
    expect(sizeText(12.34 * 1024 * 1024)).toBe("12,3 MB");
  });
});
