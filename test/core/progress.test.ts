import { describe, expect, it } from "vitest";
import { closestCodes, currentMilestone, markDone, milestonesOf, parseEvidence } from "../../src/core/progress.ts";
import { Assignment, Evidence, Task, type Deadline } from "../../src/core/schemas.ts";

// ---------------------------------------------------------------- builders

function dated(...dues: string[]): Deadline {
  const milestones = dues.map((due) => ({ due, label: `mốc ${due}` }));
  return { raw: dues.join("; "), kind: dues.length > 1 ? "period" : "date", milestones };
}
const continuous: Deadline = { raw: "Thường xuyên", kind: "continuous", milestones: [] };
const CONDITION = "Sau khi có Quyết định của Bộ";
const conditional: Deadline = { raw: CONDITION, kind: "conditional", milestones: [], condition: CONDITION };
const unknownDeadline: Deadline = { raw: "", kind: "unknown", milestones: [] };

function task(deadline: Deadline, code = "A12"): Task {
  return Task.parse({ code, planId: "p1", area: "khac", title: `Nhiệm vụ ${code}`, content: `Nội dung ${code}`, leads: [], deadline });
}

function assignment(extra: Record<string, unknown> = {}): Assignment {
  return Assignment.parse({ id: "A12@so-tu-phap", taskCode: "A12", agencyId: "so-tu-phap", ...extra });
}

function evidence(documentNumber?: string): Evidence {
  return Evidence.parse({ documentNumber, text: documentNumber, at: "2021-03-01T01:00:00.000Z", by: "tg:42" });
}

const NOW = new Date("2021-03-10T02:30:00.000Z");
const EARLIER = "2021-01-05T03:00:00.000Z";

// ---------------------------------------------------------------- milestonesOf / currentMilestone

describe("milestonesOf", () => {
  it("copies every field of the milestone in the spread's order (issue 14: built without a spread), the latest extension wins", () => {
    const withStart: Deadline = {
      raw: "Từ 01/02 đến 31/03/2021; quý II",
      kind: "period",
      milestones: [{ due: "2021-03-31", start: "2021-02-01", label: "Quý I" }, { due: "2021-06-30" }],
    };
    const a = assignment({
      milestonesDone: ["2021-06-30"],
      extensions: [
        { originalDue: "2021-03-31", newDue: "2021-04-15", requestId: 1 },
        { originalDue: "2021-03-31", newDue: "2021-04-30", requestId: 2 },
      ],
    });
    const ms = milestonesOf(task(withStart), a);
    expect(JSON.stringify(ms)).toBe(
      JSON.stringify([
        { due: "2021-04-30", start: "2021-02-01", label: "Quý I", originalDue: "2021-03-31", done: false },
        { due: "2021-06-30", originalDue: "2021-06-30", done: true },
      ]),
    );
    expect(Object.keys(ms[1])).toEqual(["due", "originalDue", "done"]);
  });

  it("gives the plan's milestones in order, none done, due = originalDue without extensions", () => {
    const ms = milestonesOf(task(dated("2021-03-31", "2021-06-30")), assignment());
    expect(ms.map((m) => [m.originalDue, m.due, m.done, m.label])).toEqual([
      ["2021-03-31", "2021-03-31", false, "mốc 2021-03-31"],
      ["2021-06-30", "2021-06-30", false, "mốc 2021-06-30"],
    ]);
  });

  it("moves only the extended milestone's due and keeps its original due as identity", () => {
    const a = assignment({ extensions: [{ originalDue: "2021-06-30", newDue: "2021-07-15", requestId: 1 }] });
    const ms = milestonesOf(task(dated("2021-03-31", "2021-06-30")), a);
    expect(ms.map((m) => [m.originalDue, m.due])).toEqual([
      ["2021-03-31", "2021-03-31"],
      ["2021-06-30", "2021-07-15"],
    ]);
  });

  it("uses the latest extension when a milestone was extended twice", () => {
    const a = assignment({
      extensions: [
        { originalDue: "2021-03-31", newDue: "2021-04-15", requestId: 1 },
        { originalDue: "2021-03-31", newDue: "2021-04-30", requestId: 2 },
      ],
    });
    expect(milestonesOf(task(dated("2021-03-31")), a)[0].due).toBe("2021-04-30");
  });

  it("marks milestones done by original due, even after an extension", () => {
    const a = assignment({
      milestonesDone: ["2021-03-31"],
      extensions: [{ originalDue: "2021-03-31", newDue: "2021-04-15", requestId: 1 }],
    });
    expect(milestonesOf(task(dated("2021-03-31", "2021-06-30")), a).map((m) => m.done)).toEqual([true, false]);
  });

  it("marks every milestone done for a done assignment", () => {
    const ms = milestonesOf(task(dated("2021-03-31", "2021-06-30")), assignment({ status: "done" }));
    expect(ms.every((m) => m.done)).toBe(true);
  });

  it("gives a conditional task one milestone at the condition's date once the agency set it", () => {
    expect(milestonesOf(task(conditional), assignment())).toEqual([]);
    const ms = milestonesOf(task(conditional), assignment({ conditionDue: "2021-05-20" }));
    expect(ms).toHaveLength(1);
    expect(ms[0]).toMatchObject({ due: "2021-05-20", originalDue: "2021-05-20", done: false });
  });

  it("does not let conditionDue replace a task's own dated milestones", () => {
    const ms = milestonesOf(task(dated("2021-03-31")), assignment({ conditionDue: "2021-05-20" }));
    expect(ms.map((m) => m.due)).toEqual(["2021-03-31"]);
  });
});

