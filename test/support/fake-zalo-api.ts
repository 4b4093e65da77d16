/**
 * A fake Zalo Bot API server on 127.0.0.1, following ../shared/notes/zalo-bot-api.md (and
 * src/chat/zalo-platform.ts, which holds dondoc's assumptions): `POST /bot<TOKEN>/<method>`
 * with JSON, answers `{ ok, result | error_code, description }`; getMe; getUpdates with a
 * string `timeout` that holds the request and answers 408 when nothing arrived — one update
 * per call (`shape: "single"`) or an array (`"array"`), refused while a webhook is set;
 * setWebhook (secret 8–256) / deleteWebhook / getWebhookInfo; webhook deliveries with the
 * `X-Bot-Api-Secret-Token` header, the update bare or wrapped in `{ ok, result }`; sendMessage
 * refusing a text empty or over 2000 characters (or holding half a character); sendPhoto from
 * https URLs only; 429 "Quota exceeded" injected (`failSends`) or enforced (`quotaPerSecond`),
 * with no retry_after (none is published).
 */
import type http from "node:http";
import { LocalHttpServer } from "./local-http.ts";

export const ZALO_TEST_TOKEN = "1234567890:zaloTESTtokenZALOtestTOKEN-abc";

export type ZaloSent = { message_id: string; chat_id: string; text?: string; photo?: string; at: number };

export type FakeZaloOptions = {
  token?: string;
  /** How getUpdates gives updates: one per call, or every waiting one as an array. */
  shape?: "single" | "array";
  /** Longest a getUpdates is held, in ms, whatever its timeout (keeps tests fast). */
  maxPollMs?: number;
  /** Enforce a quota: more sends than this within a second are answered 429. */
  quotaPerSecond?: number;
};

/** One Zalo message update as the notes describe it. */
export function zaloText(options: {
  chat: string;
  group?: boolean;
  from: string;
  name?: string;
  text: string;
  messageId?: string;
  replyTo?: { message_id: string; text?: string };
  event?: string;
}): Record<string, unknown> {
  return {
    event_name: options.event ?? "message.text.received",
    message: {
      message_id: options.messageId ?? `m${Math.random().toString(36).slice(2)}`,
      date: Date.now(),
      text: options.text,
      from: { id: options.from, display_name: options.name ?? `Người dùng ${options.from}`, is_bot: false },
      chat: { id: options.chat, chat_type: options.group === false ? "PRIVATE" : "GROUP" },
      ...(options.replyTo ? { reply_to_message: { ...options.replyTo, from: { id: "bot-dondoc", is_bot: true } } } : {}),
    },
  };
}

export class FakeZaloApi extends LocalHttpServer {
  readonly sent: ZaloSent[] = [];
  readonly calls: { method: string; body: Record<string, unknown>; at: number }[] = [];
  /** Answers given, by HTTP status (200, 408, 429, 400…). */
  readonly statuses = new Map<number, number>();
  webhook: { url: string; secret: string } | null = null;
  private readonly queue: unknown[] = [];
  private failing: number[] = [];
  private readonly failingCalls = new Map<string, number[]>();
  private readonly sendTimes: number[] = [];
  private nextId = 1;
  private readonly token: string;

  constructor(private readonly options: FakeZaloOptions = {}) {
    super();
    this.token = options.token ?? ZALO_TEST_TOKEN;
  }

  /** The next `count` send requests are answered `status` (429: "Quota exceeded"). */
  failSends(count: number, status = 429): void {
    for (let i = 0; i < count; i++) this.failing.push(status);
  }

  /** The next `count` calls of `method` (any method) are answered `status` before anything else. */
  failCalls(method: string, count: number, status = 429): void {
    const list = this.failingCalls.get(method) ?? [];
    for (let i = 0; i < count; i++) list.push(status);
    this.failingCalls.set(method, list);
  }

