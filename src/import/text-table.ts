/**
 * Plain-text task tables, found from their structure (a header row of STT / Nội dung / Cơ quan
 * chủ trì / Thời gian … cells), never from a province's name. Three shapes of scrape:
 *
 * 1. **Cell per `|` line** (kien-giang-2021.txt): every cell's text runs over one or more
 *    lines and ends with a line holding only `|`. Row boundaries are not marked: a full row
 *    has as many cells as the header; a group row ("I | CẢI CÁCH THỂ CHẾ |") keeps only its
 *    filled cells; the last row of the file may lose its trailing empty cells. The cell stream
 *    after the header is cut into rows by a small dynamic programme that prefers full rows
 *    starting at an STT marker (or an empty STT cell) and lets short rows start only at a
 *    marker. The header's first cell may carry the appendix caption above it ("PHỤ LỤC …
 *    STT"): only its last line(s) are the header.
 * 2. **Tab-separated rows** (ben-tre-2021.md): one line per row, the header repeated after
 *    page breaks, blank lines between the parts. A line without tabs between tab rows (a
 *    heading such as "2. Cải cách thể chế") becomes a one-cell row, i.e. a group row.
 * 3. **Markdown pipe tables** (`| a | b |`, separator `|---|`).
 *
 * If a table carries no group rows, the headings in the text above it (numbered lines after
 * the appendix title "PHỤ LỤC", or from the top when there is no appendix) are its rows'
 * section path.
 */
import { fold, squash } from "../core/text.ts";
import { readPlanMeta } from "./meta.ts";
import { cleanCell, headerColumns, headerField, parseHeading, parseMarker, rowsFromTable, sectionLabel } from "./table.ts";
import type { RawPlan, RawTaskRow, ReadWarning } from "./types.ts";

/** A table found in the text: its rows of cells, each row's 1-based line, and its line span (0-based). */
export type TextTable = { start: number; end: number; cells: string[][]; rowNumbers: number[] };

export function readTextTables(text: string): RawPlan | null {
  const clean = text.replace(/^\uFEFF/, "").normalize("NFC");
  const lines = clean.split(/\r\n|\r|\n/);
  const tables = findTextTables(lines);
  if (tables.length === 0) return null;
  const rows: RawTaskRow[] = [];
  const warnings: ReadWarning[] = [];
  let found = false;
  for (const table of tables) {
    const section = headingsAbove(lines, table.start, tables);
    const result = rowsFromTable(table.cells, { rowNumbers: table.rowNumbers, section });
    if (!result) continue;
    found = true;
    rows.push(...result.rows);
    warnings.push(...result.warnings);
  }
  if (!found) return null;
  return { meta: readPlanMeta(clean), rows, warnings };
}

/** Every task table in the text, in document order. */
export function findTextTables(lines: string[]): TextTable[] {
  const tables = [...pipeCellTables(lines), ...tabTables(lines), ...markdownTables(lines)];
  // A region claimed by an earlier table is not read twice.
  tables.sort((a, b) => a.start - b.start);
  const kept: TextTable[] = [];
  for (const t of tables) {
    if (kept.some((k) => t.start <= k.end && k.start <= t.end)) continue;
    kept.push(t);
  }
  return kept;
}

// ---------------------------------------------------------------- 1. a cell per `|` line

type Cell = { text: string; lines: { at: number; text: string }[] };

function cellLine(cell: Cell): number {
  const first = cell.lines.find((l) => l.text.trim() !== "");
  return (first ?? cell.lines[0])?.at ?? 0;
}

