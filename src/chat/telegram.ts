/**
 * Telegram adapter (grammY). Long polling with @grammyjs/runner, or webhook mode when a
 * webhook URL is configured (used against Bot API emulators). Outgoing calls are throttled
 * within Telegram's limits and retried on 429/5xx honouring `retry_after`.
 */
import http from "node:http";
import { Bot, GrammyError, HttpError, InputFile, webhookCallback, type Context } from "grammy";
import type { InlineKeyboardMarkup, Message, ReplyKeyboardRemove, ForceReply } from "grammy/types";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import type { Logger } from "../logger.ts";
import { splitMessage } from "../core/text.ts";
import {
  SendError,
  type ChatAdapter,
  type ChatHandlers,
  type ChatKind,
  type CommandMenuEntry,
  type FileRef,
  type Incoming,
  type OutgoingFile,
  type OutgoingMessage,
  type Responder,
  type SendOptions,
} from "./types.ts";

export type TelegramOptions = {
  token: string;
  apiRoot: string;
  log: Logger;
  /** Webhook mode: the public URL Telegram posts to, and the local port to listen on. */
  webhook?: { url: string; port: number };
  /** Retry budget for 429/5xx. */
  maxRetries?: number;
  /** Set false to skip the throttler (tests that measure raw latency). */
  throttle?: boolean;
};

const PREFIX = "tg:";
const toChatId = (id: number | string) => `${PREFIX}${id}`;
const fromChatId = (chatId: string) => {
  if (!chatId.startsWith(PREFIX)) throw new SendError(`Not a Telegram chat: ${chatId}`, true);
  return chatId.slice(PREFIX.length);
};

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

/** Telegram through grammY: webhook or long polling, throttled and retried sends, files, the command menu. */
export class TelegramAdapter implements ChatAdapter {
  readonly platform = "tg";
  readonly bot: Bot;
  private runner: RunnerHandle | null = null;
  private server: http.Server | null = null;

  /** `onWire` hooks of sends in progress, by the AbortSignal their requests carry. */
  private readonly wireHooks = new WeakMap<object, () => Promise<void>>();

  constructor(private readonly options: TelegramOptions) {
    this.bot = new Bot(options.token, { client: { apiRoot: options.apiRoot } });
    // Installed first, so it runs last: right before each HTTP attempt, after the throttler.
    this.bot.api.config.use(async (prev, method, payload, signal) => {
      const hook = signal ? this.wireHooks.get(signal) : undefined;
      if (hook) await hook();
      return prev(method, payload, signal);
    });
    this.bot.api.config.use(autoRetry({ maxRetryAttempts: options.maxRetries ?? 5, maxDelaySeconds: 120 }));
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
    this.install(handlers);
    log.info({ apiRoot: this.options.apiRoot }, "connecting to the Telegram Bot API (retrying while it is unreachable)");
    await this.bot.init();
    log.info({ username: this.bot.botInfo.username }, "telegram bot ready");
    try {
      await this.bot.api.setMyCommands(menu);
    } catch (error) {
      log.warn({ err: String(error) }, "setMyCommands failed; the command menu is not published");
    }
    if (this.options.webhook) {
      const { url, port } = this.options.webhook;
      const callback = webhookCallback(this.bot, "http", { timeoutMilliseconds: 60_000 });
      this.server = http.createServer((req, res) => void callback(req, res));
      await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
      await this.bot.api.setWebhook(url);
      log.info({ port }, "telegram webhook listening");
    } else {
      await this.bot.api.deleteWebhook();
      this.runner = run(this.bot, { runner: { fetch: { allowed_updates: ["message", "callback_query"] } } });
    }
  }

  async stop(): Promise<void> {
    if (this.runner?.isRunning()) await this.runner.stop();
    if (this.server) {
      const server = this.server;
      this.server = null;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
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

    bot.catch((error) => {
      this.options.log.error({ err: String(error.error), update: error.ctx.update.update_id }, "update failed");
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
      if (options.onWire) this.wireHooks.set(signal, options.onWire);
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

  /** Map grammY's errors to SendError: permanent when retrying cannot help. */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof GrammyError) {
        const permanent = error.error_code === 400 || error.error_code === 403 || error.error_code === 404;
        throw new SendError(`Telegram ${error.error_code}: ${error.description}`, permanent);
      }
      if (error instanceof HttpError) throw new SendError(`Telegram không trả lời: ${error.message}`, false);
      throw error;
    }
  }
}
