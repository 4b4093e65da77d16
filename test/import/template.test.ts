/**
 * The plan template: what `npm run template` and /maunhap give reads back as a plan — its
 * header, its example rows, its details — and its explanation of deadline forms says what the
 * parser reads.
 */
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { readPlan } from "../../src/import/read.ts";
import { planTemplate, TEMPLATE_HEADER } from "../../src/import/template.ts";

describe("the plan template", () => {
  it("reads back: two example tasks under a group, the plan's title, year, number and date", async () => {
    const data = await planTemplate(2027);
    const plan = await readPlan({ name: "mau.xlsx", data });
    expect(plan.meta).toMatchObject({
      title: "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2027",
      year: 2027,
      number: "01/KH-UBND",
      signed: "2027-01-01",
    });
    expect(plan.warnings).toEqual([]);
    expect(plan.rows.map(({ row: _row, ...r }) => r)).toEqual([
      {
        section: ["I. CẢI CÁCH THỂ CHẾ"],
        stt: "1",
        content: "Rà soát, hệ thống hóa văn bản quy phạm pháp luật của tỉnh",
        lead: "Sở Tư pháp",
        coordinating: "Các sở, ban, ngành tỉnh",
        deadline: "Quý II",
        product: "Báo cáo rà soát",
      },
      {
        section: ["I. CẢI CÁCH THỂ CHẾ"],
        stt: "2",
        content: "Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị",
        lead: "Sở Nội vụ",
        coordinating: "Văn phòng UBND tỉnh",
        deadline: "Trước ngày 15/10",
        product: "Kết luận kiểm tra",
      },
    ]);
  });

  it("has the header the readers know, and explains every deadline form with the parser's own reading", async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await planTemplate(2026)) as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(["Nhiệm vụ", "Thông tin kế hoạch", "Cách ghi thời hạn"]);
    expect((book.getWorksheet("Nhiệm vụ")!.getRow(1).values as string[]).slice(1)).toEqual(TEMPLATE_HEADER);
    const help = book.getWorksheet("Cách ghi thời hạn")!;
    const readings = Object.fromEntries(help.getRows(2, 12)!.map((r) => [String(r.getCell(1).value), String(r.getCell(2).value)]));
    expect(readings["Quý II"]).toBe("hạn theo kỳ: 30/06/2026");
    expect(readings["Trước ngày 15/10/2026"]).toBe("hạn ngày: 14/10/2026");
    expect(readings["2026 - 2030"]).toBe("hạn theo kỳ: 01/01/2026 → 31/12/2030");
    expect(readings["Thường xuyên"]).toBe("thường xuyên");
    expect(Object.values(readings).some((r) => r.startsWith("không đọc được"))).toBe(false);
  });
});
