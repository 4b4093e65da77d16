/**
 * Zalo adapter (the Zalo Bot Platform; every assumption about the service is in
 * zalo-platform.ts, from ../shared/notes/zalo-bot-api.md). Chat and user ids are `zl:<id>`.
 *
 * Receiving: by webhook (production: `setWebhook` with a secret; our own server,
 * webhook-server.ts — the secret header compared in constant time, a body limit, 4xx for
 * garbage) or by long polling (development: `getUpdates`, 408 = nothing new). Updates go into
 * the durable inbox (src/bot/inbox.ts) before the webhook is answered 200, keyed
 * `zl:<event_name>:<message_id>`, so a repeated delivery is dropped; they are handled in order
 * per chat (chat-queue.ts, through lifecycle.ts), through the same protocol as Telegram's (accept, handling, done; an
 * update applied before a crash is not applied again). Long polling has no offset to
 * confirm (the notes: "no offset/acknowledge"), so an update is durable from when it is
 * accepted; a crash between Zalo's answer and the inbox's append loses it.
 *
 * Commands are read from text, since Zalo has no command entities and a group bot sees only
 * mentions and replies to itself: `@dondoc /tiendo A12 60`, `/tiendo A12 60`, a command name
 * without `/` (`xong A12`, `vuongmac A12 …`, `duyet 3`), and `A12 60%` (= /tiendo A12 60) —
 * alone, after a mention, or quoting the bot's message. Anything else is a plain message for
 * the router (a reply to a question).
 *
 * Sending: one queue for the whole bot paces every send (ZALO_PACING); a 429 pauses the queue
 * with a doubling wait and the send is retried (bounded), as are 5xx answers and connections
 * refused; `SendOptions.onWire` is awaited right before each attempt leaves and `onRefused`
 * when it was answered with an error. A send whose connection dropped after it was written, or
 * that got no answer in time, is not retried: `SendError` with `uncertain`. Texts are split at
 * 2000 characters on line boundaries, never inside a character (core/text.ts splitMessage).
 * Buttons do not exist: a message's buttons become the lines to type (`renderButtons`, from
 * bot/typed.ts). Files (charts, .xlsx) are Telegram-only: a Vietnamese line says so instead.
 */
import { shorten, splitMessage } from "../core/text.ts";
import { appliedNote } from "./chat-queue.ts";
import { type AdapterOptions, ChatLifecycle, NOT_SENT_CODES, sleep } from "./lifecycle.ts";
import {
  SendError,
  type Button,
  type ChatAdapter,
  type ChatHandlers,
  type CommandMenuEntry,
  type FileRef,
  type Incoming,
  type InboxItem,
  type OutgoingFile,
  type OutgoingMessage,
  type Responder,
  type SendOptions,
} from "./types.ts";
import {
  ZALO_EVENTS,
  ZALO_PACING,
  ZALO_POLL_SECONDS,
  ZALO_SECRET_HEADER,
  ZALO_STATUS,
  ZALO_TEXT_LIMIT,
  ZALO_WEBHOOK_BODY_LIMIT,
  ZaloMe,
  ZaloResponse,
  zaloChatIsPrivate,
  zaloErrorCode,
  zaloMentionCandidates,
  zaloMethodUrl,
  zaloPermanent,
  zaloRetryAfter,
  zaloUpdateKey,
  zaloUpdates,
  type ZaloMethod,
  type ZaloUpdate,
} from "./zalo-platform.ts";

/** Zalo's options: those of every adapter (lifecycle.ts; for getUpdates the timeout adds to the poll window), and: */
export type ZaloOptions = AdapterOptions & {
  /** What to type in place of a message's buttons, "" for nothing (bot/typed.ts `typedFooter`). */
  renderButtons?: (buttons: Button[][]) => string;
  /** Command names read without `/` (`xong A12`); default: the menu given to `start`. */
  commands?: string[];
  /** The send queue's pacing and 429 back-off (default ZALO_PACING; tests shorten it). */
  pacing?: { intervalMs: number; backoffFirstMs: number; backoffMaxMs: number };
  /** Long-poll window in seconds, as Zalo takes it (a string; default ZALO_POLL_SECONDS). */
  pollSeconds?: string;
};

