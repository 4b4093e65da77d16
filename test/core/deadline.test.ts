/**
 * The deadline-phrase parser against the contract (../shared/spec/deadline-phrases.md) and
 * against real phrases from the plans in ../shared/plans. Every expected value is written
 * out by hand from the contract or from reading the plan, never computed.
 */
import { describe, expect, it } from "vitest";
import { parseDeadline } from "../../src/core/deadline.ts";
import { Deadline } from "../../src/core/schemas.ts";

type Case = [phrase: string, expected: Omit<Deadline, "raw">];

/** Parse, check the result against the zod schema and return it. */
function read(phrase: string | null | undefined, planYear = 2021, signed: string | null = null) {
  const result = parseDeadline(phrase, { planYear, signed });
  expect(() => Deadline.parse(result.deadline)).not.toThrow();
  return result;
}

const messages = (r: ReturnType<typeof read>) => r.warnings.map((w) => w.message);

const QUARTER_ENDS_2021 = [{ due: "2021-03-31" }, { due: "2021-06-30" }, { due: "2021-09-30" }, { due: "2021-12-31" }];

// ---------------------------------------------------------------- contract: phrases table

describe("contract — phrases and what they mean (plan year 2021)", () => {
  const rows: Case[] = [
    // Tháng M/Y → last day of month
    ["Tháng 12/2020", { kind: "date", milestones: [{ due: "2020-12-31" }] }],
    ["Trình trong tháng 12/2020", { kind: "date", milestones: [{ due: "2020-12-31", label: "Trình" }] }],
    ["tháng 8/2021", { kind: "date", milestones: [{ due: "2021-08-31" }] }],
    // Quý → last day of the quarter
    ["Quý I/2021", { kind: "period", milestones: [{ due: "2021-03-31" }] }],
    ["Quý I năm 2021", { kind: "period", milestones: [{ due: "2021-03-31" }] }],
    ["Quý IV năm 2020", { kind: "period", milestones: [{ due: "2020-12-31" }] }],
    ["quý II", { kind: "period", milestones: [{ due: "2021-06-30" }] }],
    // several quarters
    ["Quý I, II năm 2021", { kind: "period", milestones: [{ due: "2021-03-31" }, { due: "2021-06-30" }] }],
    ["Quý III + Quý IV năm 2022", { kind: "period", milestones: [{ due: "2022-09-30" }, { due: "2022-12-31" }] }],
    ["Quý I, III/2022", { kind: "period", milestones: [{ due: "2022-03-31" }, { due: "2022-09-30" }] }],
    // all four quarters
    ["Quý I, II, III, IV/2021", { kind: "period", recurrence: "quarterly", milestones: QUARTER_ENDS_2021 }],
    // month range
    ["Tháng 04-10/2021", { kind: "period", milestones: [{ start: "2021-04-01", due: "2021-10-31" }] }],
    ["Tháng 3 - đến tháng 11/2022", { kind: "period", milestones: [{ start: "2022-03-01", due: "2022-11-30" }] }],
    // the year
    ["Năm 2021", { kind: "period", milestones: [{ due: "2021-12-31" }] }],
    ["Trong năm 2021", { kind: "period", milestones: [{ due: "2021-12-31" }] }],
    ["Thực hiện trong năm", { kind: "period", milestones: [{ due: "2021-12-31", label: "Thực hiện" }] }],
    ["Thực hiện trong năm.", { kind: "period", milestones: [{ due: "2021-12-31", label: "Thực hiện" }] }],
    // before a day: the day before is the last day on time
    ["Trước ngày 15/02/2021", { kind: "date", milestones: [{ due: "2021-02-14" }] }],
    // on a day
    ["Chậm nhất ngày 15/5/2025", { kind: "date", milestones: [{ due: "2025-05-15" }] }],
    ["ngày 15/5/2025", { kind: "date", milestones: [{ due: "2025-05-15" }] }],
    ["hạn 15/5/2025", { kind: "date", milestones: [{ due: "2025-05-15" }] }],
    // before the 22nd of the quarter's last month
    [
      "Trước ngày 22 của tháng cuối quý",
      {
        kind: "period",
        recurrence: "quarterly",
        milestones: [{ due: "2021-03-21" }, { due: "2021-06-21" }, { due: "2021-09-21" }, { due: "2021-12-21" }],
      },
    ],
    // every quarter
    ["Hằng quý", { kind: "period", recurrence: "quarterly", milestones: QUARTER_ENDS_2021 }],
    ["Hàng quý", { kind: "period", recurrence: "quarterly", milestones: QUARTER_ENDS_2021 }],
    ["Định kỳ hằng quý", { kind: "period", recurrence: "quarterly", milestones: QUARTER_ENDS_2021 }],
    // monthly / semiannual / annual
    [
      "Hằng tháng",
      {
        kind: "period",
        recurrence: "monthly",
        milestones: [
          { due: "2021-01-31" },
          { due: "2021-02-28" },
          { due: "2021-03-31" },
          { due: "2021-04-30" },
          { due: "2021-05-31" },
          { due: "2021-06-30" },
          { due: "2021-07-31" },
          { due: "2021-08-31" },
          { due: "2021-09-30" },
          { due: "2021-10-31" },
          { due: "2021-11-30" },
          { due: "2021-12-31" },
        ],
      },
    ],
    ["6 tháng một lần", { kind: "period", recurrence: "semiannual", milestones: [{ due: "2021-06-30" }, { due: "2021-12-31" }] }],
    ["Hằng năm", { kind: "period", recurrence: "annual", milestones: [{ due: "2021-12-31" }] }],
    // periodic, no cycle named
    ["Định kỳ", { kind: "continuous", recurrence: "quarterly", milestones: [] }],
    ["định kỳ báo cáo kết quả thực hiện", { kind: "continuous", recurrence: "quarterly", milestones: [] }],
    // continuous
    ["Thường xuyên", { kind: "continuous", milestones: [] }],
    ["Thường xuyên trong năm", { kind: "continuous", milestones: [] }],
    ["Thường xuyên trong năm 2022", { kind: "continuous", milestones: [] }],
    // conditional
    ["Sau khi có Quyết định của Bộ Nội vụ", { kind: "conditional", milestones: [], condition: "Sau khi có Quyết định của Bộ Nội vụ" }],
    ["Khi có quy định của Trung ương", { kind: "conditional", milestones: [], condition: "Khi có quy định của Trung ương" }],
    [
      "Theo hướng dẫn của cơ quan có thẩm quyền",
      { kind: "conditional", milestones: [], condition: "Theo hướng dẫn của cơ quan có thẩm quyền" },
    ],
    ["Theo quy định của Bộ Nội vụ", { kind: "conditional", milestones: [], condition: "Theo quy định của Bộ Nội vụ" }],
    ["Theo giai đoạn ổn định", { kind: "conditional", milestones: [], condition: "Theo giai đoạn ổn định" }],
    [
      "Đúng tiến độ đã được cấp có thẩm quyền giao",
      { kind: "conditional", milestones: [], condition: "Đúng tiến độ đã được cấp có thẩm quyền giao" },
    ],
    ["Theo Kế hoạch số 140/KH-UBND …", { kind: "conditional", milestones: [], condition: "Theo Kế hoạch số 140/KH-UBND …" }],
    // nothing recognisable
    ["", { kind: "unknown", milestones: [] }],
    ["Kế hoạch", { kind: "unknown", milestones: [] }],
  ];

  it.each(rows)("%s", (phrase, expected) => {
    expect(read(phrase, 2021).deadline).toEqual({ raw: phrase, ...expected });
  });
});

// ---------------------------------------------------------------- contract: compound table

describe("contract — compound phrases", () => {
  const rows: [string, number, Omit<Deadline, "raw">][] = [
    [
      "Quý I năm 2022 ban hành kế hoạch; quý IV năm 2022 báo cáo kết quả thực hiện",
      2022,
      {
        kind: "period",
        milestones: [
          { due: "2022-03-31", label: "ban hành kế hoạch" },
          { due: "2022-12-31", label: "báo cáo kết quả thực hiện" },
        ],
      },
    ],
    [
      "Quý I năm 2022 ban hành kế hoạch; định kỳ báo cáo kết quả thực hiện",
      2022,
      { kind: "period", recurrence: "quarterly", milestones: [{ due: "2022-03-31", label: "ban hành kế hoạch" }] },
    ],
    ["- Ban hành tháng 12/2020; - Thực hiện thường xuyên", 2021, { kind: "date", milestones: [{ due: "2020-12-31", label: "Ban hành" }] }],
    [
      "XD kế hoạch Quý I; thực hiện quý IV",
      2021,
      {
        kind: "period",
        milestones: [
          { due: "2021-03-31", label: "XD kế hoạch" },
          { due: "2021-12-31", label: "thực hiện" },
        ],
      },
    ],
    ["Tháng 12/2020 và trong năm 2021", 2021, { kind: "period", milestones: [{ due: "2020-12-31" }, { due: "2021-12-31" }] }],
    [
      "Tháng 12/2021 sau khi Bộ Nội vụ triển khai",
      2021,
      { kind: "date", milestones: [{ due: "2021-12-31" }], condition: "sau khi Bộ Nội vụ triển khai" },
    ],
  ];

  it.each(rows)("%s (plan %i)", (phrase, planYear, expected) => {
    expect(read(phrase, planYear).deadline).toEqual({ raw: phrase, ...expected });
  });

  it("a part without a year takes the year of the nearest part that has one", () => {
    expect(read("XD kế hoạch Quý I; thực hiện quý IV năm 2022", 2021).deadline.milestones).toEqual([
      { due: "2022-03-31", label: "XD kế hoạch" },
      { due: "2022-12-31", label: "thực hiện" },
    ]);
  });

  it.each([
    ["Quý I năm 2022 ban hành kế hoạch. Quý IV báo cáo"],
    ["Quý I năm 2022 ban hành kế hoạch + Quý IV báo cáo"],
    ["Quý I năm 2022 ban hành kế hoạch\nQuý IV báo cáo"],
    ["Quý I năm 2022 ban hành kế hoạch\n- Quý IV báo cáo"],
    ["- Quý I năm 2022 ban hành kế hoạch\n- Quý IV báo cáo"],
  ])("separators: %j", (phrase) => {
    expect(read(phrase, 2022).deadline.milestones).toEqual([
      { due: "2022-03-31", label: "ban hành kế hoạch" },
      { due: "2022-12-31", label: "báo cáo" },
    ]);
  });

  it("a dash between two months is a range, not a separator, even across a line break", () => {
    expect(read("Tháng 3\n- đến tháng 11/2022", 2022).deadline).toMatchObject({
      kind: "period",
      milestones: [{ start: "2022-03-01", due: "2022-11-30" }],
    });
  });

  it("milestones are sorted by due and de-duplicated", () => {
    expect(read("Quý IV năm 2022 báo cáo; Quý I năm 2022 ban hành; tháng 12/2022 báo cáo", 2022).deadline.milestones).toEqual([
      { due: "2022-03-31", label: "ban hành" },
      { due: "2022-12-31", label: "báo cáo" },
    ]);
    expect(read("Quý I, II năm 2022; quý II năm 2022", 2022).deadline.milestones).toEqual([{ due: "2022-03-31" }, { due: "2022-06-30" }]);
  });
});

