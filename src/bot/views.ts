/** How tasks and assignments read in chat: short lines a phone shows without wrapping much. */
import type { WorkCalendar } from "../core/calendar.ts";
import type { Assignment, IsoDay, Task } from "../core/schemas.ts";
import type { ListedAssignment } from "../domain/lists.ts";
import { currentMilestone, milestonesOf } from "../core/progress.ts";
import { shorten, viDate } from "../core/text.ts";

const STATUS: Record<Assignment["status"], string> = { open: "đang làm", blocked: "⚠️ vướng mắc", done: "✅ hoàn thành" };

/**
 * "đang làm, 40%", "✅ hoàn thành", "chờ điều kiện"…; open at 100 %: "100% — chờ báo hoàn
 * thành" (not done until /xong with its evidence; digest/figures.ts explains the choice).
 */
export function statusText(task: Task, assignment: Assignment): string {
  if (assignment.status === "done") return STATUS.done;
  const parts = [STATUS[assignment.status], `${assignment.progress}%`];
  if (task.deadline.kind === "continuous") parts[0] = "thường xuyên";
  if (task.deadline.kind === "conditional" && !assignment.conditionDue) parts[0] = "chờ điều kiện";
  if (parts[0] === STATUS.open && assignment.progress >= 100) return "100% — chờ báo hoàn thành";
  return parts.join(", ");
}

/** "hạn 31/03/2021, còn 4 ngày làm việc" / "trễ 3 ngày làm việc" / the phrase when undated. */
export function dueText(task: Task, assignment: Assignment, today: string, calendar: WorkCalendar): string {
  const milestone = currentMilestone(task, assignment);
  if (!milestone) return task.deadline.raw ? `thời hạn: ${shorten(task.deadline.raw, 60)}` : "chưa có thời hạn";
  const days = calendar.workingDaysBetween(today, milestone.due);
  const when =
    days > 0
      ? `còn ${days} ngày làm việc`
      : milestone.due === today
        ? "hạn hôm nay"
        : days === 0
          ? "đến hạn"
          : `trễ ${-days} ngày làm việc`;
  return `hạn ${viDate(milestone.due)}, ${when}`;
}

/** One line of a list: code, title, due, status. */
export function assignmentLine(task: Task, assignment: Assignment, today: string, calendar: WorkCalendar): string {
  return `• ${task.code} — ${shorten(task.title, 70)} — ${dueText(task, assignment, today, calendar)} — ${statusText(task, assignment)}`;
}

/** A task's milestones, ☑ done / ☐ open, with extensions noted. */
export function milestoneLines(task: Task, assignment?: Assignment): string[] {
  const milestones = assignment
    ? milestonesOf(task, assignment)
    : task.deadline.milestones.map((m) => ({ ...m, originalDue: m.due, done: false }));
  return milestones.map((m) => {
    const moved = m.due !== m.originalDue ? ` (gia hạn từ ${viDate(m.originalDue)})` : "";
    return `  ${m.done ? "☑" : "☐"} ${viDate(m.due)}${m.label ? ` — ${m.label}` : ""}${moved}`;
  });
}

/** Lines of open assignments for a list, each with its agency when the list spans several. */
export function listLines(items: ListedAssignment[], today: IsoDay, calendar: WorkCalendar, agencyName?: (id: string) => string): string[] {
  return items.map(
    (i) => assignmentLine(i.task, i.assignment, today, calendar) + (agencyName ? ` — ${agencyName(i.assignment.agencyId)}` : ""),
  );
}

/** Lines per page of a long list. */
export const PAGE_SIZE = 15;

/** Page `pageNumber` (1-based, clamped) of `lines`, with a footer saying how to see the next. */
export function page(lines: string[], pageNumber: number, command: string): { lines: string[]; footer: string } {
  const pages = Math.max(1, Math.ceil(lines.length / PAGE_SIZE));
  const current = Math.min(Math.max(1, pageNumber), pages);
  const slice = lines.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const footer = pages > 1 ? `Trang ${current}/${pages}${current < pages ? ` — gõ /${command} ${current + 1} để xem tiếp` : ""}` : "";
  return { lines: slice, footer };
}
