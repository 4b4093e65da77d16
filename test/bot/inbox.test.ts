/**
 * The durable inbox (src/bot/inbox.ts over src/store/inbox-file.ts) on real files: updates
 * kept before they are confirmed, re-deliveries dropped, a change saved while handling marked
 * in the same write as the change, what a crash leaves listed on reopening, a torn last line,
 * and the day for which handled keys are remembered.
 */
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALREADY_APPLIED, StoreInbox } from "../../src/bot/inbox.ts";
import { Refusal } from "../../src/core/refusal.ts";
import { openFileStore } from "../../src/store/file.ts";
import { INBOX_FILE, openInboxFile } from "../../src/store/inbox-file.ts";
import type { Store } from "../../src/store/types.ts";
import { tempDir } from "../support/env.ts";

let dir: string;
let cleanup: () => Promise<void>;
let inbox: StoreInbox;
let clock = new Date("2021-03-25T01:00:00Z");
const now = () => clock;

async function openInbox(): Promise<StoreInbox> {
  return new StoreInbox(await openFileStore(dir), await openInboxFile(dir, now()), now);
}

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("dondoc-inbox-"));
  clock = new Date("2021-03-25T01:00:00Z");
  inbox = await openInbox();
});
afterEach(async () => {
  await inbox.store.close().catch(() => undefined);
  await cleanup();
});

const update = (n: number, chat = "tg:-1") => ({ key: `tg:${n}`, chat, payload: { update_id: n } });
const bindSomething = (store: Store, chatId: string) =>
  store.update((d) => {
    d.bindings = [...d.bindings, { chatId, platform: "tg", agencyId: "so-tu-phap", boundAt: now().toISOString(), boundBy: "tg:1" }];
    return { result: null };
  });
/** Close everything, as a crash leaves the files (all writes here were awaited), and open again. */
async function restart(): Promise<void> {
  await inbox.store.close();
  inbox = await openInbox();
}

