/**
 * Focal officers report progress from their group: every command and button end to end
 * over the telegram-test-api emulator, with the store and the audit trail checked after each.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorHarness, type GroupChat } from "../support/emulator.ts";
import { bindChat, loadPlan } from "../support/plans.ts";

const NOW = new Date("2021-03-25T01:00:00Z"); // 08:00 in Vietnam, Thursday 25/03/2021
const ADMIN = { id: 1001, name: "Chị Lan (Sở Nội vụ)" };
const OFFICER = { id: 3003, name: "Anh Tư (Sở Tư pháp)" };
const OTHER = { id: 4004, name: "Chị Hà (Sở TT&TT)" };
const SNV = { id: 5005, name: "Anh Nam (Sở Nội vụ)" };

describe("e2e: progress, evidence, blockers, extensions, audit", () => {
  let h: EmulatorHarness;
  let tuPhap: GroupChat;
  let tttt: GroupChat;
  let noiVu: GroupChat;

  /** What a refusal or a malformed command must leave untouched. */
  async function snapshot() {
    const data = h.runtime.store.read();
    return JSON.stringify({ a: data.assignments, r: data.extensionRequests, e: (await h.runtime.store.events({})).length });
  }
  const assignment = (id: string) => h.runtime.store.read().assignments.find((a) => a.id === id)!;

  beforeAll(async () => {
    // Throttling off: this suite sends more than Telegram's 20 messages a minute to one
    // group; the fan-out tests and benchmarks cover the throttler.
    h = await EmulatorHarness.start({ admins: [ADMIN.id], clock: () => NOW, throttle: false });
    await loadPlan(h.runtime, "kien-giang-2021.txt");
    tuPhap = h.group(-2001, "Sở Tư pháp — CCHC");
    tttt = h.group(-2002, "Sở TT&TT — CCHC");
    noiVu = h.group(-2000, "Sở Nội vụ — CCHC");
    await bindChat(h.runtime, "tg:-2001", "so-tu-phap");
    await bindChat(h.runtime, "tg:-2002", "so-tttt");
    await bindChat(h.runtime, "tg:-2000", "so-noi-vu");
  });
  afterAll(async () => h?.stop());

  it("/nhiemvu lists the agency's open assignments with code, due, status", async () => {
    await tuPhap.command(OFFICER, "/nhiemvu");
    const text = await tuPhap.text();
    expect(text).toContain("Nhiệm vụ chưa hoàn thành — Sở Tư pháp (4)");
    expect(text).toMatch(/A3 — .* — hạn 31\/01\/2021, trễ \d+ ngày làm việc — đang làm, 0%/);
    expect(text).toMatch(/A4 — .* — hạn 31\/12\/2021, còn \d+ ngày làm việc/);
    expect(text).not.toContain("A5 —"); // Văn phòng UBND tỉnh's
  });

  it("/tiendo sets progress with an audit event (who, where, before → after, text)", async () => {
    await tuPhap.command(OFFICER, "/tiendo a4 60 đã có dự thảo");
    expect(await tuPhap.text()).toContain("A4 — Sở Tư pháp: tiến độ 0% → 60% (đã có dự thảo)");
    expect(assignment("A4@so-tu-phap")).toMatchObject({ progress: 60, status: "open", note: "đã có dự thảo" });
    const [event] = await h.runtime.store.events({ taskCode: "A4", limit: 1 });
    expect(event).toMatchObject({
      action: "progress",
      actor: { id: "tg:3003", name: "Anh Tư (Sở Tư pháp)" },
      chatId: "tg:-2001",
      agencyId: "so-tu-phap",
      before: { progress: 0 },
      after: { progress: 60 },
      text: "/tiendo a4 60 đã có dự thảo",
    });
  });

  it.each([
    ["/tiendo", "Thiếu mã nhiệm vụ"],
    ["/tiendo A4", "Thiếu tiến độ"],
    ["/tiendo A4 150", "Tiến độ «150» không hợp lệ"],
    ["/tiendo A4 -5", "Tiến độ «-5» không hợp lệ"],
    ["/tiendo A4 abc", "Tiến độ «abc» không hợp lệ"],
    ["/tiendo A4 12.5", "Tiến độ «12.5» không hợp lệ"],
  ])("malformed %s gets the usage with an example and changes nothing", async (command, problem) => {
    const before = await snapshot();
    await tuPhap.command(OFFICER, command);
    const text = await tuPhap.text();
    expect(text).toContain(problem);
    expect(text).toContain("Cách dùng: /tiendo <mã nhiệm vụ> <0–100>");
    expect(text).toContain("Ví dụ:");
    expect(await snapshot()).toBe(before);
  });

  it("an unknown code answers with the closest codes and changes nothing", async () => {
    const before = await snapshot();
    await tuPhap.command(OFFICER, "/tiendo A44 50");
    expect(await tuPhap.text()).toMatch(/Không có nhiệm vụ mã «A44»\. Có phải: .*A4/);
    expect(await snapshot()).toBe(before);
  });

  it("another agency's group is refused and nothing changes", async () => {
    const before = await snapshot();
    await tttt.command(OTHER, "/tiendo A4 90");
    expect(await tttt.text()).toContain("chỉ cập nhật được nhiệm vụ của cơ quan mình; phần việc này thuộc Sở Tư pháp");
    await tttt.command(OTHER, "/xong A4");
    expect(await tttt.text()).toContain("⛔");
    expect(await snapshot()).toBe(before);
  });

  it("an unbound group is refused", async () => {
    const stray = h.group(-2099, "Nhóm lạ");
    const before = await snapshot();
    await stray.command(OTHER, "/tiendo A4 10");
    expect(await stray.text()).toContain("chưa gắn với cơ quan nào");
    expect(await snapshot()).toBe(before);
  });

  it("/xong with a document number records evidence and on-time completion", async () => {
    await tuPhap.command(OFFICER, "/xong A4 45/BC-STP ngày 20/3/2021 gửi UBND tỉnh");
    const text = await tuPhap.text();
    expect(text).toContain("✅ A4 — Sở Tư pháp: hoàn thành (hạn 31/12/2021), đúng hạn.");
    expect(text).toContain("Văn bản kiểm chứng: 45/BC-STP ngày 20/03/2021.");
    expect(assignment("A4@so-tu-phap")).toMatchObject({
      status: "done",
      progress: 100,
      milestonesDone: ["2021-12-31"],
      lateMilestones: [],
      evidence: [{ documentNumber: "45/BC-STP", documentDate: "2021-03-20", by: "tg:3003" }],
    });
    // Done is done: a second /xong changes nothing.
    const before = await snapshot();
    await tuPhap.command(OFFICER, "/xong A4");
    expect(await tuPhap.text()).toContain("đã báo hoàn thành trước đó");
    expect(await snapshot()).toBe(before);
  });

  it("a file sent in reply to the bot's answer is stored as evidence, by reference", async () => {
    await tuPhap.command(OFFICER, "/xong A3 12/KH-UBND ngày 25/01/2021");
    const [answer] = await tuPhap.messages();
    expect(answer.text).toContain("trễ hạn"); // due 31/01/2021
    expect(assignment("A3@so-tu-phap").lateMilestones).toEqual(["2021-01-31"]);
    await tuPhap.file(OFFICER, { file_id: "BQACAgUAAxkB-kh12", file_name: "KH-12.pdf", file_size: 81234 }, answer);
    expect(await tuPhap.text()).toContain("Đã lưu tệp kiểm chứng «KH-12.pdf» cho A3");
    expect(assignment("A3@so-tu-phap").evidence.at(-1)).toMatchObject({
      file: { platform: "tg", fileId: "BQACAgUAAxkB-kh12", name: "KH-12.pdf", size: 81234 },
    });
  });

  it("buttons: 📈 Tiến độ offers 25/50/75/100 and sets it; another agency's button gets no change", async () => {
    await tuPhap.command(OFFICER, "/chitiet A2");
    const [detail] = await tuPhap.messages();
    expect(detail.text).toContain("📋 A2 —");
    await tuPhap.press(OFFICER, detail, "📈 Tiến độ");
    const [menu] = await tuPhap.messages();
    expect(menu.reply_markup?.inline_keyboard?.[0].map((b) => b.text)).toEqual(["25%", "50%", "75%", "100%"]);
    await tuPhap.press(OFFICER, menu, "75%");
    expect(await tuPhap.text()).toContain("A2 — Sở Tư pháp: tiến độ 0% → 75%");
    expect(assignment("A2@so-tu-phap").progress).toBe(75);

    // The same buttons pressed in another agency's group: refused (alert), nothing changes.
    const before = await snapshot();
    await tttt.press(OTHER, menu, "100%");
    await tttt.press(OTHER, detail, /xong/);
    expect(await snapshot()).toBe(before);
  });

  it("⚠️ Vướng mắc asks for the text as a reply, then forwards it to the Sở Nội vụ group", async () => {
    await tuPhap.command(OFFICER, "/chitiet A1");
    const [detail] = await tuPhap.messages();
    await tuPhap.press(OFFICER, detail, "⚠️ Vướng mắc");
    const [prompt] = await tuPhap.messages();
    expect(prompt.text).toContain("Vướng mắc — Mã: A1@so-tu-phap");
    await tuPhap.say(OFFICER, "Chờ Sở Tài chính bố trí kinh phí", prompt);
    expect(await tuPhap.text()).toContain("Đã ghi nhận vướng mắc của A1 và chuyển tới nhóm Sở Nội vụ");
    expect(assignment("A1@so-tu-phap")).toMatchObject({ status: "blocked", blocker: "Chờ Sở Tài chính bố trí kinh phí" });
    expect(await noiVu.text()).toMatch(/Vướng mắc — Sở Tư pháp\nA1 — [\s\S]*«Chờ Sở Tài chính bố trí kinh phí»/);
  });

  it("/vuongmac by command, and its malformed forms", async () => {
    await tuPhap.command(OFFICER, "/vuongmac A2");
    expect(await tuPhap.text()).toContain("Thiếu nội dung vướng mắc");
    await tuPhap.command(OFFICER, "/vuongmac A2 Chưa có hướng dẫn của Bộ Tư pháp");
    expect(assignment("A2@so-tu-phap").status).toBe("blocked");
    expect(await noiVu.text()).toContain("«Chưa có hướng dẫn của Bộ Tư pháp»");
    await tuPhap.messages();
  });

  it.each([
    ["/giahan A1", "Thiếu mã nhiệm vụ hoặc ngày"],
    ["/giahan A1 31/02/2021 chờ kinh phí", "Ngày «31/02/2021» không có thật"],
    ["/giahan A1 30-04 chờ kinh phí", "Ngày «30-04» không hợp lệ"],
    ["/giahan A1 01/03/2021 chờ kinh phí", "đã qua"],
    ["/giahan A1 30/04/2021", "Thiếu lý do"],
  ])("malformed %s: usage, nothing changes", async (command, problem) => {
    const before = await snapshot();
    await tuPhap.command(OFFICER, command);
    const text = await tuPhap.text();
    expect(text).toContain(problem);
    expect(text).toContain("Cách dùng: /giahan");
    expect(await snapshot()).toBe(before);
  });

  it("/giahan → Sở Nội vụ approves with the button → the milestone moves, the original stays in history", async () => {
    await tuPhap.command(OFFICER, "/giahan A1 30/04/2021 Chờ kinh phí");
    expect(await tuPhap.text()).toContain("Đã gửi đề nghị gia hạn số 1 cho A1 đến 30/04/2021; chờ Sở Nội vụ duyệt.");
    const [request] = await noiVu.messages();
    expect(request.text).toContain("Đề nghị gia hạn số 1 — Sở Tư pháp");
    expect(request.text).toContain("Hạn hiện tại 31/12/2020 → đề nghị 30/04/2021");

    // Only the Sở Nội vụ group (or an admin) decides: /duyet from the agency's group is refused.
    const before = await snapshot();
    await tuPhap.command(OFFICER, "/duyet 1");
    expect(await tuPhap.text()).toContain("Chỉ nhóm Sở Nội vụ hoặc quản trị viên mới duyệt được");
    expect(await snapshot()).toBe(before);

    await noiVu.press(SNV, request, "✅ Duyệt");
    expect(await noiVu.text()).toContain("Đã duyệt gia hạn số 1: A1 — Sở Tư pháp, hạn mới 30/04/2021");
    expect(await tuPhap.text()).toContain("Đã duyệt gia hạn số 1");
    expect(assignment("A1@so-tu-phap").extensions).toEqual([{ originalDue: "2020-12-31", newDue: "2021-04-30", requestId: 1 }]);
    expect(h.runtime.store.read().extensionRequests[0]).toMatchObject({ status: "approved", decidedBy: "tg:5005" });

    await tuPhap.command(OFFICER, "/chitiet A1");
    const detail = await tuPhap.text();
    expect(detail).toContain("30/04/2021 (gia hạn từ 31/12/2020)");
    expect(detail).toMatch(/hạn 30\/04\/2021, còn \d+ ngày làm việc/);
  });

  it("/tuchoi rejects with a reason; a decided request can't be decided again", async () => {
    await tuPhap.command(OFFICER, "/giahan A2 30/06/2021 Chờ hướng dẫn");
    await tuPhap.messages();
    await noiVu.messages();
    await noiVu.command(SNV, "/tuchoi 2");
    expect(await noiVu.text()).toContain("Thiếu lý do từ chối");
    await noiVu.command(SNV, "/tuchoi 2 Nhiệm vụ trọng tâm");
    expect(await noiVu.text()).toContain("Đã từ chối gia hạn số 2");
    expect(await tuPhap.text()).toContain("Lý do: Nhiệm vụ trọng tâm");
    expect(assignment("A2@so-tu-phap").extensions).toEqual([]);
    await noiVu.command(SNV, "/duyet 2");
    expect(await noiVu.text()).toContain("đã được từ chối trước đó");
    await noiVu.command(SNV, "/duyet 99");
    expect(await noiVu.text()).toContain("Không có đề nghị gia hạn số 99");
  });

  it("/lichsu shows who did what, newest first; /chitiet shows evidence", async () => {
    await tuPhap.command(OFFICER, "/lichsu A1");
    const history = await tuPhap.text();
    expect(history).toContain("Lịch sử A1");
    const order = ["dời hạn", "duyệt gia hạn", "đề nghị gia hạn", "báo vướng mắc"].map((w) => history.indexOf(w));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(history).toContain("Anh Nam (Sở Nội vụ)");
    expect(history).toMatch(/dời hạn \(phần của Sở Tư pháp\): hạn \d\d\/\d\d\/\d{4} → 30\/04\/2021/);
    await tuPhap.command(OFFICER, "/chitiet A3");
    expect(await tuPhap.text()).toMatch(/Kiểm chứng: 12\/KH-UBND ngày 25\/01\/2021[\s\S]*📎 KH-12\.pdf/);
  });

  it("conditional tasks: /dieukien and the 🗓 button set the due once the condition is met", async () => {
    const khcn = h.group(-2003, "Sở KH&CN");
    await bindChat(h.runtime, "tg:-2003", "so-khcn");
    const before = await snapshot();
    await khcn.command(OTHER, "/dieukien A16 31/02/2021");
    expect(await khcn.text()).toContain("Ngày «31/02/2021» không có thật");
    await khcn.command(OTHER, "/dieukien A24 30/09/2021");
    expect(await khcn.text()).toContain("không phải nhiệm vụ chờ điều kiện");
    expect(await snapshot()).toBe(before);

    await khcn.command(OTHER, "/chitiet A16");
    const [detail] = await khcn.messages();
    await khcn.press(OTHER, detail, "🗓 Có ngày");
    const [prompt] = await khcn.messages();
    expect(prompt.text).toContain("Thời điểm thực hiện — Mã: A16@so-khcn");
    await khcn.say(OTHER, "30/09/2021", prompt);
    expect(await khcn.text()).toContain("A16 — Sở Khoa học và Công nghệ: điều kiện đã có, hạn thực hiện 30/09/2021");
    expect(assignment("A16@so-khcn").conditionDue).toBe("2021-09-30");
    await khcn.command(OTHER, "/nhiemvu");
    expect(await khcn.text()).toMatch(/A16 — .* — hạn 30\/09\/2021, còn \d+ ngày làm việc/);
  });

  it("/quahan and /sapden: the agency's own in its group, everyone's in the Sở Nội vụ group", async () => {
    await tuPhap.command(OFFICER, "/quahan");
    const own = await tuPhap.text();
    expect(own).not.toContain("A1 —"); // extended to 30/04
    expect(own).toMatch(/Quá hạn — Sở Tư pháp \(1\):\n• A2 — .* — hạn 28\/02\/2021, trễ 19 ngày làm việc — ⚠️ vướng mắc, 75%/);
    await noiVu.command(SNV, "/quahan");
    const all = await noiVu.text();
    expect(all).toMatch(/A19 — .* — Sở Thông tin và Truyền thông/);
    await tuPhap.command(OFFICER, "/sapden 40");
    expect(await tuPhap.text()).toMatch(/Sắp đến hạn đến 04\/05\/2021 — Sở Tư pháp \(1\):\n• A1 —/);
    await tuPhap.command(OFFICER, "/sapden 0");
    expect(await tuPhap.text()).toContain("Cách dùng: /sapden");
  });
});
