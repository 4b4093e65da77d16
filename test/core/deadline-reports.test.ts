/**
 * Deadline phrases seen in provinces' plans beyond the contract's table, read in its spirit
 * (../shared/spec/deadline-phrases.md): lists of report periods ("6 tháng, năm") and spans
 * counted from an event ("Trong vòng 5 ngày sau khi có quyết định của Bộ"). Expected values
 * are written by hand from the contract.
 */
import { describe, expect, it } from "vitest";
import { parseDeadline } from "../../src/core/deadline.ts";
import { Deadline } from "../../src/core/schemas.ts";

function read(phrase: string, planYear = 2025, period?: { first: number; last: number }) {
  const result = parseDeadline(phrase, { planYear, period, signed: null });
  expect(() => Deadline.parse(result.deadline)).not.toThrow();
  return result;
}

const HALF_AND_YEAR = [{ due: "2025-06-30" }, { due: "2025-12-31" }];
const QUARTERS = [{ due: "2025-03-31" }, { due: "2025-06-30" }, { due: "2025-09-30" }, { due: "2025-12-31" }];

describe("a list of report periods: each period's report, the shortest cycle", () => {
  it("'6 tháng, năm' is the half-year and the year's reports, like '6 tháng một lần'", () => {
    for (const phrase of [
      "6 tháng, năm",
      "06 tháng, năm",
      "sáu tháng, năm",
      "Định kỳ 6 tháng, năm",
      "6 tháng và năm",
      "6 tháng, năm 2025",
    ]) {
      const { deadline, warnings } = read(phrase);
      expect(deadline, phrase).toMatchObject({ kind: "period", milestones: HALF_AND_YEAR, recurrence: "semiannual" });
      expect(warnings, phrase).toEqual([]);
    }
  });

  it("words before the list are the label", () => {
    expect(read("Báo cáo 6 tháng, năm").deadline).toEqual({
      raw: "Báo cáo 6 tháng, năm",
      kind: "period",
      milestones: HALF_AND_YEAR.map((m) => ({ ...m, label: "Báo cáo" })),
      recurrence: "semiannual",
    });
  });

  it("quarters, months: the shortest cycle named", () => {
    expect(read("quý, 6 tháng, năm").deadline).toMatchObject({ kind: "period", milestones: QUARTERS, recurrence: "quarterly" });
    expect(read("Hằng quý, 6 tháng, năm").deadline).toMatchObject({ kind: "period", milestones: QUARTERS, recurrence: "quarterly" });
    const monthly = read("Định kỳ tháng, quý, năm").deadline;
    expect(monthly.recurrence).toBe("monthly");
    expect(monthly.milestones).toHaveLength(12);
    expect(read("6 tháng, 9 tháng, năm").deadline.milestones).toEqual([
      { due: "2025-06-30" },
      { due: "2025-09-30" },
      { due: "2025-12-31" },
    ]);
  });

  it("in a multi-year plan: the period's first year, the cycle carries on (like 'Hằng quý')", () => {
    expect(read("6 tháng, năm", 2026, { first: 2026, last: 2030 }).deadline).toMatchObject({
      milestones: [{ due: "2026-06-30" }, { due: "2026-12-31" }],
      recurrence: "semiannual",
    });
  });

  it("no list, no report: a span, a month, a quarter, a date's words", () => {
    expect(read("6 tháng").deadline.kind).toBe("unknown");
    expect(read("ngày, tháng, năm").deadline.kind).toBe("unknown");
    expect(read("Tháng 6, năm 2025").deadline).toMatchObject({ kind: "date", milestones: [{ due: "2025-06-30" }] });
    expect(read("Quý I, năm 2025").deadline).toMatchObject({ kind: "period", milestones: [{ due: "2025-03-31" }] });
    expect(read("6 tháng đầu năm").deadline).toMatchObject({ kind: "period", milestones: [{ due: "2025-06-30" }] });
    expect(read("6 tháng một lần").deadline).toMatchObject({ milestones: HALF_AND_YEAR, recurrence: "semiannual" });
  });
});

describe("a span counted from an event is conditional (contract: 'Sau khi có Quyết định của Bộ Nội vụ')", () => {
  it.each([
    "Trong vòng 5 ngày sau khi có quyết định của Bộ",
    "Trong thời hạn 10 ngày làm việc kể từ ngày nhận đủ hồ sơ",
    "Chậm nhất 30 ngày sau khi kết thúc đợt kiểm tra",
    "15 ngày kể từ khi có văn bản hướng dẫn",
    "Trong vòng 2 tuần, sau khi Bộ ban hành tài liệu",
  ])("%s", (phrase) => {
    const { deadline, warnings } = read(phrase);
    expect(deadline).toEqual({ raw: phrase, kind: "conditional", milestones: [], condition: phrase });
    expect(warnings).toEqual([]);
  });

  it("a span alone, or counted from a written date, is not a condition", () => {
    expect(read("Trong vòng 5 ngày").deadline.kind).toBe("unknown");
    expect(read("Trong vòng 15 ngày kể từ ngày 01/7/2025").deadline.kind).not.toBe("conditional");
  });

  it("'Tháng 02/2025' stays a date, as the contract reads 'Tháng 12/2020'", () => {
    expect(read("Tháng 02/2025").deadline).toEqual({ raw: "Tháng 02/2025", kind: "date", milestones: [{ due: "2025-02-28" }] });
  });
});