function pipeCellTables(lines: string[]): TextTable[] {
  const cells: Cell[] = [];
  let current: Cell["lines"] = [];
  let terminators = 0;
  lines.forEach((line, at) => {
    if (line.trim() === "|") {
      terminators++;
      cells.push({ text: squash(current.map((l) => l.text).join(" ")), lines: current });
      current = [];
    } else {
      current.push({ at, text: line });
    }
  });
  if (terminators < 4) return [];

  // Header rows: a run of header cells, the first possibly preceded by caption lines.
  type Header = { at: number; width: number; texts: string[]; line: number };
  const headers: Header[] = [];
  for (let h = 0; h < cells.length; h++) {
    const first = headerTail(cells[h]);
    if (!first) continue;
    const texts = [first.text];
    let k = h + 1;
    while (k < cells.length && headerField(cells[k].text)) texts.push(cells[k++].text);
    if (!headerColumns(texts)) continue;
    headers.push({ at: h, width: texts.length, texts, line: first.line });
    h = k - 1;
  }
  if (headers.length === 0) return [];

  const tables: TextTable[] = [];
  let table: TextTable | null = null;
  let signature = "";
  headers.forEach((header, n) => {
    const bodyEnd = n + 1 < headers.length ? headers[n + 1].at : cells.length;
    const body = cells.slice(header.at + header.width, bodyEnd);
    const sig = header.texts.map((t) => headerField(t)).join(",");
    if (!table || sig !== signature) {
      table = { start: header.line, end: header.line, cells: [], rowNumbers: [] };
      tables.push(table);
      signature = sig;
    }
    table.cells.push(header.texts);
    table.rowNumbers.push(header.line + 1);
    for (const row of segmentRows(body, header.width)) {
      table.cells.push(row.map((c) => c.text));
      const first = row.find((c) => c.text) ?? row[0];
      table.rowNumbers.push(cellLine(first) + 1);
    }
    const last = body[body.length - 1];
    if (last) table.end = Math.max(table.end, last.lines[last.lines.length - 1]?.at ?? cellLine(last));
  });
  return tables;
}

/** The header text at the end of a cell: the whole cell, or its last 1–3 lines. */
function headerTail(cell: Cell): { text: string; line: number } | null {
  if (headerField(cell.text)) return { text: cell.text, line: cellLine(cell) };
  const filled = cell.lines.filter((l) => l.text.trim() !== "");
  for (let k = 1; k <= Math.min(3, filled.length - 1); k++) {
    const tail = filled.slice(-k);
    const text = squash(tail.map((l) => l.text).join(" "));
    if (headerField(text)) return { text, line: tail[0].at };
  }
  return null;
}

/**
 * Cut a stream of cells into rows of (mostly) `width` cells. Scores: a row starting at an STT
 * marker +2, at an empty cell 0 (a row without STT), at anything else −5; a two-cell group row
 * (marker, title) or a one-cell heading ("III Cải cách …") costs 1 more than a full row, any
 * other short row 2 more and must be followed by a marker or the end. Best total wins.
 */
function segmentRows(body: Cell[], width: number): Cell[][] {
  const m = body.length;
  const best = new Array<number>(m + 1).fill(-Infinity);
  const take = new Array<number>(m + 1).fill(0);
  best[m] = 0;
  const isMarker = (c: Cell | undefined) => !!c && (!!parseMarker(c.text) || /^[-–+•]$/.test(c.text));
  for (let i = m - 1; i >= 0; i--) {
    const cell = body[i];
    const start = isMarker(cell) ? 2 : cell.text === "" ? 0 : -5;
    const options: [number, number][] = [];
    if (i + width <= m) options.push([width, start]);
    else options.push([m - i, start - 1]);
    if (width > 2 && parseMarker(cell.text) && i + 2 <= m && body[i + 1].text) options.push([2, start - 1]);
    if (parseHeading(cell.text)) options.push([1, 1]);
    for (let len = 2; len < Math.min(width, m - i); len++) {
      if (isMarker(body[i + len])) options.push([len, start - 2]);
    }
    for (const [len, score] of options) {
      const total = score + best[i + len];
      if (total > best[i]) {
        best[i] = total;
        take[i] = len;
      }
    }
  }
  const rows: Cell[][] = [];
  for (let i = 0; i < m; i += take[i]) rows.push(body.slice(i, i + take[i]));
  return rows;
}

