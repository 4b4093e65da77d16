import { describe, expect, it } from "vitest";
import { completion, computeDigest, digestJson, periodOf, PeriodError, readPeriod, type Digest } from "../../src/digest/figures.ts";
import { agencyNames, calendar, importedPlan, kienGiang, Script } from "./fixtures.ts";

const states = (d: Digest) => Object.fromEntries(d.rows.map((r) => [r.task.code, r.state]));
// `awaitingDone` (open at 100 %) is asserted in issue13-figures.test.ts.
const counters = ({ awaitingDone: _awaiting, ...c }: Digest["totals"]) => c;

describe("computeDigest on Kế hoạch 189/KH-UBND (Kiên Giang 2021), progress scripted in fixtures.ts", () => {
  it("Quý II/2021 as of 30/06/2021 matches the hand count", async () => {
    const s = await kienGiang();
    const d = computeDigest(s.input(), periodOf("quy 2", 2021), "2021-06-30", calendar);
    // In Q2 (due 01/04–30/06, or due before and still open on 01/04):
    //   done on time: A14 (extended to 31/05, done 25/05), A16 (condition date 15/06, done 10/06)  = 2
    //   done late:    A6 (31/01 → 15/04), A9 (31/03 → 30/06, the day of `at`), A21 (31/12/2020 → 02/04) = 3
    //   open on time: A31 (due 30/06 = at)                                                            = 1
    //   overdue:      A3, A8, A10, A11 (done only on 05/07, after `at`), A20, A22, A26, A29 (its Q1 milestone) = 8
    //   waiting:      A15                                                                             = 1
    // Not in Q2: done before 01/04 (A1, A2, A5, A7, A12, A19, A23, A27, A28's Q1 milestone, A30), due after
    //   30/06 (A4 — though done early —, A13, A17, A18, A25, A28's Q4 milestone), A24 (extended to 31/07).
    expect(counters(d.totals)).toEqual({
      tasks: 15,
      doneOnTime: 2,
      doneLate: 3,
      openOnTime: 1,
      openOverdue: 8,
      continuousReported: 0,
      continuousMissing: 0,
      conditional: 1,
    });
    expect(states(d)).toEqual({
      A3: "openOverdue",
      A6: "doneLate",
      A8: "openOverdue",
      A9: "doneLate",
      A10: "openOverdue",
      A11: "openOverdue",
      A14: "doneOnTime",
      A15: "conditional",
      A16: "doneOnTime",
      A20: "openOverdue",
      A21: "doneLate",
      A22: "openOverdue",
      A26: "openOverdue",
      A29: "openOverdue",
      A31: "openOnTime",
    });
    // By agency, ranked by overdue then completion (Sở KH&CN before Sở Tài chính: same figures, by name).
    expect(d.byAgency.map((r) => [r.agencyId, r.tasks, r.doneOnTime, r.doneLate, r.openOnTime, r.openOverdue, r.conditional])).toEqual([
      ["so-noi-vu", 5, 0, 0, 1, 4, 0], // A10 A11 A26 A29 overdue, A31 open
      ["so-tttt", 3, 0, 1, 0, 2, 0], // A21 late; A20 A22 overdue
      ["so-tu-phap", 1, 0, 0, 0, 1, 0], // A3 — 0% done
      ["vp-ubnd", 3, 0, 2, 0, 1, 0], // A6 A9 late; A8 overdue — 67% done
      ["so-khcn", 1, 1, 0, 0, 0, 0], // A16
      ["so-tai-chinh", 1, 1, 0, 0, 0, 0], // A14
      ["co-quan-chu-quan", 1, 0, 0, 0, 0, 1], // A15, no completion rate
    ]);
    expect(d.byAgency[0].name).toBe("Sở Nội vụ");
    expect(d.byArea.map((r) => [r.area, r.tasks, r.openOverdue])).toEqual([
      ["chi-dao-dieu-hanh", 3, 2], // A26 A29 overdue, A31
      ["the-che", 1, 1], // A3
      ["thu-tuc-hanh-chinh", 3, 1], // A6 A8 A9
      ["to-chuc-bo-may", 2, 2], // A10 A11
      ["tai-chinh-cong", 3, 0], // A14 A15 A16
      ["chinh-quyen-so", 3, 2], // A20 A21 A22
    ]);
    // Working days from the due to 30/06 (as the reminders count): 120 from 31/12/2020, 100 from 31/01, 62 from 31/03.
    expect(d.overdue.map((o) => `${o.code}@${o.agencyId}:${o.due}:${o.workingDaysLate}`)).toEqual([
      "A10@so-noi-vu:2020-12-31:120",
      "A20@so-tttt:2020-12-31:120",
      "A26@so-noi-vu:2020-12-31:120",
      "A3@so-tu-phap:2021-01-31:100",
      "A8@vp-ubnd:2021-03-31:62",
      "A11@so-noi-vu:2021-03-31:62",
      "A22@so-tttt:2021-03-31:62",
      "A29@so-noi-vu:2021-03-31:62",
    ]);
    // 01/04–30/06/2021: 22 + 21 + 22 = 65 weekdays, less Giỗ Tổ (21/4), 30/4 and 3/5 (for 1/5, a Saturday).
    expect(d.overdue.find((o) => o.code === "A8")!.workingDaysLate).toBe(65 - 3);
    expect(d.blockers).toEqual([
      {
        code: "A22",
        agencyId: "so-tttt",
        name: "Sở Thông tin và Truyền thông",
        at: "2021-05-10T07:00:00.000Z",
        text: "Chờ ý kiến thẩm định của Sở Tài chính",
      },
    ]);
    expect(d.extensionsGranted).toEqual([]); // both were granted in March
    expect(completion(d.totals)).toBeCloseTo((100 * 5) / 14);
  });

  it("Quý I/2021 as of 31/03/2021: later reports are not done yet, later extensions and dates not given yet", async () => {
    const s = await kienGiang();
    const d = computeDigest(s.input(), periodOf("quy I", 2021), "2021-03-31", calendar);
    //   done on time: A5, A7, A12, A23 (on 31/03), A27, A28 (its Q1 milestone), A30         = 7
    //   done late:    A2 (28/02 → 10/03), A19 (31/12/2020 → 10/01/2021)                       = 2
    //   open on time: A8, A9, A11, A22, A29 (all due 31/03 = at; A9, A11 done later)          = 5
    //   overdue:      A3, A6 (done only 15/04), A10, A20, A21 (done 02/04), A26               = 6
    //   waiting:      A15, A16 (its date was given on 01/05)                                   = 2
    // A14 and A24 were extended past 31/03 before it, A1 was done in 2020.
    expect(counters(d.totals)).toEqual({
      tasks: 22,
      doneOnTime: 7,
      doneLate: 2,
      openOnTime: 5,
      openOverdue: 6,
      continuousReported: 0,
      continuousMissing: 0,
      conditional: 2,
    });
    expect(states(d)).toMatchObject({ A6: "openOverdue", A9: "openOnTime", A16: "conditional", A21: "openOverdue", A28: "doneOnTime" });
    expect(d.rows.map((r) => r.task.code)).not.toContain("A14");
    expect(d.extensionsGranted.map((x) => [x.code, x.originalDue, x.newDue])).toEqual([
      ["A24", "2021-03-31", "2021-07-31"],
      ["A14", "2021-03-31", "2021-05-31"],
    ]);
    // 31/12/2020 → 31/03/2021: 64 weekdays less 1/1 and the Tết break (10–16/2: 5 working days).
    expect(d.overdue.find((o) => o.code === "A10")!.workingDaysLate).toBe(58);
  });

  it("the year 2021 as of 30/06/2021", async () => {
    const s = await kienGiang();
    const d = computeDigest(s.input(), periodOf("nam", 2021), "2021-06-30", calendar);
    // Every task but A1 (done in 2020 for a 2020 due):
    //   on time 9: A4 A5 A7 A12 A14 A16 A23 A27 A30 · late 5: A2 A6 A9 A19 A21
    //   open 7: A13 A17 A18 A24 (31/07) A25 A28 (Q4 milestone) A31 · overdue 8: A3 A8 A10 A11 A20 A22 A26 A29 · waiting 1: A15
    expect(counters(d.totals)).toEqual({
      tasks: 30,
      doneOnTime: 9,
      doneLate: 5,
      openOnTime: 7,
      openOverdue: 8,
      continuousReported: 0,
      continuousMissing: 0,
      conditional: 1,
    });
    expect(d.extensionsGranted).toHaveLength(2);
  });

  it("after the period: a Q2 report written on 10/07 counts A11 (done 05/07) as done late", async () => {
    const s = await kienGiang();
    const d = computeDigest(s.input(), periodOf("quy 2", 2021), "2021-07-10", calendar);
    expect(states(d).A11).toBe("doneLate");
    expect(states(d).A31).toBe("openOverdue"); // due 30/06, still open on 10/07
    expect(counters(d.totals)).toEqual({
      tasks: 15,
      doneOnTime: 2,
      doneLate: 4,
      openOnTime: 0,
      openOverdue: 8,
      continuousReported: 0,
      continuousMissing: 0,
      conditional: 1,
    });
  });

  it("inside the period: as of 15/05 A14 (extended to 31/05) is open on time, A6 already done late", async () => {
    const s = await kienGiang();
    const d = computeDigest(s.input(), periodOf("quy 2", 2021), "2021-05-15", calendar);
    expect(states(d)).toMatchObject({ A14: "openOnTime", A6: "doneLate", A9: "openOverdue", A16: "openOnTime", A31: "openOnTime" });
  });

  it("without the audit trail: the same figures where the stored fields tell, the documented limit where they cannot", async () => {
    const s = await kienGiang();
    for (const [p, at] of [
      ["quy 2", "2021-06-30"],
      ["nam", "2021-06-30"],
      ["quy 2", "2021-05-15"],
    ] as const) {
      const withEvents = computeDigest(s.input(true), periodOf(p, 2021), at, calendar);
      const without = computeDigest(s.input(false), periodOf(p, 2021), at, calendar);
      expect(without.totals, `${p} @ ${at}`).toEqual(withEvents.totals);
      expect(without.blockers.map((b) => b.code)).toEqual(withEvents.blockers.map((b) => b.code));
    }
    // Limit: A16's condition date (given 01/05) is today's, so for an `at` in Q1 A16 is
    // dated (15/06) and falls out of Q1 instead of "chờ điều kiện".
    const q1 = computeDigest(s.input(false), periodOf("quy 1", 2021), "2021-03-31", calendar);
    expect(q1.totals.conditional).toBe(1);
    expect(q1.totals.tasks).toBe(21);
  });

  it("filters: one agency, one area", async () => {
    const s = await kienGiang();
    const period = periodOf("quy 2", 2021);
    const snv = computeDigest(s.input(), period, "2021-06-30", calendar, { agencyId: "so-noi-vu" });
    expect(counters(snv.totals)).toEqual({
      tasks: 5,
      doneOnTime: 0,
      doneLate: 0,
      openOnTime: 1,
      openOverdue: 4,
      continuousReported: 0,
      continuousMissing: 0,
      conditional: 0,
    });
    expect(snv.byAgency.map((r) => r.agencyId)).toEqual(["so-noi-vu"]);
    expect(snv.blockers).toEqual([]);
    const cqs = computeDigest(s.input(), period, "2021-06-30", calendar, { area: "chinh-quyen-so" });
    expect(counters(cqs.totals)).toMatchObject({ tasks: 3, doneLate: 1, openOverdue: 2 });
    expect(cqs.blockers.map((b) => b.code)).toEqual(["A22"]);
  });

  it("digestJson has the issue's shape", async () => {
    const s = await kienGiang();
    const json = digestJson(computeDigest(s.input(), periodOf("quy 2", 2021), "2021-06-30", calendar));
    expect(Object.keys(json)).toEqual(["at", "period", "totals", "byAgency", "byArea", "overdue", "blockers", "extensionsGranted"]);
    expect(json.period).toEqual({ from: "2021-04-01", to: "2021-06-30" });
    expect(Object.keys(json.totals)).toEqual([
      "tasks",
      "awaitingDone",
      "doneOnTime",
      "doneLate",
      "openOnTime",
      "openOverdue",
      "continuousReported",
      "continuousMissing",
      "conditional",
    ]);
    expect(Object.keys(json.byAgency[0])).toEqual(["agencyId", "name", ...Object.keys(json.totals)]);
    expect(Object.keys(json.byArea[0])).toEqual(["area", ...Object.keys(json.totals)]);
    expect(json.overdue[0]).toEqual({ code: "A10", agencyId: "so-noi-vu", due: "2020-12-31", workingDaysLate: 120, awaitingDone: false });
  });
});

