import { describe, expect, it } from "vitest";
import { addDays, dayOfWeek, vnInstant } from "../../src/core/calendar.ts";
import type { RunLogEntry } from "../../src/core/schemas.ts";
import {
  DEFAULT_DIGEST_SETTINGS,
  digestSettings,
  digestJob,
  digestsDue,
  quarterDigestDay,
  runDigests,
  digestRunKey,
} from "../../src/jobs/digests.ts";
import { botWith, calendar, COORD_CHAT, kienGiang } from "./fixtures.ts";
import { decodePng } from "./png.ts";

const due = (day: string, time: string, runLog: RunLogEntry[] = [], settings = DEFAULT_DIGEST_SETTINGS) =>
  digestsDue(vnInstant(day, time), calendar, runLog, settings).map((d) => d.kind);

const ran = (day: string, kind: "digest-weekly" | "digest-quarter"): RunLogEntry => ({
  key: digestRunKey(day, kind),
  day,
  kind,
  startedAt: "x",
});

describe("digestsDue (Monday 08:30 weekly, 5 working days before each quarter ends)", () => {
  it("fires the weekly digest on a working Monday from 08:30, once", () => {
    expect(due("2021-05-10", "08:29")).toEqual([]);
    expect(due("2021-05-10", "08:30")).toEqual(["digest-weekly"]);
    expect(due("2021-05-10", "15:00")).toEqual(["digest-weekly"]); // caught up later that day
    expect(due("2021-05-10", "15:00", [ran("2021-05-10", "digest-weekly")])).toEqual([]);
    expect(due("2021-05-11", "08:30")).toEqual([]); // Tuesday
    expect(due("2021-05-17", "08:30", [ran("2021-05-10", "digest-weekly")])).toEqual(["digest-weekly"]);
  });

  it("sends nothing on a Monday that is a day off: 03/05/2021 (for 1/5), 15/02/2021 (Tết Tân Sửu)", () => {
    expect(calendar.isWorkingDay("2021-05-03")).toBe(false);
    expect(due("2021-05-03", "08:30")).toEqual([]);
    expect(calendar.holidayName("2021-02-15")).toMatch(/Tết/);
    expect(due("2021-02-15", "09:00")).toEqual([]);
  });

  it("in the whole of 2021, weekly on the 50 working Mondays and quarterly on 24/03, 23/06, 23/09, 24/12", () => {
    const weekly: string[] = [];
    const quarterly: string[] = [];
    for (let day = "2021-01-01"; day <= "2021-12-31"; day = addDays(day, 1)) {
      for (const kind of due(day, "08:30")) (kind === "digest-weekly" ? weekly : quarterly).push(day);
    }
    expect(weekly).toHaveLength(52 - 2);
    expect(weekly.every((d) => dayOfWeek(d) === 1)).toBe(true);
    expect(weekly).not.toContain("2021-02-15");
    expect(weekly).not.toContain("2021-05-03");
    // 30/09 is a Thursday: 29, 28, 27, 24, 23/09 (2 and 3/09 are off, but earlier).
    expect(quarterly).toEqual(["2021-03-24", "2021-06-23", "2021-09-23", "2021-12-24"]);
  });

  it("counts working days back over holidays and weekends", () => {
    // Q1 2024 ends on Sunday 31/03: Fri 29, 28, 27, 26, Mon 25.
    expect(quarterDigestDay(2024, 1, calendar, 5)).toBe("2024-03-25");
    // 40 working days before 31/03/2021: 22 in March (01–30), 15 in February (Tết 10–16/02 off), then 29, 28, 27/01.
    expect(quarterDigestDay(2021, 1, calendar, 40)).toBe("2021-01-27");
    expect(due("2021-01-27", "08:30", [], { weekly: null, quarter: { workingDaysBefore: 40, time: "08:30" } })).toEqual(["digest-quarter"]);
  });

  it("a quarter digest day that is also Monday gives both (the run sends the quarter one only)", () => {
    // 5 working days before 30/06/2022 (Thursday) is Thursday 23/06; with 8 it is Monday 20/06.
    const settings = { weekly: { dayOfWeek: 1, time: "08:30" }, quarter: { workingDaysBefore: 8, time: "08:30" } };
    expect(due("2022-06-20", "08:30", [], settings)).toEqual(["digest-weekly", "digest-quarter"]);
  });

  it("reads its settings", () => {
    expect(digestSettings({ DIGEST_WEEKLY: "MON 08:30" })).toEqual(DEFAULT_DIGEST_SETTINGS);
    expect(digestSettings({ DIGEST_WEEKLY: "fri 16:00", DIGEST_QUARTER: "3" })).toEqual({
      weekly: { dayOfWeek: 5, time: "16:00" },
      quarter: { workingDaysBefore: 3, time: "16:00" },
    });
    expect(digestSettings({ DIGEST_WEEKLY: "T2 07:45", DIGEST_QUARTER: "off" })).toEqual({
      weekly: { dayOfWeek: 1, time: "07:45" },
      quarter: null,
    });
    expect(digestSettings({ DIGEST_WEEKLY: "off", DIGEST_QUARTER: "5 09:00" })).toEqual({
      weekly: null,
      quarter: { workingDaysBefore: 5, time: "09:00" },
    });
    expect(() => digestSettings({ DIGEST_WEEKLY: "Monday" })).toThrow(/DIGEST_WEEKLY không hợp lệ/);
    expect(() => digestSettings({ DIGEST_WEEKLY: "MON 25:00" })).toThrow(/DIGEST_WEEKLY/);
    expect(() => digestSettings({ DIGEST_QUARTER: "năm" })).toThrow(/DIGEST_QUARTER không hợp lệ/);
  });
});