// ---------------------------------------------------------------- matching robustness

describe("matching ignores case, Unicode form, spaces, line breaks and a leading '- '", () => {
  it.each([
    ["NFD", "Quý IV năm 2020".normalize("NFD"), "Quý IV năm 2020"],
    ["upper case", "QUÝ IV NĂM 2020", "QUÝ IV NĂM 2020"],
    ["extra spaces", "  Quý   IV    năm  2020 ", "Quý IV năm 2020"],
    ["line breaks", "Quý IV\nnăm\r\n2020", "Quý IV năm 2020"],
    ["tab and NBSP", "Quý\tIV\u00a0năm 2020", "Quý IV năm 2020"],
    ["leading dash", "- Quý IV năm 2020", "- Quý IV năm 2020"],
    ["Arabic quarter", "Quý 4 năm 2020", "Quý 4 năm 2020"],
    ["Arabic quarter, slash", "Quý 4/2020", "Quý 4/2020"],
  ])("%s", (_name, phrase, raw) => {
    const { deadline } = read(phrase, 2021);
    expect(deadline.raw).toBe(raw);
    expect(deadline.kind).toBe("period");
    expect(deadline.milestones.map((m) => m.due)).toEqual(["2020-12-31"]);
  });

  it("NFD month phrase", () => {
    expect(read("Trình trong tháng 12/2020".normalize("NFD")).deadline).toEqual({
      raw: "Trình trong tháng 12/2020",
      kind: "date",
      milestones: [{ due: "2020-12-31", label: "Trình" }],
    });
  });

  it("raw is NFC with whitespace folded", () => {
    expect(read("Trình  trong\ntháng 12/2020".normalize("NFD")).deadline.raw).toBe("Trình trong tháng 12/2020");
  });

  it("labels keep the original spelling (NFC) from NFD input", () => {
    expect(read("XD kế hoạch Quý I".normalize("NFD")).deadline.milestones).toEqual([{ due: "2021-03-31", label: "XD kế hoạch" }]);
  });

  it.each([
    ["Quý 1, 2 năm 2021", [{ due: "2021-03-31" }, { due: "2021-06-30" }]],
    ["Quý 1, 2, 3, 4/2021", QUARTER_ENDS_2021],
    ["quý 3", [{ due: "2021-09-30" }]],
  ])("Arabic quarter numbers: %s", (phrase, milestones) => {
    expect(read(phrase, 2021).deadline.milestones).toEqual(milestones);
  });

  it("null and undefined are an empty cell", () => {
    expect(read(null).deadline).toEqual({ raw: "", kind: "unknown", milestones: [] });
    expect(read(undefined).deadline).toEqual({ raw: "", kind: "unknown", milestones: [] });
  });

  it("Tháng 2 ends on the 29th in a leap year", () => {
    expect(read("Tháng 2/2024", 2024).deadline.milestones).toEqual([{ due: "2024-02-29" }]);
    expect(read("Tháng 02/2021", 2021).deadline.milestones).toEqual([{ due: "2021-02-28" }]);
  });

  it("'before' the first of a month is the last day of the month before (and of the year)", () => {
    expect(read("Trước ngày 01/03/2024", 2024).deadline.milestones).toEqual([{ due: "2024-02-29" }]);
    expect(read("Trước ngày 01/01/2022", 2021).deadline.milestones).toEqual([{ due: "2021-12-31" }]);
  });

  it("an impossible date is not read", () => {
    expect(read("ngày 31/02/2021").deadline.kind).toBe("unknown");
    expect(read("Tháng 13/2021").deadline.kind).toBe("unknown");
  });
});

// ---------------------------------------------------------------- warnings

describe("warnings", () => {
  it("unknown phrase", () => {
    expect(messages(read("Kế hoạch năm 2021"))).toEqual(["Không đọc được thời hạn «Kế hoạch năm 2021»"]);
  });

  it("empty cell", () => {
    expect(messages(read(""))).toEqual(["Không đọc được thời hạn: ô thời hạn trống"]);
    expect(messages(read("   \n "))).toEqual(["Không đọc được thời hạn: ô thời hạn trống"]);
  });

  it("'Thường xuyên trong năm 2020' in the 2022 plan: continuous, with the year warning", () => {
    const r = read("Thường xuyên trong năm 2020", 2022);
    expect(r.deadline).toEqual({ raw: "Thường xuyên trong năm 2020", kind: "continuous", milestones: [] });
    expect(messages(r)).toEqual(["Năm 2020 lệch quá một năm so với năm kế hoạch 2022"]);
  });

  it("a year one year away is fine, two years away is not", () => {
    expect(messages(read("Quý IV năm 2020", 2021))).toEqual([]);
    expect(messages(read("Quý I năm 2022", 2021))).toEqual([]);
    expect(messages(read("Quý I năm 2023", 2021))).toEqual(["Năm 2023 lệch quá một năm so với năm kế hoạch 2021"]);
  });

  it("a year warning is given once per year", () => {
    expect(messages(read("Quý I năm 2019; Quý II năm 2019", 2021))).toEqual(["Năm 2019 lệch quá một năm so với năm kế hoạch 2021"]);
  });

  it("a milestone before the signing date is kept and reported", () => {
    const r = read("Quý IV năm 2020", 2021, "2021-01-05");
    expect(r.deadline.milestones).toEqual([{ due: "2020-12-31" }]);
    expect(messages(r)).toEqual(["Mốc 31/12/2020 trước ngày ký kế hoạch 05/01/2021 — coi như đã đến hạn"]);
  });

  it("the signing day itself is not before the signing date", () => {
    expect(messages(read("ngày 30/12/2020", 2021, "2020-12-30"))).toEqual([]);
    expect(messages(read("ngày 29/12/2020", 2021, "2020-12-30"))).toEqual([
      "Mốc 29/12/2020 trước ngày ký kế hoạch 30/12/2020 — coi như đã đến hạn",
    ]);
  });

  it("no signing date, no signing warning", () => {
    expect(messages(read("Quý IV năm 2020", 2021, null))).toEqual([]);
  });

  it("a part that looks like a date but could not be read is reported", () => {
    const r = read("Quý V/2021; tháng 12/2021", 2021);
    expect(r.deadline).toEqual({
      raw: "Quý V/2021; tháng 12/2021",
      kind: "date",
      milestones: [{ due: "2021-12-31" }],
    });
    expect(messages(r)).toEqual(["Không đọc được phần «Quý V/2021» của thời hạn «Quý V/2021; tháng 12/2021»"]);
  });

  it("an activity without a date in a compound is not reported", () => {
    expect(messages(read("Quý I năm 2022 ban hành kế hoạch; báo cáo kết quả thực hiện.", 2022, "2021-12-23"))).toEqual([]);
  });

  it("several warnings together", () => {
    expect(messages(read("Năm 2019", 2021, "2020-12-30"))).toEqual([
      "Năm 2019 lệch quá một năm so với năm kế hoạch 2021",
      "Mốc 31/12/2019 trước ngày ký kế hoạch 30/12/2020 — coi như đã đến hạn",
    ]);
  });
});

// ---------------------------------------------------------------- purity

describe("purity", () => {
  it("same input, same output; the context is not modified", () => {
    const ctx = Object.freeze({ planYear: 2021, signed: "2020-12-30" });
    const a = parseDeadline("Quý I, II năm 2021", ctx);
    const b = parseDeadline("Quý I, II năm 2021", ctx);
    expect(a).toEqual(b);
  });
});

// ---------------------------------------------------------------- real plans

/**
 * Phrases as they occur in ../shared/plans (line breaks as in the scraped text).
 * Kiên Giang 2021: plan 189/KH-UBND signed 30/12/2020, column "THỜI GIAN BAN HÀNH".
 */
