/**
 * EVERY assumption dondoc makes about the real Zalo Bot Platform, in one place. The only
 * source is `../shared/notes/zalo-bot-api.md` ("Zalo Bot Platform — what is known", collected
 * 2026-11 from copies of the official docs and open-source clients; cited below as [notes §…]).
 * Nothing here was tried against the real service: no machine of the project reaches Zalo.
 * Each item says whether the notes state it (STATED) or we assume it (UNCONFIRMED); the
 * adapter (zalo.ts) and the fake server of the tests (test/support/fake-zalo-api.ts) follow
 * this module, so correcting an assumption is a change here (and in the fake).
 */
import { z } from "zod";

// ---------------------------------------------------------------- transport

/** STATED [notes §Transport]: the default API root (an older one: https://bot-api.zapps.me). */
export const ZALO_DEFAULT_API_ROOT = "https://bot-api.zaloplatforms.com";

/** STATED [notes §Transport]: every call is `POST {root}/bot{TOKEN}/{method}` with a JSON body; method names are case-sensitive. */
export function zaloMethodUrl(apiRoot: string, token: string, method: ZaloMethod): string {
  return `${apiRoot.replace(/\/+$/, "")}/bot${token}/${method}`;
}

/** STATED [notes §Methods]: the methods dondoc uses. */
export type ZaloMethod = "getMe" | "getUpdates" | "setWebhook" | "deleteWebhook" | "getWebhookInfo" | "sendMessage" | "sendPhoto";

/**
 * STATED [notes §Transport]: a token looks like `12345689:abc-xyz` and never expires until
 * reset. UNCONFIRMED: the length and alphabet of the part after the colon (we accept
 * letters, digits, `_` and `-`, at least 3).
 */
export const ZALO_TOKEN = /^\d+:[\w-]{3,}$/;

/** STATED [notes §Transport]: every answer is `{ ok, result?, description?, error_code? }`. */
export const ZaloResponse = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  description: z.string().optional(),
  error_code: z.number().optional(),
});
export type ZaloResponse = z.infer<typeof ZaloResponse>;

/**
 * STATED [notes §Transport, Errors]: 400 bad request or unknown method, 401 bad or reset token,
 * 403, 404, 408 (getUpdates: nothing arrived in the window — not an error), 429 "Quota
 * exceeded". UNCONFIRMED: whether the code comes as the HTTP status, as `error_code`, or both
 * — we read `error_code` first, else the HTTP status.
 */
export const ZALO_STATUS = { badRequest: 400, unauthorized: 401, forbidden: 403, notFound: 404, emptyPoll: 408, quota: 429 } as const;

/** A failed call's code: `error_code` when the body has one, else the HTTP status (see ZALO_STATUS). */
export function zaloErrorCode(httpStatus: number, body: ZaloResponse | null): number {
  return body?.error_code ?? httpStatus;
}

/**
 * Codes after which the same request cannot succeed: a refused message, a chat the bot is not
 * in, a bad token. STATED: the codes exist [notes §Transport]. UNCONFIRMED: that 403/404 mean
 * "bot not in that chat / chat gone" for sendMessage (the notes give no meaning).
 */
export function zaloPermanent(code: number): boolean {
  return code === 400 || code === 401 || code === 403 || code === 404;
}

// ---------------------------------------------------------------- limits and pacing

/**
 * STATED [notes §Methods]: a sendMessage text has 1–2000 characters; a sendPhoto caption at
 * most 2000. UNCONFIRMED: whether a "character" is a UTF-16 unit or a code point — we split at
 * 2000 UTF-16 units (core/text.ts splitMessage), which is never more than 2000 code points.
 */
export const ZALO_TEXT_LIMIT = 2000;

/**
 * STATED [notes §Transport]: no numeric rate limit is published; 429 "Quota exceeded" comes
 * when it is passed. UNCONFIRMED (our choice): sends are paced at one every 250 ms for the
 * whole bot (4/s), and a 429 pauses every send — 1 s, then doubling up to 30 s — with no
 * `retry_after` (none is documented; one given in `parameters.retry_after` is honoured).
 */
