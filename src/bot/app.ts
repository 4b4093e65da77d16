/**
 * The application: wires the store, the agency directory, the calendar and the command
 * registry to a chat adapter. Platform-independent: Telegram and the local terminal chat
 * both drive it through the same handlers.
 */
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/types.ts";
import type { Agency } from "../core/schemas.ts";
import { createDirectory, type Directory } from "../core/agencies.ts";
import type { WorkCalendar } from "../core/calendar.ts";
import { squash } from "../core/text.ts";
import { usageText, type Caller, type CommandRegistry } from "./registry.ts";
import type {
  ChatAdapter,
  ChatHandlers,
  Incoming,
  IncomingButton,
  IncomingCommand,
  OutgoingMessage,
  Responder,
} from "../chat/types.ts";

export type AppOptions = {
  config: Config;
  store: Store;
  /** Reference agencies from data/agencies.json. */
  agencies: Agency[];
  calendar: WorkCalendar;
  registry: CommandRegistry;
  log: Logger;
  /** The clock; tests and local mode move it. */
  clock?: () => Date;
};

export class App {
  readonly config: Config;
  readonly store: Store;
  readonly calendar: WorkCalendar;
  readonly registry: CommandRegistry;
  readonly log: Logger;
  private readonly agencies: Agency[];
  private clock: () => Date;
  private chat: ChatAdapter | null = null;
  private directoryCache: { key: unknown; keyAliases: unknown; directory: Directory } | null = null;

  constructor(options: AppOptions) {
    this.config = options.config;
    this.store = options.store;
    this.calendar = options.calendar;
    this.registry = options.registry;
    this.log = options.log;
    this.agencies = options.agencies;
    this.clock = options.clock ?? (() => new Date());
  }

  now(): Date {
    return this.clock();
  }

  setClock(clock: () => Date): void {
    this.clock = clock;
  }

  /** The directory: reference agencies plus those and the aliases admins added. */
  directory(): Directory {
    const data = this.store.read();
    const cached = this.directoryCache;
    if (cached && cached.key === data.extraAgencies && cached.keyAliases === data.extraAliases) return cached.directory;
    const directory = createDirectory([...this.agencies, ...data.extraAgencies], data.extraAliases);
    this.directoryCache = { key: data.extraAgencies, keyAliases: data.extraAliases, directory };
    return directory;
  }

  coordinatorAgencyId(): string {
    return this.config.COORDINATOR_AGENCY;
  }

  agencyName(id: string): string {
    return this.directory().get(id)?.name ?? id;
  }

  /** Chats bound to an agency. */
  chatsOf(agencyId: string): string[] {
    return this.store
      .read()
      .bindings.filter((b) => b.agencyId === agencyId)
      .map((b) => b.chatId);
  }

  agencyOfChat(chatId: string): string | null {
    return this.store.read().bindings.find((b) => b.chatId === chatId)?.agencyId ?? null;
  }

  isAdmin(userId: string): boolean {
    return userId.startsWith("local:") || this.config.ADMIN_IDS.includes(userId.replace(/^tg:/, ""));
  }

  isManager(userId: string): boolean {
    return this.isAdmin(userId) || this.config.MANAGER_IDS.includes(userId.replace(/^tg:/, ""));
  }

  caller(chatId: string, chatKind: "private" | "group", from: { id: string; name: string }): Caller {
    const chatAgencyId = this.agencyOfChat(chatId);
    return {
      chatId,
      chatKind,
      chatAgencyId,
      isCoordinatorChat: chatAgencyId !== null && chatAgencyId === this.coordinatorAgencyId(),
      userId: from.id,
      userName: from.name,
      isAdmin: this.isAdmin(from.id),
      isManager: this.isManager(from.id),
    };
  }

  attach(chat: ChatAdapter): void {
    this.chat = chat;
  }

  /** Send to any chat (forwarding a blocker to Sở Nội vụ, reminders, digests). */
  async send(chatId: string, message: OutgoingMessage): Promise<string> {
    if (!this.chat) throw new Error("No chat adapter attached");
    return this.chat.send(chatId, message);
  }

  async sendFile(chatId: string, file: Parameters<ChatAdapter["sendFile"]>[1]): Promise<string> {
    if (!this.chat) throw new Error("No chat adapter attached");
    return this.chat.sendFile(chatId, file);
  }

  async download(file: Parameters<ChatAdapter["download"]>[0]): Promise<Buffer> {
    if (!this.chat) throw new Error("No chat adapter attached");
    return this.chat.download(file);
  }

