/**
 * What reminders are due at an instant — PURE: no clock, no file system, no network.
 *
 * The plan is **state-based**, not date-based. Every reminder an item can get is a *stage*
 * with a key (see `itemKey`); a stage is due once its threshold is reached and it has not
 * been delivered to that chat yet (the send-log says so). When several stages of one item are
 * due at once only the latest is sent: the earlier ones are covered by it. So a bot that was
 * down for days sends the current state once, and nothing is ever sent twice to a chat.
 *
 * Item keys (one per stage; `due` is the milestone's due after extensions, so an extension
 * starts a fresh track):
 *   `A12@so-tu-phap#2021-03-31#n7`     ≤ 7 working days left (n3, n1 likewise: `noticeDays`)
 *   `A12@so-tu-phap#2021-03-31#due`    the last working day on time
 *   `A12@so-tu-phap#2021-03-31#late1`  1st working day late, then late4, late7… (`overdueEvery`)
 *   `A12@so-tu-phap#2021-03-31#esc1`   ≥ 5 working days late, to the coordinator; esc2 at 10…
 *   `A12@so-tu-phap#2021-Q1#checkin`   continuous task: status check-in of the quarter
 *   `A12@so-tu-phap#2021-03#checkin`   conditional task: has the condition been met (monthly)
 *   `A12#unknown`                      deadline not understood: listed to the admins once
 *
 * Steps: collect the items per agency → route them to chats (a draft per chat). Rendering
 * the drafts is message.ts's; sending them, dispatch.ts's.
 */
import { z } from "zod";
import { quarterEnd, quarterOf, quarterStart, toVnDay, vnInstant, type WorkCalendar } from "../core/calendar.ts";
import type { Assignment, ChatBinding, IsoDay, SendLogEntry, Task } from "../core/schemas.ts";
import { shareIndex, taskIndex } from "../core/registry.ts";
import { MESSAGE_LIMIT } from "../core/text.ts";

// ---------------------------------------------------------------- settings and types

export const ReminderSettings = z.object({
  /** Notices when at most this many working days are left. */
  noticeDays: z.array(z.number().int().min(1).max(60)).default([7, 3, 1]),
  /** A notice on the last working day on time. */
  dueDayNotice: z.boolean().default(true),
  /** Overdue: the first working day after the due, then every N working days. */
  overdueEvery: z.number().int().min(1).default(3),
  /** Overdue this many working days: also listed to the coordinator… */
  escalateAfter: z.number().int().min(1).default(5),
  /** …and again every N working days. */
  escalateEvery: z.number().int().min(1).default(5),
  /** Continuous tasks: one check-in per quarter, from N working days before its end. */
  continuousCheckinBeforeQuarterEnd: z.number().int().min(0).default(10),
  /** Conditional tasks without a date yet: ask whether the condition has been met. */
  conditionalCheckin: z.enum(["monthly", "off"]).default("monthly"),
  /** Items that get a row of buttons under the message. */
  maxButtonItems: z.number().int().min(0).max(20).default(8),
});
export type ReminderSettings = z.infer<typeof ReminderSettings>;
export type ReminderSettingsInput = z.input<typeof ReminderSettings>;

export type ReminderState = {
  tasks: readonly Task[];
  assignments: readonly Assignment[];
  bindings: readonly ChatBinding[];
  /** The state's send-log: the day's entries and unfinished ones. */
  sendLog: readonly SendLogEntry[];
  /** The send-log's archive (src/store/sendlog-archive.ts), as the run read it; absent: nothing archived. */
  sendLogArchive?: readonly SendLogEntry[];
  agencyNames: Record<string, string>;
  coordinatorAgencyId: string;
  /**
   * First day of each plan's period (`2022-01-01`), by plan id: a plan loaded in December for
   * next year gets no check-ins (continuous, conditional) before its own year, as the digest
   * counts none. A plan not listed is taken as started.
   */
  planStarts?: Record<string, string>;
};

export type ItemReason = "upcoming" | "due" | "overdue" | "escalation" | "checkin";

export type PlannedItem = {
  key: string;
  code: string;
  /** The agency the item is about ("" for a task-level item: unknown deadline). */
  agencyId: string;
  due: IsoDay | null;
  reason: ItemReason;
  /** Working days left (upcoming, check-ins) or late (overdue, escalation). */
  days: number;
};

/**
 * Parts are cut this much under Telegram's 4096 so that a resumed part can carry a one-line
 * "continued" note (see ../reminders/dispatch.ts).
 */
export const PART_LIMIT = MESSAGE_LIMIT - 200;

