/**
 * The Sở Nội vụ digest figures (pure: no clock, no I/O). Everything /tongket, /xuatbaocao,
 * /bieudo, the scheduled digests and `npm run digest` show comes from `computeDigest`.
 *
 * ## Which assignments belong to a period [from, to]
 * An assignment's milestones are the task's, moved by the extensions approved by `at`
 * (a conditional task gets one milestone once the agency gave its date, as in progress.ts).
 * - Dated: the milestones *of the period* are those with an (extended) due ≤ `to` that
 *   were not already done before `from`: the ones due in the period, plus those left over
 *   from before it (still open at its start, whether done since or not). The assignment
 *   belongs to the period when it has at least one. So a task done early for a later
 *   quarter is not in this one, a Q1 task still open in April is in Q2 (overdue), and a Q1
 *   task finished late in April is in Q2 as "hoàn thành quá hạn" (and in Q1, as overdue,
 *   for an `at` in Q1).
 * - Undated (continuous, conditional still waiting, unreadable deadline): belongs to every
 *   period that overlaps its plan's year (plans given) — or to every period (no plans).
 * Removed tasks, tasks of inactive plans and tasks with no assignment (lead agency not in the
 * directory yet) never count.
 *
 * ## State as of `at` (end of that day, Vietnam time)
 * Whatever was reported after `at` is ignored, whether `at` is inside the period or after
 * it (a report on 05/07 about Q2 counts Q2 work finished on 02/07 as done late):
 * - dated: done when all of its period milestones are done by `at` — late if any was
 *   reported after its due (Assignment.lateMilestones); otherwise overdue if an open one is
 *   due before `at`, else open on time;
 * - continuous: reported when its last report as of `at` falls in [from, min(to, at)];
 * - conditional without a date: "chờ điều kiện" (done, if reported done, counts on time);
 * - unreadable deadline: done on time or open on time (there is no due to be late for).
 *
 * When each thing happened is read from the audit trail when `events` are given (every
 * change through the bot records the fields before and after), else from the assignment:
 * `doneAt` (the last milestone), `lastReportAt`, extension requests' `decidedAt`. Limits
 * without events: an earlier milestone of a multi-milestone task is taken as done at its
 * due when it was on time, at `updatedAt`/`doneAt` when late (so for an `at` before those
 * it may show open when it was in fact done); only the last report of a continuous task
 * is known; progress percentages and condition dates are today's.
 *
 * ## Counting
 * Blockers are those reported (`blocker` events; else a stored blocker last changed) and
 * extensions those approved between `from` and min(`to`, `at`).
 *
 * Each assignment in the period has one state. A task counts once in the totals and in
 * the area table, with the state of its assignments combined (the worst wins: overdue,
 * open, waiting, unreported, reported, done late, done on time — so it is done only when
 * every agency is done); once per agency in the agency table.
 *
 * - **Completion rate** (`completion`): one definition, shown by every output as "tỷ lệ
 *   hoàn thành" (chat summary and detail, .xlsx, chart, /bieudo): done / (done + open) —
 *   see `completion` for what is counted.
 * - **Days late** (`workingDaysLate`): working days (the calendar of Asia/Ho_Chi_Minh, as
 *   the reminders and /chitiet count them) from the due to `at`; every output writes "trễ N
 *   ngày làm việc".
 * - **100 % is not done.** Progress is the agency's own estimate; a task is done when it is
 *   reported with /xong (with its evidence document), which is what the quarterly report
 *   needs. So an open share at 100 % stays open (and overdue past its due) in every count;
 *   it is flagged `awaitingDone` and the outputs write it as "100 % — chờ báo hoàn thành"
 *   so that it reads as one /xong away, not as plain work in progress.
 */
import { z } from "zod";
import {
  addDays,
  vnInstant,
  isValidDay,
  parseInstant,
  quarterEnd,
  quarterOf,
  quarterStart,
  toVnDay,
  type WorkCalendar,
} from "../core/calendar.ts";
import {
  IsoDay,
  ReformArea,
  type Assignment,
  type Event,
  type Evidence,
  type ExtensionRequest,
  type Plan,
  type Task,
} from "../core/schemas.ts";
import { shareIndex, taskIndex } from "../core/registry.ts";
import { codeRanksOf, collationRanks, fold, parseViDate, viDate } from "../core/text.ts";

// ---------------------------------------------------------------- types

export const STATES = [
  "doneOnTime",
  "doneLate",
  "openOnTime",
  "openOverdue",
  "continuousReported",
  "continuousMissing",
  "conditional",
] as const;
export type DigestState = (typeof STATES)[number];

/**
 * Counts by state. `awaitingDone`: how many of the open ones (on time or overdue) are at
 * 100 % progress without a /xong (a part of openOnTime + openOverdue, not a state of its own).
 */
export type Counters = { tasks: number; awaitingDone: number } & Record<DigestState, number>;

export type Period = { from: IsoDay; to: IsoDay; label: string };

export type DigestFilter = { agencyId?: string; area?: ReformArea };

export type DigestInput = {
  tasks: readonly Task[];
  assignments: readonly Assignment[];
  extensionRequests: readonly ExtensionRequest[];
  /** Agency id → name (an id missing here is shown as itself). */
  agencyNames: Readonly<Record<string, string>>;
  /** The audit trail (any order); makes the state as of a past `at` exact. */
  events?: readonly Event[];
  /** Plans, for the year of undated tasks and to leave out inactive plans. */
  plans?: readonly Plan[];
};

/** One agency's share of a task, as of `at`, in the period. */
export type AssignmentFigure = {
  agencyId: string;
  state: DigestState;
  /** The period milestone that decides the state: earliest open one, else the last done. */
  due: IsoDay | null;
  /** Working days from `due` to `at` when overdue, else 0. */
  workingDaysLate: number;
  /** 0–100; the agency's estimate (100 is not done: see the file comment). */
  progress: number;
  /** Open (on time or overdue) at 100 % progress: waiting only for its /xong. */
  awaitingDone: boolean;
  evidence: Evidence[];
  /** The due was moved by an approved extension. */
  extended: boolean;
  blocker?: string;
};

/** One task in the period (task sheet, detail); `awaitingDone` when every open share is at 100 %. */
export type TaskFigure = { task: Task; state: DigestState; shares: AssignmentFigure[]; awaitingDone: boolean };

