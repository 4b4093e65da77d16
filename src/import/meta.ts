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
  const lines = original.map(cleanLine);
  const header = squash(lines.slice(0, HEADER_LINES).join(" "));
  const whole = squash(lines.join(" "));
  const title = readTitle(original);
  return {
    number: readNumber(header, whole),
    issuer: readIssuer(header, whole, original.slice(0, HEADER_LINES)),
    signed: readSigned(header, whole),
    title,
    year: yearOf(title),
  };
}

/** A scraped line without Markdown emphasis, heading marks, HTML tags and `|` cell separators. */
export function stripMarkup(line: string): string {
  return line
    .replace(/<[^>]+>/g, " ")
    .replace(/\*\*|__/g, "")
    .replace(/^\s*#+(\s+|$)/, "")
    .replace(/\|/g, " ");
}

function cleanLine(line: string): string {
  return stripMarkup(line).replace(/\s+$/, "");
}

function normNumber(raw: string): string {
  return raw.replace(/\s+/g, "").replace(/–/g, "-");
}

function readNumber(header: string, whole: string): string | null {
  const own = new RegExp(String.raw`(?:^|\s)Số(?: hiệu)?\s*:?\s*${NUMBER}`, "u").exec(header);
  if (own) return normNumber(own[1]);
  const attached = new RegExp(String.raw`[Kk]èm theo (?:Kế hoạch|Quyết định) số\s*${NUMBER}`, "u").exec(whole);
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
  const cut = name.replace(/\s+(CỘNG HÒA|CỘNG HOÀ|Cộng hòa)\b.*$/u, "").trim();
  if (!cut) return null;
  return `UBND ${LEVEL[fold(level)] ?? level.toLocaleLowerCase("vi")} ${titleCase(cut)}`;
}

function readIssuer(header: string, whole: string, headLines: string[]): string | null {
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
    String.raw`[Kk]èm theo (?:Kế hoạch|Quyết định) số[^()]*? của (?:Chủ tịch )?(?:Ủy ban nhân dân|UBND) (tỉnh|thành phố) ${name}`,
    "u",
  ).exec(whole);
  if (caption) return issuerFrom(caption[1], caption[2]);
  return null;
}

function isoDate(d: string, m: string, y: string): string | null {
  return isoDay(Number(y), Number(m), Number(d));
}

function readSigned(header: string, whole: string): string | null {
  // "Kiên Giang, ngày 30 tháng 12 năm 2020" — a place, a comma, then the date in words.
  const place = /\p{L}\s*,\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/u.exec(header);
  if (place) return isoDate(place[1], place[2], place[3]);
  const table = /Ngày ban hành\s*:?\s*(\d{1,2})\/(\d{1,2})\/(\d{4})/u.exec(header);
  if (table) return isoDate(table[1], table[2], table[3]);
  const caption =
    /[Kk]èm theo (?:Kế hoạch|Quyết định) số[^()]*? ngày\s+(\d{1,2})(?:\s+tháng\s+|\/)(\d{1,2})(?:\s+năm\s+|\/)(\d{4})/u.exec(
      whole,
    );
  if (caption) return isoDate(caption[1], caption[2], caption[3]);
  return null;
}

/** A line in capitals (title subject) — letters all upper case, at least one letter. */
function isUpperLine(line: string): boolean {
  return /\p{L}/u.test(line) && !/\p{Ll}/u.test(line);
}

type TitleBlock = { kind: "plan" | "decision"; text: string };

/**
 * Title blocks: a line reading exactly "KẾ HOẠCH" or "QUYẾT ĐỊNH" followed by its subject
 * lines (capitals, or bold in Markdown), stopping at the signing authority line
 * ("CHỦ TỊCH ỦY BAN NHÂN DÂN …"), a caption "(Ban hành kèm theo …)" or body text.
 */
function titleBlocks(original: string[]): TitleBlock[] {
  const raw = original.map(cleanLine);
  const bold = original.map((l) => /^\s*(\*\*|<b>).*(\*\*|<\/b>)\s*$/.test(l));
  const blocks: TitleBlock[] = [];
  for (let i = 0; i < raw.length; i++) {
    const first = squash(raw[i]);
    const kind = first === "KẾ HOẠCH" ? "plan" : first === "QUYẾT ĐỊNH" ? "decision" : null;
    if (!kind) continue;
    const parts = [first];
    for (let j = i + 1; j < raw.length && j <= i + 5; j++) {
      const line = squash(raw[j]);
      if (!line) {
        if (parts.length > 1) break;
        continue;
      }
      if (/^(chu tich|uy ban nhan dan|ubnd)\b/.test(fold(line)) || line.startsWith("(")) break;
      if (!isUpperLine(line) && !bold[j]) break;
      parts.push(line);
    }
    if (parts.length > 1) blocks.push({ kind, text: parts.join(" ") });
  }
  return blocks;
}

function readTitle(original: string[]): string {
  const lines = original.map(cleanLine);
  const blocks = titleBlocks(original);
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
  const top = squash(lines.find((l) => squash(l) !== "") ?? "");
  const named = new RegExp(String.raw`^(Kế hoạch|Quyết định)\s+(?:số\s*)?${NUMBER}\s+(.*)$`, "iu").exec(top);
  if (named) return `${named[1]} ${named[named.length - 1]}`;
  if (/^(ke hoach|quyet dinh)\b/.test(fold(top))) return top;
  return "";
}

/** The year the plan is for: "… NĂM 2022", "năm 2025 của tỉnh …" (the first "năm YYYY"). */
function yearOf(title: string): number | null {
  const m = /\bnam (\d{4})\b/.exec(fold(title));
  return m ? Number(m[1]) : null;
}
