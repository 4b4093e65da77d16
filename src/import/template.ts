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
export const TEMPLATE_HEADER = [
  "STT",
  "Nội dung nhiệm vụ",
  "Cơ quan chủ trì",
  "Cơ quan phối hợp",
  "Thời gian thực hiện",
  "Sản phẩm",
  "Ghi chú",
];

const EXAMPLES = [
  ["I", "CẢI CÁCH THỂ CHẾ"],
  [
    "1",
    "Rà soát, hệ thống hóa văn bản quy phạm pháp luật của tỉnh",
    "Sở Tư pháp",
    "Các sở, ban, ngành tỉnh",
    "Quý II",
    "Báo cáo rà soát",
    "",
  ],
  [
    "2",
    "Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị",
    "Sở Nội vụ",
    "Văn phòng UBND tỉnh",
    "Trước ngày 15/10",
    "Kết luận kiểm tra",
    "",
  ],
];

/** The plan details the template comes with, for a plan of `year`: to be replaced by the plan's own. */
export function templateSample(year: number): { title: string; number: string; signed: string; issuer: string } {
  return { title: `KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM ${year}`, number: "01/KH-UBND", signed: `${year}-01-01`, issuer: "UBND tỉnh …" };
}

/** A plan's details as the importer has them (what templateLeftovers looks at). */
type PlanDetails = { number: string | null; signed: string | null; issuer: string | null; title: string; year: number };

/**
 * What a plan filled from the template still holds of the template's own sample values: the
 * number and signing date of «Thông tin kế hoạch» (01/KH-UBND, 01/01/<năm>), its issuer
 * «UBND tỉnh …», its title when the other values are the sample's too, and its two example
 * task rows. Each as a Vietnamese line for the preview; none when the plan was filled in.
 */
export function templateLeftovers(plan: PlanDetails, contents: string[]): string[] {
  const sample = templateSample(Number((plan.signed ?? "").slice(0, 4)) || plan.year);
  const out: string[] = [];
  const sampleNumber = !!plan.number && plan.number.replace(/\s+/g, "") === sample.number;
  const sampleDate = plan.signed === sample.signed;
  if (sampleNumber && sampleDate) out.push(`Số và ngày ký «${sample.number}, ${viDate(sample.signed)}» là giá trị mẫu của tệp mẫu`);
  else if (sampleDate) out.push(`Ngày ký ${viDate(sample.signed)} là ngày mẫu của tệp mẫu`);
  if (plan.issuer?.includes("…")) out.push(`Cơ quan ban hành «${plan.issuer}» là giá trị mẫu`);
  if (out.length && plan.title.trim() === templateSample(plan.year).title) out.push(`Tiêu đề «${plan.title}» là tiêu đề mẫu`);
  const examples = new Set(EXAMPLES.filter((r) => r.length > 2).map((r) => r[1]));
  const left = contents.filter((c) => examples.has(c));
  if (left.length) out.push(`${left.length} dòng ví dụ của tệp mẫu vẫn còn trong trang «Nhiệm vụ» («${left[0]}»…)`);
  return out;
}

/** Deadline forms shown on the explanation sheet for a plan of `year`, with a note on when to use each. */
function deadlineForms(year: number): [string, string][] {
  const last = year + 4;
  return [
    ["Quý II", "cuối quý (năm của kế hoạch)"],
    [`Quý I, III/${year}`, "mỗi quý ghi một mốc"],
    [`Tháng 9/${year}`, "cuối tháng"],
    [`Trước ngày 15/10/${year}`, "ngày trước đó là hạn cuối"],
    [`Chậm nhất ngày 15/10/${year}`, "đúng ngày ghi"],
    [`Năm ${year}`, "cuối năm"],
    ["Hằng quý", "cuối mỗi quý"],
    ["Hằng năm", "cuối mỗi năm của kế hoạch"],
    [`Tháng 4 - tháng 10/${year}`, "từ đầu tháng 4 đến cuối tháng 10"],
    [`${year} - ${last}`, `kế hoạch nhiều năm: báo cáo hằng năm, hạn cuối năm ${last}`],
    ["Thường xuyên", "không có hạn; hỏi tình hình mỗi quý"],
    ["Sau khi có hướng dẫn của Bộ Nội vụ", "có điều kiện: cơ quan báo ngày khi điều kiện xảy ra (/dieukien)"],
  ];
}

const KIND: Record<string, string> = {
  date: "hạn ngày",
  period: "hạn theo kỳ",
  continuous: "thường xuyên",
  conditional: "có điều kiện",
  unknown: "không đọc được",
};

/** What the parser reads a form as, in words: "hạn theo kỳ: 30/06/2026". `period` for the multi-year form. */
function reading(phrase: string, year: number, period?: { first: number; last: number }): string {
  const { deadline } = parseDeadline(phrase, { planYear: year, period });
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
  const sample = templateSample(year);
  info.addRow([sample.title]).font = { bold: true };
  info.addRow([`(sửa dòng trên thành tên kế hoạch; kế hoạch nhiều năm ghi «GIAI ĐOẠN ${year} - ${year + 4}»)`]);
  info.addRow(["Số:", sample.number]);
  info.addRow(["Ngày ban hành:", viDate(sample.signed)]);
  info.addRow(["Cơ quan ban hành:", sample.issuer]);

  const help = book.addWorksheet("Cách ghi thời hạn");
  help.columns = [{ width: 40 }, { width: 48 }, { width: 44 }];
  help.addRow(["Ghi ở cột «Thời gian thực hiện»", "dondoc hiểu là", "Khi nào dùng"]).font = { bold: true };
  const multi = { first: year, last: year + 4 };
  for (const [phrase, when] of deadlineForms(year)) {
    help.addRow([phrase, reading(phrase, year, phrase === `${year} - ${year + 4}` ? multi : undefined), when]);
  }
  help.addRow([]);
  help.addRow(["Mỗi dòng một nhiệm vụ. Dòng chỉ có STT (I, II, 1…) và tên là tên nhóm. Nhiều cơ quan chủ trì: ngăn cách bằng dấu «;»."]);

  return Buffer.from(await book.xlsx.writeBuffer());
}