export type AgencyRow = { agencyId: string; name: string } & Counters;
export type AreaRow = { area: ReformArea } & Counters;
export type OverdueItem = {
  code: string;
  agencyId: string;
  due: IsoDay;
  /** Working days from the due to `at`. */
  workingDaysLate: number;
  /** At 100 % progress, waiting only for its /xong. */
  awaitingDone: boolean;
  title: string;
  name: string;
};
export type BlockerItem = { code: string; agencyId: string; name: string; at: string; text: string };
export type GrantedExtension = {
  id: number;
  code: string;
  agencyId: string;
  name: string;
  originalDue: IsoDay;
  newDue: IsoDay;
  decidedAt: string;
};

export type Digest = {
  at: IsoDay;
  period: Period;
  filter: DigestFilter;
  totals: Counters;
  /** Ranked: most overdue first, then lowest completion, then name. */
  byAgency: AgencyRow[];
  /** In the order of ReformArea; areas with no task left out. */
  byArea: AreaRow[];
  /** Longest overdue first (working days), then earliest due. */
  overdue: OverdueItem[];
  blockers: BlockerItem[];
  extensionsGranted: GrantedExtension[];
  /** Tasks in plan order (plan, then code number). */
  rows: TaskFigure[];
};

// ---------------------------------------------------------------- counting helpers

export function emptyCounters(): Counters {
  return {
    tasks: 0,
    awaitingDone: 0,
    doneOnTime: 0,
    doneLate: 0,
    openOnTime: 0,
    openOverdue: 0,
    continuousReported: 0,
    continuousMissing: 0,
    conditional: 0,
  };
}

/** Done, on time or late. */
export const done = (c: Counters): number => c.doneOnTime + c.doneLate;
/**
 * The completion rate's denominator: what is done or open in the period — every counted item
 * except continuous tasks still in progress (reported each period, never completed) and
 * conditional tasks still waiting for their condition.
 */
export const dated = (c: Counters): number => done(c) + c.openOnTime + c.openOverdue;

/**
 * THE completion rate ("tỷ lệ hoàn thành"), the only one any output shows: done / `dated`
 * (done + open), in percent (0–100, not rounded); null when nothing is done or open.
 *
 * What it counts: **tasks** in the totals and the area table (a task counts once, done only
 * when every agency's share is done), **assignments** (one agency's share of a task) in the
 * agency table. Never milestones: a task with several milestones in the period counts once,
 * done when all of the period's milestones are done. Done means reported with /xong (on time
 * or late); a share at 100 % progress without it is open. Continuous tasks and conditional
 * tasks waiting for their condition are in neither the numerator nor the denominator.
 */
export function completion(c: Counters): number | null {
  const d = dated(c);
  return d === 0 ? null : (100 * done(c)) / d;
}

/** `part` as a percentage of `c.tasks`, not rounded (0 when there is no task). */
export const share = (part: number, c: Counters): number => (c.tasks === 0 ? 0 : (100 * part) / c.tasks);

/** Worst first: the state a task with several shares gets. */
const SEVERITY: DigestState[] = [
  "openOverdue",
  "openOnTime",
  "conditional",
  "continuousMissing",
  "continuousReported",
  "doneLate",
  "doneOnTime",
];

const SEVERITY_RANK = Object.fromEntries(SEVERITY.map((s, i) => [s, i])) as Record<DigestState, number>;

/** One task's state from its shares' states: done only when every share is; the worst open state otherwise. */
export function combineStates(states: DigestState[]): DigestState {
  return SEVERITY.find((s) => states.includes(s)) ?? "openOnTime";
}

function add(c: Counters, state: DigestState, awaitingDone: boolean): void {
  c.tasks++;
  c[state]++;
  if (awaitingDone) c.awaitingDone++;
}

/** `combineStates` of the shares' states, without listing them. */
function worstOf(shares: readonly AssignmentFigure[]): DigestState {
  let worst = SEVERITY.length;
  for (const s of shares) worst = Math.min(worst, SEVERITY_RANK[s.state]);
  return worst < SEVERITY.length ? SEVERITY[worst] : "openOnTime";
}

const isOpen = (state: DigestState) => state === "openOnTime" || state === "openOverdue";

// ---------------------------------------------------------------- as-of view of an assignment

/** The as-of view of an assignment (its last report: `lastReportBefore`, read for continuous tasks only). */
type View = Pick<
  Assignment,
  "status" | "milestonesDone" | "lateMilestones" | "conditionDue" | "progress" | "extensions" | "evidence" | "blocker"
>;

type Tracked = keyof View | "lastReportAt";

const ms = (iso: string | undefined): number | null => {
  if (!iso) return null;
  const t = parseInstant(iso);
  return Number.isNaN(t) ? null : t;
};
/**
 * Start and end instants of days (Vietnam), memoised: a digest asks for the same few hundred
 * days (dues, period bounds) tens of thousands of times. The functions are pure, so the memo
 * cannot go stale; it is emptied when it grows past MAX_MEMO days.
 */
const MAX_MEMO = 20_000;
const startMemo = new Map<IsoDay, number>();
function startOfDay(day: IsoDay): number {
  let t = startMemo.get(day);
  if (t === undefined) {
    if (startMemo.size >= MAX_MEMO) startMemo.clear();
    t = vnInstant(day).getTime();
    startMemo.set(day, t);
  }
  return t;
}
const endMemo = new Map<IsoDay, number>();
function endOfDay(day: IsoDay): number {
  let t = endMemo.get(day);
  if (t === undefined) {
    if (endMemo.size >= MAX_MEMO) endMemo.clear();
    t = vnInstant(addDays(day, 1)).getTime();
    endMemo.set(day, t);
  }
  return t;
}

// Collators made once (`localeCompare` with locales or options builds one per call), giving
// the orders of `a.localeCompare(b)`, `a.localeCompare(b, "en", { numeric: true })` (A2 before
// A10) and `a.localeCompare(b, "vi")`.
const DEFAULT = new Intl.Collator();
const NUMERIC = new Intl.Collator("en", { numeric: true });
const VIETNAMESE = new Intl.Collator("vi");

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The audit events of one assignment, oldest first, and the instant of each (ms; Infinity when unreadable), parsed once. */
type Trail = { events: readonly Event[]; at: readonly number[] };
const NO_TRAIL: Trail = { events: [], at: [] };

/**
 * The value of `field` just before `instant`, from the audit events of one assignment
 * (oldest first); `undefined` inside `{ value }` when the field was unset then; null when no
 * event ever changed the field (then the stored value is all there is).
 */
