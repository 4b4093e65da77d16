/**
 * What the progress commands and buttons share: finding the task an officer typed, the
 * assignment they may change from where they are, and changing it with an audit event.
 */
import type { App } from "../bot/app.ts";
import type { Caller } from "../bot/registry.ts";
import type { Assignment, Task } from "../core/schemas.ts";
import { closestCodes } from "../core/progress.ts";
import { eventBy } from "./audit.ts";
import { toVnDay } from "../core/calendar.ts";
import { parseAssignmentKey } from "../bot/buttons.ts";

export type Target = { task: Task; assignment: Assignment };
/** A target, or the Vietnamese reason there is none. */
export type TargetResult = { ok: true; target: Target } | { ok: false; message: string };

export function activeTasks(app: App): Task[] {
  return app.store.read().tasks.filter((t) => !t.removed);
}

export function findTask(app: App, typed: string): Task | undefined {
  const code = typed.trim().toUpperCase();
  return activeTasks(app).find((t) => t.code === code);
}

export function unknownCodeMessage(app: App, typed: string): string {
  const suggestions = closestCodes(typed, activeTasks(app).map((t) => t.code));
  return (
    `Không có nhiệm vụ mã «${typed}».` +
    (suggestions.length ? ` Có phải: ${suggestions.join(", ")}?` : " Gõ /nhiemvu để xem mã các nhiệm vụ của cơ quan.")
  );
}

/** May this caller change this agency's assignments? */
export function mayChange(caller: Caller, agencyId: string): boolean {
  return caller.isAdmin || caller.isCoordinatorChat || caller.chatAgencyId === agencyId;
}

export function refusal(app: App, caller: Caller, agencyId: string): string {
  if (!caller.chatAgencyId) {
    return `⛔ Nhóm này chưa gắn với cơ quan nào nên không cập nhật được nhiệm vụ của ${app.agencyName(agencyId)}. Hãy báo cáo trong nhóm của cơ quan.`;
  }
  return `⛔ Nhóm của ${app.agencyName(caller.chatAgencyId)} chỉ cập nhật được nhiệm vụ của cơ quan mình; phần việc này thuộc ${app.agencyName(agencyId)}. Không có gì thay đổi.`;
}

/**
 * The assignment a caller means by `typed` (`A12`, or `A12@so-tu-phap` from the Sở Nội vụ
 * group): in an agency's group its own share; elsewhere the only share, or the one named.
 */
export function resolveTarget(app: App, caller: Caller, typed: string): TargetResult {
  const [codePart, agencyPart] = typed.split("@");
  const task = findTask(app, codePart);
  if (!task) return { ok: false, message: unknownCodeMessage(app, codePart) };
  const shares = app.store.read().assignments.filter((a) => a.taskCode === task.code);
  if (shares.length === 0) {
    return { ok: false, message: `Nhiệm vụ ${task.code} chưa giao cho cơ quan nào (cơ quan chủ trì chưa có trong danh mục). Quản trị viên dùng /bidanh để gán.` };
  }
  const wanted = agencyPart?.toLowerCase() ?? (caller.chatAgencyId && shares.some((s) => s.agencyId === caller.chatAgencyId) ? caller.chatAgencyId : null);
  let assignment: Assignment | undefined;
  if (wanted) assignment = shares.find((s) => s.agencyId === wanted);
  else if (shares.length === 1) assignment = shares[0];
  else if (caller.chatAgencyId && !caller.isCoordinatorChat && !caller.isAdmin) {
    return { ok: false, message: refusal(app, caller, shares[0].agencyId) };
  } else {
    const options = shares.map((s) => `${task.code}@${s.agencyId}`).join(", ");
    return { ok: false, message: `Nhiệm vụ ${task.code} giao cho ${shares.length} cơ quan. Ghi rõ phần của cơ quan nào, ví dụ: ${options}` };
  }
  if (!assignment) {
    const owner = shares[0].agencyId;
    if (caller.chatAgencyId && !mayChange(caller, owner)) return { ok: false, message: refusal(app, caller, owner) };
    return { ok: false, message: `Nhiệm vụ ${task.code} không giao cho ${app.agencyName(wanted!)}.` };
  }
  if (!mayChange(caller, assignment.agencyId)) return { ok: false, message: refusal(app, caller, assignment.agencyId) };
  return { ok: true, target: { task, assignment } };
}

/** Same, from a button's `CODE@agency` payload. */
export function resolveButtonTarget(app: App, caller: Caller, payload: string): TargetResult {
  const key = parseAssignmentKey(payload);
  if (!key) return { ok: false, message: "Nút này không dùng được nữa. Gõ lệnh thay thế, ví dụ /tiendo <mã> <%>." };
  return resolveTarget(app, caller, `${key.code}@${key.agencyId}`);
}

/**
 * Change one assignment, with an audit event recording before → after. `change` sees the
 * current stored assignment (not a stale copy); it may throw to refuse, changing nothing.
 */
export async function changeAssignment<T>(
  app: App,
  caller: Pick<Caller, "userId" | "userName" | "chatId">,
  now: Date,
  assignmentId: string,
  action: string,
  text: string | undefined,
  change: (assignment: Assignment, task: Task) => { assignment: Assignment; result: T },
): Promise<T> {
  return app.store.update((data) => {
    const index = data.assignments.findIndex((a) => a.id === assignmentId);
    if (index < 0) throw new Error(`assignment ${assignmentId} vanished`);
    const before = data.assignments[index];
    // Read the task from the committed state: touching `data.tasks` would copy it for nothing.
    const task = app.store.read().tasks.find((t) => t.code === before.taskCode)!;
    const { assignment, result } = change(before, task);
    data.assignments[index] = assignment;
    return {
      result,
      events: [
        eventBy(caller, now, {
          action,
          taskCode: before.taskCode,
          agencyId: before.agencyId,
          before: diffFields(before, assignment, "before"),
          after: diffFields(before, assignment, "after"),
          text,
        }),
      ],
    };
  });
}

/** Only the fields that changed, so the audit trail stays readable. */
function diffFields(before: Assignment, after: Assignment, side: "before" | "after"): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof Assignment>) {
    if (key === "updatedAt") continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = (side === "before" ? before : after)[key] ?? null;
  }
  return out;
}

/** Today in Vietnam for the app's clock. */
export function today(now: Date): string {
  return toVnDay(now);
}
