/**
 * Files as provinces save them: text in UTF-16 (Excel "Unicode Text", Word/Notepad "Unicode"),
 * in an ANSI code page (refused with how to save it again), spreadsheets with formulas, dates,
 * a date-formatted column of numbers, hidden rows, and plans of many thousand rows.
 */
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { csvRows } from "../../src/import/cells.ts";
import { readPlan } from "../../src/import/read.ts";
import { PlanReadError } from "../../src/import/types.ts";

const TABLE = [
  "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025",
  "STT\tNội dung\tCơ quan chủ trì\tThời gian hoàn thành",
  "1\tRà soát văn bản quy phạm pháp luật\tSở Tư pháp\tQuý II",
  "2\tCông bố thủ tục hành chính\tVăn phòng UBND tỉnh\tTháng 9",
].join("\r\n");

const utf16be = (text: string) => Buffer.from(text, "utf16le").swap16();

async function refusal(file: { name: string; data: Buffer }): Promise<string> {
  const error = await readPlan(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlanReadError);
  return (error as Error).message;
}

describe("text in UTF-16", () => {
  it.each([
    ["little-endian with BOM (Excel 'Unicode Text')", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TABLE, "utf16le")])],
    ["big-endian with BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TABLE)])],
    ["little-endian without BOM", Buffer.from(TABLE, "utf16le")],
    ["big-endian without BOM", utf16be(TABLE)],
  ])("%s", async (_, data) => {
    for (const name of ["ke-hoach.txt", "ke-hoach.csv"]) {
      const plan = await readPlan({ name, data });
      expect(
        plan.rows.map((r) => [r.content, r.lead, r.deadline]),
        name,
      ).toEqual([
        ["Rà soát văn bản quy phạm pháp luật", "Sở Tư pháp", "Quý II"],
        ["Công bố thủ tục hành chính", "Văn phòng UBND tỉnh", "Tháng 9"],
      ]);
      expect(plan.meta.year).toBe(2025);
    }
  });

  it("NUL bytes in no UTF-16 pattern: a binary file renamed", async () => {
    const message = await refusal({
      name: "a.txt",
      data: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0x41, 0x00, 0x00, 0x00]),
    });
    expect(message).toMatch(/byte NUL/);
  });
});

describe("text in an ANSI code page (not UTF-8)", () => {
  // "Kế hoạch" as Windows-1258 writes it: letters it lacks precomposed are decomposed or lost.
  const ansi = Buffer.from([0x4b, 0x45, 0xec, 0x20, 0x48, 0x4f, 0x41, 0xf2, 0x43, 0x48, 0x3b, 0xd0, 0x6f, 0x3b, 0x31, 0x0d, 0x0a]);

  it("a CSV is refused with how to save it as 'CSV UTF-8' in Excel", async () => {
    const message = await refusal({ name: "ke-hoach.csv", data: ansi });
    expect(message).toMatch(/không phải văn bản UTF-8/);
    expect(message).toMatch(/ANSI/);
    expect(message).toMatch(/CSV UTF-8/);
  });

  it("a text file is refused with how to save it as UTF-8", async () => {
    const message = await refusal({ name: "ke-hoach.txt", data: ansi });
    expect(message).toMatch(/Mã hóa \(Encoding\) chọn UTF-8/);
  });
});

