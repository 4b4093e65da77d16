/**
 * Issue 13, item 8: a reminder or digest run that fails, is left incomplete, or is missed by
 * node-cron is retried the same day, once it can succeed — and never twice once completed.
 */
import { describe, expect, it } from "vitest";
import { vnInstant } from "../../src/core/calendar.ts";
import { digestRetry, runDigests } from "../../src/jobs/digests.ts";
import { reminderJob, reminderRetry } from "../../src/jobs/reminders.ts";
import type { Store } from "../../src/store/types.ts";
import { botWith, COORD_CHAT, kienGiang, RecordingChat } from "../digest/fixtures.ts";
import { SendError, type OutgoingMessage, type SendOptions } from "../../src/chat/types.ts";
import { assignment, at, binding, capturingLog, COORD, dated, makeRuntime, task } from "./fixtures.ts";

const AGENCIES = ["so-tu-phap", "so-tai-chinh", "so-y-te"];
const chatOf = (agency: string) => `tg:-${agency}`;
const plan = {
  tasks: [task("A1", dated("2021-03-31"))],
  assignments: AGENCIES.map((a) => assignment("A1", a)),
  bindings: [...AGENCIES.map((a) => binding(chatOf(a), a)), binding("tg:-snv", COORD)],
};
const fastRun = { sleep: async () => undefined };

/** The store's writes fail while `failing()` says so, as on a full disk. */
function diskFull(store: Store, failing: () => boolean): void {
  const update = store.update.bind(store);
  (store as { update: Store["update"] }).update = (fn) =>
    failing() ? Promise.reject(new Error("ENOSPC: no space left on device, write")) : update(fn);
}

describe("reminders: same-day retry", () => {
  it("a run failing at 08:00 (disk full) succeeds on a retry tick after the backoff, once; later ticks send nothing", async () => {
    const { runtime, chat } = makeRuntime(plan);
    let full = true;
    diskFull(runtime.store, () => full);
    const retry = reminderRetry(runtime, { run: fastRun });

    await retry.tick(at("2021-03-31", "08:00"), true);
    expect(chat.sent).toEqual([]);
    expect(retry.failuresInARow).toBe(1);
    expect(retry.nextAttemptAt).toEqual(at("2021-03-31", "08:05"));

    full = false;
    await retry.tick(at("2021-03-31", "08:03")); // still backing off
    expect(chat.sent).toEqual([]);
    await retry.tick(at("2021-03-31", "08:05"));
    expect(chat.sent.map((s) => s.chatId).sort()).toEqual(AGENCIES.map(chatOf).sort());
    expect(retry.failuresInARow).toBe(0);
    expect(runtime.store.read().runLog[0].completedAt).toBeDefined();

    for (const time of ["08:10", "12:00", "17:55"]) await retry.tick(at("2021-03-31", time));
    expect(chat.sent).toHaveLength(3);
  });

  it("the Bot API down at 08:00: the run is left incomplete, retried with a growing backoff, each group gets it once", async () => {
    const { runtime, chat } = makeRuntime(plan);
    let down = true;
    chat.script = () => (down ? "transient" : "ok");
    const retry = reminderRetry(runtime, { run: fastRun });

    await retry.tick(at("2021-03-31", "08:00"), true);
    expect(runtime.store.read().runLog[0].completedAt).toBeUndefined();
    expect(retry.nextAttemptAt).toEqual(at("2021-03-31", "08:05"));
    await retry.tick(at("2021-03-31", "08:05"));
    expect(retry.nextAttemptAt).toEqual(at("2021-03-31", "08:15")); // 5, then 10 minutes
    expect(chat.sent).toEqual([]);

    down = false;
    await retry.tick(at("2021-03-31", "08:10"));
    expect(chat.sent).toEqual([]);
    await retry.tick(at("2021-03-31", "08:15"));
    expect(chat.sent.map((s) => s.chatId).sort()).toEqual(AGENCIES.map(chatOf).sort());
    await retry.tick(at("2021-03-31", "08:20"));
    expect(chat.sent).toHaveLength(3);
  });

  it("no run and no retry on a non-working day, nor before REMINDER_TIME", async () => {
    const { runtime, chat } = makeRuntime(plan);
    let attempts = 0;
    diskFull(runtime.store, () => {
      attempts++;
      return true;
    });
    const retry = reminderRetry(runtime, { run: fastRun });
    for (const time of ["08:00", "08:05", "12:00"]) await retry.tick(at("2021-04-03", time), true); // Saturday
    await retry.tick(at("2021-03-31", "07:55"), true);
    expect(attempts).toBe(0);
    expect(retry.failuresInARow).toBe(0);
    expect(chat.sent).toEqual([]);
  });

  it("node-cron's missed execution (a busy event loop across REMINDER_TIME) runs the day's reminders at once", async () => {
    const slot = Math.ceil((Date.now() + 1200) / 1000) * 1000;
    const vn = new Date(slot + 7 * 3600_000).toISOString().slice(11, 19);
    if (vn < "00:00:10") return; // the test's clock trick needs the slot not to fall right after midnight
    let now = at("2021-03-31", "00:00");
    const capture = capturingLog();
    const { runtime, chat } = makeRuntime(plan, { clock: () => now, env: { REMINDER_TIME: vn }, log: capture.log });
    const job = reminderJob(runtime);
    await job.start!(); // before REMINDER_TIME on the test clock: nothing yet
    expect(chat.sent).toEqual([]);
    now = at("2021-03-31", "23:59");
    const until = slot + 2300; // node-cron tolerates 1 s of lateness, counted in whole seconds
    while (Date.now() < until) {
      // the event loop is busy across the scheduled second
    }
    await capture.when(/missed REMINDER_TIME/);
    await job.stop!();
    expect(chat.sent.map((s) => s.chatId).sort()).toEqual(AGENCIES.map(chatOf).sort());
  });
});