describe("real phrases — Kiên Giang 2021 (signed 2020-12-30)", () => {
  const rows: Case[] = [
    ["Tháng\n12/2020", { kind: "date", milestones: [{ due: "2020-12-31" }] }],
    ["Tháng\n02/2021", { kind: "date", milestones: [{ due: "2021-02-28" }] }],
    ["Tháng 01/2021", { kind: "date", milestones: [{ due: "2021-01-31" }] }],
    ["Tháng 12/2021", { kind: "date", milestones: [{ due: "2021-12-31" }] }],
    ["Trình trong tháng 12/2020", { kind: "date", milestones: [{ due: "2020-12-31", label: "Trình" }] }],
    [
      "Xây dựng, trình kế hoạch\ntrong tháng 01/2021",
      { kind: "date", milestones: [{ due: "2021-01-31", label: "Xây dựng, trình kế hoạch" }] },
    ],
    ["Quý I/2021", { kind: "period", milestones: [{ due: "2021-03-31" }] }],
    ["Quý I năm 2021", { kind: "period", milestones: [{ due: "2021-03-31" }] }],
    ["Quý II/2021", { kind: "period", milestones: [{ due: "2021-06-30" }] }],
    ["Quý III/2021", { kind: "period", milestones: [{ due: "2021-09-30" }] }],
    ["Quý IV/2021", { kind: "period", milestones: [{ due: "2021-12-31" }] }],
    ["Quý IV năm 2020", { kind: "period", milestones: [{ due: "2020-12-31" }] }],
    ["Năm 2021", { kind: "period", milestones: [{ due: "2021-12-31" }] }],
    ["Trước ngày 15/02/2021", { kind: "date", milestones: [{ due: "2021-02-14" }] }],
    ["Theo giai đoạn ổn định", { kind: "conditional", milestones: [], condition: "Theo giai đoạn ổn định" }],
    [
      "XD kế\nhoạch Quý I; thực hiện quý IV",
      {
        kind: "period",
        milestones: [
          { due: "2021-03-31", label: "XD kế hoạch" },
          { due: "2021-12-31", label: "thực hiện" },
        ],
      },
    ],
    ["- Ban\nhành tháng 12/2020;\n- Thực\nhiện thường xuyên", { kind: "date", milestones: [{ due: "2020-12-31", label: "Ban hành" }] }],
    [
      "-\nXây dựng kế hoạch quý I;\n- Thực\nhiện thường xuyên",
      { kind: "period", milestones: [{ due: "2021-03-31", label: "Xây dựng kế hoạch" }] },
    ],
    [
      "-\nXây dựng kế hoạch quý I;\n- Thực\nhiện trong năm.",
      {
        kind: "period",
        milestones: [
          { due: "2021-03-31", label: "Xây dựng kế hoạch" },
          { due: "2021-12-31", label: "Thực hiện" },
        ],
      },
    ],
  ];

  it.each(rows)("%j", (phrase, expected) => {
    const r = read(phrase, 2021, "2020-12-30");
    expect(r.deadline).toEqual({ raw: phrase.replace(/\s+/g, " ").trim(), ...expected });
    expect(messages(r)).toEqual([]);
  });
});

/** Bến Tre 2021: plan 7018/KH-UBND signed 29/12/2020, column "Thời gian thực hiện". */
describe("real phrases — Bến Tre 2021 (signed 2020-12-29)", () => {
  const rows: Case[] = [
    ["Tháng 12/2020", { kind: "date", milestones: [{ due: "2020-12-31" }] }],
    ["Tháng 1/2021", { kind: "date", milestones: [{ due: "2021-01-31" }] }],
    ["Tháng 8/2021", { kind: "date", milestones: [{ due: "2021-08-31" }] }],
    ["Tháng 04-10/2021", { kind: "period", milestones: [{ start: "2021-04-01", due: "2021-10-31" }] }],
    ["Tháng 12/2020 và trong năm 2021", { kind: "period", milestones: [{ due: "2020-12-31" }, { due: "2021-12-31" }] }],
    ["Quý I, II năm 2021", { kind: "period", milestones: [{ due: "2021-03-31" }, { due: "2021-06-30" }] }],
    ["Quý I, IV năm 2021", { kind: "period", milestones: [{ due: "2021-03-31" }, { due: "2021-12-31" }] }],
    ["Quý I, II, III, IV/2021", { kind: "period", recurrence: "quarterly", milestones: QUARTER_ENDS_2021 }],
    ["Quý II", { kind: "period", milestones: [{ due: "2021-06-30" }] }],
    ["Quý II, III", { kind: "period", milestones: [{ due: "2021-06-30" }, { due: "2021-09-30" }] }],
    ["Quý II, III/2021", { kind: "period", milestones: [{ due: "2021-06-30" }, { due: "2021-09-30" }] }],
    ["Quý II/2021", { kind: "period", milestones: [{ due: "2021-06-30" }] }],
    ["Quý IV/2020", { kind: "period", milestones: [{ due: "2020-12-31" }] }],
    ["Quý IV/2021", { kind: "period", milestones: [{ due: "2021-12-31" }] }],
    ["Năm 2021", { kind: "period", milestones: [{ due: "2021-12-31" }] }],
    ["Trong năm 2021", { kind: "period", milestones: [{ due: "2021-12-31" }] }],
    ["Thường xuyên trong năm", { kind: "continuous", milestones: [] }],
    ["Thường xuyên trong năm 2021", { kind: "continuous", milestones: [] }],
    ["Khi có quy định của Trung ương", { kind: "conditional", milestones: [], condition: "Khi có quy định của Trung ương" }],
    ["Sau khi có Nghị quyết HĐND tỉnh", { kind: "conditional", milestones: [], condition: "Sau khi có Nghị quyết HĐND tỉnh" }],
    ["Sau khi có Quyết định của Bộ Nội vụ", { kind: "conditional", milestones: [], condition: "Sau khi có Quyết định của Bộ Nội vụ" }],
    ["Theo quy định của Bộ Nội vụ", { kind: "conditional", milestones: [], condition: "Theo quy định của Bộ Nội vụ" }],
    ["<b>Quý II/2021</b>", { kind: "period", milestones: [{ due: "2021-06-30" }] }],
  ];

  it.each(rows)("%j", (phrase, expected) => {
    const r = read(phrase, 2021, "2020-12-29");
    expect(r.deadline).toEqual({ raw: phrase, ...expected });
    expect(messages(r)).toEqual([]);
  });

  it("the empty deadline cells are unknown and reported", () => {
    const r = read("", 2021, "2020-12-29");
    expect(r.deadline).toEqual({ raw: "", kind: "unknown", milestones: [] });
    expect(messages(r)).toEqual(["Không đọc được thời hạn: ô thời hạn trống"]);
  });
});

/**
 * Quảng Ngãi 2022: decision 2108/QĐ-UBND signed 23/12/2021, "- Thời gian hoàn thành:" /
 * "- Thời gian thực hiện:" lines (text after the colon, wrapped as in the file).
 */
