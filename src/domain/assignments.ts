/**
 * An agency's share of a task (an assignment): finding the one an officer means, and every
 * change of its status — progress, done, blocker, condition date, evidence. Each change is
 * checked on the stored state inside the store's transaction (so a `/tiendo` racing a `/xong`
 * cannot reopen a finished share) and written with one audit event holding only the fields
 * that changed, before and after.
 */
import type { Directory } from "../core/agencies.ts";
import { toVnDay } from "../core/calendar.ts";
import { closestCodes, markDone, parseEvidence, type DoneResult } from "../core/progress.ts";
import type { Assignment, Evidence, IsoDay, Task } from "../core/schemas.ts";
import { viDate } from "../core/text.ts";
import type { StoreData } from "../store/types.ts";
import { allows, refusalText, type Caller } from "./access.ts";
import { eventBy, Refusal, type ActingUser, type Deps } from "./context.ts";

/** A file as the chat platform keeps it: evidence is stored by reference. */
export type EvidenceFile = NonNullable<Evidence["file"]>;

export type Target = { task: Task; assignment: Assignment };

/** Tasks of the registry not removed by a later import. */
export function activeTasks(data: StoreData): Task[] {
  return data.tasks.filter((t) => !t.removed);
}

/** The active task with code `typed` (any case, surrounding blanks ignored). */
export function findTask(data: StoreData, typed: string): Task | undefined {
  const code = typed.trim().toUpperCase();
  return activeTasks(data).find((t) => t.code === code);
}

/** The active task with code `typed` (`A12`, or a share's `A12@so-tu-phap`); refuses with the closest codes as suggestions. */
export function requireTask(data: StoreData, typed: string): Task {
  const task = findTask(data, typed.split("@")[0]);
  if (task) return task;
  const suggestions = closestCodes(
    typed,
    activeTasks(data).map((t) => t.code),
  );
  throw new Refusal(
    `Không có nhiệm vụ mã «${typed}».` +
      (suggestions.length ? ` Có phải: ${suggestions.join(", ")}?` : " Gõ /nhiemvu để xem mã các nhiệm vụ của cơ quan."),
  );
}

/**
 * The assignment `caller` means by `typed` — `A12`, or `A12@so-tu-phap` (what buttons carry,
 * and what the Sở Nội vụ group types for a shared task): in an agency's group its own share;
 * elsewhere the only share, or the one named. Refuses (Refusal) when there is none, when
 * several fit, or when the access policy does not let `caller` report for it.
 */
export function resolveTarget(deps: { store: Deps["store"]; directory: Directory }, caller: Caller, typed: string): Target {
  const data = deps.store.read();
  const [codePart, agencyPart] = typed.split("@");
  const task = requireTask(data, codePart);
  const shares = data.assignments.filter((a) => a.taskCode === task.code);
  const refuse = (agencyId: string) => new Refusal(refusalText(caller, "report", deps.directory.nameOf, agencyId));
  if (shares.length === 0) {
    throw new Refusal(
      `Nhiệm vụ ${task.code} chưa giao cho cơ quan nào (cơ quan chủ trì chưa có trong danh mục). Quản trị viên dùng /bidanh để gán.`,
    );
  }
  const own = caller.chatAgencyId && shares.some((s) => s.agencyId === caller.chatAgencyId) ? caller.chatAgencyId : null;
  const wanted = agencyPart?.toLowerCase() ?? own;
  let assignment: Assignment | undefined;
  if (wanted) assignment = shares.find((s) => s.agencyId === wanted);
  else if (shares.length === 1) assignment = shares[0];
  else if (!allows(caller, "report")) throw refuse(shares[0].agencyId);
  else {
    const options = shares.map((s) => `${task.code}@${s.agencyId}`).join(", ");
    throw new Refusal(`Nhiệm vụ ${task.code} giao cho ${shares.length} cơ quan. Ghi rõ phần của cơ quan nào, ví dụ: ${options}`);
  }
  if (!assignment) {
    if (caller.chatAgencyId && !allows(caller, "report", shares[0].agencyId)) throw refuse(shares[0].agencyId);
    throw new Refusal(`Nhiệm vụ ${task.code} không giao cho ${deps.directory.nameOf(wanted!)}.`);
  }
  if (!allows(caller, "report", assignment.agencyId)) throw refuse(assignment.agencyId);
  return { task, assignment };
}

/**
 * Change the assignment `assignmentId` with one audit event (`action`, the typed `text`).
 * `change` sees the stored assignment and task as they are now, not a caller's stale copy;
 * it throws a Refusal to refuse, and then nothing changes.
 */
async function transition<T>(
  deps: Deps,
  actor: ActingUser,
  assignmentId: string,
  action: string,
  text: string | undefined,
  change: (assignment: Assignment, task: Task) => { assignment: Assignment; result: T },
): Promise<T> {
  return deps.store.update((data) => {
    const index = data.assignments.findIndex((a) => a.id === assignmentId);
    if (index < 0) throw new Refusal("Phần việc này không còn (kế hoạch vừa được nạp lại). Gõ /nhiemvu để xem lại.");
    const before = data.assignments[index];
    // Read the task from the committed state: touching `data.tasks` would copy it for nothing.
    const task = deps.store.read().tasks.find((t) => t.code === before.taskCode)!;
    const { assignment, result } = change(before, task);
    data.assignments[index] = { ...assignment, updatedAt: deps.now.toISOString() };
    const { before: was, after: now } = changedFields(before, assignment);
    return {
      result,
      events: [eventBy(actor, deps.now, { action, taskCode: before.taskCode, agencyId: before.agencyId, before: was, after: now, text })],
    };
  });
}