async function xlsx(build: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  build(book.addWorksheet("Phụ lục"));
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe("an .xlsx as typed by an office", () => {
  it("a formula's date result, a date cell, a date-formatted column of numbers, a hidden row", async () => {
    const data = await xlsx((sheet) => {
      sheet.mergeCells("A1:E1");
      sheet.getCell("A1").value = "PHỤ LỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025";
      sheet.getCell("A2").value = "Số: 55/KH-UBND ngày 09/01/2025";
      sheet.getRow(4).values = ["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành", "Ghi chú"];
      sheet.getRow(5).values = [1, 2, 3, 4, 5];
      sheet.getColumn(4).numFmt = "dd/mm/yyyy";
      sheet.getRow(6).values = [
        1,
        "Đánh giá mức độ hài lòng",
        "Sở Nội vụ",
        { formula: "DATE(2025,11,30)", result: new Date(Date.UTC(2025, 10, 30)) },
      ];
      sheet.getRow(7).values = [2, "Nhiệm vụ đã dừng", "Sở Nội vụ", "Tháng 6"];
      sheet.getRow(7).hidden = true;
      sheet.getRow(8).values = [3, "Rà soát TTHC", "Văn phòng UBND tỉnh", new Date(Date.UTC(2025, 5, 30))];
      // A formula whose result is text, in a column not formatted as dates (exceljs 4.4 reads a text
      // result in a date-formatted cell as an invalid date: it is then read as empty, never as a date).
      sheet.getRow(9).values = [4, "Tổng hợp", "Sở Nội vụ", "", { formula: 'CONCATENATE("Quý ","IV")', result: "Quý IV" }];
      sheet.getCell("D9").value = { formula: "E9", result: "Quý IV" };
      sheet.getCell("D9").numFmt = "General";
    });
    const plan = await readPlan({ name: "phu-luc.xlsx", data });
    expect(plan.rows.map((r) => [r.row, r.stt, r.content, r.deadline])).toEqual([
      [6, "1", "Đánh giá mức độ hài lòng", "30/11/2025"],
      [8, "3", "Rà soát TTHC", "30/06/2025"],
      [9, "4", "Tổng hợp", "Quý IV"],
    ]);
    // The hidden row is not imported, and the preview says so; the column numbers are no row.
    expect(plan.warnings).toEqual([
      { row: 7, text: "2 | Nhiệm vụ đã dừng | Sở Nội vụ | Tháng 6", message: expect.stringMatching(/bị ẩn/) },
    ]);
    expect(plan.meta).toMatchObject({
      title: "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025",
      year: 2025,
      number: "55/KH-UBND",
      signed: "2025-01-09",
    });
  });
});

describe("an .xlsx date whose format shows no day", () => {
  it("is a month or a year (Excel keeps the 1st), never the month's first day", async () => {
    const formats = ["mm/yyyy", "mmm-yy", "[$-42A]mm/yyyy;@", "yyyy", "dd/mm/yyyy", "d/m/yyyy h:mm"];
    const data = await xlsx((sheet) => {
      sheet.getRow(1).values = ["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành"];
      formats.forEach((format, i) => {
        sheet.getRow(i + 2).values = [i + 1, `Việc ${i + 1}`, "Sở Nội vụ", new Date(Date.UTC(2025, 1, 1))];
        sheet.getCell(`D${i + 2}`).numFmt = format;
      });
    });
    const plan = await readPlan({ name: "thang.xlsx", data });
    expect(plan.rows.map((r) => r.deadline)).toEqual([
      "Tháng 02/2025",
      "Tháng 02/2025",
      "Tháng 02/2025",
      "Năm 2025",
      "01/02/2025",
      "01/02/2025",
    ]);
  });
});

describe("plans of many rows", () => {
  it("a CSV of 3,000 tasks numbered 1 … 3000 under a one-cell title line: every task", async () => {
    const lines = ["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025", "STT,Nội dung,Cơ quan chủ trì,Thời gian thực hiện"];
    for (let n = 1; n <= 3000; n++) lines.push(`${n},"Nhiệm vụ số ${n}, rà soát quy trình",Sở Nội vụ,Quý ${(n % 4) + 1}`);
    const plan = await readPlan({ name: "lon.csv", data: Buffer.from(lines.join("\n")) });
    expect(plan.rows).toHaveLength(3000);
    expect(plan.rows[2999]).toMatchObject({ row: 3002, stt: "3000", content: "Nhiệm vụ số 3000, rà soát quy trình" });
    expect(plan.warnings).toEqual([]);
  });

  it("csvRows: records of any width after a narrower first line, with their lines", () => {
    const rows = csvRows('Tiêu đề\r\nSTT;Nội dung;Chủ trì\r\n1;"Việc\r\nmột";Sở Nội vụ\r\n2;Việc hai;Sở Tư pháp;thừa\r\n');
    expect(rows.map((r) => r.map((c) => c.text))).toEqual([
      ["Tiêu đề"],
      ["STT", "Nội dung", "Chủ trì"],
      ["1", "Việc\r\nmột", "Sở Nội vụ"],
      ["2", "Việc hai", "Sở Tư pháp", "thừa"],
    ]);
    expect(rows.map((r) => r[0].line)).toEqual([1, 2, 3, 5]);
  });
});
