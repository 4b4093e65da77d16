/**
 * The template is for the year asked: its explanation of deadline forms shows that year's
 * examples (a template for 2027 showed 2026's), each with the parser's reading for that year.
 */
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { planTemplate } from "../../src/import/template.ts";

async function sheets(year: number) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await planTemplate(year)) as unknown as ArrayBuffer);
  const rows = (name: string) =>
    book
      .getWorksheet(name)!
      .getSheetValues()
      .filter(Array.isArray)
      .map((r) => (r as unknown[]).slice(1).map(String));
  return { help: rows("Cách ghi thời hạn"), info: rows("Thông tin kế hoạch") };
}

describe("the template for a year", () => {
  it("shows that year's deadline examples, read for that year", async () => {
    const { help, info } = await sheets(2027);
    expect(help.flat().join(" ")).not.toMatch(/2026|2030/);
    const readings = Object.fromEntries(help.slice(1).map((r) => [r[0], r[1]]));
    expect(readings["Quý I, III/2027"]).toBe("hạn theo kỳ: 31/03/2027, 30/09/2027");
    expect(readings["Tháng 9/2027"]).toBe("hạn ngày: 30/09/2027");
    expect(readings["Năm 2027"]).toMatch(/31\/12\/2027$/);
    expect(readings["2027 - 2031"]).toBe("hạn theo kỳ: 01/01/2027 → 31/12/2031");
    expect(Object.values(readings).some((r) => r?.startsWith("không đọc được"))).toBe(false);
    expect(info.flat().join(" ")).toContain("GIAI ĐOẠN 2027 - 2031");
    expect(info.flat()).toContain("01/01/2027");
  });
});
