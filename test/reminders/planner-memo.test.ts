/**
 * Issue 14 item 4: the planner memoises across runs, keyed by the store's frozen objects, each
 * share's items (planner.ts `shareItemsMemo`) and each item's rendered lines (message.ts
 * `itemLines`). Each test warms the memos on frozen state, changes ONE input they depend on
 * while keeping the share (or item) objects, and checks the output against the same run on
 * fresh copies (memos cold); each change is checked to change the output, so a memo that
 * ignored that input would fail here.
 */
import { describe, expect, it } from "vitest";
import { loadHolidays } from "../../src/boot/reference.ts";
import { createCalendar, type WorkCalendar } from "../../src/core/calendar.ts";
import type { Assignment } from "../../src/core/schemas.ts";
import { buildMessage, planReminders } from "../../src/reminders/message.ts";
import {
  ReminderSettings,
  type MessageDraft,
  type PlannedItem,
  type ReminderSettingsInput,
  type ReminderState,
} from "../../src/reminders/planner.ts";
import { deepFreeze } from "../../src/store/memory.ts";
import { assignment, at, binding, calendar, conditional, continuous, dated, state, task } from "./fixtures.ts";

/** A copy of `x` made of new frozen objects: no memo has seen them. */
const fresh = <T>(x: T): T => deepFreeze(structuredClone(x));

const DAY = "2021-06-15";

/** A frozen state with a share of every kind: overdue and escalated, upcoming, continuous, conditional, an agency without a group, the coordinator's own. */
function registry(): ReminderState {
  const q = {
    ...dated("2021-03-31", "2021-06-30"),
    milestones: [
      { due: "2021-03-31", label: "Quý 1" },
      { due: "2021-06-30", label: "Quý 2" },
    ],
  };
  return deepFreeze(
    state({
      tasks: [
        task("A1", dated("2021-06-01")),
        task("A2", dated("2021-06-18")),
        task("A3", continuous, { planId: "p2" }),
        task("A4", conditional, { planId: "p2" }),
        task("A5", q),
      ],
      assignments: [
        assignment("A1", "so-tu-phap"),
        assignment("A1", "so-tai-chinh"),
        assignment("A1", "so-noi-vu"),
        assignment("A2", "so-tu-phap"),
        assignment("A3", "so-tu-phap"),
        assignment("A4", "so-tu-phap"),
        assignment("A5", "so-tu-phap"),
      ],
      bindings: [binding("tg:-1", "so-tu-phap"), binding("tg:-9", "so-noi-vu")],
    }),
  );
}

/** The run on `st` (memos as they are) equals the same run on fresh copies; returned. */
function checked(st: ReminderState, day = DAY, settings: ReminderSettingsInput = {}, cal: WorkCalendar = calendar) {
  const got = planReminders(st, settings, cal, at(day));
  expect(got).toEqual(planReminders(fresh(st), settings, cal, at(day)));
  return got;
}

const texts = (messages: ReturnType<typeof planReminders>) => messages.map((m) => m.text);

describe("a share's memoised items follow every input they depend on", () => {
  it("the day", () => {
    const st = registry();
    const base = checked(st);
    expect(texts(checked(st, "2021-06-16"))).not.toEqual(texts(base));
    expect(texts(checked(st, "2021-06-21"))).not.toEqual(texts(base));
    expect(checked(st)).toEqual(base);
  });

  it("the settings", () => {
    const st = registry();
    const base = checked(st);
    for (const settings of [{ noticeDays: [10] }, { escalateAfter: 12 }, { overdueEvery: 4 }, { conditionalCheckin: "off" as const }]) {
      // (The stage is in the items' keys: every 4 working days, 10 late is stage late9.)
      expect(checked(st, DAY, settings)).not.toEqual(base);
    }
  });

  it("the calendar", () => {
    const st = registry();
    const base = checked(st);
    const holidays = loadHolidays(new URL("../../data/holidays.json", import.meta.url).pathname);
    const y = holidays.years["2021"];
    const more = createCalendar({
      ...holidays,
      years: { ...holidays.years, 2021: { ...y, daysOff: [...y.daysOff, { from: "2021-06-07", to: "2021-06-11", note: "thử" }] } },
    });
    expect(texts(checked(st, DAY, {}, more))).not.toEqual(texts(base));
  });

  it("the coordinator (whose own late work is not escalated)", () => {
    const st = registry();
    const base = checked(st);
    const other = checked(deepFreeze({ ...st, coordinatorAgencyId: "so-tu-phap" }));
    expect(texts(other)).not.toEqual(texts(base));
  });

  it("the plan's start (check-ins wait for it)", () => {
    const st = registry();
    const base = checked(st);
    const later = checked(deepFreeze({ ...st, planStarts: { p2: "2021-07-01" } }));
    expect(later.flatMap((m) => m.items).filter((i) => i.reason === "checkin")).toEqual([]);
    expect(base.flatMap((m) => m.items).filter((i) => i.reason === "checkin").length).toBeGreaterThan(0);
  });

  it("the task (replaced, its shares kept)", () => {
    const st = registry();
    const base = checked(st);
    const tasks = st.tasks.map((t) => (t.code === "A2" ? { ...t, deadline: dated("2021-06-11") } : t));
    const moved = checked(deepFreeze({ ...st, tasks }));
    expect(moved.flatMap((m) => m.items).find((i) => i.code === "A2")?.reason).toBe("overdue");
    expect(base.flatMap((m) => m.items).find((i) => i.code === "A2")?.reason).toBe("upcoming");
  });
});