// ---------------------------------------------------------------- stages

const UNKNOWN = "#unknown";
/** The item key of a deadline not understood (listed to the admins once). */
export const isUnknownKey = (key: string): boolean => key.endsWith(UNKNOWN);

type Stage = { stage: string; reason: ItemReason; days: number };
/** A stage of a milestone due on `due`, with the end of its item key: `#${due}#${stage}`. */
type DueStage = Stage & { suffix: string };

/**
 * What one run computes once: the notice limit, the notice days in order, and the working
 * days between `day` and each due met (many milestones share a due: quarter ends, year end).
 */
type RunContext = {
  day: IsoDay;
  s: ReminderSettings;
  noticeLimit: IsoDay;
  /** `s.noticeDays`, smallest first. */
  notices: number[];
  /** Working days from `day` to `due` (negative when `due` is past), memoised for this run. */
  between: (due: IsoDay) => number;
  /** `milestoneStages(due)` with the key suffixes, memoised for this run (a due's stages depend on nothing else). */
  stages: (due: IsoDay) => readonly DueStage[];
};

function runContext(day: IsoDay, cal: WorkCalendar, s: ReminderSettings): RunContext {
  const maxNotice = Math.max(0, ...s.noticeDays);
  const memo = new Map<IsoDay, number>();
  const between = (due: IsoDay): number => {
    let n = memo.get(due);
    if (n === undefined) {
      n = cal.workingDaysBetween(day, due);
      memo.set(due, n);
    }
    return n;
  };
  const notices = [...s.noticeDays].sort((a, b) => a - b);
  const run: RunContext = { day, s, noticeLimit: cal.addWorkingDays(day, maxNotice + 1), notices, between, stages: () => [] };
  const stageMemo = new Map<IsoDay, DueStage[]>();
  run.stages = (due) => {
    let list = stageMemo.get(due);
    if (list === undefined) {
      list = milestoneStages(due, run).map((st) => ({ ...st, suffix: `#${due}#${st.stage}` }));
      stageMemo.set(due, list);
    }
    return list;
  };
  return run;
}

/** The current reminder stage of a milestone, and its escalation stage; none when too early. */
function milestoneStages(due: IsoDay, run: RunContext): Stage[] {
  const { day, s } = run;
  if (day <= due) {
    if (due >= run.noticeLimit) return []; // more working days left than the widest notice
    const left = run.between(due);
    if (left === 0 && s.dueDayNotice) return [{ stage: "due", reason: "due", days: 0 }];
    const n = run.notices.find((n) => left <= n);
    return n === undefined ? [] : [{ stage: `n${n}`, reason: left === 0 ? "due" : "upcoming", days: left }];
  }
  // between(due, day) = −between(day, due) (see WorkCalendar.workingDaysBetween).
  const late = 0 - run.between(due);
  if (late < 1) return []; // only on a non-working day, which never plans
  const out: Stage[] = [{ stage: `late${1 + Math.floor((late - 1) / s.overdueEvery) * s.overdueEvery}`, reason: "overdue", days: late }];
  if (late >= s.escalateAfter) {
    out.push({ stage: `esc${1 + Math.floor((late - s.escalateAfter) / s.escalateEvery)}`, reason: "escalation", days: late });
  }
  return out;
}

/** Rebuild an item from its key, as seen on `day` (used to resume a message after a crash). */
export function parseItemKey(key: string, day: IsoDay, cal: WorkCalendar): PlannedItem | null {
  const [head, when, stage] = key.split("#");
  if (when === "unknown" && stage === undefined) return { key, code: head, agencyId: "", due: null, reason: "checkin", days: 0 };
  const at = head.indexOf("@");
  if (at <= 0 || !when || !stage) return null;
  const code = head.slice(0, at);
  const agencyId = head.slice(at + 1);
  if (stage === "checkin") {
    const q = /^(\d{4})-Q([1-4])$/.exec(when);
    if (q) {
      const due = quarterEnd(+q[1], +q[2]);
      return { key, code, agencyId, due, reason: "checkin", days: Math.max(0, cal.workingDaysBetween(day, due)) };
    }
    return { key, code, agencyId, due: null, reason: "checkin", days: 0 };
  }
  const due = when;
  if (stage === "due") return { key, code, agencyId, due, reason: "due", days: 0 };
  if (/^n\d+$/.test(stage)) {
    const left = cal.workingDaysBetween(day, due);
    return { key, code, agencyId, due, reason: left === 0 ? "due" : "upcoming", days: left };
  }
  if (/^late\d+$/.test(stage)) return { key, code, agencyId, due, reason: "overdue", days: cal.workingDaysBetween(due, day) };
  if (/^esc\d+$/.test(stage)) return { key, code, agencyId, due, reason: "escalation", days: cal.workingDaysBetween(due, day) };
  return null;
}