describe("real phrases — Quảng Ngãi 2022 (signed 2021-12-23)", () => {
  const rows: Case[] = [
    ["Quý I năm\n2022.", { kind: "period", milestones: [{ due: "2022-03-31" }] }],
    ["Quý II năm\n2022.", { kind: "period", milestones: [{ due: "2022-06-30" }] }],
    ["Quý II năm 2022.", { kind: "period", milestones: [{ due: "2022-06-30" }] }],
    ["Quý III năm\n2022.", { kind: "period", milestones: [{ due: "2022-09-30" }] }],
    ["Quý IV năm\n2022.", { kind: "period", milestones: [{ due: "2022-12-31" }] }],
    ["Quý I, Quý II\nnăm 2022.", { kind: "period", milestones: [{ due: "2022-03-31" }, { due: "2022-06-30" }] }],
    ["Quý III, Quý\nIV năm 2022.", { kind: "period", milestones: [{ due: "2022-09-30" }, { due: "2022-12-31" }] }],
    ["Trong năm\n2022.", { kind: "period", milestones: [{ due: "2022-12-31" }] }],
    ["Thường xuyên.", { kind: "continuous", milestones: [] }],
    ["Thường xuyên\ntrong năm.", { kind: "continuous", milestones: [] }],
    ["Thường xuyên\ntrong năm", { kind: "continuous", milestones: [] }],
    ["Thường xuyên\ntrong năm; định kỳ báo cáo kết quả thực hiện.", { kind: "continuous", recurrence: "quarterly", milestones: [] }],
    [
      "Thường xuyên\ntrong năm. Trong năm 2022 hoàn thành phê duyệt lại Đề án vị trí việc làm của\n100% cơ quan, tổ chức hành chính cấp tỉnh, cấp huyện.",
      {
        kind: "period",
        milestones: [
          {
            due: "2022-12-31",
            label: "hoàn thành phê duyệt lại Đề án vị trí việc làm của 100% cơ quan, tổ chức hành chính cấp tỉnh, cấp huyện",
          },
        ],
      },
    ],
    [
      "Đúng tiến độ\nđã được cấp có thẩm quyền giao.",
      { kind: "conditional", milestones: [], condition: "Đúng tiến độ đã được cấp có thẩm quyền giao" },
    ],
    [
      "Theo Kế hoạch\nsố 140/KH-UBND ngày 14/10/2021 của UBND tỉnh đối với những nhiệm vụ thực hiện\ntrong năm 2022.",
      {
        kind: "conditional",
        milestones: [],
        condition: "Theo Kế hoạch số 140/KH-UBND ngày 14/10/2021 của UBND tỉnh đối với những nhiệm vụ thực hiện trong năm 2022",
      },
    ],
    [
      "Theo Kế hoạch\nsố 169/KH-UBND ngày 09/12/2021 của Chủ tịch UBND tỉnh đối với những nhiệm vụ thực\nhiện trong năm 2022.",
      {
        kind: "conditional",
        milestones: [],
        condition: "Theo Kế hoạch số 169/KH-UBND ngày 09/12/2021 của Chủ tịch UBND tỉnh đối với những nhiệm vụ thực hiện trong năm 2022",
      },
    ],
    [
      "Định kỳ báo\ncáo kết quả thực hiện và các văn bản kiến nghị xử lý về UBND tỉnh (qua Sở Tư\npháp đối với các sở, ban, ngành và UBND cấp huyện); UBND cấp huyện (qua\nPhòng Tư pháp đối với UBND cấp xã).",
      { kind: "continuous", recurrence: "quarterly", milestones: [] },
    ],
    [
      "Hằng quý và báo\ncáo kết quả thực hiện.",
      {
        kind: "period",
        recurrence: "quarterly",
        milestones: [
          { due: "2022-03-31", label: "báo cáo kết quả thực hiện" },
          { due: "2022-06-30", label: "báo cáo kết quả thực hiện" },
          { due: "2022-09-30", label: "báo cáo kết quả thực hiện" },
          { due: "2022-12-31", label: "báo cáo kết quả thực hiện" },
        ],
      },
    ],
    [
      "Quý I năm 2022\nban hành kế hoạch; quý IV báo cáo kết quả thực hiện.",
      {
        kind: "period",
        milestones: [
          { due: "2022-03-31", label: "ban hành kế hoạch" },
          { due: "2022-12-31", label: "báo cáo kết quả thực hiện" },
        ],
      },
    ],
    [
      "Quý I năm 2022\nban hành kế hoạch; quý IV năm 2022 báo cáo kết quả thực hiện.",
      {
        kind: "period",
        milestones: [
          { due: "2022-03-31", label: "ban hành kế hoạch" },
          { due: "2022-12-31", label: "báo cáo kết quả thực hiện" },
        ],
      },
    ],
    [
      "Quý II năm\n2022 ban hành kế hoạch; quý IV năm 2022 báo cáo kết quả thực hiện.",
      {
        kind: "period",
        milestones: [
          { due: "2022-06-30", label: "ban hành kế hoạch" },
          { due: "2022-12-31", label: "báo cáo kết quả thực hiện" },
        ],
      },
    ],
    [
      "Quý I ban hành\nKế hoạch; báo cáo kết quả thực hiện vào Quý IV năm 2022.",
      {
        kind: "period",
        milestones: [
          { due: "2022-03-31", label: "ban hành Kế hoạch" },
          { due: "2022-12-31", label: "báo cáo kết quả thực hiện" },
        ],
      },
    ],
    [
      "Quý I năm 2022\nban hành Kế hoạch; tháng 12 năm 2022 báo cáo kết quả thực hiện về UBND tỉnh (qua\nSở Nội vụ).",
      {
        kind: "period",
        milestones: [
          { due: "2022-03-31", label: "ban hành Kế hoạch" },
          { due: "2022-12-31", label: "báo cáo kết quả thực hiện về UBND tỉnh (qua Sở Nội vụ)" },
        ],
      },
    ],
    [
      "Quý I năm 2022\nban hành Kế hoạch và triển khai thực hiện theo kế hoạch; báo cáo kết quả kiểm\ntra về UBND tỉnh.",
      {
        kind: "period",
        milestones: [{ due: "2022-03-31", label: "ban hành Kế hoạch và triển khai thực hiện theo kế hoạch" }],
      },
    ],
    [
      "Quý I năm 2022\nban hành kế hoạch (trừ kiểm tra đột xuất); báo cáo kết quả thực hiện.",
      { kind: "period", milestones: [{ due: "2022-03-31", label: "ban hành kế hoạch (trừ kiểm tra đột xuất)" }] },
    ],
    [
      "Quý I năm 2022\nban hành kế hoạch và triển khai trong năm; báo cáo kết quả thực hiện sau thanh\ntra, kiểm tra về UBND tỉnh (qua Sở Nội vụ).",
      {
        kind: "period",
        milestones: [
          { due: "2022-03-31", label: "ban hành kế hoạch" },
          { due: "2022-12-31", label: "triển khai" },
        ],
      },
    ],
    [
      "Quý I năm 2022\nban hành kế hoạch và triển khai trong năm; định kỳ báo cáo kết quả thực hiện về\nBộ Nội vụ.",
      {
        kind: "period",
        recurrence: "quarterly",
        milestones: [
          { due: "2022-03-31", label: "ban hành kế hoạch" },
          { due: "2022-12-31", label: "triển khai" },
        ],
      },
    ],
    [
      "Quý I năm 2022\nban hành các Kế hoạch; định kỳ báo cáo kết quả thực hiện.",
      { kind: "period", recurrence: "quarterly", milestones: [{ due: "2022-03-31", label: "ban hành các Kế hoạch" }] },
    ],
    [
      "Quý I năm 2022\nban hành các văn bản; định kỳ báo cáo kết quả thực hiện.",
      { kind: "period", recurrence: "quarterly", milestones: [{ due: "2022-03-31", label: "ban hành các văn bản" }] },
    ],
    [
      "Quý I năm 2022\nban hành kế hoạch; định kỳ báo cáo kết quả thực hiện theo quy định.",
      { kind: "period", recurrence: "quarterly", milestones: [{ due: "2022-03-31", label: "ban hành kế hoạch" }] },
    ],
    [
      "Quý I năm 2022\nban hành kế hoạch; định kỳ theo quy định báo cáo kết quả thực hiện và các văn bản\nxử lý hoặc kiến nghị xử lý về UBND tỉnh.",
      { kind: "period", recurrence: "quarterly", milestones: [{ due: "2022-03-31", label: "ban hành kế hoạch" }] },
    ],
    [
      "Quý II năm\n2022 ban hành quyết định phê duyệt.",
      { kind: "period", milestones: [{ due: "2022-06-30", label: "ban hành quyết định phê duyệt" }] },
    ],
    [
      "Quý II năm\n2022 lập và trình phê duyệt dự án; định kỳ báo cáo kết quả thực hiện.",
      {
        kind: "period",
        recurrence: "quarterly",
        milestones: [{ due: "2022-06-30", label: "lập và trình phê duyệt dự án" }],
      },
    ],
  ];

  it.each(rows)("%j", (phrase, expected) => {
    const r = read(phrase, 2022, "2021-12-23");
    expect(r.deadline).toEqual({ raw: phrase.replace(/\s+/g, " ").trim(), ...expected });
    expect(messages(r)).toEqual([]);
  });

  it("'Quý I/2021 …' in the 2022 plan is kept as written and reported as before the signing", () => {
    const phrase = "Quý I/2021 ban\nhành các Kế hoạch; định kỳ báo cáo kết quả thực hiện.";
    const r = read(phrase, 2022, "2021-12-23");
    expect(r.deadline).toEqual({
      raw: "Quý I/2021 ban hành các Kế hoạch; định kỳ báo cáo kết quả thực hiện.",
      kind: "period",
      recurrence: "quarterly",
      milestones: [{ due: "2021-03-31", label: "ban hành các Kế hoạch" }],
    });
    expect(messages(r)).toEqual(["Mốc 31/03/2021 trước ngày ký kế hoạch 23/12/2021 — coi như đã đến hạn"]);
  });
});

/** Cà Mau 2025: plan 126/KH-UBND signed 05/05/2025; deadlines written in the prose. */
describe("real phrases — Cà Mau 2025 (signed 2025-05-05)", () => {
  const rows: Case[] = [
    ["chậm nhất ngày 15/5/2025", { kind: "date", milestones: [{ due: "2025-05-15" }] }],
    ["chậm nhất ngày 19/5/2025", { kind: "date", milestones: [{ due: "2025-05-19" }] }],
    [
      "gửi kế hoạch về UBND tỉnh (qua Sở Nội vụ) chậm nhất ngày 15/5/2025.",
      { kind: "date", milestones: [{ due: "2025-05-15", label: "gửi kế hoạch về UBND tỉnh (qua Sở Nội vụ)" }] },
    ],
    ["Thường xuyên, định kỳ", { kind: "continuous", recurrence: "quarterly", milestones: [] }],
    ["Trong năm 2025", { kind: "period", milestones: [{ due: "2025-12-31" }] }],
  ];

  it.each(rows)("%j", (phrase, expected) => {
    const r = read(phrase, 2025, "2025-05-05");
    expect(r.deadline).toEqual({ raw: phrase, ...expected });
    expect(messages(r)).toEqual([]);
  });
});

// ---------------------------------------------------------------- beyond the contract

