/** The audit trail of a task, as lines people read. */
import type { Directory } from "../core/agencies.ts";
import type { Event } from "../core/schemas.ts";
import type { Store } from "../store/types.ts";
import { TIMEZONE } from "../config.ts";
import { cutToUnits, viDate } from "../core/text.ts";
import { MERGED_FIELDS } from "../import/importer.ts";

/** What each audit action is called in the trail people read (an action not listed: "thay đổi"). */
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
  "import.cancel": "hủy nạp kế hoạch",
  "task.edit": "sửa nhiệm vụ",
  alias: "gán tên cơ quan",
  "agency.add": "thêm cơ quan",
  bind: "gắn nhóm",
  unbind: "bỏ gắn nhóm",
  "bind.request": "xin gắn nhóm",
  "bind.reject": "từ chối gắn nhóm",
  "bind.move": "nhóm đổi mã",
};

/** `text` cut to `max` units on a character boundary, "…" when cut. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${cutToUnits(text, max - 1)}…`;
}

/**
 * A stored value as a short text: a deadline by its phrase, a list joined, a day as
 * dd/mm/yyyy; never "[object Object]" or "undefined".
 */
function shown(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "string") return /^\d{4}-\d{2}-\d{2}$/.test(value) ? viDate(value) : clip(value, 60);
  if (Array.isArray(value)) return clip(value.map(shown).join("; "), 120) || "—";
  if (typeof value === "object" && "raw" in value) {
    // A deadline: its phrase as written in the plan.
    const raw = (value as { raw: unknown }).raw;
    return typeof raw === "string" ? clip(raw, 60) || "—" : shown(raw);
  }
  if (typeof value === "number" || typeof value === "boolean") return typeof value === "boolean" ? (value ? "có" : "không") : String(value);
  return "(đã đổi)";
}

// Made once: `toLocaleString` with options builds a formatter per call (≈ 0.1 ms). With date and
// time fields given, the formatter's output is the same as `toLocaleString`'s.
const WHEN = new Intl.DateTimeFormat("vi-VN", {
  timeZone: TIMEZONE,
  hour: "2-digit",
  minute: "2-digit",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});

function when(iso: string): string {
  return WHEN.format(new Date(iso));
}

function change(event: Event): string {
  const before = event.before as Record<string, unknown> | undefined;
  const after = event.after as Record<string, unknown> | undefined;
  if (event.action === "progress" && before && after)
    // The same percentage reported again is a report too (the date of the last report moves).
    return after.progress === undefined ? " (không đổi)" : ` ${before.progress ?? 0}% → ${after.progress}%`;
  if (event.action === "deadline.move" && after) {
    const last = (after.extensions as { originalDue: string; newDue: string }[] | undefined)?.at(-1);
    if (last) return `: hạn ${viDate(last.originalDue)} → ${viDate(last.newDue)}`;
  }
  if (event.action === "task.edit" && before && after) {
    const [field] = Object.keys(after);
    if (field)
      return `: ${MERGED_FIELDS[field as keyof typeof MERGED_FIELDS] ?? "nội dung"} «${shown(before[field])}» → «${shown(after[field])}»`;
  }
  if (event.text) return `: «${clip(event.text, 120)}»`;
  return "";
}

/** One event as a line: when (Vietnam time), who, what, on whose share, the change. */
export function historyLine(event: Event, directory: Directory): string {
  const who = event.actor.name;
  const agency = event.agencyId ? ` (phần của ${directory.nameOf(event.agencyId)})` : "";
  return `• ${when(event.at)} — ${who}: ${AUDIT_LABELS[event.action] ?? "thay đổi"}${agency}${change(event)}`;
}

/** The newest `limit` events of task `taskCode`, newest first, as lines. */
export async function historyLines(store: Store, directory: Directory, taskCode: string, limit: number): Promise<string[]> {
  const events = await store.events({ taskCode, limit });
  return events.map((e) => historyLine(e, directory));
}
