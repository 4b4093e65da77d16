/**
 * Scheduled digests to the Sở Nội vụ group: a weekly one (DIGEST_WEEKLY, default Monday
 * 08:30) and a quarter one some working days before each quarter ends (DIGEST_QUARTER,
 * default 5 working days, 08:30), so the quarterly report can be written from it.
 *
 * What is due at an instant is decided by `digestsDue` (pure): nothing on a non-working day
 * (a weekly digest whose day is a holiday is skipped, not moved), nothing before its time,
 * nothing whose `${day}|digest-…` key is in the run log. When both fall on the same day only
 * the quarter digest is sent (it says everything the weekly one would), and both keys are
 * recorded.
 *
 * Delivery follows the reminders' send protocol (src/reminders/dispatch.ts): each chat's text
 * has a send-log entry `${day}|${kind}|${chatId}`, recorded `sending` before, `wirePart` 1
 * when its request leaves (`onWire`), `delivered` after. A run that fails (the store, the
 * figures) or leaves a transient send failure keeps its run-log entry without `completedAt`
 * and is run again the same day (`digestJob`'s retry tick): chats already delivered are
 * skipped, a text that never left is sent, and a text whose request was on the wire at a
 * crash (or an uncertain send) is counted delivered — at most once, never twice. A chat that
 * moved to a new id is followed (the outbox moves its binding).
 *
 * Each digest: the summary text with its buttons, then the chart, then (quarter) the .xlsx;
 * a chart or file that cannot be made or sent is logged and never takes the text with it.
 */
import { agencyOfChat } from "../domain/bindings.ts";
import { oneAtATime } from "../store/exclusive.ts";
import { schedule, type ScheduledTask } from "node-cron";
import type { Runtime } from "../bot/runtime.ts";
import { digestButtons } from "../bot/buttons.ts";
import { TIMEZONE } from "../config.ts";
import { quarterEnd, quarterOf, vnDateTime, type WorkCalendar } from "../core/calendar.ts";
import { platformName, SendError } from "../chat/types.ts";
import type { OutboxSendOptions } from "../bot/outbox.ts";
import type { RunLogEntry, SendLogEntry } from "../core/schemas.ts";
import { movedKey, patchSendLogEntry, putSendLogEntry, sendLogEntry, sendingEntry } from "../core/sendlog.ts";
import { viDate } from "../core/text.ts";
import type { Job } from "./job.ts";
import { backgroundRuns } from "./background.ts";
import { retryTask, SameDayRetry, stopTasks, type RetryOptions } from "./retry.ts";
import { digestSettings, type DigestSettings } from "../digest/settings.ts";

export { DEFAULT_DIGEST_SETTINGS, DigestSettings, digestSettings } from "../digest/settings.ts";
import { digestChart } from "../digest/chart.ts";
import { quarterPeriod, type Digest } from "../digest/figures.ts";
import { digestFor, periodArgs } from "../digest/request.ts";
import { summaryText } from "../digest/text.ts";
import { digestWorkbook, reportFileName } from "../digest/xlsx.ts";

export type DigestKind = "digest-weekly" | "digest-quarter";

export type DueDigest = { kind: DigestKind; day: string; key: string };

/** The run-log key of a digest run: `2021-03-29|digest-weekly`. */
export const digestRunKey = (day: string, kind: DigestKind) => `${day}|${kind}`;

/** The day of the quarter digest for the quarter `q` of `year`. */
export function quarterDigestDay(year: number, q: number, calendar: WorkCalendar, workingDaysBefore: number): string {
  return calendar.addWorkingDays(quarterEnd(year, q), -workingDaysBefore);
}

/** The digests due at `now` and not yet run today (see the file comment). Pure. */
export function digestsDue(now: Date, calendar: WorkCalendar, runLog: readonly RunLogEntry[], settings: DigestSettings): DueDigest[] {
  const { day, time, dayOfWeek } = vnDateTime(now);
  if (!calendar.isWorkingDay(day)) return [];
  const ran = new Set(runLog.map((r) => r.key));
  const due: DueDigest[] = [];
  const push = (kind: DigestKind) => {
    if (!ran.has(digestRunKey(day, kind))) due.push({ kind, day, key: digestRunKey(day, kind) });
  };
  const { weekly, quarter } = settings;
  if (weekly && dayOfWeek === weekly.dayOfWeek && time >= weekly.time) push("digest-weekly");
  // At most 40 working days back: always inside the quarter itself.
  if (
    quarter &&
    time >= quarter.time &&
    quarterDigestDay(Number(day.slice(0, 4)), quarterOf(day), calendar, quarter.workingDaysBefore) === day
  ) {
    push("digest-quarter");
  }
  return due;
}

