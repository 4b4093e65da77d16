/**
 * Issue 14 item 4: the digest memoises each share's figure across digests, keyed by the
 * store's frozen share object (figures.ts `figureMemo`). A figure depends on more than the
 * share: its task, the period, `at`, the calendar, whether its plan covers the period (undated
 * work), and the decisions of the extension requests its extensions name. Each test warms the
 * memo on frozen objects, changes ONE of those inputs while keeping the share objects, and
 * checks the digest against the same digest on fresh copies (memo cold); each change is
 * checked to change the digest, so a memo that ignored that input would fail here.
 */
import { describe, expect, it } from "vitest";
import { makeRegistry } from "../../bench/lib.ts";
import { loadHolidays } from "../../src/boot/reference.ts";
import { addDays, createCalendar, type WorkCalendar } from "../../src/core/calendar.ts";
import type { Assignment, ExtensionRequest } from "../../src/core/schemas.ts";
import { computeDigest, periodFromSpec, quarterPeriod, type DigestInput, type Period } from "../../src/digest/figures.ts";
import { deepFreeze } from "../../src/store/memory.ts";
import { agencyNames, calendar } from "./fixtures.ts";

/** A copy of `x` made of new frozen objects: no memo has seen them. */
const fresh = <T>(x: T): T => deepFreeze(structuredClone(x));

/**
 * The digest from `input` equals the one from fresh copies, with the memos as they are and
 * again (figures are kept from the second digest with the same key on: the first stores them
 * if not yet, the second reuses them); returned.
 */
function checked(input: DigestInput, period: Period, at: string, cal: WorkCalendar = calendar) {
  const cold = computeDigest(fresh(input), period, at, cal);
  expect(computeDigest(input, period, at, cal)).toEqual(cold);
  const got = computeDigest(input, period, at, cal);
  expect(got).toEqual(cold);
  return got;
}

const Q2 = quarterPeriod("2021-06-15");

/** A frozen registry with one open share due in Q1, extended to 30/06 by an approved request (id 777). */
function registry(): DigestInput {
  const data = makeRegistry({ tasks: 300, agencies: 30, groups: 20 });
  const i = data.assignments.findIndex((a) => {
    const task = data.tasks.find((t) => t.code === a.taskCode)!;
    return a.status !== "done" && task.deadline.milestones.length === 1 && task.deadline.milestones[0].due < "2021-04-01";
  });
  expect(i).toBeGreaterThanOrEqual(0);
  const a = data.assignments[i];
  const due = data.tasks.find((t) => t.code === a.taskCode)!.deadline.milestones[0].due;
  const request: ExtensionRequest = {
    id: 777,
    assignmentId: a.id,
    taskCode: a.taskCode,
    agencyId: a.agencyId,
    originalDue: due,
    requestedDue: "2021-06-30",
    reason: "Chờ hướng dẫn",
    status: "approved",
    requestedBy: "tg:1001",
    requestedAt: "2021-03-20T02:00:00.000Z",
    decidedBy: "tg:1",
    decidedAt: "2021-03-25T02:00:00.000Z",
  };
  const extended: Assignment = { ...a, extensions: [{ originalDue: due, newDue: "2021-06-30", requestId: 777 }] };
  const assignments = data.assignments.map((x, k) => (k === i ? extended : x));
  return deepFreeze({
    tasks: data.tasks,
    assignments,
    extensionRequests: [...data.extensionRequests, request],
    plans: data.plans,
    agencyNames,
  });
}

