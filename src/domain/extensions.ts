/**
 * Extension requests (gia hạn): an agency asks to move its current milestone, the Sở Nội vụ
 * decides. An approved request moves the milestone's due (the original stays, for the
 * quarterly report's "đúng hạn" count); a rejected one changes nothing but its status.
 */
import { outsideDateWindow, toVnDay, vnDateTime } from "../core/calendar.ts";
import { currentMilestone, milestonesOf, type EffectiveMilestone } from "../core/progress.ts";
import type { ExtensionRequest, IsoDay } from "../core/schemas.ts";
import { viDate } from "../core/text.ts";
import type { Target } from "./assignments.ts";
import { eventBy, Refusal, type ActingUser, type Deps } from "./context.ts";
import { activeTaskByCode, assignmentById, draftPosition } from "./lookup.ts";

/**
 * `/giahan`: ask to move `target`'s current milestone to `requestedDue`. Refuses (input) a
 * day not after today, not after the current due or outside `dateWindow`; a share with no open
 * milestone; and a second request while one for the same share's open milestone is pending
 * (naming it: wait for the decision, or ask the Sở Nội vụ to reject it and send a new one).
 * Returns the request (numbered from 1) and the milestone it would move.
 */
export async function requestExtension(
  deps: Deps,
  actor: ActingUser,
  target: Target,
  requestedDue: IsoDay,
  reason: string,
  text: string,
): Promise<{ request: ExtensionRequest; milestone: EffectiveMilestone }> {
  return deps.store.update((data) => {
    const { task } = target;
    // From the committed state: reading the draft's assignments would copy them for nothing.
    const assignment = assignmentById(deps.store.read().assignments, target.assignment.id);
    const milestone = assignment && currentMilestone(task, assignment);
    if (!assignment || !milestone) throw new Refusal(`Nhiệm vụ ${task.code} không có mốc thời hạn nào đang mở để gia hạn.`);
    if (requestedDue <= toVnDay(deps.now))
      throw new Refusal(`Ngày đề nghị ${viDate(requestedDue)} đã qua: cần một ngày sau hôm nay.`, true);
    if (requestedDue <= milestone.due) {
      throw new Refusal(`Ngày đề nghị ${viDate(requestedDue)} không sau hạn hiện tại ${viDate(milestone.due)}.`, true);
    }
    const outside = outsideDateWindow(requestedDue, deps.now);
    if (outside) throw new Refusal(`${outside} Không có gì thay đổi.`, true);
    // A pending request for a milestone since reported done is moot (and cannot be approved): it does not block.
    const open = new Set(
      milestonesOf(task, assignment)
        .filter((m) => !m.done)
        .map((m) => m.originalDue),
    );
    const pending = data.extensionRequests.find(
      (r) => r.assignmentId === assignment.id && r.status === "pending" && open.has(r.originalDue),
    );
    if (pending) {
      const at = vnDateTime(new Date(pending.requestedAt));
      throw new Refusal(
        `${task.code} đã có đề nghị gia hạn số ${pending.id} (đến ${viDate(pending.requestedDue)}, gửi ngày ${viDate(at.day)}) đang chờ Sở Nội vụ duyệt. ` +
          `Chờ quyết định; muốn đổi ngày đề nghị, nhờ Sở Nội vụ từ chối đề nghị số ${pending.id} (/tuchoi ${pending.id} <lý do>) rồi gửi lại. Không có gì thay đổi.`,
      );
    }
    const id = (data.counters.extension ?? 0) + 1;
    data.counters.extension = id;
    const request: ExtensionRequest = {
      id,
      assignmentId: assignment.id,
      taskCode: task.code,
      agencyId: assignment.agencyId,
      originalDue: milestone.originalDue,
      requestedDue,
      reason,
      status: "pending",
      requestedBy: actor.userId,
      requestedAt: deps.now.toISOString(),
    };
    data.extensionRequests.push(request);
    const event = eventBy(actor, deps.now, {
      action: "extension.request",
      taskCode: task.code,
      agencyId: assignment.agencyId,
      after: request,
      text,
    });
    return { result: { request, milestone }, events: [event] };
  });
}

