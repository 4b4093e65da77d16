/**
 * The router: what a chat adapter calls. For each command, button press and reply it works
 * out who is asking from where (the `Caller`), applies the access policy (domain/access.ts)
 * — the same for commands, buttons and replies — and runs the one handler. Every handler
 * runs inside an error boundary: a use case's Refusal is answered with its message (a reply,
 * or a pop-up under a button); anything else is logged and answered with a short apology.
 * Platform-independent: Telegram and the local terminal chat drive it alike.
 *
 * It is also the one edge every platform's input passes: each text people type (a command's
 * arguments, a reply, a caption, a file's name, their own display name, a group's title) is
 * cleaned here once (core/text.ts `cleanText`: control and bidi-override characters removed,
 * NFC) before any handler sees it, so nothing stored or echoed carries them.
 */
import type { ChatHandlers, Incoming, IncomingButton, IncomingCommand, Responder, Sender } from "../chat/types.ts";
import { cleanText, shortenQuotes, squash } from "../core/text.ts";
import { allows, personRoles, refusalText, type Caller, type Permission } from "../domain/access.ts";
import { agencyOfChat } from "../domain/bindings.ts";
import { Refusal } from "../domain/context.ts";
import { parseCallback } from "./buttons.ts";
import { usageReply, type CommandDefinition, type CommandRegistry, type HandlerContext } from "./registry.ts";
import type { Runtime } from "./runtime.ts";

/** A person's display name: cleaned, on one line. */
function cleanSender(from: Sender): Sender {
  return { id: from.id, name: squash(cleanText(from.name)) || from.id };
}

/** What people typed in a message, cleaned (see the file comment). */
function cleanIncoming(message: Incoming): Incoming {
  return {
    ...message,
    from: cleanSender(message.from),
    text: cleanText(message.text),
    ...(message.chatTitle !== undefined ? { chatTitle: squash(cleanText(message.chatTitle)) } : {}),
    ...(message.replyTo ? { replyTo: { ...message.replyTo, text: cleanText(message.replyTo.text) } } : {}),
    ...(message.file?.name !== undefined ? { file: { ...message.file, name: squash(cleanText(message.file.name)) } } : {}),
  };
}

/** How the answer to a refusal goes: under a button as a pop-up, otherwise as a reply. */
type Answer = { respond: Responder; button: boolean; command?: CommandDefinition; replying?: boolean };

/** Routes what a chat adapter receives to the commands in the registry (see the file comment). */
export class Router {
  constructor(
    readonly runtime: Runtime,
    readonly registry: CommandRegistry,
  ) {}

  /** The handlers a chat adapter calls. */
  handlers(): ChatHandlers {
    return {
      onCommand: (message, respond) =>
        this.guard({ respond, button: false }, (answer) =>
          this.command({ ...cleanIncoming(message), command: message.command, args: cleanText(message.args) }, respond, answer),
        ),
      onButton: (press, respond) =>
        this.guard({ respond, button: true }, () =>
          this.button({ ...press, from: cleanSender(press.from), data: cleanText(press.data) }, respond),
        ),
      onMessage: (message, respond) =>
        this.guard({ respond, button: false }, (answer) => this.reply(cleanIncoming(message), respond, answer)),
      // Telegram's service message: the same move as a send that met `migrate_to_chat_id`.
      onChatMoved: async (from, to) => void (await this.runtime.outbox.chatMoved(from, to)),
    };
  }

  /** Who asks, from where, with which roles (configured ids, the chat's binding). */
  caller(chatId: string, chatKind: Caller["chatKind"], from: { id: string; name: string }): Caller {
    const { config, store } = this.runtime;
    const chatAgencyId = agencyOfChat(store.read(), chatId);
    return {
      chatId,
      chatKind,
      chatAgencyId,
      isCoordinatorChat: chatAgencyId !== null && chatAgencyId === config.COORDINATOR_AGENCY,
      userId: from.id,
      userName: from.name,
      ...personRoles(from.id, { admins: config.ADMIN_IDS, managers: config.MANAGER_IDS }),
    };
  }

