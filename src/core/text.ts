import { isValidDay } from "./calendar.ts";
/** Text helpers shared by the importer, the agency directory and the commands. */

/** NFC, whitespace (incl. line breaks and NBSP) folded to single spaces, trimmed. */
export function squash(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[\s\u00a0\u200b]+/g, " ")
    .trim();
}

/**
 * A key for matching what people type or scrape: lower case, no diacritics (đ → d),
 * whitespace folded. "Sở  Tư pháp" and "so tu phap" fold to the same key.
 */
export function fold(text: string): string {
  // NFD of any canonically equivalent form is the same, so no NFC pass first.
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[\s\u00a0\u200b]+/g, " ")
    .trim();
}

/** Grapheme clusters (what a reader sees as one character: "ế" in NFD, a flag, an emoji with skin tone). */
const GRAPHEMES = new Intl.Segmenter("vi", { granularity: "grapheme" });

/** A combining mark (Unicode category M): it belongs to the character before it. */
const MARK = /^\p{M}/u;

/** The grapheme clusters of `text`, in order. */
export function graphemes(text: string): string[] {
  return Array.from(GRAPHEMES.segment(text), (s) => s.segment);
}

/**
 * The longest prefix of `text` made of whole grapheme clusters and at most `max` UTF-16
 * units: never a lone surrogate, never a letter without its accents. Empty when the first
 * cluster alone is longer than `max`.
 */
export function cutToUnits(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const { index, segment } of GRAPHEMES.segment(text.slice(0, max + 2))) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** Cut `text` to at most `max` UTF-16 units at a word boundary (never inside a character), adding "…". */
export function shorten(text: string, max: number): string {
  const s = squash(text);
  if (s.length <= max) return s;
  const cut = cutToUnits(s, max - 1);
  const space = cut.lastIndexOf(" ");
  return (space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/, "") + "…";
}

/** The longest echo of typed text a refusal quotes (in «…»), in UTF-16 units. */
export const QUOTE_MAX = 80;

/**
 * `text` with each «…» quote longer than `max` cut (`shorten`). Refusals quote what was typed
 * («A12», «thang 13»): a 5,000-character argument must not come back as a 5,000-character answer.
 */
export function shortenQuotes(text: string, max = QUOTE_MAX): string {
  return text.replace(/«([^«»]*)»/g, (whole, inner: string) => (inner.length > max ? `«${shorten(inner, max)}»` : whole));
}

/** Telegram's limit for one message (sendMessage `text`, in UTF-16 code units). */
export const MESSAGE_LIMIT = 4096;

/**
 * Where to end the part that starts at `at` of `text` (longer than `max` from there):
 * after the last line break that fits (the break itself is dropped), else after the last
 * space or tab in the second half, else at the last grapheme boundary; never before a
 * combining mark. `next` is where the following part starts.
 */
function cutPoint(text: string, at: number, max: number): { end: number; next: number } {
  // The usual case, without segmenting: a line feed is always a grapheme cluster of its own
  // (with a carriage return before it: "\r\n"), so the last one that fits is the cut.
  for (let lf = text.lastIndexOf("\n", at + max + 1); lf > at; lf = text.lastIndexOf("\n", lf - 1)) {
    const start = text.charCodeAt(lf - 1) === 13 && lf - 1 >= at ? lf - 1 : lf;
    const index = start - at;
    if (index > max || index === 0) continue;
    if (!MARK.test(text.slice(lf + 1, lf + 3))) return { end: start, next: lf + 1 };
  }
  return segmentedCutPoint(text, at, max);
}

/**
 * `cutPoint` when no line break fits: walks the grapheme clusters of the part. On its own it
 * is the reference cut (every part walked), which the tests compare the fast path with.
 */
