/**
 * How an adapter handles the updates of its inbox: in order within a chat, several chats at
 * once (at most `concurrency`), and each one through the inbox protocol (chat/types.ts
 * `UpdateInbox`): an update already applied before a crash is not handled again — its sender
 * is told instead — any other is handled inside `inbox.handling` (a store change marks it
 * applied), and every one is marked `done` afterwards. Shared by the Telegram and Zalo adapters.
 */
import type { Logger } from "../logger.ts";
import type { InboxItem, UpdateInbox } from "./types.ts";

export type ChatQueueOptions = {
  inbox: UpdateInbox;
  log: Logger;
  /** Updates handled at once, across chats (one at a time within a chat). */
  concurrency: number;
  /** Handle one update (its errors are logged by the queue). */
  handle(entry: InboxItem): Promise<void>;
  /** The update was applied before a restart: tell its sender (never apply it again). */
  tellApplied(entry: InboxItem): Promise<void>;
  /** How the log names the platform ("telegram", "zalo"). */
  name: string;
};

/** Per-chat ordered, bounded handling of inbox entries (see the file comment). */
export class ChatQueue {
  /** The last update handled in each chat (a promise chain), and everything in flight. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: ChatQueueOptions) {}

  /** Updates being handled or waiting for their turn. */
  get size(): number {
    return this.inFlight.size;
  }

  /** Handle `entry` after the chat's previous update, with at most `concurrency` handled at once. */
  schedule(entry: InboxItem): void {
    const previous = this.chains.get(entry.chat) ?? Promise.resolve();
    const next = previous.then(() => this.withSlot(() => this.run(entry)));
    this.chains.set(entry.chat, next);
    this.inFlight.add(next);
    void next.finally(() => {
      this.inFlight.delete(next);
      if (this.chains.get(entry.chat) === next) this.chains.delete(entry.chat);
    });
  }

  /** Resolves once every update scheduled so far has been handled. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async withSlot(work: () => Promise<void>): Promise<void> {
    if (this.running >= this.options.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** One update: handled (its errors logged here), or — already applied before a crash — its sender told. */
  private async run(entry: InboxItem): Promise<void> {
    const { log, inbox, name } = this.options;
    try {
      if (entry.applied) await this.options.tellApplied(entry);
      else await inbox.handling(entry.key, () => this.options.handle(entry));
    } catch (error) {
      // Not the handler's own failure (the router answers those): the store or the platform
      // failed around it. The update stays in the inbox and is handled again after a restart.
      log.error({ err: error, update: entry.key }, `${name}: update failed; kept to be handled again after a restart`);
      return;
    }
    try {
      await inbox.done(entry.key);
    } catch (error) {
      log.error({ err: error, update: entry.key }, `${name}: could not mark an update handled; it may be answered again after a restart`);
    }
  }
}

/** The note for an update applied before a restart whose reply may be missing (Vietnamese). */
export function appliedNote(what: string): string {
  return `✅ ${what} đã được ghi nhận trước khi bot khởi động lại (có thể bạn chưa nhận được trả lời). Không cần gửi lại; xem /chitiet hoặc /lichsu để kiểm tra.`;
}
