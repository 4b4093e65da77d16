/**
 * Task tables in a scraped text, found from their structure (a header row of STT / Nội dung /
 * Cơ quan chủ trì / Thời gian … cells), never from a province's name. Every shape of scrape
 * goes through the one cell model (cells.ts): `|`-ended cells, tab-separated lines, Markdown
 * pipe and grid tables, `<td>` markup; the table reader (table.ts) finds the header and the rows.
 *
 * If a table carries no group rows, the headings in the text above it (numbered lines after
 * the appendix title "PHỤ LỤC", or from the top when there is no appendix) are its rows'
 * section path.
 */
import { fold } from "../core/text.ts";
import { gridRegions, htmlTables, layoutRegions, markdownRegions, pipeStream, tabRegions, type Cell } from "./cells.ts";
import { readPlanMeta } from "./meta.ts";
import { cleanCell, headerColumns, parseHeading, readCells, sectionLabel, tidyWarnings, type TableResult } from "./table.ts";
import type { RawPlan, RawTaskRow, ReadWarning } from "./types.ts";

/** Task rows of every table in a scraped text, or null when it has no table with a recognisable header. */
export function readTextTables(text: string): RawPlan | null {
  const clean = text.replace(/^\uFEFF/, "").normalize("NFC");
  const lines = clean.split(/\r\n|\r|\n/);
  const rows: RawTaskRow[] = [];
  const warnings: ReadWarning[] = [];
  let found = false;
  let indicators = 0;
  const add = (result: ReturnType<typeof readCells>) => {
    if (!result) return;
    found = true;
    rows.push(...result.rows);
    warnings.push(...result.warnings);
    indicators += result.indicators ?? 0;
  };

  if (/<t[dh]\b/i.test(clean)) add(readHtmlTables(clean));
  if (!found) {
    // Grid tables first: their lines look like Markdown rows too.
    const grids = gridRegions(lines);
    const inGrid = (i: number) => grids.some((r) => i >= r.start && i <= r.end);
    const regions = [
      ...grids,
      ...tabRegions(lines),
      ...markdownRegions(lines.map((l, i) => (inGrid(i) ? "" : l))),
      ...(lines.some((l) => /\S {2,}\S/.test(l) && !l.includes("\t") && !l.includes("|"))
        ? layoutRegions(lines, (cells) => headerColumns(cells) !== null)
        : []),
    ].sort((a, b) => a.start - b.start);
    const inRegion = (i: number) => regions.some((r) => i >= r.start && i <= r.end);
    for (const region of regions) {
      add(readCells(region.source, { section: () => headingsAbove(lines, region.start, inRegion) }));
    }
    // The `|` stream skips Markdown rows; the regions already read are blanked out of it.
    const pipes = pipeStream(regions.length ? lines.map((l, i) => (inRegion(i) ? "" : l)) : lines);
    if (pipes.pipes >= 4) add(readCells({ stream: pipes.cells }, { section: (line) => headingsAbove(lines, line - 1, inRegion) }));
  }
  if (!found) return null;
  rows.sort((a, b) => a.row - b.row);
  const plan: RawPlan = { meta: readPlanMeta(clean), rows, warnings: tidyWarnings(warnings) };
  if (indicators > 0 && rows.length === 0) plan.indicators = indicators;
  return plan;
}

/**
 * Task rows of every `<table>` of an HTML document (an .html page, a .docx through mammoth,
 * `<td>` markup in a scrape). Row numbers are the running count of table rows (`<tr>`) in the
 * document, from 1. Null when no table has a recognisable header.
 */
export function readHtmlTables(html: string): TableResult | null {
  const result: TableResult = { rows: [], warnings: [] };
  let found = false;
  let counter = 0;
  const textAbove: string[] = [];
  for (const table of htmlTables(html)) {
    textAbove.push(...table.before.split("\n"));
    const rows = table.rows.map((r, i) => r.map((text): Cell => ({ text, line: counter + i + 1 })));
    counter += table.rows.length;
    const read = readCells({ rows }, { section: () => openHeadings(textAbove) });
    if (!read) continue;
    found = true;
    result.rows.push(...read.rows);
    result.warnings.push(...read.warnings);
    if (read.indicators) result.indicators = (result.indicators ?? 0) + read.indicators;
  }
  if (!found) return null;
  result.warnings = tidyWarnings(result.warnings);
  return result;
}

// ---------------------------------------------------------------- headings above a table

/** The numbered headings open at line `start`, from the text outside every table above it. */
function headingsAbove(lines: string[], start: number, inTable: (i: number) => boolean): string[] {
  return openHeadings(lines.slice(0, start).filter((_, i) => !inTable(i)));
}

/**
 * The numbered headings ("II. NHIỆM VỤ", "1. Cải cách thể chế", "a) …") still open at the end
 * of `lines` (the text above a table, tables left out), read from the last appendix title
 * ("PHỤ LỤC …") if there is one, else from the top. A heading closes the headings of its own
 * marker kind and every kind opened after it.
 */
export function openHeadings(lines: string[]): string[] {
  const clean = (l: string) => cleanCell(l.replace(/^\s*#+\s+/, "")).text;
  let from = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/ph[ụuỤU] l[ụuỤU]c/iu.test(lines[i]) && fold(clean(lines[i])).startsWith("phu luc")) {
      from = i + 1;
      break;
    }
  }
  const stack: { kind: string; label: string }[] = [];
  for (const line of lines.slice(from)) {
    const text = line.length > 400 ? "" : clean(line);
    if (!text || text.length > 160 || text.includes("|")) continue;
    const heading = parseHeading(text);
    if (!heading || /[.;:,]$/.test(text)) continue;
    const at = stack.findIndex((s) => s.kind === heading.marker.kind);
    if (at >= 0) stack.splice(at);
    stack.push({ kind: heading.marker.kind, label: sectionLabel(heading.marker.printed, heading.title) });
  }
  return stack.map((s) => s.label);
}