/**
 * `/duyet`, `/tuchoi` and their buttons: decide request `id`. Refuses an unknown request and
 * one already decided (checked in the transaction: two deciders pressing at once decide once).
 * Approving is checked against the share as it is now, so a stale request cannot move a due:
 * refused when the share is gone or done, its milestone is gone or reported done, the due
 * already is at or after the requested day (another request was approved), or the day is
 * outside `dateWindow` — the request stays pending and can be rejected. Rejecting always works.
 * Whether the actor may decide is the access policy's (`decide-extension`), applied by the caller.
 */
export async function decideExtension(
  deps: Deps,
  actor: ActingUser,
  id: number,
  approve: boolean,
  note: string,
  text?: string,
): Promise<ExtensionRequest> {
  return deps.store.update((data) => {
    const index = data.extensionRequests.findIndex((x) => x.id === id);
    const before = data.extensionRequests[index];
    if (!before)
      throw new Refusal(`Không có đề nghị gia hạn số ${id}. Số đề nghị ghi trong tin «Đề nghị gia hạn số …» gửi tới nhóm Sở Nội vụ.`);
    if (before.status !== "pending") {
      throw new Refusal(`Đề nghị gia hạn số ${id} đã được ${before.status === "approved" ? "duyệt" : "từ chối"} trước đó.`);
    }
    const decided: ExtensionRequest = {
      ...before,
      status: approve ? "approved" : "rejected",
      decidedBy: actor.userId,
      decidedAt: deps.now.toISOString(),
      decisionNote: note || undefined,
    };
    data.extensionRequests[index] = decided;
    const scope = { taskCode: decided.taskCode, agencyId: decided.agencyId };
    const events = [
      eventBy(actor, deps.now, { action: approve ? "extension.approve" : "extension.reject", ...scope, before, after: decided, text }),
    ];
    if (approve) {
      const committed = deps.store.read();
      const ai = draftPosition(data.assignments, committed.assignments, decided.assignmentId);
      const a = data.assignments[ai];
      if (!a) throw new Refusal(`Phần việc của đề nghị số ${id} không còn (kế hoạch đã được nạp lại): không duyệt được.`);
      // Read tasks from the committed state: touching the draft's tasks would copy them for nothing.
      const task = activeTaskByCode(committed.tasks, a.taskCode);
      const milestone = task && milestonesOf(task, a).find((m) => m.originalDue === decided.originalDue);
      const reject = `Không có gì thay đổi; có thể từ chối đề nghị bằng /tuchoi ${id} <lý do>.`;
      const stale = (why: string) => new Refusal(`Không duyệt được đề nghị gia hạn số ${id} (${decided.taskCode}): ${why}. ${reject}`);
      if (!task || !milestone) throw stale(`mốc hạn ${viDate(decided.originalDue)} không còn trong nhiệm vụ (thời hạn đã được sửa)`);
      if (milestone.done) throw stale(`mốc hạn ${viDate(decided.originalDue)} đã báo hoàn thành`);
      if (milestone.due >= decided.requestedDue) {
        throw stale(`hạn hiện tại đã là ${viDate(milestone.due)}, không sớm hơn ngày đề nghị ${viDate(decided.requestedDue)}`);
      }
      const outside = outsideDateWindow(decided.requestedDue, deps.now);
      if (outside) throw stale(outside.replace(/\.$/, ""));
      const extensions = [...a.extensions, { originalDue: decided.originalDue, newDue: decided.requestedDue, requestId: decided.id }];
      data.assignments[ai] = { ...a, extensions, updatedAt: deps.now.toISOString() };
      events.push(
        eventBy(actor, deps.now, { action: "deadline.move", ...scope, before: { extensions: a.extensions }, after: { extensions }, text }),
      );
    }
    return { result: decided, events };
  });
}