export const ZALO_PACING = { intervalMs: 250, backoffFirstMs: 1000, backoffMaxMs: 30_000 } as const;

/** A `retry_after` (seconds) in a 429 answer, if the service ever gives one (UNCONFIRMED: not documented). */
export function zaloRetryAfter(body: unknown): number | undefined {
  const value = (body as { parameters?: { retry_after?: unknown } } | null)?.parameters?.retry_after;
  return typeof value === "number" && value > 0 ? value : undefined;
}

/**
 * STATED [notes §Methods]: getUpdates takes `{ timeout: "30" }` — seconds, as a string — and
 * answers 408 when nothing arrived in that window. UNCONFIRMED: that the server holds the
 * request for the window (long polling) rather than answering at once.
 */
export const ZALO_POLL_SECONDS = "30";

/**
 * STATED [notes §Methods]: a webhook secret has 8–256 characters. UNCONFIRMED: which
 * characters; we use Telegram's (A–Z a–z 0–9 _ -), which any reading of "a token" accepts.
 */
export const ZALO_WEBHOOK_SECRET = /^[A-Za-z0-9_-]{8,256}$/;

/** STATED [notes §Updates]: the header a webhook request carries the secret in (lower case, as Node gives headers). */
export const ZALO_SECRET_HEADER = "x-bot-api-secret-token";

/** UNCONFIRMED (our choice): the largest webhook body accepted; an update is a message of at most a few KB. */
export const ZALO_WEBHOOK_BODY_LIMIT = 1024 * 1024;

// ---------------------------------------------------------------- updates

/** STATED [notes §Updates]: the events; only text (and an image, as a file) carry something dondoc reads. */
export const ZALO_EVENTS = {
  text: "message.text.received",
  image: "message.image.received",
  sticker: "message.sticker.received",
  unsupported: "message.unsupported.received",
} as const;

const Id = z.union([z.string().min(1), z.number()]).transform(String);

/**
 * UNCONFIRMED: how a reply (quote) to the bot's own message appears. The notes say the bot
 * receives, in a group, "replies (quotes) to its own messages" [notes §Groups] but give no
 * field. We assume a Telegram-like `reply_to_message` (the platform is "shaped like
 * Telegram's Bot API" [notes, top]) with at least a `message_id`, maybe its `text` and `from`.
 * The adapter does not depend on it to read short replies: in a group every message the bot
 * gets is a mention or a reply to it, so `xong A12` is read as a command either way; the
 * quoted text only helps the replies that answer a question (a blocker's text).
 */
const ReplyTo = z
  .object({
    message_id: Id,
    text: z.string().optional(),
    from: z.object({ id: Id, is_bot: z.boolean().optional() }).partial().optional(),
  })
  .loose();

/** STATED [notes §Updates]: one update's shape (other fields are kept, not read). */
export const ZaloUpdate = z
  .object({
    event_name: z.string().min(1),
    message: z
      .object({
        message_id: Id,
        date: z.number().optional(),
        text: z.string().optional(),
        photo_url: z.string().optional(),
        caption: z.string().optional(),
        from: z.object({ id: Id, display_name: z.string().optional(), is_bot: z.boolean().optional() }).loose(),
        chat: z.object({ id: Id, chat_type: z.string().optional() }).loose(),
        reply_to_message: ReplyTo.optional(),
      })
      .loose(),
  })
  .loose();
export type ZaloUpdate = z.infer<typeof ZaloUpdate>;

/**
 * The updates in a getUpdates result or a webhook body. STATED [notes §Methods, Updates]: an
 * update comes bare or wrapped as `{ ok: true, result: … }`, and getUpdates gives one update per
 * call in one client, an array in another — all four are accepted. Returns null when `body`
 * holds no update at all (a webhook answers it 400); items that are not updates are dropped.
 */
