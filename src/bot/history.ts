/** The audit trail of a task, as lines people read. */
import type { Directory } from "../core/agencies.ts";
import type { Event } from "../core/schemas.ts";
import type { Store } from "../store/types.ts";
import { TIMEZONE } from "../config.ts";

/** What each audit action is called in the trail people read (others show their code). */
const AUDIT_LABELS: Record<string, string> = {
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
  return new Date(iso).toLocaleString("vi-VN", {
    timeZone: TIMEZONE,
    hour: "2-digit",
    minute: "2-digit",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
  });
}

function change(event: Event): string {
  const before = event.before as Record<string, unknown> | undefined;
  const after = event.after as Record<string, unknown> | undefined;
  if (event.action === "progress" && before && after) return ` ${before.progress ?? "?"}% → ${after.progress ?? "?"}%`;
  if (event.text) return `: «${event.text.slice(0, 120)}»`;
  return "";
}

/** One event as a line: when (Vietnam time), who, what, on whose share, the change. */
export function historyLine(event: Event, directory: Directory): string {
  const who = event.actor.name;
  const agency = event.agencyId ? ` (phần của ${directory.nameOf(event.agencyId)})` : "";
  return `• ${when(event.at)} — ${who}: ${AUDIT_LABELS[event.action] ?? event.action}${agency}${change(event)}`;
}

/** The newest `limit` events of task `taskCode`, newest first, as lines. */
export async function historyLines(store: Store, directory: Directory, taskCode: string, limit: number): Promise<string[]> {
  const events = await store.events({ taskCode, limit });
  return events.map((e) => historyLine(e, directory));
}
