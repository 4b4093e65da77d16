/**
 * The durable inbox of chat updates: the protocol that makes a crash lose no command and apply
 * none twice. Updates are kept in their own append-only file (src/store/inbox-file.ts); the
 * mark "a change of this update is saved" lives in the store, written with the change.
 *
 * Protocol, for an adapter (src/chat/telegram.ts):
 *   1. `accept(updates)` appends them to `inbox.jsonl` (fsynced) BEFORE the platform is told
 *      they arrived (the webhook's 200, the next getUpdates offset). A crash before that: the
 *      platform sends them again. Keys seen in the last day are dropped (a re-delivery).
 *   2. Each update is handled inside `handling(key, …)`: every store change made meanwhile
 *      also records the key in `appliedUpdates` — in the same atomic write as the change.
 *   3. `done(key)` once handled (appended, batched).
 * After a restart, `pending()` lists what was accepted but not done: an entry not applied is
 * handled again (nothing of it was saved); an applied one is not — its change is saved, only
 * its reply may be missing — the adapter tells the sender instead.
 *
 * Guarantee: a command is applied at most once and lost never (as long as the platform keeps
 * its update: Telegram keeps unconfirmed updates for 24 hours). Its first store change is the
 * one marked: a handler that saves in two writes can, after a crash between them, keep only
 * the first. A reply can be missing after a crash (then the sender is told the change was
 * saved) or, for a command handled just before the crash, given twice.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { InboxItem, UpdateInbox } from "../chat/types.ts";
import { KEEP_DONE_MS, type InboxFile } from "../store/inbox-file.ts";
import type { Mutation, Store, StoreData } from "../store/types.ts";

/**
 * The inbox, and the store every change must go through for the "applied" mark: use
 * `inbox.store` (a wrapper of `store`) for everything the bot does. Closing it closes the file.
 */
export class StoreInbox implements UpdateInbox {
  /** `store`, with each update marking the update being handled (if any) in the same write. */
  readonly store: Store;
  private readonly current = new AsyncLocalStorage<string>();
  private finished = new Set<string>();
  private batch: { written: Promise<void> } | null = null;

  constructor(
    private readonly inner: Store,
    private readonly file: InboxFile,
    private readonly now: () => Date,
  ) {
    const inbox = this;
    this.store = {
      read: () => inner.read(),
      problem: () => inner.problem?.() ?? null,
      events: (filter) => inner.events(filter),
      async close() {
        await inner.close();
        await file.close();
      },
      update<T>(fn: (draft: StoreData) => Mutation<T>): Promise<T> {
        const key = inbox.current.getStore();
        if (key === undefined) return inner.update(fn);
        return inner.update((draft) => {
          const mutation = fn(draft);
          if (!draft.appliedUpdates.some((a) => a.key === key)) {
            const now = inbox.now();
            const oldest = new Date(now.getTime() - KEEP_DONE_MS).toISOString();
            draft.appliedUpdates = [...draft.appliedUpdates.filter((a) => a.at >= oldest), { key, at: now.toISOString() }];
          }
          return mutation;
        });
      },
    };
  }

  private applied(key: string): boolean {
    return this.inner.read().appliedUpdates.some((a) => a.key === key);
  }

  async accept(items: { key: string; chat: string; payload: unknown }[]): Promise<InboxItem[]> {
    const at = this.now().toISOString();
    const fresh = new Map<string, { key: string; chat: string; payload: unknown; at: string }>();
    for (const { key, chat, payload } of items) if (!this.file.has(key) && !fresh.has(key)) fresh.set(key, { key, chat, payload, at });
    await this.file.accept([...fresh.values()]);
    return [...fresh.values()].map(({ key, chat, payload }) => ({ key, chat, payload, applied: false }));
  }

  pending(): InboxItem[] {
    return this.file.pending().map(({ key, chat, payload }) => ({ key, chat, payload, applied: this.applied(key) }));
  }

  handling<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.current.run(key, work);
  }

  /** Marks are batched: every `done` that arrives before the queued append runs goes into it. */
  done(key: string): Promise<void> {
    this.finished.add(key);
    if (this.batch) return this.batch.written;
    const batch = {
      written: Promise.resolve().then(() => {
        if (this.batch === batch) this.batch = null;
        const keys = [...this.finished];
        this.finished = new Set();
        return this.file.done(keys, this.now().toISOString());
      }),
    };
    this.batch = batch;
    return batch.written;
  }
}
