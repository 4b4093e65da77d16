/**
 * Issue 13, delivery items 4, 7 and 9: what is recorded as on its way (only what was put on
 * the wire), one stuck group not holding the others, and a group that became a supergroup.
 */
import { describe, expect, it } from "vitest";
import { SendLogEntry } from "../../src/core/schemas.ts";
import { catchUp, runReminders, type RunOptions } from "../../src/reminders/dispatch.ts";
import type { StoreData } from "../../src/store/types.ts";
import { agencies, assignment, at, binding, capturingLog, COORD, Crash, dated, makeRuntime, task } from "./fixtures.ts";

const fast: RunOptions = { sleep: async () => undefined };
const serial: RunOptions = { ...fast, concurrency: 1 };
const chatOf = (agency: string) => `tg:-${agency}`;
const SNV = "tg:-snv";

/** `n` agencies (not the coordinator), each with task A1 due on 31/03/2021, each group bound. */
function groups(n: number): { data: Partial<StoreData>; ids: string[] } {
  const ids = agencies
    .filter((a) => !a.collective && a.id !== COORD)
    .slice(0, n)
    .map((a) => a.id);
  return {
    ids,
    data: {
      tasks: [task("A1", dated("2021-03-31"))],
      assignments: ids.map((a) => assignment("A1", a)),
      bindings: [...ids.map((a) => binding(chatOf(a), a)), binding(SNV, COORD)],
    },
  };
}

/** One agency (Sở Tư pháp) with enough items for a message of several parts. */
function longPlan(): Partial<StoreData> {
  const codes = Array.from({ length: 120 }, (_, i) => `L${i + 1}`);
  return {
    tasks: codes.map((c) =>
      task(c, dated("2021-03-31"), { title: `${"Rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý ".repeat(3)}${c}` }),
    ),
    assignments: codes.map((c) => assignment(c, "so-tu-phap")),
    bindings: [binding(chatOf("so-tu-phap"), "so-tu-phap")],
  };
}

const entryOf = (runtime: ReturnType<typeof makeRuntime>["runtime"], chatId: string) =>
  runtime.store.read().sendLog.find((e) => e.chatId === chatId)!;