describe("currentMilestone", () => {
  it("is the earliest milestone not done", () => {
    const t = task(dated("2021-03-31", "2021-06-30", "2021-09-30"));
    expect(currentMilestone(t, assignment())?.originalDue).toBe("2021-03-31");
    expect(currentMilestone(t, assignment({ milestonesDone: ["2021-03-31"] }))?.originalDue).toBe("2021-06-30");
    // Done out of order: the earlier one is still the current one.
    expect(currentMilestone(t, assignment({ milestonesDone: ["2021-06-30"] }))?.originalDue).toBe("2021-03-31");
  });

  it("is null when all are done, or the task has no dated milestone", () => {
    const t = task(dated("2021-03-31", "2021-06-30"));
    expect(currentMilestone(t, assignment({ milestonesDone: ["2021-03-31", "2021-06-30"] }))).toBeNull();
    expect(currentMilestone(t, assignment({ status: "done" }))).toBeNull();
    expect(currentMilestone(task(continuous), assignment())).toBeNull();
    expect(currentMilestone(task(conditional), assignment())).toBeNull();
    expect(currentMilestone(task(unknownDeadline), assignment())).toBeNull();
  });

  it("carries the extended due", () => {
    const a = assignment({ extensions: [{ originalDue: "2021-03-31", newDue: "2021-04-20", requestId: 3 }] });
    expect(currentMilestone(task(dated("2021-03-31")), a)).toMatchObject({ originalDue: "2021-03-31", due: "2021-04-20" });
  });
});

// ---------------------------------------------------------------- markDone

