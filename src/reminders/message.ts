/**
 * How a reminder reads: one message per chat from its draft (planner.ts), in sections — 🔴
 * overdue, 🟠 due today, 🟡 upcoming, 🔔 check-ins, ⏫ escalations, 📵 agencies without a
 * group, ❓ deadlines not understood — with a row of buttons per own item and the commands to
 * type, split into parts under Telegram's limit. Rendered once per message; dispatch.ts sends.
 */
import type { Button } from "../chat/types.ts";
import { assignmentButtons } from "../bot/buttons.ts";
import { typedFooter } from "../bot/typed.ts";
import { ZALO_TEXT_LIMIT } from "../chat/zalo-platform.ts";
import { dayOfWeek, quarterOf, type WorkCalendar } from "../core/calendar.ts";
import { doneButtonTarget } from "../core/progress.ts";
import type { Assignment, IsoDay, Task } from "../core/schemas.ts";
import { codeRanks, codeRanksOf, collationRanks, MESSAGE_LIMIT, shorten, splitMessage, viDate } from "../core/text.ts";
import {
  indexRegistry,
  isUnknownKey,
  messageKey,
  PART_LIMIT,
  planDrafts,
  ReminderSettings,
  type MessageDraft,
  type PlannedItem,
  type RegistryIndex,
  type ReminderSettingsInput,
  type ReminderState,
} from "./planner.ts";

/** A message as sent: its text in parts, the buttons under the last part. */
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

/** Lines of a section joined at once (see `section`). */
const LINE_BLOCK = 256;
/** Up to this many items of agencies without a group are listed one per line; more, one line per agency. */
const UNBOUND_DETAIL_MAX = 15;
/** Task codes shown per agency in that one line. */
const UNBOUND_CODES_MAX = 12;