describe("an item's memoised lines follow every input they depend on", () => {
  const s = ReminderSettings.parse({});
  const item = (fields: Omit<PlannedItem, "key">): PlannedItem =>
    Object.freeze({ key: `${fields.code}@${fields.agencyId}#${fields.due}#x`, ...fields });
  /** The message of `draft` from `st` (memos as they are) equals the one from fresh copies; its text. */
  const rendered = (draft: MessageDraft, st: ReminderState): string => {
    const got = buildMessage(draft, st, s);
    expect(got).toEqual(buildMessage(fresh(draft), fresh(st), s));
    return got.text;
  };

  it("the task (its title)", () => {
    const st = registry();
    const draft: MessageDraft = {
      day: DAY,
      chatId: "tg:-1",
      agencyId: "so-tu-phap",
      items: [item({ code: "A1", agencyId: "so-tu-phap", due: "2021-06-01", reason: "overdue", days: 10 })],
    };
    const base = rendered(draft, st);
    const tasks = st.tasks.map((t) => (t.code === "A1" ? { ...t, title: "Tên mới của nhiệm vụ" } : t));
    const renamed = rendered(draft, deepFreeze({ ...st, tasks }));
    expect(renamed).toContain("Tên mới của nhiệm vụ");
    expect(base).not.toContain("Tên mới của nhiệm vụ");
  });

  it("the share (its extensions name the milestone)", () => {
    const st = registry();
    const draft: MessageDraft = {
      day: DAY,
      chatId: "tg:-1",
      agencyId: "so-tu-phap",
      items: [item({ code: "A5", agencyId: "so-tu-phap", due: "2021-04-30", reason: "overdue", days: 30 })],
    };
    const base = rendered(draft, st);
    const extended: Assignment = {
      ...assignment("A5", "so-tu-phap"),
      extensions: [{ originalDue: "2021-03-31", newDue: "2021-04-30", requestId: 1 }],
    };
    const assignments = st.assignments.map((a) => (a.id === extended.id ? extended : a));
    const labelled = rendered(draft, deepFreeze({ ...st, assignments }));
    expect(labelled).toContain("(mốc: Quý 1)");
    expect(base).not.toContain("(mốc: Quý 1)");
  });

  it("the message's day (a due on a day off)", () => {
    const st = registry();
    const items = [item({ code: "A2", agencyId: "so-tu-phap", due: "2021-06-13", reason: "due", days: 0 })];
    const before = rendered({ day: "2021-06-11", chatId: "tg:-1", agencyId: "so-tu-phap", items }, st);
    const on = rendered({ day: "2021-06-13", chatId: "tg:-1", agencyId: "so-tu-phap", items }, st);
    expect(before).toContain("(ngày nghỉ)");
    expect(on).toContain("hạn hôm nay");
  });

  it("the agency's name and whether it has a group (escalations)", () => {
    const st = registry();
    const late = item({ code: "A1", agencyId: "so-tai-chinh", due: "2021-06-01", reason: "escalation", days: 10 });
    const own = item({ code: "A1", agencyId: "so-tai-chinh", due: "2021-06-01", reason: "overdue", days: 10 });
    const draft: MessageDraft = { day: DAY, chatId: "tg:-9", agencyId: "so-noi-vu", items: [late] };
    // One input changed at a time: the name, then (name as before) whether it has a group.
    const base = rendered(draft, st);
    const renamed = rendered(draft, deepFreeze({ ...st, agencyNames: { ...st.agencyNames, "so-tai-chinh": "Sở Tài chính (tên mới)" } }));
    expect(renamed).toContain("Sở Tài chính (tên mới)");
    expect(base).not.toContain("(tên mới)");
    expect(rendered(draft, st)).toBe(base);
    const unbound = rendered({ ...draft, items: [late, own] }, st);
    expect(unbound).toContain("(📵 chưa có nhóm)");
    expect(base).not.toContain("(📵 chưa có nhóm)");
    // Listed as an agency without a group (its own line), then renamed.
    const alone: MessageDraft = { day: DAY, chatId: "tg:-9", agencyId: "so-noi-vu", items: [own] };
    rendered(alone, st);
    expect(rendered(alone, deepFreeze({ ...st, agencyNames: { ...st.agencyNames, "so-tai-chinh": "Sở Tài chính (tên mới)" } }))).toContain(
      "• Sở Tài chính (tên mới): A1",
    );
  });
});
