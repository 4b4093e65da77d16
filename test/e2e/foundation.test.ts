import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorHarness } from "../support/emulator.ts";
import { agencyOfChat } from "../../src/domain/bindings.ts";

const ADMIN = { id: 1001, name: "Chị Lan Sở Nội vụ" };
const OFFICER = { id: 2002, name: "Anh Minh" };

describe("e2e over the telegram-test-api emulator: foundation", () => {
  let h: EmulatorHarness;
  beforeAll(async () => {
    h = await EmulatorHarness.start({ admins: [ADMIN.id] });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("answers /giup in a group with the help generated from the registry", async () => {
    const group = h.group(-100101, "Sở Tư pháp - CCHC");
    await group.command(OFFICER, "/giup");
    const text = await group.text();
    expect(text).toContain("/tiendo");
    expect(text).toContain("/xong");
    expect(text).toContain("Gõ /giup <lệnh>");
    // Admin-only commands are not advertised to officers.
    expect(text).not.toContain("/nap");
  });

  it("accepts /command@botname in groups and ignores commands for other bots", async () => {
    const group = h.group(-100102);
    await group.command(OFFICER, "/giup@TestNameBot tiendo");
    expect(await group.text()).toContain("Cách dùng: /tiendo");
    await group.command(OFFICER, "/giup@SomeOtherBot");
    expect(await group.messages()).toEqual([]);
  });

  it("binds a group when an admin runs /dangky, with an audit event", async () => {
    const group = h.group(-100103, "Nhóm Sở Tư pháp");
    await group.command(ADMIN, "/dangky Sở Tư pháp");
    expect(await group.text()).toContain("Đã gắn nhóm này với Sở Tư pháp");
    const binding = h.runtime.store.read().bindings.find((b) => b.chatId === "tg:-100103");
    expect(binding).toMatchObject({ agencyId: "so-tu-phap", boundBy: "tg:1001", title: "Nhóm Sở Tư pháp" });
    const events = await h.runtime.store.events({ agencyId: "so-tu-phap" });
    expect(events[0]).toMatchObject({ action: "bind", actor: { id: "tg:1001" }, chatId: "tg:-100103" });
  });

  it("refuses a non-admin's /dangky with a clear message, changes nothing until an admin confirms", async () => {
    const coordinator = h.group(-100100, "Sở Nội vụ");
    await coordinator.command(ADMIN, "/dangky so-noi-vu");
    await coordinator.messages();
    // The same binding again: said so, nothing written (found by a newcomer: a no-op "bind" event)
    const seq = h.runtime.store.read().eventSeq;
    await coordinator.command(ADMIN, "/dangky so-noi-vu");
    expect(await coordinator.text()).toContain("Nhóm này đã gắn với Sở Nội vụ rồi; không có gì thay đổi.");
    expect(h.runtime.store.read().eventSeq).toBe(seq);
    const group = h.group(-100104, "Nhóm Sở Y tế");
    await group.command(OFFICER, "/dangky Sở Y tế");
    const [answer] = await group.messages();
    expect(answer.text).toContain("Chỉ quản trị viên mới gắn được nhóm");
    expect(answer.reply_markup?.inline_keyboard ?? []).toEqual([]); // the decision's buttons went to the Sở Nội vụ, not here
    expect(h.runtime.store.read().bindings.some((b) => b.chatId === "tg:-100104")).toBe(false);

    // The request reached the Sở Nội vụ group; an officer pressing Confirm is refused…
    const [request] = await coordinator.messages();
    expect(request.text).toContain("Sở Y tế");
    await coordinator.press(OFFICER, request, "✅ Xác nhận");
    expect(h.runtime.store.read().bindings.some((b) => b.chatId === "tg:-100104")).toBe(false);
    // …an admin's press binds it and tells the group.
    await coordinator.press(ADMIN, request, "✅ Xác nhận");
    expect(h.runtime.store.read().bindings.find((b) => b.chatId === "tg:-100104")?.agencyId).toBe("so-y-te");
    expect(await group.text()).toContain("đã xác nhận");
  });

  it("suggests agencies when the name is unknown, and lists bound groups in /coquan", async () => {
    const group = h.group(-100105);
    await group.command(ADMIN, "/dangky Sở Tư");
    expect(await group.text()).toMatch(/Không tìm thấy cơ quan «Sở Tư»[\s\S]*so-tu-phap/);
    await group.command(OFFICER, "/coquan tư pháp");
    expect(await group.text()).toContain("so-tu-phap · Sở Tư pháp · ✅ Nhóm Sở Tư pháp");
  });

  it("unbinds with /huydangky (admin only)", async () => {
    const group = h.group(-100106, "Nhóm tạm");
    await group.command(ADMIN, "/dangky Sở Xây dựng");
    await group.command(OFFICER, "/huydangky");
    expect(await group.text()).toContain("chỉ dành cho quản trị viên");
    expect(agencyOfChat(h.runtime.store.read(), "tg:-100106")).toBe("so-xay-dung");
    await group.command(ADMIN, "/huydangky");
    expect(await group.text()).toContain("Đã bỏ gắn");
    expect(agencyOfChat(h.runtime.store.read(), "tg:-100106")).toBeNull();
  });

  it("answers an unknown command with a pointer to /giup", async () => {
    const group = h.group(-100107);
    await group.command(OFFICER, "/khongco");
    expect(await group.text()).toContain("Không có lệnh /khongco. Gõ /giup");
  });
});
