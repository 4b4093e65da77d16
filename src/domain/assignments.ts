/**
 * An agency's share of a task (an assignment): finding the one an officer means, and every
 * change of its status — progress, done, blocker, condition date, evidence. Each change is
 * checked on the stored state inside the store's transaction (so a `/tiendo` racing a `/xong`
 * cannot reopen a finished share) and written with one audit event holding only the fields
 * that changed, before and after.
 */
import type { Directory } from "../core/agencies.ts";
import { outsideDateWindow, quarterEnd, quarterOf, quarterStart, toVnDay, vnDateTime } from "../core/calendar.ts";
import {
  closestCodes,
  currentMilestone,
  markDone,
  milestonesOf,
  parseEvidence,
  shortAgencyRef,
  type DoneResult,
} from "../core/progress.ts";
import type { Assignment, Evidence, IsoDay, Task } from "../core/schemas.ts";
import { viDate } from "../core/text.ts";
import type { StoreData } from "../store/types.ts";
import { allows, refusalText, type Caller } from "./access.ts";
import { eventBy, Refusal, type ActingUser, type Deps } from "./context.ts";
import { activeTaskByCode, activeTaskList, anyTaskByCode, assignmentById, draftPosition, sharesOf } from "./lookup.ts";

/** A file as the chat platform keeps it: evidence is stored by reference. */
export type EvidenceFile = NonNullable<Evidence["file"]>;

export type Target = { task: Task; assignment: Assignment };

/** Tasks of the registry not removed by a later import. */
export function activeTasks(data: StoreData): Task[] {
  return activeTaskList(data.tasks);
}

/** The active task with code `typed` (any case, surrounding blanks ignored). */
export function findTask(data: StoreData, typed: string): Task | undefined {
  return activeTaskByCode(data.tasks, typed.trim().toUpperCase());
}

/** The active task with code `typed` (`A12`, or a share's `A12@so-tu-phap`); refuses with the closest codes as suggestions. */
export function requireTask(data: StoreData, typed: string): Task {
  // An empty code (`/xong @x`, a truncated button `xong:`) names no task: say so rather than echo «».
  if (!typed.split("@")[0].trim()) throw new Refusal("Thiếu mã nhiệm vụ, ví dụ A12.");
  const task = findTask(data, typed.split("@")[0]);
  if (task) return task;
  const suggestions = closestCodes(
    typed,
    activeTaskList(data.tasks).map((t) => t.code),
  );
  throw new Refusal(
    `Không có nhiệm vụ mã «${typed}».` +
      (suggestions.length ? ` Có phải: ${suggestions.join(", ")}?` : " Gõ /nhiemvu để xem mã các nhiệm vụ của cơ quan."),
  );
}

/**
 * The task `typed` for reading it whole (/chitiet, /lichsu: every agency's status, evidence,
 * notes, who did what), if `caller` may see it under the access policy's `view`: one of its
 * shares belongs to the chat's agency, or the caller views all (the Sở Nội vụ group; admins and
 * managers in private). Refuses (Refusal) otherwise — a group bound to nothing, a stranger's
 * private chat, another agency's group — as the lists (/nhiemvu, /quahan) do.
 */
