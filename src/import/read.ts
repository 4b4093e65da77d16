/**
 * Read an uploaded plan file into a RawPlan, by extension and content:
 *
 * - `.txt`, `.md` → plain-text tables (readTextTables), else prose items (readProse);
 * - `.html`, `.htm` → `<table>`s, else its text as above;
 * - `.docx` → mammoth HTML, its `<table>`s (colspan, rowspan, `<th>` rows) → rowsFromTable;
 *   with no task table, mammoth's raw text → readProse;
 * - `.xlsx` → the first sheet with a recognisable header row: formulas by their result, dates
 *   as dd/mm/yyyy, hidden rows left out (and reported);
 * - `.csv` → quoted fields, `,` / `;` / tab separators.
 *
 * Text files (`.txt`, `.md`, `.html`, `.csv`) are UTF-8 with or without BOM, or UTF-16 (Excel's
 * "Unicode Text"); one in an ANSI code page is refused with how to save it as UTF-8.
 *
 * `.json` (dondoc's own export) is NOT read here: the caller restores it before calling
 * readPlan, so this reader does not claim the extension (see READ_EXTENSIONS).
 *
 * Row numbers: the line in a text file / CSV record, the row in a sheet, and for .docx and
 * .html the running count of table rows (`<tr>`) in the document, from 1.
 *
 * A file that cannot be read as a plan throws PlanReadError with a Vietnamese message that says
 * what was expected.
 */
import type ExcelJS from "exceljs";
import { readPlanMeta } from "./meta.ts";
import { readProse } from "./prose.ts";
import { csvRows, gridRegions, htmlTables, htmlToText, layoutRegions, markdownRegions, tabRegions, type Cell } from "./cells.ts";
import { cleanCell, readCells, readMapped, rowsFromTable, tidyWarnings, type ColumnMap } from "./table.ts";
import { readHtmlTables, readTextTables } from "./text-table.ts";
import { PlanReadError, UnmappedColumnsError, type RawPlan } from "./types.ts";

/** The largest plan file accepted: 10 MB. */
export const MAX_PLAN_BYTES = 10 * 1024 * 1024;

/** Extensions readPlan reads. `.json` is dondoc's own export, handled before readPlan. */
export const READ_EXTENSIONS = [".txt", ".md", ".html", ".htm", ".docx", ".xlsx", ".csv"] as const;

/** What the admin may upload, for messages (including `.json`, read by the caller). */
const SUPPORTED_FOR_USERS = ".txt, .md, .html, .docx, .xlsx, .csv hoặc .json (bản xuất của dondoc)";

const TABLE_EXPECTED =
  "một bảng nhiệm vụ có dòng tiêu đề (STT, Nội dung/Nhiệm vụ, Sản phẩm, Cơ quan chủ trì, Cơ quan phối hợp, Thời gian…)";

