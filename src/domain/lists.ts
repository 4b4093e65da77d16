/** Lists of assignments for /nhiemvu, /sapden, /quahan: scoped to where they are asked. */
import type { App } from "../bot/app.ts";
import type { Caller } from "../bot/registry.ts";
import type { Assignment, Task } from "../core/schemas.ts";
import { currentMilestone } from "../core/progress.ts";
import { assignmentLine } from "../bot/views.ts";

export type Item = { task: Task; assignment: Assignment; due: string | null };

export const PAGE_SIZE = 15;

/**
 * Whose assignments: in an agency's group its own; in the Sở Nội vụ group or an admin's
 * private chat everyone's, or one agency's if named. Null with a message when not allowed.
 */
export function scopeOf(app: App, caller: Caller, agencyArg?: string): { agencyIds: string[] | null; label: string } | { error: string } {
  const all = caller.isCoordinatorChat || (caller.chatKind === "private" && caller.isManager);
  if (agencyArg) {
    const agency = app.directory().get(agencyArg.toLowerCase()) ?? app.directory().resolve(agencyArg);
    if (!agency) return { error: `Không tìm thấy cơ quan «${agencyArg}». Gõ /coquan để xem mã cơ quan.` };
    if (!all && caller.chatAgencyId !== agency.id) return { error: "⛔ Nhóm này chỉ xem được nhiệm vụ của cơ quan mình." };
    return { agencyIds: [agency.id], label: agency.name };
  }
  if (caller.chatAgencyId && !caller.isCoordinatorChat) return { agencyIds: [caller.chatAgencyId], label: app.agencyName(caller.chatAgencyId) };
  if (all) return { agencyIds: null, label: "tất cả cơ quan" };
  return { error: "Nhóm này chưa gắn với cơ quan nào. Quản trị viên gõ /dangky <tên cơ quan> để gắn." };
}

/** Open (not done) assignments in scope, earliest due first; undated ones last. */
export function openItems(app: App, agencyIds: string[] | null): Item[] {
  const data = app.store.read();
  const tasks = new Map(data.tasks.filter((t) => !t.removed).map((t) => [t.code, t]));
  const items: Item[] = [];
  for (const assignment of data.assignments) {
    if (assignment.status === "done" || (agencyIds && !agencyIds.includes(assignment.agencyId))) continue;
    const task = tasks.get(assignment.taskCode);
    if (!task) continue;
    items.push({ task, assignment, due: currentMilestone(task, assignment)?.due ?? null });
  }
  return items.sort((a, b) => (a.due ?? "9999").localeCompare(b.due ?? "9999") || a.task.code.localeCompare(b.task.code, "en", { numeric: true }));
}

export function renderItems(app: App, items: Item[], today: string, showAgency: boolean): string[] {
  return items.map((i) => assignmentLine(i.task, i.assignment, today, app.calendar) + (showAgency ? ` — ${app.agencyName(i.assignment.agencyId)}` : ""));
}

/** Page `page` (1-based) of `lines`, with a footer saying how to see the next. */
export function page(lines: string[], pageNumber: number, command: string): { lines: string[]; footer: string } {
  const pages = Math.max(1, Math.ceil(lines.length / PAGE_SIZE));
  const current = Math.min(Math.max(1, pageNumber), pages);
  const slice = lines.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const footer = pages > 1 ? `Trang ${current}/${pages}${current < pages ? ` — gõ /${command} ${current + 1} để xem tiếp` : ""}` : "";
  return { lines: slice, footer };
}