const PREFIX = "zl:";
const toChatId = (id: string) => `${PREFIX}${id}`;
const fromChatId = (chatId: string) => {
  if (!chatId.startsWith(PREFIX)) throw new SendError(`Not a Zalo chat: ${chatId}`, true);
  return chatId.slice(PREFIX.length);
};

/** Methods that change nothing at Zalo: any network failure may be retried. */
const SAFE_METHODS = new Set<ZaloMethod>(["getMe", "getUpdates", "getWebhookInfo", "setWebhook", "deleteWebhook"]);
/** Methods that go through the paced send queue. */
const SEND_METHODS = new Set<ZaloMethod>(["sendMessage", "sendPhoto"]);
/** Largest image downloaded from a Zalo photo URL (evidence). */
const DOWNLOAD_LIMIT = 20 * 1024 * 1024;
/** `A12 60%`, `A12@so-tu-phap 60 ghi chú`: a progress report in short. */
const SHORT_PROGRESS = /^([A-Za-z]{1,3}\d{1,5}(?:@[\w~-]+)?)\s+(\d{1,3})\s*%?(?:\s+([\s\S]*))?$/u;

/** A call Zalo answered with an error: its code (zalo-platform.ts ZALO_STATUS) and description. */
export class ZaloApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
  ) {
    super(`Zalo ${code}: ${description}`);
  }
}

/** The network error's code under fetch's TypeError (undici puts it in `cause`), if any. */
function networkCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

/** The Zalo Bot Platform: webhook or long polling into the durable inbox, one paced send queue, commands read from text. */
export class ZaloAdapter implements ChatAdapter {
  readonly platform = "zl";
  /** Receiving: connecting, the inbox and its per-chat queue, polling, the server, stopping (lifecycle.ts). */
  private readonly life: ChatLifecycle;
  /** The bot's names a mention may use (getMe's account name). */
  private names: string[] = [];
  private commandNames = new Set<string>();
  /** The send queue: the last send's turn, when the next may leave, and the 429 pause. */
  private sendChain: Promise<void> = Promise.resolve();
  private nextSendAt = 0;
  private pausedUntil = 0;
  private backoffMs: number;
  /** 429 answers met so far (for the log and the tests). */
  quotaHits = 0;

  constructor(private readonly options: ZaloOptions) {
    this.life = ChatLifecycle.of("zalo", PREFIX, options);
    this.backoffMs = this.pacing.backoffFirstMs;
    this.commandNames = new Set((options.commands ?? []).map((c) => c.toLowerCase()));
  }

  private get pacing() {
    return this.options.pacing ?? ZALO_PACING;
  }

  private get stopping(): boolean {
    return this.life.stopping;
  }

  async start(handlers: ChatHandlers, menu: CommandMenuEntry[]): Promise<void> {
    const { log } = this.options;
    const life = this.life;
    this.commandNames = new Set((this.options.commands ?? menu.map((m) => m.command)).map((c) => c.toLowerCase()));
    life.handleWith(
      (entry) => this.handle(entry.payload as ZaloUpdate, handlers),
      (entry) => this.tellApplied(entry),
      this.options.concurrency ?? 16,
    );
    if (!this.options.webhook && this.options.healthPort) await life.serve(this.options.healthPort, "127.0.0.1");
    const me = await life.connect(
      async () => ZaloMe.parse(await this.call("getMe", {})),
      (error) =>
        error instanceof ZaloApiError && error.code === ZALO_STATUS.unauthorized
          ? new Error("Zalo từ chối ZALO_BOT_TOKEN (401): kiểm tra lại token của bot Zalo (token cũ mất hiệu lực khi được cấp lại).")
          : null,
      (error) => ({ err: this.safeError(error) }),
    );
    if (!me) return;
    this.names = [me.account_name ?? ""].filter(Boolean);
    log.info({ name: this.names[0], mode: this.options.webhook ? "webhook" : "long polling" }, "zalo bot ready");
    await life.resume();
    if (this.options.webhook) {
      const webhook = this.options.webhook;
      await life.serve(webhook.port, webhook.host ?? "127.0.0.1", {
        path: new URL(webhook.url).pathname,
        secret: webhook.secret,
        secretHeader: ZALO_SECRET_HEADER,
        bodyLimit: ZALO_WEBHOOK_BODY_LIMIT,
        accept: (body) => {
          const updates = zaloUpdates(body);
          return updates && updates.length > 0 ? { updates } : { refuse: "not an update" };
        },
        receive: (updates) => this.receive(updates as ZaloUpdate[]),
      });
      await this.call("setWebhook", { url: webhook.url, secret_token: webhook.secret });
      log.info({ port: webhook.port }, "zalo webhook listening");
    } else {
      // Polling and webhook are exclusive [notes §Methods]. Each answer's updates go into the
      // inbox; 408 is an empty window, not an error.
      await this.call("deleteWebhook", {});
      life.poll(
        async (signal) => {
          const result = await this.call("getUpdates", { timeout: this.options.pollSeconds ?? ZALO_POLL_SECONDS }, { signal });
          const updates = result === undefined ? [] : (zaloUpdates(result) ?? []);
          if (updates.length) await this.receive(updates);
        },
        (error, failures) => log.warn({ err: this.safeError(error), failures }, "zalo: getUpdates failed; retrying"),
      );
    }
  }

