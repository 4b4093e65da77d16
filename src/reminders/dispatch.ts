/**
 * Sending the planned reminders: the send protocol around `outbox.send`.
 *
 * For each planned message with a chat:
 *   1. one store update records a send-log entry `sending` (its item keys, its parts count,
 *      `wirePart: 0`) BEFORE anything is sent;
 *   2. the parts are sent one by one. Right before a part's request leaves for the platform
 *      (the adapter's `onWire`: after the throttler's queue, once per HTTP attempt) the entry
 *      records `wirePart` = that part (back to 0 when the platform answers with an error:
 *      `onRefused`, e.g. while the adapter waits to retry a 429); after it is confirmed,
 *      `partsDelivered` is recorded and `wirePart` goes back to 0;
 *   3. the last record marks the entry `delivered`.
 * The send-log is the record of what reached whom; the planner reads it, so a stage that was
 * delivered (or is on its way) is never planned again for that chat. Each day's first run
 * moves the settled entries of earlier days to the send-log archive (kept outside the state:
 * src/store/sendlog-archive.ts) and reads it back to plan.
 *
 * Messages to different chats are sent concurrently, REMINDER_CONCURRENCY (default 8) chats
 * at a time; the parts to one chat stay in order. So one chat whose request hangs holds only
 * itself: a message still unsent after `slowMs` is logged with its chat and agency, and a
 * progress line is logged every `progressEvery` messages and at the end.
 *
 * Failures:
 * - a transient `SendError` (the platform answered "not now", or could not be reached) is
 *   retried with backoff a few times, then the entry is left `failed` (with
 *   `partsDelivered`) and the run is NOT marked completed, so the same day's retry
 *   (jobs/reminders.ts) sends it again: a failed entry with no part delivered is planned
 *   again, one with some parts delivered is resumed after them;
 * - a permanent `SendError` (bot removed from the group…) is logged, the entry is marked
 *   failed (`error` starting with "permanent:", never resumed nor retried that day) and the
 *   coordinator's group is told in the same run;
 * - a chat that moved (`SendError.movedTo`) is followed by the outbox (binding moved, audited;
 *   send-log entries follow) and the part is sent to the new id;
 * - an `uncertain` `SendError` (the request may have reached the platform) is resolved like a
 *   crash with that part on the wire: counted delivered, not resent (below);
 * - anything else thrown means "outcome unknown" and is treated like a crash: the run stops
 *   there (other chats' messages already on their way finish) and the entry stays `sending`.
 *
 * Crash resolution — EXACTLY ONCE for every part except one on the wire, which is AT MOST ONCE.
 * An entry found `sending` at the start of a run was interrupted:
 * - `wirePart` 0: no request of the next part had left (it was still queued or not started):
 *   it surely did not arrive and is sent now, with the parts after it;
 * - `wirePart` n > 0: part n's request had left; it may or may not have reached the chat. It
 *   is counted as delivered (recorded in `uncertainParts`) and NOT sent again — a duplicate
 *   reminder is worse than one possibly missing part, and the next stage of every item comes
 *   anyway. The parts after it are sent, the first opening with a note that the part before
 *   may be missing. (An entry written before `wirePart` existed reads as "on the wire".)
 * The bound: a crash (or an uncertain send) loses at most one part per chat — the one whose
 * request was in flight — so at most REMINDER_CONCURRENCY parts per crash, and never
 * duplicates one. Nothing is resent blindly.
 */
import { oneAtATime } from "../store/exclusive.ts";
import type { Runtime } from "../bot/runtime.ts";
import type { Config } from "../config.ts";
import { SendError, type Button, type SendOptions } from "../chat/types.ts";
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
import {
  entriesToArchive,
  isExpiredSend,
  isUnfinishedSend,
  movedKey,
  patchSendLogEntry,
  putSendLogEntry,
  sendLogEntry,
  sendingEntry,
} from "../core/sendlog.ts";