export async function readPlan(file: { name: string; data: Buffer }, options: { columns?: ColumnMap } = {}): Promise<RawPlan> {
  const { name, data } = file;
  const ext = extensionOf(name);
  if (ext === ".json") {
    // Not a user error: the caller must restore dondoc's own export before calling readPlan.
    throw new Error(`readPlan không đọc .json (bản xuất của dondoc): hãy xử lý "${name}" trước khi gọi readPlan.`);
  }
  if (!(READ_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new PlanReadError(
      `Không đọc được "${name}": định dạng ${ext || "(không có phần mở rộng)"} không được hỗ trợ. ` +
        `Hãy gửi kế hoạch dạng ${SUPPORTED_FOR_USERS}.` +
        (ext === ".doc" || ext === ".xls" ? ` Tệp ${ext} đời cũ: hãy mở bằng Word/Excel và lưu lại dạng ${ext}x.` : ""),
    );
  }
  if (data.length === 0) throw new PlanReadError(`Tệp "${name}" trống (0 byte): cần một tệp kế hoạch có nội dung.`);
  if (data.length > MAX_PLAN_BYTES) {
    const mb = (data.length / 1024 / 1024).toFixed(1).replace(".", ",");
    throw new PlanReadError(
      `Tệp "${name}" nặng ${mb} MB, vượt giới hạn 10 MB cho một kế hoạch. Hãy gửi riêng phần kế hoạch và phụ lục nhiệm vụ.`,
    );
  }
  if (options.columns) {
    const { grid, text } = await mainTable(name, data, ext);
    if (!grid) throw new PlanReadError(`Không có bảng nào trong "${name}" để đọc theo cột đã chọn.`);
    return planFromGrid(name, grid, options.columns, text);
  }
  try {
    switch (ext) {
      case ".docx":
        return await readDocx(name, data);
      case ".xlsx":
        return await readXlsx(name, data);
      case ".csv":
        return readCsv(name, data);
      case ".html":
      case ".htm":
        return readHtml(name, decodeText(name, data));
      default:
        return readText(name, decodeText(name, data));
    }
  } catch (error) {
    // No task found, but a table is there: its header is one nobody guessed. Ask for the columns.
    if (!(error instanceof NoTasksError)) throw error;
    const { grid, text } = await mainTable(name, data, ext);
    if (grid) throw unmapped(name, grid, text);
    throw error;
  }
}

class NoTasksError extends PlanReadError {}

/**
 * The rows of a table read with the columns an admin named (numbers from 0), and the plan's
 * metadata from `text`. Throws PlanReadError when no task row is left.
 */
export function planFromGrid(name: string, grid: Cell[][], columns: ColumnMap, text: string): RawPlan {
  const result = readMapped(grid, columns);
  if (result.rows.length === 0) {
    throw new PlanReadError(`Đọc "${name}" theo các cột đã chọn không ra nhiệm vụ nào: hãy kiểm tra lại cột nội dung, chủ trì, thời hạn.`);
  }
  return { meta: readPlanMeta(text), ...result };
}

function unmapped(name: string, grid: Cell[][], text: string): UnmappedColumnsError {
  const width = Math.max(...grid.map((r) => r.length));
  const headerAt = grid.findIndex((r) => r.filter((c) => c.text.trim()).length >= 2);
  const columns = Array.from({ length: width }, (_, i) => ({
    n: i + 1,
    header: cleanCell(grid[headerAt]?.[i]?.text).text.slice(0, 40),
    samples: grid
      .slice(headerAt + 1)
      .map((r) => cleanCell(r[i]?.text).text)
      .filter(Boolean)
      .slice(0, 2)
      .map((t) => (t.length > 40 ? `${t.slice(0, 39)}…` : t)),
  }));
  return new UnmappedColumnsError(name, columns, grid, text);
}

/**
 * The document's biggest table as rows of cells (at least 3 columns and 2 rows), and the
 * document's text for its metadata; grid null when it has none. Read again only on the way
 * to column mapping, so its cost stays off the normal import.
 */
async function mainTable(name: string, data: Buffer, ext: string): Promise<{ grid: Cell[][] | null; text: string }> {
  let grids: Cell[][][] = [];
  let text = "";
  const fromHtml = (html: string) => htmlTables(html).map((t) => t.rows.map((r, i) => r.map((c) => ({ text: c, line: i + 1 }))));
  if (ext === ".csv") {
    text = decodeText(name, data);
    grids = [csvRows(text)];
  } else if (ext === ".xlsx") {
    const { default: Excel } = await import("exceljs");
    const book = new Excel.Workbook();
    await book.xlsx.load(data as unknown as ArrayBuffer);
    const sheets = book.worksheets.map(sheetGrid);
    grids = sheets.map((g) => g.cells.map((r, i) => r.map((c) => ({ text: c, line: g.rowNumbers[i] }))));
    text = sheets.map((g) => g.cells.map((r) => r.filter(Boolean).join(" ")).join("\n")).join("\n");
  } else if (ext === ".docx") {
    const { default: mammoth } = await import("mammoth");
    grids = fromHtml((await mammoth.convertToHtml({ buffer: data })).value);
    text = (await mammoth.extractRawText({ buffer: data })).value.normalize("NFC");
  } else {
    const raw = decodeText(name, data);
    const html = ext === ".html" || ext === ".htm" || /<t[dh]\b/i.test(raw);
    text = html ? htmlToText(raw) : raw;
    const lines = text.split(/\r\n|\r|\n/);
    const regions = [
      ...gridRegions(lines),
      ...tabRegions(lines),
      ...markdownRegions(lines),
      ...layoutRegions(lines, (cells) => cells.length >= 3),
    ];
    grids = [...(html ? fromHtml(raw) : []), ...regions.flatMap((r) => ("rows" in r.source ? [r.source.rows] : []))];
  }
  const size = (g: Cell[][]) => {
    const filled = g.filter((r) => r.filter((c) => c.text.trim()).length >= 2);
    const width = Math.max(0, ...filled.map((r) => r.filter((c) => c.text.trim()).length));
    return filled.length >= 3 && width >= 3 ? filled.length * width : 0;
  };
  const best = grids.map((g) => [g, size(g)] as const).sort((a, b) => b[1] - a[1])[0];
  return { grid: best && best[1] > 0 ? best[0] : null, text };
}

function extensionOf(name: string): string {
  const m = /\.([^./\\]+)$/.exec(name.trim());
  return m ? `.${m[1].toLowerCase()}` : "";
}

/**
 * No task found. A table of indicators (TT | Chỉ tiêu | Chủ trì, no deadline column) is said
 * to be one: its rows are targets, not tasks to follow up.
 */
function noTasks(name: string, indicators?: number): PlanReadError {
  if (indicators) {
    return new PlanReadError(
      `"${name}" không có bảng nhiệm vụ: phụ lục là bảng ${indicators} chỉ tiêu (TT, Chỉ tiêu, Chủ trì) không có cột thời hạn, ` +
        "nên không nạp thành nhiệm vụ. Nếu kế hoạch có bảng nhiệm vụ riêng (Nội dung, Cơ quan chủ trì, Thời gian thực hiện), hãy gửi tệp có bảng đó.",
    );
  }
  return new NoTasksError(
    `Không tìm thấy nhiệm vụ nào trong "${name}": cần ${TABLE_EXPECTED}, ` +
      `hoặc các mục nhiệm vụ có dòng "Cơ quan chủ trì", "Sản phẩm", "Thời gian hoàn thành".`,
  );
}

// ---------------------------------------------------------------- text

/**
 * The text of a text file: UTF-8 (with or without BOM), or UTF-16 — Excel's "Unicode Text",
 * Word's and Notepad's "Unicode" — told by its BOM (FF FE, FE FF) or, without one, by its
 * NUL bytes standing every other byte. A file in an ANSI code page (Windows-1258/1252,
 * TCVN3: invalid UTF-8) is refused with how to save it again as UTF-8: its code page cannot
 * be told from its bytes, and Excel's ANSI export has already turned letters it lacks into
 * "?". NUL bytes in any other pattern: a binary file renamed.
 */
function decodeText(name: string, data: Buffer): string {
  let text = utf16Text(data);
  if (text === null && !data.includes(0)) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(data);
    } catch {
      text = null;
    }
  }
  if (text === null) {
    if (data.includes(0) || controlBytes(data) > 0.01) {
      throw new PlanReadError(
        `Tệp "${name}" không phải văn bản UTF-8 hay UTF-16 (có byte NUL hoặc ký tự điều khiển, có thể là tệp nhị phân ` +
          `bị đổi tên): hãy gửi kế hoạch dạng ${SUPPORTED_FOR_USERS}.`,
      );
    }
    const how =
      extensionOf(name) === ".csv"
        ? "Hãy mở tệp bằng Excel, chọn Tệp → Lưu thành (File → Save As), chọn kiểu «CSV UTF-8 (Comma delimited) (*.csv)» " +
          "rồi gửi lại — hoặc gửi bản .xlsx."
        : "Hãy mở tệp bằng Notepad hoặc Word, chọn Tệp → Lưu thành (File → Save As), ở mục Mã hóa (Encoding) chọn UTF-8 rồi gửi lại.";
    throw new PlanReadError(
      `Tệp "${name}" không phải văn bản UTF-8: có vẻ được lưu bằng bảng mã ANSI cũ (Windows-1258, TCVN3…), ` +
        `nên chữ tiếng Việt không đọc đúng được. ${how}`,
    );
  }
  text = text.replace(/^\uFEFF/, "").normalize("NFC");
  if (text.trim() === "") throw new PlanReadError(`Tệp "${name}" trống (chỉ có khoảng trắng): cần một tệp kế hoạch có nội dung.`);
  return text;
}