/**
 * Sends one digest to one chat: text first (its SendError is thrown: the caller records it),
 * then the chart and (quarter) the .xlsx, each on its own (a failure is logged, not thrown).
 * `options` watch the text's send (the send-log's `onWire`, a chat that moved).
 */
export async function sendDigest(
  runtime: Runtime,
  chatId: string,
  digest: Digest,
  kind: DigestKind,
  options: OutboxSendOptions & { afterText?: () => Promise<void> } = {},
): Promise<{ text: boolean; chart: boolean; xlsx: boolean }> {
  const quarterly = kind === "digest-quarter";
  const args = periodArgs(digest.period);
  const lines = [summaryText(digest, { title: quarterly ? "TỔNG HỢP QUÝ" : "TỔNG HỢP TUẦN", more: `/tongket ${args} chitiet` })];
  if (quarterly)
    lines.push(`🗓 Quý kết thúc ngày ${viDate(digest.period.to)}: tệp Excel cho báo cáo quý gửi kèm (/xuatbaocao ${args} để lấy lại).`);
  const result = { text: false, chart: false, xlsx: false };
  let target = chatId;
  const { afterText, ...sendOptions } = options;
  await runtime.outbox.send(
    target,
    { text: lines.join("\n"), buttons: digestButtons(args) },
    {
      ...sendOptions,
      onMoved: async (to) => {
        target = to;
        await options.onMoved?.(to);
      },
    },
  );
  result.text = true;
  await afterText?.();
  await sendExtras(runtime, target, digest, kind, result);
  return result;
}

async function sendExtras(
  runtime: Runtime,
  chatId: string,
  digest: Digest,
  kind: DigestKind,
  result: { chart: boolean; xlsx: boolean },
): Promise<void> {
  try {
    const chart = await digestChart(digest);
    await runtime.outbox.sendFile(chatId, {
      name: reportFileName(digest, "png").replace(/^tong-ket/, "bieu-do"),
      data: chart.png,
      kind: "photo",
      caption: `📊 Tỷ lệ hoàn thành theo cơ quan — ${digest.period.label}`,
    });
    result.chart = true;
  } catch (error) {
    runtime.log.warn({ err: error, chatId, kind }, "digest: chart not sent");
  }
  if (kind === "digest-quarter") {
    try {
      const data = await digestWorkbook(digest, { now: runtime.now() });
      await runtime.outbox.sendFile(chatId, {
        name: reportFileName(digest),
        data,
        kind: "document",
        caption: `📥 Báo cáo CCHC ${digest.period.label}`,
      });
      result.xlsx = true;
    } catch (error) {
      runtime.log.warn({ err: error, chatId, kind }, "digest: xlsx not sent");
    }
  }
}

/**
 * One digest run: its day, the kinds it covers, the kind sent (null: no chat bound), the
 * chats, and whether it is complete (false: a transient failure is left, retried today).
 */
export type DigestRun = {
  day: string;
  kinds: DigestKind[];
  sent: DigestKind | null;
  chats: string[];
  complete: boolean;
  /** A forced run (`:tongket`): the chats its text did not reach, and why. */
  failed?: { chatId: string; error: string }[];
};

const DIGEST_KINDS: readonly string[] = ["digest-weekly", "digest-quarter"];
/** The day the "no bound chat" warning was last logged, per store. */
const noChatWarned = new WeakMap<object, string>();

/**
 * Runs what is due at `now` (or `force`, outside the schedule, the run log and the send-log):
 * the province's figures for the quarter `now` is in, as of that day, to every chat of the
 * coordinating agency — and finishes today's run left incomplete (see the file comment).
 * Returns null when nothing is due. Throws when the run could not go on (the store, the
 * figures): its run-log entry stays incomplete and the next call retries it.
 */
export function runDigests(
  runtime: Runtime,
  now: Date,
  options: { settings?: DigestSettings; force?: DigestKind } = {},
): Promise<DigestRun | null> {
  // One run at a time, across the processes sharing the store (the run-log is read inside).
  return oneAtATime(runtime.store, "digests", () => runDigestsNow(runtime, now, options));
}