/** Only the fields that changed (not `updatedAt`), so the audit trail stays readable. */
function changedFields(before: Assignment, after: Assignment): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof Assignment>) {
    if (key === "updatedAt" || JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    was[key] = before[key] ?? null;
    now[key] = after[key] ?? null;
  }
  return { before: was, after: now };
}

const alreadyDone = (deps: { directory: Directory }, a: Assignment, tail: string) =>
  new Refusal(`Nhiệm vụ ${a.taskCode} của ${deps.directory.nameOf(a.agencyId)} đã báo hoàn thành${tail}`);

/**
 * `/tiendo`: the share's progress becomes `percent` (0–100) and it is open again if it was
 * blocked. Refuses a share already done. Returns the progress before.
 */
export async function reportProgress(
  deps: Deps,
  actor: ActingUser,
  target: Target,
  percent: number,
  note: string,
  text: string,
): Promise<{ before: number }> {
  return transition(deps, actor, target.assignment.id, "progress", text, (current) => {
    if (current.status === "done") throw alreadyDone(deps, current, "; không cần cập nhật tiến độ.");
    const assignment: Assignment = {
      ...current,
      progress: percent,
      status: "open",
      note: note || current.note,
      lastReportAt: deps.now.toISOString(),
    };
    return { assignment, result: { before: current.progress } };
  });
}

/**
 * `/xong`: the current milestone done today (Vietnam), with the evidence document read from
 * `evidenceText` ("189/KH-UBND ngày 30/12/2020"), see `markDone`. Refuses a share already done.
 */
export async function reportDone(
  deps: Deps,
  actor: ActingUser,
  target: Target,
  evidenceText: string,
  text: string,
): Promise<DoneResult & { evidence: Evidence | null }> {
  const parsed = parseEvidence(evidenceText);
  const evidence: Evidence | null =
    parsed.documentNumber || parsed.rest
      ? {
          documentNumber: parsed.documentNumber,
          documentDate: parsed.documentDate,
          text: evidenceText || undefined,
          at: deps.now.toISOString(),
          by: actor.userId,
        }
      : null;
  return transition(deps, actor, target.assignment.id, "done", text, (current, task) => {
    if (current.status === "done") throw alreadyDone(deps, current, " trước đó. Không có gì thay đổi.");
    const done = markDone(task, current, toVnDay(deps.now), deps.now, evidence);
    return { assignment: done.assignment, result: { ...done, evidence } };
  });
}

/** `/vuongmac`: a blocker reported (a share already done keeps its status, and gets the note). */
export async function reportBlocker(deps: Deps, actor: ActingUser, target: Target, blocker: string, text: string): Promise<void> {
  if (!blocker.trim()) throw new Refusal("Nội dung vướng mắc đang trống; hãy ghi bằng chữ.", true);
  await transition(deps, actor, target.assignment.id, "blocker", text, (current) => ({
    assignment: { ...current, status: current.status === "done" ? "done" : "blocked", blocker },
    result: undefined,
  }));
}

/**
 * `/dieukien`: a conditional task's condition is met and the share has a due day from now
 * on. Refuses a day already past (input) and a task that is not conditional.
 */
export async function setConditionDate(deps: Deps, actor: ActingUser, target: Target, due: IsoDay, text: string): Promise<void> {
  if (due < toVnDay(deps.now)) throw new Refusal(`Ngày ${viDate(due)} đã qua.`, true);
  if (target.task.deadline.kind !== "conditional") {
    throw new Refusal(`Nhiệm vụ ${target.task.code} không phải nhiệm vụ chờ điều kiện; muốn đổi hạn hãy dùng /giahan.`);
  }
  await transition(deps, actor, target.assignment.id, "condition.date", text, (current) => ({
    assignment: { ...current, conditionDue: due },
    result: undefined,
  }));
}

/** An evidence file (sent in reply to the bot's "hoàn thành" answer), with the document its caption names. */
export async function attachEvidence(deps: Deps, actor: ActingUser, target: Target, file: EvidenceFile, caption: string): Promise<void> {
  const parsed = parseEvidence(caption);
  const stored: EvidenceFile = { platform: file.platform, fileId: file.fileId, name: file.name, size: file.size };
  await transition(deps, actor, target.assignment.id, "evidence", caption || file.name, (current) => ({
    assignment: {
      ...current,
      evidence: [
        ...current.evidence,
        {
          file: stored,
          documentNumber: parsed.documentNumber,
          documentDate: parsed.documentDate,
          text: caption || undefined,
          at: deps.now.toISOString(),
          by: actor.userId,
        },
      ],
    },
    result: undefined,
  }));
}