  /** An update for long polling (given by the next getUpdates). */
  push(update: unknown): void {
    this.queue.push(update);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Post an update to the webhook, bare or wrapped, with the secret (or `secret` instead); resolves with the HTTP status. */
  async deliver(update: unknown, options: { wrapped?: boolean; secret?: string | null } = {}): Promise<number> {
    if (!this.webhook) throw new Error("FakeZaloApi: no webhook set");
    const secret = options.secret === undefined ? this.webhook.secret : options.secret;
    const response = await fetch(this.webhook.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(secret !== null ? { "X-Bot-Api-Secret-Token": secret } : {}) },
      body: JSON.stringify(options.wrapped ? { ok: true, result: update } : update),
    });
    await response.arrayBuffer();
    return response.status;
  }

  sentTo(chatId: string): ZaloSent[] {
    return this.sent.filter((m) => m.chat_id === chatId);
  }

  /** Wait until `predicate` holds (polling the recorded state), or throw after `ms`. */
  async until(predicate: () => boolean, ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > end) throw new Error("FakeZaloApi.until: timed out");
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  private answer(res: http.ServerResponse, status: number, body: unknown): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (!res.writableEnded) res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }

  private error(res: http.ServerResponse, status: number, description: string): void {
    this.answer(res, status, { ok: false, error_code: status, description });
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    if (!m) return this.error(res, 404, "Not Found");
    if (m[1] !== this.token) return this.error(res, 401, "Unauthorized");
    let body: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (chunks.length) {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        return this.error(res, 400, "Bad Request");
      }
    }
    const method = m[2];
    this.calls.push({ method, body, at: Date.now() });
    const injected = this.failingCalls.get(method)?.shift();
    if (injected !== undefined) return this.error(res, injected, injected === 429 ? "Quota exceeded" : "Server error");
    switch (method) {
      case "getMe":
        return this.answer(res, 200, {
          ok: true,
          result: { id: "bot-dondoc", account_name: "dondoc", account_type: "BASIC", can_join_groups: true },
        });
      case "getUpdates":
        return this.getUpdates(req, res, body);
      case "setWebhook": {
        const secret = String(body.secret_token ?? "");
        if (typeof body.url !== "string" || secret.length < 8 || secret.length > 256) return this.error(res, 400, "Bad Request");
        this.webhook = { url: body.url, secret };
        return this.answer(res, 200, { ok: true, result: { url: body.url, updated_at: Date.now() } });
      }
      case "deleteWebhook":
        this.webhook = null;
        return this.answer(res, 200, { ok: true, result: { url: "", updated_at: Date.now() } });
      case "getWebhookInfo":
        return this.answer(res, 200, { ok: true, result: { url: this.webhook?.url ?? "", updated_at: Date.now() } });
      case "sendChatAction":
        return this.answer(res, 200, { ok: true, result: true });
      case "sendMessage":
      case "sendPhoto":
        return this.send(res, method, body);
      default:
        return this.error(res, 400, "Unknown method");
    }
  }

  private async getUpdates(req: http.IncomingMessage, res: http.ServerResponse, body: Record<string, unknown>): Promise<void> {
    if (this.webhook) return this.error(res, 400, "Webhook is set: polling is not available");
    if (typeof body.timeout !== "string" || !/^\d+$/.test(body.timeout)) return this.error(res, 400, "Bad Request");
    const wait = Math.min(Number(body.timeout) * 1000, this.options.maxPollMs ?? 30_000);
    if (this.queue.length === 0) {
      let closed = false;
      const onClose = () => (closed = true);
      req.socket.once("close", onClose);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      req.socket.off("close", onClose); // a kept-alive socket serves many polls
      if (closed) return;
    }
    if (this.queue.length === 0) return this.error(res, 408, "Request timeout");
    const result = this.options.shape === "array" ? this.queue.splice(0) : this.queue.shift();
    this.answer(res, 200, { ok: true, result });
  }

  private send(res: http.ServerResponse, method: string, body: Record<string, unknown>) {
    const now = Date.now();
    const injected = this.failing.shift();
    if (injected !== undefined) return this.error(res, injected, injected === 429 ? "Quota exceeded" : "Server error");
    if (this.options.quotaPerSecond !== undefined) {
      while (this.sendTimes.length && this.sendTimes[0] <= now - 1000) this.sendTimes.shift();
      if (this.sendTimes.length >= this.options.quotaPerSecond) return this.error(res, 429, "Quota exceeded");
    }
    const chatId = String(body.chat_id ?? "");
    if (!chatId) return this.error(res, 400, "Bad Request: chat_id");
    const text = typeof body.text === "string" ? body.text : undefined;
    const caption = typeof body.caption === "string" ? body.caption : undefined;
    if (method === "sendMessage") {
      if (!text || text.length > 2000) return this.error(res, 400, "Bad Request: text must have 1-2000 characters");
      if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text))
        return this.error(res, 400, "Bad Request: invalid text");
    } else {
      if (typeof body.photo !== "string" || !body.photo.startsWith("https://")) return this.error(res, 400, "Bad Request: photo");
      if (caption && caption.length > 2000) return this.error(res, 400, "Bad Request: caption");
    }
    this.sendTimes.push(now);
    const message_id = `z${this.nextId++}`;
    this.sent.push({ message_id, chat_id: chatId, text: text ?? caption, photo: body.photo as string | undefined, at: now });
    this.answer(res, 200, { ok: true, result: { message_id, date: now } });
  }
}