  /**
   * Tells other chats about a change already made (a blocker forwarded, a decision):
   * a chat that cannot be reached is logged, not thrown, so the answer to the person who
   * made the change stays true. Returns how many chats got it.
   */
  async tell(chatIds: string[], message: OutgoingMessage): Promise<number> {
    let delivered = 0;
    for (const chatId of chatIds) {
      try {
        await this.send(chatId, message);
        delivered++;
      } catch (error) {
        this.log.warn({ chat: chatId, err: error instanceof Error ? error.message : String(error) }, "could not tell a chat");
      }
    }
    return delivered;
  }

  /** Tells every chat bound to the coordinating agency; returns how many got it. */
  async notifyCoordinator(message: OutgoingMessage): Promise<number> {
    return this.tell(this.chatsOf(this.coordinatorAgencyId()), message);
  }

  /** The handlers a chat adapter calls. Every handler is an error boundary. */
  handlers(): ChatHandlers {
    return {
      onCommand: (message, respond) => this.guard(respond, () => this.handleCommand(message, respond)),
      onButton: (press, respond) => this.guard(respond, () => this.handleButton(press, respond)),
      onMessage: (message, respond) => this.guard(respond, () => this.handleMessage(message, respond)),
      onChatMoved: (from, to) => this.moveChat(from, to),
    };
  }

  private async guard(respond: Responder, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.log.error({ err: error }, "handler failed");
      // The error may come after a change was saved: say how to check rather than guess.
      await respond
        .reply("⚠️ Có lỗi khi xử lý yêu cầu (đã ghi nhật ký). Xem lại bằng /chitiet <mã> hoặc /lichsu <mã> rồi thử lại nếu cần.")
        .catch(() => undefined);
    }
  }

  private async handleCommand(message: IncomingCommand, respond: Responder): Promise<void> {
    const command = this.registry.get(message.command);
    if (!command) {
      // In a group, a command for another bot or a typo: answer briefly so nobody waits.
      await respond.reply(`Không có lệnh /${message.command}. Gõ /giup để xem các lệnh.`);
      return;
    }
    const caller = this.caller(message.chatId, message.chatKind, message.from);
    if (command.audience === "admin" && !caller.isAdmin) {
      await respond.reply(`⛔ Lệnh /${command.name} chỉ dành cho quản trị viên (cán bộ Sở Nội vụ được cấp quyền).`);
      return;
    }
    this.log.info({ command: command.name, chat: message.chatId, user: message.from.id }, "command");
    await command.handler({
      app: this,
      message,
      args: squash(message.args),
      caller,
      respond,
      now: this.now(),
    });
  }

  private async handleButton(press: IncomingButton, respond: Responder): Promise<void> {
    const [action, ...rest] = press.data.split(":");
    const handler = this.registry.button(action);
    if (!handler) {
      await respond.notice("Nút này không còn dùng được. Gõ /giup để xem lệnh thay thế.", true);
      return;
    }
    await handler({
      app: this,
      press,
      payload: rest.join(":"),
      caller: this.caller(press.chatId, press.chatKind, press.from),
      respond,
      now: this.now(),
    });
  }

  private async handleMessage(message: Incoming, respond: Responder): Promise<void> {
    // Answers to the bot's questions: stateless, each command reads the replied-to text.
    const caller = this.caller(message.chatId, message.chatKind, message.from);
    for (const command of this.registry.list()) {
      if (command.reply && (await command.reply({ app: this, message, caller, respond, now: this.now() }))) return;
    }
  }

  /** A group's id changed (Telegram group → supergroup): its binding follows it. */
  private async moveChat(from: string, to: string): Promise<void> {
    const binding = this.store.read().bindings.find((b) => b.chatId === from);
    if (!binding) return;
    await this.store.update((data) => {
      data.bindings = data.bindings.map((b) => (b.chatId === from ? { ...b, chatId: to } : b));
      return {
        result: null,
        events: [{ at: this.now().toISOString(), actor: { id: "platform", name: "Telegram" }, chatId: to, action: "bind.move", agencyId: binding.agencyId, before: { chatId: from }, after: { chatId: to } }],
      };
    });
    this.log.info({ from, to, agency: binding.agencyId }, "chat moved; binding follows");
  }

  /** Reply with a command's usage (for malformed input). */
  async usage(respond: Responder, name: string, problem?: string): Promise<void> {
    const command = this.registry.get(name);
    const head = problem ? `⚠️ ${problem}\n` : "";
    await respond.reply(head + (command ? usageText(command) : ""));
  }
}
