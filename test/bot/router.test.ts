/**
 * The router applies one access policy to commands, buttons and replies alike: a non-admin
 * pressing an admin's button or answering an admin's question is refused and nothing
 * changes. Real command files, an in-memory store, no network.
 */
import pino from "pino";
import { beforeEach, describe, expect, it } from "vitest";
import { loadCommands } from "../../src/bot/registry.ts";
import { Router } from "../../src/bot/router.ts";
import { Runtime } from "../../src/bot/runtime.ts";
import type { ChatKind, Incoming } from "../../src/chat/types.ts";
import { parseConfig } from "../../src/config.ts";
import { ExtensionRequest, PendingBinding } from "../../src/core/schemas.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { emptyStoreData } from "../../src/store/types.ts";
import { FakeResponder, RecordingChat } from "../digest/fixtures.ts";
import { agencies, assignment, at, binding, calendar, dated, task } from "../reminders/fixtures.ts";

const ADMIN = "tg:1";
const OFFICER = "tg:7";
const COORD_GROUP = "tg:-100";
const TUPHAP_GROUP = "tg:-200";
const NEW_GROUP = "tg:-300";

let runtime: Runtime;
let router: Router;
let chat: RecordingChat;

beforeEach(async () => {
  const store = createMemoryStore({
    ...emptyStoreData(),
    tasks: [task("A1", dated("2021-03-31"))],
    assignments: [assignment("A1", "so-tu-phap")],
    bindings: [binding(COORD_GROUP, "so-noi-vu"), binding(TUPHAP_GROUP, "so-tu-phap")],
    pendingBindings: [
      PendingBinding.parse({
        id: 1,
        chatId: NEW_GROUP,
        platform: "tg",
        agencyId: "so-y-te",
        boundBy: OFFICER,
        boundAt: "2021-03-01T00:00:00.000Z",
      }),
    ],
    extensionRequests: [
      ExtensionRequest.parse({
        id: 1,
        assignmentId: "A1@so-tu-phap",
        taskCode: "A1",
        agencyId: "so-tu-phap",
        originalDue: "2021-03-31",
        requestedDue: "2021-04-30",
        reason: "Chờ kinh phí",
        status: "pending",
        requestedBy: OFFICER,
        requestedAt: "2021-03-01T00:00:00.000Z",
      }),
    ],
    pendingImports: { "1": { preview: {}, document: {}, source: "kh.docx", by: ADMIN, at: "2021-03-01T00:00:00.000Z" } },
  });
  const config = parseConfig({ LOG_LEVEL: "silent", ADMIN_IDS: "1" });
  runtime = new Runtime({ config, store, agencies, calendar, log: pino({ level: "silent" }), clock: () => at("2021-03-10") });
  chat = new RecordingChat();
  runtime.outbox.attach(chat);
  router = new Router(runtime, await loadCommands());
});

type Where = { chatId: string; chatKind: ChatKind; from: string };
const inGroup = (chatId: string, from = OFFICER): Where => ({ chatId, chatKind: "group", from });

async function press(data: string, where: Where) {
  const respond = new FakeResponder();
  await router
    .handlers()
    .onButton({ chatId: where.chatId, chatKind: where.chatKind, from: { id: where.from, name: "Người dùng" }, data }, respond);
  return respond;
}

async function command(text: string, where: Where) {
  const respond = new FakeResponder();
  const [name, ...rest] = text.slice(1).split(" ");
  const message = {
    chatId: where.chatId,
    chatKind: where.chatKind,
    from: { id: where.from, name: "Người dùng" },
    text,
    command: name,
    args: rest.join(" "),
  };
  await router.handlers().onCommand(message, respond);
  return respond;
}

async function reply(message: Partial<Incoming>, where: Where) {
  const respond = new FakeResponder();
  await router
    .handlers()
    .onMessage(
      { chatId: where.chatId, chatKind: where.chatKind, from: { id: where.from, name: "Người dùng" }, text: "", ...message },
      respond,
    );
  return respond;
}