describe("markDone — single deadline", () => {
  const t = task(dated("2021-03-31"));

  it("done before the due: on time, finished, status done, progress 100, doneAt = now", () => {
    const r = markDone(t, assignment({ progress: 40 }), "2021-03-10", NOW, null);
    expect(r.onTime).toBe(true);
    expect(r.finished).toBe(true);
    expect(r.milestone).toMatchObject({ originalDue: "2021-03-31", due: "2021-03-31" });
    expect(r.assignment).toMatchObject({ status: "done", progress: 100, doneAt: NOW.toISOString(), updatedAt: NOW.toISOString() });
    expect(r.assignment.milestonesDone).toEqual(["2021-03-31"]);
    expect(r.assignment.lateMilestones).toEqual([]);
  });

  it("done on the due day itself is on time", () => {
    const r = markDone(t, assignment(), "2021-03-31", NOW, null);
    expect(r.onTime).toBe(true);
    expect(r.assignment.lateMilestones).toEqual([]);
  });

  it("done the day after the due is late and the milestone is recorded as late", () => {
    const r = markDone(t, assignment(), "2021-04-01", NOW, null);
    expect(r.onTime).toBe(false);
    expect(r.finished).toBe(true);
    expect(r.assignment.status).toBe("done");
    expect(r.assignment.lateMilestones).toEqual(["2021-03-31"]);
    expect(r.assignment.milestonesDone).toEqual(["2021-03-31"]);
  });

  it("judges on-time against the extended due, and records lateness by original due", () => {
    const a = assignment({ extensions: [{ originalDue: "2021-03-31", newDue: "2021-04-15", requestId: 7 }] });
    const inTime = markDone(t, a, "2021-04-10", NOW, null);
    expect(inTime.onTime).toBe(true);
    expect(inTime.milestone?.due).toBe("2021-04-15");
    expect(inTime.assignment.lateMilestones).toEqual([]);

    const onNewDue = markDone(t, a, "2021-04-15", NOW, null);
    expect(onNewDue.onTime).toBe(true);

    const late = markDone(t, a, "2021-04-16", NOW, null);
    expect(late.onTime).toBe(false);
    expect(late.assignment.lateMilestones).toEqual(["2021-03-31"]);
    expect(late.assignment.milestonesDone).toEqual(["2021-03-31"]);
  });

  it("an extension of another milestone does not move this one", () => {
    const a = assignment({ extensions: [{ originalDue: "2021-06-30", newDue: "2021-12-31", requestId: 7 }] });
    expect(markDone(t, a, "2021-04-01", NOW, null).onTime).toBe(false);
  });

  it("clears a blocker and lifts the blocked status", () => {
    const r = markDone(t, assignment({ status: "blocked", blocker: "Chờ ý kiến" }), "2021-03-10", NOW, null);
    expect(r.assignment.blocker).toBeUndefined();
    expect(r.assignment.status).toBe("done");
  });

  it("does not change the assignment it was given", () => {
    const a = assignment({ evidence: [evidence("1/BC-SNV")] });
    const before = structuredClone(a);
    markDone(t, a, "2021-04-01", NOW, evidence("2/BC-SNV"), "ghi chú");
    expect(a).toEqual(before);
  });
});

describe("markDone — evidence and note", () => {
  const t = task(dated("2021-03-31"));

  it("appends the evidence after what was there", () => {
    const old = evidence("1/BC-SNV");
    const added = evidence("189/KH-UBND");
    const r = markDone(t, assignment({ evidence: [old] }), "2021-03-10", NOW, added);
    expect(r.assignment.evidence).toEqual([old, added]);
  });

  it("keeps the evidence as it was when none is given", () => {
    const old = evidence("1/BC-SNV");
    expect(markDone(t, assignment({ evidence: [old] }), "2021-03-10", NOW, null).assignment.evidence).toEqual([old]);
    expect(markDone(t, assignment(), "2021-03-10", NOW, null).assignment.evidence).toEqual([]);
  });

  it("sets the note when given, keeps the old one otherwise", () => {
    expect(markDone(t, assignment({ note: "cũ" }), "2021-03-10", NOW, null, "mới").assignment.note).toBe("mới");
    expect(markDone(t, assignment({ note: "cũ" }), "2021-03-10", NOW, null).assignment.note).toBe("cũ");
    expect(markDone(t, assignment({ note: "cũ" }), "2021-03-10", NOW, null, "").assignment.note).toBe("cũ");
  });
});

