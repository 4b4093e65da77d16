/**
 * The use cases on their own — a store, the directory, `now` — without a chat: each status
 * transition, its audit event, and its rules checked inside the transaction (two people
 * acting at once cannot both pass a check only one should).
 */
import { describe, expect, it } from "vitest";
import { createDirectory } from "../../src/core/agencies.ts";
import type { Caller } from "../../src/domain/access.ts";
import {
  attachEvidence,
  reportBlocker,
  reportDone,
  reportProgress,
  requireTask,
  resolveTarget,
  setConditionDate,
} from "../../src/domain/assignments.ts";
import { Refusal } from "../../src/domain/context.ts";
import { agencyOfChat, bindChat, decideBinding, moveChat, requestBinding, unbindChat } from "../../src/domain/bindings.ts";
import { decideExtension, requestExtension } from "../../src/domain/extensions.ts";
import { addAgency, addAlias, editTask } from "../../src/domain/tasks.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { emptyStoreData, type StoreData } from "../../src/store/types.ts";
import { agencies, assignment, at, binding, conditional, dated, task } from "../reminders/fixtures.ts";

const directory = createDirectory(agencies);
const NOW = at("2021-03-10", "09:00");

function setup(extra: Partial<StoreData> = {}) {
  const store = createMemoryStore({
    ...emptyStoreData(),
    tasks: [
      task("A1", dated("2021-03-31"), { leads: [{ raw: "Sở Tư pháp", agencyId: "so-tu-phap" }] }),
      task("A2", dated("2021-03-31", "2021-06-30")),
      task("A3", conditional),
      task("A4", dated("2021-03-31")),
    ],
    assignments: [
      assignment("A1", "so-tu-phap"),
      assignment("A2", "so-tu-phap"),
      assignment("A3", "so-tu-phap"),
      assignment("A4", "so-tu-phap"),
      assignment("A4", "vp-ubnd"),
    ],
    ...extra,
  });
  return { store, deps: { store, directory, now: NOW } };
}

const group = (agencyId: string | null, extra: Partial<Caller> = {}): Caller => ({
  chatId: "tg:-1",
  chatKind: "group",
  chatAgencyId: agencyId,
  isCoordinatorChat: agencyId === "so-noi-vu",
  userId: "tg:7",
  userName: "Cán bộ",
  isAdmin: false,
  isManager: false,
  ...extra,
});
const OFFICER = group("so-tu-phap");