function fromEvents(trail: Trail, field: Tracked, instant: number): { value: unknown } | null {
  let first: Event | null = null;
  let last: Event | null = null;
  const { events, at } = trail;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (!isRecord(e.after) || !(field in e.after)) continue;
    first ??= e;
    if (at[i] < instant) last = e;
  }
  if (!first) return null;
  if (last) return { value: (last.after as Record<string, unknown>)[field] ?? undefined };
  const before = isRecord(first.before) ? first.before[field] : undefined;
  return { value: before ?? undefined };
}

/** `fromEvents`, or null at once when the assignment has no event. */
const traced = (trail: Trail, field: Tracked, instant: number): { value: unknown } | null =>
  trail.events.length === 0 ? null : fromEvents(trail, field, instant);

/** The due of the milestone planned for `original` after `extensions` (the latest one for it wins). */
function effectiveDue(extensions: readonly Assignment["extensions"][number][], original: IsoDay): IsoDay {
  for (let i = extensions.length - 1; i >= 0; i--) if (extensions[i].originalDue === original) return extensions[i].newDue;
  return original;
}

/**
 * The assignment as it stood just before `instant`. Fields the audit trail tracks come from
 * it; the others are estimated from the stored fields (see the file comment).
 */
function viewAt(a: Assignment, instant: number, events: Trail, requests: Map<number, ExtensionRequest>): View {
  const { extensions, status, milestonesDone, conditionDue } = milestoneViewAt(a, instant, events, requests);
  let found = traced(events, "lateMilestones", instant);
  const lateMilestones = alsoIn((found ? found.value : a.lateMilestones) as IsoDay[] | undefined, milestonesDone);
  found = traced(events, "evidence", instant);
  const evidence = recordedBefore((found ? found.value : a.evidence) as Evidence[] | undefined, instant);
  let progress = 100;
  if (status !== "done") {
    found = traced(events, "progress", instant);
    progress = ((found ? found.value : a.progress) as number | undefined) ?? 0;
  }
  found = traced(events, "blocker", instant);
  const blocker = (found ? found.value : a.blocker) as string | undefined;
  return { status, milestonesDone, lateMilestones, conditionDue, progress, extensions, evidence, blocker };
}

/** The last report of `a` made before `instant`: the audit trail's, else the stored one if made by then. */
function lastReportBefore(a: Assignment, instant: number, events: Trail): string | undefined {
  const found = traced(events, "lastReportAt", instant);
  return (found ? found.value : (ms(a.lastReportAt) ?? Infinity) < instant ? a.lastReportAt : undefined) as string | undefined;
}

// The filters of the as-of views, as loops in functions of their own: a callback closing over
// the view's variables would make a closure and its context for every share of every digest.

/**
 * The empty list of days the as-of views share: their day lists are read (`includes`), never
 * changed or handed out, so one frozen array serves every share that has none.
 */
const NO_DAYS = Object.freeze([]) as unknown as IsoDay[];

/** `(late ?? []).filter((d) => done.includes(d))`. */
function alsoIn(late: readonly IsoDay[] | undefined, done: readonly IsoDay[]): IsoDay[] {
  if (!late || late.length === 0) return NO_DAYS;
  const out: IsoDay[] = [];
  for (let i = 0; i < late.length; i++) if (done.includes(late[i])) out.push(late[i]);
  return out;
}

/** `(documents ?? []).filter((e) => (ms(e.at) ?? -Infinity) < instant)`: the evidence given before `instant`. */
function recordedBefore(documents: readonly Evidence[] | undefined, instant: number): Evidence[] {
  if (!documents || documents.length === 0) return [];
  let kept = 0;
  for (let i = 0; i < documents.length; i++) if ((ms(documents[i].at) ?? -Infinity) < instant) kept++;
  // A new array each time (it goes into the figure), of the right size (usually: all of them).
  if (kept === documents.length) return documents.slice();
  const out: Evidence[] = [];
  for (let i = 0; i < documents.length; i++) if ((ms(documents[i].at) ?? -Infinity) < instant) out.push(documents[i]);
  return out;
}

/** The extensions whose request was decided before `instant` (or cannot be found: taken as always granted). */
function decidedBefore(
  extensions: Assignment["extensions"],
  requests: Map<number, ExtensionRequest>,
  instant: number,
): Assignment["extensions"] {
  if (extensions.length === 0) return extensions;
  const out: Assignment["extensions"] = [];
  for (const x of extensions) {
    const decided = ms(requests.get(x.requestId)?.decidedAt);
    if (decided === null || decided < instant) out.push(x);
  }
  return out;
}

/**
 * The milestones of `a` reported done before `instant`, as estimated without the audit trail:
 * the last one at `doneAt` when the share is done; a late one at `upper` (`doneAt`, else
 * `updatedAt`); an earlier one on time at the end of its (extended) due, or `upper` if sooner.
 */
function milestonesDoneBefore(
  a: Assignment,
  extensions: Assignment["extensions"],
  doneAt: number | null,
  upper: number | null,
  instant: number,
): IsoDay[] {
  const all = a.milestonesDone;
  if (all.length === 0) return NO_DAYS;
  const out: IsoDay[] = [];
  const lastDone = all[all.length - 1];
  for (const original of all) {
    let when: number | null;
    if (a.status === "done" && original === lastDone && doneAt !== null) when = doneAt;
    else if (a.lateMilestones.includes(original)) when = upper;
    else when = Math.min(endOfDay(effectiveDue(extensions, original)) - 1, upper ?? Infinity);
    if (when === null || when < instant) out.push(original);
  }
  return out;
}

/** The part of `viewAt` that `milestonesOf` reads (the start-of-period view needs no more). */
function milestoneViewAt(
  a: Assignment,
  instant: number,
  events: Trail,
  requests: Map<number, ExtensionRequest>,
): Pick<View, "extensions" | "status" | "milestonesDone" | "conditionDue"> {
  let found = traced(events, "extensions", instant);
  const extensions = ((found ? found.value : decidedBefore(a.extensions, requests, instant)) ?? []) as Assignment["extensions"];
  // When it was done (or last changed): read only by a done share's status and by milestones done.
  const timed = a.status === "done" || a.milestonesDone.length > 0;
  const doneAt = timed ? ms(a.doneAt) : null;
  const upper = timed ? (doneAt ?? ms(a.updatedAt)) : null;
  found = traced(events, "status", instant);
  const status = (found ? found.value : a.status !== "done" ? a.status : upper === null || upper < instant ? "done" : "open") as
    | Assignment["status"]
    | undefined;
  found = traced(events, "milestonesDone", instant);
  let milestonesDone: IsoDay[];
  if (found) milestonesDone = (found.value as IsoDay[] | undefined) ?? [];
  else milestonesDone = milestonesDoneBefore(a, extensions, doneAt, upper, instant);
  found = traced(events, "conditionDue", instant);
  const conditionDue = (found ? found.value : a.conditionDue) as IsoDay | undefined;
  return { extensions, status: status ?? "open", milestonesDone, conditionDue };
}