describe("markDone — several milestones", () => {
  const t = task(dated("2021-03-31", "2021-06-30", "2021-09-30"));

  it("completes only the current milestone; not finished until the last", () => {
    const first = markDone(t, assignment({ progress: 30 }), "2021-03-20", NOW, null);
    expect(first.milestone?.originalDue).toBe("2021-03-31");
    expect(first.onTime).toBe(true);
    expect(first.finished).toBe(false);
    expect(first.assignment).toMatchObject({ status: "open", progress: 30, milestonesDone: ["2021-03-31"], lateMilestones: [] });
    expect(first.assignment.doneAt).toBeUndefined();

    const second = markDone(t, first.assignment, "2021-07-02", NOW, null);
    expect(second.milestone?.originalDue).toBe("2021-06-30");
    expect(second.onTime).toBe(false);
    expect(second.finished).toBe(false);
    expect(second.assignment).toMatchObject({
      status: "open",
      milestonesDone: ["2021-03-31", "2021-06-30"],
      lateMilestones: ["2021-06-30"],
    });

    const third = markDone(t, second.assignment, "2021-09-30", NOW, null);
    expect(third.milestone?.originalDue).toBe("2021-09-30");
    expect(third.onTime).toBe(true);
    expect(third.finished).toBe(true);
    expect(third.assignment).toMatchObject({
      status: "done",
      progress: 100,
      doneAt: NOW.toISOString(),
      milestonesDone: ["2021-03-31", "2021-06-30", "2021-09-30"],
      lateMilestones: ["2021-06-30"],
    });
  });

  it("a blocked assignment becomes open again after a milestone that is not the last", () => {
    const r = markDone(t, assignment({ status: "blocked", blocker: "Thiếu kinh phí" }), "2021-03-20", NOW, null);
    expect(r.finished).toBe(false);
    expect(r.assignment.status).toBe("open");
    expect(r.assignment.blocker).toBeUndefined();
  });

  it("the last milestone still missing finishes the task even if done out of order", () => {
    const a = assignment({ milestonesDone: ["2021-06-30", "2021-09-30"] });
    const r = markDone(t, a, "2021-03-15", NOW, null);
    expect(r.milestone?.originalDue).toBe("2021-03-31");
    expect(r.finished).toBe(true);
    expect(r.assignment.status).toBe("done");
  });

  it("judges each milestone against its own (extended) due", () => {
    const a = assignment({
      milestonesDone: ["2021-03-31"],
      extensions: [{ originalDue: "2021-06-30", newDue: "2021-07-31", requestId: 4 }],
    });
    const r = markDone(t, a, "2021-07-20", NOW, null);
    expect(r.milestone).toMatchObject({ originalDue: "2021-06-30", due: "2021-07-31" });
    expect(r.onTime).toBe(true);
    expect(r.assignment.milestonesDone).toEqual(["2021-03-31", "2021-06-30"]);
    expect(r.finished).toBe(false);
  });
});

describe("markDone — tasks without dated milestones", () => {
  it("continuous: records the report, does not finish, milestone and onTime null", () => {
    const a = assignment({ progress: 50, lastReportAt: EARLIER });
    const ev = evidence("45/BC-SNV");
    const r = markDone(task(continuous), a, "2021-03-10", NOW, ev);
    expect(r).toMatchObject({ milestone: null, onTime: null, finished: false });
    expect(r.assignment).toMatchObject({ status: "open", progress: 50, lastReportAt: NOW.toISOString(), updatedAt: NOW.toISOString() });
    expect(r.assignment.doneAt).toBeUndefined();
    expect(r.assignment.milestonesDone).toEqual([]);
    expect(r.assignment.evidence).toEqual([ev]);
  });

  it("continuous: a report clears a blocker and opens a blocked share again", () => {
    const r = markDone(task(continuous), assignment({ status: "blocked", blocker: "Chờ kinh phí" }), "2021-03-10", NOW, null);
    expect(r.assignment).toMatchObject({ status: "open", blocker: undefined });
  });

  it("continuous: reporting again only moves lastReportAt", () => {
    const first = markDone(task(continuous), assignment(), "2021-03-10", NOW, null);
    const later = new Date("2021-06-10T02:00:00.000Z");
    const second = markDone(task(continuous), first.assignment, "2021-06-10", later, null);
    expect(second.finished).toBe(false);
    expect(second.assignment.lastReportAt).toBe(later.toISOString());
    expect(second.assignment.status).toBe("open");
  });

  it("conditional without a date: the whole assignment is done", () => {
    const r = markDone(task(conditional), assignment({ progress: 10 }), "2021-03-10", NOW, null);
    expect(r).toMatchObject({ milestone: null, onTime: null, finished: true });
    expect(r.assignment).toMatchObject({ status: "done", progress: 100, doneAt: NOW.toISOString() });
  });

  it("unknown deadline: the whole assignment is done", () => {
    const r = markDone(task(unknownDeadline), assignment(), "2021-03-10", NOW, null);
    expect(r).toMatchObject({ milestone: null, onTime: null, finished: true });
    expect(r.assignment.status).toBe("done");
  });

  it("conditional with the condition's date set: judged against that date", () => {
    const onTime = markDone(task(conditional), assignment({ conditionDue: "2021-05-20" }), "2021-05-20", NOW, null);
    expect(onTime.milestone).toMatchObject({ due: "2021-05-20", originalDue: "2021-05-20" });
    expect(onTime.onTime).toBe(true);
    expect(onTime.finished).toBe(true);
    expect(onTime.assignment).toMatchObject({ status: "done", milestonesDone: ["2021-05-20"], lateMilestones: [] });

    const late = markDone(task(conditional), assignment({ conditionDue: "2021-05-20" }), "2021-05-21", NOW, null);
    expect(late.onTime).toBe(false);
    expect(late.assignment.lateMilestones).toEqual(["2021-05-20"]);
  });

  it("conditional with an extended condition date: judged against the new date", () => {
    const a = assignment({
      conditionDue: "2021-05-20",
      extensions: [{ originalDue: "2021-05-20", newDue: "2021-06-20", requestId: 9 }],
    });
    const r = markDone(task(conditional), a, "2021-06-01", NOW, null);
    expect(r.onTime).toBe(true);
    expect(r.milestone?.due).toBe("2021-06-20");
  });

  it("an assignment already done stays done and keeps its first doneAt", () => {
    const a = assignment({ status: "done", progress: 100, doneAt: EARLIER, milestonesDone: ["2021-03-31"] });
    const r = markDone(task(dated("2021-03-31")), a, "2021-04-20", NOW, null);
    expect(r).toMatchObject({ milestone: null, onTime: null, finished: true });
    expect(r.assignment).toMatchObject({ status: "done", progress: 100, doneAt: EARLIER });
    expect(r.assignment.milestonesDone).toEqual(["2021-03-31"]);
    expect(r.assignment.lateMilestones).toEqual([]);
  });
});

