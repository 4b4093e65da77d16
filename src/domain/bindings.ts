/**
 * Bindings: which chat group speaks for which agency. An admin binds a group with `/dangky`
 * (or local mode's `:nhom`); anyone else's `/dangky` is kept as a pending request an admin
 * confirms or rejects. One chat is bound to at most one agency; an agency may have several.
 */
import { moveSendLog } from "../core/sendlog.ts";
import type { ChatBinding, PendingBinding } from "../core/schemas.ts";
import type { StoreData } from "../store/types.ts";
import { eventBy, Refusal, type ActingUser, type Deps } from "./context.ts";

/** `tg:-100…` → `tg`: the platform a chat id belongs to. */
export function platformOf(chatId: string): ChatBinding["platform"] {
  return chatId.split(":")[0] as ChatBinding["platform"];
}

/** The chats bound to `agencyId`. */
export function chatsOf(data: StoreData, agencyId: string): string[] {
  return data.bindings.filter((b) => b.agencyId === agencyId).map((b) => b.chatId);
}

/** The agency `chatId` is bound to, or null. */
export function agencyOfChat(data: StoreData, chatId: string): string | null {
  return data.bindings.find((b) => b.chatId === chatId)?.agencyId ?? null;
}

/** Bind in a draft: replaces any earlier binding and pending request of the chat. */
function bindIn(
  data: StoreData,
  actor: ActingUser,
  now: Date,
  chatId: string,
  agencyId: string,
  options: { title?: string; text?: string },
) {
  const before = data.bindings.find((b) => b.chatId === chatId) ?? null;
  const after: ChatBinding = {
    chatId,
    platform: platformOf(chatId),
    agencyId,
    title: options.title,
    boundBy: actor.userId,
    boundAt: now.toISOString(),
  };
  data.bindings = [...data.bindings.filter((b) => b.chatId !== chatId), after];
  data.pendingBindings = data.pendingBindings.filter((p) => p.chatId !== chatId);
  return { before, event: eventBy(actor, now, { action: "bind", agencyId, before, after: { chatId, agencyId }, text: options.text }) };
}

/**
 * Bind `chatId` to `agencyId` (replacing any earlier binding and pending request); returns the
 * earlier binding — the current one, unchanged and unrecorded, when the chat is already bound
 * to that agency.
 */
export async function bindChat(
  deps: Pick<Deps, "store" | "now">,
  actor: ActingUser,
  chatId: string,
  agencyId: string,
  options: { title?: string; text?: string } = {},
): Promise<ChatBinding | null> {
  return deps.store.update((data) => {
    // Already bound to this agency: nothing to change, nothing to record.
    const current = data.bindings.find((b) => b.chatId === chatId);
    if (current?.agencyId === agencyId) return { result: current };
    const { before, event } = bindIn(data, actor, deps.now, chatId, agencyId, options);
    return { result: before, events: [event] };
  });
}

/** A non-admin's `/dangky`: kept (one per chat, the newest) until an admin decides; numbered from 1. */
export async function requestBinding(
  deps: Deps,
  actor: ActingUser & { chatId: string },
  agencyId: string,
  title: string | undefined,
  text: string,
): Promise<PendingBinding> {
  return deps.store.update((data) => {
    const id = (data.counters.binding ?? 0) + 1;
    data.counters.binding = id;
    const request: PendingBinding = {
      id,
      chatId: actor.chatId,
      platform: platformOf(actor.chatId),
      agencyId,
      title,
      boundBy: actor.userId,
      boundAt: deps.now.toISOString(),
    };
    data.pendingBindings = [...data.pendingBindings.filter((p) => p.chatId !== actor.chatId), request];
    return { result: request, events: [eventBy(actor, deps.now, { action: "bind.request", agencyId, after: request, text })] };
  });
}

/**
 * An admin confirms or rejects pending request `id` (checked in the transaction: two admins
 * pressing at once decide once). Refuses one already decided. Returns the request.
 */
export async function decideBinding(
  deps: Pick<Deps, "store" | "now">,
  actor: ActingUser,
  id: number,
  approve: boolean,
): Promise<PendingBinding> {
  return deps.store.update((data) => {
    const pending = data.pendingBindings.find((p) => p.id === id);
    if (!pending) throw new Refusal("Yêu cầu này đã được xử lý hoặc không còn.");
    if (approve)
      return { result: pending, events: [bindIn(data, actor, deps.now, pending.chatId, pending.agencyId, { title: pending.title }).event] };
    data.pendingBindings = data.pendingBindings.filter((p) => p.id !== id);
    return { result: pending, events: [eventBy(actor, deps.now, { action: "bind.reject", agencyId: pending.agencyId, before: pending })] };
  });
}

/** `/huydangky`: the chat is no longer bound; refuses a chat bound to nothing. Returns the agency it was bound to. */
export async function unbindChat(deps: Pick<Deps, "store" | "now">, actor: ActingUser & { chatId: string }, text: string): Promise<string> {
  return deps.store.update((data) => {
    const before = data.bindings.find((b) => b.chatId === actor.chatId);
    if (!before) throw new Refusal("Nhóm này chưa gắn với cơ quan nào, không có gì để bỏ.");
    data.bindings = data.bindings.filter((b) => b.chatId !== actor.chatId);
    return {
      result: before.agencyId,
      events: [eventBy(actor, deps.now, { action: "unbind", agencyId: before.agencyId, before, after: null, text })],
    };
  });
}

/**
 * A group's id changed (Telegram turns a group into a supergroup: `migrate_to_chat_id`, see
 * the Bot API's Message object): its binding and its send-log entries follow it, in one write,
 * after its archived entries (what was delivered to the group stays delivered). Returns the
 * agency, or null when the old id was bound to nothing (its send-log still follows).
 */
export async function moveChat(deps: Pick<Deps, "store" | "now">, from: string, to: string): Promise<string | null> {
  const data = deps.store.read();
  await deps.store.sendLogArchive.moveChat(from, to); // first: were the update below to fail, the next notice repeats both
  if (!data.bindings.some((b) => b.chatId === from) && !data.sendLog.some((e) => e.chatId === from)) return null;
  return deps.store.update((data) => {
    data.sendLog = moveSendLog(data.sendLog, from, to);
    const binding = data.bindings.find((b) => b.chatId === from);
    if (!binding) return { result: null };
    data.bindings = data.bindings.map((b) => (b.chatId === from ? { ...b, chatId: to } : b));
    const actor = { userId: "platform", userName: platformOf(from), chatId: to };
    return {
      result: binding.agencyId,
      events: [
        eventBy(actor, deps.now, { action: "bind.move", agencyId: binding.agencyId, before: { chatId: from }, after: { chatId: to } }),
      ],
    };
  });
}
