/**
 * The cron tick delivers the day's reminders to the right groups, once — and a restart
 * the same day sends nothing again. Real node-cron, real grammY, the emulator between.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatInTimeZone } from "date-fns-tz";
import { EmulatorHarness, type GroupChat } from "../support/emulator.ts";
import { bindChat, loadPlan } from "../support/plans.ts";
import { reminderRunKey } from "../../src/reminders/dispatch.ts";

const TZ = "Asia/Ho_Chi_Minh";

/** A clock on Thursday 25/03/2021 running at the real time of day (Vietnam), so cron and plan agree. */
function clockOn(day: string): () => Date {
  const timeOfDay = formatInTimeZone(new Date(), TZ, "HH:mm:ss.SSS");
  const offset = new Date(`${day}T${timeOfDay}+07:00`).getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

async function waitFor<T>(read: () => Promise<T[]>, ms: number): Promise<T[]> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await read();
    if (got.length || Date.now() > end) return got;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function until(done: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`not done within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("e2e: a cron tick sends the day's reminders once", () => {
  let h: EmulatorHarness;
  let tuPhap: GroupChat;
  let vanPhong: GroupChat;
  let noiVu: GroupChat;
  let idle: GroupChat;

  beforeAll(async () => {
    // The tick: three seconds from now, in Vietnam time.
    const tick = formatInTimeZone(new Date(Date.now() + 3000), TZ, "HH:mm:ss");
    h = await EmulatorHarness.start({ clock: clockOn("2021-03-25"), env: { REMINDER_TIME: tick } });
    await loadPlan(h.runtime, "kien-giang-2021.txt");
    tuPhap = h.group(-3001, "Sở Tư pháp");
    vanPhong = h.group(-3002, "Văn phòng UBND tỉnh");
    noiVu = h.group(-3000, "Sở Nội vụ");
    idle = h.group(-3003, "Sở Y tế");
    await bindChat(h.runtime, "tg:-3001", "so-tu-phap");
    await bindChat(h.runtime, "tg:-3002", "vp-ubnd");
    await bindChat(h.runtime, "tg:-3000", "so-noi-vu");
    await bindChat(h.runtime, "tg:-3003", "so-y-te");
  });
  afterAll(async () => h?.stop());

  it("delivers one message per group, grouped, with codes, dates and buttons", async () => {
    const vp = await waitFor(() => vanPhong.messages(), 10_000);
    expect(vp).toHaveLength(1);
    const text = vp[0].text;
    expect(text).toContain("Văn phòng UBND tỉnh");
    expect(text).toContain("🔴 Quá hạn");
    expect(text).toMatch(/A5 — .*31\/01\/2021.*trễ \d+ ngày làm việc/);
    expect(text).toContain("🟡 Sắp đến hạn");
    expect(text).toMatch(/A7 — .*31\/03\/2021.*còn 4 ngày làm việc/);
    expect(vp[0].reply_markup?.inline_keyboard?.flat().some((b) => b.callback_data.startsWith("xong:A"))).toBe(true);

    const tp = await waitFor(() => tuPhap.messages(), 5_000);
    expect(tp).toHaveLength(1);
    expect(tp[0].text).toMatch(/A1 — [\s\S]*A3 — [\s\S]*A2 — /); // overdue, oldest first
    expect(tp[0].text).not.toContain("A4 —"); // due 31/12/2021: nothing yet

    // The Sở Nội vụ group hears about escalations and agencies with no group.
    const nv = await waitFor(() => noiVu.messages(), 5_000);
    const nvText = nv.map((m) => m.text).join("\n");
    expect(nvText).toContain("Sở Tư pháp");
    expect(nvText).toMatch(/Sở Thông tin và Truyền thông|chưa có nhóm/);

    // The run records each delivery after the send returns: wait for the run to be complete
    // (its run-log entry), not for the messages, before reading the send-log.
    await until(() => Boolean(h.runtime.store.read().runLog.find((r) => r.key === reminderRunKey("2021-03-25"))?.completedAt), 10_000);
    // Nothing is sent to a group with nothing due.
    expect(await idle.messages()).toEqual([]);
    const log = h.runtime.store.read().sendLog.filter((e) => e.day === "2021-03-25");
    expect(log.length).toBeGreaterThanOrEqual(3);
    expect(log.every((e) => e.status === "delivered")).toBe(true);
  });

  it("a restart the same day sends nothing again", async () => {
    await h.restart();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await vanPhong.messages()).toEqual([]);
    expect(await tuPhap.messages()).toEqual([]);
    expect(await noiVu.messages()).toEqual([]);
  });
});
