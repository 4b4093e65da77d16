/**
 * Plan metadata from the document's own header: "Số: …", the letterhead
 * "ỦY BAN NHÂN DÂN TỈNH …", the place-and-date line ", ngày … tháng … năm …" and the title
 * block ("KẾ HOẠCH" / "QUYẾT ĐỊNH" followed by its subject lines).
 *
 * Scraped copies lose parts of the header, so every field has fallbacks found in the same
 * document: a scraper's metadata table ("Số hiệu | …", "Cơ quan ban hành | …",
 * "Ngày ban hành | …"), or an appendix caption "(Kèm theo Kế hoạch số … ngày … của …)".
 */
import { fold, isoDay, squash } from "../core/text.ts";
import type { PlanMeta } from "./types.ts";

/** How many lines from the top the letterhead, number and date may sit in. */
const HEADER_LINES = 45;

/** A document number as printed: `189/KH-UBND`, `2108/QĐ-UBND`, `7018 /KH-UBND`, `12/2021/QĐ-UBND`. */
const NUMBER = String.raw`(\d+[a-z]?(?:\s*\/\s*[\p{L}\d]+(?:\s*[-–]\s*[\p{L}\d]+)*)+)`;

export function readPlanMeta(text: string): PlanMeta {
  const original = text.normalize("NFC").split(/\r?\n/);
  // Lines are cleaned of markup only when read: most of a long plan never is.
  const cleaned: (string | undefined)[] = [];
  const lines: Lines = { count: original.length, original, clean: (i) => (cleaned[i] ??= cleanLine(original[i])) };
  const header = squash(original.slice(0, HEADER_LINES).map(cleanLine).join(" "));
  let wholeText: string | undefined;
  const whole = () => (wholeText ??= squash(original.map(cleanLine).join(" ")));
  const title = readTitle(lines);
  const signed = readSigned(header, whole);
  return {
    number: readNumber(header, whole),
    issuer: readIssuer(header, whole, original.slice(0, HEADER_LINES)),
    signed,
    title,
    ...titleYears(title, signed),
  };
}

/**
 * A scraped line without Markdown emphasis (`**bold**`, `*italic*`, `__`), heading marks,
 * HTML tags and `|` cell separators; a Markdown `* ` bullet becomes `- `.
 */