// ---------------------------------------------------------------- 1. collect items per agency

const NO_DUES_M: readonly { due: IsoDay }[] = [];

/**
 * The milestones of `a` as planned (before extensions): the task's, or — as milestonesOf has it —
 * for a task without milestones the share's condition date as its one milestone; none else.
 */
function plannedOf(task: Task, a: Assignment): readonly { due: IsoDay }[] {
  if (task.deadline.milestones.length > 0) return task.deadline.milestones;
  return a.conditionDue ? [{ due: a.conditionDue }] : NO_DUES_M;
}

/** The due of the milestone planned for `original` after `a`'s extensions (the latest one for it wins). */
function extendedDue(a: Assignment, original: IsoDay): IsoDay {
  const { extensions } = a;
  for (let i = extensions.length - 1; i >= 0; i--) if (extensions[i].originalDue === original) return extensions[i].newDue;
  return original;
}

/** Whether an open milestone of `planned` before the `k`th has (after extensions) the due `due`. */
function openDueBefore(planned: readonly { due: IsoDay }[], a: Assignment, k: number, due: IsoDay): boolean {
  for (let j = 0; j < k; j++) if (!a.milestonesDone.includes(planned[j].due) && extendedDue(a, planned[j].due) === due) return true;
  return false;
}

/** An open milestone of a share: its due after extensions, and whether an earlier open one has that due too. */
type OpenDue = { due: IsoDay; again: boolean };
const NO_OPEN: readonly OpenDue[] = Object.freeze([]);

/**
 * The open milestones of each share, memoised per share across runs (and days: they depend on
 * the share and its task only). Keyed by the assignment object, with the task it was read with:
 * store state is immutable (src/store/memory.ts freezes it; an update replaces a changed task or
 * assignment and keeps every other object), so an entry can only be stale for another task
 * object — checked — and a replaced share is a new key. The WeakMap drops an entry with its share.
 */
const openDuesMemo = new WeakMap<Assignment, { task: Task; open: readonly OpenDue[] | null }>();

/**
 * `a`'s open milestones (not reported done), in order, with their dues after extensions —
 * `milestonesOf(task, a).filter((m) => !m.done)` — and for each whether an open one before it
 * has the same due; null when `a` has no milestone planned (undated: check-ins instead).
 */
function openDues(task: Task, a: Assignment): readonly OpenDue[] | null {
  const hit = openDuesMemo.get(a);
  if (hit !== undefined && hit.task === task) return hit.open;
  const planned = plannedOf(task, a);
  let open: OpenDue[] | readonly OpenDue[] | null = null;
  if (planned.length > 0) {
    const list: OpenDue[] = [];
    for (let m = 0; m < planned.length; m++) {
      if (a.milestonesDone.includes(planned[m].due)) continue;
      const due = extendedDue(a, planned[m].due);
      list.push({ due, again: openDueBefore(planned, a, m, due) });
    }
    open = list.length > 0 ? list : NO_OPEN;
  }
  // Only for the store's (frozen) objects: anything else could change under the memo.
  if (Object.isFrozen(a) && Object.isFrozen(task)) openDuesMemo.set(a, { task, open: open && Object.freeze(open) });
  return open;
}

type Collected = { own: Map<string, PlannedItem[]>; escalations: PlannedItem[]; unknown: PlannedItem[] };

/**
 * The registry by task code, shared by the planner and the renderer (message.ts): the task of
 * each code (the last listed, as a Map by code keeps) and the positions in `assignments` of
 * each task's shares (in order) — src/core/registry.ts, memoised per array of the store's
 * state. `pairsUnique`: no (task code, agency) pair repeats — task codes are unique, each
 * task's shares are to distinct agencies — and no code or agency holds `@` or `#`: then two
 * items of different shares never share a key (`${code}@${agency}#…`), and the planner needs
 * no set of all keys. The importer makes such registries; anything else is planned with the set.
 */
export type RegistryIndex = {
  tasks: ReadonlyMap<string, Task>;
  assignments: readonly Assignment[];
  shares: ReadonlyMap<string, readonly number[]>;
  pairsUnique: boolean;
};

