/**
 * Sending the planned reminders: the send protocol around `outbox.send`.
 *
 * For each planned message with a chat:
 *   1. one store update records a send-log entry `sending` (its item keys, its parts count)
 *      BEFORE anything is sent;
 *   2. the parts are sent one by one; after each, `partsDelivered` is recorded;
 *   3. the last record marks the entry `delivered`.
 * The send-log is the record of what reached whom; the planner reads it, so a stage that was
 * delivered (or is on its way) is never planned again for that chat.
 *
 * Failures:
 * - a transient `SendError` is retried with backoff a few times, then the entry is left
 *   `failed` (with `partsDelivered`): the next run sends it again — a failed entry with no
 *   part delivered is simply planned again, one with some parts delivered is resumed after
 *   them;
 * - a permanent `SendError` (bot removed from the group…) is logged, the entry is marked
 *   failed (`error` starting with "permanent:", never resumed) and the coordinator's group is
 *   told in the same run;
 * - anything else thrown by the adapter means "outcome unknown" and is treated like a crash:
 *   the run stops there and the entry stays `sending`.
 *
 * Crash resolution — AT MOST ONCE for the part in flight. An entry found `sending` at the
 * start of a run was interrupted between "record" and "send recorded": part
 * `partsDelivered + 1` may or may not have reached the chat. It is counted as delivered and
 * NOT sent again (a duplicate reminder is worse than one possibly missing part: the next stage
 * of every item comes anyway). The remaining parts, if any, are rebuilt from the entry's item
 * keys and sent, the first of them opening with a note that the part before may be missing.
 * Nothing is resent blindly.
 */
import type { Runtime } from "../bot/runtime.ts";
import type { Config } from "../config.ts";
import { SendError, type Button } from "../chat/types.ts";
import { addDays, toVnDay, vnDateTime } from "../core/calendar.ts";
import type { SendLogEntry } from "../core/schemas.ts";
import { viDate } from "../core/text.ts";
import type { StoreData } from "../store/types.ts";
import {
  isUnknownKey,
  parseItemKey,
  ReminderSettings,
  type PlannedItem,
  type ReminderSettingsInput,
  type ReminderState,
} from "./planner.ts";
import { buildMessage, planReminders, type PlannedMessage } from "./message.ts";

