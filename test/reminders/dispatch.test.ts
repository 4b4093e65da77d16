import { describe, expect, it } from "vitest";
import { catchUp, runReminders, type RunOptions } from "../../src/reminders/dispatch.ts";
import { reminderJob } from "../../src/jobs/reminders.ts";
import type { StoreData } from "../../src/store/types.ts";
import { addDays } from "../../src/core/calendar.ts";
import type { SendLogEntry } from "../../src/core/schemas.ts";
import { entriesToArchive, isExpiredSend } from "../../src/core/sendlog.ts";
import { sent } from "../store/contract.ts";
import { assignment, at, binding, COORD, Crash, dated, makeRuntime, task } from "./fixtures.ts";

const AGENCIES = ["so-tu-phap", "so-tai-chinh", "so-y-te", "so-xay-dung"];
const chatOf = (agency: string) => `tg:-${agency}`;
const SNV = "tg:-snv";
const fast: RunOptions = { sleep: async () => undefined };
/** One chat at a time: for tests that script the n-th call. */
const serial: RunOptions = { ...fast, concurrency: 1 };

function plan(extra: Partial<StoreData> = {}): Partial<StoreData> {
  return {
    tasks: [task("A1", dated("2021-03-31"))],
    assignments: AGENCIES.map((a) => assignment("A1", a)),
    bindings: [...AGENCIES.map((a) => binding(chatOf(a), a)), binding(SNV, COORD)],
    ...extra,
  };
}

/** One agency with enough items for a message of several parts. */
function longPlan(): Partial<StoreData> {
  const codes = Array.from({ length: 120 }, (_, i) => `L${i + 1}`);
  return {
    tasks: codes.map((c) =>
      task(c, dated("2021-03-31"), { title: `${"Rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý ".repeat(3)}${c}` }),
    ),
    assignments: codes.map((c) => assignment(c, "so-tu-phap")),
    bindings: [binding(chatOf("so-tu-phap"), "so-tu-phap")],
  };
}

const countBy = (sent: { chatId: string }[]) => {
  const out: Record<string, number> = {};
  for (const s of sent) out[s.chatId] = (out[s.chatId] ?? 0) + 1;
  return out;
};
const oncePerAgency = Object.fromEntries(AGENCIES.map((a) => [chatOf(a), 1]));

describe("the send protocol", () => {
  it("records `sending` before sending, then `delivered`; the run is logged", async () => {
    const { runtime, chat } = makeRuntime(plan());
    const seenBeforeSend: string[] = [];
    chat.script = (_n, chatId) => {
      seenBeforeSend.push(runtime.store.read().sendLog.find((e) => e.chatId === chatId)!.status);
      return "ok";
    };
    const report = await runReminders(runtime, at("2021-03-31"), fast);
    expect(seenBeforeSend).toEqual(["sending", "sending", "sending", "sending"]);
    expect(countBy(chat.sent)).toEqual(oncePerAgency);
    expect(report.sent).toHaveLength(4);
    const data = runtime.store.read();
    expect(data.sendLog.map((e) => [e.key, e.status, e.partsDelivered, e.parts, e.items])).toContainEqual([
      `2021-03-31|reminder|${chatOf("so-tu-phap")}`,
      "delivered",
      1,
      1,
      ["A1@so-tu-phap#2021-03-31#due"],
    ]);
    expect(data.runLog).toEqual([
      expect.objectContaining({ key: "2021-03-31|reminder", day: "2021-03-31", kind: "reminder", completedAt: expect.any(String) }),
    ]);
    expect(chat.sent[0].buttons?.[0][0]).toMatchObject({ text: "✅ A1 xong (hạn 31/03/2021)" });
  });

  it("a second run the same day sends nothing; the next working day sends the next stage", async () => {
    const { runtime, chat } = makeRuntime(plan());
    await runReminders(runtime, at("2021-03-31"), fast);
    await runReminders(runtime, at("2021-03-31", "15:00"), fast);
    expect(chat.sent).toHaveLength(4);
    await runReminders(runtime, at("2021-04-01"), fast);
    expect(chat.sent).toHaveLength(8);
    expect(chat.sent[4].text).toContain("trễ 1 ngày làm việc");
  });

  it("two runs at the same time: each group still gets one message", async () => {
    const { runtime, chat } = makeRuntime(plan());
    await Promise.all([
      runReminders(runtime, at("2021-03-31"), fast),
      runReminders(runtime, at("2021-03-31"), fast),
      catchUp(runtime, at("2021-03-31", "09:00"), fast),
    ]);
    expect(countBy(chat.sent)).toEqual(oncePerAgency);
  });

  it("dry run: nothing sent, nothing written", async () => {
    const { runtime, chat } = makeRuntime(plan());
    const before = runtime.store.read();
    const report = await runReminders(runtime, at("2021-03-31"), { dryRun: true });
    expect(report.planned.map((m) => m.chatId)).toEqual(AGENCIES.map(chatOf).sort());
    expect(chat.sent).toEqual([]);
    expect(runtime.store.read()).toBe(before);
  });

  it("a non-working day: nothing sent, no run recorded", async () => {
    const { runtime, chat } = makeRuntime(plan());
    const report = await runReminders(runtime, at("2021-03-27"), fast);
    expect(report.workingDay).toBe(false);
    expect(chat.sent).toEqual([]);
    expect(runtime.store.read().runLog).toEqual([]);
  });
});