async function runDigestsNow(
  runtime: Runtime,
  now: Date,
  options: { settings?: DigestSettings; force?: DigestKind },
): Promise<DigestRun | null> {
  const settings = options.settings ?? digestSettings(runtime.config);
  const { day } = vnDateTime(now);
  const runLog = runtime.store.read().runLog;
  const due = options.force
    ? [{ kind: options.force, day, key: digestRunKey(day, options.force) }]
    : [
        ...digestsDue(now, runtime.calendar, runLog, settings),
        ...(runtime.calendar.isWorkingDay(day) ? runLog : [])
          .filter((r) => r.day === day && DIGEST_KINDS.includes(r.kind) && !r.completedAt)
          .map((r) => ({ kind: r.kind as DigestKind, day, key: r.key })),
      ];
  if (due.length === 0) return null;
  const kinds = due.map((d) => d.kind);
  const chats = runtime.outbox.coordinatorChats();
  if (chats.length === 0) {
    // Not recorded: the retry tick sends it once a group is bound later today (warned once a day).
    const first = noChatWarned.get(runtime.store) !== day;
    noChatWarned.set(runtime.store, day);
    runtime.log[first ? "warn" : "debug"]({ day, kinds }, "digest: the coordinating agency has no bound chat");
    return { day, kinds, sent: null, chats, complete: true };
  }
  if (!options.force) {
    await runtime.store.update((data) => {
      const fresh = due.filter((d) => !data.runLog.some((r) => r.key === d.key));
      data.runLog = [...data.runLog, ...fresh.map((d) => ({ key: d.key, day, kind: d.kind, startedAt: now.toISOString() }))];
      return { result: null };
    });
  }
  const kind: DigestKind = kinds.includes("digest-quarter") ? "digest-quarter" : "digest-weekly";
  const digest = await digestFor({ ...runtime, directory: runtime.directory() }, { period: quarterPeriod(day), filter: {} }, now);
  if (options.force) {
    const failed: { chatId: string; error: string }[] = [];
    for (const chatId of chats) {
      await sendDigest(runtime, chatId, digest, kind).catch((error: unknown) => {
        runtime.log.error({ err: error, chatId, kind }, "digest: text not sent");
        failed.push({ chatId, error: error instanceof Error ? error.message : String(error) });
      });
    }
    return { day, kinds, sent: kind, chats, complete: failed.length === 0, failed };
  }

  let transient = 0;
  for (const chatId of chats) {
    if ((await deliverDigest(runtime, chatId, digest, kind, day)) === "transient") transient++;
  }
  const complete = transient === 0;
  if (complete) {
    const keys = new Set(due.map((d) => d.key));
    const stamp = runtime.now().toISOString();
    await runtime.store.update((data) => {
      data.runLog = data.runLog.map((r) => (keys.has(r.key) ? { ...r, completedAt: stamp } : r));
      return { result: null };
    });
    runtime.log.info({ day, kind, chats: chats.length }, "digest: sent");
  } else {
    runtime.log.warn({ day, kind, chats: chats.length, failed: transient }, "digest: not every chat got it; retried later today");
  }
  return { day, kinds, sent: kind, chats: chats.map((c) => runtime.outbox.current(c)), complete };
}

/** One chat's digest under the send protocol: "done" (delivered, counted delivered, or permanently refused) or "transient". */
async function deliverDigest(
  runtime: Runtime,
  chatId: string,
  digest: Digest,
  kind: DigestKind,
  day: string,
): Promise<"done" | "transient"> {
  const target = { key: `${day}|${kind}|${chatId}`, chatId };
  const stamp = () => runtime.now().toISOString();
  const record = async (patch: Partial<SendLogEntry>): Promise<void> => {
    await runtime.store.update((data) => {
      patchSendLogEntry(data.sendLog, target.key, { ...patch, updatedAt: stamp() });
      return { result: null };
    });
  };
  const existing = sendLogEntry(runtime.store.read().sendLog, target.key);
  if (existing?.status === "delivered" || existing?.error?.startsWith("permanent")) return "done";
  if (existing?.status === "sending" && (existing.wirePart ?? 1) > 0) {
    runtime.log.warn({ chat: chatId, kind }, "digest: interrupted while its text was on the wire; counted delivered (at most once)");
    await record({ status: "delivered", partsDelivered: 1, wirePart: 0, uncertainParts: [1] });
    return "done";
  }
  await runtime.store.update((data) => {
    const entry = sendingEntry({ key: target.key, day, kind, chatId, parts: 1, at: stamp() });
    putSendLogEntry(data.sendLog, entry);
    return { result: null };
  });
  let wired = false;
  try {
    await sendDigest(runtime, chatId, digest, kind, {
      onWire: async () => {
        if (wired) return;
        wired = true;
        await record({ wirePart: 1, wireAt: stamp() });
      },
      onRefused: async () => {
        if (!wired) return;
        wired = false;
        await record({ wirePart: 0 });
      },
      onMoved: (to) => {
        target.key = movedKey(target.key, target.chatId, to);
        target.chatId = to;
      },
      afterText: () => record({ status: "delivered", partsDelivered: 1, wirePart: 0, error: undefined }),
    });
  } catch (error) {
    if (!(error instanceof SendError)) throw error;
    if (error.uncertain) {
      runtime.log.warn({ chat: target.chatId, kind, err: error }, "digest: text may or may not have arrived; counted delivered");
      await record({ status: "delivered", partsDelivered: 1, wirePart: 0, uncertainParts: [1] });
      return "done";
    }
    runtime.log.error({ chat: target.chatId, kind, err: error }, "digest: text not sent");
    await record({ status: "failed", wirePart: 0, error: `${error.permanent ? "permanent" : "transient"}: ${error.message}` });
    return error.permanent ? "done" : "transient";
  }
  return "done";
}