// ---------------------------------------------------------------- one assignment

/** What every assignment of one digest shares, computed once per digest. */
type DigestRun = {
  period: Period;
  at: IsoDay;
  /** End of `at` (Vietnam). */
  atEnd: number;
  /** The last day counted: `at`, or the period's end if earlier. */
  lastDay: IsoDay;
  /** Start of the period, or the end of `at` if earlier. */
  startInstant: number;
  /** Working days from a due to `at`, memoised per due for this digest. */
  daysLate: (due: IsoDay) => number;
  requests: Map<number, ExtensionRequest>;
  /** What, besides a share, its task and their events, its figure depends on (see figureMemo). */
  key: RunKey;
  /** A digest with this key was made before (see figureMemo: only then are figures kept). */
  again: boolean;
};

/**
 * The inputs of a digest every share's figure depends on — the calendar, the period and `at` —
 * as one object per distinct inputs (runKey), compared by identity.
 */
type RunKey = { readonly calendar: WorkCalendar; readonly from: IsoDay; readonly to: IsoDay; readonly at: IsoDay };
const runKeys = new WeakMap<WorkCalendar, Map<string, RunKey>>();
const MAX_RUN_KEYS = 64;

/** The key of a digest of `period` as of `at` with `calendar`, and whether it was made before (`again`). */
function runKey(calendar: WorkCalendar, period: Period, at: IsoDay): { key: RunKey; again: boolean } {
  let byText = runKeys.get(calendar);
  if (byText === undefined) runKeys.set(calendar, (byText = new Map()));
  const text = `${period.from}|${period.to}|${at}`;
  const key = byText.get(text);
  if (key !== undefined) return { key, again: true };
  if (byText.size >= MAX_RUN_KEYS) byText.clear(); // a key dropped only makes its figures computed again
  const made: RunKey = { calendar, from: period.from, to: period.to, at };
  byText.set(text, made);
  return { key: made, again: false };
}

function digestRun(calendar: WorkCalendar, period: Period, at: IsoDay, requests: Map<number, ExtensionRequest>): DigestRun {
  const atEnd = endOfDay(at);
  const memo = new Map<IsoDay, number>();
  const daysLate = (due: IsoDay): number => {
    let n = memo.get(due);
    if (n === undefined) {
      n = calendar.workingDaysBetween(due, at);
      memo.set(due, n);
    }
    return n;
  };
  return {
    period,
    at,
    atEnd,
    lastDay: at < period.to ? at : period.to,
    startInstant: Math.min(startOfDay(period.from), atEnd),
    daysLate,
    requests,
    ...runKey(calendar, period, at),
  };
}

/** An AssignmentFigure (the fields in one order, so every figure has the same shape). */
function figure(
  a: Assignment,
  now: View,
  state: DigestState,
  due: IsoDay | null,
  workingDaysLate: number,
  extended: boolean,
  awaitingDone: boolean,
): AssignmentFigure {
  return {
    agencyId: a.agencyId,
    progress: now.progress,
    evidence: now.evidence,
    blocker: now.blocker,
    state,
    due,
    workingDaysLate,
    extended,
    awaitingDone,
  };
}

function figureOf(run: DigestRun, task: Task, a: Assignment, events: Trail, undatedInPeriod: boolean): AssignmentFigure | null {
  const { period, at, atEnd, requests } = run;
  const now = viewAt(a, atEnd, events, requests);
  // Without the audit trail, a share done since `at` shows the 100 % its /xong set, which says
  // nothing about its progress then: it is not taken as "waiting for its /xong".
  const progressOfToday = a.status === "done" && fromEvents(events, "progress", atEnd) === null;
  const at100 = now.progress >= 100 && !progressOfToday; // open at 100 %: waiting only for its /xong
  // The milestones as `milestonesOf(task, now)` makes them, read in place: the plan's (or the
  // condition date), each with its due after `now.extensions`, done when in `now.milestonesDone`.
  const planned = plannedOf(task, now);

  if (planned.length === 0) {
    if (!undatedInPeriod) return null;
    const isDone = now.status === "done";
    let state: DigestState;
    if (task.deadline.kind === "continuous" && !isDone) {
      state = reportedIn(run, lastReportBefore(a, atEnd, events)) ? "continuousReported" : "continuousMissing";
    } else if (task.deadline.kind === "conditional" && !isDone) state = "conditional";
    else state = isDone ? "doneOnTime" : "openOnTime";
    return figure(a, now, state, null, 0, false, isOpen(state) && at100);
  }

  const allDone = now.status === "done";
  let before = false;
  for (const m of planned) if (effectiveDue(now.extensions, m.due) < period.from) before = true;
  // Milestones done before the period started are not the period's business (only those due
  // before it can have been: the view at its start is needed only then).
  let doneBefore: ((original: IsoDay) => boolean) | null = null;
  if (before) {
    const start = milestoneViewAt(a, run.startInstant, events, requests);
    const startPlanned = plannedOf(task, start);
    doneBefore = (original) =>
      startPlanned.some((m) => m.due === original && (start.status === "done" || start.milestonesDone.includes(m.due)));
  }
  // One pass over the period's milestones: whether any is extended or done late, the last one,
  // and the earliest open one (the first of equal dues).
  let inPeriod = 0;
  let extended = false;
  let late = false;
  let lastDue: IsoDay = "";
  let firstOpen: IsoDay | null = null;
  for (let k = 0; k < planned.length; k++) {
    const original = planned[k].due;
    const due = effectiveDue(now.extensions, original);
    if (!(due <= period.to && (due >= period.from || !doneBefore?.(original)))) continue;
    inPeriod++;
    lastDue = due;
    if (due !== original) extended = true;
    const isDone = allDone || now.milestonesDone.includes(original);
    if (!isDone) {
      if (firstOpen === null || due < firstOpen) firstOpen = due;
    } else if (!late && now.lateMilestones.includes(original)) late = true;
  }
  if (inPeriod === 0) return null;
  if (firstOpen === null) return figure(a, now, late ? "doneLate" : "doneOnTime", lastDue, 0, extended, false);
  if (firstOpen < at) {
    // Late by the working days since the due (at least 1: a due on a day off is late from the next working day on).
    const workingDaysLate = Math.max(1, run.daysLate(firstOpen));
    return figure(a, now, "openOverdue", firstOpen, workingDaysLate, extended, at100);
  }
  return figure(a, now, "openOnTime", firstOpen, 0, extended, at100);
}