describe("computeDigest on Kế hoạch 7018/KH-UBND (Bến Tre 2021): continuous tasks, tasks of many agencies", () => {
  it("continuous tasks reported or not in Q2, multi-milestone tasks (area Cải cách chế độ công vụ)", async () => {
    const s = new Script(await importedPlan("ben-tre-2021.md"));
    // A25, A27 (Sở Nội vụ), A28 (các cơ quan liên quan): milestones 31/03 and 30/06; A26, A30 continuous (Sở Nội vụ);
    // A29 (Sở Nội vụ) due 31/12/2020.
    s.done("A29", "2020-12-28")
      .done("A25", "2021-03-25")
      .done("A26", "2021-03-20") // a report, but in Q1
      .done("A27", "2021-04-05") // its Q1 milestone, late
      .done("A30", "2021-06-01") // a report in Q2
      .done("A25", "2021-06-28"); // its Q2 milestone, on time
    await s.settled();
    const d = computeDigest(s.input(), periodOf("quy 2", 2021), "2021-06-30", calendar, { area: "cong-vu" });
    //   A25 done on time (its Q1 milestone was done before 01/04, so only 30/06 counts)
    //   A26 not reported in Q2 · A27 open, 30/06 not yet passed · A28 overdue since 31/03 · A30 reported
    //   A29 done in 2020: not in Q2.
    expect(states(d)).toEqual({
      A25: "doneOnTime",
      A26: "continuousMissing",
      A27: "openOnTime",
      A28: "openOverdue",
      A30: "continuousReported",
    });
    expect(counters(d.totals)).toEqual({
      tasks: 5,
      doneOnTime: 1,
      doneLate: 0,
      openOnTime: 1,
      openOverdue: 1,
      continuousReported: 1,
      continuousMissing: 1,
      conditional: 0,
    });
    expect(d.overdue.map((o) => [o.code, o.agencyId, o.due, o.workingDaysLate])).toEqual([["A28", "co-quan-lien-quan", "2021-03-31", 62]]);

    // Ten days later: A27's 30/06 milestone is overdue; A30's report still counts for Q2.
    const later = computeDigest(s.input(), periodOf("quy 2", 2021), "2021-07-10", calendar, { area: "cong-vu" });
    expect(states(later)).toMatchObject({ A27: "openOverdue", A30: "continuousReported", A26: "continuousMissing" });
  });

  it("a task of 15 agencies counts once in the totals (done when all are) and once per agency", async () => {
    const s = new Script(await importedPlan("ben-tre-2021.md"));
    const shares = (code: string) => s.data.assignments.filter((a) => a.taskCode === code).map((a) => a.agencyId);
    expect(shares("A35")).toHaveLength(15);
    expect(shares("A36")).toEqual(shares("A35"));
    s.done("A34", "2021-01-20");
    for (const agencyId of shares("A36")) s.done("A36", "2021-05-05", agencyId);
    for (const agencyId of shares("A35").filter((id) => id !== "ubnd-huyen")) s.done("A35", "2021-06-01", agencyId);
    await s.settled();
    const d = computeDigest(s.input(), periodOf("nam", 2021), "2021-06-30", calendar, { area: "chinh-quyen-so" });
    // A34 (Sở TT&TT) done · A35 14 of 15 done: open · A36 all 15 done · A37 (Sở KH&CN) open.
    expect(states(d)).toEqual({ A34: "doneOnTime", A35: "openOnTime", A36: "doneOnTime", A37: "openOnTime" });
    expect(counters(d.totals)).toMatchObject({ tasks: 4, doneOnTime: 2, openOnTime: 2 });
    // Agency rows: 15 + 15 + 1 + 1 shares over 16 agencies.
    expect(d.byAgency).toHaveLength(16);
    expect(d.byAgency.reduce((n, r) => n + r.tasks, 0)).toBe(32);
    const row = (id: string) => d.byAgency.find((r) => r.agencyId === id)!;
    expect([row("ubnd-huyen").tasks, row("ubnd-huyen").doneOnTime, row("ubnd-huyen").openOnTime]).toEqual([2, 1, 1]);
    expect([row("so-khcn").tasks, row("so-khcn").doneOnTime, row("so-khcn").openOnTime]).toEqual([3, 2, 1]);
    expect([row("so-tttt").tasks, row("so-tttt").doneOnTime]).toEqual([1, 1]);
    // Nobody overdue: lowest completion first — UBND cấp huyện 1/2, then Sở KH&CN 2/3.
    expect(d.byAgency.slice(0, 2).map((r) => r.agencyId)).toEqual(["ubnd-huyen", "so-khcn"]);
  });
});

