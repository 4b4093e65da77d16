/**
 * Fan-out: one reminder to each of N groups (500; 100 with --quick) through the real path —
 * runReminders → outbox.send → the Telegram adapter (grammY with apiThrottler and autoRetry)
 * — against a fake Bot API that enforces Telegram's limits (30 messages/s overall, 20/min
 * per group), answering 429 with retry_after when they are broken; it runs in its own process
 * (./fake-api-child.ts), so its clock is not held up by the bot's work. Reports the achieved
 * rate as a fraction of the allowed 30/s, messages lost and duplicated, and 429s seen.
 */
import { newAssignment } from "../src/import/importer.ts";
import { copyStore } from "../src/store/copy.ts";
import { openFileStore } from "../src/store/file.ts";
import { openPostgresStore } from "../src/store/postgres.ts";
import { emptyDatabase, stopPgServer } from "../test/support/postgres.ts";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import pino from "pino";
import { buildRuntime } from "../src/boot/runtime.ts";
import { TelegramAdapter } from "../src/chat/telegram.ts";
import { parseConfig } from "../src/config.ts";
import { vnInstant } from "../src/core/calendar.ts";
import type { Assignment, Task } from "../src/core/schemas.ts";
import { runReminders } from "../src/reminders/dispatch.ts";
import { STORE_VERSION, StoreData } from "../src/store/types.ts";
import { spawn } from "node:child_process";
import {
  TOKEN_A,
  benchAgencies,
  exponent,
  steadySendLog,
  groupChatId,
  median,
  makeRegistry,
  nowMs,
  progress,
  round,
  tempDir,
  writeDataDir,
  type Row,
  type SectionOptions,
} from "./lib.ts";

const DAY = "2021-06-15";
const AT = vnInstant(DAY, "08:00");
const ALLOWED_PER_SECOND = 30;
const fmt = (n: number) => n.toLocaleString("en");

/** The national steady state (issue 14): escalations for the coordinator and months of send-log. */
type Steady = {
  /** Every n-th agency also has a task overdue since 01/06/2021: its escalation goes to the coordinator's group (a multi-part message). */
  overdueEvery: number;
  /** Working days of earlier daily runs in the send-log (one delivered reminder per group per day, 8 items each). */
  historyDays: number;
};

/**
 * `groups` agencies with a group each and one task due today (one reminder per group), on
 * top of `filler` tasks from a registry whose work is not due for months (no reminders);
 * `steady` adds overdue work escalated to the coordinator and months of send-log.
 */
function fanoutRegistry(groups: number, filler: number, steady?: Steady): StoreData {
  const { extra, ids } = benchAgencies(groups);
  // Filler work is all due in December: nothing to remind in June.
  const base = filler > 0 ? makeRegistry({ tasks: filler, agencies: groups, groups: 0 }) : null;
  for (const t of base?.tasks ?? []) t.deadline = { raw: "20/12/2021", kind: "date", milestones: [{ due: "2021-12-20" }] };
  const tasks: Task[] = [];
  const assignments: Assignment[] = [];
  ids.forEach((agencyId, i) => {
    const code = `R${i + 1}`;
    tasks.push({
      code,
      planId: "2021-fanout",
      section: "",
      area: "khac",
      title: `Báo cáo định kỳ ${code}`,
      content: `Báo cáo định kỳ ${code}`,
      product: "Báo cáo",
      leads: [{ raw: agencyId, agencyId }],
      coordinating: "",
      deadline: { raw: "15/6/2021", kind: "date", milestones: [{ due: DAY }] },
      removed: false,
    });
    assignments.push(newAssignment(code, agencyId));
    if (steady && i % steady.overdueEvery === 0) {
      const late = `E${i + 1}`;
      tasks.push({
        ...tasks[tasks.length - 1],
        code: late,
        title: `Rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý ${late}`,
        content: `Rà soát, đánh giá thủ tục hành chính ${late}`,
        deadline: { raw: "1/6/2021", kind: "date", milestones: [{ due: "2021-06-01" }] },
      });
      assignments.push(newAssignment(late, agencyId));
    }
  });
  return StoreData.parse({
    version: STORE_VERSION,
    plans: [
      {
        id: "2021-fanout",
        number: "1/KH-UBND",
        issuer: "UBND tỉnh",
        signed: "2020-12-28",
        title: "Kế hoạch thử",
        year: 2021,
        importedAt: "2021-01-04T01:00:00.000Z",
      },
      ...(base?.plans ?? []),
    ],
    tasks: [...tasks, ...(base?.tasks ?? [])],
    assignments: [...assignments, ...(base?.assignments ?? [])],
    extraAgencies: extra,
    bindings: ids.map((agencyId, i) => ({
      chatId: groupChatId(i),
      platform: "tg",
      agencyId,
      title: `Nhóm ${agencyId}`,
      boundBy: "tg:1001",
      boundAt: "2021-01-05T02:00:00.000Z",
    })),
  });
}