describe("buttons: the same policy as commands", () => {
  it.each([
    ["napok:1", "an import's ✅ Nạp"],
    ["napno:1", "an import's ✖️ Hủy"],
    ["napnam:1:2022", "an import's 📅 year"],
    ["gnok:1", "a binding's ✅ Xác nhận"],
    ["dkok:1", "a binding's ✅ Xác nhận sent by an earlier version"],
    ["gnno:1", "a binding's ✖️ Từ chối"],
  ])("an officer pressing %s (%s) is refused with a pop-up; nothing changes", async (data) => {
    const before = runtime.store.read();
    const r = await press(data, inGroup(COORD_GROUP));
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]).toMatch(/^⛔ Nút này chỉ dành cho quản trị viên/);
    expect(r.replies).toEqual([]);
    expect(runtime.store.read()).toBe(before);
  });

  it("an agency's group cannot approve its own extension; the Sở Nội vụ group can", async () => {
    const refused = await press("ghok:1", inGroup(TUPHAP_GROUP));
    expect(refused.notices).toEqual(["⛔ Chỉ nhóm Sở Nội vụ hoặc quản trị viên mới duyệt được đề nghị gia hạn. Không có gì thay đổi."]);
    expect(runtime.store.read().extensionRequests[0].status).toBe("pending");
    const approved = await press("ghok:1", inGroup(COORD_GROUP));
    expect(approved.text).toContain("Đã duyệt gia hạn số 1");
    expect(chat.sent.map((s) => s.chatId)).toEqual([TUPHAP_GROUP]); // the agency is told
    expect((await press("ghok:1", inGroup(COORD_GROUP))).notices).toEqual(["Đề nghị gia hạn số 1 đã được duyệt trước đó."]);
  });

  it("an admin's press of a legacy binding code still works", async () => {
    const r = await press("dkok:1", inGroup(COORD_GROUP, ADMIN));
    expect(r.text).toContain("Đã gắn nhóm");
    expect(runtime.store.read().bindings.some((b) => b.chatId === NEW_GROUP && b.agencyId === "so-y-te")).toBe(true);
  });

  it("a button of another agency's share is refused as the command would be", async () => {
    const r = await press("xong:A1@so-tu-phap", inGroup(COORD_GROUP.replace("100", "999")));
    expect(r.notices[0]).toContain("chưa gắn với cơ quan nào");
    expect(runtime.store.read().assignments[0].status).toBe("open");
  });

  it("an unknown button says so", async () => {
    expect((await press("zz:1", inGroup(COORD_GROUP))).notices).toEqual(["Nút này không còn dùng được. Gõ /giup để xem lệnh thay thế."]);
  });
});

describe("replies: the same policy", () => {
  it("an officer answering the «Nạp kế hoạch» question with a file is refused; nothing is downloaded", async () => {
    const before = runtime.store.read();
    const file = { platform: "tg", fileId: "F1", name: "kh.docx", size: 100 };
    const r = await reply(
      { file, replyTo: { messageId: "9", text: "📥 Nạp kế hoạch: gửi tệp …" } },
      { chatId: "tg:7", chatKind: "private", from: OFFICER },
    );
    expect(r.text).toMatch(/^⛔ .*chỉ dành cho quản trị viên/);
    expect(runtime.store.read()).toBe(before);
  });

  it("an evidence file for another agency's share is refused", async () => {
    const file = { platform: "tg", fileId: "F1", name: "bc.pdf", size: 100 };
    const r = await reply({ file, replyTo: { messageId: "9", text: "Mã: A1@so-tu-phap — gửi tệp kiểm chứng" } }, inGroup("tg:-400"));
    expect(r.text).toContain("chưa gắn với cơ quan nào");
    expect(runtime.store.read().assignments[0].evidence).toEqual([]);
  });
});

describe("commands", () => {
  it("/lichsu says in Vietnamese what an admin changed, before → after; /themcoquan refuses a known agency", async () => {
    const admin = inGroup(COORD_GROUP, ADMIN);
    await command("/sua A1 thoihan Quý II/2021", admin);
    const history = (await command("/lichsu A1", admin)).text;
    expect(history).toContain("sửa nhiệm vụ: thời hạn «2021-03-31» → «Quý II/2021»"); // the fixture's phrase is "2021-03-31"
    expect(history).not.toContain("task.edit");
    expect((await command("/themcoquan Ban QL Khu kinh tế", admin)).text).toContain("đã có trong danh mục");
  });

  it("an admin command from an officer names the command; an input refusal carries the usage", async () => {
    expect((await command("/sua A1 thoihan Quý II/2021", inGroup(COORD_GROUP))).text).toMatch(/^⛔ Lệnh \/sua chỉ dành cho quản trị viên/);
    const r = await command("/giahan A1 01/03/2021 chờ kinh phí", inGroup(TUPHAP_GROUP));
    expect(r.text).toMatch(/^⚠️ Ngày đề nghị 01\/03\/2021 đã qua/);
    expect(r.text).toContain("Cách dùng: /giahan");
  });
});