// ---------------------------------------------------------------- parseEvidence

describe("parseEvidence", () => {
  /** A day after every document date below. */
  const LATER = new Date("2022-01-10T02:00:00.000Z");
  const ev = (text: string) => {
    const r = parseEvidence(text, LATER);
    if (!r.ok) throw new Error(r.problem);
    return r;
  };

  it("reads a document number with its date", () => {
    expect(ev("189/KH-UBND ngày 30/12/2020")).toMatchObject({ documentNumber: "189/KH-UBND", documentDate: "2020-12-30", rest: "" });
  });

  it("reads the number after «số», leaving the words around it", () => {
    const r = ev("số 12/QĐ-UBND");
    expect(r.documentNumber).toBe("12/QĐ-UBND");
    expect(r.documentDate).toBeUndefined();
    expect(r.rest).not.toContain("12/");
  });

  it("reads numbers with a letter suffix, a year, several issuer parts", () => {
    expect(ev("30c/NQ-CP").documentNumber).toBe("30c/NQ-CP");
    expect(ev("Quyết định 12/2021/QĐ-UBND").documentNumber).toBe("12/2021/QĐ-UBND");
    expect(ev("45/BC-SNV").documentNumber).toBe("45/BC-SNV");
    expect(ev("Công văn 7/STP-HCTP-VP").documentNumber).toBe("7/STP-HCTP-VP");
    expect(ev("Công văn 1234/SNV-CCHC-VP-TCBC").documentNumber).toBe("1234/SNV-CCHC-VP-TCBC");
  });

  it("reads dates with /, - or . and written out in words, with or without diacritics", () => {
    expect(ev("45/BC-SNV ngày 5/1/2021").documentDate).toBe("2021-01-05");
    expect(ev("45/BC-SNV ngày 05-01-2021").documentDate).toBe("2021-01-05");
    expect(ev("45/BC-SNV ngày 05.01.2021").documentDate).toBe("2021-01-05");
    expect(ev("45/BC-SNV ngay 5/1/2021").documentDate).toBe("2021-01-05");
    expect(ev("45/BC-SNV Ngày 5/1/2021").documentDate).toBe("2021-01-05");
    expect(ev("45/BC-SNV ngày 5 tháng 3 năm 2021").documentDate).toBe("2021-03-05");
    expect(ev("45/BC-SNV ngay 15 thang 11 nam 2021").documentDate).toBe("2021-11-15");
  });

  it("keeps the free text around the number and date, without separators at the ends", () => {
    const r = ev("Quyết định số 12/2021/QĐ-UBND ngày 5 tháng 3 năm 2021 của UBND tỉnh");
    expect(r).toMatchObject({ documentNumber: "12/2021/QĐ-UBND", documentDate: "2021-03-05", rest: "Quyết định số của UBND tỉnh" });
    expect(ev("189/KH-UBND ngày 30/12/2020; kèm phụ lục").rest).toBe("kèm phụ lục");
    expect(ev("Ngày 05.01.2021 ban hành 7/KH-UBND").rest).toBe("ban hành");
  });

  it("text with no number gives the (squashed) text as rest only", () => {
    expect(ev("đã gửi   báo cáo\ncho Sở")).toEqual({ ok: true, text: "đã gửi báo cáo cho Sở", rest: "đã gửi báo cáo cho Sở" });
    expect(ev("")).toEqual({ ok: true, text: "", rest: "" });
  });

  it("a date without a number is read on its own", () => {
    expect(ev("ngày 30/12/2020")).toEqual({ ok: true, documentDate: "2020-12-30", text: "ngày 30/12/2020", rest: "" });
  });

  it("an impossible date is refused, not dropped (issue 13 item 15)", () => {
    expect(parseEvidence("45/BC-SNV ngày 31/02/2021", NOW)).toEqual({
      ok: false,
      problem: "Ngày văn bản 31/02/2021 không có thật. Không có gì thay đổi; hãy gõ lại ngày đúng.",
    });
  });

  it("does not take a number glued to other letters or digits, or written in lower case", () => {
    expect(ev("ab189/KH-UBND").documentNumber).toBeUndefined();
    expect(ev("189/KH-UBND1x").documentNumber).toBeUndefined();
    expect(ev("12/qđ-ubnd").documentNumber).toBeUndefined();
    expect(ev("tỷ lệ 3/4 hoàn thành").documentNumber).toBeUndefined();
  });

  it("reads text written in decomposed Unicode (NFD) and gives the rest in NFC", () => {
    const r = ev("Quyết định số 5/QĐ-UBND ngày 30/12/2020".normalize("NFD"));
    expect(r).toMatchObject({ documentNumber: "5/QĐ-UBND", documentDate: "2020-12-30", rest: "Quyết định số".normalize("NFC") });
  });
});

