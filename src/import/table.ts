/**
 * Task rows from a table, whatever its source (a scraped text, a .docx or .html table, a
 * spreadsheet, a CSV file): the source is first turned into cells (cells.ts), then:
 *
 * 1. **Header.** The header row is found from the cells themselves, matched on folded text in
 *    any case, wording and order: STT/TT · Nội dung / Nhiệm vụ (cụ thể, giải pháp) · Sản phẩm /
 *    Kết quả (dự kiến) / Hoạt động/Sản phẩm · Cơ quan (Đơn vị) chủ trì / thực hiện / CHỦ TRÌ ·
 *    phối hợp · Thời gian (thực hiện, dự kiến hoàn thành) / Thời hạn / Tiến độ · Lĩnh vực (an
 *    area) · Ghi chú, Nguồn kinh phí and unknown columns (not read). A table whose rows are
 *    indicators (Chỉ tiêu) with no deadline column has no tasks: it is reported as such.
 * 2. **Rows.** Where the source marks rows, each is one row; a row shorter than the header (a
 *    merged, row-spanned cell left it short, or the scrape dropped empty cells) is aligned to
 *    the columns its cells fit best. A `|` scrape marks no rows: the stream of cells is cut
 *    into rows by a dynamic programme over the same fit — a row starts at a marker in the STT
 *    column (or a numbered content cell when there is no STT column), each cell is scored for
 *    the column it lands in (a deadline phrase in the deadline column, an agency's name in the
 *    lead column…), a row may end with empty cells (the "empty cell ends a row" form), group
 *    rows keep only their filled cells, repeated header rows are skipped, and cells that fit no
 *    row (a site's text around the table) are set aside and reported. A "…....." gap where a
 *    site hid part of the table is reported as a warning.
 * 3. **Meaning.** Below the header every non-empty row is one of:
 *    - a repeated header row (tables broken over pages): skipped;
 *    - a **group row** — a heading inside the table: a marker (`A`, `I`, `1`, `1.1`, `a)`) with
 *      only a title, or a bold / upper-case title alone. Groups nest by marker kind in order of
 *      appearance (a kind already open closes everything under it; numbering may restart in
 *      each group) and make the `section` path of the rows below. A "Lĩnh vực" cell is the
 *      outermost group;
 *    - a **task row**: content plus anything else (lead, deadline, product, coordinating). With
 *      no STT column the number is read from the start of the content cell ("1. Ban hành …");
 *    - a **`-` sub-row** (content starting with `-`/`+`/`•`, no STT): with its own lead or
 *      deadline, a task of its own under its parent task (the parent joins its section path);
 *      without either, a detail appended to the task above; with no parent, a task;
 *    - anything else non-empty goes to `warnings` with its row number and text.
 */
import { parseDeadline } from "../core/deadline.ts";
import { fold, squash } from "../core/text.ts";
import type { Cell, CellSource } from "./cells.ts";
import type { RawTaskRow, ReadWarning } from "./types.ts";

export type TableOptions = {
  /** Row number of each entry of `cells` (line in the source, row in a sheet); default index + 1. */
  rowNumbers?: number[];
  /** Section path of the rows the table itself does not put under a group row. */
  section?: string[];
};

/** Task rows and warnings; `indicators` counts the rows of a table of indicators (no tasks). */
export type TableResult = { rows: RawTaskRow[]; warnings: ReadWarning[]; indicators?: number };

const DASH = /^[-–—+•]\s*/;

export type Field =
  | "stt"
  | "content"
  | "product"
  | "lead"
  | "coordinating"
  | "deadline"
  | "revised"
  | "area"
  | "indicator"
  | "note"
  | "slot";

/** What a header cell names, or null. `text` is a raw cell (tags allowed). */
export function headerField(text: string): Field | null {
  if (NUMBER_SIGN.test(text)) return "stt";
  if (text.length > 400 || (!HEADER_WORD.test(text) && !/[\u0300-\u036f]/.test(text))) return null; // a cheap look first
  const clean = cleanCell(text).text;
  if (DASH.test(clean)) return null; // a bullet is a row's text, never a header
  const f = fold(clean)
    .replace(/[^a-z0-9/ ]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!f || f.length > 60) return null;
  return fieldOf(expandAbbreviations(f));
}

