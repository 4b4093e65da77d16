/**
 * Issue 13, item 17 (figures): one completion rate everywhere, lateness in working days
 * everywhere, and a task at 100 % shown as waiting for its /xong — each as it was reported
 * (Kiên Giang 2021, Quý II as of 30/06/2021: 15 tasks, 5 done, 14 done or open).
 */
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { command as bieudo } from "../../commands/bieudo.ts";
import { command as chitiet } from "../../commands/chitiet.ts";
import { command as tongket } from "../../commands/tongket.ts";
import { command as xuatbaocao } from "../../commands/xuatbaocao.ts";
import type { Router } from "../../src/bot/router.ts";
import { dueText, statusText } from "../../src/bot/views.ts";
import { vnInstant } from "../../src/core/calendar.ts";
import { chartSvg, digestChart } from "../../src/digest/chart.ts";
import { completion, computeDigest, dated, done, periodFromSpec, periodOf, share } from "../../src/digest/figures.ts";
import { COMPLETION_BASIS, completionText, detailText, pct, summaryText } from "../../src/digest/text.ts";
import { digestWorkbook, SUMMARY_SHEET, TASK_SHEET } from "../../src/digest/xlsx.ts";
import { botWith, calendar, COORD_CHAT, FakeResponder, kienGiang, MANAGER } from "./fixtures.ts";

const NOW = vnInstant("2021-06-30", "16:00");
const manager = { chatId: MANAGER, chatKind: "private" as const, from: MANAGER };
const coordinator = { chatId: COORD_CHAT, chatKind: "group" as const, from: "tg:7" };