/** A RecordingChat whose text sends fail (transient) while `down()`, or hang up uncertainly once. */
class FlakyChat extends RecordingChat {
  down = false;
  uncertainOnce = false;
  override async send(chatId: string, message: OutgoingMessage, options: SendOptions = {}) {
    if (this.down) throw new SendError("Telegram 502: Bad Gateway", false);
    await options.onWire?.();
    if (this.uncertainOnce) {
      this.uncertainOnce = false;
      throw new SendError("Telegram không trả lời: timeout", false, { uncertain: true });
    }
    return super.send(chatId, message);
  }
}

describe("digests: same-day retry", () => {
  it("a digest whose text could not be sent at 08:30 is sent by a later tick, once", async () => {
    const monday = vnInstant("2021-05-10", "08:30");
    const { runtime } = await botWith(await kienGiang(), monday);
    const chat = new FlakyChat();
    runtime.outbox.attach(chat);
    const retry = digestRetry(runtime);
    chat.down = true;
    await retry.tick(monday, true);
    expect(chat.sent).toEqual([]);
    expect(runtime.store.read().runLog[0].completedAt).toBeUndefined();
    chat.down = false;
    await retry.tick(vnInstant("2021-05-10", "08:35"));
    expect(chat.sent.map((s) => (s.text ? "text" : s.file!.kind))).toEqual(["text", "photo"]);
    expect(runtime.store.read().runLog[0].completedAt).toBeDefined();
    await retry.tick(vnInstant("2021-05-10", "09:00"));
    await retry.tick(vnInstant("2021-05-10", "16:00"));
    expect(chat.sent).toHaveLength(2);
  });

  it("a digest run failing on the store is retried; one whose text was on the wire is not sent twice", async () => {
    const monday = vnInstant("2021-05-10", "08:30");
    const { runtime } = await botWith(await kienGiang(), monday);
    const chat = new FlakyChat();
    runtime.outbox.attach(chat);
    let full = true;
    diskFull(runtime.store, () => full);
    const retry = digestRetry(runtime);
    await retry.tick(monday, true);
    expect(retry.failuresInARow).toBe(1);
    expect(chat.sent).toEqual([]);
    full = false;
    chat.uncertainOnce = true;
    await retry.tick(vnInstant("2021-05-10", "08:35"));
    expect(runtime.store.read().sendLog).toEqual([
      expect.objectContaining({ key: `2021-05-10|digest-weekly|${COORD_CHAT}`, status: "delivered", uncertainParts: [1] }),
    ]);
    expect(await runDigests(runtime, vnInstant("2021-05-10", "10:00"))).toBeNull();
    expect(chat.sent.filter((s) => s.text)).toEqual([]);
  });

  it("nothing on a day off", async () => {
    const holiday = vnInstant("2021-05-03", "08:30");
    const { runtime, chat } = await botWith(await kienGiang(), holiday);
    const retry = digestRetry(runtime);
    await retry.tick(holiday, true);
    await retry.tick(vnInstant("2021-05-03", "12:00"));
    expect(chat.sent).toEqual([]);
    expect(runtime.store.read().runLog).toEqual([]);
  });

  it("a digest follows the Sở Nội vụ group to its new id (binding moved)", async () => {
    const monday = vnInstant("2021-05-10", "08:30");
    const { runtime } = await botWith(await kienGiang(), monday);
    const chat = new (class extends RecordingChat {
      override async send(chatId: string, message: OutgoingMessage) {
        if (chatId === COORD_CHAT)
          throw new SendError("Telegram 400: group chat was upgraded to a supergroup chat", true, { movedTo: "tg:-100777" });
        return super.send(chatId, message);
      }
    })();
    runtime.outbox.attach(chat);
    const run = await runDigests(runtime, monday);
    expect(run).toMatchObject({ complete: true, chats: ["tg:-100777"] });
    expect(chat.sent.map((s) => [s.chatId, s.text ? "text" : s.file!.kind])).toEqual([
      ["tg:-100777", "text"],
      ["tg:-100777", "photo"],
    ]);
    expect(runtime.store.read().bindings.find((b) => b.agencyId === "so-noi-vu")!.chatId).toBe("tg:-100777");
  });
});
