/**
 * Reader for plans written as prose rather than tables. Two layouts are recognised from the
 * document's structure (never from a province's name):
 *
 *  - labelled items: `a) <task>` (or `1.1.`, `-`) followed by label lines
 *    "- Cơ quan chủ trì thực hiện: …", "- Cơ quan phối hợp: …", "- Sản phẩm: …",
 *    "- Thời gian hoàn thành: …". One item → one row.
 *  - task parts: bullets under "a) Nhiệm vụ, giải pháp", then a responsibility part
 *    "b) Trách nhiệm thực hiện" whose labels ("- Đơn vị chủ trì: …") apply to every bullet of
 *    that part. A bullet may carry its own deadline ("+ Thời hạn: …", "(hoàn thành trong Quý II)").
 *
 * Pipeline: physical lines → paragraphs (joining hard-wrapped lines) → drop blocks the scrape
 * repeated → classify each paragraph (heading / item / leaf / label / sub-line / text) → a
 * small state machine that builds rows. Whatever might be a task but is not turned into a row
 * is reported in `warnings`.
 */
import { parseDeadline } from "../core/deadline.ts";
import { fold, shorten, squash } from "../core/text.ts";
import { readPlanMeta, stripMarkup } from "./meta.ts";
import { tidyWarnings } from "./table.ts";
import type { RawPlan, RawTaskRow, ReadWarning } from "./types.ts";

/** What a label line gives: a task field, or `detail` — the task's text ("- Nội dung: …", "a) Nhiệm vụ: …"). */
type Field = "lead" | "coordinating" | "product" | "deadline" | "detail";
type Fields = Partial<Record<Field, string>>;

/** A paragraph: one physical line, or several when the scrape hard-wrapped the text. */
type Para = { row: number; end: number; text: string };

type MarkerKind = "roman" | "number" | "letter" | "bullet" | "plus";
type Marker = { kind: MarkerKind; stt: string; level: number; text: string };

type Kind =
  /** A section heading: "II. NHIỆM VỤ …", "1. Cải cách thể chế", "1.1. …". */
  | "heading"
  /** "a) Nhiệm vụ, giải pháp" — opens a task part. */
  | "tasks"
  /** "b) Trách nhiệm thực hiện" — the task part's lead, partners, deadline follow. */
  | "resp"
  /** A marker line followed by its own label lines. */
  | "item"
  /** A marker line with no labels and no sub-items (a bullet, or a numbered paragraph). */
  | "leaf"
  /** "- Cơ quan chủ trì: …" */
  | "label"
  /** A "+" line that is not a label: continues the label or item above. */
  | "sub"
  /** A bullet between an item and its labels ("- Các nội dung … bao gồm:", "+ …"): the item's description. */
  | "desc"
  /** Anything else. */
  | "text";

type Line = Para & { kind: Kind; marker: Marker | null; field?: Field; value?: string; region: number };

const words = (s: string) => s.split(" ").length;

// ---------------------------------------------------------------------------------------------
// Lines and paragraphs

/** Markdown emphasis, HTML tags, the scrape's `|` cell ends; separator lines become empty. */
function cleanLine(line: string): string {
  const s = squash(stripMarkup(line.normalize("NFC")));
  return /^[-_=–—.\s]*$/.test(s) ? "" : s;
}

const ROMAN = /^([IVXL]+)[.)]\s*(\S.*)$/u;
const NUMBER = /^(\d{1,2}(?:\.\d{1,2})*)[.)]\s*(\S.*)$/u;
const NUMBER_NO_DOT = /^(\d{1,2}(?:\.\d{1,2})+)\s+(\S.*)$/u;
const LETTER = /^([a-zđ])\)\s*(\S.*)$/u;
const BULLET = /^[-–—•]\s*(?![-–—])(\S.*)$/u;
const PLUS = /^\+\s*(\S.*)$/u;

