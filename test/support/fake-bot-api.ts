/**
 * A small fake Telegram Bot API server on 127.0.0.1 for what telegram-test-api lacks:
 * documents and photos (both ways), getFile downloads, setMyCommands, callback answers
 * (alerts), long polling that honours `timeout`, injected 429/5xx, and an enforced rate
 * limit (30 messages/s overall, 20/min per group) for the fan-out tests and benchmarks,
 * Telegram's size limits (a text over 4096 characters, callback data over 64 bytes: 400), and
 * random faults on a share of send requests (`faults`): 429, 5xx, slow answers, a connection
 * dropped after the message was accepted, a request never answered.
 */
import type http from "node:http";
import { LocalHttpServer } from "./local-http.ts";
import { mulberry32 } from "./random.ts";

export type Call = { method: string; params: Record<string, unknown>; at: number };
export type SentMessage = {
  message_id: number;
  chat_id: string;
  text?: string;
  caption?: string;
  document?: { name: string; data: Buffer };
  reply_markup?: unknown;
  at: number;
};
type Fault = { method: string; status: number; retryAfter?: number; description?: string };

/** A fault injected on a send request (see `FakeOptions.faults`). */
export type FaultKind = "429" | "5xx" | "slow" | "dropped" | "hang";

export type FakeOptions = {
  /**
   * Faults on a share (0–1) of send requests, drawn with a seeded generator: "429" (retry
   * after 1 s), "5xx" (502), "slow" (answered after 100–400 ms), "dropped" (the message is
   * accepted, then the connection is destroyed without an answer), "hang" (no answer ever).
   */
  faults?: { share: number; kinds: FaultKind[]; seed?: number };
  /** Enforce Telegram's limits on send methods, answering 429 with retry_after. */
  enforceLimits?: boolean;
  perSecond?: number;
  perMinutePerChat?: number;
};

const SEND_METHODS = new Set(["sendMessage", "sendDocument", "sendPhoto"]);

export class FakeBotApi extends LocalHttpServer {
  readonly calls: Call[] = [];
  readonly sent: SentMessage[] = [];
  readonly answers: { callback_query_id: string; text?: string; show_alert?: boolean }[] = [];
  commands: unknown = null;
  private readonly files = new Map<string, Buffer>();
  private readonly faults: Fault[] = [];
  private readonly updates: unknown[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private readonly sendTimes: number[] = [];
  private readonly chatTimes = new Map<string, number[]>();
  rejected429 = 0;
  /** Updates below this id were confirmed by a getUpdates offset. */
  confirmed = 0;
  /** Faults injected so far, by kind. */
  readonly injected: Record<FaultKind, number> = { "429": 0, "5xx": 0, slow: 0, dropped: 0, hang: 0 };
  private readonly random: () => number;

  constructor(private readonly options: FakeOptions = {}) {
    super();
    this.random = mulberry32(options.faults?.seed ?? 1);
  }

  /** The next `count` calls of `method` fail with `status` (429 with retry_after). */
  fail(method: string, status: number, count = 1, retryAfter?: number): void {
    for (let i = 0; i < count; i++) this.faults.push({ method, status, retryAfter });
  }

  /** A file the bot may download with getFile. */
  addFile(fileId: string, data: Buffer): void {
    this.files.set(fileId, data);
  }

  /** Queue an update for getUpdates. */
  push(update: Record<string, unknown>): void {
    this.updates.push({ update_id: this.nextUpdateId++, ...update });
    for (const wake of this.waiters.splice(0)) wake();
  }

  sentTo(chatId: string | number): SentMessage[] {
    return this.sent.filter((m) => m.chat_id === String(chatId));
  }

  /** Wait until `predicate` holds (polling the recorded state), or throw after `ms`. */
  async until(predicate: () => boolean, ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > end) throw new Error("FakeBotApi.until: timed out");
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", this.apiRoot);
    const fileMatch = /^\/file\/bot[^/]+\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      const data = this.files.get(decodeURIComponent(fileMatch[1]));
      res.writeHead(data ? 200 : 404).end(data ?? "not found");
      return;
    }
    const method = url.pathname.split("/").pop() ?? "";
    const params = await this.params(req, body);
    const at = Date.now();
    this.calls.push({ method, params, at });

