/** The background jobs of a running bot: local mode's clock, the reminder and digest schedulers. */
import type { Runtime } from "../bot/runtime.ts";
import { TIMEZONE } from "../config.ts";
import { outsideDateWindow, parseLocalInstant, toVnDay } from "../core/calendar.ts";
import { digestJob } from "./digests.ts";
import type { Job } from "./job.ts";
import { reminderJob } from "./reminders.ts";

/** `:homnay 2021-03-25` moves the local clock, which then runs on from there. */
function clockJob(runtime: Runtime): Job {
  return {
    localCommands: [
      {
        name: "homnay",
        usage: "homnay <ngày>",
        description: "đặt đồng hồ thử, ví dụ :homnay 2021-03-25 hoặc :homnay 2021-03-25T08:00",
        async run(args) {
          if (!args) return `Bây giờ (giờ Việt Nam): ${runtime.now().toLocaleString("vi-VN", { timeZone: TIMEZONE })}`;
          const instant = parseLocalInstant(args, runtime.config.REMINDER_TIME);
          if (!instant) return "Ngày không hợp lệ. Ví dụ: :homnay 2021-03-25 hoặc :homnay 2021-03-25T08:00";
          // The same window as dates typed in commands, around the real today.
          const outside = outsideDateWindow(toVnDay(instant), new Date());
          if (outside) return outside;
          const offset = instant.getTime() - Date.now();
          runtime.setClock(() => new Date(Date.now() + offset));
          return `Đồng hồ thử: ${instant.toLocaleString("vi-VN", { timeZone: TIMEZONE })}`;
        },
      },
    ],
  };
}

/** Every job, in start order. */
export function createJobs(runtime: Runtime): Job[] {
  return [clockJob(runtime), reminderJob(runtime), digestJob(runtime)];
}