describe("crashes", () => {
  it("interrupted after sending half the groups, then restarted: every group gets its message exactly once", async () => {
    const { runtime, chat } = makeRuntime(plan());
    chat.script = (n) => (n === 2 ? "crash-after" : "ok"); // dies after the 2nd send, before recording it
    await expect(runReminders(runtime, at("2021-03-31"), serial)).rejects.toBeInstanceOf(Crash);
    expect(chat.sent).toHaveLength(2);
    expect(
      runtime.store
        .read()
        .sendLog.map((e) => e.status)
        .sort(),
    ).toEqual(["delivered", "sending"]);
    expect(runtime.store.read().runLog[0].completedAt).toBeUndefined();

    chat.script = () => "ok";
    const report = await catchUp(runtime, at("2021-03-31", "08:05"), fast); // the restarted bot
    expect(report).not.toBeNull();
    expect(countBy(chat.sent)).toEqual(oncePerAgency);
    expect(report!.resumed).toEqual([expect.objectContaining({ partsSent: 0, uncertainPart: 1 })]);
    expect(runtime.store.read().sendLog.every((e) => e.status === "delivered")).toBe(true);
    expect(await catchUp(runtime, at("2021-03-31", "09:00"), fast)).toBeNull();
    expect(chat.sent).toHaveLength(4);
  });

  it("the part in flight at a crash is never resent (at most once), even if it was lost", async () => {
    const { runtime, chat } = makeRuntime(plan());
    chat.script = (n) => (n === 2 ? "crash-before" : "ok"); // dies while sending the 2nd: not delivered
    await expect(runReminders(runtime, at("2021-03-31"), serial)).rejects.toBeInstanceOf(Crash);
    const lost = runtime.store.read().sendLog.find((e) => e.status === "sending")!.chatId;
    chat.script = () => "ok";
    await catchUp(runtime, at("2021-03-31", "08:05"), fast);
    expect(chat.to(lost)).toHaveLength(0);
    expect(chat.sent).toHaveLength(3);
    // The next stage reaches it as usual.
    await runReminders(runtime, at("2021-04-01"), fast);
    expect(chat.to(lost)).toHaveLength(1);
    expect(chat.to(lost)[0].text).toContain("trễ 1 ngày làm việc");
  });

  it("a long message interrupted after its 2nd part: the rest is sent once, with a note", async () => {
    const { runtime, chat } = makeRuntime(longPlan());
    const planned = (await runReminders(runtime, at("2021-03-31"), { dryRun: true })).planned[0];
    expect(planned.parts.length).toBeGreaterThanOrEqual(3);
    chat.script = (n) => (n === 2 ? "crash-after" : "ok");
    await expect(runReminders(runtime, at("2021-03-31"), fast)).rejects.toBeInstanceOf(Crash);
    expect(runtime.store.read().sendLog[0]).toMatchObject({ status: "sending", partsDelivered: 1, parts: planned.parts.length });

    chat.script = () => "ok";
    const report = await catchUp(runtime, at("2021-03-31", "08:10"), fast);
    expect(report!.resumed).toEqual([expect.objectContaining({ uncertainPart: 2, partsSent: planned.parts.length - 2 })]);
    const texts = chat.sent.map((s) => s.text);
    expect(texts).toHaveLength(planned.parts.length);
    expect(texts.slice(0, 2)).toEqual(planned.parts.slice(0, 2));
    expect(texts[2]).toBe(
      `⚠️ (Tiếp theo tin nhắc việc ngày 31/03/2021. Bot vừa khởi động lại; phần ngay trước có thể đã không đến.)\n${planned.parts[2]}`,
    );
    expect(texts.slice(3)).toEqual(planned.parts.slice(3));
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(4096);
    expect(chat.sent.at(-1)!.buttons).toHaveLength(8);
    expect(chat.sent.slice(0, -1).every((s) => !s.buttons)).toBe(true);
    expect(runtime.store.read().sendLog[0]).toMatchObject({ status: "delivered", partsDelivered: planned.parts.length });
  });
});

