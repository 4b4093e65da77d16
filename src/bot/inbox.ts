/**
 * The durable inbox of chat updates, on the store (so it is as durable as the data it guards).
 *
 * Protocol, for an adapter (src/chat/telegram.ts):
 *   1. `accept(updates)` writes them to the store (fsynced) BEFORE the platform is told they
 *      arrived (the webhook's 200, the next getUpdates offset). A crash before that: the
 *      platform sends them again. Keys already in the inbox are dropped (a re-delivery).
 *   2. Each update is handled inside `handling(key, …)`: every store change made meanwhile
 *      also marks the entry `appliedAt` — in the same atomic write as the change.
 *   3. `done(key)` once handled; handled entries keep only key and time for a day.
 * After a restart, `pending()` lists what was accepted but not done: an entry not applied is
 * handled again (nothing of it was saved); an applied one is not — its change is saved, only
 * its reply may be missing — the adapter tells the sender instead.
 *
 * Guarantee: a command is applied at most once and lost never (as long as the platform keeps
 * its update: Telegram keeps unconfirmed updates for 24 hours). Its first store change is the
 * one marked: a handler that saves in two writes can, after a crash between them, keep only
 * the first. A reply can be missing after a crash (then the sender is told the change was
 * saved) or, for a command that changes nothing, sent twice.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { InboxItem, UpdateInbox } from "../chat/types.ts";
import type { InboxEntry, Mutation, Store, StoreData } from "../store/types.ts";

/** How long the key of a handled update is kept to recognise a re-delivery (Telegram keeps updates 24 h). */
const KEEP_DONE_MS = 24 * 60 * 60 * 1000;

const item = (e: InboxEntry): InboxItem => ({ key: e.key, chat: e.chat, payload: e.payload, applied: e.appliedAt !== undefined });

/** A handled entry: its payload dropped, its key kept to recognise a re-delivery. */
function doneEntry(e: InboxEntry, at: string): InboxEntry {
  return { key: e.key, chat: e.chat, receivedAt: e.receivedAt, appliedAt: e.appliedAt, doneAt: at };
}

/**
 * The inbox, and the store every change must go through for the `applied` mark: use
 * `inbox.store` (a wrapper of `store`) for everything the bot does.
 */
export class StoreInbox implements UpdateInbox {
  /** `store`, with each update marking the inbox entry being handled (if any) in the same write. */
  readonly store: Store;
  private readonly current = new AsyncLocalStorage<string>();
  private finished = new Set<string>();
  private batch: { written: Promise<void> } | null = null;

  constructor(
    private readonly inner: Store,
    private readonly now: () => Date,
  ) {
    const inbox = this;
    this.store = {
      read: () => inner.read(),
      events: (filter) => inner.events(filter),
      close: () => inner.close(),
      update<T>(fn: (draft: StoreData) => Mutation<T>): Promise<T> {
        const key = inbox.current.getStore();
        if (key === undefined) return inner.update(fn);
        return inner.update((draft) => {
          const mutation = fn(draft);
          const at = inbox.now().toISOString();
          const i = draft.inbox.findIndex((e) => e.key === key);
          if (i >= 0 && draft.inbox[i].appliedAt === undefined) draft.inbox[i] = { ...draft.inbox[i], appliedAt: at };
          return mutation;
        });
      },
    };
  }

  async accept(items: { key: string; chat: string; payload: unknown }[]): Promise<InboxItem[]> {
    if (items.length === 0) return [];
    return this.inner.update((draft) => {
      const now = this.now();
      const oldest = new Date(now.getTime() - KEEP_DONE_MS).toISOString();
      const known = new Set(draft.inbox.map((e) => e.key));
      const fresh: InboxEntry[] = [];
      for (const { key, chat, payload } of items) {
        if (known.has(key)) continue;
        known.add(key);
        fresh.push({ key, chat, payload, receivedAt: now.toISOString() });
      }
      draft.inbox = [...draft.inbox.filter((e) => e.doneAt === undefined || e.doneAt >= oldest), ...fresh];
      return { result: fresh.map(item) };
    });
  }

  pending(): InboxItem[] {
    return this.inner
      .read()
      .inbox.filter((e) => e.doneAt === undefined)
      .map(item);
  }

  handling<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.current.run(key, work);
  }

  /** Marks are batched: every `done` that arrives before the queued write runs goes into it. */
  done(key: string): Promise<void> {
    this.finished.add(key);
    if (this.batch) return this.batch.written;
    const batch: { written: Promise<void> } = { written: Promise.resolve() };
    this.batch = batch;
    batch.written = this.inner.update((draft) => {
      if (this.batch === batch) this.batch = null;
      const keys = this.finished;
      this.finished = new Set();
      const at = this.now().toISOString();
      draft.inbox = draft.inbox.map((e) => (keys.has(e.key) && e.doneAt === undefined ? doneEntry(e, at) : e));
      return { result: undefined };
    });
    void batch.written.catch(() => {
      if (this.batch === batch) this.batch = null;
    });
    return batch.written;
  }
}