/** The milestones `milestonesOf` starts from: the task's, or the share's condition date as its one milestone. */
function plannedOf(task: Task, view: Pick<View, "conditionDue">): readonly { due: IsoDay }[] {
  return task.deadline.milestones.length === 0 && view.conditionDue ? [{ due: view.conditionDue }] : task.deadline.milestones;
}

/**
 * Whether a report made at `iso` falls on a day (Vietnam) from the period's start to
 * `run.lastDay`: `toVnDay(new Date(iso))` in that range, compared as instants; an unreadable
 * `iso` throws as toVnDay does.
 */
function reportedIn(run: DigestRun, iso: string | undefined): boolean {
  if (!iso) return false;
  const t = parseInstant(iso);
  if (Number.isNaN(t)) {
    const reported = toVnDay(new Date(iso));
    return reported >= run.period.from && reported <= run.lastDay;
  }
  return t >= startOfDay(run.period.from) && t < endOfDay(run.lastDay);
}

// ---------------------------------------------------------------- the digest

/**
 * A share's figure without audit events (`figureOf` with NO_TRAIL), memoised per share across
 * digests. Keyed by the assignment object, with everything else the figure is computed from:
 * its task object, the calendar, the period and `at`, whether undated work counts in the period,
 * and the decision instants of the extension requests its extensions name (the only other
 * input: see decidedBefore). Store state is immutable (src/store/memory.ts freezes it; an update
 * replaces a changed task or assignment and keeps every other object), so an entry can only be
 * stale for other values of those — checked — and a replaced share is a new key. Each share
 * keeps the figure of the last digest that asked (a bot asks for one period at a time), frozen
 * (it is handed to every digest that finds it). The WeakMap drops an entry with its share.
 *
 * Figures are kept only by a digest whose key was made before (`DigestRun.again`): the first
 * digest as of a day — a scheduled digest — computes every figure as a digest without this memo
 * does (keeping them would cost it more than it could save); the same digest asked again (each
 * /tongket of the day) keeps them, and those after it reuse them.
 */
const figureMemo = new WeakMap<
  Assignment,
  { task: Task; run: RunKey; undated: boolean; decided: (string | undefined)[] | null; figure: AssignmentFigure | null }
>();

/** The `decidedAt` of the request each of `a`'s extensions names (null when it has none). */
function decisionsOf(a: Assignment, requests: Map<number, ExtensionRequest>): (string | undefined)[] | null {
  const { extensions } = a;
  if (extensions.length === 0) return null;
  const out: (string | undefined)[] = [];
  for (let i = 0; i < extensions.length; i++) out.push(requests.get(extensions[i].requestId)?.decidedAt);
  return out;
}

const sameDecisions = (x: readonly (string | undefined)[] | null, y: readonly (string | undefined)[] | null): boolean => {
  if (x === null || y === null) return x === y;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
};

function memoFigureOf(run: DigestRun, task: Task, a: Assignment, undatedInPeriod: boolean): AssignmentFigure | null {
  const hit = figureMemo.get(a);
  const decided = decisionsOf(a, run.requests);
  if (
    hit !== undefined &&
    hit.task === task &&
    hit.undated === undatedInPeriod &&
    hit.run === run.key &&
    sameDecisions(hit.decided, decided)
  )
    return hit.figure;
  const figure = figureOf(run, task, a, NO_TRAIL, undatedInPeriod);
  // Only for the store's (frozen) objects: anything else could change under the memo.
  if (run.again && Object.isFrozen(a) && Object.isFrozen(task)) {
    if (figure) {
      Object.freeze(figure.evidence);
      Object.freeze(figure);
    }
    figureMemo.set(a, { task, run: run.key, undated: undatedInPeriod, decided, figure });
  }
  return figure;
}

/** One task's row from the figures of its shares (at `positions` in `assignments`, of `agencyId` if given); null when none is in the period. */
function taskFigure(
  run: DigestRun,
  task: Task,
  positions: readonly number[],
  assignments: readonly Assignment[],
  agencyId: string | undefined,
  eventsOf: ReadonlyMap<string, Trail>,
  undatedInPeriod: boolean,
): TaskFigure | null {
  const shares: AssignmentFigure[] = [];
  for (let i = 0; i < positions.length; i++) {
    const a = assignments[positions[i]];
    if (agencyId && a.agencyId !== agencyId) continue;
    const events = (eventsOf.size > 0 && eventsOf.get(a.id)) || NO_TRAIL;
    const one = events === NO_TRAIL ? memoFigureOf(run, task, a, undatedInPeriod) : figureOf(run, task, a, events, undatedInPeriod);
    if (one) shares.push(one);
  }
  if (!shares.length) return null;
  const state = worstOf(shares);
  // Waiting only for /xong when every open share is.
  let awaitingDone = isOpen(state);
  for (let i = 0; awaitingDone && i < shares.length; i++) if (isOpen(shares[i].state) && !shares[i].awaitingDone) awaitingDone = false;
  return { task, state, shares, awaitingDone };
}

/** Count one row into the totals, its area's row and its agencies' rows; list its overdue shares. */
function count(
  row: TaskFigure,
  totals: Counters,
  areas: Map<ReformArea, AreaRow>,
  agencies: Map<string, AgencyRow>,
  overdue: OverdueItem[],
  name: (id: string) => string,
): void {
  add(totals, row.state, row.awaitingDone);
  let area = areas.get(row.task.area);
  if (!area) areas.set(row.task.area, (area = { area: row.task.area, ...emptyCounters() }));
  add(area, row.state, row.awaitingDone);
  for (let i = 0; i < row.shares.length; i++) {
    const s = row.shares[i];
    let agency = agencies.get(s.agencyId);
    if (!agency) agencies.set(s.agencyId, (agency = { agencyId: s.agencyId, name: name(s.agencyId), ...emptyCounters() }));
    add(agency, s.state, s.awaitingDone);
    if (s.state === "openOverdue" && s.due) {
      overdue.push({
        code: row.task.code,
        agencyId: s.agencyId,
        due: s.due,
        workingDaysLate: s.workingDaysLate,
        awaitingDone: s.awaitingDone,
        title: row.task.title,
        name: name(s.agencyId),
      });
    }
  }
}