describe("failures", () => {
  it("transient failures are retried with backoff, without duplicates", async () => {
    const { runtime, chat } = makeRuntime(plan());
    const delays: number[] = [];
    chat.script = (n) => (n <= 2 ? "transient" : "ok");
    const report = await runReminders(runtime, at("2021-03-31"), { concurrency: 1, sleep: async (ms) => void delays.push(ms) });
    expect(delays).toEqual([2000, 8000]);
    expect(countBy(chat.sent)).toEqual(oncePerAgency);
    expect(report.failed).toEqual([]);
  });

  it("still failing after the retries: left `failed`, and the next run sends it once", async () => {
    const { runtime, chat } = makeRuntime(plan());
    const down = chatOf("so-y-te");
    chat.script = (_n, chatId) => (chatId === down ? "transient" : "ok");
    const first = await runReminders(runtime, at("2021-03-31"), fast);
    expect(first.failed).toEqual([expect.objectContaining({ chatId: down, permanent: false })]);
    expect(runtime.store.read().sendLog.find((e) => e.chatId === down)).toMatchObject({ status: "failed", partsDelivered: 0 });
    expect(chat.sent).toHaveLength(3);

    chat.script = () => "ok";
    await runReminders(runtime, at("2021-03-31", "14:00"), fast);
    expect(countBy(chat.sent)).toEqual(oncePerAgency);
  });

  it("a long message failing after some parts resumes after them at the next run", async () => {
    const { runtime, chat } = makeRuntime(longPlan());
    chat.script = (n) => (n >= 2 && n <= 5 ? "transient" : "ok"); // part 2: first try + 3 retries fail
    await runReminders(runtime, at("2021-03-31"), fast);
    const entry = runtime.store.read().sendLog[0];
    expect(entry).toMatchObject({ status: "failed", partsDelivered: 1 });
    await runReminders(runtime, at("2021-03-31", "10:00"), fast);
    expect(chat.sent).toHaveLength(entry.parts);
    expect(chat.sent[1].text.startsWith("(Tiếp theo tin nhắc việc ngày 31/03/2021.)\n")).toBe(true);
    expect(runtime.store.read().sendLog[0].status).toBe("delivered");
  });

  it("a permanent failure is not retried, is marked failed and reported to the coordinator's group", async () => {
    const { runtime, chat } = makeRuntime(plan());
    const gone = chatOf("so-tai-chinh");
    chat.script = (_n, chatId) => (chatId === gone ? "permanent" : "ok");
    const report = await runReminders(runtime, at("2021-03-31"), fast);
    expect(report.failed).toEqual([expect.objectContaining({ chatId: gone, permanent: true })]);
    expect(chat.calls).toBe(5); // 3 delivered + 1 failed try + 1 notice to the coordinator
    const notice = chat.to(SNV);
    expect(notice).toHaveLength(1);
    expect(notice[0].text).toContain("Không gửi được nhắc việc ngày 31/03/2021");
    expect(notice[0].text).toContain("Sở Tài chính");
    expect(runtime.store.read().sendLog.find((e) => e.chatId === gone)).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/^permanent:/),
    });
  });
});

