/**
 * Re-importing a plan keeps what admins fixed (issue: "an import that never undoes an admin"):
 * edits made in chat with /sua survive a re-import of the unchanged plan, a plan amended in
 * the same field shows the conflict, codes of rows still there never change, and every task
 * whose agencies change is listed in the preview before anything is written. The edits go
 * through the real bot over the emulator; the import through the same service /nap and
 * `npm run import` use.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitImport, prepareImport, previewText } from "../../src/import/service.ts";
import { EmulatorHarness, type GroupChat } from "../support/emulator.ts";
import { dataOf } from "../support/env.ts";
import { loadPlan, planPath } from "../support/plans.ts";

const ADMIN = { id: 1001, name: "Chị Lan" };
const PLAN = "kien-giang-2021.txt";

describe("e2e: a re-import never undoes an admin", () => {
  let h: EmulatorHarness;
  let chat: GroupChat;
  const task = (code: string) => h.runtime.store.read().tasks.find((t) => t.code === code)!;
  const preview = (text: string) =>
    prepareImport(
      h.runtime.store,
      h.runtime.directory(),
      { name: PLAN, data: Buffer.from(text) },
      { now: new Date("2021-02-01T01:00:00Z") },
    );
  const commit = (p: Awaited<ReturnType<typeof preview>>) =>
    commitImport(h.runtime.store, p, {
      directory: h.runtime.directory(),
      actor: { id: "test", name: "Kiểm thử" },
      chatId: null,
      now: new Date("2021-02-01T01:00:00Z"),
      source: PLAN,
      removeMissing: true,
    });
  const source = readFileSync(planPath(PLAN), "utf8");
  /** The plan as last imported (amended by the tests in turn). */
  let current = source;

  beforeAll(async () => {
    h = await EmulatorHarness.start({ admins: [ADMIN.id], clock: () => new Date("2021-02-01T01:00:00Z"), throttle: false });
    await loadPlan(h.runtime, PLAN);
    chat = h.group(1001, "riêng");
  });
  afterAll(async () => h?.stop());

  it("edits of content, deadline and lead made with /sua survive re-importing the unchanged plan; codes stay", async () => {
    const codes = h.runtime.store.read().tasks.map((t) => [t.code, t.row]);
    await chat.command(ADMIN, "/sua A20 noidung Ban hành Kế hoạch số hóa hồ sơ thủ tục hành chính năm 2021 (đã sửa)");
    expect(await chat.text()).toContain("Đã sửa");
    await chat.command(ADMIN, "/sua A12 thoihan Quý III/2021");
    expect(await chat.text()).toContain("Đã sửa");
    await chat.command(ADMIN, "/sua A3 chutri Văn phòng UBND tỉnh");
    expect(await chat.text()).toContain("Đã sửa");

    const again = await preview(source);
    expect(again.diff).toMatchObject({ added: [], removed: [], changed: [], conflicts: [], reassigned: [] });
    const text = previewText(again, { directory: h.runtime.directory(), via: "chat" });
    expect(text).toContain("thêm 0, sửa 0, bỏ 0, giữ nguyên 31");
    await commit(again);
    expect(h.runtime.store.read().tasks.map((t) => [t.code, t.row])).toEqual(codes);
    expect(task("A20").content).toBe("Ban hành Kế hoạch số hóa hồ sơ thủ tục hành chính năm 2021 (đã sửa)");
    expect(task("A20").removed).toBe(false);
    expect(task("A12").deadline).toMatchObject({ raw: "Quý III/2021", milestones: [{ due: "2021-09-30" }] });
    expect(task("A3").leads).toEqual([{ raw: "Văn phòng UBND tỉnh", agencyId: "vp-ubnd" }]);
    expect(h.runtime.store.read().assignments.some((a) => a.id === "A3@vp-ubnd")).toBe(true);
  });

  it("a plan amended in a field an admin edited shows the conflict (in Vietnamese) and takes the plan's value", async () => {
    const before = task("A12").deadline.raw;
    expect(before).toBe("Quý III/2021");
    // The phrase as the plan gives it (the scrape wraps it over lines).
    const planRaw = new RegExp(task("A12").fromPlan!.deadline.split(" ").join("\\s+"));
    const amended = source.replace(planRaw, "Quý IV/2021");
    expect(amended).not.toBe(source);
    const p = await preview(amended);
    expect(p.diff.conflicts).toEqual([{ code: "A12", field: "deadline", plan: "Quý IV/2021", admin: "Quý III/2021" }]);
    const text = previewText(p, { directory: h.runtime.directory(), via: "chat" });
    expect(text).toContain("⚠️ Kế hoạch mới đổi chỗ quản trị viên đã sửa (1)");
    expect(text).toContain("A12 thời hạn: kế hoạch «Quý IV/2021», đã sửa «Quý III/2021»");
    expect(text).toMatch(/A12: đổi thời hạn/);
    expect(text).not.toMatch(/deadline|content|leads/);
    await commit(p);
    current = amended;
    expect(task("A12").deadline.raw).toBe("Quý IV/2021");
  });

  it("a row rewritten in an amendment keeps its code", async () => {
    const a5 = task("A5");
    const rewritten = current.replace(
      a5.fromPlan!.content.split(" ").slice(0, 6).join(" "),
      `${a5.fromPlan!.content.split(" ").slice(0, 6).join(" ")} đã điều chỉnh`,
    );
    const p = await preview(rewritten);
    expect(p.diff.added).toEqual([]);
    expect(p.diff.changed.map((c) => [c.after.code, c.fields])).toEqual([["A5", ["content"]]]);
  });

  it("every task whose agencies change is listed in the preview before it is written", async () => {
    // The directory now resolves "Sở Tư pháp" elsewhere (an alias in the agency file, say):
    // the re-import would move A1, A2, A4… — each is shown, nothing written yet.
    const tuPhap = h.runtime.store
      .read()
      .tasks.filter((t) => t.leads.some((l) => l.agencyId === "so-tu-phap"))
      .map((t) => t.code);
    expect(tuPhap).toEqual(["A1", "A2", "A4"]); // A3 was given to Văn phòng UBND tỉnh with /sua
    const moved = current.replaceAll("Sở\nTư pháp", "Sở\nNội vụ");
    const p = await preview(moved);
    expect(p.diff.reassigned).toEqual([
      { code: "A1", from: ["so-tu-phap"], to: ["so-noi-vu"] },
      { code: "A2", from: ["so-tu-phap"], to: ["so-noi-vu"] },
      { code: "A3", from: ["vp-ubnd"], to: ["so-noi-vu"] }, // the plan changed the lead an admin had changed
      { code: "A4", from: ["so-tu-phap"], to: ["so-noi-vu"] },
    ]);
    const text = previewText(p, { directory: h.runtime.directory(), via: "chat" });
    expect(text).toContain("⚠️ Giao lại cho cơ quan khác (4)");
    for (const code of tuPhap) expect(text).toContain(`🔀 ${code}: Sở Tư pháp → Sở Nội vụ`);
    expect(text).toContain("🔀 A3: Văn phòng UBND tỉnh → Sở Nội vụ");
    expect(text).toContain("A3 cơ quan chủ trì: kế hoạch «Sở Nội vụ», đã sửa «Văn phòng UBND tỉnh»");
    expect(h.runtime.store.read().assignments.some((a) => a.id === `${tuPhap[0]}@so-tu-phap`)).toBe(true);
  });

  it("/bidanh does not remap a name that already stands for another agency", async () => {
    const before = dataOf(h.runtime.store);
    await chat.command(ADMIN, "/bidanh Sở Tư pháp = so-tttt");
    expect(await chat.text()).toContain(
      "«Sở Tư pháp» đã là tên của Sở Tư pháp (mã so-tu-phap): không gán sang Sở Thông tin và Truyền thông",
    );
    expect(dataOf(h.runtime.store)).toBe(before);
  });
});