describe("runDigests", () => {
  it("sends the weekly text and chart to the Sở Nội vụ group once a day, and records the run", async () => {
    const monday = vnInstant("2021-05-10", "08:30");
    const { runtime, chat } = await botWith(await kienGiang(), monday);
    const run = await runDigests(runtime, monday);
    expect(run).toMatchObject({ day: "2021-05-10", kinds: ["digest-weekly"], sent: "digest-weekly", chats: [COORD_CHAT] });
    expect(chat.sent.map((s) => (s.text ? "text" : s.file!.kind))).toEqual(["text", "photo"]);
    expect(chat.sent[0].text).toMatch(/^📊 TỔNG HỢP TUẦN — Quý II\/2021/);
    expect(chat.sent[0].text).toContain("số liệu đến 10/05/2021");
    expect(decodePng(chat.sent[1].file!.data).width).toBe(1000);
    expect(runtime.store.read().runLog).toEqual([
      expect.objectContaining({ key: "2021-05-10|digest-weekly", kind: "digest-weekly", completedAt: expect.any(String) }),
    ]);

    expect(await runDigests(runtime, vnInstant("2021-05-10", "15:00"))).toBeNull();
    expect(chat.sent).toHaveLength(2);
  });

  it("keeps the text when the chart cannot be sent", async () => {
    const monday = vnInstant("2021-05-10", "08:30");
    const { runtime, chat } = await botWith(await kienGiang(), monday);
    chat.failFiles = true;
    const run = await runDigests(runtime, monday);
    expect(run?.sent).toBe("digest-weekly");
    expect(chat.sent.map((s) => s.text?.split("\n")[0])).toEqual(["📊 TỔNG HỢP TUẦN — Quý II/2021 (01/04–30/06/2021)"]);
    expect(runtime.store.read().runLog[0].completedAt).toBeDefined();
  });

  it("sends the quarter digest with the .xlsx on its day, nothing on a day off", async () => {
    const day = vnInstant("2021-06-23", "08:30");
    const { runtime, chat } = await botWith(await kienGiang(), day);
    expect((await runDigests(runtime, day))?.sent).toBe("digest-quarter");
    expect(chat.sent.map((s) => (s.text ? "text" : s.file!.kind))).toEqual(["text", "photo", "document"]);
    expect(chat.sent[0].text).toContain("Quý kết thúc ngày 30/06/2021");
    expect(chat.sent[2].file!.name).toBe("tong-ket-cchc-quy-ii-2021.xlsx");

    const holiday = vnInstant("2021-05-03", "08:30");
    const other = await botWith(await kienGiang(), holiday);
    expect(await runDigests(other.runtime, holiday)).toBeNull();
    expect(other.chat.sent).toEqual([]);
  });

  it("on a day that is both, sends the quarter digest only and records both", async () => {
    const day = vnInstant("2022-06-20", "08:30");
    const { runtime, chat } = await botWith(await kienGiang(), day);
    const settings = { weekly: { dayOfWeek: 1, time: "08:30" }, quarter: { workingDaysBefore: 8, time: "08:30" } };
    expect(await runDigests(runtime, day, { settings })).toMatchObject({
      kinds: ["digest-weekly", "digest-quarter"],
      sent: "digest-quarter",
    });
    expect(chat.sent.filter((s) => s.text)).toHaveLength(1);
    expect(
      runtime.store
        .read()
        .runLog.map((r) => r.key)
        .sort(),
    ).toEqual(["2022-06-20|digest-quarter", "2022-06-20|digest-weekly"]);
    expect(await runDigests(runtime, day, { settings })).toBeNull();
  });

  it("the service catches up today's run on start, schedules the rest, and stops cleanly", async () => {
    const monday = vnInstant("2021-05-10", "09:10");
    const { runtime, chat } = await botWith(await kienGiang(), monday);
    const service = digestJob(runtime);
    await service.start!();
    expect(chat.sent.map((s) => (s.text ? "text" : s.file!.kind))).toEqual(["text", "photo"]);
    await service.stop!();
    // The local chat's `:tongket quy` sends now, outside the schedule and the run log.
    const local = service.localCommands!.find((c) => c.name === "tongket")!;
    expect(await local.run("quy", { chatId: "local:rieng", name: "rieng" })).toBe("Đã gửi bản tổng hợp quý tới 1 nhóm.");
    expect(chat.sent.map((s) => (s.text ? "text" : s.file!.kind))).toEqual(["text", "photo", "text", "photo", "document"]);
    expect(runtime.store.read().runLog.map((r) => r.key)).toEqual(["2021-05-10|digest-weekly"]);
    // A group it cannot reach: said, not "Đã gửi" (found in review).
    for (const c of runtime.outbox.coordinatorChats()) chat.failTextsTo.add(c);
    const answer = await local.run("tuan", { chatId: "local:rieng", name: "rieng" });
    expect(answer).toContain("Đã gửi bản tổng hợp tuần tới 0/1 nhóm. Không gửi được tới:");
    expect(answer).toContain("Thử lại :tongket sau ít phút");
  });
});
