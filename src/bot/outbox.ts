/**
 * Messages the bot sends on its own (not as the answer to the one who wrote): a blocker
 * forwarded to the Sở Nội vụ, a decision told to the agency, reminders and digests. Holds the
 * chat adapter once it is attached; finds an agency's chats from the store's bindings.
 *
 * A chat that changed id (a Telegram group upgraded to a supergroup: the send fails with
 * `SendError.movedTo`, e.g. when the service message was missed) is followed: its binding is
 * moved with the audited use case `moveChat`, the send-log follows it, and the message is
 * sent again to the new id — for every send here (reminders, digests, `tell`). Later sends to
 * the old id go to the new one directly.
 */
import { SendError, type ChatAdapter, type FileRef, type OutgoingFile, type OutgoingMessage, type SendOptions } from "../chat/types.ts";
import { chatsOf, moveChat, platformOf } from "../domain/bindings.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/types.ts";

/** How a send is watched: the adapter's `onWire`, and `onMoved` once the chat was found under a new id (after the move is recorded). */
export type OutboxSendOptions = SendOptions & { onMoved?: (to: string) => Promise<void> | void };

/** A chain of moves longer than this is refused (a group is upgraded once). */
const MAX_MOVES = 2;

/** Sends on the bot's own initiative, through the attached chat adapter. */
export class Outbox {
  private chat: ChatAdapter | null = null;
  /** Chats found under a new id in this process: old id → new id. */
  private readonly moved = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly coordinatorAgencyId: string,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  attach(chat: ChatAdapter): void {
    this.chat = chat;
  }

  private adapter(): ChatAdapter {
    if (!this.chat) throw new Error("No chat adapter attached");
    return this.chat;
  }

  /** The id `chatId` is known under now (itself unless it moved in this process). */
  current(chatId: string): string {
    let id = chatId;
    for (let i = 0; i <= MAX_MOVES && this.moved.has(id); i++) id = this.moved.get(id)!;
    return id;
  }

  /**
   * Send to one chat; returns the platform's message id. Throws SendError (chat/types.ts).
   * A chat that moved is followed (see the file comment); `options.onMoved` hears of it.
   */
  send(chatId: string, message: OutgoingMessage, options: OutboxSendOptions = {}): Promise<string> {
    const { onMoved, ...sendOptions } = options;
    return this.following(chatId, onMoved, (id) => this.adapter().send(id, message, sendOptions));
  }

  /** Send a file to one chat (a moved chat is followed as by `send`). Throws SendError. */
  sendFile(chatId: string, file: OutgoingFile): Promise<string> {
    return this.following(chatId, undefined, (id) => this.adapter().sendFile(id, file));
  }

  private async following(
    chatId: string,
    onMoved: OutboxSendOptions["onMoved"],
    work: (chatId: string) => Promise<string>,
  ): Promise<string> {
    let id = this.current(chatId);
    if (id !== chatId) await onMoved?.(id);
    for (let moves = 0; ; moves++) {
      try {
        return await work(id);
      } catch (error) {
        const to = error instanceof SendError ? error.movedTo : undefined;
        if (!to || moves >= MAX_MOVES) throw error;
        const target = to.includes(":") ? to : `${platformOf(id)}:${to}`;
        await this.chatMoved(id, target);
        await onMoved?.(target);
        id = target;
      }
    }
  }

  /**
   * A chat has a new id: move its binding (audited `bind.move`, nothing when it was not bound)
   * and its send-log entries, and remember it for later sends. Returns the agency moved, or null.
   */
  async chatMoved(from: string, to: string): Promise<string | null> {
    this.moved.set(from, to);
    const agencyId = await moveChat({ store: this.store, now: this.now() }, from, to);
    this.log.warn({ from, to, agency: agencyId }, "chat moved to a new id (supergroup); binding and send-log follow it");
    return agencyId;
  }

  /** The bytes of a file a user sent (a plan to load). */
  download(file: FileRef): Promise<Buffer> {
    return this.adapter().download(file);
  }

  /**
   * Tell chats about a change already made: a chat that cannot be reached is logged, not
   * thrown, so the answer to the person who made the change stays true. Returns how many got it.
   */
  async tell(chatIds: string[], message: OutgoingMessage): Promise<number> {
    let delivered = 0;
    for (const chatId of chatIds) {
      try {
        await this.send(chatId, message);
        delivered++;
      } catch (error) {
        this.log.warn({ chat: chatId, err: error }, "could not tell a chat");
      }
    }
    return delivered;
  }

  /** Tell every chat bound to `agencyId` except `exceptChatId`; returns how many got it. */
  toAgency(agencyId: string, message: OutgoingMessage, exceptChatId?: string): Promise<number> {
    return this.tell(
      chatsOf(this.store.read(), agencyId).filter((c) => c !== exceptChatId),
      message,
    );
  }

  /** Tell every chat bound to the coordinating agency (Sở Nội vụ); returns how many got it. */
  toCoordinator(message: OutgoingMessage): Promise<number> {
    return this.toAgency(this.coordinatorAgencyId, message);
  }

  /** The chats bound to the coordinating agency. */
  coordinatorChats(): string[] {
    return chatsOf(this.store.read(), this.coordinatorAgencyId);
  }
}
