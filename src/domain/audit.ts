import type { Caller } from "../bot/registry.ts";
import type { EventInput } from "../core/schemas.ts";

/** An audit event made by whoever is calling, in the chat they are in. */
export function eventBy(
  caller: Pick<Caller, "userId" | "userName" | "chatId">,
  now: Date,
  fields: Omit<EventInput, "at" | "actor" | "chatId">,
): EventInput {
  return {
    at: now.toISOString(),
    actor: { id: caller.userId, name: caller.userName },
    chatId: caller.chatId,
    ...fields,
  };
}
