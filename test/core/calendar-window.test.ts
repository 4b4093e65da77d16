/**
 * Issue 13 item 13: the date window users may type in, and a working-day count that does
 * not grow with absurd spans (30/06/9999 took ~6 s and then threw).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, dateWindow, HOLIDAY_YEARS, isWeekend, outsideDateWindow } from "../../src/core/calendar.ts";
import { at, calendar } from "../reminders/fixtures.ts";

describe("dateWindow", () => {
  it("is 2000-01-01 … 31/12 of the current year + 10, relative to now", () => {
    expect(dateWindow(at("2021-03-10"))).toEqual({ first: "2000-01-01", last: "2031-12-31" });
    expect(outsideDateWindow("2030-12-31", at("2021-03-10"))).toBeNull();
    expect(outsideDateWindow("9999-06-30", at("2021-03-10"))).toBe(
      "Ngày 30/06/9999 nằm ngoài khoảng dondoc nhận: từ 01/01/2000 đến 31/12/2031 (năm nay + 10 năm).",
    );
    expect(outsideDateWindow("1999-12-31", at("2021-03-10"))).toContain("nằm ngoài khoảng");
  });
});

describe("workingDaysBetween over absurd spans", () => {
  it("2021 → 9999 is counted, not thrown, and adds up across the last year with computed holidays", () => {
    const a = "2021-03-10";
    const edge = `${HOLIDAY_YEARS.last}-12-31`;
    const far = "9999-06-30";
    const total = calendar.workingDaysBetween(a, far);
    expect(total).toBe(calendar.workingDaysBetween(a, edge) + calendar.workingDaysBetween(edge, far));
    expect(calendar.workingDaysBetween(far, a)).toBe(-total);
    expect(calendar.workingDaysBetween("0001-01-01", "0001-01-08")).toBe(5); // 1/1/1 was a Monday
  });

  it("outside the years with computed holidays, only weekends are off: the count matches a day-by-day count", () => {
    // Up to 9997: + 364 + 400 days stays within 9999 (found: 9998-12-02 + 395 days is year 10000).
    const year = fc.oneof(fc.integer({ min: 1, max: HOLIDAY_YEARS.first - 1 }), fc.integer({ min: HOLIDAY_YEARS.last + 1, max: 9997 }));
    fc.assert(
      fc.property(year, fc.integer({ min: 0, max: 364 }), fc.integer({ min: 0, max: 400 }), (y, offset, span) => {
        const a = addDays(`${String(y).padStart(4, "0")}-01-01`, offset);
        const b = addDays(a, span);
        fc.pre(+b.slice(0, 4) < HOLIDAY_YEARS.first || +a.slice(0, 4) > HOLIDAY_YEARS.last);
        let naive = 0;
        for (let d = a; d < b; ) {
          d = addDays(d, 1);
          if (!isWeekend(d)) naive++;
        }
        expect(calendar.workingDaysBetween(a, b)).toBe(naive);
      }),
      { numRuns: 300 },
    );
  });
});

describe("isValidDay reads month and day back (found in review: 2021-13-01 rolled over into 2022)", () => {
  it("refuses a month or day out of range, and keeps years 0–99 as written", async () => {
    const { isValidDay } = await import("../../src/core/calendar.ts");
    for (const day of ["2021-13-01", "2021-00-10", "2021-02-30", "2021-04-31"]) expect(isValidDay(day)).toBe(false);
    expect(isValidDay("0050-01-01")).toBe(true);
    const { isoDay } = await import("../../src/core/text.ts");
    expect(isoDay(50, 1, 1)).toBe("0050-01-01");
  });
});