export type RunOptions = {
  /** Plan only: nothing is sent and nothing is written. */
  dryRun?: boolean;
  settings?: ReminderSettingsInput;
  /** Attempts after the first one for a transient failure (default 3). */
  retries?: number;
  /** First backoff delay in ms, ×4 each retry (default 2000: 2 s, 8 s, 32 s). */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Chats sent to at once (default REMINDER_CONCURRENCY, 8). */
  concurrency?: number;
  /** A message still being sent after this many ms is logged as slow, naming its chat (default 30 000). */
  slowMs?: number;
  /** A progress line every this many messages finished (default 20). */
  progressEvery?: number;
};

export type RunReport = {
  day: string;
  workingDay: boolean;
  dryRun: boolean;
  /** Everything planned, including agencies without a chat (chatId null, not sent). */
  planned: PlannedMessage[];
  sent: { key: string; chatId: string; parts: number }[];
  /** Interrupted messages finished in this run; `uncertainPart` is the part that was on the wire (null: none). */
  resumed: { key: string; chatId: string; partsSent: number; uncertainPart: number | null }[];
  failed: { key: string; chatId: string; error: string; permanent: boolean }[];
  /** Planned messages that were not sent: no chat, or taken meanwhile. */
  skipped: { key: string; reason: string }[];
  /** Parts counted delivered without confirmation in this run (an uncertain send): at most once. */
  uncertain: { key: string; chatId: string; part: number }[];
  /** False when a transient failure is left: the run is retried the same day (the run-log has no `completedAt`). */
  completed: boolean;
};

const RUN_KIND = "reminder";
const DEFAULT_SLOW_MS = 30_000;
const DEFAULT_PROGRESS_EVERY = 20;

/**
 * The send-log is kept for 120 days, the run-log for 400: long enough that every stage
 * still reachable (notices before a due, overdue every few days, escalation steps, one
 * check-in per quarter) finds its record, short enough that the store does not grow all
 * year. A pruned record matters only to an item unchanged for four months — an unreadable
 * deadline — which is then listed to the admins again, as a reminder it is still unread.
 */
const KEEP_SEND_LOG_DAYS = 120;
const KEEP_RUN_LOG_DAYS = 400;

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

/**
 * The planner's view of the store: tasks of inactive plans left out, agency names from the
 * directory, the send-log's `archived` entries (`store.sendLogArchive.entries()`) beside the
 * state's own.
 */
export function reminderState(runtime: Runtime, archived: readonly SendLogEntry[], data: StoreData = runtime.store.read()): ReminderState {
  const inactive = new Set(data.plans.filter((p) => !p.active).map((p) => p.id));
  const agencyNames: Record<string, string> = {};
  for (const a of runtime.directory().all()) agencyNames[a.id] = a.name;
  return {
    tasks: data.tasks.filter((t) => !inactive.has(t.planId)),
    assignments: data.assignments,
    bindings: data.bindings,
    sendLog: data.sendLog,
    sendLogArchive: archived,
    agencyNames,
    coordinatorAgencyId: runtime.config.COORDINATOR_AGENCY,
    planStarts: Object.fromEntries(data.plans.map((p) => [p.id, `${p.period?.first ?? p.year}-01-01`])),
  };
}

// One run at a time per store, across the processes sharing it (cron tick, catch-up, retry and `:nhac` may meet).
const exclusive = <T>(runtime: Runtime, work: () => Promise<T>): Promise<T> => oneAtATime(runtime.store, "reminders", work);

/**
 * The reminder run at `now`: plan, then send what is due, recording each message in the
 * send-log before and after it goes out (see the file comment). One run at a time per store.
 * Throws when the run could not go on (the store refused a write, the adapter failed in an
 * unknown way): the run-log then has no `completedAt` and `catchUp` runs it again.
 */
export function runReminders(runtime: Runtime, now: Date = runtime.now(), options: RunOptions = {}): Promise<RunReport> {
  return exclusive(runtime, () => run(runtime, now, options));
}

/**
 * The run the bot missed or did not finish: today is a working day, REMINDER_TIME has passed
 * and today's run did not complete (the bot was down at that time, crashed during it, the run
 * failed, or a transient send failure is left) → run once. Returns null when there is
 * nothing to catch up. Called at start and by the same-day retry (jobs/reminders.ts).
 */
