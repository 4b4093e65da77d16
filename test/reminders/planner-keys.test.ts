/**
 * Issue 14 item 4: the planner lists each item key once per chat. It keeps no set of all keys
 * when no (task, agency) pair repeats; these are the registries where one can, and the share
 * whose milestones were extended onto one day: each stage is still listed once.
 */
import { describe, expect, it } from "vitest";
import { planReminders } from "../../src/reminders/message.ts";
import { ReminderSettings, type ReminderState } from "../../src/reminders/planner.ts";
import { assignment, at, binding, calendar, COORD, dated, state, task } from "./fixtures.ts";

const settings = ReminderSettings.parse({});
const STP = "tg:-100stp";
const SNV = "tg:-100snv";
const keysOf = (st: ReminderState, chatId: string, day: string) =>
  planReminders(st, settings, calendar, at(day))
    .filter((m) => m.chatId === chatId)
    .flatMap((m) => m.items.map((i) => i.key));
const bindings = [binding(STP, "so-tu-phap"), binding(SNV, COORD)];

describe("each item key once", () => {
  it("two milestones of a share extended onto one day: one item for that day", () => {
    const st = state({
      tasks: [task("A1", dated("2021-03-31", "2021-04-30"))],
      assignments: [assignment("A1", "so-tu-phap", { extensions: [{ originalDue: "2021-03-31", newDue: "2021-04-30", requestId: 1 }] })],
      bindings,
    });
    expect(keysOf(st, STP, "2021-04-28")).toEqual(["A1@so-tu-phap#2021-04-30#n1"]);
    expect(keysOf(st, STP, "2021-05-05")).toEqual(["A1@so-tu-phap#2021-04-30#late1"]);
  });

  it("an assignment recorded twice: its items once", () => {
    const st = state({
      tasks: [task("A1", dated("2021-03-31")), task("A2", dated("2021-03-31"))],
      assignments: [assignment("A1", "so-tu-phap"), assignment("A2", "so-tu-phap"), assignment("A1", "so-tu-phap")],
      bindings,
    });
    expect(keysOf(st, STP, "2021-03-31")).toEqual(["A1@so-tu-phap#2021-03-31#due", "A2@so-tu-phap#2021-03-31#due"]);
  });

  it("a task code listed twice: its items once", () => {
    const st = state({
      tasks: [task("A1", dated("2021-03-31")), task("A1", dated("2021-03-31"))],
      assignments: [assignment("A1", "so-tu-phap")],
      bindings,
    });
    expect(keysOf(st, STP, "2021-03-31")).toEqual(["A1@so-tu-phap#2021-03-31#due"]);
  });
});