describe("periods", () => {
  it("reads quý, tháng, năm in the forms people type", () => {
    expect(periodOf("quy 2", 2021)).toEqual({ from: "2021-04-01", to: "2021-06-30", label: "Quý II/2021" });
    expect(periodOf("quý IV", 2021)).toMatchObject({ from: "2021-10-01", to: "2021-12-31" });
    expect(periodOf("Q3", 2021)).toMatchObject({ from: "2021-07-01", to: "2021-09-30" });
    expect(periodOf("q2/2022", 2021)).toMatchObject({ from: "2022-04-01", label: "Quý II/2022" });
    expect(periodOf("thang 2", 2021)).toEqual({ from: "2021-02-01", to: "2021-02-28", label: "Tháng 2/2021" });
    expect(periodOf("tháng 12 2020", 2021)).toMatchObject({ from: "2020-12-01", to: "2020-12-31" });
    expect(periodOf("t5", 2024)).toMatchObject({ from: "2024-05-01", to: "2024-05-31" });
    expect(periodOf("năm", 2021)).toEqual({ from: "2021-01-01", to: "2021-12-31", label: "Năm 2021" });
    expect(periodOf("nam 2022", 2021)).toMatchObject({ from: "2022-01-01" });
    expect(periodOf("tu 01/04/2021 den 15/05/2021", 2021)).toEqual({
      from: "2021-04-01",
      to: "2021-05-15",
      label: "Từ 01/04/2021 đến 15/05/2021",
    });
  });

  it("a bare word means the quarter or month of today; the rest is left for the scope", () => {
    expect(readPeriod(["quy", "so-tu-phap"], "2021-05-20")).toEqual({ period: periodOf("quy 2", 2021), rest: ["so-tu-phap"] });
    expect(readPeriod(["thang"], "2021-05-20").period).toMatchObject({ from: "2021-05-01", to: "2021-05-31" });
    expect(readPeriod(["so-tu-phap"], "2021-05-20")).toEqual({ period: null, rest: ["so-tu-phap"] });
    expect(readPeriod([], "2021-05-20")).toEqual({ period: null, rest: [] });
  });

  it("refuses what is not a period, in Vietnamese", () => {
    expect(() => periodOf("quy 5", 2021)).toThrow(PeriodError);
    expect(() => periodOf("quy V", 2021)).toThrow(/quý/);
    expect(() => periodOf("thang 13", 2021)).toThrow(/tháng 13/);
    expect(() => periodOf("tu 30/06/2021 den 01/04/2021", 2021)).toThrow(/trước/);
    expect(() => periodOf("tu 31/02/2021 den 01/04/2021", 2021)).toThrow(PeriodError);
    expect(() => periodOf("hom qua", 2021)).toThrow(/Không hiểu kỳ/);
    expect(() => periodOf("quy 2", 1999)).toThrow(PeriodError);
  });
});

