/**
 * Zalo end to end: the real bot (startBot) with the real Zalo adapter against our fake Zalo
 * Bot API (test/support/fake-zalo-api.ts, following ../shared/notes/zalo-bot-api.md), alone and
 * beside Telegram (our fake Bot API) on one store. Binding a group, /tiendo by mention and by a
 * quoted short reply, the daily reminder reaching a Telegram and a Zalo group once each (also
 * across a restart mid-run), the Sở Nội vụ digest in a Zalo group, a 429 storm, a forged
 * webhook, a repeated event, both update shapes, 408 on empty polls, the 2000-character limit.
 */
import { afterEach, describe, expect, it } from "vitest";
import { FakeBotApi } from "../support/fake-bot-api.ts";
import { FakeZaloApi, ZALO_TEST_TOKEN, zaloText } from "../support/fake-zalo-api.ts";
import { TEST_TOKEN, dataOf, silentLog, tempDir, testConfig } from "../support/env.ts";
import { freePort } from "../support/net.ts";
import { bindChat, loadPlan } from "../support/plans.ts";
import { startBot, type Running } from "../../src/boot/runtime.ts";
import { runReminders } from "../../src/reminders/dispatch.ts";
import { runDigests } from "../../src/jobs/digests.ts";

/** Thursday 25/03/2021, 08:00 in Vietnam: Sở Tư pháp has A1–A3 overdue, Văn phòng UBND A5 overdue and A7 due soon. */
const AT = new Date("2021-03-25T01:00:00Z");
const ADMIN = "u-admin";
const SECRET = "zalo-test-secret-1234";
const FAST = { intervalMs: 2, backoffFirstMs: 20, backoffMaxMs: 160 };

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

type Setup = { zalo: FakeZaloApi; telegram?: FakeBotApi; dir: string; webhookPort?: number };

async function setUp(options: { telegram?: boolean; webhook?: boolean; zalo?: ConstructorParameters<typeof FakeZaloApi>[0] } = {}) {
  const zalo = await new FakeZaloApi({ maxPollMs: 100, ...options.zalo }).start();
  const telegram = options.telegram ? await new FakeBotApi().start() : undefined;
  const { dir, cleanup } = await tempDir("dondoc-zalo-e2e-");
  cleanups.push(cleanup, () => zalo.stop(), ...(telegram ? [() => telegram.stop()] : []));
  return { zalo, telegram, dir, webhookPort: options.webhook ? await freePort() : undefined } satisfies Setup;
}

async function boot(
  s: Setup,
  clock: () => Date = () => AT,
  options: { zalo?: boolean; env?: Record<string, string> } = {},
): Promise<Running> {
  const config = testConfig({
    ...options.env,
    ...(options.zalo !== false ? { ZALO_BOT_TOKEN: ZALO_TEST_TOKEN, ZALO_API_ROOT: s.zalo.apiRoot } : {}),
    ...(s.telegram ? { TELEGRAM_BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: s.telegram.apiRoot } : {}),
    ...(s.webhookPort
      ? {
          ZALO_WEBHOOK_URL: `http://127.0.0.1:${s.webhookPort}/zalo`,
          ZALO_WEBHOOK_PORT: String(s.webhookPort),
          ZALO_WEBHOOK_SECRET: SECRET,
        }
      : {}),
    DATA_DIR: s.dir,
    REMINDER_TIME: "23:59",
    DIGEST_WEEKLY: "off",
    DIGEST_QUARTER: "off",
    ADMIN_IDS: `zl:${ADMIN}`,
  });
  const running = await startBot({ config, log: silentLog, clock, throttle: false, zaloPacing: FAST });
  let stopped = false;
  cleanups.push(async () => {
    if (!stopped) await running.stop();
  });
  const stop = running.stop;
  running.stop = async () => {
    stopped = true;
    await stop();
  };
  return running;
}

/** Push an update by long polling and wait until the bot has answered it (`answers` messages to the chat). */
async function say(s: Setup, running: Running, update: Record<string, unknown>, answers = 1): Promise<string[]> {
  const chat = String((update.message as { chat: { id: string } }).chat.id);
  const before = s.zalo.sentTo(chat).length;
  s.zalo.push(update);
  await s.zalo.until(() => s.zalo.sentTo(chat).length >= before + answers);
  await running.chat.idle?.();
  return s.zalo
    .sentTo(chat)
    .slice(before)
    .map((m) => m.text ?? "");
}