export function segmentedCutPoint(text: string, at: number, max: number): { end: number; next: number } {
  let lineBreak: { end: number; next: number } | null = null;
  let space = 0;
  let boundary = 0;
  // Boundaries only look one code point ahead, so two units past the limit are enough.
  for (const { index, segment } of GRAPHEMES.segment(text.slice(at, at + max + 2))) {
    if (index > max) break;
    // Two units: a mark outside the BMP (Chakma, Brahmi…) is a surrogate pair.
    const after = text.slice(at + index + segment.length, at + index + segment.length + 2);
    const startsClean = !MARK.test(text.slice(at + index, at + index + 2));
    if (index > 0 && startsClean) boundary = index;
    if ((segment === "\n" || segment === "\r\n") && index > 0 && !MARK.test(after))
      lineBreak = { end: at + index, next: at + index + segment.length };
    if ((segment === " " || segment === "\t") && index + 1 <= max && index + 1 > max / 2 && !MARK.test(after)) space = index + 1;
  }
  if (lineBreak) return lineBreak;
  if (space) return { end: at + space, next: at + space };
  if (boundary) return { end: at + boundary, next: at + boundary };
  // One cluster longer than the limit (a letter with thousands of marks): cut between code
  // points, or — only when the limit cannot hold one — inside a surrogate pair.
  let end = at + max;
  const low = text.charCodeAt(end);
  if (end - 1 > at && low >= 0xdc00 && low <= 0xdfff) end--;
  return { end, next: end };
}

/**
 * Split a long message into parts of at most `max` UTF-16 code units (how Telegram counts
 * its 4096) on grapheme-cluster boundaries: between lines when it can (the line break is
 * dropped), else after a space, else between two characters — never inside a surrogate pair
 * or between a letter and its combining marks, so no part starts with a combining mark
 * unless the text has one with nothing before it (at its start or after a line break that
 * had to be used). Joining the parts, with a line break where one was dropped, gives back
 * the text, but for whitespace-only parts, which are dropped (Telegram refuses a blank
 * message). A text that fits is one part as it is; an empty text gives one empty part.
 */
export function splitMessage(text: string, max = MESSAGE_LIMIT): string[] {
  if (!(max >= 1)) throw new RangeError(`splitMessage: max must be at least 1 (got ${max})`);
  const parts: string[] = [];
  let at = 0;
  while (text.length - at > max) {
    const { end, next } = cutPoint(text, at, max);
    parts.push(text.slice(at, end));
    at = next;
  }
  parts.push(text.slice(at));
  // Telegram refuses an empty or blank message: a part of only whitespace (a run of blank
  // lines or spaces longer than the limit, or the line break ending the text) is dropped.
  const kept = parts.filter((part) => /\S/u.test(part));
  return kept.length > 0 ? kept : parts.length > 1 ? [""] : parts;
}

/**
 * Characters that must never be stored or echoed from what people type: C0 controls other
 * than tab and line feed (ESC starts terminal escape sequences), DEL, C1 controls, and the
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make
 * text display in another order than it is stored; invisible characters that make what is
 * shown differ from what is stored — a code pasted from a web page or Word as `A\u200b24` looks
 * like A24 but is no task code: zero-width space U+200B, the left-to-right/right-to-left/Arabic
 * marks U+200E, U+200F, U+061C, word joiner and invisible operators U+2060–U+2064, U+FEFF, soft
 * hyphen U+00AD, U+180E (the zero-width joiners U+200C/U+200D stay: emoji sequences need them);
 * and lone surrogates (half of an emoji without its other half: no character at all, and not
 * encodable as UTF-8 — a forged update or a cut made elsewhere), which Telegram would refuse or
 * show as garbage.
 */
