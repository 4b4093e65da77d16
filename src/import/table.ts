/**
 * Task rows from a table given as cells (`string[][]`), whatever the source: a scraped text
 * table, a .docx table, a spreadsheet, a CSV file.
 *
 * The header row is found from the cells themselves (STT / Nội dung / Sản phẩm / Cơ quan chủ
 * trì / Cơ quan phối hợp / Thời gian …, in any order, matched on folded text). Below it every
 * non-empty row is one of:
 *
 * - a repeated header row (tables broken over pages): skipped;
 * - a **group row** — a heading inside the table: a marker (`I`, `II`, `1`, `a)`) with only a
 *   content cell, the marker and title in one cell with the rest empty (`III Cải cách TTHC`),
 *   or a bold / upper-case title alone in its row. Groups nest by marker kind in order of
 *   appearance (a kind already open closes everything under it), and make the `section` path
 *   of the rows below them;
 * - a **task row**: content plus anything else (lead, deadline, product, coordinating);
 * - a **`-` sub-row** (content starting with `-`/`+`/`•`, no STT):
 *     - it hangs under the nearest task row above it that is not itself a `-` sub-row (its
 *       "parent", in the same group);
 *     - with its own lead or deadline it is a task of its own, and its section path gets the
 *       parent ("1. Rà soát …") appended, so it keeps its context;
 *     - without either it is a detail of its parent: its content (and product / coordinating
 *       cells, if any) are appended to the parent's cells, even when sibling sub-rows before
 *       it became tasks;
 *     - with no parent (right under a header or group row) it is a task of its own;
 * - anything else non-empty (no content, an STT cell that is not a marker, text before the
 *   header, a group with no task under it) goes to `warnings` with its row number and text.
 *
 * The "Ghi chú" column and unknown columns are not read.
 */
import { fold, squash } from "../core/text.ts";
import type { RawTaskRow, ReadWarning } from "./types.ts";

export type TableOptions = {
  /** Row number of each entry of `cells` (line in the source, row in a sheet); default index + 1. */
  rowNumbers?: number[];
  /** Section path of the rows the table itself does not put under a group row. */
  section?: string[];
};

export type TableResult = { rows: RawTaskRow[]; warnings: ReadWarning[] };

type Field = "stt" | "content" | "product" | "lead" | "coordinating" | "deadline" | "note";

/** What a header cell names, or null. `text` is a raw cell (tags allowed). */
export function headerField(text: string): Field | null {
  const f = fold(cleanCell(text).text)
    .replace(/[^a-z0-9/ ]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!f || f.length > 60) return null;
  if (/^(stt|so tt|tt|so thu tu|thu tu)$/.test(f)) return "stt";
  if (/\bchu tri\b/.test(f)) return "lead";
  if (/\bphoi hop\b/.test(f)) return "coordinating";
  if (/^(co quan|don vi)( \/ | )?(thuc hien|dau moi)$/.test(f)) return "lead";
  if (/^(thoi gian|thoi han|tien do|han hoan thanh|moc thoi gian)\b/.test(f)) return "deadline";
  if (/^(noi dung|nhiem vu|ten nhiem vu|cong viec|ten cong viec|noi dung cong viec)\b/.test(f)) return "content";
  if (/\bsan pham\b|^ket qua\b|^hinh thuc\b/.test(f)) return "product";
  if (/^ghi chu\b/.test(f)) return "note";
  return null;
}

type Columns = Partial<Record<Field, number>>;

/** The columns a header row names, or null when the row is not a recognisable header. */
export function headerColumns(row: string[]): Columns | null {
  const cols: Columns = {};
  let named = 0;
  let filled = 0;
  row.forEach((cell, i) => {
    if (!cleanCell(cell).text) return;
    filled++;
    const field = headerField(cell);
    if (!field) return;
    named++;
    if (cols[field] === undefined) cols[field] = i;
  });
  if (cols.content === undefined) return null;
  const others = (["stt", "product", "lead", "coordinating", "deadline"] as const).filter(
    (f) => cols[f] !== undefined,
  ).length;
  if (others < 2 || named * 2 < filled) return null;
  return cols;
}

