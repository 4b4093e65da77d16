import type { Store } from "./types.ts";

const queues = new WeakMap<Store, Map<string, Promise<unknown>>>();

/**
 * Runs `work` when no other work of the same `name` runs on `store`: in this process (a queue
 * per store and name, in call order) and, where several processes share the store
 * (PostgreSQL), in any of them (`store.exclusive`: it waits for the other process, then
 * refreshes the state). For the daily runs: the cron tick, the catch-up at start, the retry
 * tick and `:nhac` may meet, and so may two instances. Rejects with `work`'s error.
 */
export function oneAtATime<T>(store: Store, name: string, work: () => Promise<T>): Promise<T> {
  let byName = queues.get(store);
  if (!byName) queues.set(store, (byName = new Map()));
  const previous = byName.get(name) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => (store.exclusive ? store.exclusive(name, work) : work()));
  byName.set(
    name,
    next.catch(() => undefined),
  );
  return next;
}