  stop(): Promise<void> {
    return this.life.stop();
  }

  idle(): Promise<void> {
    return this.life.idle();
  }

  // ------------------------------------------------------------ receiving

  /** Keep the updates in the inbox (durably; a key seen before is dropped), then queue the new ones. */
  private receive(updates: ZaloUpdate[]): Promise<void> {
    return this.life.receive(updates.map((u) => ({ key: zaloUpdateKey(u), chat: toChatId(u.message.chat.id), payload: u })));
  }

  /** One update: a command read from its text, or a message for the router. */
  private async handle(update: ZaloUpdate, handlers: ChatHandlers): Promise<void> {
    const message = update.message;
    if (message.from.is_bot) return;
    if (update.event_name !== ZALO_EVENTS.text && update.event_name !== ZALO_EVENTS.image) return; // stickers, unsupported
    const incoming = this.incoming(update);
    const responder = this.responder(incoming.chatId);
    const command = this.readCommand(incoming.text);
    if (command) {
      await handlers.onCommand({ ...incoming, ...command }, responder);
      return;
    }
    const [afterMention] = zaloMentionCandidates(incoming.text, this.names);
    await handlers.onMessage({ ...incoming, text: afterMention ?? incoming.text }, responder);
  }

  private incoming(update: ZaloUpdate): Incoming {
    const message = update.message;
    const reply = message.reply_to_message;
    const photo = update.event_name === ZALO_EVENTS.image && message.photo_url ? message.photo_url : undefined;
    return {
      chatId: toChatId(message.chat.id),
      chatKind: zaloChatIsPrivate(update) ? "private" : "group",
      from: { id: toChatId(message.from.id), name: message.from.display_name || "?" },
      messageId: message.message_id,
      text: message.text ?? message.caption ?? "",
      // A quote of someone else's message (if the service ever sends one) is not a reply to the bot.
      replyTo: reply && reply.from?.is_bot !== false ? { messageId: String(reply.message_id), text: reply.text ?? "" } : undefined,
      file: photo ? { platform: "zl", fileId: photo, name: "anh-zalo.jpg", mime: "image/jpeg" } : undefined,
    };
  }

  /**
   * The command a text carries (see the file comment), or null: after a mention if any, a
   * `/name args`, a known command name without `/`, or `A12 60%` for /tiendo.
   */
  readCommand(text: string): { command: string; args: string } | null {
    for (const candidate of zaloMentionCandidates(text, this.names)) {
      const line = candidate.trim();
      const slash = /^\/([A-Za-z][A-Za-z0-9_]*)(?:@\S+)?(?:\s+([\s\S]*))?$/u.exec(line);
      if (slash) return { command: slash[1].toLowerCase(), args: (slash[2] ?? "").trim() };
      const word = /^([A-Za-z][A-Za-z0-9_]*)(?:\s+([\s\S]*))?$/u.exec(line);
      if (word && this.commandNames.has(word[1].toLowerCase())) return { command: word[1].toLowerCase(), args: (word[2] ?? "").trim() };
      const progress = SHORT_PROGRESS.exec(line);
      if (progress) return { command: "tiendo", args: [progress[1], progress[2], progress[3]?.trim()].filter(Boolean).join(" ") };
    }
    return null;
  }