// ---------------------------------------------------------------- cells

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Cell text without tags, Markdown bold, entities and stray whitespace; `bold` if it was all bold. */
export function cleanCell(raw: string | undefined): { text: string; bold: boolean } {
  const s = raw ?? "";
  const bold =
    /^\s*(?:<(b|strong)\b[^>]*>[\s\S]*<\/\1>|\*\*[\s\S]*\*\*)\s*$/i.test(s) && !/^\s*\*\*\s*$/.test(s);
  const text = squash(
    s
      .replace(/<br\s*\/?>/gi, " ")
      .replace(/<[^>]+>/g, " ")
      .replace(/\*\*/g, "")
      .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
        if (e[0] === "#") {
          const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
          return Number.isFinite(code) ? String.fromCodePoint(code) : m;
        }
        return ENTITIES[e.toLowerCase()] ?? m;
      }),
  );
  return { text, bold };
}

// ---------------------------------------------------------------- markers

export type Marker = { printed: string; kind: string };

const ROMAN = /^(X{0,3})(IX|IV|V?I{0,3})$/;

function markerKind(core: string): string | null {
  if (/^[IVX]+$/.test(core)) return ROMAN.test(core) ? "roman" : null;
  if (/^\d{1,3}(\.\d{1,3})*$/.test(core)) return `num${core.split(".").length}`;
  if (/^[a-zđ]$/u.test(core)) return "lower";
  if (/^[A-ZĐ]$/u.test(core)) return "upper";
  return null;
}

/** The whole cell is a list marker: `I`, `II.`, `1`, `1.2`, `a)`, `đ.`. */
export function parseMarker(text: string): Marker | null {
  const m = /^([IVX]+|\d{1,3}(?:\.\d{1,3})*|[a-zđA-ZĐ])\s*([.):])?$/u.exec(text);
  if (!m) return null;
  const kind = markerKind(m[1]);
  return kind ? { printed: text, kind } : null;
}

/** A marker followed by a title in the same cell or line: `III Cải cách TTHC`, `a) Hoàn thiện …`. */
export function parseHeading(text: string): { marker: Marker; title: string } | null {
  const m = /^([IVX]+|\d{1,3}(?:\.\d{1,3})*|[a-zđA-ZĐ])(\s*[.)])?\s+(\S.*)$/u.exec(text);
  if (!m) return null;
  if (/^[a-zđA-ZĐ]$/u.test(m[1]) && !/^[IVX]$/.test(m[1]) && !m[2]) return null;
  const kind = markerKind(m[1]);
  if (!kind) return null;
  return { marker: { printed: m[1] + (m[2] ? m[2].trim() : ""), kind }, title: m[3] };
}

/** "I" + "CẢI CÁCH THỂ CHẾ" → "I. CẢI CÁCH THỂ CHẾ"; "a)" + "…" → "a) …". */
export function sectionLabel(marker: string | undefined, title: string): string {
  if (!marker) return title;
  if (!title) return marker;
  return /[.):]$/.test(marker) ? `${marker} ${title}` : `${marker}. ${title}`;
}

const DASH = /^[-–—+•]\s*/;

function isUpper(text: string): boolean {
  return /\p{L}/u.test(text) && !/\p{Ll}/u.test(text);
}

// ---------------------------------------------------------------- rows

type Group = { kind: string; label: string; row: number; text: string; used: boolean };