type Received = {
  sent: { chat_id: string; text?: string; at: number }[];
  calls: { method: string; chat_id: string; at: number }[];
  rejected429: number;
};

/** The fake Bot API in its own process (./fake-api-child.ts): its address, what it received (then it exits), stop. */
async function remoteFakeApi(): Promise<{ apiRoot: string; dump: () => Promise<Received>; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", new URL("./fake-api-child.ts", import.meta.url).pathname], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  let buffer = "";
  const lines: string[] = [];
  let wake: (() => void) | null = null;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      lines.push(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
    wake?.();
  });
  let closed = false;
  child.on("close", () => {
    closed = true; // after its last output
    wake?.();
  });
  const next = async (): Promise<string> => {
    while (lines.length === 0) {
      if (closed) throw new Error("fake Bot API process ended");
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    return lines.shift()!;
  };
  const ready = await next();
  if (!ready.startsWith("READY ")) throw new Error(`fake Bot API: ${ready}`);
  return {
    apiRoot: ready.slice(6),
    async dump() {
      child.stdin.write("dump\n");
      return JSON.parse(await next()) as Received;
    },
    async stop() {
      if (child.exitCode === null) child.kill();
    },
  };
}

/**
 * `paced`: instead of the adapter's throttler (apiThrottler defaults: 30 per fixed 1-second
 * window, so up to 60 can go out within one sliding second), the same throttler with
 * minTime 34 ms — never more than 30 in any second — to show what a 429 costs.
 */
