/**
 * Issue 13 item 11: a long message is split on grapheme clusters. Smallest reproductions
 * (4094 × "a" + "😀", an NFD "ế" at the limit) and fast-check properties: never throws,
 * every part within the limit, no lone surrogate, no part starting with a combining mark,
 * the parts give back the text.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cleanText,
  cutToUnits,
  graphemes,
  MESSAGE_LIMIT,
  QUOTE_MAX,
  shorten,
  shortenQuotes,
  splitMessage,
  stripUnsafe,
} from "../../src/core/text.ts";

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const STARTS_WITH_MARK = /^\p{M}/u;
const NFD_E = "e\u0302\u0301"; // ế as e + circumflex + acute

/**
 * Put the parts back together: each part follows the previous one directly, or after
 * whitespace that was dropped (the line break cut at, or a blank part).
 */
function rejoin(text: string, parts: string[], i = 0, pos = 0): boolean {
  if (i === parts.length) return /^\s*$/.test(text.slice(pos));
  for (let q = pos; q <= text.length; q++) {
    if (text.startsWith(parts[i], q) && rejoin(text, parts, i + 1, q + parts[i].length)) return true;
    if (!/\s/.test(text[q] ?? "")) return false;
  }
  return false;
}

describe("splitMessage: the issue's reproductions", () => {
  it("4094 × «a» + «😀» in a longer forwarded text: no lone surrogate", () => {
    const blocker = `${"a".repeat(4094)}😀`;
    const forwarded = `⚠️ Vướng mắc — Sở Tư pháp\nA1 — Nhiệm vụ\n«${blocker}»\n(Người dùng báo)`;
    const parts = splitMessage(forwarded);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(part).not.toMatch(LONE_SURROGATE);
    }
    expect(parts.join("")).toContain("😀");
    // The same text on one line, cut right at the emoji.
    const line = `«${blocker}`;
    expect(splitMessage(line)).toEqual([`«${"a".repeat(4094)}`, "😀"]);
  });

  it("an NFD «ế» at the limit stays whole: no orphan accent", () => {
    const text = `${"a".repeat(4094)}${NFD_E}bc`;
    const parts = splitMessage(text);
    expect(parts).toEqual(["a".repeat(4094), `${NFD_E}bc`]);
    for (const part of parts) expect(part).not.toMatch(STARTS_WITH_MARK);
  });

  it("a flag, a family emoji and a skin tone are never cut", () => {
    for (const symbol of ["🇻🇳", "👨‍👩‍👧‍👦", "👍🏽"]) {
      const parts = splitMessage(`ab${symbol}`.repeat(5), symbol.length + 1);
      for (const part of parts) expect(graphemes(part).every((g) => g === "a" || g === "b" || g === symbol)).toBe(true);
    }
  });

  it("prefers a line break, then a space in the second half, then a character boundary", () => {
    expect(splitMessage("aaa\nbbb ccc", 8)).toEqual(["aaa", "bbb ccc"]);
    expect(splitMessage("aaaa bbbbbb", 8)).toEqual(["aaaa ", "bbbbbb"]);
    expect(splitMessage("a bbbbbbbbb", 8)).toEqual(["a bbbbbb", "bbb"]);
  });

  it("does not cut before a line that starts with a combining mark", () => {
    // "\n\u0301" cannot hold the accent on a letter; the cut moves inside the first line.
    const parts = splitMessage("abcd\n\u0301xy", 6);
    for (const part of parts.slice(1)) expect(part).not.toMatch(STARTS_WITH_MARK);
    expect(parts.join("")).toBe("abcd\n\u0301xy");
  });

  it("a combining mark outside the BMP (a surrogate pair) is recognised as one", () => {
    // Found by fast-check: U+11127 (Chakma vowel sign A) after a tab starts no part.
    for (const part of splitMessage("🇻🇳\t\u{11127}x ", 8).slice(1)) expect(part).not.toMatch(/^\p{M}/u);
  });

  it("a cluster longer than the limit is cut between code points; never an empty trailing part", () => {
    const parts = splitMessage(`e${"\u0301".repeat(10)}`, 4);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4);
    expect(parts.join("")).toBe(`e${"\u0301".repeat(10)}`);
    expect(splitMessage("aaaa\n", 4)).toEqual(["aaaa"]);
    // Telegram refuses a blank message: a run of blank lines longer than the limit is dropped.
    expect(splitMessage(`a\n${"\n".repeat(10)}b`, 3)).toEqual(["a\n\n", "b"]);
    expect(splitMessage(" ".repeat(10), 4)).toEqual([""]);
  });
});