export function stripMarkup(line: string): string {
  return line
    .replace(/<[^>]+>/g, " ")
    .replace(/^(\s*)\*\s+(?=\S)(?!.*\*\s*$)/, "$1- ")
    .replace(/\*+|__/g, "")
    .replace(/^\s*#+(\s+|$)/, "")
    .replace(/\|/g, " ");
}

function cleanLine(line: string): string {
  return stripMarkup(line).replace(/\s+$/, "");
}

function normNumber(raw: string): string {
  return raw.replace(/\s+/g, "").replace(/–/g, "-");
}

/** `whole`: the document's text without markup on one line, computed only when the header lacks the field. */
function readNumber(header: string, whole: () => string): string | null {
  const own = new RegExp(String.raw`(?:^|\s)Số(?: hiệu)?\s*:?\s*${NUMBER}`, "u").exec(header);
  if (own) return normNumber(own[1]);
  const attached = new RegExp(String.raw`[Kk]èm theo (?:Kế hoạch|Quyết định) số\s*${NUMBER}`, "u").exec(whole());
  return attached ? normNumber(attached[1]) : null;
}

/** "KIÊN GIANG" / "Kiên Giang" → "Kiên Giang". */
function titleCase(name: string): string {
  return name
    .toLocaleLowerCase("vi")
    .split(" ")
    .map((w) => w.charAt(0).toLocaleUpperCase("vi") + w.slice(1))
    .join(" ");
}

const LEVEL: Record<string, string> = { tinh: "tỉnh", "thanh pho": "thành phố" };

function issuerFrom(level: string, name: string): string | null {
  // The letterhead's province name, up to what follows it on the page (the motto, an
  // appendix caption, the document's name) and at most four words ("Bà Rịa - Vũng Tàu").
  const cut = name
    .replace(/\s+(CỘNG HÒA|CỘNG HOÀ|Cộng hòa|PHỤ LỤC|KẾ HOẠCH|QUYẾT ĐỊNH|DANH MỤC|SỐ|TM)\b.*$/u, "")
    .trim()
    .split(" ")
    .slice(0, 4)
    .join(" ")
    .replace(/\s*-$/, "");
  if (!cut) return null;
  return `UBND ${LEVEL[fold(level)] ?? level.toLocaleLowerCase("vi")} ${titleCase(cut)}`;
}

function readIssuer(header: string, whole: () => string, headLines: string[]): string | null {
  // Letterhead: "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG -------".
  const head = /(?:ỦY|UỶ) BAN NHÂN DÂN (TỈNH|THÀNH PHỐ) ((?:\p{Lu}+(?!\p{L}) ?)+)/u.exec(header);
  if (head) {
    const issuer = issuerFrom(head[1], head[2]);
    if (issuer) return issuer;
  }
  // Scraper's metadata table: "Cơ quan ban hành | Tỉnh Cà Mau |".
  const name = String.raw`(\p{Lu}\p{Ll}*(?: \p{Lu}\p{Ll}*)*)`;
  const cell = new RegExp(
    String.raw`^\s*Cơ quan ban hành\s*[|:]\s*(?:Ủy ban nhân dân |UBND )?(tỉnh|Tỉnh|thành phố|Thành phố) ${name}\s*(?:\||$)`,
    "u",
  );
  for (const line of headLines) {
    const table = cell.exec(squash(line));
    if (table) return issuerFrom(table[1], table[2]);
  }
  // Appendix caption: "(Kèm theo Kế hoạch số … của Ủy ban nhân dân tỉnh Bến Tre)".
  const caption = new RegExp(
    `[Kk]èm theo (?:Kế hoạch|Quyết định) số[^()]*? của (?:Chủ tịch )?(?:Ủy ban nhân dân|UBND) (tỉnh|thành phố) ${name}`,
    "u",
  ).exec(whole());
  if (caption) return issuerFrom(caption[1], caption[2]);
  return null;
}

function isoDate(d: string, m: string, y: string): string | null {
  return isoDay(Number(y), Number(m), Number(d));
}

/** A date in words or digits: "09/01/2025", "9-1-2025", "09 tháng 01 năm 2025" (day, month, year captured). */
const DAY = String.raw`(\d{1,2})(?:\s+tháng\s+|\s*[/.-]\s*)(\d{1,2})(?:\s+năm\s+|\s*[/.-]\s*)(\d{4})`;

function readSigned(header: string, whole: () => string): string | null {
  // "Kiên Giang, ngày 30 tháng 12 năm 2020" — a place, a comma, then the date in words.
  const place = /\p{L}\s*,\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/u.exec(header);
  if (place) return isoDate(place[1], place[2], place[3]);
  // The number and its date in one line or cell: "Số: 55/KH-UBND ngày 09/01/2025".
  const numbered = new RegExp(String.raw`(?:^|\s)Số(?: hiệu)?\s*:?\s*${NUMBER}\s*,?\s*(?:ký\s+)?ngày\s+${DAY}`, "u").exec(header);
  if (numbered) return isoDate(numbered[2], numbered[3], numbered[4]);
  const table = /Ngày ban hành\s*:?\s*(\d{1,2})\/(\d{1,2})\/(\d{4})/u.exec(header);
  if (table) return isoDate(table[1], table[2], table[3]);
  const caption = /[Kk]èm theo (?:Kế hoạch|Quyết định) số[^()]*? ngày\s+(\d{1,2})(?:\s+tháng\s+|\/)(\d{1,2})(?:\s+năm\s+|\/)(\d{4})/u.exec(
    whole(),
  );
  if (caption) return isoDate(caption[1], caption[2], caption[3]);
  return null;
}

/** A line in capitals (title subject) — letters all upper case, at least one letter. */
function isUpperLine(line: string): boolean {
  return /\p{L}/u.test(line) && !/\p{Ll}/u.test(line);
}

type TitleBlock = { kind: "plan" | "decision"; text: string };

/** A document's lines, and each without markup (cleaned when first asked for). */
type Lines = { count: number; original: string[]; clean(i: number): string };

/**
 * Title blocks: a line reading "KẾ HOẠCH" or "QUYẾT ĐỊNH" (any case) followed by its subject
 * lines — capitals or bold, or one line in sentence case ("Kế hoạch / Cải cách hành chính
 * năm 2021") — stopping at the signing authority line ("CHỦ TỊCH ỦY BAN NHÂN DÂN …"), a
 * caption "(Ban hành kèm theo …)" or body text; or a title on one line in capitals
 * ("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022").
 */
function titleBlocks(lines: Lines): TitleBlock[] {
  const bold = (j: number) => /^\s*(\*\*|<b>).*(\*\*|<\/b>)\s*$/.test(lines.original[j]);
  const blocks: TitleBlock[] = [];
  for (let i = 0; i < lines.count; i++) {
    // A title's first word, after markup ("**", "#", "<b>", "|"): a cheap look before cleaning.
    if (!/^[\s*#_|]*(?:<[^>]*>\s*)*[KkQq]/.test(lines.original[i]) || lines.original[i].length > 400) continue;
    const first = squash(lines.clean(i));
    if (!/^[KkQq]/.test(first)) continue;
    const key = fold(first);
    const kind = key === "ke hoach" ? "plan" : key === "quyet dinh" ? "decision" : null;
    if (!kind) {
      // One line in capitals: "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022".
      if (/^(ke hoach|quyet dinh) \S/.test(key) && isUpperLine(first) && first.length <= 250) {
        blocks.push({ kind: key.startsWith("ke hoach") ? "plan" : "decision", text: first });
      }
      continue;
    }
    const parts = [first.toLocaleUpperCase("vi")];
    for (let j = i + 1; j < lines.count && j <= i + 6; j++) {
      const line = squash(lines.clean(j));
      if (!line) {
        if (parts.length > 1) break;
        continue;
      }
      const lineKey = fold(line);
      if (/^(chu tich|uy ban nhan dan|ubnd|phu luc)\b/.test(lineKey) || line.startsWith("(")) break;
      if (!/\p{L}{2,}/u.test(line)) break; // "1.2.", a rule: not a subject
      const capitals = !/\p{Ll}/u.test(line);
      if (capitals || bold(j)) {
        parts.push(line);
        continue;
      }
      // One subject in sentence case (its line may wrap), then the block ends.
      if (parts.length === 1) {
        const subject = sentenceSubject(lines, j);
        if (subject) parts.push(subject);
      }
      break;
    }
    if (parts.length > 1) blocks.push({ kind, text: parts.join(" ") });
  }
  return blocks;
}

/** Words the body's first sentence starts with; a title's subject may too ("Thực hiện công tác …", "Triển khai …"). */
const BODY_START = /^(thuc hien|trien khai|de|nham|theo)\b/;

/**
 * The subject of a title block written in sentence case, from line `j`: the line, and the
 * lines that carry it on (starting in lower case: "Cải cách hành chính nhà nước" / "năm
 * 2026"); null when it is the body. A legal basis ("Căn cứ …") is never a subject. One that
 * starts like a body sentence ("Thực hiện công tác cải cách hành chính năm 2025") is a
 * subject only when it stands alone — it ends at its line(s), has no ";" and no closing
 * punctuation — while the body's sentence ("Thực hiện Quyết định số 411/QĐ-TTg … phê" /
 * "duyệt …, UBND tỉnh ban hành Kế hoạch …:") runs on.
 */
function sentenceSubject(lines: Lines, j: number): string | null {
  const first = squash(lines.clean(j));
  const key = fold(first);
  if (first.length > 160 || /[.;:]$/.test(first) || /^can cu\b/.test(key)) return null;
  const taken = [first];
  let k = j + 1;
  for (; k < lines.count && k <= j + 2; k++) {
    const next = squash(lines.clean(k));
    if (!/^\p{Ll}/u.test(next)) break;
    taken.push(next);
  }
  const runsOn = k < lines.count && /^\p{Ll}/u.test(squash(lines.clean(k)));
  const text = taken.join(" ");
  const whole = !runsOn && text.length <= 200 && !/[.;:,]$/.test(text) && !text.includes(";");
  if (BODY_START.test(key)) return whole ? text : null;
  return whole ? text : first;
}

/** The plan's title; `lines` are the document's lines without markup. */
function readTitle(lines: Lines): string {
  const blocks = titleBlocks(lines);
  const plan = blocks.find((b) => b.kind === "plan");
  const first = blocks[0];
  if (first) {
    if (first.kind === "plan") return first.text;
    // A decision that issues a plan: the plan's own title, else the decision's subject.
    const issued = /\bBAN HÀNH (?:KÈM THEO )?(KẾ HOẠCH\b.*)$/iu.exec(first.text);
    if (issued && fold(issued[1]).startsWith("ke hoach")) return plan ? plan.text : issued[1];
    return first.text;
  }
  // A scrape whose first line is the document's name: "Kế hoạch 126/KH-UBND cải thiện …".
  let top = "";
  for (let i = 0; i < lines.count && !top; i++) top = squash(lines.clean(i));
  const named = new RegExp(String.raw`^(Kế hoạch|Quyết định)\s+(?:số\s*)?${NUMBER}\s+(.*)$`, "iu").exec(top);
  if (named) return `${named[1]} ${named[named.length - 1]}`;
  if (/^(ke hoach|quyet dinh)\b/.test(fold(top))) return top;
  // No title block: the appendix's caption names the plan ("PHỤ LỤC / DANH MỤC NHIỆM VỤ … KẾ
  // HOẠCH CHUYỂN ĐỔI SỐ … NĂM 2024").
  let appendix = -1;
  for (let i = 0; i < lines.count && appendix < 0; i++)
    if (/ph[ụu] l[ụu]c/iu.test(lines.original[i]) && /^phu luc\b/.test(fold(lines.clean(i)))) appendix = i;
  if (appendix >= 0) {
    // The caption may share the appendix's line ("PHỤ LỤC NHIỆM VỤ … NĂM 2025", a spreadsheet's
    // merged title cell): what follows "PHỤ LỤC" and its number.
    const own = squash(lines.clean(appendix))
      .split(" ")
      .slice(2)
      .join(" ")
      .replace(/^(?:(?:SỐ|số)\s+)?(?:[IVXL]+|\d{1,2}[a-z]?)(?=[\s.:\-–]|$)/u, "")
      .replace(/^[\s.:\-–]+/, "");
    const caption: string[] = /\p{L}{2,}/u.test(own) && isUpperLine(own) ? [own] : [];
    for (let i = appendix + 1; i < Math.min(lines.count, appendix + 5); i++) {
      const line = squash(lines.clean(i));
      if (!line) {
        if (caption.length) break;
        continue;
      }
      if (line.startsWith("(") || /\p{Ll}/u.test(line)) break;
      caption.push(line);
    }
    if (caption.length) return caption.join(" ");
  }
  return "";
}

/** Years the plan is for, read from its title. */
export type TitleYears = { year: number | null; period: { first: number; last: number } | null };

/**
 * The year (or the years) a plan is for, from its title (contract: "The plan year" and
 * "Plans that span several years"): "… NĂM 2022" → 2022; "GIAI ĐOẠN 2026 - 2030",
 * "2026-2030" → 2026–2030; "… ĐẾN NĂM 2030" → from the year named before it ("năm 2025,
 * định hướng đến năm 2030") or the signing year, to 2030. A vision ("tầm nhìn đến năm 2050")
 * is not the plan's period.
 */
export function titleYears(title: string, signed: string | null): TitleYears {
  const key = fold(title).replace(/tam nhin (?:den )?(?:nam )?\d{4}/g, " ");
  // A title that ends with its own year after the span of what it carries out ("Triển khai Đề
  // án … giai đoạn 2022 - 2025, … trên địa bàn tỉnh năm 2024"): a yearly plan within that span.
  const closing = /(?<!(?:den|toi|-|–)\s*(?:nam\s+)?)\bnam ((?:19|20)\d{2})[\s.)]*$/.exec(key);
  const span = /(?<!\d)((?:19|20)\d{2})\s*(?:-|–|—|den|toi)\s*(?:nam\s+)?((?:19|20)\d{2})(?!\d)|den nam ((?:19|20)\d{2})/g;
  const spans = [...key.slice(0, closing?.index ?? 0).matchAll(span)];
  if (closing && spans.length) {
    const year = Number(closing[1]);
    const within = spans.some((m) => (m[3] ? year < Number(m[3]) : year >= Number(m[1]) && year <= Number(m[2])));
    if (within) return { year, period: null };
  }
  const range = /(?<!\d)((?:19|20)\d{2})\s*(?:-|–|—|den|toi)\s*(?:nam\s+)?((?:19|20)\d{2})(?!\d)/.exec(key);
  if (range) {
    const first = Number(range[1]);
    const last = Number(range[2]);
    if (last > first && last - first <= 30) return { year: first, period: { first, last } };
  }
  const until = /den nam ((?:19|20)\d{2})\b/.exec(key);
  const named = /\bnam ((?:19|20)\d{2})\b/.exec(until ? key.slice(0, until.index) : key);
  if (until) {
    const last = Number(until[1]);
    const first = named ? Number(named[1]) : signed ? Number(signed.slice(0, 4)) : null;
    if (first !== null && first < last) return { year: first, period: { first, last } };
    if (first === last) return { year: last, period: null };
    return { year: null, period: null };
  }
  return { year: named ? Number(named[1]) : null, period: null };
}
