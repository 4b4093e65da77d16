/**
 * Telegram adapter (grammY). Updates arrive by long polling (our own loop over getUpdates)
 * or by webhook (our own HTTP server) and go into the durable inbox (src/bot/inbox.ts)
 * before Telegram is told they arrived: the next getUpdates offset, or the webhook's 200.
 * They are then handled in order per chat, several chats at once, with grammY's
 * `handleUpdate`. The webhook answers at once (never after Telegram's 60 s), checks
 * Telegram's secret token header in constant time, limits the body size, answers garbage with
 * a 4xx, and serves `/healthz`.
 *
 * Outgoing calls: throttled within Telegram's limits; 429 and 5xx retried honouring
 * `retry_after` (auto-retry, bounded); a network failure retried only when the request surely
 * did not reach Telegram (connection refused, name not resolved) or the call changes nothing
 * (getUpdates, getFile…). A send whose connection dropped after it was written, or that got no
 * answer within the request timeout, is NOT retried: it throws `SendError` with `uncertain`
 * (a duplicate message is worse than a missing one; callers decide). Sources: Bot API docs,
 * "setWebhook" (secret_token, X-Telegram-Bot-Api-Secret-Token) and "getUpdates" (offset
 * confirms; updates are kept 24 hours).
 */
import { Bot, BotError, GrammyError, HttpError, InputFile, type Context } from "grammy";
import type { InlineKeyboardMarkup, Message, ReplyKeyboardRemove, ForceReply, Update } from "grammy/types";
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import type { Logger } from "../logger.ts";
import { shorten, splitMessage } from "../core/text.ts";
import { appliedNote, ChatQueue } from "./chat-queue.ts";
import { startWebhookServer } from "./webhook-server.ts";
import {
  SendError,
  type ChatAdapter,
  type ChatHandlers,
  type ChatKind,
  type CommandMenuEntry,
  type FileRef,
  type Incoming,
  type InboxItem,
  type OutgoingFile,
  type OutgoingMessage,
  type Responder,
  type SendOptions,
  type UpdateInbox,
} from "./types.ts";

export type TelegramOptions = {
  token: string;
  apiRoot: string;
  log: Logger;
  /** Where received updates wait until handled (durable); needed to `start` (not to only send). */
  inbox?: UpdateInbox;
  /**
   * Webhook mode: the public URL Telegram posts to, the local port to listen on, and the
   * secret Telegram must send in X-Telegram-Bot-Api-Secret-Token (1–256 of A–Z a–z 0–9 _ -).
   */
  webhook?: { url: string; port: number; secret: string; host?: string };
  /** Retry budget for 429/5xx and for network failures that are safe to retry. */
  maxRetries?: number;
  /** Seconds before an API request with no answer is abandoned (grammY's default is 500). */
  timeoutSeconds?: number;
  /** Set false to skip the throttler (tests that measure raw latency). */
  throttle?: boolean;
  /** Why the store refuses updates now, or null (for /healthz: 503 while it says something). */
  storeProblem?: () => string | null;
  /** Long polling: a local port serving only `/healthz` (webhook mode serves it on its own port). */
  healthPort?: number;
  /** Updates handled at once, across chats (one at a time within a chat). */
  concurrency?: number;
};

/** Largest webhook body accepted (an update is a few KB; Telegram sends no files inline). */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;
/** Long-poll wait, in seconds: below the request timeout. */
const POLL_SECONDS = 25;
/** Methods that change nothing at Telegram: any network failure may be retried. */
const SAFE_METHODS = new Set(["getUpdates", "getFile", "getChat", "setMyCommands", "deleteWebhook", "setWebhook"]);
/** Network errors raised before a request could be written: it surely did not arrive. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);

const PREFIX = "tg:";
const toChatId = (id: number | string) => `${PREFIX}${id}`;
const fromChatId = (chatId: string) => {
  if (!chatId.startsWith(PREFIX)) throw new SendError(`Not a Telegram chat: ${chatId}`, true);
  return chatId.slice(PREFIX.length);
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The code of the network error under grammY's HttpError (node-fetch's FetchError carries it), if any. */
function networkCode(error: HttpError): string | undefined {
  const inner = error.error as { code?: unknown; errno?: unknown } | undefined;
  const code = inner?.code ?? inner?.errno;
  return typeof code === "string" ? code : undefined;
}

/** The chat of an update that names none (nothing to answer there). */
const UNKNOWN_CHAT = "tg:?";