/** Nesting depth of each marker kind: I. < 1. < 1.1. < 1.1.1. < a) < - < +. */
function parseMarker(text: string): Marker | null {
  let m = ROMAN.exec(text);
  if (m) return { kind: "roman", stt: m[1], level: 1, text: m[2] };
  m = NUMBER.exec(text) ?? NUMBER_NO_DOT.exec(text);
  if (m) return { kind: "number", stt: m[1], level: 1 + m[1].split(".").length, text: m[2] };
  m = LETTER.exec(text);
  if (m) return { kind: "letter", stt: m[1], level: 6, text: m[2] };
  m = BULLET.exec(text);
  if (m) return { kind: "bullet", stt: "-", level: 7, text: m[1] };
  m = PLUS.exec(text);
  if (m) return { kind: "plus", stt: "+", level: 8, text: m[1] };
  return null;
}

/** Label names, folded, matched as prefixes of the text before the colon. */
const LABELS: [Field, string[]][] = [
  ["coordinating", ["co quan phoi hop", "don vi phoi hop", "co quan, don vi phoi hop", "phoi hop"]],
  [
    "lead",
    [
      "co quan chu tri",
      "don vi chu tri",
      "co quan, don vi chu tri",
      "don vi, co quan chu tri",
      "chu tri",
      "trach nhiem chu tri",
      "co quan thuc hien",
      "don vi thuc hien",
      "co quan tham muu",
      "don vi tham muu",
    ],
  ],
  ["product", ["san pham", "ket qua"]],
  ["deadline", ["thoi gian", "thoi han", "tien do", "han hoan thanh"]],
  ["detail", ["noi dung", "nhiem vu", "ten nhiem vu", "noi dung cong viec"]],
];

/** A deadline written as a sentence, without a colon: "Thời gian thực hiện sau khi …", "Thời hạn hoàn thành Quý II/2025". */
const DEADLINE_SENTENCE = /^(thoi gian (?:thuc hien|hoan thanh)|thoi han(?: hoan thanh)?|han hoan thanh)\s+(?!la\b)/;

/**
 * "Cơ quan chủ trì thực hiện: Sở Tư pháp." → lead, "Sở Tư pháp". The name before the colon
 * is short and starts with a known label; a clause after it ("Thời gian qua, tỉnh đã …:")
 * makes it a sentence, not a label.
 */
function parseLabel(text: string): { field: Field; value: string } | null {
  const colon = text.indexOf(":");
  if (colon < 0) {
    const sentence = DEADLINE_SENTENCE.exec(fold(text));
    if (!sentence) return null;
    const value = squash(text.slice(sentence[0].length)).replace(/\s*[.;,]$/, "");
    return parseDeadline(value, { planYear: 2000 }).deadline.kind === "unknown" ? null : { field: "deadline", value };
  }
  const name = fold(text.slice(0, colon));
  if (words(name) > 8) return null;
  for (const [field, prefixes] of LABELS) {
    const prefix = prefixes.find((p) => name === p || name.startsWith(p + " ") || name.startsWith(p + ","));
    if (prefix === undefined) continue;
    const rest = name.slice(prefix.length);
    if (rest.includes(",") && words(rest.trim()) > 3) return null;
    return { field, value: squash(text.slice(colon + 1)).replace(/\s*[.;,]$/, "") };
  }
  return null;
}

function labelOf(text: string): { field: Field; value: string } | null {
  const marker = parseMarker(text);
  if (marker && (marker.kind === "bullet" || marker.kind === "plus")) return parseLabel(marker.text);
  // "a) Nhiệm vụ: …", "b) Cơ quan thực hiện:", "c) Thời gian thực hiện: …" — a lettered label.
  if (marker && marker.kind === "letter" && marker.text.includes(":")) return parseLabel(marker.text);
  // Without a dash, only a line starting in capitals ("Cơ quan chủ trì: …") can be a label.
  return marker || !/^\p{Lu}/u.test(text) ? null : parseLabel(text);
}

