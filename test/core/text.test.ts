import { describe, expect, it } from "vitest";
import { fold, isoDay, MESSAGE_LIMIT, parseViDate, shorten, splitMessage, squash, viDate } from "../../src/core/text.ts";
import { mulberry32 as random } from "../support/random.ts";

// Generated cases come from a small seeded generator, so a failure is reproducible
// (the fast-check properties of splitMessage are in split-message.test.ts).

const int = (rnd: () => number, min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
const pick = <T>(rnd: () => number, items: ArrayLike<T>): T => items[Math.floor(rnd() * items.length)];

/** Text of words (Vietnamese letters included) separated by spaces, tabs, NBSP and line breaks. */
const SEPARATORS = [" ", " ", " ", "\n", "\n\n", "\t", "\u00a0"];

function randomText(rnd: () => number, maxLength: number, separators = SEPARATORS): string {
  const letters = "abcdeghiklmnopqrstuvxyăâđêôơưáàảãạếềểễệốồổỗộớờởỡợúùủũụứừửữựíìỉĩịýỳỷỹỵ0123456789.,;:-";
  const length = int(rnd, 0, maxLength);
  let out = "";
  while (out.length < length) {
    const word = Array.from({ length: int(rnd, 1, 12) }, () => pick(rnd, letters)).join("");
    out += (out ? pick(rnd, separators) : "") + word;
  }
  return out;
}

/** Lines of random lengths (some empty, some long) joined by line breaks. */
function randomLines(rnd: () => number, lines: number, maxLine: number, allowEmpty = true): string {
  return Array.from({ length: lines }, () => {
    const n = int(rnd, allowEmpty ? 0 : 1, maxLine);
    return Array.from({ length: n }, () => pick(rnd, "abc xyzđơư")).join("");
  }).join("\n");
}

const noSpace = (s: string) => s.replace(/\s/g, "");

// ---------------------------------------------------------------- splitMessage

describe("splitMessage", () => {
  it("never cuts an emoji (a surrogate pair) in two", () => {
    expect(splitMessage("ab😀cd", 3)).toEqual(["ab", "😀c", "d"]);
    expect(shorten("😀😀😀😀😀😀", 4)).toBe("😀…");
    for (const part of splitMessage("🔴".repeat(50), 7)) expect(part).toMatch(/^(🔴)+$/u);
  });

  it("keeps a text that fits in one part", () => {
    expect(splitMessage("Xin chào\nCác nhiệm vụ sắp đến hạn:\n• A12")).toEqual(["Xin chào\nCác nhiệm vụ sắp đến hạn:\n• A12"]);
    expect(splitMessage("abcde", 5)).toEqual(["abcde"]);
    expect(splitMessage("ab\ncd", 5)).toEqual(["ab\ncd"]);
  });

  it("uses Telegram's limit by default", () => {
    expect(MESSAGE_LIMIT).toBe(4096);
    const line = "x".repeat(100);
    const text = Array.from({ length: 100 }, () => line).join("\n"); // 10 099 characters
    const parts = splitMessage(text);
    expect(parts.length).toBe(3);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(parts.join("\n")).toBe(text);
  });

  it("splits between lines, never inside one that fits", () => {
    expect(splitMessage("aaa\nbbb\nccc", 7)).toEqual(["aaa\nbbb", "ccc"]);
    expect(splitMessage("aaa\nbbb\nccc", 6)).toEqual(["aaa", "bbb", "ccc"]);
    expect(splitMessage("aa\nbbbbb\nc", 5)).toEqual(["aa", "bbbbb", "c"]);
  });

  it("cuts a line longer than the limit on its own", () => {
    expect(splitMessage("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
    expect(splitMessage("x\nabcdefghij\nk", 4)).toEqual(["x", "abcd", "efgh", "ij\nk"]);
  });

  it("gives one empty part for an empty text", () => {
    expect(splitMessage("")).toEqual([""]);
    expect(splitMessage("", 10)).toEqual([""]);
  });

  it("never makes a part over the limit, and loses no text (generated)", () => {
    const rnd = random(20210330);
    for (let i = 0; i < 400; i++) {
      const max = int(rnd, 1, 40);
      const text = randomLines(rnd, int(rnd, 0, 20), int(rnd, 0, 60));
      const parts = splitMessage(text, max);
      expect(parts.length).toBeGreaterThan(0);
      for (const p of parts) expect(p.length, JSON.stringify({ text, max, p })).toBeLessThanOrEqual(max);
      // Parts meet at line breaks (dropped) or inside a cut line, and a blank part is dropped:
      // every visible character is there, in order.
      expect(noSpace(parts.join("")), JSON.stringify({ text, max })).toBe(noSpace(text));
    }
  });

  it("with no line over the limit, the parts joined by line breaks give back the text (generated)", () => {
    const rnd = random(7);
    for (let i = 0; i < 400; i++) {
      const max = int(rnd, 5, 60);
      const text = randomLines(rnd, int(rnd, 1, 25), max, false);
      const parts = splitMessage(text, max);
      if (parts.length > 1 && text.split("\n").some((line) => !/\S/.test(line))) {
        // A part of blank lines only is dropped (Telegram refuses a blank message).
        expect(noSpace(parts.join("")), JSON.stringify({ text, max })).toBe(noSpace(text));
        continue;
      }
      expect(parts.join("\n"), JSON.stringify({ text, max })).toBe(text);
      // No part could have taken the next part's first line.
      for (let k = 0; k + 1 < parts.length; k++) {
        expect(parts[k].length + 1 + parts[k + 1].split("\n")[0].length).toBeGreaterThan(max);
      }
      if (text.length <= max) expect(parts).toEqual([text]);
    }
  });
});

// ---------------------------------------------------------------- shorten

describe("shorten", () => {
  it("leaves short text whole (squashed)", () => {
    expect(shorten("Báo cáo quý", 20)).toBe("Báo cáo quý");
    expect(shorten("  Báo   cáo\nquý ", 11)).toBe("Báo cáo quý");
  });

  it("cuts at a word boundary and adds an ellipsis", () => {
    expect(shorten("Xây dựng kế hoạch cải cách hành chính năm 2021", 20)).toBe("Xây dựng kế hoạch…");
  });

  it("cuts inside a word when there is no space late enough", () => {
    expect(shorten("abcdefghijklmnop", 5)).toBe("abcd…");
    expect(shorten("a bcdefghijklmnop", 10)).toBe("a bcdefgh…");
  });

  it("drops punctuation left at the cut", () => {
    expect(shorten("a, b, c, d, e, f, g, h", 10)).toBe("a, b, c…");
    expect(shorten("Kế hoạch số 1 - năm 2021 - tỉnh", 16)).toBe("Kế hoạch số 1…");
  });

  it("is at most max long, a prefix of the squashed text plus «…» (generated)", () => {
    const rnd = random(42);
    for (let i = 0; i < 500; i++) {
      const text = randomText(rnd, 200);
      const max = int(rnd, 1, 120);
      const s = squash(text);
      const out = shorten(text, max);
      const ctx = JSON.stringify({ text, max, out });
      expect(out.length, ctx).toBeLessThanOrEqual(max);
      if (s.length <= max) {
        expect(out, ctx).toBe(s);
      } else {
        expect(out.endsWith("…"), ctx).toBe(true);
        expect(s.startsWith(out.slice(0, -1)), ctx).toBe(true);
      }
    }
  });
});

// ---------------------------------------------------------------- squash and fold

describe("squash", () => {
  it("folds runs of whitespace, line breaks, NBSP and zero-width spaces to one space and trims", () => {
    expect(squash("  Sở \t Tư\npháp\r\n\u00a0tỉnh  ")).toBe("Sở Tư pháp tỉnh");
    expect(squash("a\u200bb")).toBe("a b");
    expect(squash(" \n\t ")).toBe("");
  });

  it("normalises to NFC", () => {
    const decomposed = "Tie\u0302\u0301ng Vie\u0323\u0302t"; // "Tiếng Việt" in NFD
    expect(decomposed).not.toBe("Tiếng Việt");
    expect(squash(decomposed)).toBe("Tiếng Việt");
    expect(squash("Tiếng Việt".normalize("NFD"))).toBe("Tiếng Việt".normalize("NFC"));
  });

  it("is idempotent and leaves no doubled, leading or trailing whitespace (generated)", () => {
    const rnd = random(99);
    for (let i = 0; i < 300; i++) {
      const text = randomText(rnd, 80, [" ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u200b", " \n "]);
      const input = rnd() < 0.5 ? text.normalize("NFD") : ` ${text}\n`;
      const s = squash(input);
      expect(squash(s)).toBe(s);
      expect(s).toBe(s.normalize("NFC"));
      expect(s).not.toMatch(/^\s|\s$|\s\s|[\n\t\u00a0\u200b]/);
      expect(s.replace(/ /g, "")).toBe(input.normalize("NFC").replace(/[\s\u200b]/g, ""));
    }
  });
});

describe("fold", () => {
  it("matches what people type with the written name", () => {
    expect(fold("Sở  Tư pháp")).toBe("so tu phap");
    expect(fold("so tu phap")).toBe(fold("Sở Tư pháp"));
    expect(fold("ĐỒNG Tháp")).toBe("dong thap");
    expect(fold("Ủy ban nhân dân\n\u00a0tỉnh ")).toBe("uy ban nhan dan tinh");
  });

  it("gives the same key for NFC and NFD spellings", () => {
    const s = "Văn phòng Ủy ban nhân dân tỉnh Đắk Lắk";
    expect(fold(s.normalize("NFD"))).toBe(fold(s.normalize("NFC")));
    expect(fold(s)).toBe("van phong uy ban nhan dan tinh dak lak");
  });

  it("is idempotent, lower case ASCII-letter only for Vietnamese text (generated)", () => {
    const rnd = random(5);
    for (let i = 0; i < 300; i++) {
      const text = randomText(rnd, 80);
      const input = rnd() < 0.5 ? text.toUpperCase() : text.normalize("NFD");
      const f = fold(input);
      expect(fold(f)).toBe(f);
      expect(f, JSON.stringify(input)).toMatch(/^[a-z0-9.,;: -]*$/);
      expect(f).not.toMatch(/^ | $| {2}/);
    }
  });
});

// ---------------------------------------------------------------- dates

describe("viDate", () => {
  it("writes an ISO day as dd/mm/yyyy", () => {
    expect(viDate("2021-03-05")).toBe("05/03/2021");
    expect(viDate("2020-12-31")).toBe("31/12/2020");
  });
});

describe("isoDay", () => {
  it("writes a possible date as YYYY-MM-DD with zero padding", () => {
    expect(isoDay(2021, 3, 5)).toBe("2021-03-05");
    expect(isoDay(2020, 12, 31)).toBe("2020-12-31");
  });

  it("is null for impossible dates", () => {
    expect(isoDay(2021, 2, 30)).toBeNull();
    expect(isoDay(2021, 2, 31)).toBeNull();
    expect(isoDay(2021, 4, 31)).toBeNull();
    expect(isoDay(2021, 13, 1)).toBeNull();
    expect(isoDay(2021, 0, 10)).toBeNull();
    expect(isoDay(2021, 1, 0)).toBeNull();
    expect(isoDay(2021, 1, 32)).toBeNull();
  });

  it("knows leap years, century rules included", () => {
    expect(isoDay(2020, 2, 29)).toBe("2020-02-29");
    expect(isoDay(2024, 2, 29)).toBe("2024-02-29");
    expect(isoDay(2000, 2, 29)).toBe("2000-02-29");
    expect(isoDay(2021, 2, 29)).toBeNull();
    expect(isoDay(1900, 2, 29)).toBeNull();
    expect(isoDay(2100, 2, 29)).toBeNull();
  });

  it("accepts exactly the days of each month (1990–2060)", () => {
    const leap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
    const monthLength = (y: number, m: number) => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
    for (let y = 1990; y <= 2060; y++) {
      for (let m = 1; m <= 12; m++) {
        for (let d = 1; d <= 31; d++) {
          const got = isoDay(y, m, d);
          if (d <= monthLength(y, m)) expect(got).toBe(`${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
          else expect(got, `${d}/${m}/${y}`).toBeNull();
        }
      }
    }
  });
});

describe("parseViDate", () => {
  it("reads d/m/yyyy and dd/mm/yyyy", () => {
    expect(parseViDate("5/1/2021")).toBe("2021-01-05");
    expect(parseViDate("05/01/2021")).toBe("2021-01-05");
    expect(parseViDate("31/12/2020")).toBe("2020-12-31");
  });

  it("reads - and . as separators, and ignores surrounding spaces", () => {
    expect(parseViDate("05-01-2021")).toBe("2021-01-05");
    expect(parseViDate("5.1.2021")).toBe("2021-01-05");
    expect(parseViDate("  29/02/2020 \n")).toBe("2020-02-29");
  });

  it("is null for impossible dates", () => {
    expect(parseViDate("30/02/2021")).toBeNull();
    expect(parseViDate("29/02/2021")).toBeNull();
    expect(parseViDate("31/04/2021")).toBeNull();
    expect(parseViDate("01/13/2021")).toBeNull();
    expect(parseViDate("00/01/2021")).toBeNull();
  });

  it("is null for malformed text", () => {
    for (const text of ["", "2021-01-05", "5/1/21", "5/1", "05/01/2021 sáng", "ngày 05/01/2021", "a5/1/2021", "123/1/2021", "5 1 2021"]) {
      expect(parseViDate(text), text).toBeNull();
    }
  });

  it("reads back what viDate writes, for every day 2019–2031", () => {
    for (let t = Date.UTC(2019, 0, 1); t <= Date.UTC(2031, 11, 31); t += 86_400_000) {
      const iso = new Date(t).toISOString().slice(0, 10);
      expect(parseViDate(viDate(iso))).toBe(iso);
      expect(parseViDate(viDate(iso).replace(/\//g, "-"))).toBe(iso);
    }
  });
});