/** The chat an update belongs to, for ordering: its chat, else its sender. */
function chatOfUpdate(update: Update): string {
  const message = update.message ?? update.edited_message ?? update.channel_post;
  const chat = message?.chat.id ?? update.callback_query?.message?.chat.id ?? update.callback_query?.from.id;
  return chat !== undefined ? toChatId(chat) : UNKNOWN_CHAT;
}

function keyboard(message: OutgoingMessage): InlineKeyboardMarkup | ForceReply | ReplyKeyboardRemove | undefined {
  if (message.buttons?.length) {
    return { inline_keyboard: message.buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data }))) };
  }
  if (message.forceReply) return { force_reply: true, selective: true };
  return undefined;
}

function senderName(from: { first_name: string; last_name?: string; username?: string } | undefined): string {
  if (!from) return "?";
  return [from.first_name, from.last_name].filter(Boolean).join(" ") || from.username || "?";
}

function chatKind(type: string): ChatKind {
  return type === "private" ? "private" : "group";
}

function fileOf(message: Message): FileRef | undefined {
  if (message.document) {
    const d = message.document;
    return { platform: "tg", fileId: d.file_id, name: d.file_name, size: d.file_size, mime: d.mime_type };
  }
  if (message.photo?.length) {
    const p = message.photo[message.photo.length - 1];
    return { platform: "tg", fileId: p.file_id, name: "photo.jpg", size: p.file_size, mime: "image/jpeg" };
  }
  return undefined;
}

/** Telegram through grammY: webhook or long polling into the durable inbox, throttled and retried sends, files, the command menu. */
export class TelegramAdapter implements ChatAdapter {
  readonly platform = "tg";
  readonly bot: Bot;
  private server: { close(): Promise<void> } | null = null;
  private polling: { controller: AbortController; loop: Promise<void> } | null = null;
  /** Updates handled in order per chat, several chats at once (chat-queue.ts). */
  private queue: ChatQueue | null = null;
  private stopping = false;
  /** The Bot API answered getMe (for /healthz). */
  private ready = false;
  /** When getUpdates last succeeded (ISO), for /healthz. */
  private lastPollAt: string | null = null;
  /** The hooks of sends in progress (`onWire`, `onRefused`), by the AbortSignal their requests carry. */
  private readonly wireHooks = new WeakMap<object, SendOptions>();