/** Index `state`'s tasks and assignments by task code (see RegistryIndex). */
export function indexRegistry(state: Pick<ReminderState, "tasks" | "assignments">): RegistryIndex {
  const tasks = taskIndex(state.tasks);
  const shares = shareIndex(state.assignments);
  return { tasks: tasks.byCode, assignments: state.assignments, shares: shares.byCode, pairsUnique: tasks.codesPlain && shares.pairsPlain };
}

function collect(state: ReminderState, s: ReminderSettings, cal: WorkCalendar, day: IsoDay, registry: RegistryIndex): Collected {
  const own = new Map<string, PlannedItem[]>();
  const escalations: PlannedItem[] = [];
  const unknown: PlannedItem[] = [];
  // One item per key: a key names its agency, so one set for all — needed only when a
  // (task, agency) pair can repeat; else only a due repeated within one share (two milestones
  // extended to one day) repeats keys, and is skipped below.
  const keys = registry.pairsUnique ? null : new Set<string>();
  const add = (item: PlannedItem) => {
    if (keys) {
      if (keys.has(item.key)) return;
      keys.add(item.key);
    }
    const list = own.get(item.agencyId);
    if (list) list.push(item);
    else own.set(item.agencyId, [item]);
  };
  const run = runContext(day, cal, s);
  const year = +day.slice(0, 4);
  const q = quarterOf(day);
  const [start, end] = [quarterStart(year, q), quarterEnd(year, q)];
  // A report on or after `start` (Vietnam) is an instant on or after the start of that day there.
  const startInstant = vnInstant(start).getTime();

  const NONE: readonly number[] = [];
  const { assignments } = registry;
  for (let t = 0; t < state.tasks.length; t++) {
    const task = state.tasks[t];
    if (task.removed) continue;
    const all = registry.shares.get(task.code) ?? NONE;
    if (task.deadline.kind === "unknown") {
      if (all.length === 0 || all.some((p) => assignments[p].status !== "done")) {
        unknown.push({ key: `${task.code}${UNKNOWN}`, code: task.code, agencyId: "", due: null, reason: "checkin", days: 0 });
      }
      continue;
    }
    // Check-ins wait for the plan's own period (a plan for next year loaded in December).
    const started = day >= (state.planStarts?.[task.planId] ?? day);
    for (let i = 0; i < all.length; i++) {
      const a = assignments[all[i]];
      if (a.status === "done") continue;
      // Its open milestones with their dues after extensions (memoised per share across runs).
      const open = openDues(task, a);
      if (open !== null) {
        let id: string | null = null;
        for (let m = 0; m < open.length; m++) {
          const { due } = open[m];
          const stages = run.stages(due);
          if (stages.length === 0) continue;
          id ??= `${task.code}@${a.agencyId}`;
          // The same due again: its keys are the ones just added (escalations are not deduplicated).
          const again = keys === null && open[m].again;
          for (let k = 0; k < stages.length; k++) {
            const st = stages[k];
            const item: PlannedItem = {
              key: id + st.suffix,
              code: task.code,
              agencyId: a.agencyId,
              due,
              reason: st.reason,
              days: st.days,
            };
            if (st.reason !== "escalation") {
              if (!again) add(item);
            }
            // The coordinator's own late work is already in its group's reminder.
            else if (a.agencyId !== state.coordinatorAgencyId) escalations.push(item);
          }
        }
      } else if (started && task.deadline.kind === "continuous") {
        const id = `${task.code}@${a.agencyId}`;
        const left = run.between(end);
        const reportedSince = a.lastReportAt ? reportedOnOrAfter(a.lastReportAt, start, startInstant) : false;
        if (left <= s.continuousCheckinBeforeQuarterEnd && !reportedSince) {
          add({ key: `${id}#${year}-Q${q}#checkin`, code: task.code, agencyId: a.agencyId, due: end, reason: "checkin", days: left });
        }
      } else if (started && task.deadline.kind === "conditional" && s.conditionalCheckin === "monthly") {
        const id = `${task.code}@${a.agencyId}`;
        add({ key: `${id}#${day.slice(0, 7)}#checkin`, code: task.code, agencyId: a.agencyId, due: null, reason: "checkin", days: 0 });
      }
    }
  }
  return { own, escalations, unknown };
}

/**
 * `toVnDay(new Date(iso)) >= day`, by comparing instants (`dayStart`: `day` 00:00 in Vietnam)
 * rather than writing the day out; an unreadable `iso` throws as toVnDay does.
 */
function reportedOnOrAfter(iso: string, day: IsoDay, dayStart: number): boolean {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? toVnDay(new Date(iso)) >= day : t >= dayStart;
}

// ---------------------------------------------------------------- 2. route to chats

