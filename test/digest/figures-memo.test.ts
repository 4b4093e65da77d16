/**
 * Issue 14 item 4: the digest memoises day instants (module-wide) and working days late
 * (per digest). Neither may leak from one digest into the next: digests at several days and
 * periods, in one module, equal each digest computed alone by a freshly loaded module.
 */
import { describe, expect, it, vi } from "vitest";
import { vnInstant } from "../../src/core/calendar.ts";
import { ReminderSettings } from "../../src/reminders/planner.ts";
import { makeRegistry } from "../../bench/lib.ts";
import { agencyNames, calendar } from "./fixtures.ts";

const data = makeRegistry({ tasks: 300, agencies: 30, groups: 20 });
const input = {
  tasks: data.tasks,
  assignments: data.assignments,
  extensionRequests: data.extensionRequests,
  plans: data.plans,
  agencyNames,
};
const CASES = [
  { at: "2021-06-15", quarter: "2021-06-15" },
  { at: "2021-11-03", quarter: "2021-06-15" }, // Q2 seen from November: later `at`, same period
  { at: "2021-08-02", quarter: "2021-08-02" },
  { at: "2021-06-15", quarter: "2021-03-01" },
];

type FiguresModule = typeof import("../../src/digest/figures.ts");
const fresh = async (): Promise<FiguresModule> => {
  vi.resetModules();
  return import("../../src/digest/figures.ts");
};

describe("digest memos do not carry over between digests", () => {
  it("each digest in a sequence equals the same digest computed alone", async () => {
    const shared = await fresh();
    const inSequence = CASES.map((c) => shared.computeDigest(input, shared.quarterPeriod(c.quarter), c.at, calendar));
    expect(inSequence[0].overdue.length).toBeGreaterThan(0);
    // Overdue days differ with `at` for the same dues: a memo kept across digests would show it.
    expect(inSequence[1].overdue[0].workingDaysLate).not.toBe(inSequence[0].overdue[0].workingDaysLate);
    for (const [i, c] of CASES.entries()) {
      const alone = await fresh();
      expect(inSequence[i]).toEqual(alone.computeDigest(input, alone.quarterPeriod(c.quarter), c.at, calendar));
    }
  });

  it("the planner's per-run memos (working days per due, shortened titles) do not carry over either", async () => {
    const state = { ...data, agencyNames, coordinatorAgencyId: "so-noi-vu" };
    const { planReminders } = await import("../../src/reminders/message.ts");
    const days = ["2021-06-15", "2021-06-22", "2021-06-15"];
    const runs = days.map((d) => planReminders(state, ReminderSettings.parse({}), calendar, vnInstant(d, "08:00")));
    expect(runs[2]).toEqual(runs[0]);
    expect(runs[1]).not.toEqual(runs[0]);
    vi.resetModules();
    const again = await import("../../src/reminders/message.ts");
    expect(again.planReminders(state, ReminderSettings.parse({}), calendar, vnInstant(days[1], "08:00"))).toEqual(runs[1]);
  });
});