/**
 * Tasks in report order — `DEFAULT.compare(a.planId, b.planId) || NUMERIC.compare(a.code, b.code)` —
 * sorted by ranks computed once (codeRanks: no collator for plain codes); and the codes' ranks.
 * Memoised per list: a digest orders the store's whole `tasks` array and keeps those in scope
 * (a stable sort then a filter: the order of the filter then the sort; ranks over a superset
 * order a subset as ranks over it do). Store state never changes that array in place
 * (src/store/memory.ts freezes it; an update that changes a task makes a new array), so its
 * order stays right while it lives: every /tongket until the tasks change reuses it. The
 * WeakMap drops it with the array; what it holds is read, never changed.
 */
function inCodeOrder(tasks: readonly Task[]): { ordered: readonly Task[]; codeRank: ReadonlyMap<string, number> } {
  let hit = taskOrders.get(tasks);
  if (hit === undefined) {
    const planRank = collationRanks(
      DEFAULT,
      tasks.map((t) => t.planId),
    );
    const codeRank = codeRanksOf(tasks);
    const ordered = [...tasks].sort(
      (a, b) => planRank.get(a.planId)! - planRank.get(b.planId)! || codeRank.get(a.code)! - codeRank.get(b.code)!,
    );
    hit = { ordered, codeRank };
    if (Object.isFrozen(tasks)) taskOrders.set(tasks, hit); // only the store's (immutable) arrays
  }
  return hit;
}
const taskOrders = new WeakMap<readonly Task[], { ordered: readonly Task[]; codeRank: ReadonlyMap<string, number> }>();

/**
 * The digest of `period` as of day `at` (Vietnam): totals, by agency, by area, the overdue list
 * and the rows of the .xlsx, for the tasks `filter` keeps. Pure.
 */
export function computeDigest(state: DigestInput, period: Period, at: IsoDay, calendar: WorkCalendar, filter: DigestFilter = {}): Digest {
  if (!isValidDay(at) || !isValidDay(period.from) || !isValidDay(period.to))
    throw new Error(`Ngày không hợp lệ: ${at}, ${period.from}–${period.to}`);
  if (period.to < period.from) throw new Error(`Kỳ không hợp lệ: ${period.from} sau ${period.to}`);
  const name = (id: string) => state.agencyNames[id] ?? id;
  const requests = new Map(state.extensionRequests.map((r) => [r.id, r]));
  const plans = state.plans ? new Map(state.plans.map((p) => [p.id, p])) : null;
  const fromYear = Number(period.from.slice(0, 4));
  const toYear = Number(period.to.slice(0, 4));

  const eventsOf = new Map<string, { events: Event[]; at: number[] }>();
  for (const e of [...(state.events ?? [])].sort((x, y) => x.seq - y.seq)) {
    if (!e.taskCode || !e.agencyId) continue;
    const key = `${e.taskCode}@${e.agencyId}`;
    const trail = eventsOf.get(key);
    const at = ms(e.at) ?? Infinity;
    if (trail) {
      trail.events.push(e);
      trail.at.push(at);
    } else eventsOf.set(key, { events: [e], at: [at] });
  }

  // The tasks in scope.
  const keep = (t: Task): boolean => {
    if (t.removed) return false;
    if (filter.area && t.area !== filter.area) return false;
    const plan = plans?.get(t.planId);
    return !plans || !plan || plan.active;
  };
  // The tasks by code and where each code's shares are, memoised per array of the store's
  // state (src/core/registry.ts). A code is in scope when a task of it is kept.
  const taskIdx = taskIndex(state.tasks);
  const { assignments } = state;
  const sharesOf = shareIndex(assignments).byCode;
  let codeInScope: (code: string) => boolean;
  if (taskIdx.codesUnique) {
    codeInScope = (code) => {
      const task = taskIdx.byCode.get(code);
      return task !== undefined && keep(task);
    };
  } else {
    const kept = new Set<string>();
    for (let i = 0; i < state.tasks.length; i++) if (keep(state.tasks[i])) kept.add(state.tasks[i].code);
    codeInScope = (code) => kept.has(code);
  }
  const agencyFilter = filter.agencyId;

  const run = digestRun(calendar, period, at, requests);
  const rows: TaskFigure[] = [];
  // The positions of the shares in scope with a stored blocker (for the blockers below), found
  // with the rows when each code is one task's (else in a pass over the shares).
  const blockedAt: number[] = [];
  const NONE: readonly number[] = [];
  const { ordered, codeRank } = inCodeOrder(state.tasks);
  // (Indexed loops here and below: this function runs once per digest, mostly before the
  // optimiser reaches it, where a for…of makes an iterator result per element.)
  for (let i = 0; i < ordered.length; i++) {
    const task = ordered[i];
    if (!keep(task)) continue;
    const plan = plans?.get(task.planId);
    // A task with no dated milestone belongs to every year its plan covers (a multi-year plan's period).
    const undatedInPeriod = !plan || ((plan.period?.first ?? plan.year) <= toYear && (plan.period?.last ?? plan.year) >= fromYear);
    const list = sharesOf.get(task.code) ?? NONE;
    const row = taskFigure(run, task, list, assignments, agencyFilter, eventsOf, undatedInPeriod);
    if (row) rows.push(row);
    if (taskIdx.codesUnique) {
      for (let k = 0; k < list.length; k++) {
        const a = assignments[list[k]];
        if (a.blocker && (!agencyFilter || a.agencyId === agencyFilter)) blockedAt.push(list[k]);
      }
    }
  }
  if (taskIdx.codesUnique) blockedAt.sort((x, y) => x - y);
  else {
    for (let i = 0; i < assignments.length; i++) {
      const a = assignments[i];
      if (a.blocker && (!agencyFilter || a.agencyId === agencyFilter) && codeInScope(a.taskCode)) blockedAt.push(i);
    }
  }

  const totals = emptyCounters();
  const agencies = new Map<string, AgencyRow>();
  const areas = new Map<ReformArea, AreaRow>();
  const overdue: OverdueItem[] = [];
  for (let i = 0; i < rows.length; i++) count(rows[i], totals, areas, agencies, overdue, name);

  const windowEnd = endOfDay(at < period.to ? at : period.to);
  const windowStart = startOfDay(period.from);
  const inWindow = (iso: string | undefined) => {
    const t = ms(iso);
    return t !== null && t >= windowStart && t < windowEnd;
  };
  const inScope = (code: string, agencyId: string) => codeInScope(code) && (!agencyFilter || agencyFilter === agencyId);

  // Blockers: the `blocker` events of the window; for an assignment the audit trail never
  // shows a blocker for, its stored blocker if it was last changed in the window.
  const blockers: BlockerItem[] = [];
  for (const { events: list } of eventsOf.values()) {
    for (const e of list) {
      if (e.action !== "blocker" || !inWindow(e.at) || !inScope(e.taskCode!, e.agencyId!)) continue;
      const text = isRecord(e.after) && typeof e.after.blocker === "string" ? e.after.blocker : (e.text ?? "");
      blockers.push({ code: e.taskCode!, agencyId: e.agencyId!, name: name(e.agencyId!), at: e.at, text });
    }
  }
  for (let i = 0; i < blockedAt.length; i++) {
    const a = assignments[blockedAt[i]];
    if (!inWindow(a.updatedAt)) continue;
    if ((eventsOf.get(a.id)?.events ?? []).some((e) => e.action === "blocker" || (isRecord(e.after) && "blocker" in e.after))) continue;
    blockers.push({ code: a.taskCode, agencyId: a.agencyId, name: name(a.agencyId), at: a.updatedAt!, text: a.blocker! });
  }
  blockers.sort((x, y) => DEFAULT.compare(x.at, y.at) || NUMERIC.compare(x.code, y.code));

  const extensionsGranted: GrantedExtension[] = state.extensionRequests
    .filter((r) => r.status === "approved" && inWindow(r.decidedAt) && inScope(r.taskCode, r.agencyId))
    .map((r) => ({
      id: r.id,
      code: r.taskCode,
      agencyId: r.agencyId,
      name: name(r.agencyId),
      originalDue: r.originalDue,
      newDue: r.requestedDue,
      decidedAt: r.decidedAt!,
    }))
    .sort((x, y) => DEFAULT.compare(x.decidedAt, y.decidedAt) || x.id - y.id);

  const byAgency = [...agencies.values()].sort(
    (x, y) =>
      y.openOverdue - x.openOverdue || (completion(x) ?? Infinity) - (completion(y) ?? Infinity) || VIETNAMESE.compare(x.name, y.name),
  );
  const byArea = ReformArea.options.flatMap((area) => (areas.has(area) ? [areas.get(area)!] : []));
  // Dues, codes and agencies ranked once (in the collators' orders): the sort compares numbers.
  const dueRank = collationRanks(
    DEFAULT,
    overdue.map((o) => o.due),
  );
  // (Every overdue code is a task's: ranked with the tasks above.)
  const agencyRank = collationRanks(
    DEFAULT,
    overdue.map((o) => o.agencyId),
  );
  // Each item's ranks looked up once, not at each of the sort's comparisons (a stable sort by
  // the same keys: the same order).
  const keyed = overdue.map((o) => ({
    o,
    due: dueRank.get(o.due)!,
    code: codeRank.get(o.code)!,
    agency: agencyRank.get(o.agencyId)!,
  }));
  keyed.sort((x, y) => y.o.workingDaysLate - x.o.workingDaysLate || x.due - y.due || x.code - y.code || x.agency - y.agency);
  for (let i = 0; i < keyed.length; i++) overdue[i] = keyed[i].o;

  return { at, period, filter, totals, byAgency, byArea, overdue, blockers, extensionsGranted, rows };
}

