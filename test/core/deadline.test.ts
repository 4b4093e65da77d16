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
    [
      "Sau khi có Quyết định của Bộ Nội vụ",
      { kind: "conditional", milestones: [], condition: "Sau khi có Quyết định của Bộ Nội vụ" },
    ],
    [
      "Khi có quy định của Trung ương",
      { kind: "conditional", milestones: [], condition: "Khi có quy định của Trung ương" },
    ],
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
    [
      "- Ban hành tháng 12/2020; - Thực hiện thường xuyên",
      2021,
      { kind: "date", milestones: [{ due: "2020-12-31", label: "Ban hành" }] },
    ],
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
    [
      "Tháng 12/2020 và trong năm 2021",
      2021,
      { kind: "period", milestones: [{ due: "2020-12-31" }, { due: "2021-12-31" }] },
    ],
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
    expect(read("Quý I, II năm 2022; quý II năm 2022", 2022).deadline.milestones).toEqual([
      { due: "2022-03-31" },
      { due: "2022-06-30" },
    ]);
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
    expect(read("XD kế hoạch Quý I".normalize("NFD")).deadline.milestones).toEqual([
      { due: "2021-03-31", label: "XD kế hoạch" },
    ]);
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
    expect(messages(read("Quý I năm 2019; Quý II năm 2019", 2021))).toEqual([
      "Năm 2019 lệch quá một năm so với năm kế hoạch 2021",
    ]);
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
    [
      "- Ban\nhành tháng 12/2020;\n- Thực\nhiện thường xuyên",
      { kind: "date", milestones: [{ due: "2020-12-31", label: "Ban hành" }] },
    ],
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
    [
      "Khi có quy định của Trung ương",
      { kind: "conditional", milestones: [], condition: "Khi có quy định của Trung ương" },
    ],
    [
      "Sau khi có Nghị quyết HĐND tỉnh",
      { kind: "conditional", milestones: [], condition: "Sau khi có Nghị quyết HĐND tỉnh" },
    ],
    [
      "Sau khi có Quyết định của Bộ Nội vụ",
      { kind: "conditional", milestones: [], condition: "Sau khi có Quyết định của Bộ Nội vụ" },
    ],
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
    [
      "Thường xuyên\ntrong năm; định kỳ báo cáo kết quả thực hiện.",
      { kind: "continuous", recurrence: "quarterly", milestones: [] },
    ],
    [
      "Thường xuyên\ntrong năm. Trong năm 2022 hoàn thành phê duyệt lại Đề án vị trí việc làm của\n100% cơ quan, tổ chức hành chính cấp tỉnh, cấp huyện.",
      {
        kind: "period",
        milestones: [
          {
            due: "2022-12-31",
            label:
              "hoàn thành phê duyệt lại Đề án vị trí việc làm của 100% cơ quan, tổ chức hành chính cấp tỉnh, cấp huyện",
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
        condition:
          "Theo Kế hoạch số 140/KH-UBND ngày 14/10/2021 của UBND tỉnh đối với những nhiệm vụ thực hiện trong năm 2022",
      },
    ],
    [
      "Theo Kế hoạch\nsố 169/KH-UBND ngày 09/12/2021 của Chủ tịch UBND tỉnh đối với những nhiệm vụ thực\nhiện trong năm 2022.",
      {
        kind: "conditional",
        milestones: [],
        condition:
          "Theo Kế hoạch số 169/KH-UBND ngày 09/12/2021 của Chủ tịch UBND tỉnh đối với những nhiệm vụ thực hiện trong năm 2022",
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
    ["Hàng tháng năm 2022", 2022, { kind: "period", recurrence: "monthly", milestones: [
      { due: "2022-01-31" }, { due: "2022-02-28" }, { due: "2022-03-31" }, { due: "2022-04-30" },
      { due: "2022-05-31" }, { due: "2022-06-30" }, { due: "2022-07-31" }, { due: "2022-08-31" },
      { due: "2022-09-30" }, { due: "2022-10-31" }, { due: "2022-11-30" }, { due: "2022-12-31" },
    ] }],
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
