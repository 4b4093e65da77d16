/**
 * What every use case takes, and how it says no.
 *
 * A use case gets `Deps` — the store, the agency directory (reference agencies plus those
 * admins added) and `now` — and the `ActingUser` it acts for; it never sees a chat, a clock
 * or the file system. It checks its rules on the state inside `store.update`, so two people acting
 * at once cannot both pass a check that only one of them should (see Store.update).
 */
import type { Directory } from "../core/agencies.ts";
import type { EventInput } from "../core/schemas.ts";
import type { Store } from "../store/types.ts";

export type Deps = { store: Store; directory: Directory; now: Date };

/** Who acts, and in which chat: the audit event's actor and chat. */
export type ActingUser = { userId: string; userName: string; chatId: string | null };

export { Refusal } from "../core/refusal.ts";

/** An audit event by `actor` at `now`. */
export function eventBy(actor: ActingUser, now: Date, fields: Omit<EventInput, "at" | "actor" | "chatId">): EventInput {
  return { at: now.toISOString(), actor: { id: actor.userId, name: actor.userName }, chatId: actor.chatId, ...fields };
}