// ---------------------------------------------------------------- closestCodes

describe("closestCodes", () => {
  const codes = ["A1", "A2", "A12", "A21", "B3", "C10", "C1.1", "TT-05"];

  it("puts the exact code first, whatever the case", () => {
    expect(closestCodes("a12", codes)[0]).toBe("A12");
    expect(closestCodes("c1.1", codes)[0]).toBe("C1.1");
    expect(closestCodes("C1.1", codes)[0]).toBe("C1.1");
  });

  it("suggests codes one typo away", () => {
    expect(closestCodes("A13", codes)).toContain("A12");
    expect(closestCodes("tt05", codes)).toEqual(["TT-05"]);
    expect(closestCodes("TT-50", codes)).toContain("TT-05");
    expect(closestCodes("B4", codes)[0]).toBe("B3");
  });

  it("prefers codes starting with what was typed", () => {
    // Both one edit from "A1"; the one the typed text begins wins.
    expect(closestCodes("A1", ["B1", "A12"], 1)).toEqual(["A12"]);
    expect(closestCodes("A1", ["B1", "A12"])).toEqual(["A12", "B1"]);
  });

  it("reads typed diacritics as plain letters (đ → D)", () => {
    expect(closestCodes("đ5", ["D5", "X99"])).toEqual(["D5"]);
    expect(closestCodes("đ5", ["E5", "D5"], 1)).toEqual(["D5"]);
    expect(closestCodes("ă12", ["B12", "A12"], 1)).toEqual(["A12"]);
  });

  it("gives at most `max` codes (3 by default)", () => {
    expect(closestCodes("A1", codes)).toHaveLength(3);
    expect(closestCodes("A1", codes, 1)).toEqual(["A1"]);
    expect(closestCodes("A1", codes, 5)).toHaveLength(5);
    expect(closestCodes("A1", codes, 0)).toEqual([]);
  });

  it("suggests nothing for something far from every code", () => {
    expect(closestCodes("XYZXYZXYZ", codes)).toEqual([]);
    expect(closestCodes("quanlyvanban", codes)).toEqual([]);
    expect(closestCodes("A12", [])).toEqual([]);
  });

  it("only suggests codes from the list", () => {
    for (const typed of ["a", "A3", "c100", "T-05", "B33"]) {
      for (const s of closestCodes(typed, codes, 10)) expect(codes).toContain(s);
    }
  });
});
