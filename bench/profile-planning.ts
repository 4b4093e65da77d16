/**
 * The planner and the digest at 10,000 tasks / 30,000 assignments / 500 groups, many times in
 * one process, for profiling (`node --cpu-prof --import tsx bench/profile-planning.ts [runs] [planner|digest] [--new-day]`).
 * Prints the first run and the median. Not part of `npm run bench` (bench/planning.ts is). As
 * there, 1 % of the shares are replaced by new (frozen) objects before each run (not timed), as
 * a day of progress reports replaces them: the per-element memos see what a running bot gives them.
 * `--new-day`: each run on the next working day (as the daily reminder run and a scheduled
 * digest are): nothing of the day is computed before (the digest keeps figures per day), so
 * this is what the bench's repeated runs of one day do not show.
 */
import path from "node:path";
import { loadHolidays } from "../src/boot/reference.ts";
import { createCalendar, vnInstant } from "../src/core/calendar.ts";
import { computeDigest, quarterPeriod } from "../src/digest/figures.ts";
import { planReminders } from "../src/reminders/message.ts";
import { ReminderSettings } from "../src/reminders/planner.ts";
import { deepFreeze } from "../src/store/memory.ts";
import { ROOT, benchAgencies, makeRegistry, median, nowMs } from "./lib.ts";

const args = process.argv.slice(2).filter((a) => a !== "--new-day");
const newDay = process.argv.includes("--new-day");
const runs = Number(args[0] ?? 20);
const only = args[1];
const calendar = createCalendar(loadHolidays(path.join(ROOT, "data/holidays.json")));
let DAY = "2021-06-15";
let NOW = vnInstant(DAY, "08:00");
// Frozen, as the store hands it out (the per-element memos apply only to the store's objects).
let data = deepFreeze(makeRegistry({ tasks: 10_000, agencies: 500, groups: 500 }));
const { reference, extra } = benchAgencies(500);
const agencyNames = Object.fromEntries([...reference, ...extra].map((a) => [a.id, a.name]));
const settings = ReminderSettings.parse({});
/** `data` after a day of reports: 1 % of the shares replaced (as bench/planning.ts's dayOfReports). */
const dayOfReports = (day: number) => {
  const assignments = data.assignments.map((a, i) =>
    (i + day) % 100 === 0 ? deepFreeze({ ...a, progress: (a.progress + 10) % 100, updatedAt: NOW.toISOString() }) : a,
  );
  data = deepFreeze({ ...data, assignments });
};
for (const [name, run] of [
  ["planner", () => planReminders({ ...data, agencyNames, coordinatorAgencyId: "so-noi-vu" }, settings, calendar, NOW)],
  ["digest", () => computeDigest({ ...data, agencyNames }, quarterPeriod(DAY), DAY, calendar)],
] as const) {
  if (only && only !== name) continue;
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i > 0) dayOfReports(i);
    if (i > 0 && newDay) {
      DAY = calendar.addWorkingDays(DAY, 1);
      NOW = vnInstant(DAY, "08:00");
    }
    const t = nowMs();
    const c = process.cpuUsage();
    run();
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    times.push(nowMs() - t);
  }
  console.log(
    `${name}${newDay ? " (each run on a new day)" : ""}: first ${times[0].toFixed(1)} ms, second ${times[1]?.toFixed(1)} ms, median ${median(times).toFixed(1)} ms over ${runs}; ` +
      `CPU median ${median(cpu).toFixed(1)} ms (GC threads included); fastest ${Math.min(...times).toFixed(1)} ms`,
  );
}
