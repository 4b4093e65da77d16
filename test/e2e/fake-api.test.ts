/**
 * What telegram-test-api cannot show, against our own fake Bot API on 127.0.0.1 with the
 * real bot in long-polling mode (its own getUpdates loop): the command menu, callback alerts,
 * documents both ways, and 429/5xx retries.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../support/fake-bot-api.ts";
import { freePort } from "../support/net.ts";
import { TEST_TOKEN, silentLog, tempDir, testConfig } from "../support/env.ts";
import { startBot, type Running } from "../../src/boot/runtime.ts";
import { bindChat, loadPlan, planPath } from "../support/plans.ts";
import { readPlan } from "../../src/import/read.ts";
import { agencyOfChat } from "../../src/domain/bindings.ts";

const ADMIN = { id: 1001, is_bot: false, first_name: "Lan" };
const OFFICER = { id: 3003, is_bot: false, first_name: "Tư" };
const GROUP = { id: -2001, type: "group", title: "Sở Tư pháp" };
const OTHER_GROUP = { id: -2002, type: "group", title: "Sở TT&TT" };
const PRIVATE = { id: 1001, type: "private", first_name: "Lan" };

let messageId = 1000;
function commandUpdate(from: object, chat: object, text: string, extra: object = {}) {
  const length = text.split(/\s/)[0].length;
  return {
    message: {
      message_id: messageId++,
      date: 1616634000,
      from,
      chat,
      text,
      entities: [{ type: "bot_command", offset: 0, length }],
      ...extra,
    },
  };
}

describe("e2e against a fake Bot API: menu, alerts, files, retries (long polling)", () => {
  let api: FakeBotApi;
  let running: Running;
  let cleanup: () => Promise<void>;
  let healthPort: number;

  beforeAll(async () => {
    api = await new FakeBotApi().start();
    const dir = await tempDir("dondoc-fake-");
    cleanup = dir.cleanup;
    healthPort = await freePort();
    const config = testConfig({
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      DATA_DIR: dir.dir,
      ADMIN_IDS: "1001",
      HEALTH_PORT: String(healthPort),
    });
    running = await startBot({ config, log: silentLog, clock: () => new Date("2021-03-25T01:00:00Z"), throttle: false });
    await loadPlan(running.runtime, "kien-giang-2021.txt");
    await bindChat(running.runtime, "tg:-2001", "so-tu-phap");
    await bindChat(running.runtime, "tg:-2002", "so-tttt");
    await bindChat(running.runtime, "tg:-2000", "so-noi-vu");
  });
  afterAll(async () => {
    await running?.stop();
    await api?.stop();
    await cleanup?.();
  });

  it("serves /healthz on HEALTH_PORT while polling (and nothing else there)", async () => {
    await api.until(() => api.calls.some((c) => c.method === "getUpdates"));
    const response = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, mode: "polling", store: "ok", pending: 0 });
    expect((await fetch(`http://127.0.0.1:${healthPort}/hook`, { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("publishes the command menu from the registry with setMyCommands", () => {
    const menu = api.commands as { command: string; description: string }[];
    expect(menu.map((c) => c.command)).toEqual(expect.arrayContaining(["giup", "tiendo", "xong", "chitiet", "giahan"]));
    expect(menu.map((c) => c.command)).not.toContain("nap"); // admin-only commands stay off the public menu
    expect(menu.find((c) => c.command === "tiendo")?.description).toBe("Cập nhật tiến độ (%) một nhiệm vụ của cơ quan");
  });

  it("a button pressed by someone not allowed gets an alert, not a change", async () => {
    const before = JSON.stringify(running.runtime.store.read().assignments);
    api.push({
      callback_query: {
        id: "cb-1",
        from: OFFICER,
        chat_instance: "x",
        data: "tdp:A1@so-tu-phap:100",
        message: { message_id: 5, date: 1, chat: OTHER_GROUP },
      },
    });
    await api.until(() => api.answers.some((a) => a.callback_query_id === "cb-1"));
    const answer = api.answers.find((a) => a.callback_query_id === "cb-1")!;
    expect(answer.show_alert).toBe(true);
    expect(answer.text).toContain("chỉ cập nhật được nhiệm vụ của cơ quan mình");
    expect(JSON.stringify(running.runtime.store.read().assignments)).toBe(before);
  });

  it("retries a 429 after retry_after and a 5xx, delivering the reply exactly once", async () => {
    api.fail("sendMessage", 429, 1, 1);
    api.fail("sendMessage", 502, 1);
    const started = Date.now();
    api.push(commandUpdate(OFFICER, GROUP, "/tiendo A2 30"));
    await api.until(() => api.sentTo(-2001).some((m) => m.text?.includes("A2 — Sở Tư pháp: tiến độ 0% → 30%")), 15_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // honoured retry_after: 1
    expect(api.sentTo(-2001).filter((m) => m.text?.includes("tiến độ 0% → 30%"))).toHaveLength(1);
    expect(running.runtime.store.read().assignments.find((a) => a.id === "A2@so-tu-phap")?.progress).toBe(30);
  });

  it("a blocker is kept even when the Sở Nội vụ group cannot be reached, and the officer is told", async () => {
    api.fail("sendMessage", 403, 1); // the forward to the Sở Nội vụ group: bot removed from it
    api.push(commandUpdate(OFFICER, GROUP, "/vuongmac A3 Chờ kinh phí"));
    await api.until(() => api.sentTo(-2001).some((m) => m.text?.includes("vướng mắc của A3")));
    expect(api.sentTo(-2001).at(-1)!.text).toContain("Chưa chuyển được tới nhóm Sở Nội vụ");
    expect(running.runtime.store.read().assignments.find((a) => a.id === "A3@so-tu-phap")).toMatchObject({
      status: "blocked",
      blocker: "Chờ kinh phí",
    });
  });

  it("/nap with a document: download, preview with buttons, nothing written until confirmed", async () => {
    const tasksBefore = running.runtime.store.read().tasks.length;
    api.addFile("doc-bentre", await readFile(planPath("ben-tre-2021.md")));
    api.push(
      commandUpdate(ADMIN, PRIVATE, "/nap", {
        text: undefined,
        caption: "/nap",
        caption_entities: [{ type: "bot_command", offset: 0, length: 4 }],
        document: { file_id: "doc-bentre", file_unique_id: "u1", file_name: "ben-tre-2021.md", file_size: 30048 },
      }),
    );
    await api.until(() => api.sentTo(1001).some((m) => m.text?.includes("Tổng số nhiệm vụ")), 10_000);
    const preview = api.sentTo(1001).find((m) => m.text?.includes("Tổng số nhiệm vụ"))!;
    expect(preview.text).toContain("7018/KH-UBND");
    expect(preview.text).toContain("Tổng số nhiệm vụ: 37");
    expect(running.runtime.store.read().tasks.length).toBe(tasksBefore);
    const confirm = (preview.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard[0][0];
    api.push({
      callback_query: {
        id: "cb-nap",
        from: ADMIN,
        chat_instance: "y",
        data: confirm.callback_data,
        message: { message_id: preview.message_id, date: 1, chat: PRIVATE },
      },
    });
    await api.until(() => api.sentTo(1001).some((m) => m.text?.includes("Đã nạp")), 10_000);
    expect(running.runtime.store.read().tasks.length).toBe(tasksBefore + 37);
  });

  it("/nap of a multi-year plan: the period and where it was read; 📅 offers other periods; ➕ adds the new agencies", async () => {
    type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
    const buttons = (m: { reply_markup?: unknown }) => (m.reply_markup as Keyboard).inline_keyboard.flat();
    const press = (id: string, data: string, messageId: number) =>
      api.push({
        callback_query: { id, from: ADMIN, chat_instance: "y", data, message: { message_id: messageId, date: 1, chat: PRIVATE } },
      });
    const previews = () => api.sentTo(1001).filter((m) => m.text?.includes("310/KH-UBND"));
    api.addFile("doc-hanoi", await readFile(planPath("ha-noi-2025-310-5g-iot.txt")));
    api.push(
      commandUpdate(ADMIN, PRIVATE, "/nap", {
        text: undefined,
        caption: "/nap",
        caption_entities: [{ type: "bot_command", offset: 0, length: 4 }],
        document: { file_id: "doc-hanoi", file_unique_id: "u3", file_name: "ha-noi-310.txt", file_size: 20000 },
      }),
    );
    await api.until(() => previews().length === 1, 10_000);
    const first = previews()[0];
    expect(first.text).toContain("kế hoạch giai đoạn 2025–2030 — đọc từ tiêu đề «KẾ HOẠCH PHÁT TRIỂN HẠ TẦNG 5G");
    expect(first.text).toContain("bấm «➕ Nạp và thêm 3 cơ quan»");
    // A multi-year plan is offered periods (and its first year alone), not single years.
    expect(buttons(first).map((b) => b.text)).toEqual(["✅ Nạp", "➕ Nạp và thêm 3 cơ quan", "📅 2026–2030", "📅 Năm 2025", "✖️ Hủy"]);
    for (const b of buttons(first)) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);

    press("cb-year", buttons(first).find((b) => b.text === "📅 2026–2030")!.callback_data, first.message_id);
    await api.until(() => previews().length === 2, 10_000);
    const second = previews()[1];
    expect(second.text).toContain("kế hoạch giai đoạn 2026–2030 — do quản trị viên chỉ định");
    // The first preview is stale now: its ✅ changes nothing.
    press("cb-stale", buttons(first)[0].callback_data, first.message_id);
    await api.until(() => api.answers.some((a) => a.callback_query_id === "cb-stale"));
    expect(api.answers.find((a) => a.callback_query_id === "cb-stale")!.text).toContain("đã cũ");
    expect(running.runtime.store.read().extraAgencies).toEqual([]);

    press("cb-add", buttons(second).find((b) => b.text.startsWith("➕"))!.callback_data, second.message_id);
    await api.until(() => api.sentTo(1001).some((m) => m.text?.includes("Đã thêm 3 cơ quan")), 10_000);
    const data = running.runtime.store.read();
    expect(data.extraAgencies.map((a) => a.id)).toEqual(["doanh-nghiep", "nha-cung-cap-dich-vu-iot", "nha-dau-tu"]);
    const plan = data.plans.find((p) => p.number === "310/KH-UBND")!;
    expect(plan).toMatchObject({ year: 2026, period: { first: 2026, last: 2030 }, yearSource: "do quản trị viên chỉ định" });
    const investors = data.tasks.find((t) => t.planId === plan.id && t.content.startsWith("Doanh nghiệp, nhà cung cấp"))!;
    expect(
      data.assignments
        .filter((a) => a.taskCode === investors.code)
        .map((a) => a.agencyId)
        .sort(),
    ).toEqual(["doanh-nghiep", "nha-cung-cap-dich-vu-iot", "nha-dau-tu"]);
  });

  it("/nap of a table whose header nobody guessed: the admin picks the columns with buttons, then the usual preview", async () => {
    type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
    const buttons = (m: { reply_markup?: unknown }) => (m.reply_markup as Keyboard).inline_keyboard.flat();
    const csv = [
      "Cột 1;Cột 2;Cột 3;Cột 4",
      "1;Rà soát văn bản quy phạm pháp luật;Sở Tư pháp;Quý II/2024",
      "2;Kiểm tra công tác cải cách hành chính;Sở Nội vụ;Tháng 10/2024",
      "3;Số hóa hồ sơ thủ tục hành chính;Văn phòng UBND tỉnh;Năm 2024",
    ].join("\n");
    api.addFile("doc-cot", Buffer.from(csv));
    const before = running.runtime.store.read().tasks.length;
    api.push(
      commandUpdate(ADMIN, PRIVATE, "/nap 2024", {
        text: undefined,
        caption: "/nap 2024",
        caption_entities: [{ type: "bot_command", offset: 0, length: 4 }],
        document: { file_id: "doc-cot", file_unique_id: "u4", file_name: "cot.csv", file_size: csv.length },
      }),
    );
    const asked = (n: number) => api.sentTo(1001).filter((m) => m.text?.startsWith("Cột nào là")).length === n;
    await api.until(() => asked(1), 10_000);
    expect(api.sentTo(1001).some((m) => m.text?.includes("2. «Cột 2» — vd: «Rà soát văn bản quy phạm pháp luật»"))).toBe(true);
    const answer = async (n: number, pick: (b: { text: string }) => boolean) => {
      const question = api
        .sentTo(1001)
        .filter((m) => m.text?.startsWith("Cột nào là"))
        .at(-1)!;
      const button = buttons(question).find(pick)!;
      expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
      api.push({
        callback_query: {
          id: `cb-cot-${n}`,
          from: ADMIN,
          chat_instance: "y",
          data: button.callback_data,
          message: { message_id: question.message_id, date: 1, chat: PRIVATE },
        },
      });
    };
    expect(api.sentTo(1001).at(-1)!.text).toContain("Cột nào là NỘI DUNG nhiệm vụ?");
    expect(buttons(api.sentTo(1001).at(-1)!).map((b) => b.text)).not.toContain("Không có"); // content is required
    await answer(1, (b) => b.text.startsWith("2."));
    await api.until(() => asked(2));
    await answer(2, (b) => b.text.startsWith("3."));
    await api.until(() => asked(3));
    await answer(3, (b) => b.text.startsWith("4."));
    await api.until(() => asked(4));
    await answer(4, (b) => b.text === "Không có");
    await api.until(() => asked(5));
    await answer(5, (b) => b.text === "Không có");
    const three = /^Tổng số nhiệm vụ: 3$/m;
    await api.until(() => api.sentTo(1001).some((m) => three.test(m.text ?? "")), 10_000);
    expect(running.runtime.store.read().tasks.length).toBe(before);
    const preview = api.sentTo(1001).find((m) => three.test(m.text ?? ""))!;
    api.push({
      callback_query: {
        id: "cb-cot-ok",
        from: ADMIN,
        chat_instance: "y",
        data: buttons(preview)[0].callback_data,
        message: { message_id: preview.message_id, date: 1, chat: PRIVATE },
      },
    });
    await api.until(() => running.runtime.store.read().tasks.length === before + 3, 10_000);
    const added = running.runtime.store.read().tasks.slice(-3);
    expect(added.map((t) => [t.content, t.leads[0]?.agencyId, t.deadline.milestones.at(-1)?.due])).toEqual([
      ["Rà soát văn bản quy phạm pháp luật", "so-tu-phap", "2024-06-30"],
      ["Kiểm tra công tác cải cách hành chính", "so-noi-vu", "2024-10-31"],
      ["Số hóa hồ sơ thủ tục hành chính", "vp-ubnd", "2024-12-31"],
    ]);
  });

  it("/maunhap sends the plan template, which /nap reads back", async () => {
    api.push(commandUpdate(ADMIN, PRIVATE, "/maunhap 2027"));
    await api.until(() => api.sentTo(1001).some((m) => m.document?.name === "mau-ke-hoach-2027.xlsx"));
    const sent = api.sentTo(1001).find((m) => m.document?.name === "mau-ke-hoach-2027.xlsx")!;
    expect(sent.caption).toContain("Mẫu kế hoạch năm 2027");
    const plan = await readPlan({ name: "mau.xlsx", data: sent.document!.data });
    expect(plan.meta).toMatchObject({ year: 2027 });
    expect(plan.rows).toHaveLength(2);
    api.push(commandUpdate(OFFICER, { id: 3003, type: "private", first_name: "Tư" }, "/maunhap"));
    await api.until(() => api.sentTo(3003).some((m) => m.text?.includes("chỉ dành cho quản trị viên")));
  });

  it("a garbage upload gets a clear Vietnamese message and changes nothing", async () => {
    const before = JSON.stringify(running.runtime.store.read().tasks);
    api.addFile("doc-garbage", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00, 0x13, 0x37]));
    api.push(
      commandUpdate(ADMIN, PRIVATE, "/nap", {
        text: undefined,
        caption: "/nap",
        caption_entities: [{ type: "bot_command", offset: 0, length: 4 }],
        document: { file_id: "doc-garbage", file_unique_id: "u2", file_name: "kehoach.docx", file_size: 8 },
      }),
    );
    await api.until(() => api.sentTo(1001).some((m) => m.text?.includes("Không có gì thay đổi")), 10_000);
    const reply = api.sentTo(1001).at(-1)!;
    expect(reply.text).toMatch(/^⚠️ .*\.docx/);
    expect(JSON.stringify(running.runtime.store.read().tasks)).toBe(before);
  });

  it("refuses /nap from someone who is not an admin", async () => {
    const before = api.sentTo(3003).length;
    api.push(commandUpdate(OFFICER, { id: 3003, type: "private", first_name: "Tư" }, "/nap"));
    await api.until(() => api.sentTo(3003).length > before);
    expect(api.sentTo(3003).at(-1)!.text).toMatch(/^⛔ Lệnh \/nap chỉ dành cho quản trị viên/);
  });

  it("a group upgraded to a supergroup keeps its binding under the new id", async () => {
    api.push({ message: { message_id: messageId++, date: 1, chat: OTHER_GROUP, from: OFFICER, migrate_to_chat_id: -1002002 } });
    await api.until(() => agencyOfChat(running.runtime.store.read(), "tg:-1002002") === "so-tttt");
    expect(agencyOfChat(running.runtime.store.read(), "tg:-2002")).toBeNull();
    const [event] = await running.runtime.store.events({ agencyId: "so-tttt", limit: 1 });
    expect(event).toMatchObject({ action: "bind.move", before: { chatId: "tg:-2002" }, after: { chatId: "tg:-1002002" } });
  });

  it("sends files (documents) through sendDocument", async () => {
    await running.runtime.outbox.sendFile("tg:-2001", { name: "bao-cao.txt", data: Buffer.from("Báo cáo"), caption: "Báo cáo quý I" });
    const sent = api.sentTo(-2001).at(-1)!;
    expect(sent.caption).toBe("Báo cáo quý I");
    expect(sent.document?.name).toBe("bao-cao.txt");
    expect(sent.document?.data.toString("utf8")).toBe("Báo cáo");
  });
});