describe("catching up", () => {
  it("a bot started at 10:00 after missing 08:00 sends the day's run once; a second catch-up sends nothing", async () => {
    const { runtime, chat } = makeRuntime(plan());
    expect(await catchUp(runtime, at("2021-03-31", "07:59"), fast)).toBeNull(); // before REMINDER_TIME
    expect(await catchUp(runtime, at("2021-03-27", "10:00"), fast)).toBeNull(); // Saturday
    const report = await catchUp(runtime, at("2021-03-31", "10:00"), fast);
    expect(report?.sent).toHaveLength(4);
    expect(await catchUp(runtime, at("2021-03-31", "10:30"), fast)).toBeNull();
    expect(countBy(chat.sent)).toEqual(oncePerAgency);
  });

  it("the service: start() catches up, :nhac runs at the local clock, stop() ends the schedule", async () => {
    let now = at("2021-03-31", "10:00");
    const { runtime, chat } = makeRuntime(plan(), { clock: () => now });
    const service = reminderJob(runtime);
    await service.start!();
    expect(countBy(chat.sent)).toEqual(oncePerAgency);

    const nhac = service.localCommands!.find((c) => c.name === "nhac")!;
    const local = { chatId: "local:rieng", name: "rieng" };
    expect(await nhac.run("", local)).toContain("Không có gì mới cần nhắc.");
    now = at("2021-04-01", "09:00");
    expect(await nhac.run("thu", local)).toContain("trễ 1 ngày làm việc");
    expect(chat.sent).toHaveLength(4); // a dry run sends nothing
    expect(await nhac.run("", local)).toContain("đã gửi 4 nhóm");
    now = at("2021-04-03", "09:00");
    expect(await nhac.run("", local)).toContain("là ngày nghỉ");
    await service.stop!();
    expect(chat.sent).toHaveLength(8);
  });

  it(":nhac names a group it could not reach by its agency, and says what to do (found in review)", async () => {
    const { runtime, chat } = makeRuntime(plan());
    chat.script = () => "permanent";
    const nhac = reminderJob(runtime).localCommands!.find((c) => c.name === "nhac")!;
    runtime.setClock(() => at("2021-03-31", "10:00"));
    const answer = await nhac.run("", { chatId: "local:rieng", name: "rieng" });
    expect(answer).toMatch(/• không gửi được tới Sở [^(]+ \(tg:-[\w-]+\) — Telegram trả lời: .*Việc cần làm: thêm bot lại vào nhóm/);
  });
});

describe("the send-log and its archive", () => {
  const entry = (day: string, status: SendLogEntry["status"], more: Partial<SendLogEntry> = {}) =>
    sent(day, "tg:-1", { status, partsDelivered: status === "delivered" ? 1 : 0, ...more });

  it("the day's first run archives earlier days' settled entries and keeps 120 days (and anything still being sent)", () => {
    const live = [
      entry("2021-01-01", "delivered"), // older than 120 days: dropped
      entry("2021-01-02", "sending"), // still being sent: stays, however old
      entry("2021-03-05", "failed", { partsDelivered: 0 }), // given up, nothing delivered: archived
      entry("2021-03-06", "failed", { partsDelivered: 1, parts: 3 }), // to resume: stays
      entry("2021-03-07", "failed", { partsDelivered: 1, parts: 3, error: "permanent: bot removed" }), // given up: archived
      entry("2021-06-29", "delivered"), // yesterday: archived
      entry("2021-06-30", "delivered"), // today's: stays
    ];
    const oldest = addDays("2021-06-30", -120); // 02/03
    const moves = entriesToArchive(live, "2021-06-30", oldest);
    expect(moves.map((e) => e.day)).toEqual(["2021-03-05", "2021-03-07", "2021-06-29"]);
    const stays = live.filter((e) => !moves.includes(e) && !isExpiredSend(e, oldest));
    expect(stays.map((e) => e.day)).toEqual(["2021-01-02", "2021-03-06", "2021-06-30"]);
    // The same day again: nothing more to move.
    expect(entriesToArchive(stays, "2021-06-30", oldest)).toEqual([]);
  });

  it("over three working days: the state keeps only the day's entries, the archive the earlier ones, and what it holds is not sent again", async () => {
    const { runtime, chat } = makeRuntime(plan());
    const archive = runtime.store.sendLogArchive;
    await runReminders(runtime, at("2021-03-31"), fast);
    expect(runtime.store.read().sendLog).toHaveLength(4);
    expect(await archive.entries()).toEqual([]);

    await runReminders(runtime, at("2021-04-01"), fast);
    expect(runtime.store.read().sendLog.map((e) => e.day)).toEqual(Array(4).fill("2021-04-01"));
    expect((await archive.entries()).map((e) => [e.day, e.status])).toEqual(Array(4).fill(["2021-03-31", "delivered"]));
    await runReminders(runtime, at("2021-04-01", "15:00"), fast); // the same day again: nothing sent, nothing moved
    expect(await archive.entries()).toHaveLength(4);
    expect(chat.sent).toHaveLength(8);

    // Stages delivered on 31/03 and 01/04 (now archived) are not planned again on 02/04.
    await runReminders(runtime, at("2021-04-02"), fast);
    const archivedItems = new Set((await archive.entries()).flatMap((e) => e.items));
    expect(archivedItems.size).toBeGreaterThan(0);
    const preview = await runReminders(runtime, at("2021-04-02", "16:00"), { ...fast, dryRun: true });
    expect(preview.planned).toEqual([]);
    expect(await archive.entries()).toHaveLength(8);
  });

  it("entries in both (a crash between archiving and removing them) are archived once and sent nothing again", async () => {
    const { runtime, chat } = makeRuntime(plan());
    await runReminders(runtime, at("2021-03-31"), fast);
    // The crash: the day's entries reached the archive, the state still has them.
    await runtime.store.sendLogArchive.append(runtime.store.read().sendLog);
    await runReminders(runtime, at("2021-04-01"), fast);
    expect(chat.sent).toHaveLength(8); // one message per group per day, as without the crash
    expect((await runtime.store.sendLogArchive.entries()).map((e) => e.day)).toEqual(Array(4).fill("2021-03-31"));
  });

  it("a message left half-sent yesterday stays in the state and is resumed today, after its delivered parts; archived the day after", async () => {
    const { runtime, chat } = makeRuntime(longPlan());
    chat.script = (n) => (n >= 2 && n <= 5 ? "transient" : "ok");
    await runReminders(runtime, at("2021-03-31"), fast);
    const half = runtime.store.read().sendLog[0];
    expect(half).toMatchObject({ status: "failed", partsDelivered: 1 });
    chat.script = () => "ok";
    await runReminders(runtime, at("2021-04-01"), fast);
    expect(runtime.store.read().sendLog.find((e) => e.key === half.key)).toMatchObject({ status: "delivered", partsDelivered: half.parts });
    expect((await runtime.store.sendLogArchive.entries()).map((e) => e.key)).not.toContain(half.key);
    expect(chat.sent.filter((m) => m.text.includes("(Tiếp theo tin nhắc việc ngày 31/03/2021.)"))).toHaveLength(1);
    await runReminders(runtime, at("2021-04-02"), fast);
    expect((await runtime.store.sendLogArchive.entries()).map((e) => e.key)).toContain(half.key);
  });

  it("entries older than 120 days leave the archive", async () => {
    const { runtime } = makeRuntime(plan());
    await runtime.store.sendLogArchive.append([entry("2020-11-30", "delivered"), entry("2020-12-31", "delivered")]);
    await runReminders(runtime, at("2021-03-31"), fast); // 120 days back is 01/12/2020
    expect((await runtime.store.sendLogArchive.entries()).map((e) => e.day)).toEqual(["2020-12-31"]);
  });
});