describe("StoreInbox", () => {
  it("keeps accepted updates (on disk before accept resolves) and drops a re-delivery", async () => {
    expect((await inbox.accept([update(1), update(2), update(2)])).map((i) => i.key)).toEqual(["tg:1", "tg:2"]);
    expect(await readFile(join(dir, INBOX_FILE), "utf8")).toContain('"key":"tg:2"');
    expect((await inbox.accept([update(2), update(3)])).map((i) => i.key)).toEqual(["tg:3"]);
    expect(inbox.pending().map((i) => i.key)).toEqual(["tg:1", "tg:2", "tg:3"]);
    await inbox.done("tg:2");
    expect(inbox.pending().map((i) => i.key)).toEqual(["tg:1", "tg:3"]);
    // Handled, but a re-delivery is still recognised — also after a restart.
    expect(await inbox.accept([update(2)])).toEqual([]);
    await restart();
    expect(await inbox.accept([update(2)])).toEqual([]);
    expect(inbox.pending().map((i) => i.key)).toEqual(["tg:1", "tg:3"]);
  });

  it("marks an update applied in the same write as the change made while handling it", async () => {
    await inbox.accept([update(1), update(2), update(3)]);
    let markedInThatWrite = false;
    await inbox.handling("tg:1", async () => {
      await bindSomething(inbox.store, "tg:-1");
      const data = inbox.store.read();
      markedInThatWrite = data.bindings.length === 1 && data.appliedUpdates.some((a) => a.key === "tg:1");
    });
    expect(markedInThatWrite).toBe(true);
    // Read-only handling, and a change that failed, mark nothing.
    await inbox.handling("tg:2", async () => inbox.store.read());
    await expect(
      inbox.handling("tg:3", () =>
        inbox.store.update(() => {
          throw new Error("refused");
        }),
      ),
    ).rejects.toThrow("refused");
    // Outside handling (a reminder run), nothing is marked.
    await bindSomething(inbox.store, "tg:-9");
    expect(inbox.pending().map((i) => [i.key, i.applied])).toEqual([
      ["tg:1", true],
      ["tg:2", false],
      ["tg:3", false],
    ]);
    expect(inbox.store.read().appliedUpdates.map((a) => a.key)).toEqual(["tg:1"]);
  });

  it("lists, after a crash, what was accepted and not handled — applied or not", async () => {
    await inbox.accept([update(1), update(2), update(3)]);
    await inbox.handling("tg:1", () => bindSomething(inbox.store, "tg:-1"));
    await inbox.done("tg:1");
    await inbox.handling("tg:2", () => bindSomething(inbox.store, "tg:-2"));
    // "Crash": tg:2 applied but never marked done, tg:3 never handled.
    await restart();
    expect(inbox.pending()).toEqual([
      { key: "tg:2", chat: "tg:-1", payload: { update_id: 2 }, applied: true },
      { key: "tg:3", chat: "tg:-1", payload: { update_id: 3 }, applied: false },
    ]);
    expect(inbox.store.read().bindings.map((b) => b.chatId)).toEqual(["tg:-1", "tg:-2"]);
  });

  it("hands an update over once written, before it is durable; a change saved then, its inbox line lost in a crash, is not applied again", async () => {
    const order: string[] = [];
    let handled: Promise<unknown> = Promise.resolve();
    const accepted = inbox
      .accept([update(5)], (written) => {
        order.push(`written ${written.map((i) => i.key)}`);
        handled = inbox.handling("tg:5", () => bindSomething(inbox.store, "tg:-5"));
      })
      .then(() => order.push("durable"));
    await accepted;
    await handled;
    expect(order).toEqual(["written tg:5", "durable"]); // handed over before accept resolved
    // A crash before the inbox line reached the disk (the change's journal batch did): the
    // platform was never told, so it sends the update again after the restart.
    const lines = (await readFile(join(dir, INBOX_FILE), "utf8")).split("\n").filter((l) => l && !l.includes('"tg:5"'));
    await writeFile(join(dir, INBOX_FILE), lines.map((l) => `${l}\n`).join(""));
    await restart();
    expect((await inbox.accept([update(5)])).map((i) => i.key)).toEqual(["tg:5"]);
    const error = await inbox.handling("tg:5", () => bindSomething(inbox.store, "tg:-5")).catch((e) => e);
    expect(error).toBeInstanceOf(Refusal);
    expect(error.message).toBe(ALREADY_APPLIED);
    expect(inbox.store.read().bindings.map((b) => b.chatId)).toEqual(["tg:-5"]);
  });

  it("ignores a torn last line (an append a crash cut short was never acknowledged)", async () => {
    await inbox.accept([update(1)]);
    await appendFile(join(dir, INBOX_FILE), '{"t":"in","key":"tg:2","chat":"tg:-1","at":"2021-03-25T0');
    await restart();
    expect(inbox.pending().map((i) => i.key)).toEqual(["tg:1"]);
    expect((await inbox.accept([update(2)])).map((i) => i.key)).toEqual(["tg:2"]);
  });

  it("batches done marks, and forgets handled keys after a day", async () => {
    await inbox.accept([update(1), update(2), update(3), update(4)]);
    await Promise.all(["tg:1", "tg:2", "tg:3"].map((k) => inbox.done(k)));
    const lines = (await readFile(join(dir, INBOX_FILE), "utf8")).trim().split("\n");
    expect(lines.filter((l) => l.includes('"t":"done"'))).toHaveLength(3);
    clock = new Date("2021-03-26T02:00:00Z");
    await restart();
    expect(inbox.pending().map((i) => i.key)).toEqual(["tg:4"]);
    expect((await inbox.accept([update(1)])).map((i) => i.key)).toEqual(["tg:1"]); // a day later: no longer known
    expect((await readFile(join(dir, INBOX_FILE), "utf8")).trim().split("\n")).toHaveLength(2);
  });
});
