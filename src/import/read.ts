/**
 * Read an uploaded plan file into a RawPlan, by extension and content:
 *
 * - `.txt`, `.md` → plain-text tables (readTextTables), else prose items (readProse);
 * - `.html`, `.htm` → `<table>`s, else its text as above;
 * - `.docx` → mammoth HTML, its `<table>`s (colspan, rowspan, `<th>` rows) → rowsFromTable;
 *   with no task table, mammoth's raw text → readProse;
 * - `.xlsx` → the first sheet with a recognisable header row;
 * - `.csv` → quoted fields, `,` / `;` / tab separators, UTF-8 with or without BOM.
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
import ExcelJS from "exceljs";
import mammoth from "mammoth";
import { readPlanMeta } from "./meta.ts";
import { readProse } from "./prose.ts";
import { rowsFromTable } from "./table.ts";
import { openHeadings, readTextTables } from "./text-table.ts";
import { PlanReadError, type RawPlan, type RawTaskRow, type ReadWarning } from "./types.ts";

/** The largest plan file accepted: 10 MB. */
export const MAX_PLAN_BYTES = 10 * 1024 * 1024;

/** Extensions readPlan reads. `.json` is dondoc's own export, handled before readPlan. */
export const READ_EXTENSIONS = [".txt", ".md", ".html", ".htm", ".docx", ".xlsx", ".csv"] as const;

/** What the admin may upload, for messages (including `.json`, read by the caller). */
const SUPPORTED_FOR_USERS = ".txt, .md, .docx, .xlsx, .csv hoặc .json (bản xuất của dondoc)";

const TABLE_EXPECTED =
  "một bảng nhiệm vụ có dòng tiêu đề (STT, Nội dung/Nhiệm vụ, Sản phẩm, Cơ quan chủ trì, Cơ quan phối hợp, Thời gian…)";

export async function readPlan(file: { name: string; data: Buffer }): Promise<RawPlan> {
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
  switch (ext) {
    case ".docx":
      return readDocx(name, data);
    case ".xlsx":
      return readXlsx(name, data);
    case ".csv":
      return readCsv(name, data);
    case ".html":
    case ".htm":
      return readHtml(name, decodeText(name, data));
    default:
      return readText(name, decodeText(name, data));
  }
}

function extensionOf(name: string): string {
  const m = /\.([^./\\]+)$/.exec(name.trim());
  return m ? `.${m[1].toLowerCase()}` : "";
}

function noTasks(name: string): PlanReadError {
  return new PlanReadError(
    `Không tìm thấy nhiệm vụ nào trong "${name}": cần ${TABLE_EXPECTED}, ` +
      `hoặc các mục nhiệm vụ có dòng "Cơ quan chủ trì", "Sản phẩm", "Thời gian hoàn thành".`,
  );
}

// ---------------------------------------------------------------- text

/** UTF-8 text of a text file; NUL bytes or invalid UTF-8 mean it is not a text file. */
function decodeText(name: string, data: Buffer): string {
  let text: string | null = null;
  if (!data.includes(0)) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(data);
    } catch {
      text = null;
    }
  }
  if (text === null) {
    throw new PlanReadError(
      `Tệp "${name}" không phải văn bản UTF-8 (có byte NUL hoặc mã ký tự không hợp lệ, có thể là tệp nhị phân ` +
        `bị đổi tên): cần tệp văn bản lưu bằng UTF-8.`,
    );
  }
  text = text.replace(/^\uFEFF/, "").normalize("NFC");
  if (text.trim() === "") throw new PlanReadError(`Tệp "${name}" trống (chỉ có khoảng trắng): cần một tệp kế hoạch có nội dung.`);
  return text;
}

function readText(name: string, text: string): RawPlan {
  const tables = readTextTables(text);
  if (tables && tables.rows.length > 0) return tables;
  const prose = readProse(text);
  if (prose && prose.rows.length > 0) return prose;
  throw noTasks(name);
}

// ---------------------------------------------------------------- HTML (.html, .docx)

type HtmlTable = { cells: string[][]; before: string[] };

