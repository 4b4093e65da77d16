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
 * Steps: collect the items per agency → route them to chats → render one message per chat.
 */
import { z } from "zod";
import type { Button } from "../chat/types.ts";
import { assignmentButtons } from "../bot/buttons.ts";
import { dayOfWeek, quarterEnd, quarterOf, quarterStart, toVnDay, type WorkCalendar } from "../core/calendar.ts";
import { milestonesOf } from "../core/progress.ts";
import type { Assignment, ChatBinding, IsoDay, SendLogEntry, Task } from "../core/schemas.ts";
import { MESSAGE_LIMIT, shorten, splitMessage, viDate } from "../core/text.ts";

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
  sendLog: readonly SendLogEntry[];
  agencyNames: Record<string, string>;
  coordinatorAgencyId: string;
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

export type PlannedMessage = {
  /** `${day}|reminder|${chatId ?? "none:" + agencyId}` — the send-log key. */
  key: string;
  day: IsoDay;
  kind: "reminder" | "escalation" | "admin";
  /** The agency the chat is bound to (the addressee). */
  agencyId: string | null;
  /** null: the agency has no bound chat; nothing is sent, the coordinator is told instead. */
  chatId: string | null;
  items: PlannedItem[];
  text: string;
  /** `text` split between lines; the buttons go under the last part. */
  parts: string[];
  buttons: Button[][];
};

/**
 * Parts are cut this much under Telegram's 4096 so that a resumed part can carry a one-line
 * "continued" note (see ../reminders/dispatch.ts).
 */
export const PART_LIMIT = MESSAGE_LIMIT - 200;

// ---------------------------------------------------------------- stages

const UNKNOWN = "#unknown";
export const isUnknownKey = (key: string): boolean => key.endsWith(UNKNOWN);

type Stage = { stage: string; reason: ItemReason; days: number };

