/** Text helpers shared by the importer, the agency directory and the commands. */

/** NFC, whitespace (incl. line breaks and NBSP) folded to single spaces, trimmed. */
export function squash(text: string): string {
  return text.normalize("NFC").replace(/[\s\u00a0\u200b]+/g, " ").trim();
}

/**
 * A key for matching what people type or scrape: lower case, no diacritics (đ → d),
 * whitespace folded. "Sở  Tư pháp" and "so tu phap" fold to the same key.
 */
export function fold(text: string): string {
  return squash(text)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase();
}

/** Cut `text` to at most `max` characters at a word boundary, adding "…". */
export function shorten(text: string, max: number): string {
  const s = squash(text);
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return (space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/, "") + "…";
}