  constructor(private readonly options: TelegramOptions) {
    this.bot = new Bot(options.token, { client: { apiRoot: options.apiRoot, timeoutSeconds: options.timeoutSeconds ?? 30 } });
    const maxRetries = options.maxRetries ?? 5;
    // grammY runs the transformer installed LAST first. Innermost: the wire hook (right
    // before each HTTP attempt), then network retries, then 429/5xx retries, then the throttler.
    this.bot.api.config.use(async (prev, method, payload, signal) => {
      const hooks = signal ? this.wireHooks.get(signal) : undefined;
      await hooks?.onWire?.();
      let response: Awaited<ReturnType<typeof prev>>;
      try {
        response = await prev(method, payload, signal);
      } catch (error) {
        // Surely not delivered: say so before any retry waits (the send-log takes it off the wire).
        if (error instanceof HttpError && NOT_SENT_CODES.has(networkCode(error) ?? "")) await hooks?.onRefused?.();
        throw error;
      }
      if (!response.ok) await hooks?.onRefused?.(); // Telegram answered with an error: not delivered
      return response;
    });
    this.bot.api.config.use(async (prev, method, payload, signal) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await prev(method, payload, signal);
        } catch (error) {
          const retryable =
            error instanceof HttpError &&
            !signal?.aborted &&
            !this.stopping &&
            attempt < maxRetries &&
            method !== "getMe" && // start() retries it itself, saying so each time
            (SAFE_METHODS.has(method) || NOT_SENT_CODES.has(networkCode(error) ?? ""));
          if (!retryable) throw error;
          await sleep(Math.min(30_000, 500 * 2 ** attempt));
        }
      }
    });
    this.bot.api.config.use(autoRetry({ maxRetryAttempts: maxRetries, maxDelaySeconds: 120, rethrowHttpErrors: true }));
    // Telegram allows ~30 messages/s overall: spacing them 34 ms apart (rather than bursts
    // of 30 per fixed second) never trips its sliding window (measured in bench/fanout).
    if (options.throttle !== false)
      this.bot.api.config.use(
        apiThrottler({
          global: { maxConcurrent: 25, minTime: 34, reservoir: 30, reservoirRefreshAmount: 30, reservoirRefreshInterval: 1000 },
        }),
      );
  }

  /** The inbox, which receiving needs (an adapter built only to send has none). */
  private get inbox(): UpdateInbox {
    if (!this.options.inbox) throw new Error("TelegramAdapter: receiving updates needs an inbox");
    return this.options.inbox;
  }

  async start(handlers: ChatHandlers, menu: CommandMenuEntry[]): Promise<void> {
    const { log } = this.options;
    const inbox = this.inbox;
    this.queue = new ChatQueue({
      inbox,
      log,
      name: "telegram",
      concurrency: this.options.concurrency ?? 16,
      handle: (entry) => this.handle(entry),
      tellApplied: (entry) => this.tellApplied(entry.chat, entry.payload as Update),
    });
    this.install(handlers);
    log.info({ apiRoot: this.options.apiRoot }, "connecting to the Telegram Bot API (retrying while it is unreachable)");
    // Long polling: /healthz answers from the start ("connecting" while Telegram is unreachable).
    if (!this.options.webhook && this.options.healthPort) await this.serve(this.options.healthPort, "127.0.0.1");
    // Our own getMe loop rather than bot.init(), which retries forever without a word.
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        this.bot.botInfo = await this.bot.api.getMe();
        break;
      } catch (error) {
        if (error instanceof GrammyError && error.error_code === 401)
          throw new Error("Telegram từ chối TELEGRAM_BOT_TOKEN (401 Unauthorized): kiểm tra lại token do @BotFather cấp.");
        const wait = Math.min(60_000, 1000 * 2 ** Math.min(attempt, 6));
        const cause = error instanceof HttpError ? (networkCode(error) ?? String(error.error)) : undefined;
        // The whole error (stack) once; then its cause only.
        log.warn(
          { attempt, retryInSeconds: wait / 1000, cause, ...(attempt === 1 ? { err: error } : {}) },
          "telegram: cannot reach the Bot API (getMe); retrying",
        );
        await sleep(wait);
      }
    }
    if (this.stopping) return;
    this.ready = true;
    log.info({ username: this.bot.botInfo.username, mode: this.options.webhook ? "webhook" : "long polling" }, "telegram bot ready");
    try {
      await this.bot.api.setMyCommands(menu);
    } catch (error) {
      log.warn({ err: error }, "setMyCommands failed; the command menu is not published");
    }
    // What a crash left in the inbox first (in order per chat), then new updates.
    // Only Telegram's: a Zalo adapter in the same process shares the inbox (its keys are zl:…).
    const left = inbox.pending().filter((entry) => entry.key.startsWith(PREFIX));
    if (left.length) log.warn({ updates: left.length }, "telegram: handling updates left by the last run");
    for (const entry of left) this.queue.schedule(entry);
    if (this.options.webhook) await this.listen(this.options.webhook);
    else {
      await this.bot.api.deleteWebhook();
      const controller = new AbortController();
      this.polling = { controller, loop: this.poll(controller.signal) };
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.polling) {
      this.polling.controller.abort();
      await this.polling.loop;
      this.polling = null;
    }
    if (this.server) {
      const server = this.server;
      this.server = null;
      await server.close();
    }
    await this.idle();
  }

  async idle(): Promise<void> {
    await this.queue?.idle();
  }

  /** Long polling: an update is confirmed (the next offset) only once the inbox holds it. */
  private async poll(signal: AbortSignal): Promise<void> {
    const { log } = this.options;
    let offset: number | undefined;
    let failures = 0;
    const grammySignal = signal as unknown as Parameters<Bot["api"]["getUpdates"]>[1];
    while (!signal.aborted) {
      try {
        const updates = await this.bot.api.getUpdates(
          { offset, timeout: POLL_SECONDS, allowed_updates: ["message", "callback_query"] },
          grammySignal,
        );
        if (updates.length) {
          await this.receive(updates);
          offset = updates[updates.length - 1].update_id + 1;
        }
        failures = 0;
        this.lastPollAt = new Date().toISOString();
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        if (error instanceof GrammyError && error.error_code === 409) {
          // Telegram lets one getUpdates at a time: another process polls this bot, or a webhook is set.
          log.error(
            { failures },
            "telegram: another process is polling this bot (409). Several instances need webhook mode (TELEGRAM_WEBHOOK_URL); stop the other one",
          );
        } else log.warn({ err: error, failures }, "telegram: getUpdates failed; retrying");
        await sleep(Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)));
      }
    }
  }

  /**
   * Our own HTTP server (webhook-server.ts), so every request gets an answer and none can stop
   * the process: `/healthz` always; the webhook path too when `webhook` is given (long polling
   * with `healthPort` serves only `/healthz`).
   */
  private async serve(port: number, host: string, webhook?: { path: string; secret: string }): Promise<void> {
    this.server = await startWebhookServer({
      port,
      host,
      log: this.options.log,
      name: "telegram",
      health: () => this.health(),
      webhook: webhook && {
        path: webhook.path,
        secret: webhook.secret,
        secretHeader: "x-telegram-bot-api-secret-token",
        bodyLimit: WEBHOOK_BODY_LIMIT,
        accept: (update) =>
          typeof update !== "object" || update === null || !Number.isSafeInteger((update as { update_id?: unknown }).update_id)
            ? { refuse: "not an update" }
            : { updates: [update] },
        receive: (updates) => this.receive(updates as Update[]),
      },
    });
  }

  private async listen(webhook: NonNullable<TelegramOptions["webhook"]>): Promise<void> {
    await this.serve(webhook.port, webhook.host ?? "127.0.0.1", { path: new URL(webhook.url).pathname, secret: webhook.secret });
    await this.bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: ["message", "callback_query"] });
    this.options.log.info({ port: webhook.port }, "telegram webhook listening");
  }

  /**
   * `/healthz`: 200 with the mode, updates waiting in the inbox and being handled, and the
   * last successful getUpdates (long polling); 503 while the store refuses updates (closed, or a
   * write that failed: reopen to recover), with its reason.
   */
  private health(): { status: number; body: unknown } {
    const problem = this.options.storeProblem?.() ?? null;
    const body = {
      ok: problem === null,
      mode: this.options.webhook ? "webhook" : "polling",
      telegram: this.ready ? "ready" : "connecting",
      store: problem ?? "ok",
      pending: this.inbox.pending().filter((entry) => entry.key.startsWith(PREFIX)).length,
      handling: this.queue?.size ?? 0,
      lastPollAt: this.lastPollAt,
    };
    return { status: problem === null ? 200 : 503, body };
  }

  /** Keep the updates in the inbox (durably), then hand each new one to its chat's queue. */
  private async receive(updates: Update[]): Promise<void> {
    const accepted = await this.inbox.accept(updates.map((u) => ({ key: `${PREFIX}${u.update_id}`, chat: chatOfUpdate(u), payload: u })));
    for (const entry of accepted) this.queue!.schedule(entry);
  }

  /** One update, through grammY (a handler's error is unwrapped for the log). */
  private async handle(entry: InboxItem): Promise<void> {
    try {
      await this.bot.handleUpdate(entry.payload as Update);
    } catch (error) {
      throw error instanceof BotError ? error.error : error;
    }
  }

  /** A change saved before a crash whose reply may be missing: say it was saved, never apply it again. */
  private async tellApplied(chat: string, update: Update): Promise<void> {
    const message = update.message;
    if (chat === UNKNOWN_CHAT) return;
    const what = message?.text ? `Lệnh «${shorten(message.text, 60)}»` : "Thao tác của bạn";
    await this.send(chat, { text: appliedNote(what) }).catch((error: unknown) =>
      this.options.log.warn({ err: error }, "telegram: could not tell about an applied update"),
    );
  }

  private install(handlers: ChatHandlers): void {
    const bot = this.bot;

    bot.on("message:migrate_to_chat_id", async (ctx) => {
      await handlers.onChatMoved(toChatId(ctx.chat.id), toChatId(ctx.message.migrate_to_chat_id));
    });

    bot.on("message", async (ctx) => {
      const message = ctx.message;
      if (message.migrate_to_chat_id || message.migrate_from_chat_id) return;
      const incoming = this.incoming(ctx, message);
      const entity = (message.entities ?? message.caption_entities)?.[0];
      const text = incoming.text;
      if (entity?.type === "bot_command" && entity.offset === 0) {
        const [name, target] = text.slice(1, entity.length).split("@");
        if (target && target.toLowerCase() !== ctx.me.username.toLowerCase()) return; // for another bot
        await handlers.onCommand({ ...incoming, command: name.toLowerCase(), args: text.slice(entity.length).trim() }, this.responder(ctx));
        return;
      }
      await handlers.onMessage(incoming, this.responder(ctx));
    });

    bot.on("callback_query:data", async (ctx) => {
      const query = ctx.callbackQuery;
      const chat = query.message?.chat;
      let answered = false;
      const responder = this.responder(ctx, () => (answered = true));
      await handlers.onButton(
        {
          chatId: toChatId(chat?.id ?? query.from.id),
          chatKind: chatKind(chat?.type ?? "private"),
          from: { id: toChatId(query.from.id), name: senderName(query.from) },
          messageId: query.message?.message_id !== undefined ? String(query.message.message_id) : undefined,
          data: query.data,
        },
        responder,
      );
      if (!answered) await ctx.answerCallbackQuery().catch(() => undefined);
    });
  }

  private incoming(ctx: Context, message: Message): Incoming {
    const reply = message.reply_to_message;
    return {
      chatId: toChatId(message.chat.id),
      chatKind: chatKind(message.chat.type),
      chatTitle: "title" in message.chat ? message.chat.title : undefined,
      from: { id: toChatId(message.from?.id ?? message.chat.id), name: senderName(message.from) },
      messageId: String(message.message_id),
      text: message.text ?? message.caption ?? "",
      replyTo:
        reply && reply.from?.id === ctx.me.id
          ? { messageId: String(reply.message_id), text: reply.text ?? reply.caption ?? "" }
          : undefined,
      file: fileOf(message),
    };
  }

  private responder(ctx: Context, onAnswer?: () => void): Responder {
    const chatId = ctx.chat ? toChatId(ctx.chat.id) : ctx.from ? toChatId(ctx.from.id) : null;
    return {
      reply: async (message) => {
        if (!chatId) return;
        await this.send(chatId, typeof message === "string" ? { text: message } : message);
      },
      replyFile: async (file) => {
        if (!chatId) return;
        await this.sendFile(chatId, file);
      },
      notice: async (text, alert = false) => {
        if (ctx.callbackQuery) {
          onAnswer?.();
          await ctx.answerCallbackQuery({ text, show_alert: alert });
        } else if (chatId) {
          await this.send(chatId, { text });
        }
      },
    };
  }

  async send(chatId: string, message: OutgoingMessage, options: SendOptions = {}): Promise<string> {
    const target = fromChatId(chatId);
    const parts = splitMessage(message.text);
    let last = "";
    for (const [i, part] of parts.entries()) {
      const markup = i === parts.length - 1 ? keyboard(message) : undefined;
      // grammY types its signal with the abort-controller shim; Node's own is what it gets.
      const signal = new AbortController().signal as unknown as Parameters<Bot["api"]["sendMessage"]>[3] & object;
      if (options.onWire || options.onRefused) this.wireHooks.set(signal, options);
      const sent = await this.call(() =>
        this.bot.api.sendMessage(target, part, { reply_markup: markup, link_preview_options: { is_disabled: true } }, signal),
      );
      last = String(sent.message_id);
    }
    return last;
  }

  async sendFile(chatId: string, file: OutgoingFile): Promise<string> {
    const target = fromChatId(chatId);
    const input = new InputFile(file.data, file.name);
    const sent = await this.call<Message>(() =>
      file.kind === "photo"
        ? this.bot.api.sendPhoto(target, input, { caption: file.caption })
        : this.bot.api.sendDocument(target, input, { caption: file.caption }),
    );
    return String(sent.message_id);
  }

  async download(file: FileRef): Promise<Buffer> {
    const info = await this.call(() => this.bot.api.getFile(file.fileId));
    if (!info.file_path) throw new SendError("Telegram không trả về đường dẫn tệp", true);
    const url = `${this.options.apiRoot}/file/bot${this.options.token}/${info.file_path}`;
    const response = await fetch(url);
    if (!response.ok) throw new SendError(`Không tải được tệp (HTTP ${response.status})`, false);
    return Buffer.from(await response.arrayBuffer());
  }

  /**
   * Map grammY's errors to SendError: permanent when retrying cannot help (400/403/404),
   * `movedTo` for a group upgraded to a supergroup (400 with migrate_to_chat_id), `uncertain`
   * for a network failure after which the request may have arrived (see the file comment).
   */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof GrammyError) {
        const movedTo = error.parameters.migrate_to_chat_id;
        if (movedTo !== undefined)
          throw new SendError(`Telegram ${error.error_code}: nhóm đã chuyển sang ${movedTo}`, false, { movedTo: toChatId(movedTo) });
        const permanent = error.error_code === 400 || error.error_code === 403 || error.error_code === 404;
        // A broken proxy or an emulator may answer an error without code or description.
        throw new SendError(`Telegram ${error.error_code ?? "?"}: ${error.description ?? "không có mô tả lỗi"}`, permanent);
      }
      if (error instanceof HttpError) {
        const notSent = NOT_SENT_CODES.has(networkCode(error) ?? "");
        throw new SendError(`Telegram không trả lời: ${error.message}`, false, { uncertain: !notSent });
      }
      throw error;
    }
  }
}
