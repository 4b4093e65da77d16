/** Binding a chat to an agency: by `/dangky`, an admin's confirmation, or local mode's `:nhom`. */
import type { App } from "../bot/app.ts";
import type { Caller } from "../bot/registry.ts";
import type { ChatBinding } from "../core/schemas.ts";
import { eventBy } from "./audit.ts";

export function platformOf(chatId: string): ChatBinding["platform"] {
  return chatId.split(":")[0] as ChatBinding["platform"];
}

/** Bind `chatId` to `agencyId` (replacing any earlier binding); returns the earlier one. */
export async function bindChat(
  app: App,
  by: Pick<Caller, "userId" | "userName" | "chatId">,
  chatId: string,
  agencyId: string,
  now: Date,
  options: { title?: string; text?: string } = {},
): Promise<ChatBinding | null> {
  return app.store.update((data) => {
    const before = data.bindings.find((b) => b.chatId === chatId) ?? null;
    const after: ChatBinding = { chatId, platform: platformOf(chatId), agencyId, title: options.title, boundBy: by.userId, boundAt: now.toISOString() };
    data.bindings = [...data.bindings.filter((b) => b.chatId !== chatId), after];
    data.pendingBindings = data.pendingBindings.filter((p) => p.chatId !== chatId);
    return { result: before, events: [eventBy(by, now, { action: "bind", agencyId, before, after: { chatId, agencyId }, text: options.text })] };
  });
}
