/**
 * The adapters' handling queue (src/chat/chat-queue.ts) and the inbox's `done` when the store
 * fails: an update whose handling failed around the handler (the store could not be read or
 * refreshed), or that was handled while the store refused writes, is NOT marked done — it stays
 * in the inbox and is handled again after the restart that recovers the store (found by a
 * newcomer: a command sent after PostgreSQL restarted was answered 200, marked done, and lost).
 */
import { describe, expect, it } from "vitest";
import { StoreInbox } from "../../src/bot/inbox.ts";
import { ChatQueue } from "../../src/chat/chat-queue.ts";
import type { InboxItem, UpdateInbox } from "../../src/chat/types.ts";
import type { InboxFile, InboxRecord } from "../../src/store/inbox-file.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import type { Store } from "../../src/store/types.ts";
import { silentLog } from "../support/env.ts";

/** An inbox file in memory: what is waiting, what was marked done. */
function memoryFile(): InboxFile & { doneKeys: string[] } {
  const waiting = new Map<string, InboxRecord>();
  const doneKeys: string[] = [];
  return {
    doneKeys,
    pending: () => [...waiting.values()],
    async accept(records) {
      const fresh = records.filter((r) => !waiting.has(r.key) && !doneKeys.includes(r.key));
      for (const r of fresh) waiting.set(r.key, r);
      return fresh;
    },
    async done(keys) {
      for (const k of keys) {
        waiting.delete(k);
        doneKeys.push(k);
      }
    },
    async close() {},
  };
}

const item = (key: string): InboxItem => ({ key, chat: "tg:-1", payload: {}, applied: false });

async function handled(inbox: UpdateInbox, handle: (entry: InboxItem) => Promise<void>, keys: string[]) {
  const queue = new ChatQueue({ inbox, log: silentLog, name: "test", concurrency: 4, handle, tellApplied: async () => undefined });
  for (const k of keys) queue.schedule(item(k));
  await queue.idle();
}

describe("an update is marked done only when the store could take its change", () => {
  it("a failure around the handler (the store cannot be refreshed) leaves the update waiting", async () => {
    const file = memoryFile();
    let broken = false;
    const base = createMemoryStore();
    const store: Store = { ...base, refresh: async () => (broken ? Promise.reject(new Error("connection lost")) : undefined) };
    const inbox = new StoreInbox(store, file, () => new Date("2026-03-02T01:00:00Z"));
    await inbox.accept([item("tg:1"), item("tg:2")]);
    let ran = 0;
    await handled(inbox, async () => void ran++, ["tg:1"]);
    broken = true;
    await handled(inbox, async () => void ran++, ["tg:2"]);
    expect(ran).toBe(1); // tg:2's handler never ran: the refresh failed first
    expect(file.doneKeys).toEqual(["tg:1"]);
    expect(file.pending().map((r) => r.key)).toEqual(["tg:2"]); // handled again after a restart
  });

  it("handled while the store refuses writes: not marked done (the router had answered the error)", async () => {
    const file = memoryFile();
    let problem: string | null = null;
    const base = createMemoryStore();
    const store: Store = { ...base, problem: () => problem };
    const inbox = new StoreInbox(store, file, () => new Date("2026-03-02T01:00:00Z"));
    await inbox.accept([item("tg:1"), item("tg:2")]);
    await handled(inbox, async () => undefined, ["tg:1"]);
    problem = "Mất kết nối với PostgreSQL";
    await handled(inbox, async () => undefined, ["tg:2"]);
    expect(file.doneKeys).toEqual(["tg:1"]);
    expect(file.pending().map((r) => r.key)).toEqual(["tg:2"]);
  });
});