/** The current reminder stage of a milestone, and its escalation stage; none when too early. */
function milestoneStages(day: IsoDay, due: IsoDay, cal: WorkCalendar, s: ReminderSettings, noticeLimit: IsoDay): Stage[] {
  if (day <= due) {
    if (due >= noticeLimit) return []; // more working days left than the widest notice
    const left = cal.workingDaysBetween(day, due);
    if (left === 0 && s.dueDayNotice) return [{ stage: "due", reason: "due", days: 0 }];
    const n = [...s.noticeDays].sort((a, b) => a - b).find((n) => left <= n);
    return n === undefined ? [] : [{ stage: `n${n}`, reason: left === 0 ? "due" : "upcoming", days: left }];
  }
  const late = cal.workingDaysBetween(due, day);
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

type Collected = { own: Map<string, PlannedItem[]>; escalations: PlannedItem[]; unknown: PlannedItem[] };

function collect(state: ReminderState, s: ReminderSettings, cal: WorkCalendar, day: IsoDay): Collected {
  const own = new Map<string, PlannedItem[]>();
  const escalations: PlannedItem[] = [];
  const unknown: PlannedItem[] = [];
  const add = (item: PlannedItem) => {
    const list = own.get(item.agencyId) ?? [];
    if (!list.some((i) => i.key === item.key)) list.push(item);
    own.set(item.agencyId, list);
  };
  const byTask = new Map<string, Assignment[]>();
  for (const a of state.assignments) {
    const list = byTask.get(a.taskCode);
    if (list) list.push(a);
    else byTask.set(a.taskCode, [a]);
  }
  const maxNotice = Math.max(0, ...s.noticeDays);
  const noticeLimit = cal.addWorkingDays(day, maxNotice + 1);
  const year = +day.slice(0, 4);
  const q = quarterOf(day);

  for (const task of state.tasks) {
    if (task.removed) continue;
    const all = byTask.get(task.code) ?? [];
    const open = all.filter((a) => a.status !== "done");
    if (task.deadline.kind === "unknown") {
      if (open.length > 0 || all.length === 0) {
        unknown.push({ key: `${task.code}${UNKNOWN}`, code: task.code, agencyId: "", due: null, reason: "checkin", days: 0 });
      }
      continue;
    }
    for (const a of open) {
      const id = `${task.code}@${a.agencyId}`;
      const milestones = milestonesOf(task, a);
      if (milestones.length > 0) {
        for (const m of milestones) {
          if (m.done) continue;
          for (const st of milestoneStages(day, m.due, cal, s, noticeLimit)) {
            const item: PlannedItem = { key: `${id}#${m.due}#${st.stage}`, code: task.code, agencyId: a.agencyId, due: m.due, reason: st.reason, days: st.days };
            if (st.reason !== "escalation") add(item);
            // The coordinator's own late work is already in its group's reminder.
            else if (a.agencyId !== state.coordinatorAgencyId) escalations.push(item);
          }
        }
      } else if (task.deadline.kind === "continuous") {
        const end = quarterEnd(year, q);
        const left = cal.workingDaysBetween(day, end);
        const reported = a.lastReportAt ? toVnDay(new Date(a.lastReportAt)) : null;
        if (left <= s.continuousCheckinBeforeQuarterEnd && !(reported && reported >= quarterStart(year, q))) {
          add({ key: `${id}#${year}-Q${q}#checkin`, code: task.code, agencyId: a.agencyId, due: end, reason: "checkin", days: left });
        }
      } else if (task.deadline.kind === "conditional" && s.conditionalCheckin === "monthly") {
        add({ key: `${id}#${day.slice(0, 7)}#checkin`, code: task.code, agencyId: a.agencyId, due: null, reason: "checkin", days: 0 });
      }
    }
  }
  return { own, escalations, unknown };
}

// ---------------------------------------------------------------- 2. route to chats

/** What the send-log says per chat: item keys delivered (or being delivered), and today's messages. */
function sendLogIndex(sendLog: readonly SendLogEntry[]) {
  const covered = new Map<string, Set<string>>();
  const taken = new Set<string>();
  for (const e of sendLog) {
    const counts = e.status === "delivered" || e.status === "sending" || (e.status === "failed" && e.partsDelivered > 0);
    if (!counts) continue;
    taken.add(e.key);
    const set = covered.get(e.chatId) ?? new Set<string>();
    for (const k of e.items) set.add(k);
    covered.set(e.chatId, set);
  }
  return {
    isCovered: (chatId: string, key: string) => covered.get(chatId)?.has(key) ?? false,
    /** A message with this key is already delivered or on its way: one message per chat per day. */
    isTaken: (key: string) => taken.has(key),
  };
}

export const messageKey = (day: IsoDay, chatId: string | null, agencyId: string): string =>
  `${day}|reminder|${chatId ?? `none:${agencyId}`}`;

export function planReminders(
  state: ReminderState,
  settings: ReminderSettingsInput | ReminderSettings,
  calendar: WorkCalendar,
  now: Date,
): PlannedMessage[] {
  const s = ReminderSettings.parse(settings ?? {});
  const day = toVnDay(now);
  if (!calendar.isWorkingDay(day)) return [];

  const { own, escalations, unknown } = collect(state, s, calendar, day);
  const log = sendLogIndex(state.sendLog);
  const chatsOf = (agencyId: string) => [...new Set(state.bindings.filter((b) => b.agencyId === agencyId).map((b) => b.chatId))].sort();
  const coordinator = state.coordinatorAgencyId;
  const coordinatorChats = chatsOf(coordinator);
  const out: PlannedMessage[] = [];
  const index = indexOf(state);

  const plan = (chatId: string | null, agencyId: string, items: PlannedItem[]) => {
    const key = messageKey(day, chatId, agencyId);
    const fresh = chatId ? items.filter((i) => !log.isCovered(chatId, i.key)) : items;
    if (fresh.length === 0 || (chatId && log.isTaken(key))) return;
    out.push(buildMessage({ day, chatId, agencyId, items: fresh }, state, calendar, s, index));
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

// ---------------------------------------------------------------- 3. render

const WEEKDAYS = ["", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"];
const byCode = (a: PlannedItem, b: PlannedItem) => a.code.localeCompare(b.code, "en", { numeric: true }) || a.key.localeCompare(b.key);
const byAgencyThenCode = (a: PlannedItem, b: PlannedItem) => a.agencyId.localeCompare(b.agencyId) || byCode(a, b);

export type MessageDraft = { day: IsoDay; chatId: string | null; agencyId: string | null; items: PlannedItem[] };

/** Tasks by code and assignments by id: built once per run, not once per message. */
type StateIndex = { tasks: Map<string, Task>; assignments: Map<string, Assignment> };
function indexOf(state: Pick<ReminderState, "tasks" | "assignments">): StateIndex {
  return { tasks: new Map(state.tasks.map((t) => [t.code, t])), assignments: new Map(state.assignments.map((a) => [a.id, a])) };
}

/** Render a message for a chat (also used to rebuild an interrupted one from its send-log entry). */
export function buildMessage(
  draft: MessageDraft,
  state: Pick<ReminderState, "tasks" | "assignments" | "agencyNames" | "coordinatorAgencyId">,
  cal: WorkCalendar,
  settings: ReminderSettingsInput | ReminderSettings = {},
  index: StateIndex = indexOf(state),
): PlannedMessage {
  const s = ReminderSettings.parse(settings);
  const { day, chatId, agencyId } = draft;
  const { tasks, assignments } = index;
  const name = (id: string) => state.agencyNames[id] ?? id;

  const isOwn = (i: PlannedItem) => i.agencyId === agencyId && i.reason !== "escalation" && !isUnknownKey(i.key);
  const own = draft.items.filter(isOwn);
  const overdue = own.filter((i) => i.reason === "overdue").sort((a, b) => b.days - a.days || byCode(a, b));
  const dueToday = own.filter((i) => i.reason === "due").sort(byCode);
  const upcoming = own.filter((i) => i.reason === "upcoming").sort((a, b) => a.days - b.days || byCode(a, b));
  const checkins = own.filter((i) => i.reason === "checkin").sort(byCode);
  const escalated = draft.items.filter((i) => i.reason === "escalation").sort((a, b) => b.days - a.days || byAgencyThenCode(a, b));
  const unknown = draft.items.filter((i) => isUnknownKey(i.key)).sort(byCode);
  const others = draft.items.filter((i) => !isOwn(i) && i.reason !== "escalation" && !isUnknownKey(i.key));
  // An agency without a group that is also escalated: one line, in the escalation section.
  const unboundAgencies = new Set(others.map((i) => i.agencyId));
  const escalatedIds = new Set(escalated.map((i) => `${i.code}@${i.agencyId}#${i.due}`));
  const unbound = others.filter((i) => !escalatedIds.has(`${i.code}@${i.agencyId}#${i.due}`)).sort(byAgencyThenCode);
  const merged = others.filter((i) => escalatedIds.has(`${i.code}@${i.agencyId}#${i.due}`));

  const title = (i: PlannedItem) => {
    const task = tasks.get(i.code);
    if (!task) return "(nhiệm vụ không còn trong danh mục)";
    const label = task.deadline.milestones.length > 1 ? milestoneLabel(task, assignments.get(`${i.code}@${i.agencyId}`), i.due) : undefined;
    return shorten(task.title, 90) + (label ? ` (mốc: ${shorten(label, 40)})` : "");
  };
  const when = (i: PlannedItem): string => {
    const due = i.due ? viDate(i.due) : "";
    switch (i.reason) {
      case "overdue":
      case "escalation":
        return `hạn ${due}, trễ ${i.days} ngày làm việc`;
      case "due":
        return i.due && i.due !== day ? `hạn ${due} (ngày nghỉ): hôm nay là ngày làm việc cuối cùng` : `hạn hôm nay ${due}`;
      case "upcoming":
        return `hạn ${due}, còn ${i.days} ngày làm việc`;
      case "checkin": {
        const task = tasks.get(i.code);
        if (i.due) {
          const q = quarterOf(i.due);
          return `xin báo cáo tình hình thực hiện quý ${["I", "II", "III", "IV"][q - 1]}/${i.due.slice(0, 4)} (hết quý ${due}, còn ${i.days} ngày làm việc)`;
        }
        const condition = task?.deadline.condition ?? task?.deadline.raw;
        return `điều kiện thực hiện đã có chưa${condition ? ` («${shorten(condition, 80)}»)` : ""}? Nếu đã có thời điểm, bấm «🗓 Có ngày»`;
      }
    }
  };

  const lines: string[] = [
    "📋 NHẮC VIỆC CẢI CÁCH HÀNH CHÍNH",
    `Kính gửi: ${agencyId ? name(agencyId) : "quản trị viên"}`,
    `${WEEKDAYS[dayOfWeek(day)]}, ngày ${viDate(day)}`,
  ];
  const section = (heading: string, items: PlannedItem[], line: (i: PlannedItem) => string) => {
    if (items.length === 0) return;
    lines.push("", `${heading} (${items.length})`, ...items.map(line));
  };
  const ownLine = (i: PlannedItem) => `• ${i.code} — ${title(i)} — ${when(i)}`;
  section("🔴 Quá hạn", overdue, ownLine);
  section("🟠 Đến hạn hôm nay", dueToday, ownLine);
  section("🟡 Sắp đến hạn", upcoming, ownLine);
  section("🔔 Cập nhật", checkins, ownLine);
  section(`⏫ Trễ hạn từ ${s.escalateAfter} ngày làm việc — cần đôn đốc`, escalated, (i) => `• ${i.code} — ${name(i.agencyId)}${unboundAgencies.has(i.agencyId) ? " (📵 chưa có nhóm)" : ""} — ${title(i)} — ${when(i)}`);
  section("📵 Cơ quan chưa có nhóm — chưa nhận được nhắc việc này, nhờ báo giúp và mời cơ quan /dangky", unbound, (i) => `• ${name(i.agencyId)}: ${i.code} — ${title(i)} — ${when(i)}`);
  section("❓ Chưa đọc được thời hạn — nhờ quản trị viên xem lại", unknown, (i) => {
    const raw = tasks.get(i.code)?.deadline.raw ?? "";
    return `• ${i.code} — ${title(i)} — thời hạn ghi trong kế hoạch: ${raw ? `«${shorten(raw, 60)}»` : "(trống)"}`;
  });

  // Buttons for the chat's own items, in the order listed.
  const ordered = [...overdue, ...dueToday, ...upcoming, ...checkins];
  const withButtons: string[] = [];
  for (const i of ordered) {
    const id = `${i.code}@${i.agencyId}`;
    if (!withButtons.includes(id)) withButtons.push(id);
  }
  const buttons = withButtons.slice(0, s.maxButtonItems).map((id) => {
    const [code, agency] = [id.slice(0, id.indexOf("@")), id.slice(id.indexOf("@") + 1)];
    const task = tasks.get(code);
    const conditional = task?.deadline.kind === "conditional" && !assignments.get(id)?.conditionDue;
    return assignmentButtons(code, agency, { conditional });
  });
  if (ordered.length > 0) {
    lines.push("", "Bấm nút dưới đây để báo: ✅ hoàn thành · 📈 tiến độ · ⚠️ vướng mắc.");
    if (withButtons.length > buttons.length) lines.push(`(Có nút cho ${buttons.length} việc đầu; việc khác xin gõ lệnh.)`);
    lines.push("Hoặc gõ: /xong <mã> · /tiendo <mã> <%> · /vuongmac <mã> <nội dung> · /giahan <mã> <dd/mm/yyyy> <lý do>");
  }

  const text = lines.join("\n");
  const items = [...ordered, ...escalated, ...merged, ...unbound, ...unknown];
  const coordinator = agencyId === state.coordinatorAgencyId;
  const kind = ordered.length > 0 || !coordinator ? "reminder" : escalated.length > 0 ? "escalation" : "admin";
  return {
    key: messageKey(day, chatId, agencyId ?? state.coordinatorAgencyId),
    day,
    kind,
    agencyId,
    chatId,
    items,
    text,
    parts: splitMessage(text, PART_LIMIT),
    buttons,
  };
}

function milestoneLabel(task: Task, assignment: Assignment | undefined, due: IsoDay | null): string | undefined {
  if (!due) return undefined;
  const milestones = assignment ? milestonesOf(task, assignment) : task.deadline.milestones;
  return milestones.find((m) => m.due === due)?.label;
}
