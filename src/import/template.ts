/**
 * The plan template an admin fills in when their plan cannot be read as it comes (a scanned
 * table retyped, a layout nobody guessed): an .xlsx with
 *  - "Nhiệm vụ": the header row the readers know, and two example rows;
 *  - "Thông tin kế hoạch": the plan's title, number, signing date and issuer, in the forms
 *    the metadata reader reads (meta.ts);
 *  - "Cách ghi thời hạn": the deadline forms, each with what dondoc reads it as — computed
 *    by the deadline parser itself, so the sheet cannot disagree with the import.
 * `npm run import` reads the filled template back like any spreadsheet.
 */
import type ExcelJS from "exceljs";
import { parseDeadline } from "../core/deadline.ts";
import { viDate } from "../core/text.ts";

/** The task sheet's columns, in the header wording the table reader recognises. */
export const TEMPLATE_HEADER = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện", "Sản phẩm", "Ghi chú"];

const EXAMPLES = [
  ["I", "CẢI CÁCH THỂ CHẾ"],
  ["1", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật của tỉnh", "Sở Tư pháp", "Các sở, ban, ngành tỉnh", "Quý II", "Báo cáo rà soát", ""],
  ["2", "Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị", "Sở Nội vụ", "Văn phòng UBND tỉnh", "Trước ngày 15/10", "Kết luận kiểm tra", ""],
];

/** Deadline forms shown on the explanation sheet, with a note on when to use each. */
const DEADLINE_FORMS: [string, string][] = [
  ["Quý II", "cuối quý (năm của kế hoạch)"],
  ["Quý I, III/2026", "mỗi quý ghi một mốc"],
  ["Tháng 9/2026", "cuối tháng"],
  ["Trước ngày 15/10/2026", "ngày trước đó là hạn cuối"],
  ["Chậm nhất ngày 15/10/2026", "đúng ngày ghi"],
  ["Năm 2026", "cuối năm"],
  ["Hằng quý", "cuối mỗi quý"],
  ["Hằng năm", "cuối mỗi năm của kế hoạch"],
  ["Tháng 4 - tháng 10/2026", "từ đầu tháng 4 đến cuối tháng 10"],
  ["2026 - 2030", "kế hoạch nhiều năm: báo cáo hằng năm, hạn cuối năm 2030"],
  ["Thường xuyên", "không có hạn; hỏi tình hình mỗi quý"],
  ["Sau khi có hướng dẫn của Bộ Nội vụ", "có điều kiện: cơ quan báo ngày khi điều kiện xảy ra (/dieukien)"],
];

const KIND: Record<string, string> = {
  date: "hạn ngày",
  period: "hạn theo kỳ",
  continuous: "thường xuyên",
  conditional: "có điều kiện",
  unknown: "không đọc được",
};

/** What the parser reads a form as, in words: "hạn theo kỳ: 30/06/2026". */
function reading(phrase: string, year: number): string {
  const { deadline } = parseDeadline(phrase, { planYear: year, period: phrase.includes("2030") ? { first: year, last: 2030 } : undefined });
  const dues = deadline.milestones.map((m) => (m.start ? `${viDate(m.start)} → ${viDate(m.due)}` : viDate(m.due)));
  return `${KIND[deadline.kind]}${dues.length ? `: ${dues.join(", ")}` : ""}`;
}

/**
 * The template as an .xlsx file for a plan of `year`. exceljs is loaded here, on first use.
 * Returns the file's bytes.
 */
export async function planTemplate(year: number): Promise<Buffer> {
  const { default: Excel } = await import("exceljs");
  const book: ExcelJS.Workbook = new Excel.Workbook();
  book.creator = "dondoc";

  const tasks = book.addWorksheet("Nhiệm vụ");
  tasks.columns = [6, 60, 28, 28, 24, 24, 16].map((width) => ({ width }));
  const header = tasks.addRow(TEMPLATE_HEADER);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: "middle" };
  for (const row of EXAMPLES) tasks.addRow(row).alignment = { wrapText: true, vertical: "top" };
  tasks.getRow(2).font = { bold: true };
  tasks.views = [{ state: "frozen", ySplit: 1 }];

  const info = book.addWorksheet("Thông tin kế hoạch");
  info.columns = [{ width: 22 }, { width: 70 }];
  info.addRow([`KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM ${year}`]).font = { bold: true };
  info.addRow(["(sửa dòng trên thành tên kế hoạch; kế hoạch nhiều năm ghi «GIAI ĐOẠN 2026 - 2030»)"]);
  info.addRow(["Số:", `01/KH-UBND`]);
  info.addRow(["Ngày ban hành:", `01/01/${year}`]);
  info.addRow(["Cơ quan ban hành:", "UBND tỉnh …"]);

  const help = book.addWorksheet("Cách ghi thời hạn");
  help.columns = [{ width: 40 }, { width: 48 }, { width: 44 }];
  help.addRow(["Ghi ở cột «Thời gian thực hiện»", "dondoc hiểu là", "Khi nào dùng"]).font = { bold: true };
  for (const [phrase, when] of DEADLINE_FORMS) help.addRow([phrase, reading(phrase, year), when]);
  help.addRow([]);
  help.addRow(["Mỗi dòng một nhiệm vụ. Dòng chỉ có STT (I, II, 1…) và tên là tên nhóm. Nhiều cơ quan chủ trì: ngăn cách bằng dấu «;»."]);

  return Buffer.from(await book.xlsx.writeBuffer());
}
