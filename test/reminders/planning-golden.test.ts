/**
 * Issue 14 item 4: the planner and the digest are rewritten for speed, never for output. This
 * differential test pins their whole output over a 2,000-task registry with every kind of
 * state — extensions (approved requests), milestones done on time and late, condition dates
 * (some extended, some done), blockers, removed tasks, an inactive plan, a send-log from the
 * day before, agencies without a group, audit events (progress, blockers) — at several
 * instants, to SHA-256 digests of their JSON recorded from the code before the rewrite
 * (test/fixtures/planning-golden.json). A change of output fails here.
 *
 * To re-record after an intended change of output: `UPDATE_GOLDEN=1 npx vitest run test/reminders/planning-golden.test.ts`.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { benchAgencies, makeRegistry, progressEvent } from "../../bench/lib.ts";
import { addDays, vnInstant } from "../../src/core/calendar.ts";
import type { Assignment, Event, ExtensionRequest } from "../../src/core/schemas.ts";
import { computeDigest, periodFromSpec, quarterPeriod } from "../../src/digest/figures.ts";
import { planReminders } from "../../src/reminders/message.ts";
import { ReminderSettings } from "../../src/reminders/planner.ts";
import { deepFreeze } from "../../src/store/memory.ts";
import { calendar } from "../digest/fixtures.ts";
import { delivered } from "./fixtures.ts";

const GOLDEN = new URL("../fixtures/planning-golden.json", import.meta.url);

/** The bench registry, made to hold every state the planner and the digest read. Deterministic. */
function richRegistry() {
  const data = makeRegistry({ tasks: 2_000, agencies: 80, groups: 60, seed: 7 });
  const tasks = data.tasks.map((t, i) => (i % 97 === 5 ? { ...t, removed: true } : t));
  const requests: ExtensionRequest[] = [];
  const assignments = data.assignments.map((a, i): Assignment => {
    const task = tasks.find((t) => t.code === a.taskCode)!;
    const dues = task.deadline.milestones.map((m) => m.due);
    let out: Assignment = { ...a };
    if (a.status !== "done" && dues.length > 1 && i % 5 === 0) {
      out = { ...out, milestonesDone: [dues[0]], ...(i % 10 === 0 ? { lateMilestones: [dues[0]] } : {}) };
    }
    if (a.status !== "done" && dues.length > 0 && i % 7 === 0) {
      const id = requests.length + 1;
      const original = dues[dues.length > 1 ? 1 : 0];
      const newDue = addDays(original, 20 + (i % 40));
      requests.push({
        id,
        assignmentId: a.id,
        taskCode: a.taskCode,
        agencyId: a.agencyId,
        originalDue: original,
        requestedDue: newDue,
        reason: "Chờ hướng dẫn",
        status: i % 21 === 0 ? "pending" : "approved",
        requestedBy: "tg:1001",
        requestedAt: "2021-04-01T02:00:00.000Z",
        ...(i % 21 === 0 ? {} : { decidedBy: "tg:1", decidedAt: `2021-0${4 + (i % 5)}-0${1 + (i % 9)}T03:00:00.000Z` }),
      });
      if (i % 21 !== 0) out = { ...out, extensions: [{ originalDue: original, newDue, requestId: id }] };
    }
    if (task.deadline.kind === "conditional" && i % 2 === 0) {
      const conditionDue = `2021-0${5 + (i % 5)}-1${i % 10}`;
      out = { ...out, conditionDue };
      if (i % 4 === 0) out = { ...out, milestonesDone: [conditionDue] };
      if (i % 6 === 0)
        out = { ...out, extensions: [{ originalDue: conditionDue, newDue: addDays(conditionDue, 30), requestId: 9_000 + i }] };
    }
    if (a.status === "done" && i % 3 === 0) out = { ...out, doneAt: "2021-07-20T02:00:00.000Z", lateMilestones: dues.slice(-1) };
    if (i % 13 === 0 && a.status !== "done")
      out = { ...out, status: "blocked", blocker: `Vướng mắc ${i}`, updatedAt: "2021-05-20T02:00:00.000Z" };
    return out;
  });
  const plans = data.plans.map((p, i) => (i === 3 ? { ...p, active: false } : p));
  const { reference, extra } = benchAgencies(80);
  const agencyNames = Object.fromEntries([...reference, ...extra].map((a) => [a.id, a.name]));
  const events: Event[] = [];
  for (let seq = 1; seq <= 6_000; seq++) {
    const e = progressEvent(seq, { assignments }, 2021);
    events.push(
      seq % 9 === 0
        ? {
            ...e,
            action: "blocker",
            before: { status: "open" },
            after: { status: "blocked", blocker: `Chờ ý kiến ${seq}` },
            text: "/vuongmac",
          }
        : { ...e, at: new Date(Date.parse(e.at) + seq * 2_600_000).toISOString() },
    );
  }
  events.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  for (const [i, e] of events.entries()) e.seq = i + 1;
  return { ...data, tasks, assignments, plans, extensionRequests: requests, agencyNames, events };
}