describe("item 4: only a part put on the wire is uncertain", () => {
  it("a crash while the group's only part waits in the throttler: the restarted bot sends it (the group is not left without)", async () => {
    const { data, ids } = groups(4);
    const { runtime, chat } = makeRuntime(data);
    const victim = chatOf(ids[1]);
    chat.script = (_n, chatId) => (chatId === victim ? "crash-queued" : "ok");
    await expect(runReminders(runtime, at("2021-03-31"), serial)).rejects.toBeInstanceOf(Crash);
    expect(entryOf(runtime, victim)).toMatchObject({ status: "sending", partsDelivered: 0, wirePart: 0 });
    expect(chat.to(victim)).toEqual([]);

    chat.script = () => "ok";
    const report = await catchUp(runtime, at("2021-03-31", "08:05"), fast);
    expect(report!.uncertain).toEqual([]);
    for (const id of ids) expect(chat.to(chatOf(id))).toHaveLength(1);
    expect(chat.to(victim)[0].text).not.toContain("có thể đã không đến");
    expect(entryOf(runtime, victim)).toMatchObject({ status: "delivered", partsDelivered: 1, wirePart: 0 });
  });

  it("a crash while part 2 of a long message waits in the queue: every part arrives exactly once", async () => {
    const { runtime, chat } = makeRuntime(longPlan());
    const planned = (await runReminders(runtime, at("2021-03-31"), { dryRun: true })).planned[0];
    expect(planned.parts.length).toBeGreaterThanOrEqual(3);
    chat.script = (n) => (n === 2 ? "crash-queued" : "ok");
    await expect(runReminders(runtime, at("2021-03-31"), serial)).rejects.toBeInstanceOf(Crash);
    expect(runtime.store.read().sendLog[0]).toMatchObject({ status: "sending", partsDelivered: 1, wirePart: 0 });

    chat.script = () => "ok";
    const report = await catchUp(runtime, at("2021-03-31", "08:05"), fast);
    expect(report!.resumed).toEqual([expect.objectContaining({ uncertainPart: null, partsSent: planned.parts.length - 1 })]);
    const texts = chat.sent.map((s) => s.text);
    expect(texts).toHaveLength(planned.parts.length);
    expect(texts[0]).toBe(planned.parts[0]);
    expect(texts[1]).toBe(`(Tiếp theo tin nhắc việc ngày 31/03/2021.)\n${planned.parts[1]}`);
    expect(texts.slice(2)).toEqual(planned.parts.slice(2));
  });

  it("a crash with part 2 on the wire: recorded before the request left; counted delivered, never resent", async () => {
    const { runtime, chat } = makeRuntime(longPlan());
    const planned = (await runReminders(runtime, at("2021-03-31"), { dryRun: true })).planned[0];
    chat.script = (n) => (n === 2 ? "crash-before" : "ok");
    await expect(runReminders(runtime, at("2021-03-31"), serial)).rejects.toBeInstanceOf(Crash);
    expect(runtime.store.read().sendLog[0]).toMatchObject({
      status: "sending",
      partsDelivered: 1,
      wirePart: 2,
      wireAt: expect.any(String),
    });

    chat.script = () => "ok";
    const report = await catchUp(runtime, at("2021-03-31", "08:05"), fast);
    expect(report!.uncertain).toEqual([expect.objectContaining({ part: 2 })]);
    expect(chat.sent).toHaveLength(planned.parts.length - 1);
    expect(chat.sent[1].text).toContain("Bot vừa khởi động lại; phần ngay trước có thể đã không đến.");
    expect(runtime.store.read().sendLog[0]).toMatchObject({ status: "delivered", uncertainParts: [2], wirePart: 0 });
  });

  it("a crash while waiting to retry a refused part (429/5xx answered): the part is off the wire and sent after the restart", async () => {
    const { data, ids } = groups(2);
    const { runtime, chat } = makeRuntime(data);
    const victim = chatOf(ids[0]);
    chat.script = (n) => (n === 1 ? "transient" : "ok");
    const dying: RunOptions = {
      concurrency: 1,
      sleep: async () => {
        throw new Crash("killed during the backoff");
      },
    };
    await expect(runReminders(runtime, at("2021-03-31"), dying)).rejects.toBeInstanceOf(Crash);
    expect(entryOf(runtime, victim)).toMatchObject({ status: "sending", wirePart: 0 });
    chat.script = () => "ok";
    const report = await catchUp(runtime, at("2021-03-31", "08:05"), fast);
    expect(report!.uncertain).toEqual([]);
    for (const id of ids) expect(chat.to(chatOf(id))).toHaveLength(1);
  });

  it("an uncertain SendError during the run is resolved like a crash for that part: not resent, the rest follows with a note", async () => {
    const { runtime, chat } = makeRuntime(longPlan());
    const planned = (await runReminders(runtime, at("2021-03-31"), { dryRun: true })).planned[0];
    chat.script = (n) => (n === 2 ? "uncertain" : "ok");
    const report = await runReminders(runtime, at("2021-03-31"), fast);
    expect(chat.calls).toBe(planned.parts.length); // no retry of part 2
    expect(report.uncertain).toEqual([expect.objectContaining({ part: 2 })]);
    expect(report.completed).toBe(true);
    expect(chat.sent[1].text).toBe(
      `⚠️ (Tiếp theo tin nhắc việc ngày 31/03/2021; phần ngay trước có thể đã không đến.)\n${planned.parts[2]}`,
    );
    for (const s of chat.sent) expect(s.text.length).toBeLessThanOrEqual(4096);
    expect(runtime.store.read().sendLog[0]).toMatchObject({
      status: "delivered",
      partsDelivered: planned.parts.length,
      uncertainParts: [2],
    });
    expect(await catchUp(runtime, at("2021-03-31", "09:00"), fast)).toBeNull();
  });

  it("an uncertain send that did arrive is not doubled", async () => {
    const { data, ids } = groups(3);
    const { runtime, chat } = makeRuntime(data);
    chat.script = (_n, chatId) => (chatId === chatOf(ids[0]) ? "uncertain-delivered" : "ok");
    await runReminders(runtime, at("2021-03-31"), fast);
    chat.script = () => "ok";
    await runReminders(runtime, at("2021-03-31", "14:00"), fast);
    for (const id of ids) expect(chat.to(chatOf(id))).toHaveLength(1);
  });

  it("a store written before wire tracking still loads; its `sending` entry reads as on the wire (at most once)", async () => {
    const legacy = {
      key: `2021-03-31|reminder|${chatOf("so-tu-phap")}`,
      day: "2021-03-31",
      kind: "reminder",
      chatId: chatOf("so-tu-phap"),
      items: ["A1@so-tu-phap#2021-03-31#due"],
      status: "sending",
      partsDelivered: 0,
      parts: 1,
      updatedAt: "2021-03-31T01:00:00.000Z",
    };
    const parsed = SendLogEntry.parse(legacy);
    expect(parsed.wirePart).toBeUndefined();
    const { data } = groups(1);
    const { runtime, chat } = makeRuntime({ ...data, bindings: [binding(chatOf("so-tu-phap"), "so-tu-phap")], sendLog: [parsed] });
    const report = await catchUp(runtime, at("2021-03-31", "08:05"), fast);
    expect(report!.uncertain).toEqual([expect.objectContaining({ part: 1 })]);
    expect(chat.sent).toEqual([]);
  });
});