export async function catchUp(
  runtime: Runtime,
  now: Date = runtime.now(),
  options: Omit<RunOptions, "dryRun"> = {},
): Promise<RunReport | null> {
  return exclusive(runtime, async () => {
    if (!reminderRunPending(runtime, now)) return null;
    return run(runtime, now, options);
  });
}

/** True when the reminder run of `now`'s day is due (working day, REMINDER_TIME passed) and not completed. */
export function reminderRunPending(runtime: Runtime, now: Date = runtime.now()): boolean {
  const { day } = vnDateTime(now);
  // Compared to the second: REMINDER_TIME may be HH:MM:SS, and the cron tick comes at that second.
  const time = new Date(now.getTime() + 7 * 3600_000).toISOString().slice(11, 19);
  const due = runtime.config.REMINDER_TIME.length === 5 ? `${runtime.config.REMINDER_TIME}:00` : runtime.config.REMINDER_TIME;
  if (!runtime.calendar.isWorkingDay(day) || time < due) return false;
  return !runtime.store.read().runLog.find((r) => r.key === reminderRunKey(day))?.completedAt;
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
    uncertain: [],
    completed: false,
  };
  if (!report.workingDay) return report; // nothing at all on a non-working day, not even a resumption
  if (options.dryRun) {
    report.planned = planReminders(reminderState(runtime, await runtime.store.sendLogArchive.entries()), settings, runtime.calendar, now);
    return report;
  }

  // The day's first run settles the send-log: earlier days' finished entries are archived
  // (appended there first, then removed here: a crash between leaves them in both, harmless),
  // and entries older than KEEP_SEND_LOG_DAYS are dropped from both.
  const oldest = addDays(day, -KEEP_SEND_LOG_DAYS);
  const moves = entriesToArchive(runtime.store.read().sendLog, day, oldest);
  await runtime.store.sendLogArchive.append(moves);

  const stamp = () => runtime.now().toISOString();
  await runtime.store.update((data) => {
    const key = reminderRunKey(day);
    const earlier = data.runLog.find((r) => r.key === key);
    data.runLog = [
      ...data.runLog.filter((r) => r.key !== key && r.day >= addDays(day, -KEEP_RUN_LOG_DAYS)),
      { key, day, kind: RUN_KIND, startedAt: earlier?.startedAt ?? now.toISOString() },
    ];
    // Removed: what was archived above (the same frozen objects) and what expired.
    const archived = new Set(moves);
    const kept = data.sendLog.filter((e) => !archived.has(e) && !isExpiredSend(e, oldest));
    if (kept.length !== data.sendLog.length) data.sendLog = kept;
    return { result: null };
  });
  await runtime.store.sendLogArchive.prune(oldest);

  const sender = new Sender(runtime, options, stamp, report);
  await resumeInterrupted(runtime, sender, settings, report);

  report.planned = planReminders(reminderState(runtime, await runtime.store.sendLogArchive.entries()), settings, runtime.calendar, now);
  for (const message of report.planned) {
    if (message.chatId) continue;
    report.skipped.push({ key: message.key, reason: "chưa có nhóm" });
    runtime.log.debug({ agency: message.agencyId, items: message.items.length }, "reminders: agency has no bound chat");
  }
  const toSend = report.planned.filter((m): m is PlannedMessage & { chatId: string } => m.chatId !== null);
  await sender.pool(
    toSend.map((m) => ({ chatId: m.chatId, key: m.key, agencyId: m.agencyId, parts: m.parts.length })),
    async (target, i) => {
      const message = toSend[i];
      const started = await runtime.store.update((data) => {
        const existing = sendLogEntry(data.sendLog, message.key);
        if (existing && !(existing.status === "failed" && existing.partsDelivered === 0) && existing.status !== "planned") {
          return { result: "taken" as const };
        }
        if (existing?.error?.startsWith("permanent")) return { result: "permanent" as const };
        const entry = sendingEntry({
          key: message.key,
          day,
          kind: RUN_KIND,
          chatId: message.chatId,
          items: message.items.map((it) => it.key),
          parts: message.parts.length,
          at: stamp(),
        });
        putSendLogEntry(data.sendLog, entry);
        return { result: "started" as const };
      });
      if (started !== "started") {
        report.skipped.push({ key: message.key, reason: started === "taken" ? "đã gửi trong hôm nay" : "lỗi không gửi được hôm nay" });
        return;
      }
      const outcome = await sender.deliver(target, message.parts, message.buttons, 0);
      if (outcome === "delivered") report.sent.push({ key: target.key, chatId: target.chatId, parts: message.parts.length });
    },
  );

  await reportPermanentFailures(runtime, sender, day, report);
  const transient = report.failed.filter((f) => !f.permanent).length;
  report.completed = transient === 0;
  if (report.completed) {
    await runtime.store.update((data) => {
      const key = reminderRunKey(day);
      data.runLog = data.runLog.map((r) => (r.key === key ? { ...r, completedAt: stamp() } : r));
      return { result: null };
    });
  }
  const counts = {
    day,
    sent: report.sent.length,
    resumed: report.resumed.length,
    failed: report.failed.length,
    skipped: report.skipped.length,
    uncertain: report.uncertain.length,
  };
  if (report.completed) runtime.log.info(counts, "reminders: run completed");
  else runtime.log.warn(counts, "reminders: run left transient failures; it is retried later today");
  return report;
}

