/** How tasks and assignments read in chat: short lines a phone shows without wrapping much. */
import type { WorkCalendar } from "../core/calendar.ts";
import type { Assignment, Task } from "../core/schemas.ts";
import { currentMilestone, milestonesOf } from "../core/progress.ts";
import { shorten, viDate } from "../core/text.ts";

const STATUS: Record<Assignment["status"], string> = { open: "đang làm", blocked: "⚠️ vướng mắc", done: "✅ hoàn thành" };

export function statusText(task: Task, assignment: Assignment): string {
  if (assignment.status === "done") return STATUS.done;
  const parts = [STATUS[assignment.status], `${assignment.progress}%`];
  if (task.deadline.kind === "continuous") parts[0] = "thường xuyên";
  if (task.deadline.kind === "conditional" && !assignment.conditionDue) parts[0] = "chờ điều kiện";
  return parts.join(", ");
}

/** "hạn 31/03/2021, còn 4 ngày làm việc" / "trễ 3 ngày làm việc" / the phrase when undated. */
export function dueText(task: Task, assignment: Assignment, today: string, calendar: WorkCalendar): string {
  const milestone = currentMilestone(task, assignment);
  if (!milestone) return task.deadline.raw ? `thời hạn: ${shorten(task.deadline.raw, 60)}` : "chưa có thời hạn";
  const days = calendar.workingDaysBetween(today, milestone.due);
  const when = days > 0 ? `còn ${days} ngày làm việc` : milestone.due === today ? "hạn hôm nay" : days === 0 ? "đến hạn" : `trễ ${-days} ngày làm việc`;
  return `hạn ${viDate(milestone.due)}, ${when}`;
}

export function assignmentLine(task: Task, assignment: Assignment, today: string, calendar: WorkCalendar): string {
  return `• ${task.code} — ${shorten(task.title, 70)} — ${dueText(task, assignment, today, calendar)} — ${statusText(task, assignment)}`;
}

export function milestoneLines(task: Task, assignment?: Assignment): string[] {
  const milestones = assignment ? milestonesOf(task, assignment) : task.deadline.milestones.map((m) => ({ ...m, originalDue: m.due, done: false }));
  return milestones.map((m) => {
    const moved = m.due !== m.originalDue ? ` (gia hạn từ ${viDate(m.originalDue)})` : "";
    return `  ${m.done ? "☑" : "☐"} ${viDate(m.due)}${m.label ? ` — ${m.label}` : ""}${moved}`;
  });
}