/** The text of UTF-16 data (by its BOM, or NULs every other byte), or null when it is not UTF-16. */
function utf16Text(data: Buffer): string | null {
  let encoding: "utf-16le" | "utf-16be" | null = null;
  if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) encoding = "utf-16le";
  else if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) encoding = "utf-16be";
  else if (data.length >= 4 && data.length % 2 === 0) {
    // No BOM: ASCII letters, digits, spaces and most Vietnamese letters below U+0200 have a
    // zero high byte, so a text has NULs on one side of its byte pairs and almost none on the other.
    const n = Math.min(data.length, 8192) & ~1;
    let even = 0;
    let odd = 0;
    for (let i = 0; i < n; i++) if (data[i] === 0) i % 2 === 0 ? even++ : odd++;
    const pairs = n / 2;
    if (odd >= 0.3 * pairs && even <= 0.01 * pairs) encoding = "utf-16le";
    else if (even >= 0.3 * pairs && odd <= 0.01 * pairs) encoding = "utf-16be";
  }
  if (!encoding) return null;
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(data);
  } catch {
    return null;
  }
  // A text has no control characters but tab, line breaks and form feed.
  return /[\u0000-\u0008\u000b\u000e-\u001f]/.test(text) ? null : text;
}

/** The share of bytes that are control characters no text holds (not tab, line breaks, form feed, ESC). */
function controlBytes(data: Buffer): number {
  const n = Math.min(data.length, 65536);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const b = data[i];
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) count++;
  }
  return n ? count / n : 0;
}