const UNSAFE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` without control, bidi-override, invisible and lone-surrogate characters (see UNSAFE); CR LF and CR become LF. */
export function stripUnsafe(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(UNSAFE, "");
}

/**
 * What people typed, made safe to store and echo: control, bidi-override, invisible and
 * lone-surrogate characters removed (stripUnsafe), then NFC-normalised (so "ế" typed as e +
 * two combining marks is one character, and matches what the importer and the directory hold).
 */
export function cleanText(text: string): string {
  return stripUnsafe(text).normalize("NFC");
}

/** `dd/mm/yyyy` for an ISO day. */
export function viDate(isoDay: string): string {
  const [y, m, d] = isoDay.split("-");
  return `${d}/${m}/${y}`;
}

/** The ISO day of a written day, month and year; null for an impossible date (31/02). */
export function isoDay(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || year < 0 || year > 9999) return null;
  const iso = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  // The calendar's own check: Date.UTC would read years 0–99 as 1900–1999.
  return isValidDay(iso) ? iso : null;
}

/** `dd/mm/yyyy` (or with `-`/`.`) → ISO day; null for malformed or impossible dates (31/02). */
export function parseViDate(text: string): string | null {
  const m = VI_DATE.exec(text.trim());
  return m ? isoDay(Number(m[3]), Number(m[2]), Number(m[1])) : null;
}

const VI_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/** Is `text` written as a dd/mm/yyyy date (whether or not that day exists)? */
export function hasViDateForm(text: string): boolean {
  return VI_DATE.test(text.trim());
}

/**
 * Why `text` is not a date `parseViDate` reads, in plain Vietnamese — one wording for every
 * command: a day that does not exist (31/02/2021), or not the dd/mm/yyyy form.
 */
export function viDateProblem(text: string): string {
  const shown = shorten(text.trim(), 40);
  return hasViDateForm(text)
    ? `Ngày «${shown}» không có thật (tháng đó không có ngày này).`
    : `Ngày «${shown}» không hợp lệ: cần dạng dd/mm/yyyy, ví dụ 30/06/2021.`;
}

/**
 * Ranks of `values` in `collator`'s order, for sorting many items by few distinct strings:
 * comparing two ranks gives the sign `collator.compare` gives (strings the collator holds
 * equal, such as "é" and "e\u0301", share a rank), with one collator call per distinct value
 * pair met while sorting them rather than per item comparison.
 */
export function collationRanks(collator: Intl.Collator, values: Iterable<string>): Map<string, number> {
  const distinct = [...new Set(values)].sort(collator.compare);
  const ranks = new Map<string, number>();
  let rank = 0;
  for (let i = 0; i < distinct.length; i++) {
    if (i > 0 && collator.compare(distinct[i - 1], distinct[i]) !== 0) rank++;
    ranks.set(distinct[i], rank);
  }
  return ranks;
}

/** The order of task codes everywhere: `A2` before `A10` (`localeCompare(b, "en", { numeric: true })`). */
export const CODE_COLLATOR = new Intl.Collator("en", { numeric: true });
/** A code as dondoc makes them: capital letters, then a number without leading zero (`A12`, `BC3`). */
const PLAIN_CODE = /^([A-Z]{1,6})([1-9][0-9]{0,9})$/;

/**
 * Ranks of task codes in CODE_COLLATOR's order (see collationRanks), without the collator
 * when every code is plain (`A12`): there the collator orders by the letters (a shorter
 * prefix first: its next character, a digit, sorts before any letter), then by the number,
 * and holds no two different codes equal — test/core/text.test.ts checks this against the
 * collator. Any other code: collationRanks with the collator.
 */
export function codeRanks(codes: Iterable<string>): Map<string, number> {
  const distinct = [...new Set(codes)];
  const parts: { code: string; letters: string; number: number }[] = [];
  for (const code of distinct) {
    const m = PLAIN_CODE.exec(code);
    if (!m) return collationRanks(CODE_COLLATOR, distinct);
    parts.push({ code, letters: m[1], number: Number(m[2]) });
  }
  parts.sort((a, b) => (a.letters === b.letters ? a.number - b.number : a.letters < b.letters ? -1 : 1));
  const ranks = new Map<string, number>();
  for (let i = 0; i < parts.length; i++) ranks.set(parts[i].code, i);
  return ranks;
}

/**
 * Ranks of a list's codes (`codeRanks`), memoised per list object: the planner and the digest
 * rank the store's `tasks` array, which store state never changes in place (src/store/memory.ts
 * freezes it; an update that changes a task makes a new array), so the ranks of one array stay
 * right while it lives, for every run and digest until the tasks change. The WeakMap drops them
 * with the array. The map returned is shared: read it, never change it.
 */
export function codeRanksOf(list: readonly { code: string }[]): ReadonlyMap<string, number> {
  let ranks = listCodeRanks.get(list);
  if (ranks === undefined) {
    ranks = codeRanks(list.map((t) => t.code));
    if (Object.isFrozen(list)) listCodeRanks.set(list, ranks); // only the store's (immutable) arrays
  }
  return ranks;
}
const listCodeRanks = new WeakMap<readonly { code: string }[], Map<string, number>>();

/** A connection URL with its password (whatever sits between `user:` and the last `@`) as `***`. */
export function hidePassword(url: string): string {
  return url.replace(/^([^:/\s]+:\/\/[^:@/\s]*:)\S*@/, "$1***@");
}
