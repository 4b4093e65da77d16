/** Extension requests (gia hạn): asked by an agency, decided by the Sở Nội vụ. */
import type { App } from "../bot/app.ts";
import type { Caller } from "../bot/registry.ts";
import type { Responder } from "../chat/types.ts";
import { eventBy } from "./audit.ts";
import { viDate } from "../core/text.ts";

export const EXTENSION_ACTIONS = { approve: "ghok", reject: "ghno" } as const;

export function mayDecide(caller: Caller): boolean {
  return caller.isAdmin || caller.isCoordinatorChat;
}

/** Approve or reject request `id`; answers the decider and tells the agency's group. */
export async function decideExtension(app: App, caller: Caller, respond: Responder, now: Date, id: number, approve: boolean, note: string, text?: string) {
  if (!mayDecide(caller)) {
    await respond.reply("⛔ Chỉ nhóm Sở Nội vụ hoặc quản trị viên mới duyệt được đề nghị gia hạn. Không có gì thay đổi.");
    return;
  }
  const request = app.store.read().extensionRequests.find((r) => r.id === id);
  if (!request) {
    await respond.reply(`Không có đề nghị gia hạn số ${id}. Số đề nghị ghi trong tin «Đề nghị gia hạn số …» gửi tới nhóm Sở Nội vụ.`);
    return;
  }
  if (request.status !== "pending") {
    await respond.reply(`Đề nghị gia hạn số ${id} đã được ${request.status === "approved" ? "duyệt" : "từ chối"} trước đó.`);
    return;
  }
  await app.store.update((data) => {
    const ri = data.extensionRequests.findIndex((x) => x.id === id);
    const before = data.extensionRequests[ri];
    const r = { ...before, status: approve ? ("approved" as const) : ("rejected" as const), decidedBy: caller.userId, decidedAt: now.toISOString(), decisionNote: note || undefined };
    data.extensionRequests[ri] = r;
    const events = [eventBy(caller, now, { action: approve ? "extension.approve" : "extension.reject", taskCode: r.taskCode, agencyId: r.agencyId, before, after: r, text })];
    if (approve) {
      const ai = data.assignments.findIndex((x) => x.id === r.assignmentId);
      const a = data.assignments[ai];
      const extensions = [...a.extensions, { originalDue: r.originalDue, newDue: r.requestedDue, requestId: r.id }];
      data.assignments[ai] = { ...a, extensions, updatedAt: now.toISOString() };
      events.push(eventBy(caller, now, { action: "deadline.move", taskCode: r.taskCode, agencyId: r.agencyId, before: { extensions: a.extensions }, after: { extensions }, text }));
    }
    return { result: null, events };
  });
  const verdict = approve
    ? `✅ Đã duyệt gia hạn số ${id}: ${request.taskCode} — ${app.agencyName(request.agencyId)}, hạn mới ${viDate(request.requestedDue)} (hạn gốc ${viDate(request.originalDue)} vẫn lưu trong lịch sử).`
    : `✖️ Đã từ chối gia hạn số ${id}: ${request.taskCode} — ${app.agencyName(request.agencyId)}${note ? `. Lý do: ${note}` : ""}.`;
  await respond.reply(verdict);
  await app.tell(app.chatsOf(request.agencyId).filter((chatId) => chatId !== caller.chatId), { text: verdict });
}
