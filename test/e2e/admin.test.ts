/** Admins fix data from the chat: edit a task, add an agency, map a plan's name to it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorHarness, type GroupChat } from "../support/emulator.ts";
import { dataOf } from "../support/env.ts";
import { loadPlan } from "../support/plans.ts";

const ADMIN = { id: 1001, name: "Chị Lan" };
const OFFICER = { id: 3003, name: "Anh Tư" };

describe("e2e: admins fix data", () => {
  let h: EmulatorHarness;
  let chat: GroupChat;
  beforeAll(async () => {
    h = await EmulatorHarness.start({ admins: [ADMIN.id], clock: () => new Date("2022-02-07T01:00:00Z"), throttle: false });
    await loadPlan(h.runtime, "quang-ngai-2022.txt");
    chat = h.group(1001, "riêng"); // the admin's private chat
  });
  afterAll(async () => h?.stop());
  const task = (code: string) => h.runtime.store.read().tasks.find((t) => t.code === code)!;

  it("/sua changes a task's deadline with an audit event; unreadable values and non-admins change nothing", async () => {
    const before = task("A1").deadline;
    const officer = h.group(-4001, "Sở Tư pháp");
    await officer.command(OFFICER, "/sua A1 thoihan Quý III/2022");
    expect(await officer.text()).toContain("chỉ dành cho quản trị viên");
    await chat.command(ADMIN, "/sua A1 thoihan hôm nào rảnh");
    expect(await chat.text()).toContain("Không đọc được thời hạn «hôm nào rảnh»");
    expect(task("A1").deadline).toEqual(before);

    await chat.command(ADMIN, "/sua A1 thoihan Quý III/2022");
    expect(await chat.text()).toContain("Đã sửa thời hạn của A1: Quý III/2022");
    expect(task("A1").deadline).toMatchObject({ raw: "Quý III/2022", kind: "period", milestones: [{ due: "2022-09-30" }] });
    const [event] = await h.runtime.store.events({ taskCode: "A1", limit: 1 });
    expect(event).toMatchObject({
      action: "task.edit",
      actor: { id: "tg:1001" },
      before: { deadline: before },
      after: { deadline: { raw: "Quý III/2022" } },
    });
  });

  it("/themcoquan then /bidanh: the plan's unknown lead becomes an agency with its assignment", async () => {
    const orphan = h.runtime.store.read().tasks.find((t) => t.leads.some((l) => l.raw === "UBND thành phố Quảng Ngãi"))!;
    expect(h.runtime.store.read().assignments.some((a) => a.taskCode === orphan.code && a.agencyId === "ubnd-tp-quang-ngai")).toBe(false);
    await chat.command(ADMIN, "/themcoquan UBND thành phố Quảng Ngãi = ubnd-tp-quang-ngai");
    expect(await chat.text()).toContain("Đã thêm UBND thành phố Quảng Ngãi (mã ubnd-tp-quang-ngai)");
    await chat.command(ADMIN, "/bidanh UBND thành phố Quảng Ngãi = ubnd-tp-quang-ngai");
    expect(await chat.text()).toContain(`Đã giao 1 nhiệm vụ: ${orphan.code}`);
    expect(task(orphan.code).leads.find((l) => l.raw === "UBND thành phố Quảng Ngãi")?.agencyId).toBe("ubnd-tp-quang-ngai");
    expect(h.runtime.store.read().assignments.some((a) => a.id === `${orphan.code}@ubnd-tp-quang-ngai`)).toBe(true);
    // The new agency can now have its group.
    const city = h.group(-4002, "UBND TP Quảng Ngãi");
    await city.command(ADMIN, "/dangky ubnd-tp-quang-ngai");
    expect(await city.text()).toContain("Đã gắn nhóm này với UBND thành phố Quảng Ngãi");
  });

  it("/bidanh to an unknown id and a malformed /themcoquan change nothing", async () => {
    const before = dataOf(h.runtime.store);
    await chat.command(ADMIN, "/bidanh Sở Gì Đó = khong-co");
    expect(await chat.text()).toContain("Không có cơ quan mã «khong-co»");
    await chat.command(ADMIN, "/themcoquan Sở Tư pháp = so-tu-phap");
    expect(await chat.text()).toContain("Đã có cơ quan mã «so-tu-phap»");
    await chat.command(ADMIN, "/bidanh");
    expect(await chat.text()).toContain("Cách dùng: /bidanh");
    expect(dataOf(h.runtime.store)).toBe(before);
  });
});