const WEEKDAYS = ["", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"];
// Made once: `localeCompare` with locales or options builds a collator per call. The order of
// `a.localeCompare(b)`; codes are ordered as `a.localeCompare(b, "en", { numeric: true })` (A2
// before A10) by codeRanks.
const DEFAULT = new Intl.Collator();

/**
 * A message's item orders: by code (numeric: A2 before A10), then key; by agency id, then
 * code. Codes are ranked once per run over the registry (`StateIndex.codeRank`; per message
 * only when an item names a code the registry no longer has), agencies once per message that
 * sorts by agency (`collationRanks`), so sorting the coordinator's thousands of items compares numbers, in
 * the collators' order. Ranks over a superset order a subset as ranks over it do.
 */
function itemOrders(items: readonly PlannedItem[], index: StateIndex) {
  let codeRank = index.codeRank;
  if (items.some((i) => !codeRank.has(i.code))) codeRank = codeRanks(items.map((i) => i.code));
  // Agencies are ranked on first use: only the coordinator's message lists other agencies' items.
  let agencyRank: Map<string, number> | null = null;
  const agencyOf = (i: PlannedItem) =>
    (agencyRank ??= collationRanks(
      DEFAULT,
      items.map((i) => i.agencyId),
    )).get(i.agencyId)!;
  const byCode = (a: PlannedItem, b: PlannedItem) => codeRank.get(a.code)! - codeRank.get(b.code)! || DEFAULT.compare(a.key, b.key);
  const byAgencyThenCode = (a: PlannedItem, b: PlannedItem) => agencyOf(a) - agencyOf(b) || byCode(a, b);
  /**
   * Sort `list` in place by `days` (`1`: fewest first, `-1`: most first, `0`: not at all), then
   * agency if `byAgency`, then code, then key — the orders above. A long list (the coordinator's)
   * is sorted on each item's ranks looked up once, not at each comparison (a stable sort on the
   * same keys: the same order).
   */
  const sort = (list: PlannedItem[], days: -1 | 0 | 1, byAgency: boolean): PlannedItem[] => {
    if (list.length < KEYED_SORT) {
      const then = byAgency ? byAgencyThenCode : byCode;
      return list.sort(days === 0 ? then : (a, b) => days * (a.days - b.days) || then(a, b));
    }
    const keyed = list.map((i) => ({ i, days: days * i.days, agency: byAgency ? agencyOf(i) : 0, code: codeRank.get(i.code)! }));
    keyed.sort((a, b) => a.days - b.days || a.agency - b.agency || a.code - b.code || DEFAULT.compare(a.i.key, b.i.key));
    for (let k = 0; k < keyed.length; k++) list[k] = keyed[k].i;
    return list;
  };
  return { sort };
}

/** From this many items on, a section is sorted on keys looked up once per item (see itemOrders). */
const KEYED_SORT = 64;

/**
 * What every message of a run looks up, built once per run, not once per message: tasks by
 * code and each task's assignments (planner.ts `indexRegistry`, shared with the planner), the
 * ranks of all task codes; and `shorten`, `viDate` and titles memoised for the run (titles,
 * milestone labels and conditions recur in many messages; the functions are pure, so a memo
 * cannot go stale).
 */
type StateIndex = {
  tasks: ReadonlyMap<string, Task>;
  /** The assignment of `agencyId` to task `code` (its id is `${code}@${agencyId}`: importer.ts). */
  share: (code: string, agencyId: string) => Assignment | undefined;
  /** Ranks of every task code of the registry in the codes' order (`codeRanksOf`: memoised per tasks array). */
  codeRank: ReadonlyMap<string, number>;
  short: (text: string, max: number) => string;
  /** `viDate`, memoised for the run (a few hundred dues, written thousands of times). */
  date: (day: IsoDay) => string;
  /**
   * The title an item of `agencyId` about task `code` due on `due` is listed with: the task's
   * title, with the label of that milestone when the task has several; memoised for the run
   * (per task, and per due when no share of the task has an extension).
   */
  title: (code: string, agencyId: string, due: IsoDay | null) => string;
  /**
   * `hạn <due>, trễ <days> ngày làm việc` (`late`) or `hạn <due>, còn <days> ngày làm việc`,
   * memoised for the run (overdue items of one due are late by as many days).
   */
  dueLine: (due: IsoDay, days: number, late: boolean) => string;
  /** A message's date line, `Thứ Ba, ngày 15/06/2021`, memoised for the run (every message has one). */
  dateLine: (day: IsoDay) => string;
};

// Memos across runs, per element of the store's state. Store state is immutable
// (src/store/memory.ts freezes it; an update replaces a changed task or assignment and keeps
// every other object, and replaces an array it changes), so a value derived only from one
// object stays right while that object lives: a run after an update recomputes only what was
// replaced. Each WeakMap drops its entries with their keys.

/**
 * A task's listed titles: for a task with at most one milestone its title (shortened), else
 * its titles by due (the title with that milestone's label) as far as asked, for shares
 * without extensions. Keyed by the task object; derived from it only.
 */
const taskTitles = new WeakMap<Task, string | Map<IsoDay | null, string>>();
/**
 * An assignment's row of buttons (`assignmentButtons` with its ✅ target), keyed by the
 * assignment, with the task it was made from and — when the target depends on the day (a
 * continuous task's quarter) — that day; made again when either differs.
 */
const buttonRows = new WeakMap<Assignment, { task: Task; day: IsoDay | null; row: Button[] }>();

/** The buttons under an item of `agency` about task `code` (`own`: that share, `task`: that task), memoised per share. */
function buttonRow(code: string, agency: string, task: Task | undefined, own: Assignment | undefined, day: IsoDay): Button[] {
  const hit = own ? buttonRows.get(own) : undefined;
  if (hit !== undefined && hit.task === task && (hit.day === null || hit.day === day)) return hit.row;
  const conditional = task?.deadline.kind === "conditional" && !own?.conditionDue;
  // ✅ names the milestone it acts on (the one open now), so a second press or a later one cannot complete the next.
  const done = task && own ? doneButtonTarget(task, own, day) : null;
  const row = assignmentButtons(code, agency, { conditional, done });
  // `code` and `agency` are the share's own (`share(code, agency)`); only the target of a task
  // without milestones (a continuous task's quarter) depends on the day.
  // Only for the store's (frozen) objects: anything else could change under the memo.
  if (task && own && Object.isFrozen(own) && Object.isFrozen(task)) {
    buttonRows.set(own, { task, day: task.deadline.milestones.length === 0 ? day : null, row: Object.freeze(row) as Button[] });
  }
  return row;
}

/** What a message says of an item whose task is no longer in the registry. */
const MISSING_TASK = "(nhiệm vụ không còn trong danh mục)";
function indexOf(
  state: Pick<ReminderState, "tasks" | "assignments">,
  { tasks, assignments, shares }: RegistryIndex = indexRegistry(state),
): StateIndex {
  const memo = new Map<number, Map<string, string>>();
  const short = (text: string, max: number): string => {
    let byText = memo.get(max);
    if (!byText) memo.set(max, (byText = new Map()));
    let out = byText.get(text);
    if (out === undefined) byText.set(text, (out = shorten(text, max)));
    return out;
  };
  const dates = new Map<IsoDay, string>();
  const date = (day: IsoDay): string => {
    let out = dates.get(day);
    if (out === undefined) dates.set(day, (out = viDate(day)));
    return out;
  };
  const share = (code: string, agencyId: string): Assignment | undefined => {
    const list = shares.get(code);
    if (!list) return undefined;
    // The last one, as a Map by id would keep.
    for (let i = list.length - 1; i >= 0; i--) if (assignments[list[i]].agencyId === agencyId) return assignments[list[i]];
    return undefined;
  };
  const titled = (task: Task, label: string | undefined): string => short(task.title, 90) + (label ? ` (mốc: ${short(label, 40)})` : "");
  // Per run, by code of a task with several milestones: whether a share of it has an extension
  // (then each share's labels by due are its own).
  const extendedCodes = new Map<string, boolean>();
  const title = (code: string, agencyId: string, due: IsoDay | null): string => {
    const task = tasks.get(code);
    if (!task) return MISSING_TASK;
    let memo = taskTitles.get(task);
    if (memo === undefined) {
      memo = task.deadline.milestones.length <= 1 ? titled(task, undefined) : new Map();
      if (Object.isFrozen(task)) taskTitles.set(task, memo); // only the store's (immutable) tasks
    }
    if (typeof memo === "string") return memo;
    let extended = extendedCodes.get(code);
    if (extended === undefined)
      extendedCodes.set(code, (extended = shares.get(code)?.some((p) => assignments[p].extensions.length > 0) ?? false));
    if (extended) return titled(task, milestoneLabel(task, share(code, agencyId), due));
    let out = memo.get(due);
    if (out === undefined) memo.set(due, (out = titled(task, milestoneLabel(task, undefined, due))));
    return out;
  };
  const dueLines = [new Map<IsoDay, Map<number, string>>(), new Map<IsoDay, Map<number, string>>()];
  const dueLine = (due: IsoDay, days: number, late: boolean): string => {
    const byDue = dueLines[late ? 1 : 0];
    let byDays = byDue.get(due);
    if (!byDays) byDue.set(due, (byDays = new Map()));
    let out = byDays.get(days);
    if (out === undefined) byDays.set(days, (out = `hạn ${date(due)}, ${late ? "trễ" : "còn"} ${days} ngày làm việc`));
    return out;
  };
  const dateLines = new Map<IsoDay, string>();
  const dateLine = (day: IsoDay): string => {
    let out = dateLines.get(day);
    if (out === undefined) dateLines.set(day, (out = `${WEEKDAYS[dayOfWeek(day)]}, ngày ${viDate(day)}`));
    return out;
  };
  return { tasks, share, codeRank: codeRanksOf(state.tasks), short, date, title, dueLine, dateLine };
}

/** Render a message for a chat (also used to rebuild an interrupted one from its send-log entry). */
export function buildMessage(
  draft: MessageDraft,
  state: Pick<ReminderState, "tasks" | "assignments" | "agencyNames" | "coordinatorAgencyId">,
  s: ReminderSettings,
  index: StateIndex = indexOf(state),
): PlannedMessage {
  const { day, chatId, agencyId } = draft;
  const { tasks, share, short, date } = index;
  const name = (id: string) => state.agencyNames[id] ?? id;

  // The items by section, in one pass (each list keeps the draft's order before its sort): own
  // items (the chat's agency's, neither escalated nor an unknown deadline) by reason;
  // escalations; unknown deadlines (escalated ones too); the rest (agencies without a group).
  const overdue: PlannedItem[] = [];
  const dueToday: PlannedItem[] = [];
  const upcoming: PlannedItem[] = [];
  const checkins: PlannedItem[] = [];
  const escalated: PlannedItem[] = [];
  const unknown: PlannedItem[] = [];
  const others: PlannedItem[] = [];
  for (const i of draft.items) {
    // Only an item without a due can be an unknown deadline's (see planner.ts).
    const isUnknown = i.due === null && isUnknownKey(i.key);
    if (isUnknown) unknown.push(i);
    if (i.reason === "escalation") escalated.push(i);
    else if (isUnknown) continue;
    else if (i.agencyId !== agencyId) others.push(i);
    else if (i.reason === "overdue") overdue.push(i);
    else if (i.reason === "due") dueToday.push(i);
    else if (i.reason === "upcoming") upcoming.push(i);
    else if (i.reason === "checkin") checkins.push(i);
  }
  const { sort } = itemOrders(draft.items, index);
  sort(overdue, -1, false);
  sort(dueToday, 0, false);
  sort(upcoming, 1, false);
  sort(checkins, 0, false);
  sort(escalated, -1, true);
  sort(unknown, 0, false);
  // An agency without a group that is also escalated: one line, in the escalation section.
  const unboundAgencies = new Set(others.map((i) => i.agencyId));
  let unbound = others;
  let merged: PlannedItem[] = [];
  if (others.length > 0) {
    const escalatedIds = new Set(escalated.map((i) => `${i.code}@${i.agencyId}#${i.due}`));
    unbound = sort(
      others.filter((i) => !escalatedIds.has(`${i.code}@${i.agencyId}#${i.due}`)),
      0,
      true,
    );
    merged = others.filter((i) => escalatedIds.has(`${i.code}@${i.agencyId}#${i.due}`));
  }

  const title = (i: PlannedItem) => index.title(i.code, i.agencyId, i.due);
  const when = (i: PlannedItem): string => {
    if (i.due && (i.reason === "overdue" || i.reason === "escalation" || i.reason === "upcoming"))
      return index.dueLine(i.due, i.days, i.reason !== "upcoming");
    const due = i.due ? date(i.due) : "";
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
        return `điều kiện thực hiện đã có chưa${condition ? ` («${short(condition, 80)}»)` : ""}? Nếu đã có thời điểm, bấm «🗓 Có ngày»`;
      }
    }
  };

  const lines: string[] = [
    "📋 NHẮC VIỆC CẢI CÁCH HÀNH CHÍNH",
    `Kính gửi: ${agencyId ? name(agencyId) : "quản trị viên"}`,
    index.dateLine(day),
  ];
  const section = (heading: string, items: PlannedItem[], line: (i: PlannedItem) => string) => {
    if (items.length === 0) return;
    lines.push("", `${heading} (${items.length})`);
    // Written in blocks of lines joined at once (the text is the same): the pieces each line is
    // made of die young, instead of being copied by every collection of the young generation
    // while the coordinator's thousands of lines are written.
    for (let k = 0; k < items.length; k += LINE_BLOCK) {
      const block: string[] = [];
      for (let i = k; i < items.length && i < k + LINE_BLOCK; i++) block.push(line(items[i]));
      lines.push(block.join("\n"));
    }
  };
  const ownLine = (i: PlannedItem) => `• ${i.code} — ${title(i)} — ${when(i)}`;
  section("🔴 Quá hạn", overdue, ownLine);
  section("🟠 Đến hạn hôm nay", dueToday, ownLine);
  section("🟡 Sắp đến hạn", upcoming, ownLine);
  section("🔔 Cập nhật", checkins, ownLine);
  section(
    `⏫ Trễ hạn từ ${s.escalateAfter} ngày làm việc — cần đôn đốc`,
    escalated,
    (i) => `• ${i.code} — ${name(i.agencyId)}${unboundAgencies.has(i.agencyId) ? " (📵 chưa có nhóm)" : ""} — ${title(i)} — ${when(i)}`,
  );
  const unboundHeading = "📵 Cơ quan chưa có nhóm — chưa nhận được nhắc việc này, nhờ báo giúp và mời cơ quan /dangky";
  if (unbound.length <= UNBOUND_DETAIL_MAX)
    section(unboundHeading, unbound, (i) => `• ${name(i.agencyId)}: ${i.code} — ${title(i)} — ${when(i)}`);
  else {
    // Many (a plan of collectives before agencies bound their groups): one line per agency.
    const byAgency = new Map<string, PlannedItem[]>();
    for (const i of unbound) byAgency.set(i.agencyId, [...(byAgency.get(i.agencyId) ?? []), i]);
    lines.push("", `${unboundHeading} (${unbound.length} việc, ${byAgency.size} cơ quan)`);
    for (const [agency, items] of byAgency) {
      const late = items.filter((i) => i.reason === "overdue").length;
      const codes = items.slice(0, UNBOUND_CODES_MAX).map((i) => i.code);
      const more = items.length > codes.length ? ` và ${items.length - codes.length} việc khác` : "";
      lines.push(`• ${name(agency)} — ${items.length} việc${late ? `, ${late} quá hạn` : ""}: ${codes.join(", ")}${more}`);
    }
  }
  section("❓ Chưa đọc được thời hạn — nhờ quản trị viên xem lại", unknown, (i) => {
    const raw = tasks.get(i.code)?.deadline.raw ?? "";
    return `• ${i.code} — ${title(i)} — thời hạn ghi trong kế hoạch: ${raw ? `«${short(raw, 60)}»` : "(trống)"}`;
  });

  // Buttons for the chat's own items, in the order listed.
  const ordered = [...overdue, ...dueToday, ...upcoming, ...checkins];
  // The (task, agency) pairs of those items, each once, in that order: the first
  // `maxButtonItems` get buttons; one more says whether some have none.
  const withButtons: PlannedItem[] = [];
  for (const i of ordered) {
    if (withButtons.length > s.maxButtonItems) break;
    if (!withButtons.some((w) => w.code === i.code && w.agencyId === i.agencyId)) withButtons.push(i);
  }
  const buttons = withButtons
    .slice(0, s.maxButtonItems)
    .map(({ code, agencyId: agency }) => buttonRow(code, agency, tasks.get(code), share(code, agency), day));
  // Zalo has no buttons: the message ends with what to type instead (bot/typed.ts), within its 2000 characters.
  const zalo = chatId?.startsWith("zl:") === true;
  if (ordered.length > 0) {
    if (!zalo) lines.push("", "Bấm nút dưới đây để báo: ✅ hoàn thành · 📈 tiến độ · ⚠️ vướng mắc.");
    else lines.push("");
    if (withButtons.length > buttons.length && !zalo) lines.push(`(Có nút cho ${buttons.length} việc đầu; việc khác xin gõ lệnh.)`);
    lines.push("Hoặc gõ: /xong <mã> · /tiendo <mã> <%> · /vuongmac <mã> <nội dung> · /giahan <mã> <dd/mm/yyyy> <lý do>");
  }

  if (zalo && buttons.length) lines.push("", typedFooter(buttons, { files: false }));
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
    parts: splitMessage(text, zalo ? ZALO_TEXT_LIMIT - (MESSAGE_LIMIT - PART_LIMIT) : PART_LIMIT),
    buttons: zalo ? [] : buttons,
  };
}

