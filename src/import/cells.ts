/**
 * The one cell model every table source is turned into, whatever its shape: a run of cells
 * in reading order, each with the line (or sheet row) it starts on, and — where the source
 * marks them — where rows start.
 *
 * - **`|` scrapes** (a web page's table copied as text): a `|` ends a cell wherever it stands,
 *   on a line of its own or at the end of a line ("Nhiệm vụ cụ thể |"); a cell's text may run
 *   over several lines. Rows are NOT marked: the table reader recovers them from the header's
 *   width (see table.ts). Both forms seen in real scrapes read the same way: `|` after each
 *   cell (a row's last cell ends it, nothing between rows), and `|` before each cell (so an
 *   empty cell stands between rows).
 * - **Tab-separated lines**: one line a row; a line without tabs between tab lines (a heading
 *   such as "2. Cải cách thể chế") is a row of one cell.
 * - **Markdown pipe tables** (`| a | b |`, rule `|---|`): one line a row.
 * - **HTML `<table>`s** (.html pages, .docx through mammoth, or `<td>` markup inside a text
 *   scrape), parsed with htmlparser2: one `<tr>` a row; `colspan` pads with empty cells,
 *   `rowspan` repeats the cell's text in the rows it covers.
 * - **CSV** (csv-parse) and **.xlsx** (exceljs, in read.ts): one record / sheet row a row.
 *
 * A line of dots ("….....", where a site hid part of a table) is a cell of its own, so the
 * reader can report the gap. Cell text is kept raw (tags and `**` included) so the table reader can tell a bold heading;
 * `cleanCell` (table.ts) strips it.
 */
import { parse as parseCsvRecords } from "csv-parse/sync";
import { parseDocument } from "htmlparser2";
import type { ChildNode, Element } from "domhandler";

/** One cell: raw text and the 1-based line (or sheet row) where it starts. */
export type Cell = { text: string; line: number };

/**
 * Cells in reading order. `rows` is given when the source marks rows (tab lines, Markdown
 * rows, `<tr>`, CSV records, sheet rows); `broken` when a row may run over several lines (a
 * table saved as text by Word breaks a row at each paragraph inside a cell). A `|` scrape
 * marks no rows: `stream` is cut into rows by the reader.
 */
export type CellSource = { rows: Cell[][]; broken?: boolean } | { stream: Cell[] };

/** A table-like region of a text: its cells and the lines it spans (0-based, inclusive). */
export type TextRegion = { source: CellSource; start: number; end: number };

// ---------------------------------------------------------------- `|` scrapes

/** A line that is a Markdown table row: starts and ends with `|`, with a cell between. */
const MD_ROW = /^\s*\|(?=.*\S.*\|\s*$).*\|\s*$/;
const MD_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/**
 * The whole text as one stream of `|`-ended cells. A `|` ends the cell before it; the text
 * after the last `|` of the text is a cell too. Lines of Markdown tables are left out (they
 * are read as rows), as is a `|` followed by a rule ("|----", a page break in some scrapes).
 */
export function pipeStream(lines: string[]): { cells: Cell[]; pipes: number } {
  const cells: Cell[] = [];
  let text: string[] = [];
  let line = -1;
  let pipes = 0;
  const end = () => {
    cells.push({ text: text.join("\n"), line: line < 0 ? 0 : line + 1 });
    text = [];
    line = -1;
  };
  lines.forEach((raw, at) => {
    if (MD_ROW.test(raw) && !/^\s*\|\s*$/.test(raw)) return;
    if (/^\s*[.…]{4,}\s*$/.test(raw)) {
      // A site's "…....." where it hid part of the table: a cell of its own.
      if (text.some((t) => t.trim() !== "")) end();
      text = [raw];
      line = at;
      end();
      return;
    }
    const pieces = raw.split("|");
    pieces.forEach((piece, k) => {
      if (k > 0) {
        pipes++;
        end();
      }
      const part = k > 0 && /^\s*-{3,}\s*$/.test(piece) ? "" : piece;
      if (part.trim() !== "" && line < 0) line = at;
      if (part !== "" || k === 0) text.push(part);
    });
  });
  if (text.some((t) => t.trim() !== "")) end();
  return { cells, pipes };
}