/**
 * What the send-log says per chat — both parts: `sendLog` (today's and unfinished entries) and
 * `sendLogArchive` (earlier days): item keys delivered (or being delivered), and the message
 * keys taken.
 */
function sendLogIndex(parts: readonly (readonly SendLogEntry[])[]) {
  const covered = new Map<string, Set<string>>();
  const taken = new Set<string>();
  for (const sendLog of parts) {
    for (let i = 0; i < sendLog.length; i++) {
      const e = sendLog[i];
      const counts = e.status === "delivered" || e.status === "sending" || (e.status === "failed" && e.partsDelivered > 0);
      if (!counts) continue;
      taken.add(e.key);
      const set = covered.get(e.chatId) ?? new Set<string>();
      for (let k = 0; k < e.items.length; k++) set.add(e.items[k]);
      covered.set(e.chatId, set);
    }
  }
  return {
    isCovered: (chatId: string, key: string) => covered.get(chatId)?.has(key) ?? false,
    /** The item keys delivered to `chatId` (or being delivered); undefined when none. */
    coveredIn: (chatId: string): ReadonlySet<string> | undefined => covered.get(chatId),
    /** A message with this key is already delivered or on its way: one message per chat per day. */
    isTaken: (key: string) => taken.has(key),
  };
}

/** The send-log key of one chat's message of `day`; an agency without a chat gets `none:<agency>`. */
export const messageKey = (day: IsoDay, chatId: string | null, agencyId: string): string =>
  `${day}|reminder|${chatId ?? `none:${agencyId}`}`;

/** What one chat is sent today: the items it has not had yet (message.ts renders them). */
export type MessageDraft = { day: IsoDay; chatId: string | null; agencyId: string | null; items: PlannedItem[] };

/**
 * The reminders due at `now`: one draft per chat (and one per agency without a chat, for the
 * coordinator to see), each with only the stages that chat has not been sent. Nothing on a
 * day off. `settings` are parsed once by the caller; `registry` is `indexRegistry(state)` (the
 * caller's, when it needs it too).
 */
export function planDrafts(
  state: ReminderState,
  settings: ReminderSettings,
  calendar: WorkCalendar,
  now: Date,
  registry: RegistryIndex = indexRegistry(state),
): MessageDraft[] {
  const day = toVnDay(now);
  if (!calendar.isWorkingDay(day)) return [];

  const { own, escalations, unknown } = collect(state, settings, calendar, day, registry);
  const log = sendLogIndex([state.sendLogArchive ?? [], state.sendLog]);
  const chatsByAgency = new Map<string, Set<string>>();
  for (let i = 0; i < state.bindings.length; i++) {
    const b = state.bindings[i];
    const set = chatsByAgency.get(b.agencyId);
    if (set) set.add(b.chatId);
    else chatsByAgency.set(b.agencyId, new Set([b.chatId]));
  }
  const chatsOf = (agencyId: string) => [...(chatsByAgency.get(agencyId) ?? [])].sort();
  const coordinator = state.coordinatorAgencyId;
  const coordinatorChats = chatsOf(coordinator);
  const out: MessageDraft[] = [];

  const plan = (chatId: string | null, agencyId: string, items: PlannedItem[]) => {
    const key = messageKey(day, chatId, agencyId);
    const covered = chatId ? log.coveredIn(chatId) : undefined;
    const fresh = !chatId ? items : covered ? items.filter((i) => !covered.has(i.key)) : items.slice();
    if (fresh.length === 0 || (chatId && log.isTaken(key))) return;
    out.push({ day, chatId, agencyId, items: fresh });
  };

  const adminItems = [...escalations, ...unknown];
  for (const agencyId of [...own.keys()].sort()) {
    if (agencyId === coordinator) continue;
    const items = own.get(agencyId)!;
    const chats = chatsOf(agencyId);
    if (chats.length > 0) {
      for (const chatId of chats) plan(chatId, agencyId, items);
    } else {
      // Nobody to tell: the coordinator hears about it ("chưa có nhóm"), once per stage.
      adminItems.push(...items);
      const unreported = coordinatorChats.length ? items.filter((i) => coordinatorChats.some((c) => !log.isCovered(c, i.key))) : items;
      plan(null, agencyId, unreported);
    }
  }
  const coordinatorItems = [...(own.get(coordinator) ?? []), ...adminItems];
  if (coordinatorChats.length > 0) for (const chatId of coordinatorChats) plan(chatId, coordinator, coordinatorItems);
  else plan(null, coordinator, coordinatorItems);
  return out;
}
