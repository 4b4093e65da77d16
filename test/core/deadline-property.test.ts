/**
 * Property tests (fast-check) of the deadline parser (issue 13): on any phrase — pieces of
 * real deadline phrases glued at random, or any string at all — it never throws, its result
 * always fits the `Deadline` schema, every milestone is a real calendar day in order, its
 * `raw` is the phrase as written (NFC, whitespace folded), and the same phrase reads the same.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidDay } from "../../src/core/calendar.ts";
import { parseDeadline } from "../../src/core/deadline.ts";
import { Deadline } from "../../src/core/schemas.ts";
import { squash } from "../../src/core/text.ts";

const PIECES = [
  "Quý I",
  "Quý IV/2022",
  "quý 2",
  "/2021",
  " năm 2025",
  "Trước ngày 15/02/2021",
  "ngày 31/02/2021",
  "30/06/9999",
  "Tháng 12",
  "tháng 13",
  "6 tháng",
  "Thường xuyên",
  "Hằng năm",
  "2026 - 2030",
  "giai đoạn 2026-2030",
  "Trong vòng 15 ngày sau khi",
  "kể từ ngày 01/7/2025",
  "Khi có văn bản",
  "; ",
  ", ",
  " và ",
  "- ",
  "\n",
  "(",
  ")",
  "XD kế hoạch",
  "thực hiện",
  "đến năm 2030",
  "99999999999",
  "-1",
  "0/0/0",
  "Q\u0301uy\u0301",
  "\u202e",
  "😀",
];
const phrase = fc.oneof(
  fc.string({ unit: "binary", maxLength: 120 }),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 10 }).map((p) => p.join("")),
  fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 3 })), { maxLength: 8 }).map((p) => p.join("")),
);
const context = fc.record({
  planYear: fc.integer({ min: 2000, max: 2100 }),
  signed: fc.option(fc.constantFrom("2020-12-30", "2021-01-15", "2025-02-28"), { nil: undefined }),
  period: fc.option(
    fc.integer({ min: 2000, max: 2095 }).chain((first) => fc.integer({ min: first, max: first + 5 }).map((last) => ({ first, last }))),
    { nil: undefined },
  ),
});

describe("parseDeadline (property)", () => {
  it("never throws; the result fits the schema; milestones are real days in order; same phrase, same reading", () => {
    fc.assert(
      fc.property(phrase, context, (text, ctx) => {
        const { deadline, warnings } = parseDeadline(text, ctx);
        expect(Deadline.safeParse(deadline).success).toBe(true);
        expect(deadline.raw).toBe(squash(text));
        const dues = deadline.milestones.map((m) => m.due);
        for (const due of dues) expect(isValidDay(due)).toBe(true);
        expect([...dues].sort()).toEqual(dues);
        if (deadline.kind === "date" || deadline.kind === "period") expect(dues.length).toBeGreaterThan(0);
        expect(Array.isArray(warnings)).toBe(true);
        expect(parseDeadline(text, ctx)).toEqual({ deadline, warnings });
      }),
      { numRuns: 1500 },
    );
  });
});
