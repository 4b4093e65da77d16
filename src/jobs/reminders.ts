/**
 * The reminder scheduler. node-cron ticks at REMINDER_TIME (Vietnam time) every day; what is
 * due is decided by the planner (which sends nothing on non-working days), and what was
 * already sent by the send-log. A run that did not happen or did not finish today — the bot
 * was down at that time, node-cron missed it (`execution:missed`: the event loop was busy
 * across the time), the run failed (disk full, the store refused a write) or a transient send
 * failure is left — is run again the same day: at start, on the missed-execution event, and
 * by a retry tick every 5 minutes with a backoff (src/jobs/retry.ts). `catchUp` checks the
 * run-log, so a completed run is never repeated and nothing runs on a day off.
 */
import { schedule, type ScheduledTask } from "node-cron";
import type { Runtime } from "../bot/runtime.ts";
import { TIMEZONE } from "../config.ts";
import type { Job } from "./job.ts";
import { agencyOfChat } from "../domain/bindings.ts";
import { platformName } from "../chat/types.ts";
import { backgroundRuns } from "./background.ts";
import { retryTask, SameDayRetry, stopTasks, type RetryOptions } from "./retry.ts";
import { catchUp, runReminders, type RunOptions, type RunReport } from "../reminders/dispatch.ts";

/** The reminders' same-day retry: `catchUp` at each tick; "retry" while today's run is not completed. */
export function reminderRetry(runtime: Runtime, options: { retry?: RetryOptions; run?: Omit<RunOptions, "dryRun"> } = {}) {
  return new SameDayRetry(
    "reminders",
    runtime.log,
    async (now) => {
      const report = await catchUp(runtime, now, options.run);
      return report && !report.completed ? "retry" : "done";
    },
    options.retry,
  );
}

/** The daily reminder run at REMINDER_TIME, its catch-up at start, the same-day retry, and `:nhac`. */
export function reminderJob(runtime: Runtime): Job {
  const tasks: ScheduledTask[] = [];
  const runs = backgroundRuns(runtime.log, "reminders");
  const track = runs.track;
  const retry = reminderRetry(runtime);

  return {
    async start() {
      const [hour, minute, second = 0] = runtime.config.REMINDER_TIME.split(":").map(Number);
      const daily = schedule(`${second} ${minute} ${hour} * * *`, () => track(() => retry.tick(runtime.now(), true)), {
        timezone: TIMEZONE,
        noOverlap: true,
        name: "dondoc-reminders",
      });
      daily.on("execution:missed", (context) => {
        runtime.log.warn({ slot: context.date.toISOString() }, "reminders: node-cron missed REMINDER_TIME (busy event loop); running now");
        void track(() => retry.tick(runtime.now(), true));
      });
      tasks.push(
        daily,
        retryTask("dondoc-reminders-retry", () => track(() => retry.tick(runtime.now()))),
      );
      await track(() => retry.tick(runtime.now(), true));
    },

    async stop() {
      await stopTasks(tasks);
      await runs.idle();
    },

    localCommands: [
      {
        name: "nhac",
        usage: "nhac [thu]",
        description: "chạy nhắc việc ngay theo đồng hồ thử (:nhac thu — chỉ xem, không gửi)",
        async run(args) {
          const dryRun = /^(thu|thử|xem)$/i.test(args.trim());
          const report = await track(() => runReminders(runtime, runtime.now(), { dryRun }));
          return report ? summary(runtime, report) : "Nhắc việc bị lỗi, xem nhật ký.";
        },
      },
    ],
  };
}

function summary(runtime: Runtime, report: RunReport): string {
  if (!report.workingDay) {
    const why = runtime.calendar.holidayName(report.day);
    return `${report.day} là ngày nghỉ${why ? ` (${why})` : ""}: không nhắc việc.`;
  }
  if (report.dryRun) {
    if (report.planned.length === 0) return "Hôm nay không có gì cần nhắc.";
    return report.planned
      .map((m) => `── ${m.chatId ?? `(chưa có nhóm: ${runtime.directory().nameOf(m.agencyId ?? "")})`}\n${m.text}`)
      .join("\n\n");
  }
  const lines = [
    `Nhắc việc ${report.day}: đã gửi ${report.sent.length} nhóm` +
      (report.resumed.length ? `, gửi tiếp ${report.resumed.length} tin bị ngắt` : "") +
      (report.failed.length ? `, lỗi ${report.failed.length}` : "") +
      ".",
  ];
  const unbound = report.planned.filter((m) => !m.chatId);
  if (unbound.length) lines.push(`Cơ quan chưa có nhóm: ${unbound.map((m) => runtime.directory().nameOf(m.agencyId ?? "")).join(", ")}.`);
  for (const f of report.failed) {
    const agency = agencyOfChat(runtime.store.read(), f.chatId);
    const who = agency ? runtime.directory().nameOf(agency) : "nhóm chưa gắn cơ quan";
    const next = f.permanent ? "thêm bot lại vào nhóm, hoặc cho cơ quan /dangky ở nhóm mới" : "bot sẽ tự gửi lại trong hôm nay";
    lines.push(`• không gửi được tới ${who} (${f.chatId}) — ${platformName(f.chatId)} trả lời: ${f.error}. Việc cần làm: ${next}.`);
  }
  if (report.planned.length === 0 && report.resumed.length === 0) lines.push("Không có gì mới cần nhắc.");
  return lines.join("\n");
}
