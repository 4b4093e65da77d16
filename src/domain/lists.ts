/** Lists of assignments for /nhiemvu, /sapden, /quahan and the digest: scoped to where they are asked. */
import type { Directory } from "../core/agencies.ts";
import { currentMilestone } from "../core/progress.ts";
import type { Assignment, IsoDay, Task } from "../core/schemas.ts";
import type { StoreData } from "../store/types.ts";
import { allows, refusalText, type Caller } from "./access.ts";
import { Refusal } from "./context.ts";
import { assignmentsOfAgency, lastActiveTaskByCode } from "./lookup.ts";

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

const byDue = new Intl.Collator().compare;
const byCode = new Intl.Collator("en", { numeric: true }).compare;

/** Open (not done) assignments in scope, earliest due first; undated ones last. */
export function openAssignments(data: StoreData, agencyIds: string[] | null): ListedAssignment[] {
  const items: ListedAssignment[] = [];
  const add = (assignment: Assignment) => {
    if (assignment.status === "done") return;
    const task = lastActiveTaskByCode(data.tasks, assignment.taskCode);
    if (task) items.push({ task, assignment, due: currentMilestone(task, assignment)?.due ?? null });
  };
  if (agencyIds === null) for (const assignment of data.assignments) add(assignment);
  else if (agencyIds.length === 1) for (const assignment of assignmentsOfAgency(data.assignments, agencyIds[0])) add(assignment);
  else for (const assignment of data.assignments) if (agencyIds.includes(assignment.agencyId)) add(assignment);
  return items.sort((a, b) => byDue(a.due ?? "9999", b.due ?? "9999") || byCode(a.task.code, b.task.code));
}