describe("beyond the contract, in its spirit", () => {
  it.each<[string, number, Omit<Deadline, "raw">]>([
    ["Tháng 11/2021 - tháng 2/2022", 2022, { kind: "period", milestones: [{ start: "2021-11-01", due: "2022-02-28" }] }],
    ["từ tháng 3 đến tháng 11/2022", 2022, { kind: "period", milestones: [{ start: "2022-03-01", due: "2022-11-30" }] }],
    ["Tháng 11 - tháng 2/2022", 2022, { kind: "period", milestones: [{ start: "2021-11-01", due: "2022-02-28" }] }],
    ["trước ngày 15/02", 2021, { kind: "date", milestones: [{ due: "2021-02-14" }] }],
    ["ngày 15 tháng 5 năm 2025", 2025, { kind: "date", milestones: [{ due: "2025-05-15" }] }],
    ["Định kỳ 6 tháng", 2021, { kind: "period", recurrence: "semiannual", milestones: [{ due: "2021-06-30" }, { due: "2021-12-31" }] }],
    [
      "Hàng tháng năm 2022",
      2022,
      {
        kind: "period",
        recurrence: "monthly",
        milestones: [
          { due: "2022-01-31" },
          { due: "2022-02-28" },
          { due: "2022-03-31" },
          { due: "2022-04-30" },
          { due: "2022-05-31" },
          { due: "2022-06-30" },
          { due: "2022-07-31" },
          { due: "2022-08-31" },
          { due: "2022-09-30" },
          { due: "2022-10-31" },
          { due: "2022-11-30" },
          { due: "2022-12-31" },
        ],
      },
    ],
    ["Quý I và quý II năm 2022", 2022, { kind: "period", milestones: [{ due: "2022-03-31" }, { due: "2022-06-30" }] }],
    [
      "Ban hành tháng 12/2020 sau khi có hướng dẫn",
      2021,
      { kind: "date", milestones: [{ due: "2020-12-31", label: "Ban hành" }], condition: "sau khi có hướng dẫn" },
    ],
    [
      "Sau khi có hướng dẫn; Quý IV/2021 báo cáo",
      2021,
      {
        kind: "period",
        milestones: [{ due: "2021-12-31", label: "báo cáo" }],
        condition: "Sau khi có hướng dẫn",
      },
    ],
    ["Thường xuyên; Sau khi có hướng dẫn", 2021, { kind: "continuous", milestones: [], condition: "Sau khi có hướng dẫn" }],
    ["Quý I báo cáo kế hoạch năm 2021", 2021, { kind: "period", milestones: [{ due: "2021-03-31", label: "báo cáo kế hoạch năm 2021" }] }],
  ])("%s", (phrase, planYear, expected) => {
    expect(read(phrase, planYear).deadline).toEqual({ raw: phrase, ...expected });
  });
});

// ---------------------------------------------------------------- contract: plans over several years

/** Parse with a plan period (first..last year), check the schema and return the result. */
function readIn(phrase: string, planYear: number, period?: [number, number], signed: string | null = null) {
  const result = parseDeadline(phrase, {
    planYear,
    ...(period ? { period: { first: period[0], last: period[1] } } : {}),
    signed,
  });
  expect(() => Deadline.parse(result.deadline)).not.toThrow();
  return result;
}

type PeriodCase = [phrase: string, planYear: number, period: [number, number] | undefined, expected: Omit<Deadline, "raw">];

const YEAR_ENDS_2026_2030 = [
  { due: "2026-12-31" },
  { due: "2027-12-31" },
  { due: "2028-12-31" },
  { due: "2029-12-31" },
  { due: "2030-12-31" },
];

