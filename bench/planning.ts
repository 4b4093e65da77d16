/**
 * Planning at one instant (a working day, 08:00 in Vietnam): the reminder planner and the
 * digest figures over a national registry (10,000 tasks, 30,000 assignments, 500 groups),
 * and over one ten times smaller in every dimension, to see how they grow. Plus the unit
 * costs behind them (calendar arithmetic, Vietnam time).
 */
import path from "node:path";
import { createDirectory } from "../src/core/agencies.ts";
import { createCalendar, vnInstant } from "../src/core/calendar.ts";
import { computeDigest, quarterPeriod, type DigestInput } from "../src/digest/figures.ts";
import { loadHolidays } from "../src/boot/reference.ts";
import { ReminderSettings, type ReminderState } from "../src/reminders/planner.ts";
import { planReminders } from "../src/reminders/message.ts";
import { deepFreeze } from "../src/store/memory.ts";
import type { StoreData } from "../src/store/types.ts";
import {
  ROOT,
  benchAgencies,
  exponent,
  makeRegistry,
  median,
  nowMs,
  progress,
  progressEvent,
  round,
  sample,
  type Row,
  type SectionOptions,
} from "./lib.ts";

const calendar = createCalendar(loadHolidays(path.join(ROOT, "data/holidays.json")));
const DAY = "2021-06-15"; // a Tuesday, mid-year: every kind of stage is due somewhere
const NOW = vnInstant(DAY, "08:00");
const fmt = (n: number) => n.toLocaleString("en");

function reminderState(data: StoreData, agencies: number): ReminderState {
  const { reference, extra } = benchAgencies(agencies);
  const agencyNames = Object.fromEntries([...reference, ...extra].map((a) => [a.id, a.name]));
  return {
    tasks: data.tasks,
    assignments: data.assignments,
    bindings: data.bindings,
    sendLog: data.sendLog,
    agencyNames,
    coordinatorAgencyId: "so-noi-vu",
  };
}

/**
 * `data` after a day of progress reports: 1 % of the shares replaced by new (frozen) objects,
 * as the store's updates replace them; every other object kept.
 */
function dayOfReports(data: StoreData, day: number): StoreData {
  const assignments = data.assignments.map((a, i) =>
    (i + day) % 100 === 0 ? deepFreeze({ ...a, progress: (a.progress + 10) % 100, updatedAt: NOW.toISOString() }) : a,
  );
  return deepFreeze({ ...data, assignments });
}

function digestInput(data: StoreData, agencyNames: Record<string, string>, events: number): DigestInput {
  return {
    tasks: data.tasks,
    assignments: data.assignments,
    extensionRequests: data.extensionRequests,
    plans: data.plans,
    agencyNames,
    events: events ? Array.from({ length: events }, (_, i) => progressEvent(i + 1, data)) : undefined,
  };
}

type Scale = { tasks: number; agencies: number; groups: number };
const label = (s: Scale) => `${fmt(s.tasks)} tasks / ${fmt(s.tasks * 3)} assignments / ${s.groups} groups`;
type Measured = { scale: Scale; planner: number; digest: number; messages: number };

