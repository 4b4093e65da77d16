/** Lists of assignments for /nhiemvu, /sapden, /quahan and the digest: scoped to where they are asked. */
import type { Directory } from "../core/agencies.ts";
import { currentMilestone } from "../core/progress.ts";
import type { Assignment, IsoDay, Task } from "../core/schemas.ts";
import type { StoreData } from "../store/types.ts";
import { allows, refusalText, type Caller } from "./access.ts";
import { Refusal } from "./context.ts";

/** An open assignment with its task and its current due day (null: undated). */
export type ListedAssignment = { task: Task; assignment: Assignment; due: IsoDay | null };

/** Whose work a list or digest covers: some agencies (`null`: every agency), and how to call them. */
export type Scope = { agencyIds: string[] | null; label: string };

/**
 * Whose assignments `caller` sees (the access policy's `view` and `view-all`): in an agency's
 * group its own; in the Sở Nội vụ group or a manager's private chat everyone's, or one
 * agency's if named. Refuses an unknown agency (input) and one the caller may not see.
 */
export function scopeOf(directory: Directory, caller: Caller, agencyArg?: string): Scope {
  if (agencyArg) {
    const agency = directory.get(agencyArg.toLowerCase()) ?? directory.resolve(agencyArg);
    if (!agency) throw new Refusal(`Không tìm thấy cơ quan «${agencyArg}». Gõ /coquan để xem mã cơ quan.`, true);
    if (!allows(caller, "view", agency.id)) throw new Refusal(refusalText(caller, "view", directory.nameOf, agency.id));
    return { agencyIds: [agency.id], label: agency.name };
  }
  if (caller.chatAgencyId && !caller.isCoordinatorChat)
    return { agencyIds: [caller.chatAgencyId], label: directory.nameOf(caller.chatAgencyId) };
  if (allows(caller, "view-all")) return { agencyIds: null, label: "tất cả cơ quan" };
  throw new Refusal(refusalText(caller, "view", directory.nameOf));
}

/** Open (not done) assignments in scope, earliest due first; undated ones last. */
export function openAssignments(data: StoreData, agencyIds: string[] | null): ListedAssignment[] {
  const tasks = new Map(data.tasks.filter((t) => !t.removed).map((t) => [t.code, t]));
  const items: ListedAssignment[] = [];
  for (const assignment of data.assignments) {
    if (assignment.status === "done" || (agencyIds && !agencyIds.includes(assignment.agencyId))) continue;
    const task = tasks.get(assignment.taskCode);
    if (!task) continue;
    items.push({ task, assignment, due: currentMilestone(task, assignment)?.due ?? null });
  }
  return items.sort(
    (a, b) => (a.due ?? "9999").localeCompare(b.due ?? "9999") || a.task.code.localeCompare(b.task.code, "en", { numeric: true }),
  );
}