export function rowsFromTable(cells: string[][], opts: TableOptions = {}): TableResult | null {
  const rowNo = (i: number) => opts.rowNumbers?.[i] ?? i + 1;
  let headerAt = -1;
  let cols: Columns | null = null;
  for (let i = 0; i < cells.length; i++) {
    cols = headerColumns(cells[i]);
    if (cols) {
      headerAt = i;
      break;
    }
  }
  if (!cols) return null;
  const col = cols;

  const rows: RawTaskRow[] = [];
  const warnings: ReadWarning[] = [];
  const base = opts.section ?? [];
  const stack: Group[] = [];
  let sawGroup = false;
  /** The last task row with an STT (or without a `-`) in the current group: `-` sub-rows hang under it. */
  let parentTask: RawTaskRow | null = null;

  const rowText = (row: string[]) =>
    row
      .map((c) => cleanCell(c).text)
      .filter(Boolean)
      .join(" | ");
  const warn = (i: number, message: string) => warnings.push({ row: rowNo(i), text: rowText(cells[i]), message });

  for (let i = 0; i < headerAt; i++) {
    if (rowText(cells[i])) warn(i, "Dòng nằm trên dòng tiêu đề của bảng, không phải nhiệm vụ: bỏ qua.");
  }

  const closeGroups = (from: number) => {
    for (const g of stack.splice(from)) {
      if (!g.used) {
        warnings.push({ row: g.row, text: g.text, message: "Mục trong bảng không có nhiệm vụ nào bên dưới." });
      }
    }
  };
  const openGroup = (i: number, kind: string, label: string) => {
    const at = stack.findIndex((g) => g.kind === kind);
    closeGroups(at >= 0 ? at : stack.length);
    stack.push({ kind, label, row: rowNo(i), text: rowText(cells[i]), used: false });
    sawGroup = true;
    parentTask = null;
  };
  const section = () => (sawGroup ? stack.map((g) => g.label) : [...base]);

  for (let i = headerAt + 1; i < cells.length; i++) {
    const row = cells[i];
    const get = (f: Field) => {
      const at = col[f];
      return at === undefined ? { text: "", bold: false } : cleanCell(row[at]);
    };
    const all = row.map((c) => cleanCell(c));
    if (all.every((c) => !c.text)) continue;
    if (headerColumns(row)) continue;

    const stt = get("stt").text;
    const content = get("content");
    const product = get("product").text;
    const lead = get("lead").text;
    const coordinating = get("coordinating").text;
    const deadline = get("deadline").text;
    const known = new Set(Object.values(col));
    const unknownFilled = all.some((c, k) => c.text && !known.has(k));
    const others = [product, lead, coordinating, deadline].some(Boolean);
    const marker = stt ? parseMarker(stt) : null;
    const sttIsDash = /^[-–—+•]$/.test(stt);

    // Only the first two cells filled, a marker then a title: a group row whatever the
    // column order (a merged heading row: "<td>II</td><td colspan=5>Cải cách TTHC</td>").
    const first = all[0]?.text ?? "";
    const firstMarker = parseMarker(first);
    if (firstMarker && all[1]?.text && all.every((c, k) => k < 2 || !c.text)) {
      openGroup(i, firstMarker.kind, sectionLabel(firstMarker.printed, all[1].text));
      continue;
    }

    // A single filled cell: a merged heading row, "III Cải cách thủ tục hành chính".
    const filled = all.filter((c) => c.text);
    if (filled.length === 1 && !others && !(content.text && !stt)) {
      const only = filled[0];
      const heading = parseHeading(only.text);
      if (heading && !DASH.test(only.text)) {
        openGroup(i, heading.marker.kind, sectionLabel(heading.marker.printed, heading.title));
        continue;
      }
      if (!marker && (only.bold || isUpper(only.text))) {
        openGroup(i, "none", only.text);
        continue;
      }
    }

    if (stt && !marker && !sttIsDash) {
      warn(i, "Ô STT không phải số thứ tự (I, 1, 1.2, a…): không nhận ra dòng này.");
      continue;
    }
    if (!content.text) {
      warn(i, unknownFilled && !others ? "Dòng chỉ có dữ liệu ở cột không đọc (Ghi chú…)." : "Dòng không có nội dung nhiệm vụ.");
      continue;
    }

    const isSub = !marker && (sttIsDash || DASH.test(content.text));
    if (!others) {
      if (marker) {
        openGroup(i, marker.kind, sectionLabel(marker.printed, content.text));
        continue;
      }
      if (!isSub) {
        const heading = stt ? null : parseHeading(content.text);
        if (heading) {
          openGroup(i, heading.marker.kind, sectionLabel(heading.marker.printed, heading.title));
        } else if (content.bold || isUpper(content.text)) {
          openGroup(i, "none", content.text);
        } else {
          warn(i, "Dòng chỉ có nội dung, không có STT, cơ quan chủ trì hay thời gian: không rõ là mục hay nhiệm vụ.");
        }
        continue;
      }
    }

    const task: RawTaskRow = { row: rowNo(i), section: section(), content: content.text };
    if (marker) task.stt = marker.printed;
    if (product) task.product = product;
    if (lead) task.lead = lead;
    if (coordinating) task.coordinating = coordinating;
    if (deadline) task.deadline = deadline;

    if (isSub) {
      const prev = parentTask as RawTaskRow | null;
      if (!lead && !deadline && prev) {
        // A detail of the task it hangs under.
        prev.content = `${prev.content} ${content.text}`;
        if (product) prev.product = prev.product ? `${prev.product} ${product}` : product;
        if (coordinating) prev.coordinating = prev.coordinating ? `${prev.coordinating} ${coordinating}` : coordinating;
        continue;
      }
      if (prev) task.section = [...prev.section, sectionLabel(prev.stt, prev.content)];
    } else {
      parentTask = task;
    }
    rows.push(task);
    for (const g of stack) g.used = true;
  }
  closeGroups(0);
  warnings.sort((a, b) => a.row - b.row);
  return { rows, warnings };
}