describe("cutToUnits and shorten cut on grapheme clusters", () => {
  it("keeps whole characters", () => {
    expect(cutToUnits(`ab${NFD_E}`, 4)).toBe("ab");
    expect(cutToUnits("a😀", 2)).toBe("a");
    expect(shorten(`${"x".repeat(8)}${NFD_E}yy`, 10)).toBe(`${"x".repeat(8)}ế…`); // squash makes it NFC: "ế" is 1 unit
    expect(shorten(`${"x".repeat(8)}q\u0301yy`, 10)).toBe(`${"x".repeat(8)}…`); // no precomposed q́: 2 units, kept whole
    expect(shorten("abcdefgh🇻🇳ijk", 11)).toBe("abcdefgh…");
  });
});

// ---------------------------------------------------------------- properties

/** Text rich in what breaks naive cutting: emoji, flags, ZWJ sequences, NFD letters, lone marks, line breaks. */
const tricky = fc.array(
  fc.oneof(
    fc.constantFrom(
      "a",
      "b",
      " ",
      "\n",
      "\n\n",
      "\t",
      "😀",
      "🇻🇳",
      "👨‍👩‍👧",
      "👍🏽",
      NFD_E,
      "ư\u0309",
      "\u0301",
      "\u{11127}",
      "\r\n",
      "đ",
      "ế",
    ),
    fc.string({ unit: "grapheme", maxLength: 4 }),
    fc.string({ unit: "binary", maxLength: 3 }),
  ),
  { maxLength: 80 },
);
const anyText = tricky.map((chunks) => chunks.join(""));

describe("splitMessage (properties)", () => {
  it("never throws; each part ≤ max units, no lone surrogate the text did not have, the parts give back the text", () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 2, max: 40 }), (text, max) => {
        const parts = splitMessage(text, max);
        expect(parts.length).toBeGreaterThan(0);
        for (const part of parts) expect(part.length).toBeLessThanOrEqual(max);
        if (parts.length > 1) for (const part of parts) expect(part).toMatch(/\S/u);
        if (!LONE_SURROGATE.test(text)) for (const part of parts) expect(part).not.toMatch(LONE_SURROGATE);
        expect(rejoin(text, parts)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("no part but the first starts with a combining mark, unless a cluster is longer than the limit", () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 8, max: 40 }), (text, max) => {
        fc.pre(graphemes(text).every((g) => g.length <= max / 2));
        const parts = splitMessage(text, max);
        for (const part of parts.slice(1)) expect(part).not.toMatch(STARTS_WITH_MARK);
      }),
      { numRuns: 3000 },
    );
  });

  it("at Telegram's limit, on long texts", () => {
    fc.assert(
      fc.property(fc.array(tricky, { minLength: 40, maxLength: 120 }), (chunks) => {
        const text = chunks.flat().join("");
        const parts = splitMessage(text);
        for (const part of parts) expect(part.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
        expect(rejoin(text, parts)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe("shortenQuotes", () => {
  it("cuts each long «…» quote, keeps short ones and the text around", () => {
    const long = "x".repeat(5000);
    const out = shortenQuotes(`Không có nhiệm vụ mã «${long}». Có phải «A1»?`);
    expect(out).toMatch(/^Không có nhiệm vụ mã «x{79}…»\. Có phải «A1»\?$/);
    expect(shortenQuotes(`«${"Đôn đốc ".repeat(20)}»`).length).toBeLessThanOrEqual(QUOTE_MAX + 2);
    expect(shortenQuotes("không có ngoặc")).toBe("không có ngoặc");
  });
});

describe("cleanText / stripUnsafe", () => {
  it("removes controls and bidi overrides, keeps line breaks and tabs, NFC-normalises", () => {
    expect(cleanText("a\u001b[2Jb")).toBe("a[2Jb");
    expect(cleanText("x\u202eabc\u202cy\u2066z\u2069")).toBe("xabcyz");
    expect(cleanText("d\u0000\u0007\u0085e\u009b")).toBe("de");
    expect(cleanText("dòng 1\r\ndòng 2\rdòng 3\tcột")).toBe("dòng 1\ndòng 2\ndòng 3\tcột");
    expect(cleanText(`Ti${NFD_E}n`)).toBe("Tiến");
    // A control between a letter and its accent: removed first, then composed.
    expect(cleanText("e\u001b\u0301")).toBe("é");
    // Half an emoji (a lone surrogate) is no character: removed; a whole one is kept.
    expect(cleanText("a\ud83db\ude00c😀")).toBe("abc😀");
    // Invisible characters pasted with a code are removed; emoji joiners stay.
    expect(cleanText("\ufeffA\u200b24\u2060\u00ad\u200e")).toBe("A24");
    expect(cleanText("👨\u200d👩\u200d👧")).toBe("👨\u200d👩\u200d👧");
  });

  it("never leaves an unsafe character; idempotent (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (text) => {
        const clean = cleanText(text);
        expect(clean).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        expect(clean).not.toMatch(LONE_SURROGATE);
        expect(cleanText(clean)).toBe(clean);
        expect(stripUnsafe(clean)).toBe(clean);
      }),
      { numRuns: 2000 },
    );
  });
});