function progressOf(running: Running, id: string): number | undefined {
  return running.runtime.store.read().assignments.find((a) => a.id === id)?.progress;
}

describe("e2e: Zalo groups", () => {
  it("binds a Zalo group by mention (admin), and by /dangky then the typed «duyetnhom» (no buttons); audited with the platform and the display name", async () => {
    const s = await setUp();
    const running = await boot(s);
    // A new admin learns the id to put in ADMIN_IDS by writing /start to the bot.
    const [hello] = await say(s, running, zaloText({ chat: "u-new", group: false, from: "u-new", text: "/start" }));
    expect(hello).toContain("Mã người dùng của bạn: zl:u-new");
    expect(hello).toContain("ADMIN_IDS");
    const [bound] = await say(
      s,
      running,
      zaloText({ chat: "g-tp", from: ADMIN, name: "Chị Lan (Sở Nội vụ)", text: "@dondoc /dangky Sở Tư pháp" }),
    );
    expect(bound).toMatch(/^✅ Đã gắn nhóm này với Sở Tư pháp/);
    const data = running.runtime.store.read();
    expect(data.bindings.find((b) => b.chatId === "zl:g-tp")).toMatchObject({ platform: "zl", agencyId: "so-tu-phap" });
    const events = await running.runtime.store.events({});
    const bind = events.find((e) => e.action === "bind" && e.chatId === "zl:g-tp");
    expect(bind?.actor).toEqual({ id: `zl:${ADMIN}`, name: "Chị Lan (Sở Nội vụ)" });

    // A non-admin asks: the answer carries what the admin types instead of ✅ Xác nhận.
    const [asked] = await say(s, running, zaloText({ chat: "g-vp", from: "u-2", name: "Anh Bình", text: "/dangky Văn phòng UBND tỉnh" }));
    const typed = /duyetnhom (\d+)/.exec(asked);
    expect(typed, asked).not.toBeNull();
    expect(asked).toContain("tuchoinhom");
    expect(running.runtime.store.read().bindings.some((b) => b.chatId === "zl:g-vp")).toBe(false);
    const [decided] = await say(
      s,
      running,
      zaloText({ chat: "g-vp", from: ADMIN, name: "Chị Lan", text: typed![0], replyTo: { message_id: "z1", text: asked } }),
    );
    expect(decided).toMatch(/Đã gắn nhóm .* với Văn phòng UBND tỉnh/);
    expect(running.runtime.store.read().bindings.find((b) => b.chatId === "zl:g-vp")?.agencyId).toBe("vp-ubnd");
  });

  it("/tiendo by mention, by a quoted «A5 60%», «xong A5»; chatter quoted to the bot changes nothing", async () => {
    const s = await setUp({ zalo: { shape: "array" } });
    const running = await boot(s);
    await loadPlan(running.runtime, "kien-giang-2021.txt");
    await bindChat(running.runtime, "zl:g-vp", "vp-ubnd");
    const officer = { chat: "g-vp", from: "u-vp", name: "Chị Hoa (VP UBND)" };

    const [byMention] = await say(s, running, zaloText({ ...officer, text: "@dondoc /tiendo A5 40 đang trình" }));
    expect(byMention).toMatch(/A5 — Văn phòng UBND tỉnh: tiến độ 0% → 40%/);
    expect(progressOf(running, "A5@vp-ubnd")).toBe(40);

    const quoted = { message_id: s.zalo.sentTo("g-vp")[0].message_id, text: byMention };
    const [byReply] = await say(s, running, zaloText({ ...officer, text: "A5 60%", replyTo: quoted }));
    expect(byReply).toMatch(/tiến độ 40% → 60%/);
    const events = await running.runtime.store.events({});
    const progress = events.filter((e) => e.action === "progress" && e.taskCode === "A5");
    expect(progress.map((e) => [e.actor.name, e.chatId])).toEqual([
      ["Chị Hoa (VP UBND)", "zl:g-vp"],
      ["Chị Hoa (VP UBND)", "zl:g-vp"],
    ]);

    // A display name with spaces in the mention, and a short form without "/".
    const [done] = await say(s, running, zaloText({ ...officer, text: "@Đôn Đốc CCHC xong A5 189/BC-VP ngày 20/03/2021" }));
    expect(done).toMatch(/✅ A5 — Văn phòng UBND tỉnh: hoàn thành/);
    expect(done).toContain("gửi tệp kiểm chứng bằng cách trả lời tin nhắn này: một ảnh (Zalo chỉ gửi được ảnh)");

    // Chatter quoted to the bot is no command: nothing changes, nothing is said.
    const before = dataOf(running.runtime.store);
    const sent = s.zalo.sent.length;
    s.zalo.push(zaloText({ ...officer, text: "cảm ơn bot", replyTo: quoted }));
    await s.zalo.until(() => s.zalo.calls.filter((c) => c.method === "getUpdates").length > 3);
    await running.chat.idle?.();
    expect(dataOf(running.runtime.store)).toBe(before);
    expect(s.zalo.sent.length).toBe(sent);
  });

  it("long polling: 408 on empty polls is not an error; single and array shapes; answers split at 2000 characters, never inside a character", async () => {
    const s = await setUp({ zalo: { maxPollMs: 20 } });
    const running = await boot(s);
    await s.zalo.until(() => (s.zalo.statuses.get(408) ?? 0) >= 3);
    await loadPlan(running.runtime, "kien-giang-2021.txt");
    await bindChat(running.runtime, "zl:g-snv", "so-noi-vu");
    // The full task list of the Sở Nội vụ (coordinator) is long: several parts, each within the limit.
    const parts = await say(s, running, zaloText({ chat: "g-snv", from: ADMIN, text: "/nhiemvu tatca" }));
    await running.chat.idle?.();
    const all = s.zalo.sentTo("g-snv");
    expect(parts.length).toBeGreaterThanOrEqual(1);
    for (const m of all) {
      expect(m.text!.length).toBeLessThanOrEqual(2000);
      expect(m.text).not.toMatch(/[\ud800-\udbff]$/);
    }
    expect(s.zalo.statuses.get(400) ?? 0).toBe(0);
    // The adapter on its own: 4,500 characters of emoji and accented words → ≤ 2000 each, nothing lost.
    const long = Array.from({ length: 300 }, (_, i) => `Dòng ${i} 👍🏽 tiếng Việt`).join("\n");
    await running.chat.send("zl:g-snv", { text: long });
    const tail = s.zalo.sentTo("g-snv").slice(all.length);
    expect(tail.length).toBeGreaterThanOrEqual(3);
    expect(tail.every((m) => m.text!.length <= 2000)).toBe(true);
    expect(tail.map((m) => m.text).join("\n")).toBe(long);
    // One line without a break or a space: decomposed Vietnamese (e + two combining marks), a
    // family emoji (ZWJ) and flags. Every part is whole characters (grapheme clusters).
    const graphemes = (t: string) => [...new Intl.Segmenter("vi", { granularity: "grapheme" }).segment(t)].map((g) => g.segment);
    const line = `x${Array.from({ length: 700 }, (_, i) => ["Nghiê\u0300n", "👨‍👩‍👧‍👦", "🇻🇳", "e\u0302\u0301"][i % 4]).join("")}`;
    const before = s.zalo.sentTo("g-snv").length;
    await running.chat.send("zl:g-snv", { text: line });
    const cut = s.zalo
      .sentTo("g-snv")
      .slice(before)
      .map((m) => m.text!);
    expect(cut.length).toBeGreaterThanOrEqual(2);
    expect(cut.every((t) => t.length <= 2000)).toBe(true);
    expect(cut.join("")).toBe(line);
    expect(cut.flatMap(graphemes)).toEqual(graphemes(line));
  });

  it("the daily reminder reaches a Telegram group and a Zalo group of two agencies exactly once each, also across a restart mid-run", async () => {
    const s = await setUp({ telegram: true });
    let running = await boot(s);
    await loadPlan(running.runtime, "kien-giang-2021.txt");
    await bindChat(running.runtime, "tg:-5001", "so-tu-phap");
    await bindChat(running.runtime, "zl:g-vp", "vp-ubnd");

    // The run starts; Zalo fails every send (5xx) until the restart: Telegram's part goes, Zalo's is left.
    s.zalo.failSends(1000, 502);
    const first = await runReminders(running.runtime, AT, { backoffMs: 5 });
    expect(first.failed.map((f) => [f.chatId, f.permanent])).toEqual([["zl:g-vp", false]]);
    expect(s.telegram!.sentTo(-5001)).toHaveLength(1);
    expect(s.zalo.sentTo("g-vp")).toHaveLength(0);
    await running.stop();

    // Restart: Zalo answers again; the run is finished — Zalo's reminder once, Telegram's not again.
    (s.zalo as unknown as { failing: number[] }).failing = [];
    running = await boot(s);
    await runReminders(running.runtime, AT);
    await runReminders(running.runtime, AT); // a third try the same day sends nothing
    expect(s.telegram!.sentTo(-5001)).toHaveLength(1);
    const zl = s.zalo.sentTo("g-vp");
    expect(zl).toHaveLength(1);
    expect(zl[0].text).toContain("Văn phòng UBND tỉnh");
    expect(zl[0].text).toMatch(/A5 — /);
    // No buttons on Zalo: the message ends with what to type, and never says «Bấm nút».
    expect(zl[0].text).not.toContain("Bấm nút");
    expect(zl[0].text).toMatch(/• xong A5 · A5 <số>% · vuongmac A5 <nội dung>/);
    const telegramText = s.telegram!.sentTo(-5001)[0];
    expect(telegramText.text).toContain("Bấm nút");
    const log = running.runtime.store.read().sendLog.filter((e) => e.kind === "reminder");
    expect(log.map((e) => [e.chatId, e.status]).sort()).toEqual([
      ["tg:-5001", "delivered"],
      ["zl:g-vp", "delivered"],
    ]);
  });

  it("an agency with a Telegram and a Zalo group: each group gets the reminder once; the digest counts the agency once, the same on both platforms", async () => {
    const s = await setUp({ telegram: true });
    let running = await boot(s);
    await loadPlan(running.runtime, "kien-giang-2021.txt");
    await bindChat(running.runtime, "tg:-5001", "so-tu-phap");
    await bindChat(running.runtime, "zl:g-tp", "so-tu-phap");
    await runReminders(running.runtime, AT);
    await running.stop();
    running = await boot(s);
    await runReminders(running.runtime, AT);
    expect(s.telegram!.sentTo(-5001)).toHaveLength(1);
    expect(s.zalo.sentTo("g-tp")).toHaveLength(1);
    // The same reminder: Telegram's text is the start of Zalo's (which adds what to type instead of buttons).
    const tg = s.telegram!.sentTo(-5001)[0].text!.split("\n");
    const zl = s.zalo.sentTo("g-tp")[0].text!.split("\n");
    expect(zl.slice(0, tg.length)).toEqual(tg.filter((line) => !line.startsWith("Bấm nút")).concat([""]));
    await running.stop();

    // The weekly digest, with the Sở Nội vụ on both platforms: the same figures, Sở Tư pháp counted once.
    const monday = new Date("2021-06-21T02:00:00Z");
    running = await boot(s, () => monday);
    await bindChat(running.runtime, "tg:-9001", "so-noi-vu");
    await bindChat(running.runtime, "zl:g-snv", "so-noi-vu");
    await runDigests(running.runtime, monday, { force: "digest-weekly" });
    const tgDigest = s.telegram!.sentTo(-9001)[0].text!;
    const zlDigest = s.zalo.sentTo("g-snv")[0].text!;
    expect(zlDigest.startsWith(`${tgDigest}\n\n↩️`)).toBe(true);
    // And the figures are those of a province where Sở Tư pháp has one group only.
    await running.runtime.store.update((d) => {
      d.bindings = d.bindings.filter((b) => b.chatId !== "zl:g-tp");
      return { result: null };
    });
    await runDigests(running.runtime, monday, { force: "digest-weekly" });
    expect(s.telegram!.sentTo(-9001).at(-2)!.text).toBe(tgDigest);
  });

  it("updates left in the inbox by a restart: Zalo's wait for the Zalo adapter (a Telegram-only run leaves them), then are handled once", async () => {
    const s = await setUp({ telegram: true });
    let running = await boot(s, () => AT, { zalo: false });
    await loadPlan(running.runtime, "kien-giang-2021.txt");
    await bindChat(running.runtime, "zl:g-vp", "vp-ubnd");
    // What a Zalo adapter accepted just before the process died.
    const update = zaloText({ chat: "g-vp", from: "u-vp", name: "Chị Hoa", text: "/tiendo A5 45", messageId: "left-1" });
    await running.runtime.inbox!.accept([{ key: "zl:message.text.received:left-1", chat: "zl:g-vp", payload: update }]);
    await running.stop();

    // Telegram alone starts: it must not take the Zalo update.
    running = await boot(s, () => AT, { zalo: false });
    await running.chat.idle?.();
    expect(running.runtime.inbox!.pending().map((e) => e.key)).toEqual(["zl:message.text.received:left-1"]);
    expect(progressOf(running, "A5@vp-ubnd")).toBe(0);
    await running.stop();

    // Both start: Zalo handles it, once, and answers in the Zalo group.
    running = await boot(s);
    await s.zalo.until(() => s.zalo.sentTo("g-vp").length >= 1);
    await running.chat.idle?.();
    expect(progressOf(running, "A5@vp-ubnd")).toBe(45);
    expect(s.zalo.sentTo("g-vp").map((m) => m.text)).toEqual([expect.stringMatching(/tiến độ 0% → 45%/)]);
    expect(s.telegram!.sent).toHaveLength(0);
    await running.stop();
    running = await boot(s);
    await running.chat.idle?.();
    expect(s.zalo.sentTo("g-vp")).toHaveLength(1);
    expect((await running.runtime.store.events({})).filter((e) => e.action === "progress")).toHaveLength(1);
  });

  it("the Sở Nội vụ digest in a Zalo group: the text with what to type, and a plain line for the chart (Telegram-only)", async () => {
    const s = await setUp();
    const running = await boot(s, () => new Date("2021-06-21T02:00:00Z"));
    await loadPlan(running.runtime, "kien-giang-2021.txt");
    await bindChat(running.runtime, "zl:g-snv", "so-noi-vu");
    await runDigests(running.runtime, new Date("2021-06-21T02:00:00Z"), { force: "digest-weekly" });
    const sent = s.zalo.sentTo("g-snv");
    expect(sent[0].text).toMatch(/^📊 TỔNG HỢP TUẦN — Quý II\/2021/);
    expect(sent[0].text).toMatch(/\n• tongket q2\/2021 chitiet$/);
    expect(sent[0].text).not.toMatch(/bieudo|xuatbaocao/);
    expect(sent.some((m) => /Biểu đồ .* chỉ gửi được qua Telegram/.test(m.text ?? ""))).toBe(true);
    expect(sent.every((m) => m.text!.length <= 2000)).toBe(true);
    // The typed form of the «Xem chi tiết» button works as typed.
    const [detail] = await say(
      s,
      running,
      zaloText({ chat: "g-snv", from: ADMIN, text: "tongket quy 2 chitiet", replyTo: { message_id: sent[0].message_id } }),
    );
    expect(detail).toMatch(/Quý II\/2021/);
    // /xuatbaocao on Zalo: a clear line instead of nothing.
    const [xlsx] = await say(s, running, zaloText({ chat: "g-snv", from: ADMIN, text: "@dondoc /xuatbaocao quy 2" }));
    expect(xlsx).toMatch(/chỉ gửi được qua Telegram/);
  });

  it("a 429 storm: every send waits and is retried; each group gets its reminder once", async () => {
    const s = await setUp();
    const running = await boot(s);
    await loadPlan(running.runtime, "kien-giang-2021.txt");
    const agencies = ["so-tu-phap", "vp-ubnd", "so-noi-vu", "so-tttt"];
    for (const [i, agency] of agencies.entries()) await bindChat(running.runtime, `zl:g${i}`, agency);
    s.zalo.failSends(12, 429);
    const report = await runReminders(running.runtime, AT);
    expect(report.failed).toEqual([]);
    expect(s.zalo.statuses.get(429)).toBe(12);
    for (const i of agencies.keys()) {
      const entry = running.runtime.store.read().sendLog.find((e) => e.chatId === `zl:g${i}` && e.kind !== "digest-weekly");
      expect(entry?.status).toBe("delivered");
      expect(s.zalo.sentTo(`g${i}`)).toHaveLength(entry!.partsDelivered);
    }
    // The storm paused the queue: between the first 429 and the next accepted send, at least the first back-off.
    const calls = s.zalo.calls.filter((c) => c.method === "sendMessage");
    expect(calls.at(-1)!.at - calls[0].at).toBeGreaterThanOrEqual(FAST.backoffFirstMs * 3);
  });

  it("a 429 storm on the other calls (deleteWebhook at start, getUpdates): each retry waits for the back-off instead of asking again at once", async () => {
    const s = await setUp();
    s.zalo.failCalls("deleteWebhook", 3, 429);
    s.zalo.failCalls("getUpdates", 3, 429);
    const running = await boot(s);
    await s.zalo.until(() => s.zalo.calls.filter((c) => c.method === "getUpdates").length >= 5);
    for (const method of ["deleteWebhook", "getUpdates"]) {
      const at = s.zalo.calls.filter((c) => c.method === method).map((c) => c.at);
      expect(at.length, method).toBeGreaterThanOrEqual(4);
      // Three 429s: the 2nd, 3rd and 4th calls each waited at least the first back-off (doubling).
      for (let i = 1; i < 4; i++) expect(at[i] - at[i - 1], `${method} ${i}`).toBeGreaterThanOrEqual(FAST.backoffFirstMs - 2);
    }
    expect(s.zalo.statuses.get(429)).toBe(6);
    // It works afterwards.
    await bindChat(running.runtime, "zl:g-snv", "so-noi-vu");
    const [answer] = await say(s, running, zaloText({ chat: "g-snv", from: ADMIN, text: "/start" }));
    expect(answer).toMatch(/^Xin chào!/);
  });

  it("HEALTH_PORT is served by Zalo's long polling when Telegram runs by webhook (Telegram serves it only when it polls)", async () => {
    const s = await setUp({ telegram: true });
    const [healthPort, telegramPort] = [await freePort(), await freePort()];
    await boot(s, () => AT, {
      env: {
        HEALTH_PORT: String(healthPort),
        TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${telegramPort}/tg`,
        TELEGRAM_WEBHOOK_PORT: String(telegramPort),
      },
    });
    const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`).catch(() => null);
    expect(health?.status).toBe(200);
    expect(await health!.json()).toMatchObject({ ok: true, mode: "polling", zalo: "ready" });
  });

  it("webhook: a forged request gets 401 and changes nothing; a repeated event is processed once; bare and wrapped updates", async () => {
    const s = await setUp({ webhook: true });
    const running = await boot(s);
    expect(s.zalo.webhook).toEqual({ url: `http://127.0.0.1:${s.webhookPort}/zalo`, secret: SECRET });
    expect(s.zalo.calls.some((c) => c.method === "getUpdates")).toBe(false);
    await loadPlan(running.runtime, "kien-giang-2021.txt");
    await bindChat(running.runtime, "zl:g-vp", "vp-ubnd");
    const update = zaloText({ chat: "g-vp", from: "u-vp", name: "Chị Hoa", text: "/tiendo A5 30", messageId: "msg-1" });

    const before = dataOf(running.runtime.store);
    expect(await s.zalo.deliver(update, { secret: null })).toBe(401);
    expect(await s.zalo.deliver(update, { secret: "wrong-secret-1234567" })).toBe(401);
    expect(await s.zalo.deliver(update, { secret: `${SECRET}x` })).toBe(401);
    await running.chat.idle?.();
    expect(dataOf(running.runtime.store)).toBe(before);
    expect(s.zalo.sent).toHaveLength(0);

    expect(await s.zalo.deliver(update)).toBe(200);
    expect(await s.zalo.deliver(update, { wrapped: true })).toBe(200); // the same event again, wrapped
    await running.chat.idle?.();
    expect(s.zalo.sentTo("g-vp")).toHaveLength(1);
    expect((await running.runtime.store.events({})).filter((e) => e.action === "progress")).toHaveLength(1);

    // A new event, wrapped: handled.
    const next = zaloText({ chat: "g-vp", from: "u-vp", name: "Chị Hoa", text: "A5 70%", messageId: "msg-2" });
    expect(await s.zalo.deliver(next, { wrapped: true })).toBe(200);
    await running.chat.idle?.();
    expect(progressOf(running, "A5@vp-ubnd")).toBe(70);
    // Garbage: 400, the process goes on; /healthz on the webhook port says Zalo is ready.
    expect(await s.zalo.deliver({ hello: "world" })).toBe(400);
    const health = await fetch(`http://127.0.0.1:${s.webhookPort}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, mode: "webhook", zalo: "ready", pending: 0 });
    // /nap on Zalo (no files there): says where to load a plan instead of asking for a file.
    const nap = zaloText({ chat: ADMIN, group: false, from: ADMIN, text: "/nap", messageId: "msg-3" });
    expect(await s.zalo.deliver(nap)).toBe(200);
    await running.chat.idle?.();
    expect(s.zalo.sentTo(ADMIN).at(-1)?.text).toMatch(/^Zalo không gửi được tệp kế hoạch/);
  });
});
