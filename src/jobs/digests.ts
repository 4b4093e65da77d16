/**
 * Scheduled digests to the Sở Nội vụ group: a weekly one (DIGEST_WEEKLY, default Monday
 * 08:30) and a quarter one some working days before each quarter ends (DIGEST_QUARTER,
 * default 5 working days, 08:30), so the quarterly report can be written from it.
 *
 * What is due at an instant is decided by `digestsDue` (pure): nothing on a non-working day
 * (a weekly digest whose day is a holiday is skipped, not moved), nothing before its time,
 * nothing whose `${day}|digest-…` key is in the run log. A run records its keys before
 * sending, so a digest is never sent twice the same day, even after a crash mid-send (it is
 * then lost for that day rather than doubled). When both fall on the same day only the
 * quarter digest is sent (it says everything the weekly one would), and both keys are
 * recorded. node-cron only ticks at the configured times; `start()` catches up a run missed
 * earlier today while the bot was down.
 *
 * Each digest: the summary text with its buttons, then the chart, then (quarter) the .xlsx;
 * a chart or file that cannot be made or sent is logged and never takes the text with it.
 */
import { schedule, type ScheduledTask } from "node-cron";
import type { Runtime } from "../bot/runtime.ts";
import { digestButtons } from "../bot/buttons.ts";
import { TIMEZONE } from "../config.ts";
import { quarterEnd, quarterOf, vnDateTime, type WorkCalendar } from "../core/calendar.ts";
import type { RunLogEntry } from "../core/schemas.ts";
import { viDate } from "../core/text.ts";
import type { Job } from "./job.ts";
import { backgroundRuns } from "./background.ts";
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

/** Sends one digest to one chat: text first; chart and (quarter) .xlsx each on their own. */
export async function sendDigest(
  runtime: Runtime,
  chatId: string,
  digest: Digest,
  kind: DigestKind,
): Promise<{ text: boolean; chart: boolean; xlsx: boolean }> {
  const quarterly = kind === "digest-quarter";
  const args = periodArgs(digest.period);
  const lines = [summaryText(digest, { title: quarterly ? "TỔNG HỢP QUÝ" : "TỔNG HỢP TUẦN", more: `/tongket ${args} chitiet` })];
  if (quarterly)
    lines.push(`🗓 Quý kết thúc ngày ${viDate(digest.period.to)}: tệp Excel cho báo cáo quý gửi kèm (/xuatbaocao ${args} để lấy lại).`);
  const result = { text: false, chart: false, xlsx: false };
  try {
    await runtime.outbox.send(chatId, { text: lines.join("\n"), buttons: digestButtons(args) });
    result.text = true;
  } catch (error) {
    runtime.log.error({ err: error, chatId, kind }, "digest: text not sent");
    return result;
  }
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
  if (quarterly) {
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
  return result;
}

export type DigestRun = { day: string; kinds: DigestKind[]; sent: DigestKind | null; chats: string[] };

/**
 * Runs what is due at `now` (or `force`, outside the schedule and the run log): the
 * province's figures for the quarter `now` is in, as of that day, to every chat of the
 * coordinating agency.
 */
export async function runDigests(
  runtime: Runtime,
  now: Date,
  options: { settings?: DigestSettings; force?: DigestKind } = {},
): Promise<DigestRun | null> {
  const settings = options.settings ?? digestSettings(runtime.config);
  const { day } = vnDateTime(now);
  const due = options.force
    ? [{ kind: options.force, day, key: digestRunKey(day, options.force) }]
    : digestsDue(now, runtime.calendar, runtime.store.read().runLog, settings);
  if (due.length === 0) return null;
  const chats = runtime.outbox.coordinatorChats();
  if (chats.length === 0) {
    runtime.log.warn({ day, kinds: due.map((d) => d.kind) }, "digest: the coordinating agency has no bound chat");
    return { day, kinds: due.map((d) => d.kind), sent: null, chats };
  }
  let claimed = due;
  if (!options.force) {
    claimed = await runtime.store.update((data) => {
      const fresh = due.filter((d) => !data.runLog.some((r) => r.key === d.key));
      data.runLog = [...data.runLog, ...fresh.map((d) => ({ key: d.key, day, kind: d.kind, startedAt: now.toISOString() }))];
      return { result: fresh };
    });
    if (claimed.length === 0) return null;
  }
  const kind: DigestKind = claimed.some((d) => d.kind === "digest-quarter") ? "digest-quarter" : "digest-weekly";
  const digest = await digestFor({ ...runtime, directory: runtime.directory() }, { period: quarterPeriod(day), filter: {} }, now);
  for (const chatId of chats) await sendDigest(runtime, chatId, digest, kind);
  if (!options.force) {
    const keys = new Set(claimed.map((d) => d.key));
    const stamp = runtime.now().toISOString();
    await runtime.store.update((data) => {
      data.runLog = data.runLog.map((r) => (keys.has(r.key) ? { ...r, completedAt: stamp } : r));
      return { result: null };
    });
  }
  runtime.log.info({ day, kind, chats: chats.length }, "digest: sent");
  return { day, kinds: claimed.map((d) => d.kind), sent: kind, chats };
}

/** The weekly and quarter digests at their configured times, a catch-up at start, and `:tongket`. */
export function digestJob(runtime: Runtime): Job {
  const tasks: ScheduledTask[] = [];
  const runs = backgroundRuns(runtime.log, "digest");
  const track = runs.track;

  return {
    async start() {
      const settings = digestSettings(runtime.config);
      const times = new Set([settings.weekly?.time, settings.quarter?.time].filter((t): t is string => Boolean(t)));
      for (const time of times) {
        const [hour, minute] = time.split(":").map(Number);
        tasks.push(
          schedule(`${minute} ${hour} * * *`, () => track(() => runDigests(runtime, runtime.now(), { settings })), {
            timezone: TIMEZONE,
            noOverlap: true,
            name: `dondoc-digest-${time}`,
          }),
        );
      }
      await track(() => runDigests(runtime, runtime.now(), { settings }));
    },

    async stop() {
      for (const task of tasks.splice(0)) {
        await task.stop();
        await task.destroy();
      }
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
          return `Đã gửi bản tổng hợp ${kind === "digest-quarter" ? "quý" : "tuần"} tới ${run.chats.length} nhóm.`;
        },
      },
    ],
  };
}
