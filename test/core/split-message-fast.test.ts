/**
 * Issue 14 item 4: `splitMessage` finds the last line break that fits without segmenting the
 * part into grapheme clusters (the planner splits 500 messages a run; segmenting each part
 * was 80 % of its time). The cut must be exactly the one the segmenting walk finds: a
 * fast-check property compares it with that walk (`segmentedCutPoint` on every part) on texts full
 * of line breaks, carriage returns, combining marks, surrogate pairs and spaces.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { segmentedCutPoint, splitMessage } from "../../src/core/text.ts";

/** The cut before issue 14: every part walked cluster by cluster. */
const referenceCut = segmentedCutPoint;

function referenceSplit(text: string, max: number): string[] {
  const parts: string[] = [];
  let at = 0;
  while (text.length - at > max) {
    const { end, next } = referenceCut(text, at, max);
    parts.push(text.slice(at, end));
    at = next;
  }
  parts.push(text.slice(at));
  const kept = parts.filter((part) => /\S/u.test(part));
  return kept.length > 0 ? kept : parts.length > 1 ? [""] : parts;
}

const PIECES = ["a", "ế", "e\u0302\u0301", "\u0301", "\n", "\r", "\r\n", " ", "\t", "😀", "🇻🇳", "\ud804\udd27", "Sở Tư pháp", "\n\u0300"];
const texts = fc.array(fc.constantFrom(...PIECES), { maxLength: 120 }).map((p) => p.join(""));

describe("splitMessage: the line-break fast path cuts where the grapheme walk cuts", () => {
  it("on texts of line breaks, CR, marks, surrogate pairs and spaces, at small limits", () => {
    fc.assert(
      fc.property(texts, fc.integer({ min: 1, max: 40 }), (text, max) => {
        expect(splitMessage(text, max)).toEqual(referenceSplit(text, max));
      }),
      { numRuns: 3000 },
    );
  });

  it("CR LF right at the limit, and a line break followed by a combining mark", () => {
    for (const text of [`abc\r\ndef`, `ab\r\ncdef`, `abcd\r\nef`, `ab\n\u0301cd\nef`, `\nabcdef`, `\r\nabcdef`]) {
      for (let max = 1; max <= 6; max++) expect(splitMessage(text, max)).toEqual(referenceSplit(text, max));
    }
  });

  it("a reminder-sized text (many lines) is split as before", () => {
    const line = (i: number) => `• A${i} — Rà soát, đánh giá quy định, thủ tục hành chính — hạn 30/06/2021, còn ${i % 9} ngày làm việc`;
    const text = Array.from({ length: 200 }, (_, i) => line(i)).join("\n");
    expect(splitMessage(text, 3896)).toEqual(referenceSplit(text, 3896));
  });
});