  private async tellApplied(entry: InboxItem): Promise<void> {
    const text = (entry.payload as ZaloUpdate).message?.text;
    const what = text ? `Lệnh «${shorten(text, 60)}»` : "Thao tác của bạn";
    await this.send(entry.chat, { text: appliedNote(what) }).catch((error: unknown) =>
      this.options.log.warn({ err: this.safeError(error) }, "zalo: could not tell about an applied update"),
    );
  }

  private responder(chatId: string): Responder {
    return {
      reply: async (message) => {
        await this.send(chatId, typeof message === "string" ? { text: message } : message);
      },
      replyFile: async (file) => {
        await this.sendFile(chatId, file);
      },
      // No pop-ups on Zalo: a notice is a message.
      notice: async (text) => {
        await this.send(chatId, { text });
      },
    };
  }

  // ------------------------------------------------------------ sending

  /** The text as sent to Zalo: the message, then (instead of its buttons) what to type. */
  render(message: OutgoingMessage): string {
    const footer = message.buttons?.length ? (this.options.renderButtons?.(message.buttons) ?? "") : "";
    return footer ? `${message.text}\n\n${footer}` : message.text;
  }

  async send(chatId: string, message: OutgoingMessage, options: SendOptions = {}): Promise<string> {
    const target = fromChatId(chatId);
    let last = "";
    for (const part of splitMessage(this.render(message), ZALO_TEXT_LIMIT)) {
      const sent = (await this.call("sendMessage", { chat_id: target, text: part }, { hooks: options })) as { message_id?: unknown };
      last = String(sent?.message_id ?? "");
    }
    return last;
  }

  /**
   * Files are Telegram-only (zalo-platform.ts ZALO_CANNOT): Zalo has no documented way to send a
   * file, and its sendPhoto takes only a public https URL, which dondoc does not serve. The chat
   * gets a Vietnamese line saying so instead; returns that message's id.
   */
  async sendFile(chatId: string, file: OutgoingFile): Promise<string> {
    const what = file.kind === "photo" ? "📊 Biểu đồ" : "📥 Tệp";
    const caption = file.caption ? ` (${shorten(file.caption, 200)})` : "";
    return this.send(chatId, {
      text:
        `${what} «${file.name}»${caption} chỉ gửi được qua Telegram: Zalo chưa cho bot gửi tệp. ` +
        "Xem trên nhóm Telegram của dondoc, hoặc nhờ quản trị viên xuất tệp trên máy chủ dondoc (npm run digest -- --xlsx … --png …).",
    });
  }

  /** The bytes of an image a user sent (its Zalo URL; https only, or a test server on 127.0.0.1). */
  async download(file: FileRef): Promise<Buffer> {
    const url = URL.canParse(file.fileId) ? new URL(file.fileId) : null;
    const local = url?.protocol === "http:" && url.hostname === "127.0.0.1";
    if (!url || (url.protocol !== "https:" && !local)) throw new SendError("Không tải được ảnh: địa chỉ ảnh Zalo không hợp lệ", true);
    const response = await fetch(url, { signal: AbortSignal.timeout((this.options.timeoutSeconds ?? 30) * 1000) });
    if (!response.ok) throw new SendError(`Không tải được ảnh (HTTP ${response.status})`, false);
    const data = Buffer.from(await response.arrayBuffer());
    if (data.length > DOWNLOAD_LIMIT) throw new SendError("Ảnh quá lớn", true);
    return data;
  }

  /** Wait for this send's turn in the bot's one send queue (pacing, and the pause after a 429). */
  private turn(): Promise<void> {
    const mine = this.sendChain.then(async () => {
      const wait = Math.max(this.nextSendAt, this.pausedUntil) - Date.now();
      if (wait > 0) await sleep(wait, this.life.signal);
      this.nextSendAt = Date.now() + this.pacing.intervalMs;
    });
    this.sendChain = mine;
    return mine;
  }

