/** The audit trail of a task, as lines people read. */
import type { App } from "./app.ts";
import type { Event } from "../core/schemas.ts";
import { TIMEZONE } from "../config.ts";

const ACTIONS: Record<string, string> = {
  progress: "cập nhật tiến độ",
  done: "báo hoàn thành",
  evidence: "gửi tệp kiểm chứng",
  blocker: "báo vướng mắc",
  "extension.request": "đề nghị gia hạn",
  "extension.approve": "duyệt gia hạn",
  "extension.reject": "từ chối gia hạn",
  "deadline.move": "dời hạn",
  "condition.date": "đặt thời điểm thực hiện",
  import: "nạp kế hoạch",
};

function when(iso: string): string {
  return new Date(iso).toLocaleString("vi-VN", { timeZone: TIMEZONE, hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric" });
}

function change(event: Event): string {
  const before = event.before as Record<string, unknown> | undefined;
  const after = event.after as Record<string, unknown> | undefined;
  if (event.action === "progress" && before && after) return ` ${before.progress ?? "?"}% → ${after.progress ?? "?"}%`;
  if (event.text) return `: «${event.text.slice(0, 120)}»`;
  return "";
}

export function historyLine(app: App, event: Event): string {
  const who = event.actor.name;
  const agency = event.agencyId ? ` (phần của ${app.agencyName(event.agencyId)})` : "";
  return `• ${when(event.at)} — ${who}: ${ACTIONS[event.action] ?? event.action}${agency}${change(event)}`;
}

export async function historyLines(app: App, taskCode: string, limit: number): Promise<string[]> {
  const events = await app.store.events({ taskCode, limit });
  return events.map((e) => historyLine(app, e));
}
