/**
 * Starts dondoc in local mode on BENCH_DATA_DIR with an input that never ends, and replies
 * with the time from process start to ready and the memory then; then stops.
 * `performance.now()` counts from the process's time origin (its start).
 */
const loadedMs = performance.now(); // node + tsx, before any of dondoc is loaded
const { PassThrough, Writable } = await import("node:stream");
const { default: pino } = await import("pino");
const { parseConfig } = await import("../src/config.ts");
const { vnInstant } = await import("../src/core/calendar.ts");
const { startBot } = await import("../src/boot/runtime.ts");
const modulesMs = performance.now();

const config = parseConfig({ DATA_DIR: process.env.BENCH_DATA_DIR, LOG_LEVEL: "silent" });
const running = await startBot({
  config,
  log: pino({ level: "silent" }),
  input: new PassThrough(), // never ends: the local chat waits for input
  output: new Writable({ write: (_chunk, _encoding, done) => done() }),
  clock: () => vnInstant("2021-06-13", "10:00"), // a Sunday: no reminder catch-up
});
const readyMs = performance.now();
const { rss, heapUsed } = process.memoryUsage();
const tasks = running.runtime.store.read().tasks.length;
// As bench/lib.ts `reply` (not imported: it would load half of dondoc before `loadedMs`).
process.stdout.write(
  `\nBENCH_RESULT ${JSON.stringify({ loadedMs, modulesMs, readyMs, rss, heapUsed, maxRss: process.resourceUsage().maxRSS * 1024, tasks })}\n`,
);
await running.stop();
process.exit(0);
export {};
