/**
 * End-to-end harness: the telegram-test-api Bot API emulator on 127.0.0.1, and the real
 * dondoc bot (grammY, webhook mode) pointed at it through TELEGRAM_API_ROOT.
 */
import emulatorModule from "telegram-test-api";
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";

// A CommonJS package: its class is the module itself.
export const TelegramServerClass = ((emulatorModule as unknown as { default?: unknown }).default ??
  emulatorModule) as typeof TelegramServer;

/** The webhook secret the e2e bot is configured with (Telegram sends it in a header). */
export const TEST_WEBHOOK_SECRET = "e2e-webhook-secret-0123456789";

type EmulatorInternals = {
  webhooks: Record<string, { url: string } | undefined>;
  updateId: number;
  addUserUpdate(update: { botToken: string }): Promise<void>;
};

/**
 * Make the emulator deliver webhook updates as Telegram does, with the secret token header
 * (it sends none itself). Its (private) delivery is replaced on this instance only.
 */
export function deliverWithSecret(server: TelegramServer): void {
  const internals = server as unknown as EmulatorInternals;
  const original = internals.addUserUpdate.bind(server);
  const format = (TelegramServerClass as unknown as { formatUpdate(u: unknown): unknown }).formatUpdate;
  internals.addUserUpdate = async (update) => {
    const webhook = internals.webhooks[update.botToken];
    if (!webhook) return original(update);
    const response = await fetch(webhook.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": TEST_WEBHOOK_SECRET },
      body: JSON.stringify(format(update)),
    });
    if (!response.ok) throw new Error(`Webhook invocation failed: HTTP ${response.status}`);
    internals.updateId++;
  };
}
import http from "node:http";
import { startBot, type Running } from "../../src/boot/runtime.ts";
import { freePort } from "./net.ts";
import { TEST_TOKEN, silentLog, tempDir, testConfig } from "./env.ts";
import { createLogger } from "../../src/logger.ts";
import type { TelegramAdapter } from "../../src/chat/telegram.ts";
import type { Logger } from "pino";

/** A Bot API call the emulator does not keep (pop-ups) or does not support (files), as the bot made it. */
export type RecordedCall = { method: string; payload: Record<string, unknown> };

export type BotMessage = {
  text: string;
  chat_id: string | number;
  reply_markup?: { inline_keyboard?: { text: string; callback_data: string }[][] };
  message_id?: number;
};

export type Person = { id: number; name: string };

export class GroupChat {
  constructor(
    private readonly harness: EmulatorHarness,
    readonly chatId: number,
    readonly title: string,
  ) {}

  private client(person: Person) {
    return this.harness.server.getClient(TEST_TOKEN, {
      userId: person.id,
      firstName: person.name,
      userName: person.name.replace(/\W/g, "").toLowerCase() || "user",
      chatId: this.chatId,
      type: this.chatId < 0 ? "group" : "private",
      chatTitle: this.title,
    });
  }

  /** Send a slash-command as `person`; resolves once the bot has handled it. */
  async command(person: Person, text: string): Promise<void> {
    const client = this.client(person);
    const length = text.split(/\s/)[0].length;
    const message = client.makeCommand(text);
    message.entities = [{ type: "bot_command", offset: 0, length }];
    // Straight to the emulator (its HTTP client route does not wait for the webhook):
    // the emulator POSTs the update to the bot's webhook and waits until it is handled.
    await this.harness.server.addUserCommand({ ...message, botToken: TEST_TOKEN } as never);
    await this.harness.handled();
  }

  /** A plain message, optionally replying to one of the bot's messages. */
  async say(person: Person, text: string, replyTo?: BotMessage): Promise<void> {
    const client = this.client(person);
    const message = client.makeMessage(text, replyTo ? ({ reply_to_message: this.asTelegramMessage(replyTo) } as never) : undefined);
    await this.harness.server.addUserMessage({ ...message, botToken: TEST_TOKEN } as never);
    await this.harness.handled();
  }

