/**
 * Background services around the chat: the clock of local mode, the reminder and digest
 * schedulers. Each may add `:commands` to the local terminal chat.
 */
import { isValidDay, vnInstant } from "../core/calendar.ts";
import type { App } from "../bot/app.ts";
import type { LocalCommand } from "../chat/local.ts";
import { TIMEZONE } from "../config.ts";
import { reminderService } from "./reminders.ts";
import { digestService } from "./digests.ts";

export type Service = {
  localCommands?: LocalCommand[];
  start?(): Promise<void>;
  stop?(): Promise<void>;
};

/** `2021-03-25` or `2021-03-25T08:00` (Vietnam time) → instant; null if malformed. */
export function parseLocalInstant(text: string, defaultTime = "08:00"): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?$/.exec(text.trim());
  if (!m || !isValidDay(m[1])) return null;
  const instant = vnInstant(m[1], m[2] ?? defaultTime.slice(0, 5));
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/** `:homnay 2021-03-25` moves the local clock, which then runs on from there. */
function clockService(app: App): Service {
  return {
    localCommands: [
      {
        name: "homnay",
        usage: "homnay <ngày>",
        description: "đặt đồng hồ thử, ví dụ :homnay 2021-03-25 hoặc :homnay 2021-03-25T08:00",
        async run(args) {
          if (!args) return `Bây giờ (giờ Việt Nam): ${app.now().toLocaleString("vi-VN", { timeZone: TIMEZONE })}`;
          const instant = parseLocalInstant(args, app.config.REMINDER_TIME);
          if (!instant) return "Ngày không hợp lệ. Ví dụ: :homnay 2021-03-25 hoặc :homnay 2021-03-25T08:00";
          const offset = instant.getTime() - Date.now();
          app.setClock(() => new Date(Date.now() + offset));
          return `Đồng hồ thử: ${instant.toLocaleString("vi-VN", { timeZone: TIMEZONE })}`;
        },
      },
    ],
  };
}

export function createServices(app: App): Service[] {
  return [clockService(app), reminderService(app), digestService(app)];
}