describe("a share's memoised digest figure follows every input it depends on", () => {
  it("the period and the day `at`", () => {
    const input = registry();
    const q2 = checked(input, Q2, "2021-06-15");
    const later = checked(input, Q2, "2021-11-03");
    const month = checked(input, periodFromSpec({ kind: "month", year: 2021, month: 5 }), "2021-06-15");
    expect(later.overdue).not.toEqual(q2.overdue);
    expect(month.totals).not.toEqual(q2.totals);
    expect(checked(input, Q2, "2021-06-15")).toEqual(q2);
  });

  it("the calendar (working days late)", () => {
    const input = registry();
    const base = checked(input, Q2, "2021-06-15");
    const holidays = loadHolidays(new URL("../../data/holidays.json", import.meta.url).pathname);
    const y = holidays.years["2021"];
    const more = createCalendar({
      ...holidays,
      years: { ...holidays.years, 2021: { ...y, daysOff: [...y.daysOff, { from: "2021-06-01", to: "2021-06-11", note: "thử" }] } },
    });
    const other = checked(input, Q2, "2021-06-15", more);
    expect(other.overdue.map((o) => o.workingDaysLate)).not.toEqual(base.overdue.map((o) => o.workingDaysLate));
  });

  it("the task (replaced, its shares kept)", () => {
    const input = registry();
    const base = checked(input, Q2, "2021-06-15");
    // Every dated task's milestones moved past the quarter: its shares leave Q2's overdue list.
    const tasks = input.tasks.map((t, k) =>
      k % 2 === 0 && t.deadline.milestones.length > 0
        ? { ...t, deadline: { ...t.deadline, milestones: t.deadline.milestones.map((m) => ({ ...m, due: addDays(m.due, 200) })) } }
        : t,
    );
    const moved = checked(deepFreeze({ ...input, tasks }), Q2, "2021-06-15");
    expect(moved.overdue.length).toBeLessThan(base.overdue.length);
  });

  it("whether the task's plan covers the period (undated work)", () => {
    const input = registry();
    const base = checked(input, Q2, "2021-06-15");
    const plans = input.plans!.map((p) => ({ ...p, year: 2030, period: undefined }));
    const elsewhere = checked(deepFreeze({ ...input, plans }), Q2, "2021-06-15");
    expect(elsewhere.totals.continuousMissing + elsewhere.totals.continuousReported).toBe(0);
    expect(base.totals.continuousMissing + base.totals.continuousReported).toBeGreaterThan(0);
  });

  it("the decision of the extension request its extension names (the share object kept)", () => {
    const input = registry();
    const base = checked(input, Q2, "2021-06-15");
    const extended = input.assignments.find((a) => a.extensions.length > 0 && a.extensions[0].requestId === 777)!;
    const row = (d: ReturnType<typeof computeDigest>) =>
      d.rows
        .flatMap((r) => r.shares.map((s) => ({ code: r.task.code, ...s })))
        .find((s) => s.code === extended.taskCode && s.agencyId === extended.agencyId);
    expect(row(base)).toMatchObject({ extended: true, due: "2021-06-30", state: "openOnTime" });
    // Decided only after `at`: the extension is not yet in force then; the share is overdue.
    const extensionRequests = input.extensionRequests.map((r) => (r.id === 777 ? { ...r, decidedAt: "2021-07-01T02:00:00.000Z" } : r));
    const undecided = checked(deepFreeze({ ...input, extensionRequests }), Q2, "2021-06-15");
    expect(row(undecided)).toMatchObject({ extended: false, due: extended.extensions[0].originalDue, state: "openOverdue" });
  });

  it("the first digest with a key keeps no figure; the second keeps them (frozen: no digest can change another's)", () => {
    const input = registry();
    const period = periodFromSpec({ kind: "range", from: "2021-04-01", to: "2021-06-30" });
    const first = computeDigest(input, { ...period, label: "chưa gặp" }, "2021-06-17", calendar);
    expect(Object.isFrozen(first.rows[0].shares[0])).toBe(false);
    const second = computeDigest(input, period, "2021-06-17", calendar);
    expect(Object.isFrozen(second.rows[0].shares[0])).toBe(true);
    expect(computeDigest(input, period, "2021-06-17", calendar).rows[0].shares[0]).toBe(second.rows[0].shares[0]);
  });

  it("a figure handed out twice is frozen: no digest can change another's", () => {
    const input = registry();
    checked(input, Q2, "2021-06-15");
    const again = computeDigest(input, Q2, "2021-06-15", calendar);
    const share = again.rows[0].shares[0];
    expect(Object.isFrozen(share)).toBe(true);
    expect(Object.isFrozen(share.evidence)).toBe(true);
  });
});

describe("the registry's index in the digest (src/core/registry.ts)", () => {
  it("a code held by two tasks: both rows, and a share's stored blocker listed once", () => {
    const input = registry();
    const a = input.assignments.find((x) => x.status !== "done")!;
    const blocked: Assignment = { ...a, status: "blocked", blocker: "Chờ hướng dẫn", updatedAt: "2021-05-20T02:00:00.000Z" };
    const twin = { ...input.tasks.find((t) => t.code === a.taskCode)!, title: "Bản sao" };
    const twice = deepFreeze({
      ...input,
      tasks: [...input.tasks, twin],
      assignments: input.assignments.map((x) => (x === a ? blocked : x)),
    });
    const d = checked(twice, Q2, "2021-06-15");
    expect(d.blockers.filter((b) => b.code === a.taskCode)).toHaveLength(1);
    expect(d.rows.filter((r) => r.task.code === a.taskCode)).toHaveLength(2);
  });
});