async function run(bot: Router, text: string, where: { chatId: string; chatKind: "private" | "group"; from: string }) {
  const respond = new FakeResponder();
  const [name, ...rest] = text.replace(/^\//, "").split(" ");
  await bot.handlers().onCommand(
    {
      chatId: where.chatId,
      chatKind: where.chatKind,
      from: { id: where.from, name: "Cán bộ" },
      text,
      command: name,
      args: rest.join(" "),
    },
    respond,
  );
  return respond;
}

async function workbook(buffer: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

/** Kiên Giang with A8 (VP UBND, due 31/03/2021, overdue) reported at 100 % on 01/06 but never /xong. */
async function withA8AtFull() {
  const s = await kienGiang();
  await s.progress("A8", 100, "2021-06-01").settled();
  return s;
}

describe("item 17: one completion rate", () => {
  it("the summary's only percentage is the completion rate (it said 36% next to «Hoàn thành: 5 (33%)»)", async () => {
    const d = computeDigest((await kienGiang()).input(), periodOf("quy 2", 2021), "2021-06-30", calendar);
    // The two denominators that used to be shown side by side really differ here.
    expect([Math.round(completion(d.totals)!), Math.round(share(done(d.totals), d.totals))]).toEqual([36, 33]);
    const summary = summaryText(d);
    expect(summary.match(/\d+%/g)).toEqual(["36%"]);
    expect(summary).toContain("tỷ lệ hoàn thành 36% (5/14)");
    // The detail: the same figure for the totals, and each agency's and area's by the same rule.
    const detail = detailText(d);
    expect(detail).toContain("Tổng: 15 nhiệm vụ · tỷ lệ hoàn thành 36% (5/14)");
    expect(detail).toContain(`(Tỷ lệ hoàn thành = ${COMPLETION_BASIS}.)`);
    const totalsBlock = detail.slice(0, detail.indexOf("THEO CƠ QUAN"));
    expect(totalsBlock.replace(COMPLETION_BASIS, "").match(/\d+%/g)).toEqual(["36%"]);
    for (const r of d.byAgency) if (dated(r)) expect(detail).toContain(`${r.name}: ${r.tasks} nhiệm vụ · hoàn thành ${completionText(r)}`);
  });

  it("the .xlsx, the chart and /bieudo show the same rate, with its definition", async () => {
    const bot = (await botWith(await kienGiang(), NOW, [tongket, xuatbaocao, bieudo])).router;
    const d = computeDigest((await kienGiang()).input(), periodOf("quy 2", 2021), "2021-06-30", calendar);
    const rate = completion(d.totals)!;

    const xlsx = await run(bot, "/xuatbaocao quy 2", manager);
    const s = (await workbook(xlsx.files[0].data)).getWorksheet(SUMMARY_SHEET)!;
    const rateRow = [...Array(s.rowCount).keys()]
      .map((i) => s.getRow(i + 1))
      .find((r) => String(r.getCell(1).value).startsWith("Tỷ lệ hoàn thành"))!;
    expect(rateRow.getCell(1).value).toBe(`Tỷ lệ hoàn thành (%) = ${COMPLETION_BASIS}`);
    expect(rateRow.getCell(3).value).toBe(Math.round(rate * 10) / 10);
    // The composition column says what it is a share of: not a second completion rate.
    expect(s.getCell(6, 3).value).toBe("Tỷ lệ trên tổng số nhiệm vụ (%)");

    const chart = await digestChart(d);
    const svg = chartSvg("t", "s", chart.rows);
    for (const row of chart.rows) if (dated(row.counters)) expect(svg).toContain(`>${completionText(row.counters)}</text>`);
    expect(chartSvg("t", "s", [{ label: "Toàn tỉnh", counters: d.totals }])).toContain(">36% (5/14)</text>");

    const png = await run(bot, "/bieudo quy 2", manager);
    expect(png.files[0].caption).toContain(`: ${pct(rate)}.`);
  });
});

describe("item 17: lateness in working days everywhere, the unit named", () => {
  it("chat detail, .xlsx and /chitiet agree on A3's lateness (the detail and .xlsx said 150 calendar days)", async () => {
    const s = await kienGiang();
    const d = computeDigest(s.input(), periodOf("quy 2", 2021), "2021-06-30", calendar);
    const a3 = d.overdue.find((o) => o.code === "A3")!;
    expect(a3.workingDaysLate).toBe(calendar.workingDaysBetween("2021-01-31", "2021-06-30"));
    expect(a3.workingDaysLate).toBe(100);
    expect(detailText(d)).toContain("• A3 — Sở Tư pháp — hạn 31/01/2021, trễ 100 ngày làm việc — ");
    expect(detailText(d)).not.toMatch(/trễ \d+ ngày —/);

    const t = (await workbook(await digestWorkbook(d))).getWorksheet(TASK_SHEET)!;
    const notes = [...Array(t.rowCount - 1).keys()].map((i) => String(t.getCell(i + 2, 9).value));
    expect(notes.find((n) => n.startsWith("Mã A3\n"))).toBe("Mã A3\ntrễ 100 ngày làm việc (hạn 31/01/2021)");
    for (const o of d.overdue)
      expect(
        notes.some((n) => n.includes(`trễ ${o.workingDaysLate} ngày làm việc`)),
        o.code,
      ).toBe(true);

    // What the chat says of the same share (/chitiet, /nhiemvu, reminders count working days).
    const assignment = s.data.assignments.find((a) => a.id === "A3@so-tu-phap")!;
    expect(dueText(s.task("A3"), assignment, "2021-06-30", calendar)).toBe("hạn 31/01/2021, trễ 100 ngày làm việc");
  });

  it("late from the next working day: 1 the day after the due, a weekend not counted, never 0", async () => {
    const s = await kienGiang();
    // A31 is due Wednesday 30/06/2021: on Thursday 01/07 it is 1 working day late.
    const d = computeDigest(s.input(), periodOf("quy 2", 2021), "2021-07-01", calendar);
    expect(d.overdue.find((o) => o.code === "A31")!.workingDaysLate).toBe(1);
    // A Saturday after it is still 2 (Thu, Fri), and no overdue item ever shows 0.
    const saturday = computeDigest(s.input(), periodOf("quy 2", 2021), "2021-07-03", calendar);
    expect(saturday.overdue.find((o) => o.code === "A31")!.workingDaysLate).toBe(2);
    for (const o of [...d.overdue, ...saturday.overdue]) expect(o.workingDaysLate).toBeGreaterThan(0);
  });
});

describe("item 17: 100 % is not done — shown as waiting for /xong", () => {
  it("A8 at 100 % without /xong stays open and overdue in every count, flagged everywhere", async () => {
    const s = await withA8AtFull();
    const before = computeDigest((await kienGiang()).input(), periodOf("quy 2", 2021), "2021-06-30", calendar);
    const d = computeDigest(s.input(), periodOf("quy 2", 2021), "2021-06-30", calendar);
    // The figures do not move: still open and overdue, the rate unchanged.
    expect({ ...d.totals, awaitingDone: 0 }).toEqual(before.totals);
    expect(completion(d.totals)).toBe(completion(before.totals));
    expect(d.totals.awaitingDone).toBe(1);
    expect(d.byAgency.find((r) => r.agencyId === "vp-ubnd")!.awaitingDone).toBe(1);
    const row = d.rows.find((r) => r.task.code === "A8")!;
    expect([row.state, row.awaitingDone, row.shares[0].progress]).toEqual(["openOverdue", true, 100]);
    // Without the audit trail the same (A8 is not done today either).
    expect(computeDigest(s.input(false), periodOf("quy 2", 2021), "2021-06-30", calendar).totals.awaitingDone).toBe(1);
    // Before the report it was not at 100 %.
    expect(computeDigest(s.input(), periodOf("quy 2", 2021), "2021-05-31", calendar).totals.awaitingDone).toBe(0);

    expect(summaryText(d)).toContain("⏳ Chưa hoàn thành: 9 — trong hạn 1, quá hạn 8 (1 đã đạt 100%, chờ báo hoàn thành)");
    expect(detailText(d)).toContain("• A8 — Văn phòng UBND tỉnh — hạn 31/03/2021, trễ 62 ngày làm việc — 100% — chờ báo hoàn thành — ");

    const wb = await workbook(await digestWorkbook(d));
    const t = wb.getWorksheet(TASK_SHEET)!;
    const a8 = [...Array(t.rowCount - 1).keys()].map((i) => t.getRow(i + 2)).find((r) => String(r.getCell(9).value).startsWith("Mã A8\n"))!;
    expect([a8.getCell(6).value, a8.getCell(7).value]).toEqual(["Chưa hoàn thành – quá hạn", 100]);
    expect(a8.getCell(9).value).toBe("Mã A8\ntrễ 62 ngày làm việc (hạn 31/03/2021), 100% — chờ báo hoàn thành");
    const summary = wb.getWorksheet(SUMMARY_SHEET)!;
    const waiting = [...Array(summary.rowCount).keys()]
      .map((i) => summary.getRow(i + 1))
      .find((r) => String(r.getCell(1).value).includes("chờ báo hoàn thành"))!;
    expect(waiting.getCell(2).value).toBe(1);

    // In chat (/chitiet): "100% — chờ báo hoàn thành", not "đang làm, 100%".
    const assignment = s.data.assignments.find((a) => a.id === "A8@vp-ubnd")!;
    expect(statusText(s.task("A8"), assignment)).toBe("100% — chờ báo hoàn thành");
    const bot = (await botWith(s, NOW, [chitiet])).router;
    const shown = (await run(bot, "/chitiet A8", coordinator)).text;
    expect(shown).toContain("Văn phòng UBND tỉnh: 100% — chờ báo hoàn thành; hạn 31/03/2021, trễ 62 ngày làm việc");
    expect(shown).not.toContain("đang làm, 100%");
  });

  it("after /xong it is done late, and no longer waiting", async () => {
    const s = await withA8AtFull();
    await s.done("A8", "2021-06-29").settled();
    const d = computeDigest(s.input(), periodOf("quy 2", 2021), "2021-06-30", calendar);
    expect(d.rows.find((r) => r.task.code === "A8")!.state).toBe("doneLate");
    expect(d.totals.awaitingDone).toBe(0);
    expect(summaryText(d)).not.toContain("chờ báo hoàn thành");
  });
});

describe("a period that cannot be read is refused in Vietnamese (no zod English)", () => {
  it.each([
    [{ kind: "quarter", year: 1999, quarter: 5 }, "năm phải là một số nguyên từ 2000 đến 2100; quý phải từ 1 đến 4"],
    [{ kind: "month", year: 2021, month: 13 }, "tháng phải từ 1 đến 12"],
    [{ kind: "year", year: 2021.5 }, "năm phải là một số nguyên từ 2000 đến 2100"],
    [{ kind: "range", from: "2021-02-31", to: "2021-03-01" }, "ngày bắt đầu không tồn tại"],
    [{ kind: "week" }, "loại kỳ phải là quý, tháng, năm hoặc khoảng ngày"],
  ])("%j", (spec, message) => {
    expect(() => periodFromSpec(spec as never)).toThrow(`Kỳ không hợp lệ: ${message}`);
    expect(() => periodFromSpec(spec as never)).not.toThrow(/Invalid|expected|Too (small|big)/);
  });
});