/**
 * The JSON `npm run digest -- --json` prints (the shape, plus blockers and extensions).
 * Lateness is `workingDaysLate` (working days, as in every other output); `awaitingDone`
 * counts / flags open work at 100 % waiting for its /xong.
 */
export function digestJson(d: Digest) {
  const counters = (c: Counters) => ({
    tasks: c.tasks,
    awaitingDone: c.awaitingDone,
    doneOnTime: c.doneOnTime,
    doneLate: c.doneLate,
    openOnTime: c.openOnTime,
    openOverdue: c.openOverdue,
    continuousReported: c.continuousReported,
    continuousMissing: c.continuousMissing,
    conditional: c.conditional,
  });
  return {
    at: d.at,
    period: { from: d.period.from, to: d.period.to },
    totals: counters(d.totals),
    byAgency: d.byAgency.map((r) => ({ agencyId: r.agencyId, name: r.name, ...counters(r) })),
    byArea: d.byArea.map((r) => ({ area: r.area, ...counters(r) })),
    overdue: d.overdue.map((o) => ({
      code: o.code,
      agencyId: o.agencyId,
      due: o.due,
      workingDaysLate: o.workingDaysLate,
      awaitingDone: o.awaitingDone,
    })),
    blockers: d.blockers.map((b) => ({ code: b.code, agencyId: b.agencyId, at: b.at, text: b.text })),
    extensionsGranted: d.extensionsGranted.map((x) => ({
      id: x.id,
      code: x.code,
      agencyId: x.agencyId,
      originalDue: x.originalDue,
      newDue: x.newDue,
      decidedAt: x.decidedAt,
    })),
  };
}

// ---------------------------------------------------------------- periods

const ROMAN = ["I", "II", "III", "IV"];
const YEAR_RANGE = "năm phải là một số nguyên từ 2000 đến 2100";
const Year = z.number({ error: YEAR_RANGE }).int(YEAR_RANGE).min(2000, YEAR_RANGE).max(2100, YEAR_RANGE);
const QUARTER_RANGE = "quý phải từ 1 đến 4";
const MONTH_RANGE = "tháng phải từ 1 đến 12";

export const PeriodSpec = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("quarter"),
      year: Year,
      quarter: z.number({ error: QUARTER_RANGE }).int(QUARTER_RANGE).min(1, QUARTER_RANGE).max(4, QUARTER_RANGE),
    }),
    z.object({
      kind: z.literal("month"),
      year: Year,
      month: z.number({ error: MONTH_RANGE }).int(MONTH_RANGE).min(1, MONTH_RANGE).max(12, MONTH_RANGE),
    }),
    z.object({ kind: z.literal("year"), year: Year }),
    z
      .object({
        kind: z.literal("range"),
        from: z
          .string({ error: "thiếu ngày bắt đầu" })
          .refine((d) => IsoDay.safeParse(d).success && isValidDay(d), "ngày bắt đầu không tồn tại"),
        to: z
          .string({ error: "thiếu ngày kết thúc" })
          .refine((d) => IsoDay.safeParse(d).success && isValidDay(d), "ngày kết thúc không tồn tại"),
      })
      .refine((r) => r.from <= r.to, "ngày bắt đầu phải trước ngày kết thúc"),
  ],
  { error: "loại kỳ phải là quý, tháng, năm hoặc khoảng ngày" },
);
export type PeriodSpec = z.infer<typeof PeriodSpec>;

/** A Vietnamese message for a period that cannot be read. */
export class PeriodError extends Error {}

