/**
 * The durable inbox of chat updates: the protocol that makes a crash lose no command and apply
 * none twice. Updates are kept in their own append-only file (src/store/inbox-file.ts); the
 * mark "a change of this update is saved" lives in the store, written with the change.
 *
 * Protocol, for an adapter (src/chat/telegram.ts):
 *   1. `accept(updates)` appends them to `inbox.jsonl` (fsynced) BEFORE the platform is told
 *      they arrived (the webhook's 200, the next getUpdates offset). A crash before that: the
 *      platform sends them again. Keys seen in the last day are dropped (a re-delivery).
 *      Handling may start once they are written, while the fsync runs (`accept`'s `written`):
 *      a change it saves before the inbox line is durable is marked applied, so after a crash
 *      the platform's re-delivery is recognised and not applied again.
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
import { Refusal } from "../core/refusal.ts";

/**
 * Refuses a change for an update another process already applied (several instances on one
 * database: an update handled again after its lease ran out). Nothing changes.
 */
export const ALREADY_APPLIED =
  "✅ Yêu cầu này đã được ghi nhận trước đó (có thể bạn chưa nhận được trả lời). Không cần gửi lại; xem /chitiet hoặc /lichsu để kiểm tra.";

const keySets = new WeakMap<readonly { key: string }[], Set<string>>();

/** The keys of a state's `appliedUpdates` (frozen: the set is made once per list). */
function appliedKeys(list: readonly { key: string }[]): Set<string> {
  let keys = keySets.get(list);
  if (!keys) {
    keys = new Set(list.map((a) => a.key));
    if (Object.isFrozen(list)) keySets.set(list, keys);
  }
  return keys;
}

/**
 * The inbox, and the store every change must go through for the "applied" mark: use
 * `inbox.store` (a wrapper of `store`) for everything the bot does. Closing it closes the file.
 */
export class StoreInbox implements UpdateInbox {
  /** `store`, with each update marking the update being handled (if any) in the same write. */
  readonly store: Store;
  /** The update being handled, and whether this handling has marked it applied yet. */
  private readonly current = new AsyncLocalStorage<{ key: string; marked: boolean }>();
  private finished = new Set<string>();
  /** The store's revision when each update waiting here was accepted (a shared store), until handled. */
  private readonly seen = new Map<string, number>();
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
      refresh: inner.refresh?.bind(inner),
      exclusive: inner.exclusive?.bind(inner),
      sharedSecret: inner.sharedSecret?.bind(inner),
      events: (filter) => inner.events(filter),
      sendLogArchive: inner.sendLogArchive,
      async close() {
        await inner.close();
        await file.close();
      },
      async update<T>(fn: (draft: StoreData) => Mutation<T>): Promise<T> {
        const handling = inbox.current.getStore();
        if (handling === undefined) return inner.update(fn);
        const { key } = handling;
        // `fn` may run again on a newer state (another process wrote first): nothing here
        // changes outside the draft until the write succeeded.
        const result = await inner.update((draft) => {
          // Marked, but not by this handling: another process applied this update already.
          // (The state `draft` was made from, looked up through its key set.)
          const marked = appliedKeys(inner.read().appliedUpdates).has(key);
          if (marked && !handling.marked) throw new Refusal(ALREADY_APPLIED);
          const mutation = fn(draft);
          if (!marked) {
            const now = inbox.now();
            const oldest = new Date(now.getTime() - KEEP_DONE_MS).toISOString();
            // Oldest first: filtered only when the first one is out of the window.
            const list = draft.appliedUpdates;
            const kept = (list[0]?.at ?? oldest) < oldest ? list.filter((a) => a.at >= oldest) : list;
            kept.push({ key, at: now.toISOString() });
            draft.appliedUpdates = kept;
          }
          return mutation;
        });
        handling.marked = true; // a failed write left no mark: the next one adds it
        return result;
      },
    };
  }

  private applied(key: string): boolean {
    return appliedKeys(this.inner.read().appliedUpdates).has(key);
  }

  async accept(items: { key: string; chat: string; payload: unknown }[], written?: (fresh: InboxItem[]) => void): Promise<InboxItem[]> {
    const at = this.now().toISOString();
    const unique = new Map<string, { key: string; chat: string; payload: unknown; at: string }>();
    for (const { key, chat, payload } of items) if (!unique.has(key)) unique.set(key, { key, chat, payload, at });
    const item = ({ key, chat, payload }: { key: string; chat: string; payload: unknown }) => ({ key, chat, payload, applied: false });
    const fresh = await this.file.accept([...unique.values()], written && ((early) => written(early.map(item))));
    for (const { key, rev } of fresh) if (rev !== undefined) this.seen.set(key, rev);
    return fresh.map(item);
  }

  /** See `UpdateInbox.takeOver`: none where one process owns the inbox (the file). */
  async takeOver(prefix: string, atStart = false): Promise<InboxItem[]> {
    if (!this.file.takeOver) return [];
    const taken = await this.file.takeOver(prefix, atStart);
    if (taken.length) await this.inner.refresh?.(); // their "applied" marks may be another instance's
    return taken.map(({ key, chat, payload }) => ({ key, chat, payload, applied: this.applied(key) }));
  }

  pending(): InboxItem[] {
    return this.file.pending().map(({ key, chat, payload }) => ({ key, chat, payload, applied: this.applied(key) }));
  }

  /**
   * Runs `work` as the handling of `key`, on a state at least as new as when the update was
   * accepted (`refresh(seen)` first, where several processes share the store: no query when
   * this process is there already; a write on an older state is retried by the store anyway).
   */
  async handling<T>(key: string, work: () => Promise<T>): Promise<T> {
    const seen = this.seen.get(key);
    this.seen.delete(key);
    await this.inner.refresh?.(seen);
    return this.current.run({ key, marked: false }, work);
  }

  /**
   * Marks are batched: every `done` that arrives before the queued append runs goes into it.
   * While the store refuses updates (`problem()`: a failed write, a lost database), nothing is
   * marked: what was handled meanwhile could not be saved, so it is handled again after the
   * restart that recovers the store (an update whose change did get saved is recognised by its
   * "applied" mark and only its sender told).
   */
  done(key: string): Promise<void> {
    if (this.inner.problem?.()) return Promise.resolve();
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
