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
import { shorten, splitMessage } from "../core/text.ts";
import { appliedNote } from "./chat-queue.ts";
import { type AdapterOptions, ChatLifecycle, NOT_SENT_CODES, sleep } from "./lifecycle.ts";
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
} from "./types.ts";

/** Telegram's options: those of every adapter (lifecycle.ts); the webhook secret is sent in X-Telegram-Bot-Api-Secret-Token (1–256 of A–Z a–z 0–9 _ -); grammY's own request timeout is 500 s. */
export type TelegramOptions = AdapterOptions & {
  /** Set false to skip the throttler (tests that measure raw latency). */
  throttle?: boolean;
};

/** Largest webhook body accepted (an update is a few KB; Telegram sends no files inline). */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;
/** Long-poll wait, in seconds: below the request timeout. */
const POLL_SECONDS = 25;
/** Methods that change nothing at Telegram: any network failure may be retried. */
const SAFE_METHODS = new Set(["getUpdates", "getFile", "getChat", "setMyCommands", "deleteWebhook", "setWebhook"]);

const PREFIX = "tg:";
const toChatId = (id: number | string) => `${PREFIX}${id}`;
const fromChatId = (chatId: string) => {
  if (!chatId.startsWith(PREFIX)) throw new SendError(`Not a Telegram chat: ${chatId}`, true);
  return chatId.slice(PREFIX.length);
};

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
  /** Receiving: connecting, the inbox and its per-chat queue, polling, the server, stopping (lifecycle.ts). */
  private readonly life: ChatLifecycle;
  /** The hooks of sends in progress (`onWire`, `onRefused`), by the AbortSignal their requests carry. */
  private readonly wireHooks = new WeakMap<object, SendOptions>();

  constructor(private readonly options: TelegramOptions) {
    this.life = ChatLifecycle.of("telegram", PREFIX, options);
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
            !this.life.stopping &&
            attempt < maxRetries &&
            method !== "getMe" && // start() retries it itself, saying so each time
            (SAFE_METHODS.has(method) || NOT_SENT_CODES.has(networkCode(error) ?? ""));
          if (!retryable) throw error;
          await sleep(Math.min(30_000, 500 * 2 ** attempt), this.life.signal);
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

  async start(handlers: ChatHandlers, menu: CommandMenuEntry[]): Promise<void> {
    const { log } = this.options;
    const life = this.life;
    life.handleWith(
      (entry) => this.handle(entry),
      (entry) => this.tellApplied(entry.chat, entry.payload as Update),
      this.options.concurrency ?? 16,
    );
    this.install(handlers);
    log.info({ apiRoot: this.options.apiRoot }, "connecting to the Telegram Bot API (retrying while it is unreachable)");
    // Long polling: /healthz answers from the start ("connecting" while Telegram is unreachable).
    if (!this.options.webhook && this.options.healthPort) await life.serve(this.options.healthPort, "127.0.0.1");
    // Our own getMe loop rather than bot.init(), which retries forever without a word.
    const me = await life.connect(
      () => this.bot.api.getMe(),
      (error) =>
        error instanceof GrammyError && error.error_code === 401
          ? new Error("Telegram từ chối TELEGRAM_BOT_TOKEN (401 Unauthorized): kiểm tra lại token do @BotFather cấp.")
          : null,
      // The whole error (stack) once; then its cause only.
      (error, attempt) => ({
        cause: error instanceof HttpError ? (networkCode(error) ?? String(error.error)) : undefined,
        ...(attempt === 1 ? { err: error } : {}),
      }),
    );
    if (!me) return;
    this.bot.botInfo = me;
    log.info({ username: me.username, mode: this.options.webhook ? "webhook" : "long polling" }, "telegram bot ready");
    try {
      await this.bot.api.setMyCommands(menu);
    } catch (error) {
      log.warn({ err: error }, "setMyCommands failed; the command menu is not published");
    }
    // What a crash left in the inbox first (in order per chat), then new updates.
    // Only Telegram's: a Zalo adapter in the same process shares the inbox (its keys are zl:…).
    await life.resume();
    if (this.options.webhook) await this.listen(this.options.webhook);
    else {
      await this.bot.api.deleteWebhook();
      this.poll();
    }
  }

  stop(): Promise<void> {
    return this.life.stop();
  }

  idle(): Promise<void> {
    return this.life.idle();
  }

  /** Long polling: an update is confirmed (the next offset) only once the inbox holds it. */
  private poll(): void {
    const { log } = this.options;
    let offset: number | undefined;
    this.life.poll(
      async (signal) => {
        const updates = await this.bot.api.getUpdates(
          { offset, timeout: POLL_SECONDS, allowed_updates: ["message", "callback_query"] },
          signal as unknown as Parameters<Bot["api"]["getUpdates"]>[1],
        );
        if (updates.length) {
          await this.receive(updates);
          offset = updates[updates.length - 1].update_id + 1;
        }
      },
      (error, failures) => {
        if (error instanceof GrammyError && error.error_code === 409) {
          // Telegram lets one getUpdates at a time: another process polls this bot, or a webhook is set.
          log.error(
            { failures },
            "telegram: another process is polling this bot (409). Several instances need webhook mode (TELEGRAM_WEBHOOK_URL); stop the other one",
          );
        } else log.warn({ err: error, failures }, "telegram: getUpdates failed; retrying");
      },
    );
  }

  /** Webhook mode: our own server (lifecycle.ts, webhook-server.ts) on the webhook port, then setWebhook. */
  private async listen(webhook: NonNullable<TelegramOptions["webhook"]>): Promise<void> {
    await this.life.serve(webhook.port, webhook.host ?? "127.0.0.1", {
      path: new URL(webhook.url).pathname,
      secret: webhook.secret,
      secretHeader: "x-telegram-bot-api-secret-token",
      bodyLimit: WEBHOOK_BODY_LIMIT,
      accept: (update) =>
        typeof update !== "object" || update === null || !Number.isSafeInteger((update as { update_id?: unknown }).update_id)
          ? { refuse: "not an update" }
          : { updates: [update] },
      receive: (updates) => this.receive(updates as Update[]),
    });
    await this.bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: ["message", "callback_query"] });
    this.options.log.info({ port: webhook.port }, "telegram webhook listening");
  }

  /** Keep the updates in the inbox (durably), then hand each new one to its chat's queue. */
  private receive(updates: Update[]): Promise<void> {
    return this.life.receive(updates.map((u) => ({ key: `${PREFIX}${u.update_id}`, chat: chatOfUpdate(u), payload: u })));
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