function readText(name: string, text: string, indicators?: number): RawPlan {
  const tables = readTextTables(text);
  if (tables && tables.rows.length > 0) return tables;
  const prose = readProse(text);
  if (prose && prose.rows.length > 0) return prose;
  throw noTasks(name, tables?.indicators ?? indicators);
}

// ---------------------------------------------------------------- HTML (.html, .docx)

function readHtml(name: string, html: string): RawPlan {
  const text = htmlToText(html);
  const tables = readHtmlTables(html);
  if (tables && tables.rows.length > 0) return { meta: readPlanMeta(text), ...tables };
  return readText(name, text, tables?.indicators);
}

// ---------------------------------------------------------------- .docx

function isZip(data: Buffer): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
}

async function readDocx(name: string, data: Buffer): Promise<RawPlan> {
  const notDocx = () =>
    new PlanReadError(
      `Tệp "${name}" không phải tệp Word .docx hợp lệ (không mở được như tệp nén Office Open XML). ` +
        `Nếu là tệp .doc đời cũ, hãy mở bằng Word và lưu lại dạng .docx.`,
    );
  if (!isZip(data)) throw notDocx();
  let html: string;
  let raw: string;
  const { default: mammoth } = await import("mammoth"); // loaded on first use
  try {
    html = (await mammoth.convertToHtml({ buffer: data })).value;
    raw = (await mammoth.extractRawText({ buffer: data })).value.normalize("NFC");
  } catch {
    throw notDocx();
  }
  const tables = readHtmlTables(html);
  if (tables && tables.rows.length > 0) return { meta: readPlanMeta(raw), ...tables };
  const prose = raw.trim() ? readProse(raw) : null;
  if (prose && prose.rows.length > 0) return prose;
  throw noTasks(name, tables?.indicators);
}

// ---------------------------------------------------------------- .xlsx

/**
 * A cell's value as the sheet shows it: a formula's result, a date as dd/mm/yyyy, rich text
 * and hyperlinks as their text, an error as nothing.
 */
function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v instanceof Date) return dateText(v, cell.numFmt);
  if (v && typeof v === "object") {
    if ("richText" in v) return richText(v);
    if ("formula" in v || "sharedFormula" in v || "result" in v) {
      // A text result in a date-formatted cell comes from exceljs as an invalid date: read as empty.
      const result = (v as { result?: unknown }).result;
      if (result instanceof Date) return dateText(result, cell.numFmt);
      if (result && typeof result === "object") return richText(result);
      return result === undefined || result === null ? "" : String(result);
    }
    if ("error" in v) return "";
    if ("text" in v) {
      const text = (v as { text: unknown }).text;
      return typeof text === "string" ? text : richText(text);
    }
  }
  try {
    return cell.text ?? "";
  } catch {
    return "";
  }
}

