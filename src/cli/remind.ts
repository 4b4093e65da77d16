/**
 * npm run remind -- [--at 2021-03-25T08:00] [--dry-run] [--json]
 *
 * --dry-run: prints what the reminder run would send at that instant (Vietnam time; default
 * now) from the store in DATA_DIR, and sends nothing, writes nothing. It works while the bot
 * is running too: if the data directory is locked by the bot, it reads a snapshot of
 * store.json (with journal.jsonl) and events.jsonl instead.
 *   --json: `[{ agencyId, chatId, items: [{ code, due, reason, days }], text }]`;
 *   chatId is null for an agency without a bound chat (its items go to the coordinator).
 *
 * Without --dry-run it sends for real, through Telegram, exactly as the bot's daily run
 * (same send-log, so nothing already sent is sent again): it needs TELEGRAM_BOT_TOKEN, and
 * the bot must not be running (the data directory lock refuses it). --at is refused then:
 * real sends use the real clock.
 */
import type { Runtime } from "../bot/runtime.ts";
import { TelegramAdapter } from "../chat/telegram.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../logger.ts";
import { buildRuntime } from "../boot/runtime.ts";
import { parseLocalInstant } from "../core/calendar.ts";
import { runReminders, type RunReport } from "../reminders/dispatch.ts";
import { fail, unexpected, readCli } from "./args.ts";
import { openForReading } from "./open.ts";

const USAGE = "Cách dùng: npm run remind -- [--at 2021-03-25T08:00] [--dry-run] [--json]";

async function main(): Promise<void> {
  const { flags: options } = readCli(process.argv.slice(2), {
    usage: USAGE,
    flags: { at: { type: "string" }, "dry-run": { type: "boolean" }, json: { type: "boolean" } },
  });
  const dryRun = Boolean(options["dry-run"]);
  const config = loadConfig();
  const at = options.at === undefined ? new Date() : parseLocalInstant(options.at, config.REMINDER_TIME);
  if (!at) fail(`--at không hợp lệ: «${options.at}». Ví dụ: --at 2021-03-25T08:00 (giờ Việt Nam).\n${USAGE}`);
  if (!dryRun) {
    if (!config.TELEGRAM_BOT_TOKEN) fail("Không có TELEGRAM_BOT_TOKEN: không gửi thật được. Dùng --dry-run để xem trước.");
    if (options.at !== undefined) fail("--at chỉ dùng với --dry-run: gửi thật luôn theo giờ hiện tại.");
  }
  const log = createLogger("warn");

  const runtime = dryRun ? await openForReading(config, log, () => at) : await buildRuntime(config, log, undefined, { chat: false });
  try {
    if (!dryRun) {
      runtime.outbox.attach(new TelegramAdapter({ token: config.TELEGRAM_BOT_TOKEN!, apiRoot: config.TELEGRAM_API_ROOT, log }));
    }
    const report = await runReminders(runtime, at, { dryRun });
    if (options.json) process.stdout.write(`${JSON.stringify(asJson(report), null, 2)}\n`);
    else process.stdout.write(`${readable(runtime, report)}\n`);
  } finally {
    await runtime.store.close();
  }
}

function asJson(report: RunReport) {
  return report.planned.map((m) => ({
    agencyId: m.agencyId,
    chatId: m.chatId,
    items: m.items.map((i) => ({ code: i.code, due: i.due, reason: i.reason, days: i.days })),
    text: m.text,
  }));
}

function readable(runtime: Runtime, report: RunReport): string {
  if (!report.workingDay) {
    const why = runtime.calendar.holidayName(report.day);
    return `${report.day} là ngày nghỉ${why ? ` (${why})` : ""}: không nhắc việc.`;
  }
  const out: string[] = [];
  for (const m of report.planned) {
    const to = m.chatId ?? "CHƯA CÓ NHÓM — không gửi, báo Sở Nội vụ";
    out.push(`════ ${runtime.directory().nameOf(m.agencyId ?? "")} → ${to} (${m.items.length} mục, ${m.parts.length} tin)`, m.text, "");
  }
  if (report.planned.length === 0) out.push(`Ngày ${report.day}: không có gì cần nhắc.`);
  if (!report.dryRun) {
    out.push(`Đã gửi ${report.sent.length}, gửi tiếp ${report.resumed.length}, lỗi ${report.failed.length}.`);
    for (const f of report.failed) out.push(`• lỗi ${f.chatId}: ${f.error}`);
  }
  return out.join("\n");
}

main().catch((error: unknown) => fail(unexpected(error)));