/** "#", "No." (bold or not) heading the numbers. */
const NUMBER_SIGN = /^\s*(?:<[^>]+>\s*|\*\*\s*)*(?:#|No\.|N[º°]\.?)(?:\s*<\/[^>]+>|\s*\*\*)*\s*$/i;

/** A word every header names (NFC text, any case); a cell without one is not a header. */
const HEADER_WORD = new RegExp(
  String.raw`(?:^|[^\p{L}])(?:` +
    [
      String.raw`s[ốo]\s*tt|stt|tt|th[ứu]\s+t[ựu]|ch[ủu]\s+tr[ìi]|ph[ốo]i\s+h[ợo]p|th[ựu]c\s+hi[ệe]n|đ[ầa]u\s+m[ốo]i`,
      String.raw`tham\s+m[ưu]u|th[ờo]i\s+gian|th[ờo]i\s+h[ạa]n|ti[ếe]n\s+đ[ộo]|h[ạa]n|m[ốo]c|n[ộo]i\s+dung`,
      String.raw`nhi[ệe]m\s+v[ụu]|c[ôo]ng\s+vi[ệe]c|s[ảa]n\s+ph[ẩa]m|k[ếe]t\s+qu[ảa]|h[ìi]nh\s+th[ứu]c`,
      String.raw`l[ĩi]nh\s+v[ựu]c|ch[ỉi]\s+ti[êe]u|ghi\s+ch[úu]|kinh\s+ph[íi]|d[ựu]\s+to[áa]n|ngu[ồo]n`,
      String.raw`ho[àa]n\s+th[àa]nh|k[ếe]t\s+th[úu]c|cq|tg|sp|nd`,
    ].join("|") +
    String.raw`)(?:[^\p{L}]|$)`,
  "iu",
);

/** Headers written short: "CQ chủ trì", "TG hoàn thành", "SP", "ĐV phối hợp", "ND nhiệm vụ". */
function expandAbbreviations(f: string): string {
  return f
    .replace(/\bcq\b/g, "co quan")
    .replace(/\bdv\b/g, "don vi")
    .replace(/^tg\b/, "thoi gian")
    .replace(/^sp\b/, "san pham")
    .replace(/^nd\b/, "noi dung");
}

/** A time column's words for when the work starts, and for when it ends (folded). */
const START_TIME = /\b(bat dau|khoi cong|trien khai tu|tu ngay|tu thang)\b/;
const END_TIME = /\b(hoan thanh|ket thuc|den ngay|den thang|han)\b/;

function fieldOf(f: string): Field | null {
  if (/^(stt|so tt|tt|so thu tu|thu tu)$/.test(f)) return "stt";
  if (/\bchu tri\b/.test(f)) return "lead";
  if (/\bphoi hop\b/.test(f)) return "coordinating";
  if (/^(co quan|don vi)( \/ | )?(thuc hien|dau moi|tham muu)$/.test(f)) return "lead";
  if (/^(thoi gian|thoi han|tien do|han hoan thanh|moc thoi gian|(ngay|thoi diem) (hoan thanh|ket thuc))\b/.test(f)) {
    // "Thời gian bắt đầu" beside "Thời gian hoàn thành": the start is not the deadline (not read).
    if (START_TIME.test(f) && !END_TIME.test(f)) return "note";
    return /\b(dieu chinh|sua doi|moi)\b/.test(f) ? "revised" : "deadline";
  }
  if (/^(noi dung|nhiem vu|ten nhiem vu|cong viec|ten cong viec|noi dung cong viec)\b/.test(f)) return "content";
  if (/\bsan pham\b|^ket qua\b|^hinh thuc\b/.test(f)) return "product";
  if (/^linh vuc( cai cach)?$/.test(f)) return "area";
  if (/^chi tieu\b/.test(f)) return "indicator";
  if (/^(ghi chu|nguon kinh phi|kinh phi|du toan|nguon von)\b/.test(f)) return "note";
  // "Lĩnh vực, nội dung theo dõi": a short header naming the content among other words.
  if (/\b(noi dung|nhiem vu)\b/.test(f) && f.split(" ").length <= 6) return "content";
  return null;
}

export type Columns = Partial<Record<Field, number>>;

/**
 * The columns a header row names, or null when the row is not a recognisable header: a
 * content (or indicator) column and at least two of STT, product, lead, coordinating, deadline,
 * area; at least half of the filled cells named.
 */
export function headerColumns(row: string[]): Columns | null {
  return columnsNamed(row.map((cell) => ({ text: cleanCell(cell).text, header: headerField(cell) })));
}

/** headerColumns of cells already cleaned (their text and the field each names). */
function columnsNamed(row: { text: string; header: Field | null }[]): Columns | null {
  if (!row.some((c) => c.header === "content" || c.header === "indicator")) return null; // most rows: a cheap no
  const cols: Columns = {};
  let named = 0;
  let filled = 0;
  row.forEach((cell, i) => {
    if (!cell.text) return;
    filled++;
    const field = cell.header;
    if (!field) return;
    named++;
    if (cols[field] === undefined) cols[field] = i;
  });
  if (cols.content === undefined && cols.indicator === undefined) return null;
  const others = (["stt", "product", "lead", "coordinating", "deadline", "revised", "area"] as const).filter(
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
  const bold = /^\s*(?:<(b|strong)\b[^>]*>[\s\S]*<\/\1>|\*\*[\s\S]*\*\*)\s*$/i.test(s) && !/^\s*\*\*\s*$/.test(s);
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

/**
 * A number written at the start of a content cell: "1. Ban hành …", "1.2 Xây dựng …", "a) …".
 * Stricter than parseHeading: a plain number needs its "." or ")" ("5 năm" is not numbered).
 */
function contentHeading(text: string): { marker: Marker; title: string } | null {
  const h = parseHeading(text);
  if (!h) return null;
  const plain = /^(\d{1,3}|[IVX]+)$/.test(h.marker.printed);
  return plain ? null : h;
}

/** "I" + "CẢI CÁCH THỂ CHẾ" → "I. CẢI CÁCH THỂ CHẾ"; "a)" + "…" → "a) …". */
export function sectionLabel(marker: string | undefined, title: string): string {
  if (!marker) return title;
  if (!title) return marker;
  return /[.):]$/.test(marker) ? `${marker} ${title}` : `${marker}. ${title}`;
}

function isUpper(text: string): boolean {
  return /\p{L}/u.test(text) && !/\p{Ll}/u.test(text);
}

/** `1000`, `1000.` after `999`: a number past three digits, read as the next in its sequence. */
function sequel(text: string, last: number): Marker | null {
  const m = /^(\d{4,7})\s*([.)])?$/.exec(text);
  return m && Number(m[1]) === last + 1 ? { printed: text, kind: "num1" } : null;
}

/** A site's placeholder for a part of the table it did not show: "…....", "Đang tải văn bản…". */
function isGap(text: string): boolean {
  return /^[.…]{4,}/.test(text) || /^(dang tai|loading)\b/.test(fold(text));
}

/**
 * A row that only numbers the columns: "1 2 3 … 8", "(1) (2) (3)" — small numbers that go up
 * by one from cell to cell, or from column to column where some are left empty (merged).
 * Never a task: it has no content.
 */
function isColumnNumbers(cells: TextCell[]): boolean {
  let filled = 0;
  let inOrder = true;
  let offset: number | undefined;
  for (let i = 0; i < cells.length; i++) {
    const text = cells[i].text;
    if (!text) continue;
    const m = /^\(?(\d{1,2})\)?$/.exec(text);
    if (!m) return false;
    const n = Number(m[1]);
    filled++;
    if (n !== filled) inOrder = false;
    if (offset === undefined) offset = n <= 3 ? n - i : Number.NaN;
    else if (n - i !== offset) offset = Number.NaN;
  }
  return filled >= 3 && (inOrder || (offset !== undefined && !Number.isNaN(offset)));
}

/** The first words of a plan's closing (folded): "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "CHỦ TỊCH". */
const SIGNATURE = /^(?:noi nhan\b|(?:tm|kt|tl|tuq|q)\. ?[a-z]|(?:pho )?chu tich$|(?:pho )?giam doc$)/;

/**
 * Rows without the signature block that closes the plan ("Nơi nhận: | TM. ỦY BAN NHÂN DÂN",
 * "- Như trên; | CHỦ TỊCH", "| Nguyễn Văn A"), which a spreadsheet or a Word table saved as
 * text keeps under the last task: the document's end, not rows of the table. The block is
 * its first row and the rows of one or two cells after it; a row that looks like a task
 * (a number first, or three cells or more) is read again as usual.
 */
function withoutSignature(rows: TextCell[][]): TextCell[][] {
  const out: TextCell[][] = [];
  let closing = false;
  for (const row of rows) {
    let filled = 0;
    let signs = false;
    let first: TextCell | undefined;
    for (const c of row) {
      if (!c.text) continue;
      first ??= c;
      filled++;
      if (filled <= 2 && c.text.length <= 60 && SIGNATURE.test(fold(c.text))) signs = true;
    }
    if (filled > 0 && filled <= 2 && !parseMarker(first!.text) && (signs || closing)) {
      closing = true;
      continue;
    }
    if (filled > 0) closing = false;
    out.push(row);
  }
  return out;
}

// ---------------------------------------------------------------- how well a cell fits a column

/** Words an agency's name starts with (folded), after an optional "Các". */
const AGENCY_HEAD =
  /^(?:cac\s+)?(?:so|ubnd|uy ban|van phong|vp|cong an|thanh tra|dai|bao|trung tam|kho bac|cuc|chi cuc|bao hiem|bhxh|bo|ban|hoi|lien doan|mat tran|tinh doan|phong|co quan|don vi|buu dien|vien thong|truong|doanh nghiep|ngan hang|hiep hoi|quy|toa an|vien|bo chi huy|hdnd|hoi dong|nganh|dia phuong|cap)(?![a-z0-9])/;

/** A deadline phrase has a number or one of these words; a cheap test before parsing it. */
const DEADLINE_WORD = /\d|thuong xuyen|hang|quy|thang|nam|khi|theo|dinh ky|sau|truoc|trong|tien do|lo trinh|phat sinh/;

const words = (s: string) => (s ? s.split(" ").length : 0);

type Fitness = { marker: boolean; header: boolean; agency: boolean; deadline: boolean; words: number };

/**
 * What a cell's text looks like. `readsAsDeadline` is shared by the cells of one table: the
 * same phrase ("2026 - 2030", "Thường xuyên") fills many rows and is parsed once.
 */
function fitnessOf(cell: TextCell, readsAsDeadline: (text: string) => boolean): Fitness {
  const text = cell.text;
  const key = fold(text.slice(0, 80));
  let deadline: boolean | undefined;
  return {
    marker: parseMarker(text) !== null,
    header: words(text) <= 6 && cell.header !== null,
    agency: AGENCY_HEAD.test(key),
    // Read only when a column asks: deadline phrases are short, a task's content is not.
    get deadline() {
      deadline ??= text.length <= 160 && DEADLINE_WORD.test(key) && readsAsDeadline(text);
      return deadline;
    },
    words: words(text),
  };
}

/** How plausible a cell's text is in a column of `field` (higher is better). */
function fit(field: Field, cell: TextCell, x: Fitness): number {
  const text = cell.text;
  if (!text) return field === "content" || field === "indicator" ? -1 : 0;
  if (cell.gap) return -2;
  if (x.header) return -3; // a header's words are not a row's value
  switch (field) {
    case "stt":
      return x.marker ? 2 : /^[-–—+•]$/.test(text) ? 0.5 : -3;
    case "content":
    case "indicator":
      return x.marker ? -1.5 : x.words >= 3 ? 1 : 0.3;
    case "lead":
    case "coordinating":
      return x.marker ? -2 : x.agency ? 1.5 : x.deadline ? -1.5 : 0;
    case "deadline":
    case "revised":
      return x.marker ? -2 : x.deadline ? 2 : x.agency ? -1.5 : -0.5;
    case "product":
      return x.marker ? -2 : x.agency || x.deadline ? -0.5 : 0.3;
    case "area":
      return x.marker ? -1 : 0;
    case "slot":
      return /^[x✓✔•+]$/i.test(text) || x.deadline ? 0.5 : x.words <= 4 ? 0 : -1;
    default:
      return x.marker ? -1 : 0;
  }
}

// ---------------------------------------------------------------- recovering rows

/** A cell cleaned once: its text, whether it was bold, a gap placeholder, or names a header column. */
type TextCell = {
  raw: string;
  text: string;
  bold: boolean;
  line: number;
  gap: boolean;
  header: Field | null;
  /** Computed on first use: what the text looks like, and its fit in each column of one layout. */
  fitness?: Fitness;
  fits?: { layout: Layout; values: Float64Array };
};

/** One row laid on the header's columns: `values[c]` is undefined for a column the row lacks. */
type Laid = { values: (TextCell | undefined)[]; line: number };

type Piece =
  | { kind: "row"; laid: Laid }
  | { kind: "header"; line: number }
  | { kind: "gap"; cell: TextCell }
  | { kind: "junk"; cells: TextCell[] };

class Layout {
  readonly width: number;
  readonly fields: (Field | null)[];
  readonly sttCol: number | undefined;
  readonly contentCol: number;
  private readonly deadlines = new Map<string, boolean>();
  private readonly readsAsDeadline = (text: string): boolean => {
    let known = this.deadlines.get(text);
    if (known === undefined) {
      known = parseDeadline(text, { planYear: 2000 }).deadline.kind !== "unknown";
      this.deadlines.set(text, known);
    }
    return known;
  };

  /**
   * @param slots time columns under a merged deadline header ("Quý I … Quý IV", "Tháng 1 …"):
   *   a row marks the ones it is due in ("x") or writes its time in them.
   */
  constructor(
    readonly cols: Columns,
    width: number,
    readonly slots: { col: number; label: string }[] = [],
  ) {
    this.width = width;
    this.fields = Array.from({ length: width }, () => null);
    for (const [field, at] of Object.entries(cols) as [Field, number][]) if (at < width) this.fields[at] = field;
    for (const slot of slots) if (slot.col < width) this.fields[slot.col] = "slot";
    this.sttCol = cols.stt;
    this.contentCol = cols.content ?? cols.indicator ?? 0;
  }

  private fitness(cell: TextCell): Fitness {
    cell.fitness ??= fitnessOf(cell, this.readsAsDeadline);
    return cell.fitness;
  }

  /** `fit` of a cell in a column, computed once per pair. */
  private cellFit(col: number, cell: TextCell): number {
    if (cell.fits?.layout !== this) cell.fits = { layout: this, values: new Float64Array(this.width).fill(Number.NaN) };
    const values = cell.fits.values;
    if (Number.isNaN(values[col])) values[col] = fit(this.fields[col] ?? "note", cell, this.fitness(cell));
    return values[col];
  }

  /**
   * A group row: its filled cells (in `cells[from, to)`) are a marker and a title, or one
   * heading ("III Cải cách …", a bold or upper-case title). Its score: a marker and title are a
   * sure heading, a lone bold line less so; null when the cells are not a group row.
   */
  groupScore(cells: TextCell[], from = 0, to = cells.length): number | null {
    let a: TextCell | undefined;
    let b: TextCell | undefined;
    for (let i = from; i < to; i++) {
      if (!cells[i].text) continue;
      if (!a) a = cells[i];
      else if (!b) b = cells[i];
      else return null;
    }
    if (!a) return null;
    if (b) return parseMarker(a.text) && !parseMarker(b.text) && !b.gap ? 2 : null;
    const heading = parseHeading(a.text);
    if (!heading && !a.bold && !isUpper(a.text)) return null;
    if (DASH.test(a.text) || this.fitness(a).marker || a.header) return null;
    return heading ? 2 : 0.5;
  }

  /** A group row (see groupScore) laid as STT + content, or content alone with the marker. */
  group(cells: TextCell[]): Laid {
    const filled = cells.filter((c) => c.text);
    const [a, b] = filled;
    const values: Laid["values"] = new Array(this.width).fill(undefined);
    if (b && this.sttCol !== undefined) {
      values[this.sttCol] = a;
      values[this.contentCol] = b;
    } else values[this.contentCol] = b ? { ...b, text: `${a.text} ${b.text}`, raw: `${a.raw} ${b.raw}` } : a;
    return { values, line: a.line };
  }

  /**
   * The best way to lay `cells[from, from + k)` on the columns: its score and where the
   * W - k missing columns go (`gap`: the cells before it keep their column, the rest shift
   * right). The missing columns form one block: nowhere (k = W), at the end, at the start
   * (preferred: a row-spanned first column), or inside (a merged cell in the middle). Plain
   * loops, nothing allocated: this runs for every candidate row of a stream.
   */
  layScore(cells: TextCell[], from: number, k: number): { score: number; gap: number } | null {
    const W = this.width;
    if (k === 0 || k > W) return null;
    const shift = W - k;
    let bestScore = -Infinity;
    let bestGap = k;
    for (let order = 0; order < (k === W ? 1 : k + 1); order++) {
      const p = order === 0 ? k : order - 1; // k, 0, 1, …, k - 1
      // A merged (row-spanned) first column is the common reason for a short row; a row that
      // lost its last cells, or a merged cell in the middle, less so.
      let score = -0.4 * shift - (p === 0 || (p === k && shift === 0) ? 0 : p === k ? 0.25 : 0.3) - 0.01 * order;
      let stt: TextCell | undefined;
      let content: TextCell | undefined;
      for (let i = 0; i < k; i++) {
        const col = i < p ? i : i + shift;
        const cell = cells[from + i];
        score += this.cellFit(col, cell);
        if (col === this.contentCol) content = cell;
        else if (col === this.sttCol) stt = cell;
      }
      if (!content?.text) score -= 1.5; // every row that counts has content
      score += this.startBonus(stt, content);
      if (score > bestScore) {
        bestScore = score;
        bestGap = p;
      }
    }
    return { score: bestScore, gap: bestGap };
  }

  /** `cells[from, from + k)` laid with the missing columns at `gap` (see layScore). */
  layAt(cells: TextCell[], from: number, k: number, gap: number): Laid {
    const values: Laid["values"] = new Array(this.width).fill(undefined);
    let line = cells[from].line;
    for (let i = k - 1; i >= 0; i--) {
      const cell = cells[from + i];
      values[i < gap ? i : i + this.width - k] = cell;
      if (cell.text) line = cell.line;
    }
    return { values, line };
  }

  /** A row that starts where rows start: a marker in the STT column, or a numbered / dashed content cell. */
  private startBonus(stt: TextCell | undefined, content: TextCell | undefined): number {
    if (this.sttCol !== undefined && stt?.text) return this.fitness(stt).marker ? 1.5 : 0;
    const text = content?.text ?? "";
    return text && (DASH.test(text) || contentHeading(text)) ? 1 : 0;
  }
}

/**
 * A cell to read. A long cell (a page of body text before the table, a task's content) is
 * cleaned only when its text is asked for: most of a scrape is never part of a row.
 */
function toCell(c: Cell): TextCell {
  if (c.text.length > 200) {
    let clean: { text: string; bold: boolean } | undefined;
    const get = () => (clean ??= cleanCell(c.text));
    return {
      raw: c.text,
      line: c.line,
      get text() {
        return get().text;
      },
      get bold() {
        return get().bold;
      },
      gap: /^\s*[.…]{4,}/.test(c.text),
      header: null,
    };
  }
  const { text, bold } = cleanCell(c.text);
  return {
    raw: c.text,
    text,
    bold,
    line: c.line,
    gap: text.length <= 80 && isGap(text),
    header: text.length <= 60 ? headerField(text) : null,
  };
}

/** Where a header starts at cell `h` of a stream: its texts (the first maybe the tail of a caption cell). */
function streamHeader(cells: TextCell[], h: number): { texts: string[]; width: number; line: number } | null {
  const first = headerTail(cells[h]);
  if (!first) return null;
  const texts = [first.text];
  let k = h + 1;
  for (;;) {
    const c = cells[k];
    if (!c) break;
    if (c.header) {
      texts.push(c.text);
      k++;
      continue;
    }
    // One unknown column between named ones: a short title that is not a marker or empty.
    const next = cells[k + 1];
    if (c.text && words(c.text) <= 6 && !parseMarker(c.text) && next?.header) {
      texts.push(c.text);
      k++;
      continue;
    }
    break;
  }
  if (!headerColumns(texts)) return null;
  return { texts, width: k - h, line: first.line };
}

const tails = new WeakMap<TextCell, { text: string; line: number } | null>();

/** The header text at the end of a cell: the whole cell, or its last 1–3 lines (a caption above it). */
function headerTail(cell: TextCell): { text: string; line: number } | null {
  if (cell.header) return { text: cell.text, line: cell.line };
  if (!cell.raw.includes("\n")) return null;
  let tail = tails.get(cell);
  if (tail === undefined) {
    tail = captionTail(cell);
    tails.set(cell, tail);
  }
  return tail;
}

function captionTail(cell: TextCell): { text: string; line: number } | null {
  // A header's words are short: a cell whose last line is long has no header at its end.
  const lastLine = cell.raw.slice(cell.raw.trimEnd().lastIndexOf("\n") + 1);
  if (lastLine.length > 80) return null;
  const raw = cell.raw.split("\n");
  const filled = raw.flatMap((l, i) => (l.trim() ? [i] : []));
  for (let k = 1; k <= Math.min(3, filled.length - 1); k++) {
    const from = filled[filled.length - k];
    const tail = squash(raw.slice(from).join(" "));
    if (headerField(tail)) return { text: cleanCell(tail).text, line: cell.line + (from - filled[0]) };
  }
  return null;
}

const sameFields = (a: Columns, b: Columns) => Object.keys(b).every((f) => f in a);

/**
 * Cut a stream of cells (after a header) into pieces: rows laid on the columns, repeated
 * headers, gaps and junk. Dynamic programme over the cell index; see the file comment.
 */
function cutStream(body: TextCell[], layout: Layout, cols: Columns): Piece[] {
  type Choice = { len: number; kind: "empty" | "junk" | "gap" | "header" | "group" | "row"; k: number; gap: number };
  const n = body.length;
  const W = layout.width;
  const best = new Float64Array(n + 1).fill(-Infinity);
  const choice: (Choice | null)[] = new Array(n + 1).fill(null);
  best[n] = 0;
  const maxLen = W + 3;
  let i = n;
  const consider = (len: number, score: number, kind: Choice["kind"], k = len, gap = 0) => {
    const total = score + best[i + len];
    if (total > best[i]) {
      best[i] = total;
      choice[i] = { len, kind, k, gap };
    }
  };
  for (i = n - 1; i >= 0; i--) {
    const cell = body[i];
    if (!cell.text) consider(1, 0, "empty");
    else if (cell.gap) consider(1, 0, "gap");
    else consider(1, -3, "junk");
    // A row numbering the columns under the header; a repeated header (its columns or some).
    if (i + W <= n && isColumnNumbers(body.slice(i, i + W))) consider(W, 1, "header");
    const header = cell.text ? streamHeader(body, i) : null;
    if (header && sameFields(cols, headerColumns(header.texts)!)) consider(header.width, 1, "header");
    let k = 0;
    for (let len = 1; len <= maxLen && i + len <= n; len++) {
      const last = body[i + len - 1];
      if (last.gap) break;
      if (last.text) k = len;
      if (k === 0) continue;
      // A group row keeps only its filled cells (any empties around them); a row of cells may
      // end with an empty cell (the row's end) and one empty column.
      const group = layout.groupScore(body, i, i + len);
      if (group !== null) consider(len, group, "group");
      if (len - k > 2) continue;
      const laid = layout.layScore(body, i, k);
      if (laid) consider(len, laid.score, "row", k, laid.gap);
      // The empty cells may be the row's own (an empty last column) rather than its end.
      const whole = k < len ? layout.layScore(body, i, len) : null;
      if (whole) consider(len, whole.score, "row", len, whole.gap);
    }
  }
  const pieces: Piece[] = [];
  for (let at = 0; at < n; ) {
    const c = choice[at]!;
    const cell = body[at];
    const last = pieces[pieces.length - 1];
    if (c.kind === "junk") {
      if (last?.kind === "junk") last.cells.push(cell);
      else pieces.push({ kind: "junk", cells: [cell] });
    } else if (c.kind === "gap") pieces.push({ kind: "gap", cell });
    else if (c.kind === "header") pieces.push({ kind: "header", line: cell.line });
    else if (c.kind === "group") pieces.push({ kind: "row", laid: layout.group(body.slice(at, at + c.len)) });
    else if (c.kind === "row") pieces.push({ kind: "row", laid: layout.layAt(body, at, c.k, c.gap) });
    at += c.len;
  }
  return pieces;
}

/**
 * Rows broken over several lines (Word's "save as text" ends a line at each paragraph inside
 * a cell: "1.2 ⇥ Cơ sở dữ liệu …, gồm:" / "- Kho …;" / "- Dữ liệu … ⇥ Văn phòng UBND tỉnh ⇥ …")
 * joined back: a short line and the lines after it that do not start a row (no marker first)
 * are one row when together they fill the header's width exactly, the last cell of a line
 * and the first of the next being one cell. Anything else is left as it is.
 */
function joinBrokenRows(rows: TextCell[][], width: number): TextCell[][] {
  const out: TextCell[][] = [];
  for (let i = 0; i < rows.length; i++) {
    let joined = rows[i];
    let j = i + 1;
    while (joined.length < width && j < rows.length && rows[j][0] && !parseMarker(rows[j][0].text) && !isColumnNumbers(rows[j])) {
      const next = rows[j];
      const last = joined[joined.length - 1];
      const first = next[0];
      const cell = {
        ...last,
        raw: `${last.raw}\n${first.raw}`,
        text: squash(`${last.text} ${first.text}`),
        fitness: undefined,
        fits: undefined,
      };
      joined = [...joined.slice(0, -1), cell, ...next.slice(1)];
      j++;
    }
    if (j > i + 1 && joined.length === width) {
      out.push(joined);
      i = j - 1;
    } else out.push(rows[i]);
  }
  return out;
}

/** Rows a source marks, each laid on the columns (short rows aligned to the columns they fit). */
function layRows(rows: TextCell[][], layout: Layout, cols: Columns): Piece[] {
  return rows.map((row): Piece => {
    const filled = row.filter((c) => c.text);
    const line = (filled[0] ?? row[0])?.line ?? 0;
    if (filled.length === 0) return { kind: "junk", cells: [] };
    if (filled.length === 1 && filled[0].gap) return { kind: "gap", cell: filled[0] };
    const hc = columnsNamed(row);
    if ((hc && sameFields(cols, hc)) || isColumnNumbers(row)) return { kind: "header", line };
    if (layout.groupScore(row) !== null) return { kind: "row", laid: layout.group(row) };
    if (row.length >= layout.width) {
      return { kind: "row", laid: { values: row.slice(0, layout.width), line } };
    }
    let k = row.length;
    while (k > 0 && !row[k - 1].text) k--;
    const laid = layout.layScore(row, 0, k);
    return { kind: "row", laid: laid ? layout.layAt(row, 0, k, laid.gap) : { values: row, line } };
  });
}

// ---------------------------------------------------------------- reading a source

type FoundHeader = { at: number; width: number; cols: Columns; texts: string[]; line: number };

/**
 * Every table in a cell source, read into task rows. Null when no recognisable header is
 * found. Tables with the same columns (a header repeated after a page break, or some of its
 * columns) are one table; a header naming other columns starts a new one.
 */
export function readCells(source: CellSource, opts: { section?: string[] | ((headerLine: number) => string[]) } = {}): TableResult | null {
  const sectionAt = (line: number) => (typeof opts.section === "function" ? opts.section(line) : (opts.section ?? []));
  const result: TableResult = { rows: [], warnings: [] };
  let found = false;
  if ("rows" in source) {
    const rows = source.rows.map((r) => r.map(toCell));
    const headers: FoundHeader[] = [];
    rows.forEach((row, at) => {
      const cols = columnsNamed(row);
      if (cols) headers.push({ at, width: row.length, cols, texts: row.map((c) => c.raw), line: (row.find((c) => c.text) ?? row[0]).line });
    });
    // A header over two rows is one header: its second row (which repeats the cells merged
    // down over both, as `<td rowspan>` does) starts no table of its own.
    const starts = tableStarts(headers.filter((h, k) => !(headers[k - 1]?.at === h.at - 1 && subHeader(rows[h.at - 1], rows[h.at]))));
    if (starts.length === 0) return null;
    for (const c of rows.slice(0, starts[0].at)) {
      // The document's head above the table (letterhead, title, caption) is read as the plan's
      // metadata; only a row that looks like a numbered task is reported.
      const filled = c.filter((x) => x.text);
      if (filled.length >= 2 && parseMarker(filled[0].text)) {
        const message = "Dòng nằm trên dòng tiêu đề của bảng, không phải nhiệm vụ: bỏ qua.";
        result.warnings.push({ row: filled[0].line, text: rowText(c), message });
      }
    }
    starts.forEach((h, n) => {
      const end = starts[n + 1]?.at ?? rows.length;
      const sub = rows[h.at + 1] ? subHeader(rows[h.at], rows[h.at + 1]) : null;
      const cols = sub?.cols ?? h.cols;
      const layout = new Layout(cols, Math.max(h.width, rows[h.at + 1]?.length ?? 0, ...Object.values(cols).map((c) => c + 1)), sub?.slots);
      const body = withoutSignature(rows.slice(h.at + (sub ? 2 : 1), end));
      // A header repeated on a later page names the columns of either of its rows.
      const pieces = layRows(source.broken ? joinBrokenRows(body, layout.width) : body, layout, { ...h.cols, ...sub?.cols });
      merge(result, classify(pieces, layout, sectionAt(h.line)));
      found = true;
    });
  } else {
    const cells = source.stream.map(toCell);
    const headers: FoundHeader[] = [];
    for (let h = 0; h < cells.length; h++) {
      if (!cells[h].raw.trim()) continue;
      const header = streamHeader(cells, h);
      if (!header) continue;
      headers.push({ at: h, width: header.width, cols: headerColumns(header.texts)!, texts: header.texts, line: header.line });
      h += header.width - 1;
    }
    const starts = tableStarts(headers);
    starts.forEach((h, n) => {
      const end = starts[n + 1]?.at ?? cells.length;
      const layout = new Layout(h.cols, h.width);
      const pieces = cutStream(cells.slice(h.at + h.width, end), layout, h.cols);
      merge(result, classify(pieces, layout, sectionAt(h.line)));
      found = true;
    });
  }
  if (!found) return null;
  result.warnings = tidyWarnings(result.warnings);
  return result;
}

/**
 * Warnings in row order, one per row and message: a message said several times of one row
 * (cells of one line set aside in several places, two tables' passes) is said once, with
 * the texts it was said of joined.
 */
export function tidyWarnings(warnings: ReadWarning[]): ReadWarning[] {
  const out: ReadWarning[] = [];
  const seen = new Map<string, ReadWarning>();
  for (const w of [...warnings].sort((a, b) => a.row - b.row)) {
    const key = `${w.row}\u0000${w.message}`;
    const same = seen.get(key);
    if (!same) {
      const copy = { ...w };
      seen.set(key, copy);
      out.push(copy);
    } else if (w.text && !same.text.includes(w.text)) {
      const text = same.text ? `${same.text}; ${w.text}` : w.text;
      same.text = text.length > 200 ? `${text.slice(0, 199)}…` : text;
    }
  }
  return out;
}

/** Words under a merged "Thời gian" header: the start (not read) and the end (the deadline). */
const START_WORDS = /^(bat dau|tu ngay|tu thang|khoi cong|thoi diem bat dau|tu$)\b/;
const END_WORDS = /^(hoan thanh|ket thuc|den ngay|den thang|thoi diem hoan thanh|han hoan thanh|den$)\b/;
/** A time slot: "Quý I", "Quý 2", "Tháng 3", "Năm 2024", "2025". */
const SLOT_WORDS = /^(quy [ivx1-4]+|thang \d{1,2}|nam \d{4}|\d{4})$/;

/**
 * A header written over two rows: "Cơ quan thực hiện" over "Chủ trì | Phối hợp", "Thời
 * gian" over "Bắt đầu | Hoàn thành" or over "Quý I | … | Quý IV". The second row is a
 * sub-header when its filled cells are short and at least one sits under a merged (empty)
 * cell of the first. Each column is named by its own cell, else by the one above it (a merged
 * cell names the empty cells to its right). Null when the second row is not a sub-header.
 */
function subHeader(top: TextCell[], below: TextCell[]): { cols: Columns; slots: { col: number; label: string }[] } | null {
  // Cells that repeat the one above are a cell merged down over both rows (`rowspan`).
  const filled = below.map((c, i) => [c, i] as const).filter(([c, i]) => c.text && c.text !== top[i]?.text);
  if (filled.length < 2 || filled.some(([c]) => c.text.length > 30 || parseMarker(c.text))) return null;
  const parent = (i: number) => {
    for (let k = i; k >= 0; k--) if (top[k]?.text) return top[k];
    return undefined;
  };
  if (!filled.some(([, i]) => !top[i]?.text)) return null;
  // Under the merged part of a column that is read (lead, partners, time) a sub-header names
  // its sub-columns ("Phối hợp", "Hoàn thành", "Quý II"): a row of values there is no header.
  const names = (c: TextCell) => c.header !== null || [START_WORDS, END_WORDS, SLOT_WORDS].some((re) => re.test(fold(c.text)));
  const read = (i: number) => ["lead", "coordinating", "deadline"].includes(headerField(parent(i)?.raw ?? "") ?? "");
  if (filled.some(([c, i]) => !top[i]?.text && read(i) && !names(c))) return null;
  const cols: Columns = {};
  const slots: { col: number; label: string }[] = [];
  const width = Math.max(top.length, below.length);
  for (let i = 0; i < width; i++) {
    const own = below[i]?.text ? below[i] : undefined;
    const above = parent(i);
    const aboveField = above ? headerField(above.raw) : null;
    let field: Field | null = null;
    if (!own) field = top[i]?.text ? aboveField : null;
    else {
      const key = fold(own.text);
      if (aboveField === "deadline" && SLOT_WORDS.test(key)) slots.push({ col: i, label: own.text });
      else if (aboveField === "deadline" && START_WORDS.test(key)) field = "note";
      else if (aboveField === "deadline" && END_WORDS.test(key)) field = "deadline";
      else field = headerField(own.raw) ?? (aboveField === "lead" || aboveField === "coordinating" ? null : aboveField);
    }
    if (field && field !== "note" && cols[field] === undefined) cols[field] = i;
  }
  if (cols.content === undefined && cols.indicator === undefined) return null;
  return { cols, slots };
}

/** Headers that start a table: the first, and any naming columns the current table lacks. */
function tableStarts(headers: FoundHeader[]): FoundHeader[] {
  const starts: FoundHeader[] = [];
  for (const h of headers) {
    const current = starts[starts.length - 1];
    if (!current || !sameFields(current.cols, h.cols)) starts.push(h);
  }
  return starts;
}

function merge(into: TableResult, more: TableResult): void {
  into.rows.push(...more.rows);
  into.warnings.push(...more.warnings);
  if (more.indicators !== undefined) into.indicators = (into.indicators ?? 0) + more.indicators;
}

const rowText = (row: TextCell[]) =>
  row
    .map((c) => c.text)
    .filter(Boolean)
    .join(" | ");

/** Task rows from a table given as rows of cells (`string[][]`); see the file comment. Null without a header. */
export function rowsFromTable(cells: string[][], opts: TableOptions = {}): TableResult | null {
  const rows = cells.map((row, i) => row.map((text) => ({ text, line: opts.rowNumbers?.[i] ?? i + 1 })));
  return readCells({ rows }, { section: opts.section });
}

// ---------------------------------------------------------------- columns an admin named

/** The columns an admin named for a table whose header was not recognised (numbers from 0). */
export type ColumnMap = Partial<Record<"stt" | "content" | "lead" | "coordinating" | "deadline" | "product", number>>;

/**
 * Task rows of a table read with the admin's columns instead of a recognised header. The first
 * row with two or more filled cells is the table's header unless its deadline cell reads as a
 * deadline or its lead cell as an agency (the table then has no header row).
 */
export function readMapped(rows: Cell[][], columns: ColumnMap): TableResult {
  const cells = rows.map((r) => r.map(toCell));
  const width = Math.max(0, ...cells.map((r) => r.length), ...Object.values(columns).map((c) => c + 1));
  const layout = new Layout(columns, width);
  let first = cells.findIndex((r) => r.filter((c) => c.text).length >= 2);
  if (first < 0) return { rows: [], warnings: [] };
  const cell = (f: keyof ColumnMap) => (columns[f] === undefined ? undefined : cells[first][columns[f]!]);
  const lead = cell("lead");
  const deadline = cell("deadline");
  const data =
    (lead?.text && AGENCY_HEAD.test(fold(lead.text))) ||
    (deadline?.text && parseDeadline(deadline.text, { planYear: 2000 }).deadline.kind !== "unknown");
  if (data) first -= 1;
  const result = classify(layRows(cells.slice(first + 1), layout, columns), layout, []);
  result.warnings = tidyWarnings(result.warnings);
  return result;
}

// ---------------------------------------------------------------- meaning of the rows

type Group = { kind: string; label: string; row: number; text: string; used: boolean; title?: string };

/** An amendment's revised deadline that removes the task, or keeps the plan's. */
const REMOVED = /^(dua ra khoi|bai bo|khong thuc hien|loai khoi|huy bo|dung thuc hien)\b/;
const KEEP = /^(giu nguyen|khong thay doi|nhu ke hoach|-+)$/;

/** The deadline a row gives in its time-slot columns: each slot it marks ("x"), or what it writes there. */
function slotDeadline(layout: Layout, values: Laid["values"]): string {
  const marked: string[] = [];
  const written: string[] = [];
  for (const { col, label } of layout.slots) {
    const cell = values[col]?.text ?? "";
    if (/^[x✓✔•+]$/i.test(cell)) marked.push(label);
    else if (cell) written.push(cell);
  }
  // Marked slots read as one list ("Quý I, Quý II, Quý III, Quý IV": every quarter); written times apart.
  return [marked.join(", "), ...written].filter(Boolean).join("; ");
}

function classify(pieces: Piece[], layout: Layout, base: string[]): TableResult {
  const cols = layout.cols;
  const rows: RawTaskRow[] = [];
  const warnings: ReadWarning[] = [];
  const stack: Group[] = [];
  let sawGroup = false;
  let indicators = 0;
  /** The last task row with an STT (or without a `-`) in the current group: `-` sub-rows hang under it. */
  let parentTask: RawTaskRow | null = null;
  let area: string | null = null;
  /** The last plain number read in the STT column. */
  let lastNumber = 0;

  const isIndicatorTable = cols.indicator !== undefined && cols.content === undefined && cols.deadline === undefined;

  const closeGroups = (from: number) => {
    for (const g of stack.splice(from)) {
      if (!g.used) warnings.push({ row: g.row, text: g.text, message: "Mục trong bảng không có nhiệm vụ nào bên dưới." });
    }
  };
  const openGroup = (row: number, text: string, kind: string, label: string, title = label) => {
    const at = kind === "area" ? 0 : stack.findIndex((g) => g.kind === kind);
    closeGroups(at >= 0 ? at : stack.length);
    stack.push({ kind, label, row, text, used: false, title });
    sawGroup = true;
    parentTask = null;
  };
  const section = () => (sawGroup ? stack.map((g) => g.label) : [...base]);

  for (const piece of pieces) {
    if (piece.kind === "header") continue;
    if (piece.kind === "gap") {
      warnings.push({
        row: piece.cell.line,
        text: piece.cell.text,
        message: "Trang web đã ẩn một phần bảng ở đây: có thể thiếu nhiệm vụ, hãy đối chiếu với văn bản gốc.",
      });
      continue;
    }
    if (piece.kind === "junk") {
      if (piece.cells.length === 0) continue;
      const text = piece.cells.map((c) => c.text).join(" | ");
      warnings.push({
        row: piece.cells[0].line,
        text: text.length > 200 ? `${text.slice(0, 199)}…` : text,
        message: "Chữ trong bảng không thuộc dòng nhiệm vụ nào: bỏ qua.",
      });
      continue;
    }
    const { values, line } = piece.laid;
    const get = (f: Field): TextCell | undefined => {
      const at = cols[f];
      return at === undefined ? undefined : values[at];
    };
    const text = (f: Field) => get(f)?.text ?? "";
    const all = values.filter((v): v is TextCell => !!v && !!v.text);
    if (all.length === 0) continue;
    const shown = all.map((c) => c.text).join(" | ");
    const warn = (message: string) => warnings.push({ row: line, text: shown, message });

    if (isIndicatorTable) {
      if (text("indicator") && layout.groupScore(values.filter((v): v is TextCell => !!v)) === null) indicators++;
      continue;
    }

    // The area ("Lĩnh vực") cell, merged down over its rows: a new one is the outermost group.
    const areaText = text("area");
    if (areaText && areaText !== area) {
      area = areaText;
      openGroup(line, areaText, "area", areaText);
    }

    let stt = text("stt");
    let content = get("content") ?? get("indicator");
    const product = text("product");
    const lead = text("lead");
    const coordinating = text("coordinating");
    // An amendment's table: the revised deadline, unless it keeps the plan's ("Giữ nguyên", "-").
    const revised = text("revised");
    if (REMOVED.test(fold(revised))) {
      warn("Nhiệm vụ được đưa ra khỏi kế hoạch: không nạp.");
      continue;
    }
    const deadline = (revised && !KEEP.test(fold(revised)) ? revised : "") || text("deadline") || slotDeadline(layout, values);
    const others = [product, lead, coordinating, deadline].some(Boolean);
    if (!stt && content && cols.stt === undefined) {
      // No STT column: the number sits in the content cell.
      const numbered = contentHeading(content.text);
      if (numbered) {
        stt = numbered.marker.printed.replace(/\.$/, "");
        content = { ...content, text: numbered.title };
      }
    }
    // Numbers of more than three digits are read only as the next of a sequence (1 … 999, 1000 …):
    // alone, such a number is a year or a code, not a row's number.
    const marker = stt ? (parseMarker(stt) ?? sequel(stt, lastNumber)) : null;
    if (marker?.kind === "num1") lastNumber = Number.parseInt(marker.printed, 10);
    const sttIsDash = /^[-–—+•]$/.test(stt);

    if (all.every((c) => c === get("area"))) continue; // the area cell alone

    if (stt && !marker && !sttIsDash) {
      warn("Ô STT không phải số thứ tự (I, 1, 1.2, a…): không nhận ra dòng này.");
      continue;
    }
    if (!content?.text) {
      warn(
        !others && all.some((c) => c !== get("stt") && c !== get("area"))
          ? "Dòng chỉ có dữ liệu ở cột không đọc (Ghi chú…)."
          : "Dòng không có nội dung nhiệm vụ.",
      );
      continue;
    }

    const isSub = !marker && (sttIsDash || DASH.test(content.text));
    if (!others) {
      if (marker) {
        openGroup(line, shown, marker.kind, sectionLabel(marker.printed, content.text), content.text);
        continue;
      }
      if (!isSub) {
        const heading = stt ? null : parseHeading(content.text);
        if (heading) openGroup(line, shown, heading.marker.kind, sectionLabel(heading.marker.printed, heading.title), heading.title);
        else if (content.bold || isUpper(content.text)) openGroup(line, shown, "none", content.text);
        else warn("Dòng chỉ có nội dung, không có STT, cơ quan chủ trì hay thời gian: không rõ là mục hay nhiệm vụ.");
        continue;
      }
    }

    const task: RawTaskRow = { row: line, section: section(), content: content.text };
    if (marker) task.stt = marker.printed;
    if (product) task.product = product;
    if (lead) task.lead = lead;
    else if (cols.lead === undefined) {
      // No lead column: the group a task sits under may be named after who does it
      // ("I THANH TRA TỈNH", "VII CÁC SỞ, BAN, NGÀNH; UBND CÁC HUYỆN …").
      const named = [...stack].reverse().find((g) => g.title && AGENCY_HEAD.test(fold(g.title)));
      if (named) task.lead = named.title;
    }
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
  return isIndicatorTable ? { rows: [], warnings, indicators } : { rows, warnings };
}