// ---------------------------------------------------------------- tab-separated rows

/**
 * Regions of tab-separated lines. Blank lines inside are skipped; a line without tabs stays in
 * the region (as a one-cell row: a group heading) only when more tab lines follow it.
 */
export function tabRegions(lines: string[]): TextRegion[] {
  const regions: TextRegion[] = [];
  for (let h = 0; h < lines.length; h++) {
    if (!lines[h].includes("\t")) continue;
    const rows: Cell[][] = [];
    let end = h;
    let j = h;
    while (j < lines.length) {
      const line = lines[j];
      if (line.includes("\t")) {
        rows.push(line.split("\t").map((text) => ({ text, line: j + 1 })));
        end = j++;
        continue;
      }
      if (line.trim() === "") {
        j++;
        continue;
      }
      let k = j + 1;
      while (k < lines.length && lines[k].trim() === "") k++;
      if (k >= lines.length || !lines[k].includes("\t") || line.length > 300) break;
      rows.push([{ text: line.replace(/^\s*#+\s+/, "").trim(), line: j + 1 }]);
      j++;
    }
    regions.push({ source: { rows, broken: true }, start: h, end });
    h = end;
  }
  return regions;
}

// ---------------------------------------------------------------- Markdown pipe tables

function markdownCells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  return inner.split(/(?<!\\)\|/).map((c) => c.replace(/\\\|/g, "|"));
}

/** Regions of consecutive Markdown table lines (rule lines skipped). */
export function markdownRegions(lines: string[]): TextRegion[] {
  const regions: TextRegion[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!MD_ROW.test(lines[i]) || /^\s*\|\s*$/.test(lines[i])) continue;
    const rows: Cell[][] = [];
    let j = i;
    let end = i;
    for (; j < lines.length && MD_ROW.test(lines[j]) && !/^\s*\|\s*$/.test(lines[j]); j++) {
      if (MD_RULE.test(lines[j])) continue;
      const at = j + 1;
      rows.push(markdownCells(lines[j]).map((text) => ({ text, line: at })));
      end = j;
    }
    regions.push({ source: { rows }, start: i, end });
    i = j - 1;
  }
  return regions;
}

// ---------------------------------------------------------------- grid tables (pandoc)

const GRID_RULE = /^\s*\+(?:[-=:]+\+)+\s*$/;

/**
 * Grid tables, as pandoc writes a Word table to Markdown: `+---+---+` rules between rows
 * (`+===+` under the header), and each row's cells over as many `| … | … |` lines as they
 * wrap to. The `+` of the rule above a row give its column edges; a cell's lines are joined.
 * A cell merged across columns has no `|` inside it: its text goes to its first column.
 */
export function gridRegions(lines: string[]): TextRegion[] {
  const regions: TextRegion[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!GRID_RULE.test(lines[i])) continue;
    const rows: Cell[][] = [];
    let rule = lines[i];
    let block: { line: string; at: number }[] = [];
    let j = i + 1;
    const flush = () => {
      if (block.length === 0) return;
      const edges = [...rule.matchAll(/\+/g)].map((m) => m.index);
      const texts: string[][] = edges.slice(0, -1).map(() => []);
      for (const { line } of block) {
        for (let c = 0; c < edges.length - 1; c++) {
          // A column's text lies between its edges; a `|` there means the cell continues in it.
          const piece = line.slice(edges[c] + 1, edges[c + 1]).replace(/\|\s*$/, "");
          if (piece.trim()) texts[c].push(piece.trim());
        }
      }
      rows.push(texts.map((t) => ({ text: t.join("\n"), line: block[0].at + 1 })));
      block = [];
    };
    for (; j < lines.length; j++) {
      const line = lines[j];
      if (GRID_RULE.test(line)) {
        flush();
        rule = line;
      } else if (/^\s*\|.*\|\s*$/.test(line)) block.push({ line, at: j });
      else break;
    }
    flush();
    if (rows.length > 0) regions.push({ source: { rows }, start: i, end: j - 1 });
    i = j - 1;
  }
  return regions;
}

// ---------------------------------------------------------------- tables laid out with spaces (PDF text)

/**
 * Tables a PDF gave as text laid out with spaces (`pdftotext -layout`): no separators, only
 * columns of text. A header line names three or more known columns (`isHeader` on its chunks
 * split at two or more spaces); the columns' edges are the gutters — positions no line of the
 * table writes in — and a row is a line with text in the first column plus the lines below it
 * that leave that column empty (wrapped cells, also across a page break). Page furniture (a
 * form feed, a page number alone) is skipped; a line of prose written across the gutters ends
 * the table.
 */
export function layoutRegions(lines: string[], isHeader: (cells: string[]) => boolean): TextRegion[] {
  const regions: TextRegion[] = [];
  const chunks = (line: string) =>
    [...line.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
  for (let h = 0; h < lines.length; h++) {
    const head = chunks(lines[h].replace(/\f/g, " "));
    if (head.length < 3 || !/ {2,}/.test(lines[h]) || !isHeader(head.map((c) => c.text))) continue;
    // The table's lines: until a line of prose that runs across where the header has gaps.
    const gaps = head.slice(1).map((c, k) => [head[k].end, c.start] as const);
    let end = h + 1;
    for (; end < lines.length; end++) {
      const line = lines[end].replace(/\f/g, " ");
      if (!line.trim()) continue;
      const crossing = gaps.filter(([a, b]) => b - a >= 3 && /\S/.test(line.slice(a + 1, b - 1)) && /\S \S/.test(line.slice(a, b))).length;
      if (crossing >= 2 && !/ {2,}/.test(line.trim())) break;
    }
    const body = lines.slice(h, end).map((l) => l.replace(/\f/g, " "));
    // Gutters: positions (after the first chunk) where no line of the table writes.
    const width = Math.max(...body.map((l) => l.length));
    const used = new Array<boolean>(width).fill(false);
    for (const line of body) for (let i = 0; i < line.length; i++) if (line[i] !== " ") used[i] = true;
    const edges = [0];
    for (let i = 1; i < width; i++) if (!used[i - 1] && used[i] && i > head[0].start) edges.push(i);
    if (edges.length < head.length) continue;
    // A chunk of text goes to the column its start is in: a title written across columns
    // ("II  PHÁT TRIỂN DOANH NGHIỆP CÔNG NGHỆ SỐ, KINH TẾ SỐ ICT") stays one cell.
    const cellsOf = (line: string) => {
      const out = edges.map(() => "");
      for (const chunk of chunks(line)) {
        let col = edges.length - 1;
        while (col > 0 && edges[col] > chunk.start) col--;
        out[col] = out[col] ? `${out[col]} ${chunk.text}` : chunk.text;
      }
      return out;
    };
    const rows: Cell[][] = [];
    let current: { texts: string[][]; at: number } | null = null;
    const flush = () => {
      if (current) rows.push(current.texts.map((t) => ({ text: t.join("\n"), line: current!.at + 1 })));
      current = null;
    };
    body.forEach((line, k) => {
      const at = h + k;
      if (!line.trim() || /^\s*\d{1,3}\s*$/.test(line)) return; // blank, or a page number alone
      const cells = cellsOf(line);
      const filled = cells.filter(Boolean);
      if (k > 0 && filled.length >= 3 && filled.every((c, i) => c === String(i + 1))) return; // the columns' numbers, repeated on each page
      const opens = k === 0 || cells[0] !== "";
      if (opens) {
        flush();
        current = { texts: cells.map((c) => (c ? [c] : [])), at };
      } else if (current) {
        for (const [i, c] of cells.entries()) if (c) current.texts[i].push(c);
      }
    });
    flush();
    regions.push({ source: { rows }, start: h, end: end - 1 });
    h = end - 1;
  }
  return regions;
}

// ---------------------------------------------------------------- HTML tables

/** A top-level `<table>`: its rows (spans expanded) and the text of the document before it. */
export type HtmlTable = { rows: string[][]; before: string };

const BLOCK = new Set(["p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "caption", "ul", "ol", "section", "article"]);

function isElement(node: ChildNode): node is Element {
  return node.type === "tag" || node.type === "script" || node.type === "style";
}

/** Text of a node: block elements and `<br>` end lines, `<td>`/`<th>` end with a tab; scripts and styles dropped. */
function textOf(node: ChildNode, out: string[]): void {
  if (node.type === "text") {
    out.push((node as unknown as { data: string }).data);
    return;
  }
  if (!isElement(node)) return;
  const name = node.name.toLowerCase();
  if (name === "script" || name === "style") return;
  if (name === "br") {
    out.push("\n");
    return;
  }
  for (const child of node.children) textOf(child, out);
  if (name === "td" || name === "th") out.push("\t");
  else if (BLOCK.has(name)) out.push("\n");
}

/** Inner markup of a cell kept as light markup: `<b>`/`<strong>` kept (bold headings), blocks become spaces. */
function cellMarkup(node: ChildNode, out: string[]): void {
  if (node.type === "text") {
    out.push((node as unknown as { data: string }).data.replace(/[<>]/g, (c) => (c === "<" ? "‹" : "›")));
    return;
  }
  if (!isElement(node)) return;
  const name = node.name.toLowerCase();
  if (name === "script" || name === "style" || name === "table") return;
  if (name === "br") {
    out.push(" ");
    return;
  }
  const bold = name === "b" || name === "strong";
  if (bold) out.push("<b>");
  for (const child of node.children) cellMarkup(child, out);
  if (bold) out.push("</b>");
  if (BLOCK.has(name)) out.push(" ");
}

function span(el: Element, name: string): number {
  const n = Number.parseInt(el.attribs?.[name] ?? "1", 10);
  return Number.isFinite(n) ? Math.max(1, Math.min(200, n)) : 1;
}

/** The rows of one `<table>` element (not of tables nested in its cells), spans expanded. */
function tableRows(table: Element): string[][] {
  const trs: Element[] = [];
  const collect = (node: ChildNode) => {
    if (!isElement(node)) return;
    const name = node.name.toLowerCase();
    if (name === "tr") trs.push(node);
    else if (name !== "table") for (const child of node.children) collect(child);
  };
  for (const child of table.children) collect(child);

  const grid: string[][] = [];
  /** Per column: text still to repeat and how many rows it covers. */
  const carried: ({ text: string; left: number } | undefined)[] = [];
  for (const tr of trs) {
    const row: string[] = [];
    const takeCarried = () => {
      for (let c = carried[row.length]; c && c.left > 0; c = carried[row.length]) {
        c.left--;
        row.push(c.text);
      }
    };
    for (const td of tr.children) {
      if (!isElement(td) || !/^t[dh]$/i.test(td.name)) continue;
      takeCarried();
      const parts: string[] = [];
      for (const child of td.children) cellMarkup(child, parts);
      const text = parts.join("");
      const col = row.length;
      const cols = span(td, "colspan");
      const rows = span(td, "rowspan");
      for (let k = 0; k < cols; k++) {
        row.push(k === 0 ? text : "");
        if (rows > 1) carried[col + k] = { text: k === 0 ? text : "", left: rows - 1 };
      }
    }
    takeCarried();
    for (let k = row.length; k < carried.length; k++) {
      const c = carried[k];
      if (c && c.left > 0) {
        while (row.length < k) row.push("");
        c.left--;
        row.push(c.text);
      }
    }
    grid.push(row);
  }
  return grid;
}

/**
 * The `<table>`s of an HTML document in document order, each with its own rows (not those of
 * tables nested in its cells) and the document text before it. A portal page often lays the
 * whole document out in an outer table: the plan's table is then one of the nested ones.
 */
export function htmlTables(html: string): HtmlTable[] {
  const doc = parseDocument(html, { decodeEntities: true });
  const tables: HtmlTable[] = [];
  let text: string[] = [];
  const walk = (node: ChildNode) => {
    if (isElement(node) && node.name.toLowerCase() === "table") {
      tables.push({ rows: tableRows(node), before: text.join("") });
      text = [];
      for (const child of node.children) walk(child);
      return;
    }
    if (isElement(node) && !["script", "style"].includes(node.name.toLowerCase())) {
      const name = node.name.toLowerCase();
      if (name === "br") text.push("\n");
      for (const child of node.children) walk(child);
      if (BLOCK.has(name)) text.push("\n");
    } else textOf(node, text);
  };
  for (const child of doc.children) walk(child);
  return tables;
}

/** The text of an HTML document: one line per block, cells separated by tabs. */
export function htmlToText(html: string): string {
  const doc = parseDocument(html, { decodeEntities: true });
  const out: string[] = [];
  for (const child of doc.children) textOf(child, out);
  return out.join("");
}

// ---------------------------------------------------------------- CSV

/**
 * Records of a CSV text, each with the line it starts on. The delimiter is the most frequent
 * of `;`, `,`, tab outside quotes. csv-parse takes the first record's width as the width of
 * every record and builds an error object (deep-copying its options) for each record of
 * another width, even when told to let it pass: a title line of one cell above a wide table
 * made that cost most of the parse. So the text is parsed behind a first record of empty
 * cells as wide as the widest of its first lines, dropped afterwards.
 */
export function csvRows(text: string): Cell[][] {
  const body = text.replace(/^\uFEFF/, "");
  const delimiter = guessDelimiter(body);
  const width = sampleWidth(body, delimiter);
  const eol = /\r\n|\r|\n/.exec(body)?.[0] ?? "\n"; // the text's own line ending: csv-parse keeps the first it sees
  const records = parseCsvRecords(`${delimiter.repeat(width - 1)}${eol}${body}`, {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: true,
    raw: true,
  }) as unknown as { record: string[]; raw: string }[];
  // Each record's line, counted from the raw records (csv-parse's own count takes a CRLF inside
  // quotes for two lines): a record starts one line after the line breaks of the one before.
  let line = 0;
  return records
    .map(({ record, raw }) => {
      const at = line;
      line += (raw.replace(/(?:\r\n|\r|\n)$/, "").match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
      return record.map((text) => ({ text, line: at }));
    })
    .slice(1);
}

/** The most cells a line of the first 50 lines holds (quoted text left out). */
function sampleWidth(text: string, delimiter: string): number {
  let end = 0;
  for (let n = 0; n < 50 && end >= 0; n++) end = text.indexOf("\n", end + 1);
  const sample = (end < 0 ? text : text.slice(0, end)).replace(/"[^"]*"/g, "");
  let widest = 1;
  for (const line of sample.split("\n")) widest = Math.max(widest, line.split(delimiter).length);
  return widest;
}

function guessDelimiter(text: string): string {
  const sample = text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .slice(0, 20)
    .join("\n")
    .replace(/"[^"]*"/g, "");
  const count = (c: string) => sample.split(c).length - 1;
  const best = [";", ",", "\t"].map((c) => [c, count(c)] as const).sort((a, b) => b[1] - a[1])[0];
  return best[1] > 0 ? best[0] : ",";
}