/** The digests' same-day retry (src/jobs/retry.ts): runs what is due or left incomplete today. */
export function digestRetry(runtime: Runtime, settings: DigestSettings = digestSettings(runtime.config), options?: RetryOptions) {
  return new SameDayRetry(
    "digest",
    runtime.log,
    async (now) => {
      const run = await runDigests(runtime, now, { settings });
      return run && !run.complete ? "retry" : "done";
    },
    options,
  );
}

/**
 * The weekly and quarter digests at their configured times, a catch-up at start, a retry tick
 * every RETRY_TICK (a run missed by node-cron, failed or left incomplete is done the same day),
 * and `:tongket`.
 */
export function digestJob(runtime: Runtime): Job {
  const tasks: ScheduledTask[] = [];
  const runs = backgroundRuns(runtime.log, "digest");
  const track = runs.track;

  return {
    async start() {
      const settings = digestSettings(runtime.config);
      const retry = digestRetry(runtime, settings);
      const times = new Set([settings.weekly?.time, settings.quarter?.time].filter((t): t is string => Boolean(t)));
      for (const time of times) {
        const [hour, minute] = time.split(":").map(Number);
        const task = schedule(`${minute} ${hour} * * *`, () => track(() => retry.tick(runtime.now(), true)), {
          timezone: TIMEZONE,
          noOverlap: true,
          name: `dondoc-digest-${time}`,
        });
        task.on("execution:missed", (context) => {
          runtime.log.warn(
            { slot: context.date.toISOString() },
            "digest: node-cron missed the scheduled time (busy event loop); running now",
          );
          void track(() => retry.tick(runtime.now(), true));
        });
        tasks.push(task);
      }
      if (times.size > 0) {
        tasks.push(retryTask("dondoc-digest-retry", () => track(() => retry.tick(runtime.now()))));
      }
      await track(() => retry.tick(runtime.now(), true));
    },

    async stop() {
      await stopTasks(tasks);
      await runs.idle();
    },

    localCommands: [
      {
        name: "tongket",
        usage: "tongket [tuan|quy]",
        description: "gửi ngay bản tổng hợp tuần (hoặc quý) tới nhóm Sở Nội vụ, theo đồng hồ thử",
        async run(args) {
          const kind: DigestKind = /^(quy|quý)$/i.test(args.trim()) ? "digest-quarter" : "digest-weekly";
          const run = await track(() => runDigests(runtime, runtime.now(), { force: kind }));
          if (!run) return "Tổng hợp bị lỗi, xem nhật ký.";
          if (!run.sent) return "Chưa có nhóm nào gắn với Sở Nội vụ: gõ :nhom so-noi-vu rồi thử lại.";
          const what = `bản tổng hợp ${kind === "digest-quarter" ? "quý" : "tuần"}`;
          const failed = run.failed ?? [];
          if (failed.length === 0) return `Đã gửi ${what} tới ${run.chats.length} nhóm.`;
          return [
            `Đã gửi ${what} tới ${run.chats.length - failed.length}/${run.chats.length} nhóm. Không gửi được tới:`,
            ...failed.map((f) => {
              const agency = agencyOfChat(runtime.store.read(), f.chatId);
              return `• ${agency ? runtime.directory().nameOf(agency) : "nhóm chưa gắn cơ quan"} (${f.chatId}) — ${platformName(f.chatId)} trả lời: ${f.error}`;
            }),
            "Thử lại :tongket sau ít phút, hoặc kiểm tra bot còn trong nhóm đó.",
          ].join("\n");
        },
      },
    ],
  };
}