describe("item 7: one stuck group does not hold the others", () => {
  it("12 groups, one request never answers: the 11 others are delivered meanwhile; the stuck group is named in a warning", async () => {
    const { data, ids } = groups(12);
    const capture = capturingLog();
    const { runtime, chat } = makeRuntime(data, { log: capture.log });
    const stuck = chatOf(ids[0]);
    chat.script = (_n, chatId) => (chatId === stuck ? "hang" : "ok");
    const othersDelivered = new Promise<void>((resolve) => {
      chat.onSent = () => {
        if (chat.sent.length === ids.length - 1) resolve();
      };
    });
    const run = runReminders(runtime, at("2021-03-31"), { ...fast, slowMs: 1, progressEvery: 5 });
    await othersDelivered;
    expect(chat.hanging).toBe(1);
    expect(chat.to(stuck)).toEqual([]);
    const warning = await capture.when(/taking long/);
    expect(warning).toMatchObject({ level: 40, chat: stuck, agency: ids[0] });
    chat.release();
    const report = await run;
    expect(report.sent).toHaveLength(12);
    expect(chat.sent.at(-1)!.chatId).toBe(stuck);
    expect(capture.lines.filter((l) => l.msg === "reminders: progress").map((l) => l.done)).toEqual([5, 10]);
    expect(capture.lines.find((l) => l.msg === "reminders: messages sent")).toMatchObject({ done: 12, total: 12, failed: 0 });
  });

  it("at most REMINDER_CONCURRENCY groups are in flight at once; the parts to one group stay in order", async () => {
    const { data, ids } = groups(12);
    const { runtime, chat } = makeRuntime({ ...data, ...longPlanFor(ids.slice(0, 2)) }, { env: { REMINDER_CONCURRENCY: "3" } });
    let inFlight = 0;
    let most = 0;
    const original = chat.send.bind(chat);
    chat.send = async (chatId, message, options) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await Promise.resolve();
      try {
        return await original(chatId, message, options);
      } finally {
        inFlight--;
      }
    };
    const report = await runReminders(runtime, at("2021-03-31"), fast);
    expect(most).toBe(3);
    const long = report.planned.find((m) => m.chatId === chatOf(ids[0]))!;
    expect(long.parts.length).toBeGreaterThan(1);
    expect(chat.to(chatOf(ids[0])).map((s) => s.text)).toEqual(long.parts);
  });
});

/** Many items for the given agencies, so their messages have several parts. */
function longPlanFor(ids: string[]): Partial<StoreData> {
  const codes = Array.from({ length: 80 }, (_, i) => `L${i + 1}`);
  return {
    tasks: [
      task("A1", dated("2021-03-31")),
      ...codes.map((c) => task(c, dated("2021-03-31"), { title: `${"Rà soát thủ tục hành chính thuộc phạm vi quản lý ".repeat(3)}${c}` })),
    ],
    assignments: [...groups(12).ids.map((a) => assignment("A1", a)), ...ids.flatMap((a) => codes.map((c) => assignment(c, a)))],
  };
}

describe("item 9: a group that became a supergroup", () => {
  const NEW = "tg:-1009999";

  it("a reminder refused with migrate_to_chat_id moves the binding (audited) and is sent to the new id, once", async () => {
    const { data, ids } = groups(3);
    const { runtime, chat } = makeRuntime(data);
    const old = chatOf(ids[1]);
    chat.migrate(old, NEW);
    const report = await runReminders(runtime, at("2021-03-31"), fast);
    expect(report.failed).toEqual([]);
    expect(chat.to(NEW)).toHaveLength(1);
    expect(chat.to(old)).toEqual([]);
    const store = runtime.store.read();
    expect(store.bindings.find((b) => b.agencyId === ids[1])!.chatId).toBe(NEW);
    expect(store.sendLog.find((e) => e.chatId === NEW)).toMatchObject({ key: `2021-03-31|reminder|${NEW}`, status: "delivered" });
    expect(report.sent.map((s) => s.chatId)).toContain(NEW);
    const events = await runtime.store.events({});
    expect(events.find((e) => e.action === "bind.move")).toMatchObject({
      agencyId: ids[1],
      before: { chatId: old },
      after: { chatId: NEW },
    });
    // Nothing is sent again: the same day, nor the stage already delivered the next day.
    await runReminders(runtime, at("2021-03-31", "15:00"), fast);
    expect(chat.to(NEW)).toHaveLength(1);
    await runReminders(runtime, at("2021-04-01"), fast);
    expect(chat.to(NEW)).toHaveLength(2);
    expect(chat.to(NEW)[1].text).toContain("trễ 1 ngày làm việc");
  });

  it("every part of a long message follows the group", async () => {
    const { runtime, chat } = makeRuntime(longPlan());
    const old = chatOf("so-tu-phap");
    chat.migrate(old, NEW);
    const report = await runReminders(runtime, at("2021-03-31"), fast);
    expect(chat.to(NEW)).toHaveLength(report.planned[0].parts.length);
    expect(chat.log.filter((l) => l.outcome === "moved")).toHaveLength(1); // later parts go to the new id directly
  });

  it("outbox.tell follows a moved group", async () => {
    const { data, ids } = groups(2);
    const { runtime, chat } = makeRuntime(data);
    chat.migrate(chatOf(ids[0]), NEW);
    expect(await runtime.outbox.toAgency(ids[0], { text: "Quyết định gia hạn" })).toBe(1);
    expect(chat.to(NEW).map((s) => s.text)).toEqual(["Quyết định gia hạn"]);
    expect(runtime.store.read().bindings.find((b) => b.agencyId === ids[0])!.chatId).toBe(NEW);
  });
});