// ---------------------------------------------------------------- 2. tab-separated rows

function stripLine(line: string): string {
  return line.replace(/^\s*#+\s+/, "").trim();
}

function tabTables(lines: string[]): TextTable[] {
  const tables: TextTable[] = [];
  for (let h = 0; h < lines.length; h++) {
    if (!lines[h].includes("\t") || !headerColumns(lines[h].split("\t"))) continue;
    const table: TextTable = { start: h, end: h, cells: [], rowNumbers: [] };
    let j = h;
    while (j < lines.length) {
      const line = lines[j];
      if (line.includes("\t")) {
        table.cells.push(line.split("\t"));
        table.rowNumbers.push(j + 1);
        table.end = j;
        j++;
        continue;
      }
      if (line.trim() === "") {
        j++;
        continue;
      }
      // A line without tabs stays in the table only if more tab rows follow it.
      let k = j + 1;
      while (k < lines.length && lines[k].trim() === "") k++;
      if (k >= lines.length || !lines[k].includes("\t") || line.length > 300) break;
      table.cells.push([stripLine(line)]);
      table.rowNumbers.push(j + 1);
      j++;
    }
    tables.push(table);
    h = table.end;
  }
  return tables;
}

// ---------------------------------------------------------------- 3. Markdown pipe tables

const MD_ROW = /^\s*\|.*\|\s*$/;
const MD_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

function markdownCells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  return inner.split(/(?<!\\)\|/).map((c) => c.replace(/\\\|/g, "|"));
}

function markdownTables(lines: string[]): TextTable[] {
  const tables: TextTable[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!MD_ROW.test(lines[i]) || lines[i].trim() === "|") continue;
    const table: TextTable = { start: i, end: i, cells: [], rowNumbers: [] };
    let j = i;
    for (; j < lines.length && MD_ROW.test(lines[j]) && lines[j].trim() !== "|"; j++) {
      if (MD_RULE.test(lines[j])) continue;
      table.cells.push(markdownCells(lines[j]));
      table.rowNumbers.push(j + 1);
      table.end = j;
    }
    if (table.cells.some((row) => headerColumns(row))) tables.push(table);
    i = j - 1;
  }
  return tables;
}

// ---------------------------------------------------------------- headings above a table

/** The numbered headings open at line `start`, from the text outside every table above it. */
function headingsAbove(lines: string[], start: number, tables: TextTable[]): string[] {
  const inTable = (i: number) => tables.some((t) => i >= t.start && i <= t.end);
  return openHeadings(lines.slice(0, start).filter((_, i) => !inTable(i)));
}

/**
 * The numbered headings ("II. NHIỆM VỤ", "1. Cải cách thể chế", "a) …") still open at the end
 * of `lines` (the text above a table, tables left out), read from the last appendix title
 * ("PHỤ LỤC …") if there is one, else from the top. A heading closes the headings of its own
 * marker kind and every kind opened after it.
 */
export function openHeadings(lines: string[]): string[] {
  const texts = lines.map((l) => cleanCell(stripLine(l)).text);
  let from = 0;
  for (let i = texts.length - 1; i >= 0; i--) {
    if (fold(texts[i]).startsWith("phu luc")) {
      from = i + 1;
      break;
    }
  }
  const stack: { kind: string; label: string }[] = [];
  for (const text of texts.slice(from)) {
    if (!text || text.length > 160 || text.includes("|")) continue;
    const heading = parseHeading(text);
    if (!heading || /[.;:,]$/.test(text)) continue;
    const at = stack.findIndex((s) => s.kind === heading.marker.kind);
    if (at >= 0) stack.splice(at);
    stack.push({ kind: heading.marker.kind, label: sectionLabel(heading.marker.printed, heading.title) });
  }
  return stack.map((s) => s.label);
}