/**
 * A scrape that kept the printed line breaks shows many lines continuing in lower case.
 * Such text is re-joined into paragraphs: a line that starts no marker and no label continues
 * the paragraph above.
 */
function isHardWrapped(lines: string[]): boolean {
  const filled = lines.filter((l) => l !== "");
  let continued = 0;
  for (let i = 1; i < filled.length; i++) {
    if (/^\p{Ll}/u.test(filled[i]) && !parseMarker(filled[i])) continued++;
  }
  return filled.length > 0 && continued / filled.length >= 0.05;
}

function paragraphs(text: string): Para[] {
  const lines = text.split(/\r?\n/).map(cleanLine);
  // A marker alone on its line ("**6**." then the title below) belongs to the next line.
  for (let i = 0; i < lines.length; i++) {
    if (!/^([IVXL]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]$/u.test(lines[i])) continue;
    let j = i + 1;
    while (j < lines.length && lines[j] === "" && j - i <= 2) j++;
    if (j < lines.length && lines[j] !== "" && !parseMarker(lines[j])) {
      lines[i] = `${lines[i]} ${lines[j]}`;
      lines[j] = "";
    }
  }
  const wrapped = isHardWrapped(lines);
  const paras: Para[] = [];
  let cur: Para | null = null;
  lines.forEach((line, i) => {
    if (line === "") {
      cur = null;
      return;
    }
    if (cur && wrapped && !parseMarker(line) && !labelOf(line)) {
      cur.text += " " + line;
      cur.end = i + 1;
      return;
    }
    cur = { row: i + 1, end: i + 1, text: line };
    paras.push(cur);
  });
  return paras;
}

// ---------------------------------------------------------------------------------------------
// Repeated blocks

type Repeat = { from: number; to: number; sameAs: [number, number]; text: string };

/**
 * Scrapes sometimes repeat a whole block (the opening of the page twice). A run of paragraphs
 * identical (folded) to an earlier run is a repeat when it is substantial: at least two long
 * paragraphs that are not label lines, or 600+ characters. Short runs — "b) Trách nhiệm thực
 * hiện / - Đơn vị chủ trì: Sở Nội vụ." appearing under two sections — are legitimate.
 */
function findRepeats(paras: Para[]): { keep: Para[]; repeats: Repeat[] } {
  const keys = paras.map((p) => fold(p.text));
  const seen = new Map<string, number[]>();
  const keep: Para[] = [];
  const repeats: Repeat[] = [];
  let i = 0;
  while (i < paras.length) {
    let best = { j: -1, len: 0 };
    for (const j of seen.get(keys[i]) ?? []) {
      let len = 0;
      while (i + len < paras.length && j + len < i && keys[j + len] === keys[i + len]) len++;
      if (len > best.len) best = { j, len };
    }
    const run = paras.slice(i, i + best.len);
    const long = run.filter((p) => p.text.length >= 80 && !labelOf(p.text)).length;
    const chars = run.reduce((n, p) => n + p.text.length, 0);
    if (best.len > 0 && (long >= 2 || chars >= 600)) {
      repeats.push({
        from: paras[i].row,
        to: paras[i + best.len - 1].end,
        sameAs: [paras[best.j].row, paras[best.j + best.len - 1].end],
        text: paras[i].text,
      });
      i += best.len;
      continue;
    }
    (seen.get(keys[i]) ?? seen.set(keys[i], []).get(keys[i])!).push(i);
    keep.push(paras[i]);
    i++;
  }
  return { keep, repeats };
}

// ---------------------------------------------------------------------------------------------
// Classification

/** "b) Trách nhiệm thực hiện", "2. Phân công thực hiện" */
function isRespHeading(m: Marker): boolean {
  return (m.kind === "number" || m.kind === "letter") && words(m.text) <= 8 && /^(trach nhiem|phan cong)\b/.test(fold(m.text));
}