export type RunOptions = {
  /** Plan only: nothing is sent and nothing is written. */
  dryRun?: boolean;
  settings?: ReminderSettingsInput;
  /** Attempts after the first one for a transient failure (default 3). */
  retries?: number;
  /** First backoff delay in ms, ×4 each retry (default 2000: 2 s, 8 s, 32 s). */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

export type RunReport = {
  day: string;
  workingDay: boolean;
  dryRun: boolean;
  /** Everything planned, including agencies without a chat (chatId null, not sent). */
  planned: PlannedMessage[];
  sent: { key: string; chatId: string; parts: number }[];
  /** Interrupted messages finished in this run; `uncertainPart` is the part that was in flight. */
  resumed: { key: string; chatId: string; partsSent: number; uncertainPart: number | null }[];
  failed: { key: string; chatId: string; error: string; permanent: boolean }[];
  /** Planned messages that were not sent: no chat, or taken meanwhile. */
  skipped: { key: string; reason: string }[];
};

const RUN_KIND = "reminder";

/**
 * The send-log is kept for 120 days, the run-log for 400: long enough that every stage
 * still reachable (notices before a due, overdue every few days, escalation steps, one
 * check-in per quarter) finds its record, short enough that the store does not grow all
 * year. A pruned record matters only to an item unchanged for four months — an unreadable
 * deadline — which is then listed to the admins again, as a reminder it is still unread.
 */
const KEEP_SEND_LOG_DAYS = 120;
const KEEP_RUN_LOG_DAYS = 400;

/** The send-log without entries older than KEEP_SEND_LOG_DAYS before `day` (an entry still `sending` is kept). */
export function pruneSendLog(sendLog: SendLogEntry[], day: string): SendLogEntry[] {
  const oldest = addDays(day, -KEEP_SEND_LOG_DAYS);
  return sendLog.filter((e) => e.day >= oldest || e.status === "sending");
}
/** The run-log key of the reminder run of `day`: `2021-03-25|reminder`. */
export const reminderRunKey = (day: string): string => `${day}|${RUN_KIND}`;

/** The settings the bot uses, from its config (the same for the bot, `:nhac` and `npm run remind`). */
export function reminderSettings(config: Config, overrides: ReminderSettingsInput = {}): ReminderSettings {
  return ReminderSettings.parse({
    noticeDays: [...config.REMINDER_NOTICE_DAYS].sort((a, b) => b - a),
    overdueEvery: config.REMINDER_OVERDUE_EVERY,
    escalateAfter: config.REMINDER_ESCALATE_AFTER,
    escalateEvery: config.REMINDER_ESCALATE_EVERY,
    continuousCheckinBeforeQuarterEnd: config.REMINDER_CHECKIN_DAYS,
    ...overrides,
  });
}

/** The planner's view of the store: tasks of inactive plans left out, agency names from the directory. */
export function reminderState(runtime: Runtime, data: StoreData = runtime.store.read()): ReminderState {
  const inactive = new Set(data.plans.filter((p) => !p.active).map((p) => p.id));
  const agencyNames: Record<string, string> = {};
  for (const a of runtime.directory().all()) agencyNames[a.id] = a.name;
  return {
    tasks: data.tasks.filter((t) => !inactive.has(t.planId)),
    assignments: data.assignments,
    bindings: data.bindings,
    sendLog: data.sendLog,
    agencyNames,
    coordinatorAgencyId: runtime.config.COORDINATOR_AGENCY,
  };
}

// One run at a time per store (cron tick, catch-up and `:nhac` may meet).
const queues = new WeakMap<object, Promise<unknown>>();
function exclusive<T>(runtime: Runtime, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(runtime.store) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  queues.set(
    runtime.store,
    next.catch(() => undefined),
  );
  return next;
}

/**
 * The reminder run at `now`: plan, then send what is due, recording each message in the
 * send-log before and after it goes out (see the file comment). One run at a time per store.
 */
export function runReminders(runtime: Runtime, now: Date = runtime.now(), options: RunOptions = {}): Promise<RunReport> {
  return exclusive(runtime, () => run(runtime, now, options));
}

/**
 * The run the bot missed: today is a working day, REMINDER_TIME has passed and today's run
 * did not complete (the bot was down at that time, or crashed during it) → run once.
 * Returns null when there is nothing to catch up.
 */
export async function catchUp(
  runtime: Runtime,
  now: Date = runtime.now(),
  options: Omit<RunOptions, "dryRun"> = {},
): Promise<RunReport | null> {
  return exclusive(runtime, async () => {
    const { day, time } = vnDateTime(now);
    if (!runtime.calendar.isWorkingDay(day) || time < runtime.config.REMINDER_TIME) return null;
    if (runtime.store.read().runLog.find((r) => r.key === reminderRunKey(day))?.completedAt) return null;
    return run(runtime, now, options);
  });
}

async function run(runtime: Runtime, now: Date, options: RunOptions): Promise<RunReport> {
  const settings = reminderSettings(runtime.config, options.settings);
  const day = toVnDay(now);
  const report: RunReport = {
    day,
    workingDay: runtime.calendar.isWorkingDay(day),
    dryRun: Boolean(options.dryRun),
    planned: [],
    sent: [],
    resumed: [],
    failed: [],
    skipped: [],
  };
  if (!report.workingDay) return report; // nothing at all on a non-working day, not even a resumption
  if (options.dryRun) {
    report.planned = planReminders(reminderState(runtime), settings, runtime.calendar, now);
    return report;
  }

  const stamp = () => runtime.now().toISOString();
  await runtime.store.update((data) => {
    const key = reminderRunKey(day);
    data.runLog = [
      ...data.runLog.filter((r) => r.key !== key && r.day >= addDays(day, -KEEP_RUN_LOG_DAYS)),
      { key, day, kind: RUN_KIND, startedAt: now.toISOString() },
    ];
    data.sendLog = pruneSendLog(data.sendLog, day);
    return { result: null };
  });

  const sender = new Sender(runtime, options, stamp, report);
  await resumeInterrupted(runtime, sender, settings, report);

  report.planned = planReminders(reminderState(runtime), settings, runtime.calendar, now);
  for (const message of report.planned) {
    if (!message.chatId) {
      report.skipped.push({ key: message.key, reason: "chưa có nhóm" });
      runtime.log.debug({ agency: message.agencyId, items: message.items.length }, "reminders: agency has no bound chat");
      continue;
    }
    const started = await runtime.store.update((data) => {
      const existing = data.sendLog.find((e) => e.key === message.key);
      if (existing && !(existing.status === "failed" && existing.partsDelivered === 0) && existing.status !== "planned") {
        return { result: false };
      }
      const entry: SendLogEntry = {
        key: message.key,
        day,
        kind: RUN_KIND,
        chatId: message.chatId!,
        items: message.items.map((i) => i.key),
        status: "sending",
        partsDelivered: 0,
        parts: message.parts.length,
        updatedAt: stamp(),
      };
      data.sendLog = [...data.sendLog.filter((e) => e.key !== message.key), entry];
      return { result: true };
    });
    if (!started) {
      report.skipped.push({ key: message.key, reason: "đã gửi trong hôm nay" });
      continue;
    }
    const outcome = await sender.deliver(message.key, message.chatId, message.parts, message.buttons, 0);
    if (outcome === "delivered") report.sent.push({ key: message.key, chatId: message.chatId, parts: message.parts.length });
  }

  await reportPermanentFailures(runtime, sender, day, report);
  await runtime.store.update((data) => {
    const key = reminderRunKey(day);
    data.runLog = data.runLog.map((r) => (r.key === key ? { ...r, completedAt: stamp() } : r));
    return { result: null };
  });
  runtime.log.info(
    { day, sent: report.sent.length, resumed: report.resumed.length, failed: report.failed.length, skipped: report.skipped.length },
    "reminders: run completed",
  );
  return report;
}

// ---------------------------------------------------------------- sending with retries

type Outcome = "delivered" | "failed" | "permanent";

class Sender {
  constructor(
    private readonly runtime: Runtime,
    private readonly options: RunOptions,
    private readonly stamp: () => string,
    private readonly report: RunReport,
  ) {}

  /** Send parts[from…] to the chat, recording each; the entry `key` must already exist. */
  async deliver(key: string, chatId: string, parts: string[], buttons: Button[][], from: number): Promise<Outcome> {
    const last = parts.length - 1;
    for (let i = from; i <= last; i++) {
      const error = await this.sendWithRetry(chatId, { text: parts[i], buttons: i === last && buttons.length ? buttons : undefined });
      if (error) {
        const permanent = error.permanent;
        this.runtime.log[permanent ? "error" : "warn"]({ chat: chatId, key, part: i + 1, err: error.message }, "reminders: send failed");
        await this.record(key, {
          status: "failed",
          partsDelivered: i,
          error: `${permanent ? "permanent" : "transient"}: ${error.message}`,
        });
        this.report.failed.push({ key, chatId, error: error.message, permanent });
        return permanent ? "permanent" : "failed";
      }
      await this.record(key, { status: i === last ? "delivered" : "sending", partsDelivered: i + 1, error: undefined });
    }
    return "delivered";
  }

  async record(key: string, patch: Partial<SendLogEntry>): Promise<void> {
    await this.runtime.store.update((data) => {
      data.sendLog = data.sendLog.map((e) => (e.key === key ? { ...e, ...patch, updatedAt: this.stamp() } : e));
      return { result: null };
    });
  }

  /** null when sent; the SendError when it failed for good. Other errors propagate (outcome unknown). */
  private async sendWithRetry(chatId: string, message: { text: string; buttons?: Button[][] }): Promise<SendError | null> {
    const retries = this.options.retries ?? 3;
    const backoff = this.options.backoffMs ?? 2000;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (let attempt = 0; ; attempt++) {
      try {
        await this.runtime.outbox.send(chatId, message);
        return null;
      } catch (error) {
        if (!(error instanceof SendError)) throw error;
        if (error.permanent || attempt >= retries) return error;
        this.runtime.log.warn({ chat: chatId, attempt: attempt + 1, err: error.message }, "reminders: send failed, retrying");
        await sleep(backoff * 4 ** attempt);
      }
    }
  }
}

// ---------------------------------------------------------------- interrupted messages

/**
 * Entries of an earlier run that did not finish: `sending` (crash; the part in flight is
 * counted as delivered — at most once) or `failed` after some parts (resumed after them).
 */
async function resumeInterrupted(runtime: Runtime, sender: Sender, settings: ReminderSettings, report: RunReport): Promise<void> {
  const data = runtime.store.read();
  const pending = data.sendLog.filter(
    (e) =>
      (e.kind === RUN_KIND || e.kind === "admin") &&
      (e.status === "sending" || (e.status === "failed" && e.partsDelivered > 0 && !e.error?.startsWith("permanent"))),
  );
  for (const entry of pending) {
    const crashed = entry.status === "sending";
    const uncertainPart = crashed && entry.partsDelivered < entry.parts ? entry.partsDelivered + 1 : null;
    const from = crashed ? Math.min(entry.parts, entry.partsDelivered + 1) : entry.partsDelivered;
    if (crashed)
      runtime.log.warn(
        { key: entry.key, part: uncertainPart },
        "reminders: interrupted send found; the part in flight is not resent (at most once)",
      );
    if (entry.kind !== RUN_KIND || from >= entry.parts) {
      // Nothing left to send (or an admin notice, not rebuilt): close the entry.
      await sender.record(entry.key, { status: "delivered", partsDelivered: entry.parts });
      report.resumed.push({ key: entry.key, chatId: entry.chatId, partsSent: 0, uncertainPart });
      continue;
    }
    const message = rebuild(runtime, entry, settings);
    const parts = message.parts.slice(from);
    if (parts.length === 0) {
      await sender.record(entry.key, { status: "delivered", partsDelivered: entry.parts });
      report.resumed.push({ key: entry.key, chatId: entry.chatId, partsSent: 0, uncertainPart });
      continue;
    }
    const note = crashed
      ? `⚠️ (Tiếp theo tin nhắc việc ngày ${viDate(entry.day)}. Bot vừa khởi động lại; phần ngay trước có thể đã không đến.)`
      : `(Tiếp theo tin nhắc việc ngày ${viDate(entry.day)}.)`;
    const all = [...message.parts.slice(0, from), `${note}\n${parts[0]}`, ...parts.slice(1)];
    await sender.record(entry.key, { status: "sending", partsDelivered: from, parts: all.length });
    const outcome = await sender.deliver(entry.key, entry.chatId, all, message.buttons, from);
    if (outcome === "delivered") report.resumed.push({ key: entry.key, chatId: entry.chatId, partsSent: all.length - from, uncertainPart });
  }
}

/** The message of a send-log entry, rebuilt from its item keys as it was on its day. */
function rebuild(runtime: Runtime, entry: SendLogEntry, settings: ReminderSettings): PlannedMessage {
  const state = reminderState(runtime);
  const items = entry.items.map((k) => parseItemKey(k, entry.day, runtime.calendar)).filter((i): i is PlannedItem => i !== null);
  const bound = state.bindings.find((b) => b.chatId === entry.chatId)?.agencyId;
  const agencyId = bound ?? items.find((i) => i.reason !== "escalation" && !isUnknownKey(i.key))?.agencyId ?? state.coordinatorAgencyId;
  return buildMessage({ day: entry.day, chatId: entry.chatId, agencyId, items }, state, settings);
}

// ---------------------------------------------------------------- telling the admins

async function reportPermanentFailures(runtime: Runtime, sender: Sender, day: string, report: RunReport): Promise<void> {
  const permanent = report.failed.filter((f) => f.permanent);
  if (permanent.length === 0) return;
  const data = runtime.store.read();
  const lines = [
    `⚠️ Không gửi được nhắc việc ngày ${viDate(day)} tới ${permanent.length} nhóm:`,
    ...permanent.map((f) => {
      const agency = data.bindings.find((b) => b.chatId === f.chatId)?.agencyId;
      return `• ${agency ? runtime.directory().nameOf(agency) : "(nhóm chưa gắn cơ quan)"} — ${f.chatId}: ${f.error}`;
    }),
    "Có thể bot đã bị xoá khỏi nhóm hoặc nhóm đã đổi. Xin kiểm tra, thêm bot lại hoặc cho cơ quan /dangky ở nhóm mới.",
  ];
  const failedChats = new Set(permanent.map((f) => f.chatId));
  for (const chatId of runtime.outbox.coordinatorChats()) {
    if (failedChats.has(chatId)) continue;
    const base = `${day}|admin|${chatId}`;
    const taken = new Set(runtime.store.read().sendLog.map((e) => e.key));
    let key = base;
    for (let n = 2; taken.has(key); n++) key = `${base}|${n}`;
    await runtime.store.update((d) => {
      d.sendLog = [
        ...d.sendLog,
        {
          key,
          day,
          kind: "admin",
          chatId,
          items: [],
          status: "sending",
          partsDelivered: 0,
          parts: 1,
          updatedAt: runtime.now().toISOString(),
        },
      ];
      return { result: null };
    });
    await sender.deliver(key, chatId, [lines.join("\n")], [], 0);
  }
}