export function requireVisibleTask(deps: { store: Deps["store"]; directory: Directory }, caller: Caller, typed: string): Task {
  const data = deps.store.read();
  const task = requireTask(data, typed);
  if (allows(caller, "view-all")) return task;
  const shares = sharesOf(data.assignments, task.code);
  if (shares.some((a) => allows(caller, "view", a.agencyId))) return task;
  throw new Refusal(refusalText(caller, "view", deps.directory.nameOf, shares[0]?.agencyId ?? null));
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
  const shares = sharesOf(data.assignments, task.code);
  const refuse = (agencyId: string) => new Refusal(refusalText(caller, "report", deps.directory.nameOf, agencyId));
  if (shares.length === 0) {
    throw new Refusal(
      `Nhiệm vụ ${task.code} chưa giao cho cơ quan nào (cơ quan chủ trì chưa có trong danh mục). Quản trị viên dùng /bidanh để gán.`,
    );
  }
  // `A12@` names no agency: refuse it rather than read it as "no agency given" or as agency "".
  if (agencyPart !== undefined && !agencyPart.trim())
    throw new Refusal(`Thiếu mã cơ quan sau «${task.code}@», ví dụ ${task.code}@${shares[0].agencyId}.`);
  const own = caller.chatAgencyId && shares.some((s) => s.agencyId === caller.chatAgencyId) ? caller.chatAgencyId : null;
  // `~xxxxxx`: a button's short stand-in for a long agency id (bot/buttons.ts assignmentKey).
  const byRef = agencyPart?.startsWith("~") ? shares.filter((s) => shortAgencyRef(s.agencyId) === agencyPart.toLowerCase()) : null;
  if (byRef && byRef.length !== 1)
    throw new Refusal(`Nút này không còn dùng được cho ${task.code}. Gõ /nhiemvu để xem lại và báo bằng lệnh.`);
  const wanted = byRef ? byRef[0].agencyId : (agencyPart?.toLowerCase() ?? own);
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
    const committed = deps.store.read();
    const index = draftPosition(data.assignments, committed.assignments, assignmentId);
    if (index < 0) throw new Refusal("Phần việc này không còn (kế hoạch vừa được nạp lại). Gõ /nhiemvu để xem lại.");
    const before = data.assignments[index];
    // Read the task from the committed state: touching `data.tasks` would copy it for nothing.
    const task = anyTaskByCode(committed.tasks, before.taskCode)!;
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
 * What a done report acts on. `current`: the milestone now open (`/xong` typed). `named`: the
 * milestone a ✅ button was sent for (its plan due; for a continuous task without milestones,
 * the last day of the quarter reported). `unnamed`: a ✅ button of an earlier version, which
 * names nothing: it acts on the milestone now open only when that is due by `windowEnd` (the
 * widest reminder notice from today) or overdue; otherwise the officer is asked to type /xong.
 */
export type DoneScope = { kind: "current" } | { kind: "named"; id: IsoDay } | { kind: "unnamed"; windowEnd: IsoDay };

/** What of `scope` is already reported on `a`, or null. */
type Reported = { kind: "all" } | { kind: "milestone"; due: IsoDay } | { kind: "period"; end: IsoDay };
function alreadyReported(task: Task, a: Assignment, scope: DoneScope): Reported | null {
  if (a.status === "done") return { kind: "all" };
  if (scope.kind !== "named") return null;
  const milestone = milestonesOf(task, a).find((m) => m.originalDue === scope.id);
  if (milestone?.done) return { kind: "milestone", due: milestone.originalDue };
  if (!milestone && isContinuousWithoutMilestones(task) && a.lastReportAt) {
    const end = scope.id;
    const reported = toVnDay(new Date(a.lastReportAt));
    if (reported >= quarterStart(Number(end.slice(0, 4)), quarterOf(end)) && reported <= end) return { kind: "period", end };
  }
  return null;
}

const isContinuousWithoutMilestones = (task: Task) => task.deadline.kind === "continuous" && task.deadline.milestones.length === 0;
const quarterName = (end: IsoDay) => `quý ${["I", "II", "III", "IV"][quarterOf(end) - 1]}/${end.slice(0, 4)}`;

/** "đã báo …": what, and when and by whom when the audit trail says (`events`: the share's, newest first). */
function reportedRefusal(
  deps: { directory: Directory },
  a: Assignment,
  reported: Reported,
  events: Awaited<ReturnType<Deps["store"]["events"]>> = [],
): Refusal {
  const list = (value: unknown, key: string): unknown[] => {
    const field = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    return Array.isArray(field) ? field : [];
  };
  const field = (value: unknown, key: string): unknown =>
    value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  const event = events.find((e) => {
    if (reported.kind === "all") return e.action === "done" && field(e.after, "status") === "done";
    if (reported.kind === "milestone") {
      return (
        e.action === "done" &&
        list(e.after, "milestonesDone").includes(reported.due) &&
        !list(e.before, "milestonesDone").includes(reported.due)
      );
    }
    return field(e.after, "lastReportAt") === a.lastReportAt;
  });
  const what =
    reported.kind === "all"
      ? "đã báo hoàn thành trước đó"
      : reported.kind === "milestone"
        ? `đã báo hoàn thành mốc hạn ${viDate(reported.due)} trước đó`
        : `đã báo cáo ${quarterName(reported.end)} trước đó`;
  const when = event ? vnDateTime(new Date(event.at)) : null;
  const detail = event && when ? ` (lúc ${when.time} ngày ${viDate(when.day)}, ${event.actor.name})` : "";
  return new Refusal(`Nhiệm vụ ${a.taskCode} của ${deps.directory.nameOf(a.agencyId)} ${what}${detail}. Không có gì thay đổi.`);
}

/** Refuses a report `scope` does not allow now (see DoneScope); `a` is not already reported for it. */
function checkScope(task: Task, a: Assignment, scope: DoneScope, today: IsoDay): void {
  const open = currentMilestone(task, a);
  const type = `/xong ${task.code} [số văn bản]`;
  if (scope.kind === "named") {
    const named = milestonesOf(task, a).find((m) => m.originalDue === scope.id);
    if (named && open && named.originalDue !== open.originalDue) {
      throw new Refusal(
        `Nút này cho mốc hạn ${viDate(named.due)} của ${task.code}, nhưng mốc trước (hạn ${viDate(open.due)}) chưa báo hoàn thành: ` +
          `báo mốc đó trước bằng ${type}. Không có gì thay đổi.`,
      );
    }
    if (!named && isContinuousWithoutMilestones(task)) {
      if (quarterEnd(Number(today.slice(0, 4)), quarterOf(today)) !== scope.id) {
        throw new Refusal(`Nút này cho kỳ báo cáo ${quarterName(scope.id)}, đã qua. Báo cáo kỳ này bằng ${type}. Không có gì thay đổi.`);
      }
    } else if (!named) {
      throw new Refusal(
        `Nút này gửi cho mốc hạn ${viDate(scope.id)} của ${task.code}, nay nhiệm vụ không còn mốc đó (thời hạn đã được sửa). ` +
          `${open ? `Mốc đang mở: hạn ${viDate(open.due)}; nếu đã hoàn thành, gõ ${type}.` : `Gõ /chitiet ${task.code} để xem lại.`} Không có gì thay đổi.`,
      );
    }
  }
  if (scope.kind === "unnamed" && open && open.due > scope.windowEnd) {
    throw new Refusal(
      `Nút này gửi từ trước, không ghi mốc nào. Mốc đang mở của ${task.code} là hạn ${viDate(open.due)}, chưa đến kỳ nhắc: ` +
        `nếu đã hoàn thành mốc này, gõ ${type}. Không có gì thay đổi.`,
    );
  }
}

/**
 * `/xong` and ✅: a milestone done today (Vietnam) — the one `scope` names (see DoneScope) —
 * with the evidence document read once from `evidenceText` ("189/KH-UBND ngày 30/12/2020",
 * see parseEvidence; an impossible or future document date is refused, input). A milestone,
 * quarter or share already reported is refused with "đã báo", when and by whom: nothing changes.
 */
export async function reportDone(
  deps: Deps,
  actor: ActingUser,
  target: Target,
  evidenceText: string,
  text: string,
  scope: DoneScope = { kind: "current" },
): Promise<DoneResult & { evidence: Evidence | null }> {
  const reading = parseEvidence(evidenceText, deps.now);
  if (!reading.ok) throw new Refusal(reading.problem, true);
  const evidence: Evidence | null = reading.text
    ? {
        documentNumber: reading.documentNumber,
        documentDate: reading.documentDate,
        text: reading.text,
        at: deps.now.toISOString(),
        by: actor.userId,
      }
    : null;
  // Already reported: say when and by whom, from the audit trail (read before the transaction).
  const stored = assignmentById(deps.store.read().assignments, target.assignment.id);
  const reported = stored && alreadyReported(target.task, stored, scope);
  if (stored && reported) {
    throw reportedRefusal(
      deps,
      stored,
      reported,
      await deps.store.events({ taskCode: stored.taskCode, agencyId: stored.agencyId, limit: 500 }),
    );
  }
  return transition(deps, actor, target.assignment.id, "done", text, (current, task) => {
    const again = alreadyReported(task, current, scope);
    if (again) throw reportedRefusal(deps, current, again);
    const today = toVnDay(deps.now);
    checkScope(task, current, scope, today);
    const done = markDone(task, current, today, deps.now, evidence);
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

const notConditional = (task: Task) =>
  new Refusal(`Nhiệm vụ ${task.code} không phải nhiệm vụ chờ điều kiện; muốn đổi hạn hãy dùng /giahan.`);

/**
 * Why `actor` cannot give `target` a condition date at all, whatever the date: the task is not
 * conditional, or (for a non-admin) the share's date is already set. Null when it can. What the
 * 🗓 Có ngày button checks before asking for the date; setConditionDate checks the same inside
 * the store's transaction (where the same date sent again is told "đã báo").
 */
export function conditionDateRefusal(target: Target, actor: { isAdmin?: boolean }): Refusal | null {
  const { task, assignment } = target;
  if (task.deadline.kind !== "conditional") return notConditional(task);
  if (assignment.conditionDue && !actor.isAdmin)
    return new Refusal(
      `Hạn thực hiện ${task.code} đã đặt là ${viDate(assignment.conditionDue)}; muốn lùi hạn, gửi /giahan ${task.code} <dd/mm/yyyy> <lý do>. Không có gì thay đổi.`,
    );
  return null;
}

/**
 * `/dieukien`: a conditional task's condition is met and the share has a due day from now
 * on. Refuses (input) a day already past or outside `dateWindow`, a task that is not
 * conditional, and — once the share's date is set — any change by a non-admin: a later date
 * goes through /giahan (the Sở Nội vụ approves), an admin may correct it. Setting the same
 * date again changes nothing.
 */
export async function setConditionDate(
  deps: Deps,
  actor: ActingUser & { isAdmin?: boolean },
  target: Target,
  due: IsoDay,
  text: string,
): Promise<void> {
  if (due < toVnDay(deps.now)) throw new Refusal(`Ngày ${viDate(due)} đã qua.`, true);
  const outside = outsideDateWindow(due, deps.now);
  if (outside) throw new Refusal(`${outside} Không có gì thay đổi.`, true);
  if (target.task.deadline.kind !== "conditional") throw notConditional(target.task);
  await transition(deps, actor, target.assignment.id, "condition.date", text, (current) => {
    if (current.conditionDue === due) {
      throw new Refusal(`Hạn thực hiện ${current.taskCode} đã là ${viDate(due)} (đã báo trước đó). Không có gì thay đổi.`);
    }
    if (current.conditionDue && !actor.isAdmin) {
      throw new Refusal(
        `Hạn thực hiện ${current.taskCode} đã đặt là ${viDate(current.conditionDue)}; không đổi lại bằng /dieukien được. ` +
          `Muốn lùi hạn, gửi /giahan ${current.taskCode} <dd/mm/yyyy> <lý do> để Sở Nội vụ duyệt. Không có gì thay đổi.`,
      );
    }
    return { assignment: { ...current, conditionDue: due }, result: undefined };
  });
}

/** An evidence file (sent in reply to the bot's "hoàn thành" answer), with the document its caption names. */
export async function attachEvidence(deps: Deps, actor: ActingUser, target: Target, file: EvidenceFile, caption: string): Promise<void> {
  const parsed = parseEvidence(caption, deps.now);
  if (!parsed.ok) throw new Refusal(`${parsed.problem} Gửi lại tệp với chú thích đúng.`, true);
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
          text: parsed.text || undefined,
          at: deps.now.toISOString(),
          by: actor.userId,
        },
      ],
    },
    result: undefined,
  }));
}