/** "a) Nhiệm vụ, giải pháp", "1. Giải pháp thực hiện" */
function isTaskPartHeading(m: Marker): boolean {
  return (m.kind === "number" || m.kind === "letter") && words(m.text) <= 8 && /^(nhiem vu|giai phap)\b/.test(fold(m.text));
}

/** A numbered line that reads as a sentence (long, ends in punctuation) is a paragraph, not a heading. */
function isParagraph(text: string): boolean {
  const n = words(text);
  return n > 40 || (n > 12 && /[.;:]$/.test(text));
}

function classify(paras: Para[]): Line[] {
  /** Paragraphs that describe an item before its labels. */
  const describes = new Set<number>();
  const base = paras.map((p) => {
    const marker = parseMarker(p.text);
    const label = labelOf(p.text);
    return { ...p, marker, label };
  });
  const lines: Line[] = base.map((p, i) => {
    const { marker, label } = p;
    const line = { row: p.row, end: p.end, text: p.text, marker, region: 0 };
    if (label) return { ...line, kind: "label", field: label.field, value: label.value };
    if (!marker) return { ...line, kind: "text" };
    if (marker.kind === "roman") return { ...line, kind: "heading" };
    if (isRespHeading(marker)) return { ...line, kind: "resp" };
    // The next paragraph that is not plain text (text right below a heading or an item
    // continues it: a description paragraph, in documents that were not hard-wrapped).
    let n = i + 1;
    while (base[n] && !base[n].marker && !base[n].label) n++;
    const next = base[n];
    // Labels right below: this is the item they describe (a bullet's own labels sit deeper).
    if (next?.label && (marker.kind === "number" || marker.kind === "letter" || (next.marker?.level ?? 0) > marker.level)) {
      return { ...line, kind: "item" };
    }
    if (isTaskPartHeading(marker)) return { ...line, kind: "tasks" };
    // A numbered or lettered item whose labels come after a description in bullets
    // ("5. Tổ chức … / - Các nội dung … bao gồm: / + … / - Cơ quan thực hiện: …").
    if (marker.kind === "number" || marker.kind === "letter") {
      let k = n;
      while (base[k] && !base[k].label && (!base[k].marker || base[k].marker!.kind === "bullet" || base[k].marker!.kind === "plus")) k++;
      if (k > n && base[k]?.label && (base[k].marker?.kind === "bullet" || !base[k].marker)) {
        for (let d = n; d < k; d++) describes.add(d);
        return { ...line, kind: "item" };
      }
    }
    if (marker.kind === "plus") return { ...line, kind: "sub" };
    if (marker.kind === "bullet" || isParagraph(marker.text)) return { ...line, kind: "leaf" };
    // A numbered/lettered line with body text or deeper markers below is a heading.
    const bodyBelow = n > i + 1;
    const deeperBelow = next?.marker ? next.marker.level > marker.level : false;
    return { ...line, kind: bodyBelow || deeperBelow ? "heading" : "leaf" };
  });
  for (const d of describes) if (lines[d].kind !== "label") lines[d] = { ...lines[d], kind: "desc" };
  // A label whose value is on the bullets below it ("c) Thời gian thực hiện:" / "– Báo cáo 6
  // tháng: trước ngày 15/6/2023;" / "– Báo cáo năm: …"): those bullets continue the label.
  for (let i = 0, open = false; i < lines.length; i++) {
    const l = lines[i];
    if (l.kind === "label") open = l.value === "";
    else if (open && l.marker && (l.marker.kind === "bullet" || l.marker.kind === "plus")) lines[i] = { ...l, kind: "sub" };
    else open = false;
  }
  // Regions: the spans between top-level headings (the shallowest heading level used).
  const top = Math.min(...lines.filter((l) => l.kind === "heading").map((l) => l.marker!.level));
  let region = 0;
  for (const l of lines) {
    if (l.kind === "heading" && l.marker!.level === top) region++;
    l.region = region;
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// The state machine

type Heading = { level: number; text: string };

type Pending = {
  row: number;
  region: number;
  stt?: string;
  level: number;
  section: string[];
  content: string[];
  fields: Fields;
};

/** Bullets (or numbered paragraphs) of one task part, waiting for the part's responsibility. */
type Group = {
  row: number;
  level: number;
  /** Opened by a "Nhiệm vụ, giải pháp" heading (else a run of loose bullets). */
  explicit: boolean;
  section: string[];
  items: Pending[];
  fields: Fields;
};

/** Headings whose bullets are aims, not tasks: skipped without a warning. */
const NOT_TASKS = /^(muc dich|yeu cau|muc tieu|quan diem|can cu|noi nhan|ket qua dat duoc|tinh hinh)/;

/** A trailing "(… Quý II năm 2025)" or "Thời hạn: …" inside a bullet. */
function splitDeadline(content: string): { content: string; deadline?: string } {
  const labelled = /^(.*?)[\s.;,(–-]+(?:thời gian|thời hạn)(?: hoàn thành| thực hiện)?\s*:\s*([^()]+?)\)?\.?$/iu.exec(content);
  if (labelled) return { content: labelled[1], deadline: labelled[2] };
  const paren = /^(.*?)\s*\(([^()]+)\)\.?$/u.exec(content);
  if (paren && /^(hoan thanh|truoc|trong|cham nhat|quy|thang|nam \d|thuong xuyen|hang (nam|quy|thang)|dinh ky)/.test(fold(paren[2]))) {
    return { content: paren[1], deadline: paren[2] };
  }
  return { content };
}

/** Words a paragraph's last clause starts with when it is the paragraph's deadline. */
const DEADLINE_CLAUSE =
  /^(?:hoan thanh|thuc hien|thoi gian|thoi han|han chot|truoc ngay|cham nhat|dinh ky|thuong xuyen|hang (?:nam|quy|thang)|trong (?:nam|quy|thang))\b/;
/** A date with a deadline word before it, anywhere in the last clause: "… gửi về Sở Nội vụ chậm nhất ngày 15/5/2025". */
const DATED =
  /(?:^|[\s,(])((?:hoàn thành\s+)?(?:trước|chậm nhất(?:\s+là)?(?:\s+vào)?|hạn chót|thời hạn|hoàn thành\s+(?:trong|vào))\s+(?:ngày|tháng|quý|quí|năm)\s+[^;]*?)[.)]*$/iu;

/**
 * The deadline a numbered paragraph ends with, written as a sentence — the clause after its
 * last ";" ("…; hoàn thành trước ngày 20/9/2023.", "…; thời gian thực hiện: Quý IV/2023.",
 * "…; thực hiện thường xuyên.") or a dated deadline word in it ("… gửi kế hoạch về UBND tỉnh
 * chậm nhất ngày 15/5/2025.") — when the parser reads it. `subject` is the text before it,
 * where the agencies that do the work are named.
 */
function trailingDeadline(text: string): { deadline: string; subject: string } | null {
  const cut = text.lastIndexOf(";");
  const last = text
    .slice(cut + 1)
    .trim()
    .replace(/[.]+$/, "");
  const subject = cut > 0 ? text.slice(0, cut) : text;
  const read = (phrase: string) => (phrase.length <= 120 ? parseDeadline(phrase, { planYear: 2000 }).deadline : null);
  if (cut > 0 && DEADLINE_CLAUSE.test(fold(last))) {
    const phrase = last
      .replace(/^(?:thời gian(?: thực hiện| hoàn thành)?|thời hạn(?: hoàn thành)?)\s*:\s*/iu, "")
      .replace(/^thời gian thực hiện\s+(?=theo\s)/iu, "");
    if ((read(phrase)?.kind ?? "unknown") !== "unknown") return { deadline: phrase, subject };
  }
  const m = DATED.exec(last);
  if (!m) return null;
  const deadline = squash(m[1]);
  if (!read(deadline)?.milestones.length) return null;
  return { deadline, subject: cut > 0 ? subject : text.split(/\.\s/)[0] };
}

class ProseReader {
  rows: RawTaskRow[] = [];
  warnings: ReadWarning[] = [];
  private stack: Heading[] = [];
  private mode: "body" | "tasks" | "resp" = "body";
  /** The open labelled item (or the last bullet, for "+" lines). */
  private item: Pending | null = null;
  private structured = false;
  private group: Group | null = null;
  /** Where a "+" line after a label goes. */
  private target: { fields: Fields; field: Field } | null = null;

  constructor(private readonly structuredRegions: Set<number>) {}

  read(lines: Line[]): void {
    for (const line of lines) this.step(line);
    this.endItem();
    this.closeGroup();
    this.rows.sort((a, b) => a.row - b.row);
  }

  private step(l: Line): void {
    switch (l.kind) {
      case "heading":
        this.endItem();
        this.closeGroup();
        this.push(l.marker!.level, l.text);
        this.mode = "body";
        return;
      case "tasks":
        this.endItem();
        if (this.group) this.lostHeading(l);
        this.closeGroup();
        this.pop(l.marker!.level);
        this.group = { row: l.row, level: 0, explicit: true, section: this.section(), items: [], fields: {} };
        this.mode = "tasks";
        return;
      case "resp":
        this.endItem();
        this.pop(l.marker!.level);
        if (!this.group) {
          this.warn(l, "Phần trách nhiệm thực hiện không đi sau danh sách nhiệm vụ nào");
          this.group = { row: l.row, level: 0, explicit: false, section: this.section(), items: [], fields: {} };
        }
        this.mode = "resp";
        return;
      case "item":
        this.onItem(l);
        return;
      case "leaf":
        this.onLeaf(l);
        return;
      case "label":
        this.onLabel(l);
        return;
      case "sub":
        if (this.target) this.append(this.target.fields, this.target.field, l.marker!.stt + " " + l.marker!.text);
        else if (this.item) this.item.content.push(l.marker!.stt + " " + l.marker!.text);
        else if (this.mode !== "body") this.warn(l, "Dòng “+” không thuộc nhiệm vụ nào");
        return;
      case "text":
        this.onText(l);
        return;
      case "desc":
        if (this.item) this.item.content.push(l.marker ? `${l.marker.stt} ${l.marker.text}` : l.text);
        return;
    }
  }

  private onText(l: Line): void {
    const t = this.target;
    if (t && t.fields[t.field] === "") {
      // "- Sản phẩm:" with its value in the paragraph(s) below.
      this.append(t.fields, t.field, l.text);
    } else if (this.item && this.structured && !t) {
      this.item.content.push(l.text); // the item's description goes on
    } else if (this.mode === "resp") {
      this.warn(l, "Đoạn văn trong phần trách nhiệm thực hiện không phải nhãn — bỏ qua");
    } else if (this.item && this.structured) {
      this.warn(l, "Đoạn văn sau các nhãn của mục — bỏ qua");
    } else if (this.mode === "tasks" && this.group?.explicit) {
      this.warn(l, "Đoạn văn trong phần nhiệm vụ không phải là một mục — bỏ qua");
    }
  }

  private onItem(l: Line): void {
    const m = l.marker!;
    if (m.kind === "bullet" || m.kind === "plus") {
      if (this.mode === "tasks" || this.mode === "body") {
        // A bullet with its own labels below it, inside (or starting) a list of bullets.
        this.endItem();
        this.addToGroup(l);
        return;
      }
    }
    this.endItem();
    this.closeGroup();
    this.pop(m.level);
    this.mode = "body";
    this.item = this.pending(l);
    this.structured = true;
  }

  private onLeaf(l: Line): void {
    const m = l.marker!;
    this.endItem();
    this.pop(m.level);
    if (this.mode === "resp") {
      this.warn(l, "Dòng trong phần trách nhiệm thực hiện không phải nhãn (chủ trì/phối hợp/thời gian) — bỏ qua");
      return;
    }
    if (this.group && this.group.level !== 0 && this.group.level !== m.level) this.closeGroup();
    this.addToGroup(l);
  }

  private addToGroup(l: Line): void {
    if (!this.group) {
      this.group = { row: l.row, level: 0, explicit: false, section: this.section(), items: [], fields: {} };
    }
    if (this.group.level === 0) this.group.level = l.marker!.level;
    if (this.mode === "body") this.mode = "tasks";
    const item = this.pending(l);
    this.group.items.push(item);
    this.item = item;
    this.structured = false;
  }

  private onLabel(l: Line): void {
    const field = l.field!;
    const value = l.value!;
    if (field === "detail") {
      // The task's own text: after the item's heading, or the item itself when it has none.
      if (this.item && this.structured) {
        if (value) this.item.content.push(value);
        this.target = null;
      } else {
        this.endItem();
        this.closeGroup();
        this.item = { row: l.row, region: l.region, level: l.marker?.level ?? 0, section: this.section(), content: [value], fields: {} };
        this.structured = true;
        this.target = value ? null : { fields: this.item.fields, field: "detail" };
      }
      return;
    }
    // A label with no dash counts as shallow: it belongs to the item or the part, not a bullet.
    const level = l.marker?.level ?? 0;
    if (this.mode === "resp" && this.group) {
      this.setLabel(this.group.fields, field, value);
    } else if (this.item && (this.structured || level > this.item.level)) {
      this.setLabel(this.item.fields, field, value);
    } else if (this.group) {
      // Labels level with the bullets: the part's responsibility, its heading lost.
      this.item = null;
      this.mode = "resp";
      this.setLabel(this.group.fields, field, value);
    } else {
      this.warn(l, "Nhãn không thuộc nhiệm vụ nào — bỏ qua");
    }
  }

  private setLabel(fields: Fields, field: Field, value: string): void {
    // The same label twice (two "Cơ quan chủ trì" lines): keep both, as a list.
    if (fields[field] && squash(value)) fields[field] += ";";
    this.append(fields, field, value);
    this.target = { fields, field };
  }

  private append(fields: Fields, field: Field, value: string): void {
    const v = squash(value);
    if (!v) {
      fields[field] ??= "";
      return;
    }
    fields[field] = fields[field] ? `${fields[field]} ${v}` : v;
  }

  private pending(l: Line): Pending {
    const m = l.marker!;
    const stt = m.kind === "bullet" || m.kind === "plus" ? undefined : m.stt;
    return { row: l.row, region: l.region, stt, level: m.level, section: this.section(), content: [m.text], fields: {} };
  }

  private endItem(): void {
    this.target = null;
    if (this.item && this.structured) this.emit(this.item, {});
    this.item = null;
    this.structured = false;
  }

  private closeGroup(): void {
    const g = this.group;
    this.group = null;
    this.target = null;
    this.mode = "body";
    if (!g) return;
    const taskish =
      g.explicit ||
      Object.keys(g.fields).length > 0 ||
      g.items.some((i) => Object.keys(i.fields).length > 0 || this.structuredRegions.has(i.region));
    if (taskish) {
      for (const item of g.items) this.emit(item, g.fields);
      return;
    }
    const aims = g.section.some((h) => NOT_TASKS.test(fold(h).replace(/^[\divxl.)\s]+/, "")));
    const rest: Pending[] = [];
    for (const item of g.items) {
      // A numbered instruction that ends with its own deadline ("…; gửi kế hoạch về UBND tỉnh
      // chậm nhất ngày 15/5/2025") is a task; who does it is named in the sentence.
      const text = squash(item.content.join(" "));
      const dated = item.stt && !aims ? trailingDeadline(text) : null;
      if (dated) {
        const row: RawTaskRow = {
          row: item.row,
          section: item.section,
          stt: item.stt,
          content: text,
          deadline: dated.deadline,
          leadHint: dated.subject,
        };
        this.rows.push(row);
      } else rest.push(item);
    }
    if (g.section.length === 0 || aims) return;
    for (const item of rest) {
      this.warnings.push({
        row: item.row,
        text: shorten(item.content.join(" "), 200),
        message: "Mục không thuộc phần nhiệm vụ và không có đơn vị chủ trì — không nhập, cần xem lại",
      });
    }
  }

  private emit(item: Pending, shared: Fields): void {
    let content = squash(item.content.join(" "));
    const own: Fields = { ...item.fields };
    if (own.deadline === undefined && !item.stt) {
      const split = splitDeadline(content);
      if (split.deadline) {
        content = squash(split.content);
        own.deadline = squash(split.deadline);
      }
    }
    const row: RawTaskRow = { row: item.row, section: item.section, content };
    if (item.stt) row.stt = item.stt;
    for (const field of ["product", "lead", "coordinating", "deadline"] as const) {
      const v = own[field] || shared[field];
      if (v) row[field] = v;
    }
    this.rows.push(row);
  }

  /** A second task part under the same heading: the scrape lost the heading in between. */
  private lostHeading(l: Line): void {
    let at = this.stack.length - 1;
    while (at >= 0 && this.stack[at].level >= l.marker!.level) at--;
    const last = this.stack[at];
    const num = last && /^(\d{1,2}(?:\.\d{1,2})*)\./.exec(last.text);
    let guess = "";
    if (last && num) {
      const parts = num[1].split(".").map(Number);
      parts[parts.length - 1]++;
      guess = parts.join(".");
      this.stack.splice(at, this.stack.length - at, { level: last.level, text: `${guess}. (mất tiêu đề)` });
    } else {
      this.stack.push({ level: l.marker!.level - 1, text: "(mất tiêu đề)" });
    }
    this.warn(
      l,
      guess
        ? `Tiêu đề mục phía trên phần này bị mất trong bản lấy về; tạm xếp vào mục ${guess}`
        : "Tiêu đề mục phía trên phần này bị mất trong bản lấy về",
    );
  }

  private push(level: number, text: string): void {
    this.pop(level);
    this.stack.push({ level, text });
  }

  private pop(level: number): void {
    while (this.stack.length && this.stack[this.stack.length - 1].level >= level) this.stack.pop();
  }

  private section(): string[] {
    return this.stack.map((h) => h.text);
  }

  private warn(l: Line, message: string): void {
    this.warnings.push({ row: l.row, text: shorten(l.text, 200), message });
  }
}

/**
 * Read a prose plan. Null when the text has no labelled task structure (no "… chủ trì: …"
 * label line) and fewer than three numbered instructions that end with their own deadline —
 * table plans and narrative-only documents.
 */
export function readProse(text: string): RawPlan | null {
  const { keep, repeats } = findRepeats(paragraphs(text));
  const lines = classify(keep);
  const labelled = lines.some((l) => l.kind === "label" && l.field === "lead");

  const structuredRegions = new Set(
    lines.filter((l) => l.kind === "item" && l.marker!.kind !== "bullet" && l.marker!.kind !== "plus").map((l) => l.region),
  );
  const reader = new ProseReader(structuredRegions);
  reader.read(lines);
  // Without any "… chủ trì:" label, only a list of instructions that end with their own
  // deadline makes a plan (a single dated sentence in a narrative is not a task list).
  if (!labelled && reader.rows.length < 3) return null;
  const warnings: ReadWarning[] = repeats.map((r) => ({
    row: r.from,
    text: shorten(r.text, 120),
    message: `Dòng ${r.from}–${r.to} lặp lại nguyên văn dòng ${r.sameAs[0]}–${r.sameAs[1]} (bản lấy về bị trùng) — bỏ qua`,
  }));
  warnings.push(...reader.warnings);
  return { meta: readPlanMeta(text), rows: reader.rows, warnings: tidyWarnings(warnings) };
}