  /** A 429: pause every send for the back-off (or Zalo's retry_after, if ever given), doubling it for the next. */
  private quota(body: unknown): number {
    this.quotaHits++;
    const given = zaloRetryAfter(body);
    const wait = given !== undefined ? given * 1000 : this.backoffMs;
    this.backoffMs = Math.min(this.pacing.backoffMaxMs, this.backoffMs * 2);
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + wait);
    this.options.log.warn({ waitMs: wait, hits: this.quotaHits }, "zalo: 429 quota exceeded; every send waits");
    return wait;
  }

  /**
   * One API call with the adapter's retries (see the file comment). Returns the result, or
   * undefined for getUpdates' 408 (an empty window). Throws SendError for a send, ZaloApiError
   * or the network error for the other methods.
   */
  private async call(
    method: ZaloMethod,
    body: Record<string, unknown>,
    options: { signal?: AbortSignal; hooks?: SendOptions } = {},
  ): Promise<unknown> {
    const maxRetries = this.options.maxRetries ?? 5;
    const sending = SEND_METHODS.has(method);
    const timeout =
      ((this.options.timeoutSeconds ?? 30) + (method === "getUpdates" ? Number(this.options.pollSeconds ?? ZALO_POLL_SECONDS) : 0)) * 1000;
    const url = zaloMethodUrl(this.options.apiRoot, this.options.token, method);
    for (let attempt = 0; ; attempt++) {
      if (sending) await this.turn();
      await options.hooks?.onWire?.();
      let response: Response;
      try {
        const signals = [AbortSignal.timeout(timeout), ...(options.signal ? [options.signal] : [])];
        response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
          signal: AbortSignal.any(signals),
        });
      } catch (error) {
        const notSent = NOT_SENT_CODES.has(networkCode(error) ?? "");
        if (notSent) await options.hooks?.onRefused?.();
        const retry = (notSent || SAFE_METHODS.has(method)) && attempt < maxRetries && !this.stopping && !options.signal?.aborted;
        if (retry) {
          await sleep(Math.min(this.pacing.backoffMaxMs, this.pacing.backoffFirstMs * 2 ** attempt), this.life.signal);
          continue;
        }
        if (!sending) throw error;
        throw new SendError(`Zalo không trả lời: ${this.safeError(error)}`, false, { uncertain: !notSent });
      }
      let parsed: ZaloResponse | null = null;
      let raw: unknown = null;
      try {
        raw = await response.json();
        const result = ZaloResponse.safeParse(raw);
        parsed = result.success ? result.data : null;
      } catch {
        parsed = null;
      }
      if (response.ok && parsed?.ok) {
        this.backoffMs = this.pacing.backoffFirstMs;
        return parsed.result;
      }
      if (response.ok && !parsed && sending) {
        // A 200 we cannot read: the message may have been taken. Not retried (at most once).
        throw new SendError("Zalo trả lời không đọc được", false, { uncertain: true });
      }
      const code = zaloErrorCode(response.status, parsed);
      if (method === "getUpdates" && code === ZALO_STATUS.emptyPoll) return undefined;
      await options.hooks?.onRefused?.(); // answered with an error: not delivered
      if (code === ZALO_STATUS.quota && attempt < maxRetries && !this.stopping) {
        const wait = this.quota(raw);
        // A send waits for its next turn (after the pause); any other call waits here.
        if (!sending) await sleep(wait, options.signal ? AbortSignal.any([options.signal, this.life.signal]) : this.life.signal);
        continue;
      }
      if (code >= 500 && attempt < maxRetries && !this.stopping) {
        await sleep(Math.min(this.pacing.backoffMaxMs, this.pacing.backoffFirstMs * 2 ** attempt), this.life.signal);
        continue;
      }
      const description = parsed?.description ?? "không có mô tả lỗi";
      if (!sending) throw new ZaloApiError(code, description);
      throw new SendError(`Zalo ${code}: ${description}`, zaloPermanent(code));
    }
  }

  /** An error's message with the token masked (Zalo's URL carries it). */
  private safeError(error: unknown): string {
    const text = error instanceof Error ? `${error.message}${networkCode(error) ? ` (${networkCode(error)})` : ""}` : String(error);
    return text.split(this.options.token).join("<token>");
  }
}
