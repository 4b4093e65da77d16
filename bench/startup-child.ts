/**
 * Starts dondoc (built by src/cli/build.ts, or from the sources through tsx) in local mode on BENCH_DATA_DIR with an input that never ends, and replies
 * with the time from process start to ready and the memory then; then stops.
 * With BENCH_COMMAND (a line typed before the bot starts, e.g. `/tiendo A1@so-tu-phap 50`, as
 * an update waiting at Telegram is delivered once the bot listens) the clock is a working day
 * at 10:00 (Tue 15/06/2021: the day's reminders are due and caught up at start) and the child
 * also measures the time to the reply (the first output line containing BENCH_REPLY).
 * Otherwise the clock is a Sunday (no catch-up).
 * `performance.now()` counts from the process's time origin (its start).
 */
const loadedMs = performance.now(); // node (+ tsx from the sources), before any of dondoc is loaded
const { PassThrough, Writable } = await import("node:stream");
const { default: pino } = await import("pino");
const { parseConfig } = await import("../src/config.ts");
const { vnInstant } = await import("../src/core/calendar.ts");
const { startBot } = await import("../src/boot/runtime.ts");
const modulesMs = performance.now();

const command = process.env.BENCH_COMMAND;
const expected = process.env.BENCH_REPLY ?? "📈";
let replied: (at: { ms: number; rss: number }) => void = () => undefined;
const reply = new Promise<{ ms: number; rss: number }>((resolve) => {
  replied = resolve;
});
let seen = "";
const config = parseConfig({ DATA_DIR: process.env.BENCH_DATA_DIR, LOG_LEVEL: "silent", DATABASE_URL: process.env.BENCH_DATABASE_URL });
const input = new PassThrough(); // never ends: the local chat waits for input
if (command) input.write(`${command}\n`); // read once the local chat has started
const running = await startBot({
  config,
  log: pino({ level: "silent" }),
  input,
  output: new Writable({
    write: (chunk, _encoding, done) => {
      if (command) {
        seen = (seen + String(chunk)).slice(-10_000);
        if (seen.split("\n").some((line) => line.includes(expected))) replied({ ms: performance.now(), rss: process.memoryUsage().rss });
      }
      done();
    },
  }),
  // A Sunday: no reminder catch-up; with a command, a working day after 08:00.
  clock: () => (command ? vnInstant("2021-06-15", "10:00") : vnInstant("2021-06-13", "10:00")),
});
const readyMs = performance.now();
const { rss, heapUsed } = process.memoryUsage();
const tasks = running.runtime.store.read().tasks.length;
let replyMs: number | null = null;
let replyRss: number | null = null;
if (command) {
  ({ ms: replyMs, rss: replyRss } = await reply);
}
// As bench/lib.ts `reply` (not imported: it would load half of dondoc before `loadedMs`).
process.stdout.write(
  `\nBENCH_RESULT ${JSON.stringify({ loadedMs, modulesMs, readyMs, rss, heapUsed, maxRss: process.resourceUsage().maxRSS * 1024, tasks, replyMs, replyRss })}\n`,
);
await running.stop();
process.exit(0);
export {};
