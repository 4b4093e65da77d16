/**
 * Pure helpers on the send-log (src/core/schemas.ts `SendLogEntry`), shared by the reminder
 * dispatcher, the digests and the outbox.
 */
import type { SendLogEntry } from "./schemas.ts";

/**
 * The send-log after a chat changed id (`from` → `to`, a Telegram group upgraded to a
 * supergroup): its entries name the new chat, and their keys (`day|kind|chatId[|n]`) too, so
 * what was delivered to the group stays delivered (the planner reads coverage per chat).
 * An entry whose new key already exists is left as it is. Pure.
 */
export function moveSendLog(sendLog: readonly SendLogEntry[], from: string, to: string): SendLogEntry[] {
  const keys = new Set(sendLog.map((e) => e.key));
  return sendLog.map((e) => {
    if (e.chatId !== from) return e;
    const key = movedKey(e.key, from, to);
    if (key !== e.key && keys.has(key)) return e;
    return { ...e, chatId: to, key };
  });
}

/**
 * Is this send-log entry a message a run left unfinished, to be resumed by the next one
 * (src/reminders/dispatch.ts `resumeInterrupted`)? `sending` (interrupted), or `failed` after
 * some parts and not for good (`error` not "permanent:…"). Pure.
 */
export function isUnfinishedSend(e: SendLogEntry): boolean {
  return e.status === "sending" || (e.status === "failed" && e.partsDelivered > 0 && !e.error?.startsWith("permanent"));
}

/**
 * Is this send-log entry past keeping — of a day before `oldest` (ISO) — and not still being
 * sent (a `sending` one waits for its run to resolve it)? The day's first run drops such
 * entries from the state and the archive (pruning). Pure.
 */
export function isExpiredSend(e: SendLogEntry, oldest: string): boolean {
  return e.day < oldest && e.status !== "sending";
}

/**
 * The entries `day`'s first run moves from the state's send-log to the archive
 * (src/store/sendlog-archive.ts): those of earlier days that are settled (not
 * `isUnfinishedSend`: those stay until resumed) and not expired. Pure; ISO days.
 */
export function entriesToArchive(sendLog: readonly SendLogEntry[], day: string, oldest: string): SendLogEntry[] {
  return sendLog.filter((e) => e.day < day && !isUnfinishedSend(e) && !isExpiredSend(e, oldest));
}

/** A send-log key with its chat id `from` replaced by `to` (`2021-03-31|reminder|tg:-1` → `…|tg:-100…`). */
export function movedKey(key: string, from: string, to: string): string {
  const parts = key.split("|");
  return parts.map((p) => (p === from ? to : p)).join("|");
}

/**
 * A new send-log entry for a message about to be sent: `sending`, nothing delivered, nothing on
 * the wire yet (`wirePart` 0 until the adapter's `onWire`). `items`: the item keys it carries
 * (none for an admin notice or a digest). Pure.
 */
export function sendingEntry(e: {
  key: string;
  day: string;
  kind: SendLogEntry["kind"];
  chatId: string;
  parts: number;
  items?: string[];
  at: string;
}): SendLogEntry {
  return {
    key: e.key,
    day: e.day,
    kind: e.kind,
    chatId: e.chatId,
    items: e.items ?? [],
    status: "sending",
    partsDelivered: 0,
    parts: e.parts,
    wirePart: 0,
    updatedAt: e.at,
  };
}

/**
 * Where the entry of `key` is in a send-log (keys are unique), or -1: searched from the end,
 * where today's entries are — months of them come before (42,500 entries at 500 groups after
 * four months), and a reminder run looks up its own several times per message.
 */
function positionOf(log: readonly SendLogEntry[], key: string): number {
  for (let i = log.length - 1; i >= 0; i--) if (log[i].key === key) return i;
  return -1;
}

/** The entry of `key` in a send-log, or undefined (searched from the end: see `positionOf`). */
export function sendLogEntry(log: readonly SendLogEntry[], key: string): SendLogEntry | undefined {
  const i = positionOf(log, key);
  return i >= 0 ? log[i] : undefined;
}

/**
 * Puts `entry` into a draft send-log (an update's own copy): it replaces the entry with the same
 * key where it is, else goes at the end. In place — one pass, no copy of a log of months.
 */
export function putSendLogEntry(draft: SendLogEntry[], entry: SendLogEntry): void {
  const i = positionOf(draft, entry.key);
  if (i >= 0) draft[i] = entry;
  else draft.push(entry);
}

/** Replaces, in a draft send-log, the entry of `key` by it with `patch` applied; nothing if there is none. In place. */
export function patchSendLogEntry(draft: SendLogEntry[], key: string, patch: Partial<SendLogEntry>): void {
  const i = positionOf(draft, key);
  if (i >= 0) draft[i] = { ...draft[i], ...patch };
}
