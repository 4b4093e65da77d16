/**
 * The reminder scheduler. node-cron only ticks at REMINDER_TIME (Vietnam time) every day;
 * what is due is decided by the planner (which sends nothing on non-working days), and what
 * was already sent by the send-log. node-cron does not replay runs missed while the bot was
 * down, so `start()` catches up today's run if its time has passed.
 */
import { schedule, type ScheduledTask } from "node-cron";
import type { Runtime } from "../bot/runtime.ts";
import { TIMEZONE } from "../config.ts";
import type { Job } from "./job.ts";
import { backgroundRuns } from "./background.ts";
import { catchUp, runReminders, type RunReport } from "../reminders/dispatch.ts";

/** The daily reminder run at REMINDER_TIME, its catch-up at start, and `:nhac`. */
export function reminderJob(runtime: Runtime): Job {
  let task: ScheduledTask | null = null;
  const runs = backgroundRuns(runtime.log, "reminders");
  const track = runs.track;

  return {
    async start() {
      const [hour, minute, second = 0] = runtime.config.REMINDER_TIME.split(":").map(Number);
      task = schedule(`${second} ${minute} ${hour} * * *`, () => track(() => runReminders(runtime, runtime.now())), {
        timezone: TIMEZONE,
        noOverlap: true,
        name: "dondoc-reminders",
      });
      const report = await track(() => catchUp(runtime, runtime.now()));
      if (report) runtime.log.info({ day: report.day, sent: report.sent.length }, "reminders: caught up the missed run");
    },

    async stop() {
      if (task) {
        await task.stop();
        await task.destroy();
        task = null;
      }
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
  for (const f of report.failed) lines.push(`• lỗi gửi ${f.chatId}: ${f.error}`);
  if (report.planned.length === 0 && report.resumed.length === 0) lines.push("Không có gì mới cần nhắc.");
  return lines.join("\n");
}