  /** A document sent to the group, optionally in reply to one of the bot's messages. */
  async file(
    person: Person,
    document: { file_id: string; file_name: string; file_size: number },
    replyTo?: BotMessage,
    caption?: string,
  ): Promise<void> {
    const client = this.client(person);
    const message = client.makeMessage("", {
      document: { ...document, file_unique_id: document.file_id },
      caption,
      ...(replyTo ? { reply_to_message: this.asTelegramMessage(replyTo) } : {}),
    } as never);
    const { text: _text, ...withoutText } = message;
    await this.harness.server.addUserMessage({ ...withoutText, botToken: TEST_TOKEN } as never);
    await this.harness.handled();
  }

  private asTelegramMessage(m: BotMessage) {
    return {
      message_id: m.message_id,
      text: m.text,
      date: Math.floor(Date.now() / 1000),
      chat: { id: this.chatId, type: "group", title: this.title },
      from: { id: 666, is_bot: true, first_name: "Test First name", username: "TestNameBot" },
    };
  }

  /** Press an inline button of one of the bot's messages. */
  async press(person: Person, message: BotMessage, buttonText: string | RegExp): Promise<void> {
    const button = message.reply_markup?.inline_keyboard
      ?.flat()
      .find((b) => (typeof buttonText === "string" ? b.text === buttonText : buttonText.test(b.text)));
    if (!button) throw new Error(`No button ${buttonText} on: ${message.text}`);
    const client = this.client(person);
    const query = client.makeCallbackQuery(button.callback_data, {
      message: { message_id: message.message_id, chat: { id: this.chatId, type: "group", title: this.title } } as never,
    });
    await this.harness.server.addUserCallback({ ...query, botToken: TEST_TOKEN } as never);
    await this.harness.handled();
  }

  /**
   * Press a button carrying any `data` (a forged or outdated button), under `message` (one of
   * the bot's messages; by default a made-up one in this chat).
   */
  async pressData(person: Person, data: string, message: { message_id?: number } = { message_id: 1 }): Promise<void> {
    const client = this.client(person);
    const query = client.makeCallbackQuery(data, {
      message: {
        message_id: message.message_id,
        chat: { id: this.chatId, type: this.chatId < 0 ? "group" : "private", title: this.title },
      } as never,
    });
    await this.harness.server.addUserCallback({ ...query, botToken: TEST_TOKEN } as never);
    await this.harness.handled();
  }

  /** Bot messages to this chat not read yet, oldest first. */
  async messages(): Promise<BotMessage[]> {
    const updates = this.harness.server.storage.botMessages.filter(
      (u) => String(u.message.chat_id) === String(this.chatId) && !u.isRead,
    ) as unknown as { message: BotMessage; messageId: number; isRead: boolean }[];
    for (const u of updates) u.isRead = true;
    return updates.map((u) => ({
      ...u.message,
      message_id: u.messageId,
      reply_markup: typeof u.message.reply_markup === "string" ? JSON.parse(u.message.reply_markup) : u.message.reply_markup,
    }));
  }

  /** Texts of the unread bot messages, joined. */
  async text(): Promise<string> {
    return (await this.messages()).map((m) => m.text).join("\n---\n");
  }
}

export class EmulatorHarness {
  server!: TelegramServer;
  running!: Running;
  dataDir!: string;
  /** Further instances of the bot (`addInstance`), on the same store (PostgreSQL). */
  readonly others: Running[] = [];
  private balancer: http.Server | null = null;
  private bootOther!: () => Promise<Running>;
  /**
   * Calls the emulator keeps no trace of: `answerCallbackQuery` (the pop-ups; passed on), and
   * `sendDocument`/`sendPhoto` (which it does not support: answered here as Telegram would).
   */
  readonly calls: RecordedCall[] = [];
  private cleanupDir!: () => Promise<void>;
  private boot!: () => Promise<Running>;

  /** Stop the bot and start it again on the same data, as after a crash or a deploy. */
  async restart(): Promise<void> {
    await this.running.stop();
    this.running = await this.boot();
  }