/** Block-level HTML to text lines. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|h[1-6]|li|div|tr|table|caption)>/gi, "\n")
    .replace(/<\/t[dh]>/gi, "\t")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/gi, " ")
    .replace(/&lt;/gi, "<")
    .replace(/&gt;/gi, ">")
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&amp;/gi, "&");
}

/**
 * The top-level `<table>`s of an HTML document as grids of raw cell HTML: colspan pads with
 * empty cells, rowspan repeats the cell's text in the rows it covers, nested tables stay
 * inside their cell. `before` holds the text lines between the previous table and this one.
 */
export function htmlTables(html: string): HtmlTable[] {
  const tables: HtmlTable[] = [];
  const tag = /<(\/?)(table|tr|td|th)\b([^>]*)>/gi;
  let depth = 0;
  let lastEnd = 0;
  let grid: string[][] = [];
  let before: string[] = [];
  let row: { html: string; colspan: number; rowspan: number }[] | null = null;
  let cellStart = -1;
  let cellAttrs = "";
  let spans: { text: string; left: number }[] = [];

  const attr = (attrs: string, name: string) => {
    const m = new RegExp(`\\b${name}\\s*=\\s*["']?(\\d+)`, "i").exec(attrs);
    return m ? Math.max(1, Math.min(200, Number(m[1]))) : 1;
  };
  const closeRow = () => {
    if (!row) return;
    const out: string[] = [];
    const place = (text: string) => out.push(text);
    const fillSpans = () => {
      while (spans[out.length] && spans[out.length].left > 0) {
        const s = spans[out.length];
        s.left--;
        place(s.text);
      }
    };
    for (const cell of row) {
      fillSpans();
      const col = out.length;
      place(cell.html);
      for (let k = 1; k < cell.colspan; k++) place("");
      if (cell.rowspan > 1) {
        for (let k = 0; k < cell.colspan; k++) spans[col + k] = { text: k === 0 ? cell.html : "", left: cell.rowspan - 1 };
      }
    }
    fillSpans();
    for (let k = out.length; k < spans.length; k++) {
      const s = spans[k];
      if (s && s.left > 0) {
        while (out.length < k) out.push("");
        s.left--;
        out.push(s.text);
      }
    }
    grid.push(out);
    row = null;
  };

  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    const closing = m[1] === "/";
    const name = m[2].toLowerCase();
    if (name === "table") {
      if (!closing) {
        depth++;
        if (depth === 1) {
          before = htmlToText(html.slice(lastEnd, m.index)).split("\n");
          grid = [];
          spans = [];
        }
      } else if (depth > 0) {
        depth--;
        if (depth === 0) {
          closeRow();
          tables.push({ cells: grid, before });
          lastEnd = tag.lastIndex;
        }
      }
      continue;
    }
    if (depth !== 1) continue;
    if (name === "tr") {
      closeRow();
      if (!closing) row = [];
      continue;
    }
    // td / th
    if (!closing) {
      if (!row) row = [];
      cellStart = tag.lastIndex;
      cellAttrs = m[3];
    } else if (cellStart >= 0 && row) {
      const inner = html
        .slice(cellStart, m.index)
        .replace(/<\/?(p|div|span|h[1-6])\b[^>]*>/gi, " ")
        .replace(/<\/?(table|tr|td|th|tbody|thead)\b[^>]*>/gi, " ");
      row.push({ html: inner, colspan: attr(cellAttrs, "colspan"), rowspan: attr(cellAttrs, "rowspan") });
      cellStart = -1;
    }
  }
  return tables;
}

/** Task rows from every HTML table with a recognisable header; null if none has one. */
function rowsFromHtml(html: string): { rows: RawTaskRow[]; warnings: ReadWarning[] } | null {
  const rows: RawTaskRow[] = [];
  const warnings: ReadWarning[] = [];
  let found = false;
  let counter = 0;
  const textAbove: string[] = [];
  for (const table of htmlTables(html)) {
    textAbove.push(...table.before);
    const rowNumbers = table.cells.map((_, i) => counter + i + 1);
    counter += table.cells.length;
    const result = rowsFromTable(table.cells, { rowNumbers, section: openHeadings(textAbove) });
    if (!result) continue;
    found = true;
    rows.push(...result.rows);
    warnings.push(...result.warnings);
  }
  return found ? { rows, warnings } : null;
}