/** The text of a rich-text value (runs joined); "" for anything else. */
function richText(value: unknown): string {
  if (!value || typeof value !== "object" || !("richText" in value)) return "";
  return (value as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join("");
}

/**
 * A date cell as dd/mm/yyyy. A "date" in 1900 or before is a small number in a column formatted
 * as dates (the column numbers "1 2 3 …" under the header): it is shown as that number. A date
 * whose format shows no day is a month ("02/2025", "Feb-25": Excel keeps the 1st) or a year, and
 * is written so ("Tháng 02/2025", "Năm 2025"), never as the month's first day.
 */
function dateText(d: Date, format?: string): string {
  if (Number.isNaN(d.getTime())) return "";
  if (d.getUTCFullYear() <= 1900) {
    const serial = (d.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000;
    return String(Math.round(serial * 1e6) / 1e6);
  }
  const dd = String(d.getUTCDate()).padStart(2, "0");
  const mm = String(d.getUTCMonth() + 1).padStart(2, "0");
  // The format's own letters, without quoted text, [colour]/[$-locale] parts and escapes.
  const shown = (format ?? "").replace(/"[^"]*"|\[[^\]]*\]|\\./g, "").toLowerCase();
  if (/y/.test(shown) && !/[dhs]/.test(shown)) return /m/.test(shown) ? `Tháng ${mm}/${d.getUTCFullYear()}` : `Năm ${d.getUTCFullYear()}`;
  return `${dd}/${mm}/${d.getUTCFullYear()}`;
}

const HIDDEN_ROW = "Dòng bị ẩn trong bảng tính: không nạp (nếu là nhiệm vụ cần theo dõi, hãy bỏ ẩn dòng này trong Excel rồi gửi lại).";

async function readXlsx(name: string, data: Buffer): Promise<RawPlan> {
  const notXlsx = () =>
    new PlanReadError(
      `Tệp "${name}" không phải bảng tính Excel .xlsx hợp lệ (không mở được như tệp nén Office Open XML). ` +
        `Nếu là tệp .xls đời cũ, hãy mở bằng Excel và lưu lại dạng .xlsx.`,
    );
  if (!isZip(data)) throw notXlsx();
  const { default: Excel } = await import("exceljs"); // loaded on first use
  const book = new Excel.Workbook();
  try {
    await book.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw notXlsx();
  }
  const sheets = book.worksheets.map((sheet) => ({ sheet, ...sheetGrid(sheet) }));
  for (const { sheet, cells, rowNumbers, hidden } of sheets) {
    const result = rowsFromTable(cells, { rowNumbers });
    if (!result) continue;
    if (result.indicators) throw noTasks(name, result.indicators);
    if (result.rows.length === 0) {
      throw new PlanReadError(`Trang "${sheet.name}" trong "${name}" có dòng tiêu đề nhưng không có dòng nhiệm vụ nào bên dưới.`);
    }
    // The plan's title, number and date may sit on another sheet (the template's "Thông tin
    // kế hoạch"): those sheets are read first, then the task sheet.
    const text = [...sheets.filter((s) => s.sheet !== sheet), ...sheets.filter((s) => s.sheet === sheet)]
      .map((s) => s.cells.map((row) => row.filter(Boolean).join(" ")).join("\n"))
      .join("\n");
    const skipped = hidden.map((h) => ({ row: h.row, text: h.text, message: HIDDEN_ROW }));
    return { meta: readPlanMeta(text), ...result, warnings: tidyWarnings([...result.warnings, ...skipped]) };
  }
  throw new NoTasksError(`Bảng tính "${name}" không có dòng tiêu đề nhận ra được ở trang nào: cần ${TABLE_EXPECTED}.`);
}

/**
 * A sheet's cells as text, row by row (merged across a row: the text once; merged down:
 * repeated). Hidden rows (hidden by hand, by a filter, or in a collapsed group) are not read:
 * `hidden` lists them with their text, to say so.
 */
function sheetGrid(sheet: ExcelJS.Worksheet): { cells: string[][]; rowNumbers: number[]; hidden: { row: number; text: string }[] } {
  const cells: string[][] = [];
  const rowNumbers: number[] = [];
  const hidden: { row: number; text: string }[] = [];
  const width = sheet.columnCount;
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    if (row.hidden) {
      const text = Array.from({ length: width }, (_, c) => cellText(row.getCell(c + 1)).trim())
        .filter(Boolean)
        .join(" | ");
      if (text) hidden.push({ row: r, text: text.length > 200 ? `${text.slice(0, 199)}…` : text });
      continue;
    }
    const out: string[] = [];
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      const master = cell.isMerged ? cell.master : cell;
      if (master !== cell && master.address !== cell.address) out.push(Number(master.row) === r ? "" : cellText(master));
      else out.push(cellText(cell));
    }
    cells.push(out);
    rowNumbers.push(r);
  }
  return { cells, rowNumbers, hidden };
}

// ---------------------------------------------------------------- .csv

function readCsv(name: string, data: Buffer): RawPlan {
  const text = decodeText(name, data);
  let rows: Cell[][];
  try {
    rows = csvRows(text);
  } catch {
    throw new PlanReadError(
      `Tệp CSV "${name}" hỏng (dấu ngoặc kép không đóng hoặc dòng không đọc được): hãy mở bằng Excel và lưu lại dạng .csv hoặc .xlsx.`,
    );
  }
  const result = readCells({ rows });
  if (!result) {
    throw new NoTasksError(`Tệp CSV "${name}" không có dòng tiêu đề nhận ra được: cần ${TABLE_EXPECTED}.`);
  }
  if (result.rows.length === 0) throw noTasks(name, result.indicators);
  const plain = rows
    .map((r) =>
      r
        .map((c) => c.text)
        .filter(Boolean)
        .join(" "),
    )
    .join("\n");
  return { meta: readPlanMeta(plain), ...result };
}