  static async start(
    options: {
      admins?: number[];
      managers?: number[];
      env?: Record<string, string>;
      clock?: () => Date;
      throttle?: boolean;
      log?: Logger;
    } = {},
  ) {
    const harness = new EmulatorHarness();
    const [apiPort, hookPort] = [await freePort(), await freePort()];
    harness.server = new TelegramServerClass({ port: apiPort, host: "127.0.0.1", storeTimeout: 600 });
    deliverWithSecret(harness.server);
    await harness.server.start();
    const { dir, cleanup } = await tempDir("dondoc-e2e-");
    harness.dataDir = dir;
    harness.cleanupDir = cleanup;
    const config = testConfig({
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: harness.server.config.apiURL,
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${hookPort}/hook`,
      TELEGRAM_WEBHOOK_PORT: String(hookPort),
      TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      DATA_DIR: dir,
      ADMIN_IDS: (options.admins ?? []).join(","),
      MANAGER_IDS: (options.managers ?? []).join(","),
      ...options.env,
    });
    harness.boot = async () => {
      const running = await startBot({
        config,
        log: options.log ?? (process.env.E2E_LOG ? createLogger(process.env.E2E_LOG) : silentLog),
        clock: options.clock,
        throttle: options.throttle,
      });
      harness.record(running);
      return running;
    };
    harness.running = await harness.boot();
    // The emulator does not learn the webhook from the bot's setWebhook call: tell it.
    harness.server.setWebhook({ url: `http://127.0.0.1:${hookPort}/hook` }, TEST_TOKEN);
    harness.bootOther = async () => {
      const port = await freePort();
      const other = await tempDir("dondoc-e2e-");
      const running = await startBot({
        config: {
          ...config,
          DATA_DIR: other.dir,
          TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/hook`,
          TELEGRAM_WEBHOOK_PORT: port,
        },
        log: options.log ?? silentLog,
        clock: options.clock,
        throttle: options.throttle,
      });
      const stop = running.stop;
      running.stop = async () => {
        await stop();
        await other.cleanup();
      };
      harness.record(running);
      return running;
    };
    return harness;
  }

  /** Another instance of the bot on the same config but its own webhook port and DATA_DIR (share the store with DATABASE_URL). */
  async addInstance(): Promise<Running> {
    const running = await this.bootOther();
    this.others.push(running);
    return running;
  }

  /**
   * A round-robin load balancer in front of every instance's webhook: the emulator posts each
   * update to it, and it passes the update on — headers and body as they came — to the next
   * instance in turn. `pick` overrides the turn (an index into [main, ...others]).
   */
  async balance(pick?: () => number): Promise<void> {
    const port = await freePort();
    let turn = 0;
    const urls = () => [this.running, ...this.others].map((r) => `http://127.0.0.1:${r.runtime.config.TELEGRAM_WEBHOOK_PORT}/hook`);
    this.balancer = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const targets = urls();
      const target = targets[(pick ? pick() : turn++) % targets.length];
      const answer = await fetch(target, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-telegram-bot-api-secret-token": String(req.headers["x-telegram-bot-api-secret-token"] ?? ""),
        },
        body: Buffer.concat(chunks),
      });
      res.writeHead(answer.status).end(await answer.text());
    });
    await new Promise<void>((resolve) => this.balancer!.listen(port, "127.0.0.1", resolve));
    this.server.setWebhook({ url: `http://127.0.0.1:${port}/hook` }, TEST_TOKEN);
  }

  /** Install the recorder of `calls` on the bot's API (the transformer installed last runs first). */
  private record(running: Running): void {
    let messageId = 1_000_000;
    (running.chat as TelegramAdapter).bot.api.config.use(async (prev, method, payload, signal) => {
      if (method === "answerCallbackQuery" || method === "sendDocument" || method === "sendPhoto") {
        this.calls.push({ method, payload: payload as Record<string, unknown> });
      }
      if (method !== "sendDocument" && method !== "sendPhoto") return prev(method, payload, signal);
      const chatId = (payload as { chat_id: number | string }).chat_id;
      const result = { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(chatId), type: "group" } };
      return { ok: true, result } as never;
    });
  }

  get runtime() {
    return this.running.runtime;
  }

  /** Resolves once the bot has handled every update it accepted (the webhook answers before handling). */
  async handled(): Promise<void> {
    await Promise.all([this.running, ...this.others].map((r) => r.chat.idle?.()));
  }

  group(chatId: number, title = `Nhóm ${chatId}`): GroupChat {
    return new GroupChat(this, chatId, title);
  }

  async stop(): Promise<void> {
    for (const other of this.others.splice(0)) await other.stop();
    await new Promise((resolve) => (this.balancer ? this.balancer.close(resolve) : resolve(null)));
    await this.running.stop();
    await this.server.stop();
    await this.cleanupDir();
  }
}