async function scenario(
  groups: number,
  filler: number,
  paced = false,
  store: "file" | "postgres" = "file",
  steady?: Steady,
): Promise<{ rows: Row[]; storeMs: number; elapsed: number }> {
  const api = await remoteFakeApi();
  const { dir, cleanup } = await tempDir("dondoc-bench-fanout-");
  const rows: Row[] = [];
  let storeMs = 0;
  let elapsed = 0;
  try {
    const data = fanoutRegistry(groups, filler, steady);
    const history = steady ? steadySendLog(DAY, groups, steady.historyDays) : { sendLog: [], archive: [] };
    data.sendLog = history.sendLog;
    await writeDataDir(dir, data, 0, history.archive);
    const log = pino({ level: "silent" });
    let DATABASE_URL: string | undefined;
    if (store === "postgres") {
      // The same registry copied into a fresh database of an embedded server (127.0.0.1).
      DATABASE_URL = await emptyDatabase();
      const [from, to] = [await openFileStore(dir), await openPostgresStore(DATABASE_URL)];
      await copyStore(from, to);
      await Promise.all([from.close(), to.close()]);
    }
    const config = parseConfig({
      TELEGRAM_BOT_TOKEN: TOKEN_A,
      TELEGRAM_API_ROOT: api.apiRoot,
      DATA_DIR: dir,
      LOG_LEVEL: "silent",
      DATABASE_URL,
    });
    const app = await buildRuntime(config, log, () => AT);
    const adapter = new TelegramAdapter({ token: TOKEN_A, apiRoot: api.apiRoot, log, throttle: !paced });
    if (paced)
      adapter.bot.api.config.use(
        apiThrottler({ global: { reservoir: 30, reservoirRefreshAmount: 30, reservoirRefreshInterval: 1000, minTime: 34 } }),
      );
    app.outbox.attach(adapter);
    let writes = 0;
    const latencies: number[] = [];
    const update = app.store.update.bind(app.store);
    app.store.update = (async (fn: never) => {
      writes++;
      const t = nowMs();
      try {
        return await update(fn);
      } finally {
        latencies.push(nowMs() - t);
        storeMs += nowMs() - t;
      }
    }) as typeof app.store.update;

    progress(`fanout: ${groups} groups, registry of ${fmt(data.tasks.length)} tasks`);
    const t0 = nowMs();
    const report = await runReminders(app, AT);
    elapsed = (nowMs() - t0) / 1000;
    await app.store.close();

    // A message may have several parts: count (chat, text) pairs.
    const expected = new Set(report.planned.filter((m) => m.chatId).flatMap((m) => m.parts.map((p) => `${m.chatId!.slice(3)}|${p}`)));
    const planned = expected.size;
    const received = await api.dump();
    const sends = received.sent.filter((m) => m.text !== undefined);
    const seen = new Set<string>();
    let duplicated = 0;
    for (const m of sends) {
      const key = `${m.chat_id}|${m.text}`;
      if (seen.has(key)) duplicated++;
      seen.add(key);
    }
    const lost = [...expected].filter((k) => !seen.has(k)).length;
    const firstAt = Math.min(...sends.map((m) => m.at));
    const lastAt = Math.max(...sends.map((m) => m.at));
    const rate = sends.length / elapsed;
    // Time from each 429 answer to the next attempt: autoRetry honouring retry_after, during
    // which the serial fan-out stands still.
    const delivered = new Set(received.sent.map((m) => `${m.chat_id}|${m.at}`));
    const attempts = received.calls.filter((c) => c.method === "sendMessage");
    let paused = 0;
    attempts.forEach((c, i) => {
      if (!delivered.has(`${c.chat_id}|${c.at}`) && attempts[i + 1]) paused += attempts[i + 1].at - c.at;
    });
    const label =
      `${groups} groups, ${fmt(data.tasks.length)} tasks${paced ? ", throttler minTime 34 ms" : ""}${store === "postgres" ? ", PostgreSQL" : ""}` +
      (steady ? `, send-log of ${steady.historyDays} working days (${fmt(history.sendLog.length + history.archive.length)} entries)` : "");
    const multi = report.planned.filter((m) => m.chatId && m.parts.length > 1);
    rows.push({
      section: "fanout",
      case: `reminders to ${label}: elapsed`,
      value: round(elapsed, 1),
      unit: "s",
      note:
        `${planned} messages planned, ${sends.length} delivered; first→last delivery ${round((lastAt - firstAt) / 1000, 1)} s` +
        (multi.length
          ? `; ${multi.length} group(s) got ${multi.map((m) => m.parts.length).join(", ")} parts (the coordinator's escalations)`
          : ""),
    });
    rows.push({
      section: "fanout",
      case: `  achieved rate / allowed (${ALLOWED_PER_SECOND}/s)`,
      value: round(rate / ALLOWED_PER_SECOND, 2),
      unit: "fraction",
      note: `${round(rate, 1)} msgs/s; ${round((100 * storeMs) / 1000 / elapsed)}% of the run in store updates (${writes} durable writes, ${round(storeMs / writes, 1)} ms each, median ${round(median(latencies), 1)} ms)`,
    });
    rows.push({
      section: "fanout",
      case: `  lost / duplicated / 429 answers`,
      value: `${lost} / ${duplicated} / ${received.rejected429}`,
      unit: "count",
      note: `${round(paused / 1000, 1)} s paused on retry_after; failed ${report.failed.length}, skipped ${report.skipped.length}`,
    });
  } finally {
    await api.stop();
    await cleanup();
  }
  return { rows, storeMs, elapsed };
}

export async function run({ quick }: SectionOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const small = await scenario(100, 0);
  if (quick) rows.push(...small.rows);
  else {
    const full = await scenario(500, 0);
    rows.push(...full.rows, ...small.rows);
    rows.push({
      section: "fanout",
      case: "growth 100 → 500 groups: time in store updates",
      value: round(exponent(100, small.storeMs, 500, full.storeMs), 2),
      unit: "exponent",
      note: "≥ 2 durable writes per message; with the JSON file each is an fsync'd append to journal.jsonl (store.json is a checkpoint)",
    });
  }
  // The same throttler paced so that no second ever holds more than 30 sends: no 429.
  rows.push(...(await scenario(100, 0, true)).rows);
  // The same protocol on a national registry: with the JSON file, each send-log write is an append to journal.jsonl…
  rows.push(...(await scenario(quick ? 10 : 30, 10_000)).rows);
  // …and on PostgreSQL, where it writes the send-log rows that changed.
  try {
    rows.push(...(await scenario(quick ? 10 : 30, 10_000, false, "postgres")).rows);
    // The national steady state on PostgreSQL: 500 groups (100 quick), 10k tasks, escalations
    // to the coordinator in several parts (20/min per group applies), four months of send-log.
    const steady = { overdueEvery: 3, historyDays: quick ? 20 : 85 };
    rows.push(...(await scenario(quick ? 100 : 500, 10_000, false, "postgres", steady)).rows);
  } finally {
    await stopPgServer();
  }
  return rows;
}
