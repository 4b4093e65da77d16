/**
 * The `.xlsx` report (/xuatbaocao, `npm run digest -- --xlsx`): a summary sheet (totals, by
 * agency, by area) and a task sheet with the columns of the quarterly report, one row per
 * task, ready to paste. Same figures as the text (both come from one Digest).
 */
import type ExcelJS from "exceljs";
import { fold, viDate } from "../core/text.ts";
import { completion, share, STATES, type Counters, type Digest, type TaskFigure } from "./figures.ts";
import { AWAITING_DONE, areaName, COMPLETION_BASIS, lateText, scopeLabel, spanText, STATE_NAMES } from "./text.ts";

export const SUMMARY_SHEET = "Tổng hợp";
export const TASK_SHEET = "Nhiệm vụ";

export const TASK_COLUMNS = [
  { header: "STT", width: 6 },
  { header: "Nhiệm vụ", width: 60 },
  { header: "Cơ quan chủ trì", width: 28 },
  { header: "Cơ quan phối hợp", width: 28 },
  { header: "Thời hạn", width: 18 },
  { header: "Tình trạng", width: 24 },
  { header: "Tiến độ (%)", width: 10 },
  { header: "Sản phẩm / văn bản kiểm chứng", width: 36 },
  { header: "Ghi chú", width: 36 },
] as const;

/** Header of the agency and area tables on the summary sheet. */
export const TABLE_HEADERS = ["", "Số nhiệm vụ", ...STATES.map((s) => STATE_NAMES[s]), "Tỷ lệ hoàn thành (%)"];

/** A percentage with one decimal, as a number (null stays empty). */
const pct1 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);

const THIN = { style: "thin" as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

function headerRow(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
  row.eachCell((cell) => {
    cell.border = BORDER;
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
  });
}

function bodyRow(row: ExcelJS.Row): void {
  row.alignment = { vertical: "top", wrapText: true };
  row.eachCell({ includeEmpty: true }, (cell) => (cell.border = BORDER));
}

const countCells = (c: Counters): (number | null)[] => [c.tasks, ...STATES.map((s) => c[s]), pct1(completion(c))];

function taskRow(d: Digest, row: TaskFigure, index: number): (string | number)[] {
  const { task, shares } = row;
  const names = shares.map((s) => d.byAgency.find((a) => a.agencyId === s.agencyId)?.name ?? s.agencyId);
  const extended = shares.filter((s) => s.extended && s.due);
  const deadline = [
    task.deadline.raw,
    ...extended.map((s) => `gia hạn đến ${viDate(s.due!)}${shares.length > 1 ? ` (${names[shares.indexOf(s)]})` : ""}`),
  ]
    .filter(Boolean)
    .join("; ");
  const progress = Math.round(shares.reduce((sum, s) => sum + s.progress, 0) / shares.length);
  const documents = shares.flatMap((s) =>
    s.evidence.filter((e) => e.documentNumber).map((e) => `${e.documentNumber}${e.documentDate ? ` ngày ${viDate(e.documentDate)}` : ""}`),
  );
  const product = [task.product, ...new Set(documents)].filter(Boolean).join("\n");
  const notes = [`Mã ${task.code}`];
  for (const [i, s] of shares.entries()) {
    const who = shares.length > 1 ? `${names[i]}: ` : "";
    const waiting = s.awaitingDone ? `, ${AWAITING_DONE}` : "";
    if (s.state === "openOverdue") notes.push(`${who}${lateText(s.workingDaysLate)} (hạn ${viDate(s.due!)})${waiting}`);
    else if (s.state === "openOnTime" && s.due) notes.push(`${who}hạn ${viDate(s.due)}${waiting}`);
    else if (s.awaitingDone) notes.push(`${who}${AWAITING_DONE}`);
    else if (shares.length > 1) notes.push(`${who}${STATE_NAMES[s.state].toLowerCase()}`);
    if (s.blocker) notes.push(`${who}vướng mắc: ${s.blocker}`);
  }
  return [
    index + 1,
    task.content,
    names.join(", "),
    task.coordinating,
    deadline,
    STATE_NAMES[row.state],
    progress,
    product,
    notes.join("\n"),
  ];
}

/** The digest as an .xlsx (sheets: summary, tasks), for the quarterly report; `now` stamps it. */
export async function digestWorkbook(d: Digest, options: { agencyName?: string; now?: Date } = {}): Promise<Buffer> {
  // exceljs is loaded on the first report, not at start-up.
  const { default: Excel } = await import("exceljs");
  const wb = new Excel.Workbook();
  wb.creator = "dondoc";
  if (options.now) wb.created = options.now;

  // ------------------------------------------------------------ summary sheet
  const s = wb.addWorksheet(SUMMARY_SHEET);
  s.columns = [{ width: 42 }, { width: 12 }, ...STATES.map(() => ({ width: 14 })), { width: 14 }];
  s.addRow(["BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH"]).font = { bold: true, size: 13 };
  s.addRow([`Kỳ báo cáo: ${d.period.label} (${spanText(d.period.from, d.period.to)})`]);
  s.addRow([`Số liệu tính đến ngày: ${viDate(d.at)}`]);
  s.addRow([`Phạm vi: ${scopeLabel(d, options.agencyName)}`]);
  s.addRow([]);
  headerRow(s.addRow(["Chỉ tiêu", "Số lượng", "Tỷ lệ trên tổng số nhiệm vụ (%)"]));
  bodyRow(s.addRow(["Tổng số nhiệm vụ", d.totals.tasks, d.totals.tasks ? 100 : 0]));
  for (const state of STATES) bodyRow(s.addRow([STATE_NAMES[state], d.totals[state], pct1(share(d.totals[state], d.totals))]));
  bodyRow(s.addRow([`Tỷ lệ hoàn thành (%) = ${COMPLETION_BASIS}`, null, pct1(completion(d.totals))]));
  bodyRow(s.addRow(["Trong số chưa hoàn thành: đã đạt tiến độ 100%, chờ báo hoàn thành", d.totals.awaitingDone, null]));
  s.addRow([]);
  s.addRow(["THEO CƠ QUAN"]).font = { bold: true };
  headerRow(s.addRow(["Cơ quan", ...TABLE_HEADERS.slice(1)]));
  for (const r of d.byAgency) bodyRow(s.addRow([r.name, ...countCells(r)]));
  s.addRow([]);
  s.addRow(["THEO LĨNH VỰC"]).font = { bold: true };
  headerRow(s.addRow(["Lĩnh vực", ...TABLE_HEADERS.slice(1)]));
  for (const r of d.byArea) bodyRow(s.addRow([areaName(r.area), ...countCells(r)]));
  s.eachRow((row) =>
    row.eachCell((cell) => {
      if (typeof cell.value === "number" && !Number.isInteger(cell.value)) cell.numFmt = "0.0";
    }),
  );

  // ------------------------------------------------------------ task sheet
  const t = wb.addWorksheet(TASK_SHEET, { views: [{ state: "frozen", ySplit: 1 }] });
  t.columns = TASK_COLUMNS.map((c) => ({ header: c.header, width: c.width }));
  headerRow(t.getRow(1));
  for (const [i, row] of d.rows.entries()) bodyRow(t.addRow(taskRow(d, row, i)));
  t.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: TASK_COLUMNS.length } };

  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** `tong-ket-cchc-quy-ii-2021.xlsx` */
export function reportFileName(d: Digest, ext = "xlsx"): string {
  const slug = fold(d.period.label)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `tong-ket-cchc-${slug}${d.filter.agencyId ? `-${d.filter.agencyId}` : ""}.${ext}`;
}