// ---------------------------------------------------------------- sending with retries

type Outcome = "delivered" | "failed" | "permanent";

/** One message being sent: its send-log key and chat, both following a chat that moved; how many parts it has. */
type Target = { key: string; chatId: string; agencyId?: string | null; parts?: number };

const uncertainNote = (day: string) => `⚠️ (Tiếp theo tin nhắc việc ngày ${viDate(day)}; phần ngay trước có thể đã không đến.)`;

class Sender {
  /** The first error that stopped the run (outcome unknown): no new message is started after it. */
  private stopped: unknown = null;

  constructor(
    private readonly runtime: Runtime,
    private readonly options: RunOptions,
    private readonly stamp: () => string,
    private readonly report: RunReport,
  ) {}

  /**
   * Run `work` for each target, `concurrency` chats at a time, the targets of one chat in
   * order (one after the other). Logs progress every `progressEvery` finished and a warning
   * for a message still unsent after `slowMs`. The first error thrown stops new work; it is
   * rethrown once the work in flight has finished.
   */
  async pool(targets: Target[], work: (target: Target, index: number) => Promise<void>): Promise<void> {
    if (targets.length === 0) return;
    const { runtime, options } = this;
    const lanes = new Map<string, number[]>();
    for (const [i, t] of targets.entries()) lanes.set(t.chatId, [...(lanes.get(t.chatId) ?? []), i]);
    // Longest lane first: a chat's parts go one a second (the throttler's per-group pace, as
    // Telegram asks), so a message of many parts started last would make the whole run wait.
    const weight = (lane: number[]) => lane.reduce((n, i) => n + (targets[i].parts ?? 1), 0);
    const queue = [...lanes.values()].sort((a, b) => weight(b) - weight(a));
    const size = Math.max(1, options.concurrency ?? runtime.config.REMINDER_CONCURRENCY);
    const slowMs = options.slowMs ?? DEFAULT_SLOW_MS;
    const every = Math.max(1, options.progressEvery ?? DEFAULT_PROGRESS_EVERY);
    const started = Date.now();
    let done = 0;

    const one = async (i: number) => {
      const target = targets[i];
      const began = Date.now();
      const timer = setTimeout(() => {
        runtime.log.warn(
          { chat: target.chatId, agency: target.agencyId ?? undefined, key: target.key, seconds: Math.round((Date.now() - began) / 1000) },
          "reminders: sending to this group is taking long; the other groups go on",
        );
      }, slowMs);
      timer.unref?.();
      try {
        await work(target, i);
      } finally {
        clearTimeout(timer);
        done++;
        if (done % every === 0 && done < targets.length)
          runtime.log.info(
            { done, total: targets.length, failed: this.report.failed.length, seconds: Math.round((Date.now() - started) / 1000) },
            "reminders: progress",
          );
      }
    };
    const worker = async () => {
      for (let lane = queue.shift(); lane && this.stopped === null; lane = queue.shift()) {
        for (const i of lane) {
          if (this.stopped !== null) break;
          try {
            await one(i);
          } catch (error) {
            if (this.stopped === null) this.stopped = error;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(size, queue.length) }, worker));
    runtime.log.info(
      { done, total: targets.length, failed: this.report.failed.length, seconds: Math.round((Date.now() - started) / 1000) },
      "reminders: messages sent",
    );
    if (this.stopped !== null) throw this.stopped;
  }

  /**
   * Send parts[from…] to the target's chat, recording each (see the file comment); the entry
   * must already exist. An uncertain part is counted delivered and the next part opens with
   * a note. `target` follows the chat if it moved.
   */
  async deliver(target: Target, partsIn: string[], buttons: Button[][], from: number, day?: string): Promise<Outcome> {
    const parts = [...partsIn];
    const last = parts.length - 1;
    for (let i = from; i <= last; i++) {
      const part = i + 1;
      let wired = 0;
      const error = await this.sendWithRetry(
        target,
        { text: parts[i], buttons: i === last && buttons.length ? buttons : undefined },
        {
          onWire: async () => {
            if (wired === part) return;
            wired = part;
            await this.record(target.key, { wirePart: part, wireAt: this.stamp() });
          },
          onRefused: async () => {
            if (wired !== part) return;
            wired = 0;
            await this.record(target.key, { wirePart: 0 });
          },
        },
      );
      if (error?.uncertain) {
        this.runtime.log.warn(
          { chat: target.chatId, key: target.key, part, err: error },
          "reminders: a part may or may not have arrived; counted delivered, not resent (at most once)",
        );
        const entry = sendLogEntry(this.runtime.store.read().sendLog, target.key);
        await this.record(target.key, {
          status: i === last ? "delivered" : "sending",
          partsDelivered: part,
          wirePart: 0,
          uncertainParts: [...(entry?.uncertainParts ?? []), part],
          error: undefined,
        });
        this.report.uncertain.push({ key: target.key, chatId: target.chatId, part });
        if (i < last) parts[i + 1] = `${uncertainNote(day ?? target.key.slice(0, 10))}\n${parts[i + 1]}`;
        continue;
      }
      if (error) {
        const permanent = error.permanent;
        this.runtime.log[permanent ? "error" : "warn"](
          { chat: target.chatId, key: target.key, part, err: error },
          "reminders: send failed",
        );
        await this.record(target.key, {
          status: "failed",
          partsDelivered: i,
          wirePart: 0,
          error: `${permanent ? "permanent" : "transient"}: ${error.message}`,
        });
        this.report.failed.push({ key: target.key, chatId: target.chatId, error: error.message, permanent });
        return permanent ? "permanent" : "failed";
      }
      await this.record(target.key, { status: i === last ? "delivered" : "sending", partsDelivered: part, wirePart: 0, error: undefined });
    }
    return "delivered";
  }

  async record(key: string, patch: Partial<SendLogEntry>): Promise<void> {
    await this.runtime.store.update((data) => {
      patchSendLogEntry(data.sendLog, key, { ...patch, updatedAt: this.stamp() });
      return { result: null };
    });
  }

  /**
   * null when sent; the SendError when it failed for good or is uncertain (never retried).
   * Other errors propagate (outcome unknown). A chat that moved is followed (`target` updated).
   */
  private async sendWithRetry(
    target: Target,
    message: { text: string; buttons?: Button[][] },
    watch: Pick<SendOptions, "onWire" | "onRefused">,
  ): Promise<SendError | null> {
    const retries = this.options.retries ?? 3;
    const backoff = this.options.backoffMs ?? 2000;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const onMoved = (to: string) => {
      target.key = movedKey(target.key, target.chatId, to);
      target.chatId = to;
    };
    for (let attempt = 0; ; attempt++) {
      try {
        await this.runtime.outbox.send(target.chatId, message, { ...watch, onMoved });
        return null;
      } catch (error) {
        if (!(error instanceof SendError)) throw error;
        if (error.uncertain || error.permanent || attempt >= retries) return error;
        this.runtime.log.warn({ chat: target.chatId, attempt: attempt + 1, err: error }, "reminders: send failed, retrying");
        await sleep(backoff * 4 ** attempt);
      }
    }
  }
}

// ---------------------------------------------------------------- interrupted messages

/**
 * Entries of an earlier run that did not finish: `sending` (crash: the part on the wire, if
 * any, is counted as delivered — at most once; a part not yet on the wire is sent) or
 * `failed` after some parts (resumed after them). Sent concurrently as new messages are.
 */
async function resumeInterrupted(runtime: Runtime, sender: Sender, settings: ReminderSettings, report: RunReport): Promise<void> {
  const data = runtime.store.read();
  const pending = data.sendLog.filter((e) => (e.kind === RUN_KIND || e.kind === "admin") && isUnfinishedSend(e));
  await sender.pool(
    pending.map((e) => ({ key: e.key, chatId: e.chatId })),
    async (target, i) => {
      const entry = pending[i];
      const crashed = entry.status === "sending";
      // Legacy entries (no wirePart) read as "the next part was on the wire".
      const onWire = crashed ? (entry.wirePart ?? entry.partsDelivered + 1) : 0;
      const uncertainPart = onWire > 0 && onWire <= entry.parts ? onWire : null;
      const from = uncertainPart ? Math.min(entry.parts, uncertainPart) : entry.partsDelivered;
      const uncertainParts = uncertainPart ? [...(entry.uncertainParts ?? []), uncertainPart] : entry.uncertainParts;
      if (uncertainPart) {
        report.uncertain.push({ key: entry.key, chatId: entry.chatId, part: uncertainPart });
        runtime.log.warn(
          { key: entry.key, part: uncertainPart },
          "reminders: interrupted send found; the part on the wire is not resent (at most once)",
        );
      } else if (crashed) {
        runtime.log.info({ key: entry.key, part: from + 1 }, "reminders: interrupted send found; the next part never left, sending it");
      }
      if (entry.kind !== RUN_KIND || from >= entry.parts) {
        // Nothing left to send (or an admin notice, not rebuilt): close the entry.
        await sender.record(entry.key, { status: "delivered", partsDelivered: entry.parts, wirePart: 0, uncertainParts });
        report.resumed.push({ key: entry.key, chatId: entry.chatId, partsSent: 0, uncertainPart });
        return;
      }
      const message = rebuild(runtime, entry, settings);
      const parts = message.parts.slice(from);
      if (parts.length === 0) {
        await sender.record(entry.key, { status: "delivered", partsDelivered: entry.parts, wirePart: 0, uncertainParts });
        report.resumed.push({ key: entry.key, chatId: entry.chatId, partsSent: 0, uncertainPart });
        return;
      }
      const note = uncertainPart
        ? `⚠️ (Tiếp theo tin nhắc việc ngày ${viDate(entry.day)}. Bot vừa khởi động lại; phần ngay trước có thể đã không đến.)`
        : from > 0
          ? `(Tiếp theo tin nhắc việc ngày ${viDate(entry.day)}.)`
          : null;
      const all = [...message.parts.slice(0, from), note ? `${note}\n${parts[0]}` : parts[0], ...parts.slice(1)];
      await sender.record(entry.key, { status: "sending", partsDelivered: from, parts: all.length, wirePart: 0, uncertainParts });
      const outcome = await sender.deliver(target, all, message.buttons, from, entry.day);
      if (outcome === "delivered")
        report.resumed.push({ key: target.key, chatId: target.chatId, partsSent: all.length - from, uncertainPart });
    },
  );
}

/** The message of a send-log entry, rebuilt from its item keys as it was on its day. */
function rebuild(runtime: Runtime, entry: SendLogEntry, settings: ReminderSettings): PlannedMessage {
  const state = reminderState(runtime, []); // rendering only: coverage is not asked
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
      d.sendLog.push(sendingEntry({ key, day, kind: "admin", chatId, parts: 1, at: runtime.now().toISOString() }));
      return { result: null };
    });
    await sender.deliver({ key, chatId }, [lines.join("\n")], [], 0, day);
  }
}