    const faultIndex = this.faults.findIndex((f) => f.method === method);
    if (faultIndex >= 0) {
      const [fault] = this.faults.splice(faultIndex, 1);
      return this.reply(res, fault.status, {
        ok: false,
        error_code: fault.status,
        description: fault.status === 429 ? `Too Many Requests: retry after ${fault.retryAfter ?? 1}` : "Internal Server Error",
        parameters: fault.retryAfter !== undefined ? { retry_after: fault.retryAfter } : undefined,
      });
    }
    if (method === "sendMessage") {
      const refusal = tooBig(params);
      if (refusal) return this.reply(res, 400, { ok: false, error_code: 400, description: `Bad Request: ${refusal}` });
    }
    let fault: FaultKind | null = null;
    const faults = this.options.faults;
    if (faults && SEND_METHODS.has(method) && this.random() < faults.share) {
      fault = faults.kinds[Math.floor(this.random() * faults.kinds.length)];
      this.injected[fault]++;
      if (fault === "hang") return; // never answered (the socket stays open until stop)
      if (fault === "429")
        return this.reply(res, 429, {
          ok: false,
          error_code: 429,
          description: "Too Many Requests: retry after 1",
          parameters: { retry_after: 1 },
        });
      if (fault === "5xx") return this.reply(res, 502, { ok: false, error_code: 502, description: "Bad Gateway" });
      if (fault === "slow") await new Promise((r) => setTimeout(r, 100 + Math.floor(this.random() * 300)));
    }
    if (this.options.enforceLimits && SEND_METHODS.has(method)) {
      const retryAfter = this.overLimit(String(params.chat_id), at);
      if (retryAfter > 0) {
        this.rejected429++;
        return this.reply(res, 429, {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${retryAfter}`,
          parameters: { retry_after: retryAfter },
        });
      }
    }
    const result = await this.result(method, params, at);
    if (fault === "dropped") {
      res.socket?.destroy(); // accepted, but the answer never reaches the bot
      return;
    }
    this.reply(res, 200, { ok: true, result });
  }

  /** Seconds to wait if this send would break the limits, else 0 (and records it). */
  private overLimit(chatId: string, at: number): number {
    const perSecond = this.options.perSecond ?? 30;
    const perMinute = this.options.perMinutePerChat ?? 20;
    while (this.sendTimes.length && this.sendTimes[0] <= at - 1000) this.sendTimes.shift();
    const times = (this.chatTimes.get(chatId) ?? []).filter((t) => t > at - 60_000);
    const group = chatId.startsWith("-");
    if (this.sendTimes.length >= perSecond) return 1;
    if (group && times.length >= perMinute) return Math.ceil((times[0] + 60_000 - at) / 1000);
    this.sendTimes.push(at);
    times.push(at);
    this.chatTimes.set(chatId, times);
    return 0;
  }

  private async params(req: http.IncomingMessage, body: Buffer): Promise<Record<string, unknown>> {
    const type = req.headers["content-type"] ?? "";
    if (type.includes("application/json")) return body.length ? JSON.parse(body.toString("utf8")) : {};
    if (type.includes("multipart/form-data")) {
      const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
      const params: Record<string, unknown> = {};
      for (const part of multipart(body, boundary?.[1] ?? boundary?.[2] ?? "")) {
        if (part.filename === undefined) {
          const value = part.data.toString("utf8");
          params[part.name] = value.startsWith("{") || value.startsWith("[") ? safeJson(value) : value;
        } else {
          params[part.name] = { name: part.filename, data: part.data };
        }
      }
      // grammY sends files as `attach://<id>` references.
      for (const [key, value] of Object.entries(params)) {
        if (typeof value === "string" && value.startsWith("attach://")) params[key] = params[value.slice(9)];
      }
      return params;
    }
    return Object.fromEntries(new URLSearchParams(body.toString("utf8")));
  }

  private async result(method: string, params: Record<string, unknown>, at: number): Promise<unknown> {
    switch (method) {
      case "getMe":
        return { id: 42, is_bot: true, first_name: "dondoc", username: "dondoc_test_bot", can_join_groups: true };
      case "setMyCommands":
        this.commands = params.commands;
        return true;
      case "setWebhook":
      case "deleteWebhook":
      case "setMyDescription":
        return true;
      case "answerCallbackQuery":
        this.answers.push(params as never);
        return true;
      case "getFile": {
        const fileId = String(params.file_id);
        return { file_id: fileId, file_unique_id: fileId, file_path: fileId, file_size: this.files.get(fileId)?.length };
      }
      case "getUpdates": {
        // As Telegram: an offset confirms every update before it, for good; without one,
        // the unconfirmed updates come again.
        this.confirmed = Math.max(this.confirmed, Number(params.offset ?? 0));
        const offset = this.confirmed;
        const timeout = Math.min(Number(params.timeout ?? 0), 2) * 1000;
        let pending = this.updates.filter((u) => (u as { update_id: number }).update_id >= offset);
        if (pending.length === 0 && timeout > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, timeout);
            this.waiters.push(() => {
              clearTimeout(timer);
              resolve();
            });
          });
          pending = this.updates.filter((u) => (u as { update_id: number }).update_id >= offset);
        }
        return pending;
      }
      case "sendMessage":
      case "sendDocument":
      case "sendPhoto": {
        const message_id = this.nextMessageId++;
        const file = (params.document ?? params.photo) as { name: string; data: Buffer } | undefined;
        this.sent.push({
          message_id,
          chat_id: String(params.chat_id),
          text: params.text as string | undefined,
          caption: params.caption as string | undefined,
          document: file,
          reply_markup: params.reply_markup,
          at,
        });
        return {
          message_id,
          date: Math.floor(at / 1000),
          chat: { id: Number(params.chat_id), type: String(params.chat_id).startsWith("-") ? "group" : "private" },
          text: params.text,
          from: { id: 42, is_bot: true, first_name: "dondoc" },
        };
      }
      default:
        return true;
    }
  }

  private reply(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }
}

