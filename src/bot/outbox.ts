/**
 * Messages the bot sends on its own (not as the answer to the one who wrote): a blocker
 * forwarded to the Sở Nội vụ, a decision told to the agency, reminders and digests. Holds the
 * chat adapter once it is attached; finds an agency's chats from the store's bindings.
 */
import type { ChatAdapter, FileRef, OutgoingFile, OutgoingMessage, SendOptions } from "../chat/types.ts";
import { chatsOf } from "../domain/bindings.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/types.ts";

/** Sends on the bot's own initiative, through the attached chat adapter. */
export class Outbox {
  private chat: ChatAdapter | null = null;

  constructor(
    private readonly store: Store,
    private readonly coordinatorAgencyId: string,
    private readonly log: Logger,
  ) {}

  attach(chat: ChatAdapter): void {
    this.chat = chat;
  }

  private adapter(): ChatAdapter {
    if (!this.chat) throw new Error("No chat adapter attached");
    return this.chat;
  }

  /** Send to one chat; returns the platform's message id. Throws SendError (chat/types.ts). */
  send(chatId: string, message: OutgoingMessage, options?: SendOptions): Promise<string> {
    return this.adapter().send(chatId, message, options);
  }

  sendFile(chatId: string, file: OutgoingFile): Promise<string> {
    return this.adapter().sendFile(chatId, file);
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
        this.log.warn({ chat: chatId, err: error instanceof Error ? error.message : String(error) }, "could not tell a chat");
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