const sha = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

type Registry = ReturnType<typeof richRegistry>;

/** The registry as the store hands it out: every object frozen (src/store/memory.ts). */
const frozen = (data: Registry): Registry => deepFreeze(structuredClone(data));

function outputs(data: Registry = richRegistry()): Record<string, string> {
  const settings = ReminderSettings.parse({});
  const base = { ...data, coordinatorAgencyId: "so-noi-vu" };
  const out: Record<string, string> = {};
  // The day before's reminders delivered: today's only carry what changed stage.
  const before = planReminders({ ...base, sendLog: [] }, settings, calendar, vnInstant("2021-06-14", "08:00"));
  for (const [day, sendLog] of [
    ["2021-06-15", delivered(before)],
    ["2021-03-31", []],
    ["2021-09-24", []],
    ["2021-12-30", []],
  ] as const) {
    const plan = planReminders(
      { ...base, sendLog, planStarts: { [data.plans[1].id]: "2021-07-01" } },
      settings,
      calendar,
      vnInstant(day, "08:00"),
    );
    out[`planner ${day}`] = sha(plan);
  }
  const input = {
    tasks: data.tasks,
    assignments: data.assignments,
    extensionRequests: data.extensionRequests,
    plans: data.plans,
    agencyNames: data.agencyNames,
  };
  for (const [name, period, at] of [
    ["quarter 2", quarterPeriod("2021-06-15"), "2021-06-15"],
    ["quarter 3 seen later", quarterPeriod("2021-08-02"), "2021-11-03"],
    ["month 5", periodFromSpec({ kind: "month", year: 2021, month: 5 }), "2021-06-15"],
    ["year", periodFromSpec({ kind: "year", year: 2021 }), "2021-12-30"],
  ] as const) {
    out[`digest ${name}`] = sha(computeDigest(input, period, at, calendar));
    out[`digest ${name} + events`] = sha(computeDigest({ ...input, events: data.events }, period, at, calendar));
  }
  const agency = data.assignments[3].agencyId;
  out["digest quarter 2, one agency"] = sha(
    computeDigest({ ...input, events: data.events }, quarterPeriod("2021-06-15"), "2021-06-15", calendar, { agencyId: agency }),
  );
  out["digest quarter 2, one area"] = sha(
    computeDigest({ ...input, events: data.events }, quarterPeriod("2021-06-15"), "2021-06-15", calendar, { area: data.tasks[0].area }),
  );
  return out;
}

describe("planner and digest output, pinned (differential against the code before issue 14's rewrite)", () => {
  it("equals the recorded digests", () => {
    const got = outputs();
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, `${JSON.stringify(got, null, 2)}\n`);
    expect(got).toEqual(JSON.parse(readFileSync(GOLDEN, "utf8")));
  });

  it("the same from the store's frozen state, with the per-element memos cold and then warm", () => {
    const golden = JSON.parse(readFileSync(GOLDEN, "utf8"));
    const data = frozen(richRegistry());
    expect(outputs(data)).toEqual(golden);
    expect(outputs(data)).toEqual(golden);
  });

  it("after shares and tasks are replaced between runs, what the memos give equals a cold run on fresh objects", () => {
    let data = frozen(richRegistry());
    outputs(data); // every memo warm for these objects
    // A day's changes, as updates make them: some shares and tasks replaced by new objects
    // (progress, milestones done, extensions, status; a title, a deadline), the rest kept.
    for (let round = 0; round < 2; round++) {
      const assignments = data.assignments.map((a, i): Assignment => {
        if ((i + round) % 37 !== 0) return a;
        const task = data.tasks.find((t) => t.code === a.taskCode)!;
        const dues = task.deadline.milestones.map((m) => m.due);
        const kind = (i + round) % 4;
        if (kind === 0) return { ...a, progress: (a.progress + 30) % 100 };
        if (kind === 1 && dues.length) return { ...a, milestonesDone: [...new Set([...a.milestonesDone, dues[0]])] };
        if (kind === 2 && dues.length)
          return { ...a, extensions: [{ originalDue: dues[0], newDue: addDays(dues[0], 45), requestId: 50_000 + i }] };
        return { ...a, status: a.status === "done" ? "open" : "done", doneAt: "2021-06-01T02:00:00.000Z" };
      });
      const tasks = data.tasks.map((t, i) => {
        if ((i + round) % 53 !== 0) return t;
        if (i % 2) return { ...t, title: `${t.title} (sửa ${round})` };
        const milestones = t.deadline.milestones.map((m) => ({ ...m, due: addDays(m.due, 10) }));
        return { ...t, deadline: { ...t.deadline, milestones } };
      });
      data = deepFreeze({ ...data, assignments, tasks });
      expect(outputs(data)).toEqual(outputs(frozen(data)));
    }
  });
});
