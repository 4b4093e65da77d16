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

/** `n`, or `n - 1` when cutting `text` at `n` would split a surrogate pair (an emoji) in two. */
function safeCut(text: string, n: number): number {
  const code = text.charCodeAt(n - 1);
  return n > 0 && n < text.length && code >= 0xd800 && code <= 0xdbff ? n - 1 : n;
}

/** Cut `text` to at most `max` UTF-16 units at a word boundary (never inside an emoji), adding "…". */
export function shorten(text: string, max: number): string {
  const s = squash(text);
  if (s.length <= max) return s;
  const cut = s.slice(0, safeCut(s, max - 1));
  const space = cut.lastIndexOf(" ");
  return (space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/, "") + "…";
}

/** Telegram's limit for one message. */
export const MESSAGE_LIMIT = 4096;

/** `line` in pieces of at most `max` UTF-16 units, never splitting a surrogate pair. */
function cutLine(line: string, max: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < line.length; ) {
    // A limit of one unit cannot hold a pair: only then is one split.
    const end = at + max >= line.length ? line.length : at + (safeCut(line.slice(at), max) || max);
    pieces.push(line.slice(at, end));
    at = end;
  }
  return pieces;
}

/**
 * Split a long message into parts of at most `max` UTF-16 units (how Telegram counts its
 * 4096), only between lines; a line longer than `max` is cut on its own, never inside an emoji.
 */
export function splitMessage(text: string, max = MESSAGE_LIMIT): string[] {
  const parts: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    const pieces = line.length > max ? cutLine(line, max) : [line];
    for (const piece of pieces) {
      if (current && current.length + 1 + piece.length > max) {
        parts.push(current);
        current = piece;
      } else {
        current = current ? `${current}\n${piece}` : piece;
      }
    }
  }
  if (current || parts.length === 0) parts.push(current);
  return parts;
}

/** `dd/mm/yyyy` for an ISO day. */
export function viDate(isoDay: string): string {
  const [y, m, d] = isoDay.split("-");
  return `${d}/${m}/${y}`;
}

/** The ISO day of a written day, month and year; null for an impossible date (31/02). */
export function isoDay(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** `dd/mm/yyyy` (or with `-`/`.`) → ISO day; null for malformed or impossible dates (31/02). */
export function parseViDate(text: string): string | null {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text.trim());
  return m ? isoDay(Number(m[3]), Number(m[2]), Number(m[1])) : null;
}