export async function run({ quick }: SectionOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const settings = ReminderSettings.parse({});
  // The second scale is ten times the first in every dimension.
  const scales: Scale[] = quick
    ? [
        { tasks: 300, agencies: 30, groups: 30 },
        { tasks: 3_000, agencies: 300, groups: 300 },
      ]
    : [
        { tasks: 1_000, agencies: 50, groups: 50 },
        { tasks: 10_000, agencies: 500, groups: 500 },
      ];
  const measured: Measured[] = [];
  for (const scale of scales) {
    const runs = quick ? 3 : 7;
    progress(`planning: ${label(scale)}`);
    // As the store hands the state out: frozen, each update replacing only what it changed
    // (so the planner's and the digest's per-element memos see what a running bot gives them).
    let data = deepFreeze(makeRegistry(scale));
    const first = nowMs();
    const planned = planReminders(reminderState(data, scale.agencies), settings, calendar, NOW); // also the warm-up
    const firstMs = nowMs() - first;
    const items = planned.reduce((n, m) => n + m.items.length, 0);
    /** Times `work` on `runs` states, each after a day of reports (1 % of the shares replaced: not timed). */
    const daily = (work: (d: StoreData) => unknown): number[] => {
      const times: number[] = [];
      for (let r = 0; r < runs; r++) {
        data = dayOfReports(data, r);
        const t = nowMs();
        work(data);
        times.push(nowMs() - t);
      }
      return times;
    };
    /** The same on the next `runs` working days, one run each (as the daily reminder run and a scheduled digest: nothing of the day kept yet). */
    const newDays = (work: (d: StoreData, day: string) => unknown): number[] => {
      const times: number[] = [];
      for (let r = 0; r < runs; r++) {
        data = dayOfReports(data, runs + r);
        const day = calendar.addWorkingDays(DAY, r + 1);
        const t = nowMs();
        work(data, day);
        times.push(nowMs() - t);
      }
      return times;
    };
    const times = daily((d) => planReminders(reminderState(d, scale.agencies), settings, calendar, NOW));
    const newDayTimes = newDays((d, day) => planReminders(reminderState(d, scale.agencies), settings, calendar, vnInstant(day, "08:00")));
    rows.push({
      section: "planning",
      case: `reminder planner, ${label(scale)}`,
      value: round(median(times)),
      unit: "ms/run",
      note: `${planned.length} messages, ${fmt(items)} items; median of ${runs}, each after 1 % of the shares changed; first run in the process (cold) ${round(firstMs)} ms`,
    });
    rows.push({
      section: "planning",
      case: `reminder planner, ${label(scale)}, a new day each run`,
      value: round(median(newDayTimes)),
      unit: "ms/run",
      note: `the daily reminder run: median of ${runs} runs on the working days after, each after 1 % of the shares changed (nothing of the day computed before)`,
    });

    const period = quarterPeriod(DAY);
    const names = reminderState(data, scale.agencies).agencyNames;
    const dFirst = nowMs();
    computeDigest(digestInput(data, names, 0), period, DAY, calendar);
    const dFirstMs = nowMs() - dFirst;
    progress(`planning: digest ×${runs}`);
    const dTimes = daily((d) => computeDigest(digestInput(d, names, 0), period, DAY, calendar));
    const dNewDayTimes = newDays((d, day) => computeDigest(digestInput(d, names, 0), quarterPeriod(day), day, calendar));
    rows.push({
      section: "planning",
      case: `digest (quarter), ${label(scale)}`,
      value: round(median(dTimes)),
      unit: "ms/run",
      note: `without audit events; median of ${runs}, each after 1 % of the shares changed; first run (cold) ${round(dFirstMs)} ms`,
    });
    rows.push({
      section: "planning",
      case: `digest (quarter), ${label(scale)}, a new day each run`,
      value: round(median(dNewDayTimes)),
      unit: "ms/run",
      note: `a scheduled digest: median of ${runs} runs on the working days after, each after 1 % of the shares changed`,
    });
    measured.push({ scale, planner: median(times), digest: median(dTimes), messages: planned.length });
    if (scale === scales[scales.length - 1]) {
      const withEvents = digestInput(data, names, data.assignments.length * 3);
      const eTimes = await sample(() => computeDigest(withEvents, period, DAY, calendar), runs, 0);
      rows.push({
        section: "planning",
        case: `digest (quarter) + ${fmt(withEvents.events!.length)} audit events`,
        value: round(median(eTimes)),
        unit: "ms/run",
        note: `3 events per assignment, as /tongket passes the audit trail; median of ${runs}`,
      });
    }
  }

  const [a, b] = measured;
  rows.push({
    section: "planning",
    case: "growth ×10 (every dimension): planner",
    value: round(exponent(a.scale.tasks, a.planner, b.scale.tasks, b.planner), 2),
    unit: "exponent",
    note: "1 = linear, 2 = quadratic",
  });
  rows.push({
    section: "planning",
    case: "growth ×10 (every dimension): digest",
    value: round(exponent(a.scale.tasks, a.digest, b.scale.tasks, b.digest), 2),
    unit: "exponent",
    note: "1 = linear",
  });

  // Unit costs behind both: calendar arithmetic (per-year prefix counts), Vietnam time.
  for (const [from, span] of [
    ["2021-06-01", "2 weeks"],
    ["2020-06-15", "1 year"],
    ["2016-06-15", "5 years"],
  ] as const) {
    const t = await sample(() => {
      for (let i = 0; i < 20; i++) calendar.workingDaysBetween(from, DAY);
    }, 5);
    rows.push({
      section: "planning",
      case: `calendar.workingDaysBetween over ${span}`,
      value: round((median(t) / 20) * 1000),
      unit: "µs/call",
      note: span === "2 weeks" ? "per-year prefix counts: flat in the span; called for every overdue milestone" : "",
    });
  }
  const v = await sample(() => {
    for (let i = 0; i < 200; i++) vnInstant(DAY);
  }, 5);
  rows.push({
    section: "planning",
    case: "vnInstant (fixed UTC+7 arithmetic)",
    value: round((median(v) / 200) * 1000),
    unit: "µs/call",
    note: "digest: several per assignment (start/end of day)",
  });

  // A date far outside the holiday data (a due typed as 9999, refused today but possibly stored
  // before): counted by weekday arithmetic beyond 2100, not day by day.
  const far = await sample(
    () => createCalendar(loadHolidays(path.join(ROOT, "data/holidays.json"))).workingDaysBetween(DAY, "9999-06-30"),
    3,
  );
  rows.push({
    section: "planning",
    case: "calendar.workingDaysBetween to 9999 (fresh calendar)",
    value: round(median(far)),
    unit: "ms/call",
    note: "was ~6 s and then threw (issue 13)",
  });

  // The agency directory behind the importer: names found in a 2,000-character paragraph.
  const directory = createDirectory(benchAgencies(50).reference);
  const sentence =
    "Văn phòng UBND tỉnh, Sở Nội vụ, Sở Tư pháp phối hợp với các sở, ban, ngành tỉnh và Ủy ban nhân dân các xã, phường rà soát, báo cáo; ";
  const paragraph = sentence.repeat(Math.ceil(2000 / sentence.length)).slice(0, 2000);
  let n = 0;
  const m = await sample(() => {
    for (let i = 0; i < 50; i++) directory.mentions(`${n++} ${paragraph}`);
  }, 5);
  rows.push({
    section: "planning",
    case: "directory.mentions, 2,000-character paragraph (not memoised)",
    value: round((median(m) / 50) * 1000),
    unit: "µs/call",
    note: "the importer's search for agency names in prose",
  });
  return rows;
}