/** A period from its parts (quarter, month, year or range); throws PeriodError (Vietnamese). */
export function periodFromSpec(input: PeriodSpec): Period {
  const parsed = PeriodSpec.safeParse(input);
  if (!parsed.success) throw new PeriodError(`Kỳ không hợp lệ: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  const spec = parsed.data;
  switch (spec.kind) {
    case "quarter":
      return {
        from: quarterStart(spec.year, spec.quarter),
        to: quarterEnd(spec.year, spec.quarter),
        label: `Quý ${ROMAN[spec.quarter - 1]}/${spec.year}`,
      };
    case "month": {
      const from = `${spec.year}-${String(spec.month).padStart(2, "0")}-01`;
      const to = addDays(spec.month === 12 ? `${spec.year + 1}-01-01` : `${spec.year}-${String(spec.month + 1).padStart(2, "0")}-01`, -1);
      return { from, to, label: `Tháng ${spec.month}/${spec.year}` };
    }
    case "year":
      return { from: `${spec.year}-01-01`, to: `${spec.year}-12-31`, label: `Năm ${spec.year}` };
    case "range":
      return { from: spec.from, to: spec.to, label: `Từ ${viDate(spec.from)} đến ${viDate(spec.to)}` };
  }
}

/** The quarter a day is in. */
export function quarterPeriod(day: IsoDay): Period {
  return periodFromSpec({ kind: "quarter", year: Number(day.slice(0, 4)), quarter: quarterOf(day) });
}

const romanOrNumber = (s: string): number | null => {
  const i = ROMAN.indexOf(s.toUpperCase());
  if (i >= 0) return i + 1;
  return /^\d{1,2}$/.test(s) ? Number(s) : null;
};

const dayOf = (s: string): IsoDay | null => (/^\d{4}-\d{2}-\d{2}$/.test(s) && isValidDay(s) ? s : parseViDate(s));

/**
 * Reads a period at the start of `tokens` (already split on spaces): `quy 2`, `quý II`,
 * `q2`, `thang 5`, `tháng 05/2021`, `nam`, `năm 2021`, `tu 01/04/2021 den 30/06/2021`; a
 * word alone (`quy`, `thang`, `nam`) means the one `today` is in; a year may follow
 * (`quy 2 2021`, `quy 2/2021`), else it is `today`'s. Returns the period and the tokens it
 * did not use; `period` null when the tokens do not start with a period. Throws PeriodError.
 */
export function readPeriod(tokens: string[], today: IsoDay): { period: Period | null; rest: string[] } {
  const t = tokens.map((x) => fold(x));
  const thisYear = Number(today.slice(0, 4));
  let i = 0;
  const takeYear = (): number => {
    const m = /^\d{4}$/.exec(t[i] ?? "");
    if (m) {
      i++;
      return Number(m[0]);
    }
    return thisYear;
  };
  /** `2`, `ii`, `2/2021` → number part and year part; a bare year is not a number. */
  const split = (value: string | undefined): { n: string | undefined; year?: string } => {
    if (value === undefined || /^\d{4}$/.test(value)) return { n: undefined };
    const m = /^([^/]+)\/(\d{4})$/.exec(value);
    return m ? { n: m[1], year: m[2] } : { n: value };
  };
  const head = t[0];
  if (head === undefined) return { period: null, rest: tokens };
  let spec: PeriodSpec | null = null;
  const glued = /^(quy|q|thang|t)([0-9]{1,2}|i{1,3}|iv)(?:\/(\d{4}))?$/.exec(head);
  if (glued && !(glued[1] === "t" && !/^\d/.test(glued[2]))) {
    i = 1;
    const n = romanOrNumber(glued[2]);
    const year = glued[3] ? Number(glued[3]) : takeYear();
    if (n === null) throw new PeriodError(`Không hiểu kỳ «${tokens[0]}».`);
    spec = glued[1].startsWith("q") ? { kind: "quarter", year, quarter: n } : { kind: "month", year, month: n };
  } else if (head === "quy" || head === "thang") {
    i = 1;
    const { n: raw, year: y } = split(t[1]);
    const n = raw !== undefined ? romanOrNumber(raw) : null;
    if (n !== null) i = 2;
    const year = y ? Number(y) : takeYear();
    const quarter = n ?? quarterOf(today);
    const month = n ?? Number(today.slice(5, 7));
    spec = head === "quy" ? { kind: "quarter", year, quarter } : { kind: "month", year, month };
    if (n === null && raw !== undefined && /^\d+$|^[ivx]+$/.test(raw))
      throw new PeriodError(`Không có ${head === "quy" ? "quý" : "tháng"} «${tokens[1]}».`);
  } else if (head === "nam" || (head === "ca" && t[1] === "nam")) {
    i = head === "ca" ? 2 : 1;
    spec = { kind: "year", year: takeYear() };
  } else if (head === "tu") {
    const from = t[1] ? dayOf(t[1]) : null;
    const to = t[2] === "den" && t[3] ? dayOf(t[3]) : null;
    if (!from || !to) throw new PeriodError("Khoảng thời gian cần dạng: tu dd/mm/yyyy den dd/mm/yyyy.");
    i = 4;
    spec = { kind: "range", from, to };
  }
  if (!spec) return { period: null, rest: tokens };
  if (spec.kind === "quarter" && (spec.quarter < 1 || spec.quarter > 4))
    throw new PeriodError(`Không có quý ${spec.quarter}: quý là I–IV (hoặc 1–4).`);
  if (spec.kind === "month" && (spec.month < 1 || spec.month > 12)) throw new PeriodError(`Không có tháng ${spec.month}: tháng là 1–12.`);
  return { period: periodFromSpec(spec), rest: tokens.slice(i) };
}

/**
 * `periodOf("quy 2", 2021)` → Quý II/2021 (01/04–30/06/2021); `year` is used when the text
 * names none (a bare `quy`/`thang` then means the first of that year; the commands use
 * `readPeriod`, where it means today's). Throws PeriodError (Vietnamese) when the text is not exactly one period.
 */
export function periodOf(text: string, year: number): Period {
  if (!Year.safeParse(year).success) throw new PeriodError(`Năm không hợp lệ: ${year}`);
  const { period, rest } = readPeriod(text.trim() ? text.trim().split(/\s+/) : [], `${year}-01-01`);
  if (!period || rest.length)
    throw new PeriodError(`Không hiểu kỳ «${text}»: dùng quy <I–IV|1–4>, thang <1–12>, nam, hoặc tu dd/mm/yyyy den dd/mm/yyyy.`);
  return period;
}