export function zaloUpdates(body: unknown): ZaloUpdate[] | null {
  const inner =
    typeof body === "object" && body !== null && !Array.isArray(body) && "result" in body && !("event_name" in body)
      ? (body as { result: unknown }).result
      : body;
  const items = Array.isArray(inner) ? inner : [inner];
  const updates = items.flatMap((item) => {
    const parsed = ZaloUpdate.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
  return updates.length > 0 || (Array.isArray(inner) && inner.length === 0) ? updates : null;
}

/**
 * STATED [notes §Updates]: deliveries can repeat; a repeated `event_name + message_id` is the
 * same update. This key is what the durable inbox remembers (for a day) to drop it.
 */
export function zaloUpdateKey(update: ZaloUpdate): string {
  return `zl:${update.event_name}:${update.message.message_id}`;
}

/** STATED [notes §Updates]: `chat_type` is "PRIVATE" or "GROUP" (UNCONFIRMED: any other value is read as a group). */
export function zaloChatIsPrivate(update: ZaloUpdate): boolean {
  return update.message.chat.chat_type?.toUpperCase() === "PRIVATE";
}

/** STATED [notes §Methods]: getMe's result. */
export const ZaloMe = z.object({ id: Id, account_name: z.string().optional(), can_join_groups: z.boolean().optional() }).loose();

/**
 * UNCONFIRMED: how an @mention of the bot appears in a group message's text. The notes say
 * commands arrive "as text such as `@dondoc /tiendo A12 60`" with no entities [notes §Groups];
 * the name after `@` may be the bot's account name or the display name Zalo shows, which may
 * have spaces. So: the texts that may follow the mention, most likely first. When the text
 * starts with `@` and one of `names` (case-insensitive), the mention is known: the rest is the
 * only candidate. Otherwise the name is guessed by position — after the `@` word, then after
 * each following word that looks like part of a name (it starts with a capital letter or a
 * digit, as Vietnamese names and "CCHC" do), at most MENTION_WORDS_MAX words:
 * `@Đôn Đốc CCHC xong A12` → "Đốc CCHC xong A12", "CCHC xong A12", "xong A12". Reading stops at
 * the first word that is no name (`@dondoc nhắc anh Bình xong A12`): a command read out of
 * chatter would change the registry, which is worse than asking for `/xong A12`. The adapter
 * takes the first candidate that reads as a command. A text not starting with `@` is itself.
 */
export function zaloMentionCandidates(text: string, names: readonly string[]): string[] {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith("@")) return [text];
  const lower = trimmed.toLowerCase();
  for (const name of [...names].filter(Boolean).sort((a, b) => b.length - a.length)) {
    const at = `@${name.toLowerCase()}`;
    if (lower.startsWith(at) && (trimmed.length === at.length || /[\s,:]/u.test(trimmed[at.length])))
      return [trimmed.slice(at.length).replace(/^[\s,:]+/u, "")];
  }
  const candidates: string[] = [];
  const firstLine = trimmed.split("\n", 1)[0];
  const words = [...firstLine.matchAll(/\S+\s*/gu)];
  let offset = 0;
  for (const [i, word] of words.slice(0, MENTION_WORDS_MAX).entries()) {
    if (i > 0 && !NAME_WORD.test(word[0])) break;
    offset += word[0].length;
    candidates.push(trimmed.slice(offset));
  }
  return [...new Set(candidates)];
}

/** A word that may be part of a mentioned name (UNCONFIRMED, see zaloMentionCandidates): a capital letter or a digit first. */
const NAME_WORD = /^[\p{Lu}\p{Lt}\d]/u;

/** Words a mentioned name may span (UNCONFIRMED: Zalo display names are short). */
const MENTION_WORDS_MAX = 6;

/**
 * STATED [notes §Methods, Updates]: what Zalo cannot do, which the adapter says in Vietnamese
 * instead: no inline keyboard (messages carry the short replies to type), no command menu, no
 * edit, and no documented way to send a file other than a link; sendPhoto takes an https URL
 * only. Decision: charts and .xlsx reports are Telegram-only (the bot serves no public files).
 */
export const ZALO_CANNOT = { buttons: true, commandMenu: true, files: true } as const;