/**
 * The label of the milestone of `task` due on `due` for `assignment` (its extensions applied) —
 * `milestonesOf(task, assignment).find((m) => m.due === due)?.label` for a task with
 * milestones — without making the milestones.
 */
function milestoneLabel(task: Task, assignment: Assignment | undefined, due: IsoDay | null): string | undefined {
  if (!due) return undefined;
  const extensions = assignment?.extensions ?? [];
  for (const m of task.deadline.milestones) {
    let effective = m.due;
    for (let i = extensions.length - 1; i >= 0; i--) {
      if (extensions[i].originalDue === m.due) {
        effective = extensions[i].newDue;
        break;
      }
    }
    if (effective === due) return m.label;
  }
  return undefined;
}

/**
 * The reminders due at `now`, rendered: planDrafts (who is told what) then one message per
 * draft. `settings` are parsed here, once per run.
 */
export function planReminders(
  state: ReminderState,
  settings: ReminderSettingsInput | ReminderSettings,
  calendar: WorkCalendar,
  now: Date,
): PlannedMessage[] {
  const s = ReminderSettings.parse(settings ?? {});
  const registry = indexRegistry(state);
  const index = indexOf(state, registry);
  return planDrafts(state, s, calendar, now, registry).map((draft) => buildMessage(draft, state, s, index));
}
