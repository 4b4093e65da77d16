/**
 * The durable inbox (src/bot/inbox.ts) on the real file store: updates kept before they are
 * confirmed, re-deliveries dropped, a change saved while handling marked in the same write,
 * and what a crash leaves listed on reopening.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreInbox } from "../../src/bot/inbox.ts";
import { openFileStore } from "../../src/store/file.ts";
import type { Store } from "../../src/store/types.ts";
import { tempDir } from "../support/env.ts";

let dir: string;
let cleanup: () => Promise<void>;
let files: Store;
let clock = new Date("2021-03-25T01:00:00Z");
const now = () => clock;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("dondoc-inbox-"));
  files = await openFileStore(dir);
  clock = new Date("2021-03-25T01:00:00Z");
});
afterEach(async () => {
  await files.close().catch(() => undefined);
  await cleanup();
});

const update = (n: number, chat = "tg:-1") => ({ key: `tg:${n}`, chat, payload: { update_id: n } });
const bindSomething = (store: Store, chatId: string) =>
  store.update((d) => {
    d.bindings = [...d.bindings, { chatId, platform: "tg", agencyId: "so-tu-phap", boundAt: now().toISOString(), boundBy: "tg:1" }];
    return { result: null };
  });

describe("StoreInbox", () => {
  it("keeps accepted updates and drops a re-delivery of one it holds", async () => {
    const inbox = new StoreInbox(files, now);
    expect((await inbox.accept([update(1), update(2)])).map((i) => i.key)).toEqual(["tg:1", "tg:2"]);
    expect((await inbox.accept([update(2), update(3)])).map((i) => i.key)).toEqual(["tg:3"]);
    expect(inbox.pending().map((i) => i.key)).toEqual(["tg:1", "tg:2", "tg:3"]);
    await inbox.done("tg:2");
    // Handled: no longer pending, payload dropped, but a re-delivery is still recognised.
    expect(inbox.pending().map((i) => i.key)).toEqual(["tg:1", "tg:3"]);
    expect(files.read().inbox.find((e) => e.key === "tg:2")?.payload).toBeUndefined();
    expect(await inbox.accept([update(2)])).toEqual([]);
  });

  it("marks an update applied in the same write as the change made while handling it", async () => {
    const inbox = new StoreInbox(files, now);
    await inbox.accept([update(1), update(2), update(3)]);
    let seenInWrite: string | undefined;
    await inbox.handling("tg:1", async () => {
      await bindSomething(inbox.store, "tg:-1");
      seenInWrite = files.read().inbox.find((e) => e.key === "tg:1")?.appliedAt;
    });
    expect(seenInWrite).toBe(clock.toISOString());
    // Read-only handling, and a change that failed, mark nothing.
    await inbox.handling("tg:2", async () => inbox.store.read());
    await expect(
      inbox.handling("tg:3", () =>
        inbox.store.update(() => {
          throw new Error("refused");
        }),
      ),
    ).rejects.toThrow("refused");
    // Outside handling (a reminder run), the store is untouched by the inbox.
    await bindSomething(inbox.store, "tg:-9");
    expect(inbox.pending().map((i) => [i.key, i.applied])).toEqual([
      ["tg:1", true],
      ["tg:2", false],
      ["tg:3", false],
    ]);
  });

  it("lists, after a crash, what was accepted and not handled — applied or not", async () => {
    const inbox = new StoreInbox(files, now);
    await inbox.accept([update(1), update(2), update(3)]);
    await inbox.handling("tg:1", () => bindSomething(inbox.store, "tg:-1"));
    await inbox.done("tg:1");
    await inbox.handling("tg:2", () => bindSomething(inbox.store, "tg:-2"));
    // "Crash": tg:2 applied but never marked done, tg:3 never handled.
    await files.close();
    files = await openFileStore(dir);
    const reopened = new StoreInbox(files, now);
    expect(reopened.pending()).toEqual([
      { key: "tg:2", chat: "tg:-1", payload: { update_id: 2 }, applied: true },
      { key: "tg:3", chat: "tg:-1", payload: { update_id: 3 }, applied: false },
    ]);
    expect(files.read().bindings.map((b) => b.chatId)).toEqual(["tg:-1", "tg:-2"]);
  });

  it("batches done marks into one write and forgets handled keys after a day", async () => {
    const inbox = new StoreInbox(files, now);
    await inbox.accept([update(1), update(2), update(3), update(4)]);
    const seqBefore = files.read();
    await Promise.all(["tg:1", "tg:2", "tg:3"].map((k) => inbox.done(k)));
    const after = files.read();
    expect(after.inbox.filter((e) => e.doneAt).map((e) => e.key)).toEqual(["tg:1", "tg:2", "tg:3"]);
    expect(after).not.toBe(seqBefore);
    clock = new Date("2021-03-26T02:00:00Z");
    await inbox.accept([update(5)]);
    expect(files.read().inbox.map((e) => e.key)).toEqual(["tg:4", "tg:5"]);
  });
});
