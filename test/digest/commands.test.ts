import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { command as bieudo } from "../../commands/bieudo.ts";
import { command as tongket } from "../../commands/tongket.ts";
import { command as xuatbaocao } from "../../commands/xuatbaocao.ts";
import type { Router } from "../../src/bot/router.ts";
import type { ChatKind } from "../../src/chat/types.ts";
import { vnInstant } from "../../src/core/calendar.ts";
import { SUMMARY_SHEET, TASK_SHEET } from "../../src/digest/xlsx.ts";
import { botWith, COORD_CHAT, FakeResponder, kienGiang, MANAGER, TUPHAP_CHAT } from "./fixtures.ts";
import { decodePng } from "./png.ts";

const NOW = vnInstant("2021-06-30", "16:00");

async function setup() {
  return (await botWith(await kienGiang(), NOW, [tongket, xuatbaocao, bieudo])).router;
}

async function run(bot: Router, text: string, where: { chatId: string; chatKind: ChatKind; from?: string }) {
  const respond = new FakeResponder();
  const [name, ...rest] = text.replace(/^\//, "").split(" ");
  await bot.handlers().onCommand(
    {
      chatId: where.chatId,
      chatKind: where.chatKind,
      from: { id: where.from ?? "tg:7", name: "Cán bộ" },
      text,
      command: name,
      args: rest.join(" "),
    },
    respond,
  );
  return respond;
}

async function press(bot: Router, data: string, where: { chatId: string; chatKind: ChatKind; from?: string }) {
  const respond = new FakeResponder();
  await bot
    .handlers()
    .onButton({ chatId: where.chatId, chatKind: where.chatKind, from: { id: where.from ?? "tg:7", name: "Cán bộ" }, data }, respond);
  return respond;
}

const coordinator = { chatId: COORD_CHAT, chatKind: "group" as const };
const manager = { chatId: MANAGER, chatKind: "private" as const, from: MANAGER };
const stranger = { chatId: "tg:7", chatKind: "private" as const, from: "tg:7" };
const tuphap = { chatId: TUPHAP_CHAT, chatKind: "group" as const };

describe("/tongket scope", () => {
  it("a manager's private chat gets the whole province, and /xuatbaocao's .xlsx agrees with it and the hand count", async () => {
    const bot = await setup();
    const r = await run(bot, "/tongket quy 2", manager);
    expect(r.replies).toHaveLength(1);
    const text = r.replies[0].text;
    expect(text).toContain("Toàn tỉnh · số liệu đến 30/06/2021");
    expect(text).toContain("Tổng số nhiệm vụ: 15");
    expect(text).toContain("✅ Hoàn thành: 5 — đúng hạn 2, quá hạn 3");
    expect(text).toContain("⏳ Chưa hoàn thành: 9 — trong hạn 1, quá hạn 8");
    expect(text).toContain("⏸ Chờ điều kiện: 1");
    expect(r.replies[0].buttons!.flat().map((b) => b.data)).toEqual(["tkct:q2/2021", "tkbd:q2/2021", "tkxl:q2/2021"]);

    const x = await run(bot, "/xuatbaocao quy 2", manager);
    expect(x.files).toHaveLength(1);
    expect(x.files[0]).toMatchObject({ name: "tong-ket-cchc-quy-ii-2021.xlsx", kind: "document" });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.files[0].data as unknown as ArrayBuffer);
    const s = wb.getWorksheet(SUMMARY_SHEET)!;
    // Same figures: 15 tasks, 2 on time, 3 late, 1 open, 8 overdue, 1 waiting.
    expect([7, 8, 9, 10, 11, 14].map((row) => s.getCell(row, 2).value)).toEqual([15, 2, 3, 1, 8, 1]);
    expect(wb.getWorksheet(TASK_SHEET)!.rowCount).toBe(16);
  });

  it("the Sở Nội vụ group gets the province, or one agency or area it names", async () => {
    const bot = await setup();
    expect((await run(bot, "/tongket quy 2", coordinator)).text).toContain("Tổng số nhiệm vụ: 15");
    const vp = (await run(bot, "/tongket quy 2 vp-ubnd", coordinator)).replies[0];
    expect(vp.text).toContain("Văn phòng UBND tỉnh · số liệu đến 30/06/2021");
    expect(vp.text).toContain("Tổng số nhiệm vụ: 3");
    expect(vp.buttons!.flat()[0].data).toBe("tkct:q2/2021 vp-ubnd");
    const area = (await run(bot, "/tongket quý II chính quyền số", coordinator)).text;
    expect(area).toContain("Toàn tỉnh · Chính quyền điện tử, chính quyền số");
    expect(area).toContain("Tổng số nhiệm vụ: 3");
    expect((await run(bot, "/tongket quy 2 so-noi-vu tthc", coordinator)).text).toContain("Không có nhiệm vụ nào");
  });

  it("an agency group sees its own figures only", async () => {
    const bot = await setup();
    const own = await run(bot, "/tongket quy 2", tuphap);
    expect(own.text).toContain("Sở Tư pháp · số liệu đến 30/06/2021");
    expect(own.text).toContain("Tổng số nhiệm vụ: 1");
    expect(own.text).toContain("🔴 Quá hạn: A3");
    expect((await run(bot, "/tongket quy 2 so-tu-phap", tuphap)).text).toContain("Tổng số nhiệm vụ: 1");
    const other = await run(bot, "/tongket quy 2 vp-ubnd", tuphap);
    expect(other.text).toBe("⛔ Nhóm này chỉ xem được nhiệm vụ của cơ quan mình.");
    // Nor through a button made elsewhere.
    expect((await press(bot, "tkct:q2/2021 vp-ubnd", tuphap)).notices).toEqual(["⛔ Nhóm này chỉ xem được nhiệm vụ của cơ quan mình."]);
    expect((await press(bot, "tkxl:q2/2021 vp-ubnd", tuphap)).files).toEqual([]);
    // A manager writing in an agency's group gets that agency's figures too.
    const adminApp = await setup();
    expect((await run(adminApp, "/tongket quy 2", { ...tuphap, from: MANAGER })).text).toContain("Sở Tư pháp ·");
  });

  it("refuses a private chat of someone who is not a manager, and an unbound group", async () => {
    const bot = await setup();
    expect((await run(bot, "/tongket quy 2", stranger)).text).toMatch(/^⛔ Tổng hợp trong tin nhắn riêng chỉ dành cho lãnh đạo/);
    expect((await run(bot, "/bieudo", stranger)).files).toEqual([]);
    expect((await run(bot, "/tongket", { chatId: "tg:-999", chatKind: "group" })).text).toMatch(/chưa gắn với cơ quan nào/);
  });

  it("answers malformed arguments with the usage", async () => {
    const bot = await setup();
    const five = (await run(bot, "/tongket quy 5", manager)).text;
    expect(five).toMatch(/^⚠️ Không có quý 5/);
    expect(five).toContain("Cách dùng: /tongket");
    expect((await run(bot, "/tongket thang 13", manager)).text).toMatch(/^⚠️ Không có tháng 13/);
    const unknown = (await run(bot, "/tongket quy 2 so-khong-co", manager)).text;
    expect(unknown).toMatch(/^⚠️ Không tìm thấy cơ quan «so-khong-co»/);
    expect(unknown).toContain("Cách dùng: /tongket");
    expect((await run(bot, "/xuatbaocao quy IX", manager)).text).toContain("Cách dùng: /xuatbaocao");
  });

  it("gives the detail on request: `chitiet`, or the button", async () => {
    const bot = await setup();
    const typed = (await run(bot, "/tongket quy 2 chi tiết", manager)).text;
    expect(typed).toContain("THEO CƠ QUAN (quá hạn nhiều trước):");
    expect(typed).toContain("• A10 — Sở Nội vụ — hạn 31/12/2020, trễ 120 ngày làm việc");
    const pressed = await press(bot, "tkct:q2/2021", manager);
    expect(pressed.text).toBe(typed);
  });

  it("defaults to the quarter of today; `nam` is the year", async () => {
    const bot = await setup();
    expect((await run(bot, "/tongket", manager)).text).toContain("Quý II/2021");
    expect((await run(bot, "/tongket nam", manager)).text).toContain("Tổng số nhiệm vụ: 30");
    expect((await run(bot, "/xuatbaocao năm", manager)).files[0].name).toBe("tong-ket-cchc-nam-2021.xlsx");
  });

  it("/bieudo sends the chart as a photo; in an agency group, by area", async () => {
    const bot = await setup();
    const r = await run(bot, "/bieudo quy 2", manager);
    expect(r.files).toHaveLength(1);
    expect(r.files[0]).toMatchObject({ kind: "photo", name: "bieu-do-cchc-quy-ii-2021.png" });
    expect(r.files[0].caption).toContain("36%");
    expect(decodePng(r.files[0].data)).toMatchObject({ width: 1000, height: 124 + 7 * 30 + 44 });
    const own = await run(bot, "/bieudo quy 2", tuphap);
    expect(decodePng(own.files[0].data).height).toBe(124 + 1 * 30 + 44); // one area: Cải cách thể chế
  });
});