describe("contract — plans that span several years", () => {
  const rows: PeriodCase[] = [
    // a year range: one milestone over the span, the yearly cycle asks for status
    ["2026 - 2030", 2026, [2026, 2030], { kind: "period", recurrence: "annual", milestones: [{ start: "2026-01-01", due: "2030-12-31" }] }],
    ["2026-2030", 2026, [2026, 2030], { kind: "period", recurrence: "annual", milestones: [{ start: "2026-01-01", due: "2030-12-31" }] }],
    [
      "Năm 2025 - 2026",
      2025,
      [2025, 2026],
      { kind: "period", recurrence: "annual", milestones: [{ start: "2025-01-01", due: "2026-12-31" }] },
    ],
    [
      "Giai đoạn 2026-2030",
      2026,
      [2026, 2030],
      { kind: "period", recurrence: "annual", milestones: [{ start: "2026-01-01", due: "2030-12-31" }] },
    ],
    ["2025-2035", 2025, [2025, 2035], { kind: "period", recurrence: "annual", milestones: [{ start: "2025-01-01", due: "2035-12-31" }] }],
    // a bare year
    ["2026", 2026, [2026, 2030], { kind: "period", milestones: [{ due: "2026-12-31" }] }],
    ["Năm 2026", 2026, [2026, 2030], { kind: "period", milestones: [{ due: "2026-12-31" }] }],
    ["**2025**", 2026, [2026, 2030], { kind: "period", milestones: [{ due: "2025-12-31" }] }],
    // a quarter range
    ["Quý IV/2025 - Quý II/2026", 2025, [2025, 2030], { kind: "period", milestones: [{ start: "2025-10-01", due: "2026-06-30" }] }],
    ["Quý IV/2025- Quý II/2026", 2025, [2025, 2030], { kind: "period", milestones: [{ start: "2025-10-01", due: "2026-06-30" }] }],
    ["Quý III/2025 đến Quý I/2026", 2025, [2025, 2030], { kind: "period", milestones: [{ start: "2025-07-01", due: "2026-03-31" }] }],
    // spelling "Quí", a dash before the year, "Năm" in capitals
    ["Quí IV-2025", 2025, [2025, 2030], { kind: "period", milestones: [{ due: "2025-12-31" }] }],
    ["Quý IV - 2025", 2025, [2025, 2030], { kind: "period", milestones: [{ due: "2025-12-31" }] }],
    ["Quý III Năm 2026", 2025, [2025, 2030], { kind: "period", milestones: [{ due: "2026-09-30" }] }],
    // … and the following years: the first is the milestone, later years by the cycle
    [
      "Quý IV năm 2025 và các năm tiếp theo",
      2025,
      [2025, 2026],
      { kind: "period", recurrence: "annual", milestones: [{ due: "2025-12-31" }] },
    ],
    ["Năm 2026 và các năm tiếp theo", 2025, [2025, 2026], { kind: "period", recurrence: "annual", milestones: [{ due: "2026-12-31" }] }],
    // a day of every year of the period
    ["Tháng 12 hằng năm", 2026, [2026, 2030], { kind: "period", recurrence: "annual", milestones: YEAR_ENDS_2026_2030 }],
    [
      "Hằng năm, trước ngày 15/12",
      2026,
      [2026, 2030],
      {
        kind: "period",
        recurrence: "annual",
        milestones: [{ due: "2026-12-14" }, { due: "2027-12-14" }, { due: "2028-12-14" }, { due: "2029-12-14" }, { due: "2030-12-14" }],
      },
    ],
    // "Hằng năm" alone: every year of the period
    ["Hằng năm", 2026, [2026, 2030], { kind: "period", recurrence: "annual", milestones: YEAR_ENDS_2026_2030 }],
    ["Hàng năm", 2026, [2026, 2030], { kind: "period", recurrence: "annual", milestones: YEAR_ENDS_2026_2030 }],
    // within a year
    ["Hoàn thành trong năm 2025", 2025, [2025, 2030], { kind: "period", milestones: [{ due: "2025-12-31", label: "Hoàn thành" }] }],
    ["Trong năm 2025", 2025, [2025, 2030], { kind: "period", milestones: [{ due: "2025-12-31" }] }],
    // conditional
    ["Khi có phát sinh", 2026, [2026, 2030], { kind: "conditional", milestones: [], condition: "Khi có phát sinh" }],
    [
      "Theo tiến độ xây dựng dự thảo văn bản của cơ quan chủ trì soạn thảo.",
      2025,
      [2025, 2026],
      { kind: "conditional", milestones: [], condition: "Theo tiến độ xây dựng dự thảo văn bản của cơ quan chủ trì soạn thảo" },
    ],
    [
      "Theo lộ trình, hướng dẫn của Bộ",
      2026,
      [2026, 2030],
      { kind: "conditional", milestones: [], condition: "Theo lộ trình, hướng dẫn của Bộ" },
    ],
    // continuous with a cycle
    [
      "Thường xuyên, định kỳ hằng quý báo cáo kết quả thực hiện",
      2026,
      [2026, 2030],
      { kind: "continuous", recurrence: "quarterly", milestones: [] },
    ],
    ["Thường xuyên, hằng năm", 2026, [2026, 2030], { kind: "continuous", recurrence: "annual", milestones: [] }],
  ];

  it.each(rows)("%s (plan %i, period %j)", (phrase, planYear, period, expected) => {
    const r = readIn(phrase, planYear, period);
    expect(r.deadline).toEqual({ raw: phrase, ...expected });
    expect(messages(r)).toEqual([]);
  });

  it.each<[string, Deadline["milestones"], Deadline["recurrence"]]>([
    ["Hằng năm", [{ due: "2021-12-31" }], "annual"],
    ["Hàng năm", [{ due: "2021-12-31" }], "annual"],
    ["Tháng 12 hằng năm", [{ due: "2021-12-31" }], "annual"],
    ["Hằng năm, trước ngày 15/12", [{ due: "2021-12-14" }], "annual"],
    ["Năm 2021 và các năm tiếp theo", [{ due: "2021-12-31" }], "annual"],
    ["Thường xuyên, hằng năm", [], "annual"],
  ])("a yearly plan's period is its year: %s (plan 2021)", (phrase, milestones, recurrence) => {
    const { deadline } = read(phrase, 2021);
    expect(deadline.milestones).toEqual(milestones);
    expect(deadline.recurrence).toBe(recurrence);
  });

  it.each<[string, string[]]>([
    ["quý II", ["2026-06-30"]],
    ["Thực hiện trong năm", ["2026-12-31"]],
    ["Tháng 8", ["2026-08-31"]],
    ["trước ngày 15/02", ["2026-02-14"]],
    ["XD kế hoạch Quý I; thực hiện quý IV", ["2026-03-31", "2026-12-31"]],
    ["Hằng quý", ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"]],
  ])("a phrase without a year takes the period's first year: %s", (phrase, dues) => {
    // plan year 2027 given on purpose: the period decides
    expect(readIn(phrase, 2027, [2026, 2030]).deadline.milestones.map((m) => m.due)).toEqual(dues);
  });

  it("the year-fits warning compares with the period: first-1 … last+1 fit", () => {
    for (const ok of ["Năm 2025", "Năm 2026", "Năm 2030", "Năm 2031", "Quý I/2025", "2025-2031"]) {
      expect(messages(readIn(ok, 2026, [2026, 2030])), ok).toEqual([]);
    }
    expect(messages(readIn("Năm 2024", 2026, [2026, 2030]))).toEqual(["Năm 2024 lệch quá một năm so với giai đoạn kế hoạch 2026–2030"]);
    expect(messages(readIn("Thường xuyên trong năm 2032", 2026, [2026, 2030]))).toEqual([
      "Năm 2032 lệch quá một năm so với giai đoạn kế hoạch 2026–2030",
    ]);
    expect(messages(readIn("2025-2035", 2026, [2026, 2030]))).toEqual(["Năm 2035 lệch quá một năm so với giai đoạn kế hoạch 2026–2030"]);
  });

  it("a period of one year reads and warns like a yearly plan", () => {
    for (const phrase of ["Hằng năm", "Quý I", "Năm 2024", "2025-2030", "Tháng 12 hằng năm", "Quý IV/2020"]) {
      const yearly = read(phrase, 2022, "2021-12-23");
      expect(readIn(phrase, 2022, [2022, 2022], "2021-12-23"), phrase).toEqual(yearly);
    }
  });

  it("a period written backwards is turned round", () => {
    expect(readIn("Hằng năm", 2026, [2030, 2026]).deadline.milestones).toEqual(YEAR_ENDS_2026_2030);
  });

  it("the signing-date warning still applies (Hằng năm from the period's first year)", () => {
    expect(messages(readIn("Hằng năm", 2025, [2025, 2027], "2026-01-10"))).toEqual([
      "Mốc 31/12/2025 trước ngày ký kế hoạch 10/01/2026 — coi như đã đến hạn",
    ]);
  });
});

describe("several years — choices beyond the contract", () => {
  const rows: PeriodCase[] = [
    // year ranges: more ways to write them
    ["2026–2030", 2026, [2026, 2030], { kind: "period", recurrence: "annual", milestones: [{ start: "2026-01-01", due: "2030-12-31" }] }],
    [
      "Từ năm 2026 đến năm 2030",
      2026,
      [2026, 2030],
      { kind: "period", recurrence: "annual", milestones: [{ start: "2026-01-01", due: "2030-12-31" }] },
    ],
    [
      "2026 đến 2030",
      2026,
      [2026, 2030],
      { kind: "period", recurrence: "annual", milestones: [{ start: "2026-01-01", due: "2030-12-31" }] },
    ],
    [
      "Giai đoạn 2026 - 2030.",
      2026,
      [2026, 2030],
      { kind: "period", recurrence: "annual", milestones: [{ start: "2026-01-01", due: "2030-12-31" }] },
    ],
    [
      "Thực hiện trong giai đoạn 2026 - 2030",
      2026,
      [2026, 2030],
      { kind: "period", recurrence: "annual", milestones: [{ start: "2026-01-01", due: "2030-12-31", label: "Thực hiện" }] },
    ],
    ["2026-2026", 2026, [2026, 2030], { kind: "period", milestones: [{ due: "2026-12-31" }] }],
    // a range inside a label is part of the label, not a deadline
    [
      "Quý I/2026 ban hành Kế hoạch giai đoạn 2026-2030",
      2026,
      [2026, 2030],
      { kind: "period", milestones: [{ due: "2026-03-31", label: "ban hành Kế hoạch giai đoạn 2026-2030" }] },
    ],
    [
      "Quý I/2026 ban hành Kế hoạch giai đoạn 2026 - 2030",
      2026,
      [2026, 2030],
      { kind: "period", milestones: [{ due: "2026-03-31", label: "ban hành Kế hoạch giai đoạn 2026 - 2030" }] },
    ],
    // a year alone
    ["2026.", 2026, [2026, 2030], { kind: "period", milestones: [{ due: "2026-12-31" }] }],
    ["- 2027", 2026, [2026, 2030], { kind: "period", milestones: [{ due: "2027-12-31" }] }],
    ["2026 và các năm tiếp theo", 2026, [2026, 2030], { kind: "period", recurrence: "annual", milestones: [{ due: "2026-12-31" }] }],
    ["Năm 2026 và những năm tiếp theo", 2026, [2026, 2030], { kind: "period", recurrence: "annual", milestones: [{ due: "2026-12-31" }] }],
    // quarter ranges
    ["Từ Quý II đến Quý IV", 2026, [2026, 2030], { kind: "period", milestones: [{ start: "2026-04-01", due: "2026-12-31" }] }],
    ["Quý IV - Quý I/2027", 2026, [2026, 2030], { kind: "period", milestones: [{ start: "2026-10-01", due: "2027-03-31" }] }],
    ["Quý I - II/2026", 2026, [2026, 2030], { kind: "period", milestones: [{ start: "2026-01-01", due: "2026-06-30" }] }],
    ["Quí I, II năm 2026", 2026, [2026, 2030], { kind: "period", milestones: [{ due: "2026-03-31" }, { due: "2026-06-30" }] }],
    // a dash before a month's year
    ["Tháng 12-2026", 2026, [2026, 2030], { kind: "date", milestones: [{ due: "2026-12-31" }] }],
    // a day of every year
    ["Quý IV hằng năm", 2026, [2026, 2030], { kind: "period", recurrence: "annual", milestones: YEAR_ENDS_2026_2030 }],
    [
      "trước ngày 15/11 hằng năm",
      2026,
      [2026, 2028],
      { kind: "period", recurrence: "annual", milestones: [{ due: "2026-11-14" }, { due: "2027-11-14" }, { due: "2028-11-14" }] },
    ],
    // "hằng năm" next to a written year: that year to the period's end
    [
      "Quý I/2027 ban hành kế hoạch; hằng năm báo cáo",
      2026,
      [2026, 2029],
      {
        kind: "period",
        recurrence: "annual",
        milestones: [
          { due: "2027-03-31", label: "ban hành kế hoạch" },
          { due: "2027-12-31", label: "báo cáo" },
          { due: "2028-12-31", label: "báo cáo" },
          { due: "2029-12-31", label: "báo cáo" },
        ],
      },
    ],
    // "hằng quý" keeps to the year it takes; the recurrence carries on
    [
      "Hằng quý",
      2026,
      [2026, 2030],
      {
        kind: "period",
        recurrence: "quarterly",
        milestones: [{ due: "2026-03-31" }, { due: "2026-06-30" }, { due: "2026-09-30" }, { due: "2026-12-31" }],
      },
    ],
    // continuous with other cycles
    ["Thường xuyên, định kỳ 6 tháng", 2026, [2026, 2030], { kind: "continuous", recurrence: "semiannual", milestones: [] }],
    ["Thường xuyên và định kỳ hằng tháng", 2026, [2026, 2030], { kind: "continuous", recurrence: "monthly", milestones: [] }],
    ["Thường xuyên trong năm, định kỳ hằng quý", 2026, [2026, 2030], { kind: "continuous", recurrence: "quarterly", milestones: [] }],
    [
      "Thường xuyên; hằng năm",
      2026,
      [2026, 2027],
      { kind: "period", recurrence: "annual", milestones: [{ due: "2026-12-31" }, { due: "2027-12-31" }] },
    ],
  ];

  it.each(rows)("%s (plan %i, period %j)", (phrase, planYear, period, expected) => {
    const r = readIn(phrase, planYear, period);
    expect(r.deadline).toEqual({ raw: phrase, ...expected });
    expect(messages(r)).toEqual([]);
  });

  it.each([
    "2026 ban hành kế hoạch",
    "Báo cáo 2020",
    "báo cáo năm 2020",
    "Kế hoạch giai đoạn 2026-2030",
    "2030-2026",
    "5000",
    "Chính phủ điện tử giai đoạn 2019-2020", // "tử" is not "từ", though both fold to "tu"
    "TCVN ISO 9001: 2015.",
    "TCVN ISO 9001:2015",
  ])("a year inside words, or a range backwards, is no deadline: %j", (phrase) => {
    const r = readIn(phrase, 2026, [2026, 2030]);
    expect(r.deadline.kind).toBe("unknown");
    expect(messages(r)).toEqual([`Không đọc được thời hạn «${phrase}»`]);
  });

  it("'từ' as written lifts the part-start rule, in any Unicode form", () => {
    for (const phrase of ["Thực hiện từ năm 2026 đến năm 2030", "Thực hiện từ năm 2026 đến năm 2030".normalize("NFD")]) {
      expect(readIn(phrase, 2026, [2026, 2030]).deadline).toEqual({
        raw: "Thực hiện từ năm 2026 đến năm 2030",
        kind: "period",
        recurrence: "annual",
        milestones: [{ start: "2026-01-01", due: "2030-12-31", label: "Thực hiện" }],
      });
    }
  });

  it("a dash before 'Năm' still starts a part in a yearly plan (as before)", () => {
    expect(read("Tháng 12/2020 - Năm 2021", 2021).deadline).toEqual({
      raw: "Tháng 12/2020 - Năm 2021",
      kind: "period",
      milestones: [{ due: "2020-12-31" }, { due: "2021-12-31" }],
    });
  });

  it("a dash across a bullet line break separates quarters, it is no range", () => {
    expect(read("- Quý I\n- Quý IV báo cáo", 2021).deadline.milestones).toEqual([
      { due: "2021-03-31" },
      { due: "2021-12-31", label: "báo cáo" },
    ]);
  });

  it("'các năm tiếp theo' inside a label adds no cycle", () => {
    expect(readIn("Quý I/2026 lập kế hoạch cho các năm tiếp theo", 2026, [2026, 2030]).deadline).toEqual({
      raw: "Quý I/2026 lập kế hoạch cho các năm tiếp theo",
      kind: "period",
      milestones: [{ due: "2026-03-31", label: "lập kế hoạch cho các năm tiếp theo" }],
    });
  });
});

// ---------------------------------------------------------------- long cells

// How long they take is measured in bench/ (npm run bench -- --only deadline), not asserted here.
describe("long cells are read whole", () => {
  it.each([
    ["quarter lists", "Quý I, II, III, IV năm 2026 ban hành; ".repeat(140)],
    ["continuous", "Thường xuyên, định kỳ hằng quý ".repeat(170)],
    ["year ranges", "2026 - ".repeat(720)],
    ["month ranges", "Tháng 1 - ".repeat(500)],
    ["hằng năm", "Hằng năm, ".repeat(500)],
    ["prose", "Theo Kế hoạch số 140/KH-UBND ngày 14/10/2021 của UBND tỉnh đối với những nhiệm vụ ".repeat(60)],
    ["words", "và trong năm quý ".repeat(300)],
  ])("a 5,000-character cell of %s", (_name, cell) => {
    expect(cell.length).toBeGreaterThanOrEqual(4800);
    const { deadline } = readIn(cell, 2026, [2026, 2030]);
    expect(deadline.raw).toBe(cell.trim());
  });
});

// ---------------------------------------------------------------- beyond the contract: 2024 plans

/**
 * Phrase families from 2024 plans (Thạch Thất, Lạng Sơn, Gia Lai, Hải Dương, Nghệ An), each
 * read like the contract phrase it resolves to; the choices are in the parser's docstring.
 */
describe("beyond the contract — phrase families of 2024 plans", () => {
  type FamilyCase = [phrase: string, planYear: number, expected: Omit<Deadline, "raw">];
  const check = (phrase: string, planYear: number, expected: Omit<Deadline, "raw">) => {
    const r = read(phrase, planYear);
    expect(r.deadline).toEqual({ raw: phrase, ...expected });
    expect(messages(r)).toEqual([]);
  };

  describe("'cuối' / 'đầu' năm, quý, tháng", () => {
    it.each<FamilyCase>([
      // cuối năm: the year's end, read like "Năm 2024"
      ["Cuối năm 2024", 2024, { kind: "period", milestones: [{ due: "2024-12-31" }] }],
      ["cuối năm", 2024, { kind: "period", milestones: [{ due: "2024-12-31" }] }],
      ["Cuối năm", 2021, { kind: "period", milestones: [{ due: "2021-12-31" }] }],
      ["vào cuối năm nay", 2024, { kind: "period", milestones: [{ due: "2024-12-31" }] }],
      ["CUỐI NĂM 2025", 2025, { kind: "period", milestones: [{ due: "2025-12-31" }] }],
      [
        "Kỳ họp thường lệ cuối năm 2024 của HĐND tỉnh",
        2024,
        { kind: "period", milestones: [{ due: "2024-12-31", label: "Kỳ họp thường lệ của HĐND tỉnh" }] },
      ],
      // cuối quý / cuối tháng: the end of the quarter / month named ("cuối" is no label)
      ["Cuối quý II/2024", 2024, { kind: "period", milestones: [{ due: "2024-06-30" }] }],
      ["cuối quý IV", 2024, { kind: "period", milestones: [{ due: "2024-12-31" }] }],
      ["Cuối Quý 3 năm 2025", 2025, { kind: "period", milestones: [{ due: "2025-09-30" }] }],
      ["cuối tháng 6/2024", 2024, { kind: "date", milestones: [{ due: "2024-06-30" }] }],
      ["Cuối tháng 2", 2024, { kind: "date", milestones: [{ due: "2024-02-29" }] }],
      // đầu quý / đầu năm: the first month of it, due that month's last day (a date, like "Tháng 4")
      ["Đầu quý II/2024", 2024, { kind: "date", milestones: [{ due: "2024-04-30" }] }],
      ["Đầu Quý II/2024", 2024, { kind: "date", milestones: [{ due: "2024-04-30" }] }],
      ["đầu quý IV năm 2025", 2025, { kind: "date", milestones: [{ due: "2025-10-31" }] }],
      ["đầu quý I", 2021, { kind: "date", milestones: [{ due: "2021-01-31" }] }],
      ["Đầu quý I, III/2024", 2024, { kind: "period", milestones: [{ due: "2024-01-31" }, { due: "2024-07-31" }] }],
      ["đầu năm 2024", 2024, { kind: "date", milestones: [{ due: "2024-01-31" }] }],
      ["Đầu năm", 2021, { kind: "date", milestones: [{ due: "2021-01-31" }] }],
      // đầu tháng: too vague for a day, so the month's end like "Tháng 5/2024"
      ["đầu tháng 5/2024", 2024, { kind: "date", milestones: [{ due: "2024-05-31" }] }],
      ["Đầu tháng 01/2025", 2024, { kind: "date", milestones: [{ due: "2025-01-31" }] }],
      // before or inside a range they change nothing
      ["từ đầu tháng 3 đến cuối tháng 5/2024", 2024, { kind: "period", milestones: [{ start: "2024-03-01", due: "2024-05-31" }] }],
      ["Cuối quý II - quý III/2024", 2024, { kind: "period", milestones: [{ start: "2024-04-01", due: "2024-09-30" }] }],
      // in compounds, with labels and a lent year
      [
        "Đầu năm 2024 ban hành kế hoạch; cuối năm báo cáo kết quả",
        2024,
        {
          kind: "period",
          milestones: [
            { due: "2024-01-31", label: "ban hành kế hoạch" },
            { due: "2024-12-31", label: "báo cáo kết quả" },
          ],
        },
      ],
      [
        "Cuối quý I ban hành kế hoạch; cuối năm 2025 tổng kết",
        2024,
        {
          kind: "period",
          milestones: [
            { due: "2025-03-31", label: "ban hành kế hoạch" },
            { due: "2025-12-31", label: "tổng kết" },
          ],
        },
      ],
    ])("%s (plan %i)", check);

    it.each<[string, number]>([
      ["Cuối năm học 2023-2024", 2024], // a school year is no calendar year
      ["Phấn đấu năm 2025 hoàn thành", 2025], // "phấn đấu" folds to the letters of "đầu"
      ["phấn đấu năm", 2025],
    ])("%s (plan %i) is not read and is reported", (phrase, planYear) => {
      const r = read(phrase, planYear);
      expect(r.deadline).toEqual({ raw: phrase, kind: "unknown", milestones: [] });
      expect(messages(r)).toEqual([`Không đọc được thời hạn «${phrase}»`]);
    });

    it("'phấn đấu' before a quarter is a label, not 'đầu quý'", () => {
      check("Phấn đấu quý II/2024 hoàn thành", 2024, {
        kind: "period",
        milestones: [{ due: "2024-06-30", label: "Phấn đấu hoàn thành" }],
      });
    });
  });

  describe("'N tháng đầu năm' / 'N tháng cuối năm'", () => {
    it.each<FamilyCase>([
      ["6 tháng đầu năm 2024", 2024, { kind: "period", milestones: [{ due: "2024-06-30" }] }],
      ["6 tháng cuối năm 2024", 2024, { kind: "period", milestones: [{ due: "2024-12-31" }] }],
      ["9 tháng đầu năm", 2024, { kind: "period", milestones: [{ due: "2024-09-30" }] }],
      ["3 tháng đầu năm", 2023, { kind: "period", milestones: [{ due: "2023-03-31" }] }],
      ["06 tháng đầu năm 2025", 2025, { kind: "period", milestones: [{ due: "2025-06-30" }] }],
      ["Sáu tháng đầu năm 2024", 2024, { kind: "period", milestones: [{ due: "2024-06-30" }] }],
      ["trong 6 tháng đầu năm", 2024, { kind: "period", milestones: [{ due: "2024-06-30" }] }],
      ["2 tháng đầu năm 2024", 2024, { kind: "period", milestones: [{ due: "2024-02-29" }] }],
      [
        "Sơ kết 6 tháng đầu năm; tổng kết cuối năm 2024",
        2023,
        {
          kind: "period",
          milestones: [
            { due: "2024-06-30", label: "Sơ kết" },
            { due: "2024-12-31", label: "tổng kết" },
          ],
        },
      ],
      // not to be confused with the semiannual cycle
      ["6 tháng một lần", 2024, { kind: "period", recurrence: "semiannual", milestones: [{ due: "2024-06-30" }, { due: "2024-12-31" }] }],
    ])("%s (plan %i)", check);

    it.each<[string, number]>([
      ["15 tháng đầu năm", 2024], // no month 15: not read, and not "đầu năm" either
      ["Quý đầu năm 2024", 2024], // a span from the year's start, not "đầu năm"
      ["2 tuần đầu năm", 2024],
      ["6 tháng đầu năm học 2024-2025", 2024],
    ])("%s (plan %i) is not read and is reported", (phrase, planYear) => {
      const r = read(phrase, planYear);
      expect(r.deadline).toEqual({ raw: phrase, kind: "unknown", milestones: [] });
      expect(messages(r)).toEqual([`Không đọc được thời hạn «${phrase}»`]);
    });
  });

  describe("'trước' a day without 'ngày', and a bare date", () => {
    it.each<FamilyCase>([
      ["Trước 30/6/2024", 2024, { kind: "date", milestones: [{ due: "2024-06-29" }] }],
      ["Trước 31/3/2024", 2024, { kind: "date", milestones: [{ due: "2024-03-30" }] }],
      ["trước 15/02", 2024, { kind: "date", milestones: [{ due: "2024-02-14" }] }],
      ["trước 15/02", 2021, { kind: "date", milestones: [{ due: "2021-02-14" }] }],
      ["Trước 01/3", 2024, { kind: "date", milestones: [{ due: "2024-02-29" }] }],
      ["chậm nhất 31/3", 2024, { kind: "date", milestones: [{ due: "2024-03-31" }] }],
      ["Hằng năm, trước 15/12", 2024, { kind: "period", recurrence: "annual", milestones: [{ due: "2024-12-14" }] }],
      [
        "Quý I/2025 ban hành; trước 15/12 báo cáo",
        2024,
        {
          kind: "period",
          milestones: [
            { due: "2025-03-31", label: "ban hành" },
            { due: "2025-12-14", label: "báo cáo" },
          ],
        },
      ],
      ["31/12/2024", 2024, { kind: "date", milestones: [{ due: "2024-12-31" }] }],
      ["30/6/2024", 2024, { kind: "date", milestones: [{ due: "2024-06-30" }] }],
      ["31/01/2025", 2024, { kind: "date", milestones: [{ due: "2025-01-31" }] }],
    ])("%s (plan %i)", check);

    it.each(["15/02", "trước 30/02", "trước 10/15"])("%s is not read and is reported", (phrase) => {
      const r = read(phrase, 2024);
      expect(r.deadline).toEqual({ raw: phrase, kind: "unknown", milestones: [] });
      expect(messages(r)).toEqual([`Không đọc được thời hạn «${phrase}»`]);
    });
  });

  describe("month lists: one milestone per month named", () => {
    it.each<FamilyCase>([
      ["Tháng 10, 11/2024", 2024, { kind: "period", milestones: [{ due: "2024-10-31" }, { due: "2024-11-30" }] }],
      ["tháng 6 và tháng 12/2024", 2024, { kind: "period", milestones: [{ due: "2024-06-30" }, { due: "2024-12-31" }] }],
      ["Tháng 6/2024, tháng 12/2024", 2024, { kind: "period", milestones: [{ due: "2024-06-30" }, { due: "2024-12-31" }] }],
      ["Tháng 6 và 12/2024", 2024, { kind: "period", milestones: [{ due: "2024-06-30" }, { due: "2024-12-31" }] }],
      ["Tháng 10, 11 năm 2024", 2024, { kind: "period", milestones: [{ due: "2024-10-31" }, { due: "2024-11-30" }] }],
      ["Tháng 10, 11/2024", 2023, { kind: "period", milestones: [{ due: "2024-10-31" }, { due: "2024-11-30" }] }],
      ["Tháng 10, 11", 2023, { kind: "period", milestones: [{ due: "2023-10-31" }, { due: "2023-11-30" }] }],
      [
        "tháng 6, 9 và 12/2025",
        2025,
        { kind: "period", milestones: [{ due: "2025-06-30" }, { due: "2025-09-30" }, { due: "2025-12-31" }] },
      ],
      ["Tháng 1 + tháng 2/2024", 2024, { kind: "period", milestones: [{ due: "2024-01-31" }, { due: "2024-02-29" }] }],
      // a list that wraps starts the year before, like a range
      ["tháng 11, 12, 1/2025", 2025, { kind: "period", milestones: [{ due: "2024-11-30" }, { due: "2024-12-31" }, { due: "2025-01-31" }] }],
      // words after the list label every month of it
      [
        "Tháng 10, 11/2024 tổ chức đối thoại",
        2024,
        {
          kind: "period",
          milestones: [
            { due: "2024-10-31", label: "tổ chức đối thoại" },
            { due: "2024-11-30", label: "tổ chức đối thoại" },
          ],
        },
      ],
      // the list lends its year to the other parts
      [
        "Quý I ban hành kế hoạch; tháng 6, 12/2024 báo cáo",
        2023,
        {
          kind: "period",
          milestones: [
            { due: "2024-03-31", label: "ban hành kế hoạch" },
            { due: "2024-06-30", label: "báo cáo" },
            { due: "2024-12-31", label: "báo cáo" },
          ],
        },
      ],
    ])("%s (plan %i)", check);

    it("a list running into a range is no list: the part it could not read is reported", () => {
      const r = read("Tháng 3, 4-5/2024", 2024);
      expect(r.deadline.milestones.map((m) => m.due)).toEqual(["2024-03-31"]);
      expect(messages(r)).toEqual(["Không đọc được phần «4-5/2024» của thời hạn «Tháng 3, 4-5/2024»"]);
    });

    it("a number that is no month makes no list", () => {
      const r = read("Tháng 10, 13/2024", 2024);
      expect(r.deadline.milestones.map((m) => m.due)).not.toContain("2024-13-31");
      expect(messages(r)).toContain("Không đọc được phần «13/2024» của thời hạn «Tháng 10, 13/2024»");
    });
  });

  describe("quarter ranges with one year; a quarter list stays a list", () => {
    it.each<FamilyCase>([
      ["Quý II-III/2024", 2024, { kind: "period", milestones: [{ start: "2024-04-01", due: "2024-09-30" }] }],
      ["Quý I - Quý II/2024", 2024, { kind: "period", milestones: [{ start: "2024-01-01", due: "2024-06-30" }] }],
      ["Quý II - III năm 2024", 2024, { kind: "period", milestones: [{ start: "2024-04-01", due: "2024-09-30" }] }],
      ["Quý 1-2/2025", 2025, { kind: "period", milestones: [{ start: "2025-01-01", due: "2025-06-30" }] }],
      ["Quý III-IV", 2024, { kind: "period", milestones: [{ start: "2024-07-01", due: "2024-12-31" }] }],
      ["Quý II-III/2024", 2023, { kind: "period", milestones: [{ start: "2024-04-01", due: "2024-09-30" }] }],
      ["Quý I, II/2024", 2024, { kind: "period", milestones: [{ due: "2024-03-31" }, { due: "2024-06-30" }] }],
      ["Quý II, IV/2024", 2024, { kind: "period", milestones: [{ due: "2024-06-30" }, { due: "2024-12-31" }] }],
    ])("%s (plan %i)", check);
  });

  describe("month ranges joined by 'và': one period milestone each", () => {
    const TWO_RANGES_2024 = [
      { start: "2024-03-01", due: "2024-04-30" },
      { start: "2024-07-01", due: "2024-08-31" },
    ];
    it.each<FamilyCase>([
      ["Tháng 3-4/2024 và tháng 7-8/2024", 2024, { kind: "period", milestones: TWO_RANGES_2024 }],
      ["Tháng 3-4 và tháng 7-8/2024", 2024, { kind: "period", milestones: TWO_RANGES_2024 }],
      ["Tháng 3-4/2024 và tháng 7-8/2024", 2023, { kind: "period", milestones: TWO_RANGES_2024 }],
      ["tháng 3 - 4/2024; tháng 7 - 8/2024", 2024, { kind: "period", milestones: TWO_RANGES_2024 }],
      [
        "Tháng 3-4/2024 khảo sát và tháng 7-8/2024 tổng hợp",
        2024,
        {
          kind: "period",
          milestones: [
            { start: "2024-03-01", due: "2024-04-30", label: "khảo sát" },
            { start: "2024-07-01", due: "2024-08-31", label: "tổng hợp" },
          ],
        },
      ],
    ])("%s (plan %i)", check);
  });

  describe("two days for one deadline: not read, never misread", () => {
    it.each(["Trước ngày 10/15 của tháng cuối quý", "trước ngày 10/15 của tháng cuối quý", "Trước ngày 10/15"])(
      "%s is unknown and reported",
      (phrase) => {
        const r = read(phrase, 2024);
        expect(r.deadline).toEqual({ raw: phrase, kind: "unknown", milestones: [] });
        expect(messages(r)).toEqual([`Không đọc được thời hạn «${phrase}»`]);
      },
    );

    it("the contract's one-day phrase is still read", () => {
      check("Trước ngày 10 của tháng cuối quý", 2024, {
        kind: "period",
        recurrence: "quarterly",
        milestones: [{ due: "2024-03-09" }, { due: "2024-06-09" }, { due: "2024-09-09" }, { due: "2024-12-09" }],
      });
    });
  });

  it.each([
    ["month lists", "Tháng 10, 11/2024 báo cáo; ".repeat(190)],
    ["month lists that run into ranges", "tháng 1, ".repeat(560) + "2-3"],
    ["halves of the year", "6 tháng đầu năm 2024, ".repeat(230)],
    ["cuối / đầu", "cuối quý II, đầu năm, phấn đấu năm ".repeat(150)],
  ])("a 5,000-character cell of %s is read whole", (_name, cell) => {
    expect(cell.length).toBeGreaterThanOrEqual(4800);
    expect(read(cell, 2024).deadline.raw).toBe(cell.trim());
  });
});
