/**
 * Fan-out within Telegram's limits: a reminder run to many groups through the real adapter
 * (throttler and retries on) against a Bot API that enforces 30 messages/s and answers
 * 429 with retry_after beyond it. None lost, none duplicated.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../support/fake-bot-api.ts";
import { TEST_TOKEN, silentLog, tempDir, testConfig } from "../support/env.ts";
import { startBot, type Running } from "../../src/boot/runtime.ts";
import { runReminders } from "../../src/reminders/dispatch.ts";
import { bindChat, loadPlan } from "../support/plans.ts";

const GROUPS = 60;
const AT = new Date("2021-03-25T01:00:00Z");

describe("fan-out through an API that enforces Telegram's limits", () => {
  let api: FakeBotApi;
  let running: Running;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    api = await new FakeBotApi({ enforceLimits: true, perSecond: 30, perMinutePerChat: 20 }).start();
    const dir = await tempDir("dondoc-fanout-");
    cleanup = dir.cleanup;
    const config = testConfig({
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      DATA_DIR: dir.dir,
      REMINDER_TIME: "23:59",
    });
    running = await startBot({ config, log: silentLog, clock: () => AT });
    await loadPlan(running.runtime, "kien-giang-2021.txt");
    // Many groups: every one of them is bound to an agency with work due today.
    const agencies = ["so-tu-phap", "vp-ubnd", "so-noi-vu", "so-tttt", "so-tai-chinh", "so-khcn"];
    for (let i = 0; i < GROUPS; i++) await bindChat(running.runtime, `tg:-${7000 + i}`, agencies[i % agencies.length]);
  });
  afterAll(async () => {
    await running?.stop();
    await api?.stop();
    await cleanup?.();
  });

  it("delivers one message to every group, none twice, within 30/s", async () => {
    const started = Date.now();
    const report = await runReminders(running.runtime, AT);
    const elapsed = (Date.now() - started) / 1000;
    const chats = running.runtime.store
      .read()
      .sendLog.filter((e) => e.kind === "reminder" && e.chatId.startsWith("tg:-7"))
      .map((e) => e.chatId);
    expect(new Set(chats).size).toBe(GROUPS);
    expect(report.failed).toEqual([]);
    const perChat = new Map<string, number>();
    for (const m of api.sent.filter((m) => m.chat_id.startsWith("-7"))) perChat.set(m.chat_id, (perChat.get(m.chat_id) ?? 0) + 1);
    expect(perChat.size).toBe(GROUPS);
    expect([...perChat.values()].every((n) => n === 1)).toBe(true); // every message is one part here
    // At most 30 a second were accepted; the whole run took at least GROUPS/30 seconds.
    expect(elapsed).toBeGreaterThanOrEqual(GROUPS / 30 - 1);
    // A second run the same day sends nothing.
    const before = api.sent.length;
    await runReminders(running.runtime, AT);
    expect(api.sent.length).toBe(before);
  });
});