function readHtml(name: string, html: string): RawPlan {
  const text = htmlToText(html);
  const tables = rowsFromHtml(html);
  if (tables && tables.rows.length > 0) return { meta: readPlanMeta(text), ...tables };
  return readText(name, text);
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
  try {
    html = (await mammoth.convertToHtml({ buffer: data })).value;
    raw = (await mammoth.extractRawText({ buffer: data })).value.normalize("NFC");
  } catch {
    throw notDocx();
  }
  const tables = rowsFromHtml(html);
  if (tables && tables.rows.length > 0) return { meta: readPlanMeta(raw), ...tables };
  const prose = raw.trim() ? readProse(raw) : null;
  if (prose && prose.rows.length > 0) return prose;
  throw noTasks(name);
}

// ---------------------------------------------------------------- .xlsx

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v instanceof Date) {
    const d = v;
    return `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()}`;
  }
  if (v && typeof v === "object" && "richText" in v) return v.richText.map((r) => r.text).join("");
  try {
    return cell.text ?? "";
  } catch {
    return "";
  }
}

async function readXlsx(name: string, data: Buffer): Promise<RawPlan> {
  const notXlsx = () =>
    new PlanReadError(
      `Tệp "${name}" không phải bảng tính Excel .xlsx hợp lệ (không mở được như tệp nén Office Open XML). ` +
        `Nếu là tệp .xls đời cũ, hãy mở bằng Excel và lưu lại dạng .xlsx.`,
    );
  if (!isZip(data)) throw notXlsx();
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw notXlsx();
  }
  for (const sheet of book.worksheets) {
    const cells: string[][] = [];
    const rowNumbers: number[] = [];
    const width = sheet.columnCount;
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const out: string[] = [];
      for (let c = 1; c <= width; c++) {
        const cell = row.getCell(c);
        const master = cell.isMerged ? cell.master : cell;
        if (master !== cell && master.address !== cell.address) {
          // Merged across a row (a heading): the text once; merged down (a shared lead): repeated.
          out.push(Number(master.row) === r ? "" : cellText(master));
        } else {
          out.push(cellText(cell));
        }
      }
      cells.push(out);
      rowNumbers.push(r);
    }
    const result = rowsFromTable(cells, { rowNumbers });
    if (!result) continue;
    if (result.rows.length === 0) {
      throw new PlanReadError(`Trang "${sheet.name}" trong "${name}" có dòng tiêu đề nhưng không có dòng nhiệm vụ nào bên dưới.`);
    }
    const text = cells.map((row) => row.filter(Boolean).join(" ")).join("\n");
    return { meta: readPlanMeta(text), ...result };
  }
  throw new PlanReadError(
    `Bảng tính "${name}" không có dòng tiêu đề nhận ra được ở trang nào: cần ${TABLE_EXPECTED}.`,
  );
}

// ---------------------------------------------------------------- .csv

/** Records of a CSV text with the line each starts on (1-based). Quotes may hold separators and line breaks. */
export function parseCsv(text: string, sep?: string): { records: string[][]; lines: number[] } {
  const delimiter = sep ?? guessDelimiter(text);
  const records: string[][] = [];
  const lines: number[] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  let line = 1;
  let start = 1;
  let fieldStarted = false;
  const endRecord = () => {
    record.push(field);
    records.push(record);
    lines.push(start);
    record = [];
    field = "";
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === delimiter) {
      record.push(field);
      field = "";
      fieldStarted = false;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (field !== "" || record.length > 0) endRecord();
  return { records, lines };
}

function guessDelimiter(text: string): string {
  const sample = text.split(/\r?\n/).filter((l) => l.trim()).slice(0, 20).join("\n").replace(/"[^"]*"/g, "");
  const count = (c: string) => sample.split(c).length - 1;
  const candidates = [";", ",", "\t"].map((c) => [c, count(c)] as const);
  candidates.sort((a, b) => b[1] - a[1]);
  return candidates[0][1] > 0 ? candidates[0][0] : ",";
}

function readCsv(name: string, data: Buffer): RawPlan {
  const text = decodeText(name, data);
  const { records, lines } = parseCsv(text);
  const result = rowsFromTable(records, { rowNumbers: lines });
  if (!result) {
    throw new PlanReadError(`Tệp CSV "${name}" không có dòng tiêu đề nhận ra được: cần ${TABLE_EXPECTED}.`);
  }
  if (result.rows.length === 0) throw noTasks(name);
  const plain = records.map((r) => r.filter(Boolean).join(" ")).join("\n");
  return { meta: readPlanMeta(plain), ...result };
}