async function refusal(work: () => unknown): Promise<Refusal> {
  try {
    await work();
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
  throw new Error("not refused");
}

describe("resolveTarget: the share an officer means", () => {
  it("in an agency's group, its own share; a typo gets suggestions; another agency's share is refused", async () => {
    const { deps } = setup();
    expect(resolveTarget(deps, OFFICER, "a4").assignment.id).toBe("A4@so-tu-phap");
    expect(requireTask(deps.store.read(), "a4@vp-ubnd").code).toBe("A4"); // /chitiet and /lichsu take a share's name too
    expect((await refusal(() => resolveTarget(deps, OFFICER, "A9"))).message).toMatch(/Không có nhiệm vụ mã «A9»\. Có phải: A[1-4]/);
    expect((await refusal(() => resolveTarget(deps, group("vp-ubnd"), "A1"))).message).toContain("phần việc này thuộc Sở Tư pháp");
    expect((await refusal(() => resolveTarget(deps, OFFICER, "A4@vp-ubnd"))).message).toContain("phần việc này thuộc Văn phòng UBND tỉnh");
  });

  it("the Sở Nội vụ group names the share of a shared task; an unbound group is refused", async () => {
    const { deps } = setup();
    const coordinator = group("so-noi-vu");
    expect((await refusal(() => resolveTarget(deps, coordinator, "A4"))).message).toContain("A4@so-tu-phap, A4@vp-ubnd");
    expect(resolveTarget(deps, coordinator, "A4@vp-ubnd").assignment.id).toBe("A4@vp-ubnd");
    expect((await refusal(() => resolveTarget(deps, group(null), "A1"))).message).toContain("chưa gắn với cơ quan nào");
  });
});

describe("status transitions", () => {
  it("progress: the share changes, the audit event holds only what changed", async () => {
    const { store, deps } = setup();
    const result = await reportProgress(deps, OFFICER, resolveTarget(deps, OFFICER, "A1"), 60, "đã trình", "/tiendo A1 60 đã trình");
    expect(result).toEqual({ before: 0 });
    expect(store.read().assignments[0]).toMatchObject({
      progress: 60,
      note: "đã trình",
      lastReportAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
    const [event] = await store.events();
    expect(event).toMatchObject({
      action: "progress",
      taskCode: "A1",
      agencyId: "so-tu-phap",
      actor: { id: "tg:7" },
      text: "/tiendo A1 60 đã trình",
    });
    expect(event.before).toEqual({ progress: 0, note: null, lastReportAt: null });
    expect(event.after).toEqual({ progress: 60, note: "đã trình", lastReportAt: NOW.toISOString() });
  });

  it("a /tiendo racing a /xong on the same share cannot reopen it: checked inside the transaction", async () => {
    const { store, deps } = setup();
    const target = resolveTarget(deps, OFFICER, "A1"); // both read the share while it is open
    const [done, progress] = await Promise.allSettled([
      reportDone(deps, OFFICER, target, "", "/xong A1"),
      reportProgress(deps, OFFICER, target, 40, "", "/tiendo A1 40"),
    ]);
    expect(done.status).toBe("fulfilled");
    expect(progress.status === "rejected" && progress.reason).toBeInstanceOf(Refusal);
    expect(store.read().assignments[0]).toMatchObject({ status: "done", progress: 100 });
    expect((await store.events()).map((e) => e.action)).toEqual(["done"]);
  });

  it("done: one milestone at a time, with the evidence document; twice at once is done once", async () => {
    const { store, deps } = setup();
    const target = resolveTarget(deps, OFFICER, "A2");
    const first = await reportDone(deps, OFFICER, target, "15/BC-STP ngày 09/03/2021", "/xong A2 15/BC-STP ngày 09/03/2021");
    expect(first).toMatchObject({ onTime: true, finished: false, evidence: { documentNumber: "15/BC-STP", documentDate: "2021-03-09" } });
    const later = { ...deps, now: at("2021-07-02") };
    const both = await Promise.allSettled([reportDone(later, OFFICER, target, "", "x"), reportDone(later, OFFICER, target, "", "y")]);
    expect(both.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(store.read().assignments[1]).toMatchObject({
      status: "done",
      milestonesDone: ["2021-03-31", "2021-06-30"],
      lateMilestones: ["2021-06-30"],
    });
  });

  it("blocker: empty text is an input error; a done share stays done", async () => {
    const { store, deps } = setup();
    expect(await refusal(() => reportBlocker(deps, OFFICER, resolveTarget(deps, OFFICER, "A1"), " ", ""))).toMatchObject({ input: true });
    await reportBlocker(deps, OFFICER, resolveTarget(deps, OFFICER, "A1"), "Chờ Bộ", "");
    expect(store.read().assignments[0]).toMatchObject({ status: "blocked", blocker: "Chờ Bộ" });
    await reportDone(deps, OFFICER, resolveTarget(deps, OFFICER, "A1"), "", "");
    await reportBlocker(deps, OFFICER, resolveTarget(deps, OFFICER, "A1"), "Còn vướng", "");
    expect(store.read().assignments[0]).toMatchObject({ status: "done", blocker: "Còn vướng" });
  });

  it("condition date: only for a conditional task, never in the past", async () => {
    const { store, deps } = setup();
    expect(await refusal(() => setConditionDate(deps, OFFICER, resolveTarget(deps, OFFICER, "A3"), "2021-03-01", ""))).toMatchObject({
      input: true,
    });
    expect((await refusal(() => setConditionDate(deps, OFFICER, resolveTarget(deps, OFFICER, "A1"), "2021-09-30", ""))).message).toContain(
      "/giahan",
    );
    await setConditionDate(deps, OFFICER, resolveTarget(deps, OFFICER, "A3"), "2021-09-30", "");
    expect(store.read().assignments[2].conditionDue).toBe("2021-09-30");
  });

  it("evidence: a file kept by reference, with the document its caption names", async () => {
    const { store, deps } = setup();
    await attachEvidence(
      deps,
      OFFICER,
      resolveTarget(deps, OFFICER, "A1"),
      { platform: "tg", fileId: "F1", name: "bc.pdf", size: 10 },
      "Số 15/BC-STP",
    );
    expect(store.read().assignments[0].evidence).toEqual([
      {
        file: { platform: "tg", fileId: "F1", name: "bc.pdf", size: 10 },
        documentNumber: "15/BC-STP",
        text: "Số 15/BC-STP",
        at: NOW.toISOString(),
        by: "tg:7",
      },
    ]);
  });
});

describe("extensions", () => {
  it("a request must move the current due later; approving moves it, the original stays", async () => {
    const { store, deps } = setup();
    const target = resolveTarget(deps, OFFICER, "A1");
    expect(await refusal(() => requestExtension(deps, OFFICER, target, "2021-03-05", "x", ""))).toMatchObject({ input: true });
    expect(await refusal(() => requestExtension(deps, OFFICER, target, "2021-03-20", "x", ""))).toMatchObject({ input: true });
    const { request } = await requestExtension(deps, OFFICER, target, "2021-04-30", "Chờ kinh phí", "");
    expect(request).toMatchObject({ id: 1, originalDue: "2021-03-31", requestedDue: "2021-04-30", status: "pending" });
    const decider = group("so-noi-vu");
    const both = await Promise.allSettled([decideExtension(deps, decider, 1, true, ""), decideExtension(deps, decider, 1, false, "")]);
    expect(both.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(store.read().assignments[0].extensions).toEqual([{ originalDue: "2021-03-31", newDue: "2021-04-30", requestId: 1 }]);
    expect((await store.events()).map((e) => e.action).reverse()).toEqual(["extension.request", "extension.approve", "deadline.move"]);
    expect((await refusal(() => decideExtension(deps, decider, 9, true, ""))).message).toContain("Không có đề nghị gia hạn số 9");
  });
});

describe("bindings", () => {
  it("a pending request decided by two admins at once binds once; unbinding an unbound chat is refused", async () => {
    const { store, deps } = setup();
    const officer = { userId: "tg:7", userName: "Cán bộ", chatId: "tg:-5" };
    const pending = await requestBinding(deps, officer, "so-tu-phap", "Nhóm STP", "/dangky Sở Tư pháp");
    const admin = { userId: "tg:1", userName: "Quản trị", chatId: "tg:-100" };
    const both = await Promise.allSettled([decideBinding(deps, admin, pending.id, true), decideBinding(deps, admin, pending.id, true)]);
    expect(both.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(agencyOfChat(store.read(), "tg:-5")).toBe("so-tu-phap");
    expect(store.read().pendingBindings).toEqual([]);
    expect(await unbindChat(deps, officer, "/huydangky")).toBe("so-tu-phap");
    expect((await refusal(() => unbindChat(deps, officer, "/huydangky"))).message).toContain("chưa gắn");
  });

  it("a group's new id (Telegram supergroup) takes its binding along", async () => {
    const { store, deps } = setup({ bindings: [binding("tg:-5", "so-tu-phap")] });
    expect(await moveChat(deps, "tg:-5", "tg:-1005")).toBe("so-tu-phap");
    expect(agencyOfChat(store.read(), "tg:-1005")).toBe("so-tu-phap");
    expect(await moveChat(deps, "tg:-6", "tg:-1006")).toBeNull();
    await bindChat(deps, { userId: "tg:1", userName: "QT", chatId: "tg:-1005" }, "tg:-1005", "vp-ubnd");
    expect(agencyOfChat(store.read(), "tg:-1005")).toBe("vp-ubnd");
  });
});

describe("admins correcting the registry", () => {
  const admin = group(null, { isAdmin: true, isManager: true });

  it("/sua: an unreadable deadline changes nothing; new leads add shares and keep reported ones", async () => {
    const { store, deps } = setup();
    const before = store.read();
    expect((await refusal(() => editTask(deps, admin, "A1", "deadline", "chưa rõ lắm", ""))).message).toContain("Không đọc được thời hạn");
    expect(store.read()).toBe(before);
    await reportProgress(deps, OFFICER, resolveTarget(deps, OFFICER, "A1"), 30, "", "");
    await editTask(deps, admin, "A1", "leads", "Văn phòng UBND tỉnh", "/sua A1 chutri Văn phòng UBND tỉnh");
    expect(
      store
        .read()
        .assignments.filter((a) => a.taskCode === "A1")
        .map((a) => a.agencyId),
    ).toEqual(["so-tu-phap", "vp-ubnd"]);
    expect(store.read().tasks[0].fromPlan?.leads).toEqual(["Sở Tư pháp"]);
  });

  it("/sua chutri on a task already done: the new lead's share is done too, not reopened", async () => {
    const { store, deps } = setup();
    await reportDone(deps, OFFICER, resolveTarget(deps, OFFICER, "A1"), "", "");
    await editTask(deps, admin, "A1", "leads", "Văn phòng UBND tỉnh", "");
    const shares = store.read().assignments.filter((a) => a.taskCode === "A1");
    expect(shares.map((a) => [a.agencyId, a.status])).toEqual([
      ["so-tu-phap", "done"],
      ["vp-ubnd", "done"],
    ]);
    expect(shares[1].note).toContain("Sở Tư pháp báo xong");
  });

  it("/themcoquan and /bidanh: ids checked, a name of another agency is not moved", async () => {
    const { store, deps } = setup();
    expect(await refusal(() => addAgency(deps, admin, "Ban X", "Ban X!", ""))).toMatchObject({ input: true });
    expect((await refusal(() => addAgency(deps, admin, "Sở Tư pháp 2", "so-tu-phap", ""))).message).toContain(
      "Đã có cơ quan mã «so-tu-phap»",
    );
    expect((await refusal(() => addAgency(deps, admin, "Ban Quản lý Khu kinh tế", undefined, ""))).message).toContain("mã bql-kkt");
    const added = await addAgency(deps, admin, "Quỹ Phát triển đất tỉnh", undefined, "");
    expect(store.read().extraAgencies).toEqual([added]);
    expect((await refusal(() => addAlias(deps, admin, "Sở Tư pháp", "vp-ubnd", ""))).message).toContain("đã là tên của Sở Tư pháp");
  });
});
