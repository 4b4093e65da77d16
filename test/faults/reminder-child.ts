/**
 * The reminder dispatcher as its own process, for the kill test (reminder-kill.fault.ts): the
 * real file store in DATA_DIR, the real Telegram adapter (grammY, throttler, retries) against
 * the fake Bot API, the clock fixed at NOW. Prints "ready" once the store is open, then runs
 * `catchUp` and prints one JSON line: `{ done, uncertain }`. The parent SIGKILLs it at random.
 *
 * With DATABASE_URL in its environment, the store is that PostgreSQL database instead (the
 * two-instance test, test/e2e/instances.test.ts).
 *
 * Usage: node --import tsx test/faults/reminder-child.ts <dataDir> <apiRoot> <nowIso>
 */
import pino from "pino";
import { buildRuntime } from "../../src/boot/runtime.ts";
import { TelegramAdapter } from "../../src/chat/telegram.ts";
import { parseConfig } from "../../src/config.ts";
import { catchUp } from "../../src/reminders/dispatch.ts";
import { TEST_TOKEN } from "../support/env.ts";

const [dataDir, apiRoot, nowIso] = process.argv.slice(2);
const now = new Date(nowIso);
const log = pino({ level: "silent" });
const config = parseConfig({
  LOG_LEVEL: "silent",
  TELEGRAM_BOT_TOKEN: TEST_TOKEN,
  TELEGRAM_API_ROOT: apiRoot,
  DATA_DIR: dataDir,
  DATABASE_URL: process.env.DATABASE_URL,
});
const runtime = await buildRuntime(config, log, () => now);
// A short request timeout, so a request that never answers (the "hang" fault) is abandoned quickly.
runtime.outbox.attach(new TelegramAdapter({ token: TEST_TOKEN, apiRoot, log, timeoutSeconds: 2 }));
process.stdout.write("ready\n");
const report = await catchUp(runtime, now, { backoffMs: 100 });
await runtime.store.close();
process.stdout.write(`${JSON.stringify({ done: report === null || report.completed, uncertain: report?.uncertain.length ?? 0 })}\n`);
process.exit(0);