describe("a plan that spans several years", () => {
  it("its continuous tasks count in every year of its period; 'Hàng năm' is due each year-end", async () => {
    const data = await importedPlan("ha-noi-2025-310-5g-iot.txt"); // "… ĐẾN NĂM 2030", signed 2025
    expect(data.plans[0]).toMatchObject({ year: 2025, period: { first: 2025, last: 2030 } });
    const input = { tasks: data.tasks, assignments: data.assignments, extensionRequests: [], agencyNames, plans: data.plans };
    const year = (y: number) =>
      Object.fromEntries(computeDigest(input, periodOf("nam", y), `${y}-06-30`, calendar).rows.map((r) => [r.task.deadline.raw, r.state]));
    // A5 names only agencies the directory lacks: no assignment, no row.
    expect(year(2027)).toEqual({
      "Quý III Năm 2026": "openOverdue", // still open from before
      "Quý IV/2025- Quý II/2026": "openOverdue",
      "Thường xuyên": "continuousMissing", // continuous: this year's work too
      "Hàng năm": "openOverdue", // its 2025 and 2026 year-ends passed unreported
    });
    // After the period, its continuous tasks are no longer that year's work.
    expect(year(2031)).toEqual({ "Quý III Năm 2026": "openOverdue", "Quý IV/2025- Quý II/2026": "openOverdue", "Hàng năm": "openOverdue" });
  });
});