  private context(caller: Caller, respond: Responder): HandlerContext {
    const { runtime } = this;
    return {
      caller,
      respond,
      now: runtime.now(),
      store: runtime.store,
      directory: runtime.directory(),
      calendar: runtime.calendar,
      config: runtime.config,
      outbox: runtime.outbox,
      registry: this.registry,
    };
  }

  /** Refuse unless the policy allows; true when refused (and answered). */
  private async refused(caller: Caller, permission: Permission | undefined, answer: Answer): Promise<boolean> {
    if (allows(caller, permission ?? "everyone")) return false;
    const what = answer.button ? "Nút này" : answer.command && !answer.replying ? `Lệnh /${answer.command.name}` : undefined;
    await this.answer(answer, refusalText(caller, permission!, this.runtime.directory().nameOf, null, what));
    return true;
  }

  /** Answer a refusal; what it quotes of the input is cut (shortenQuotes), so a huge argument never comes back whole. */
  private async answer(answer: Answer, text: string, input = false): Promise<void> {
    if (answer.button) return answer.respond.notice(shortenQuotes(text), true);
    await answer.respond.reply(input && answer.command ? usageReply(answer.command, text) : shortenQuotes(text));
  }

  private async guard(answer: Answer, work: (answer: Answer) => Promise<void>): Promise<void> {
    try {
      await work(answer);
    } catch (error) {
      if (error instanceof Refusal) {
        if (error.cause !== undefined) this.runtime.log.warn({ err: error.cause, refusal: error.message }, "refused after a failure");
        await this.answer(answer, error.message, error.input).catch(() => undefined);
        return;
      }
      this.runtime.log.error({ err: error }, "handler failed");
      // The error may come after a change was saved: say how to check rather than guess.
      const text = "⚠️ Có lỗi khi xử lý yêu cầu (đã ghi nhật ký). Xem lại bằng /chitiet <mã> hoặc /lichsu <mã> rồi thử lại nếu cần.";
      await (answer.button ? answer.respond.notice(text, true) : answer.respond.reply(text)).catch(() => undefined);
    }
  }

  private async command(message: IncomingCommand, respond: Responder, answer: Answer): Promise<void> {
    const command = this.registry.get(message.command);
    if (!command) {
      // In a group, a command for another bot or a typo: answer briefly so nobody waits.
      await respond.reply(`Không có lệnh /${message.command}. Gõ /giup để xem các lệnh.`);
      return;
    }
    answer.command = command;
    const caller = this.caller(message.chatId, message.chatKind, message.from);
    if (await this.refused(caller, command.access, answer)) return;
    this.runtime.log.info({ command: command.name, chat: message.chatId, user: message.from.id }, "command");
    await command.handler({
      ...this.context(caller, respond),
      message,
      args: squash(message.args),
      usage: (problem) => respond.reply(usageReply(command, problem)),
    });
  }

  private async button(press: IncomingButton, respond: Responder): Promise<void> {
    const { code, payload } = parseCallback(press.data);
    const found = this.registry.button(code);
    if (!found) {
      await respond.notice("Nút này không còn dùng được. Gõ /giup để xem lệnh thay thế.", true);
      return;
    }
    const caller = this.caller(press.chatId, press.chatKind, press.from);
    if (await this.refused(caller, found.button.access ?? found.command.access, { respond, button: true })) return;
    await found.button.run({ ...this.context(caller, respond), press, payload });
  }

  /** Answers to the bot's questions: stateless, each command's `match` reads the replied-to text. */
  private async reply(message: Incoming, respond: Responder, answer: Answer): Promise<void> {
    for (const command of this.registry.list()) {
      const match = command.reply?.match(message);
      if (!command.reply || match == null) continue;
      answer.command = command;
      answer.replying = true;
      const caller = this.caller(message.chatId, message.chatKind, message.from);
      if (await this.refused(caller, command.reply.access ?? command.access, answer)) return;
      await command.reply.run({ ...this.context(caller, respond), message, match });
      return;
    }
  }
}