/** The parts of a multipart/form-data body. */
function multipart(body: Buffer, boundary: string): { name: string; filename?: string; data: Buffer }[] {
  const parts: { name: string; filename?: string; data: Buffer }[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const chunk = body.subarray(start + delimiter.length + 2, next - 2); // skip CRLF after delimiter and before the next
    const split = chunk.indexOf("\r\n\r\n");
    if (split >= 0) {
      const headers = chunk.subarray(0, split).toString("utf8");
      const name = /[^e]name="([^"]*)"/.exec(headers)?.[1] ?? "";
      const filename = /filename="?([^";\r\n]*)"?/.exec(headers)?.[1];
      parts.push({ name, filename, data: chunk.subarray(split + 4) });
    }
    start = next;
  }
  return parts;
}

/** Why Telegram would refuse this sendMessage (text over 4096 characters, callback data over 64 bytes), or null. */
function tooBig(params: Record<string, unknown>): string | null {
  if (typeof params.text === "string" && params.text.length > 4096) return "message is too long";
  const markup = typeof params.reply_markup === "string" ? safeJson(params.reply_markup) : params.reply_markup;
  const rows = (markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [];
  for (const button of rows.flat()) {
    if (button.callback_data !== undefined && (Buffer.byteLength(button.callback_data, "utf8") > 64 || button.callback_data === ""))
      return "BUTTON_DATA_INVALID";
  }
  return null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
