/**
 * Start-up: from process start to ready (local mode: store opened and validated, reference
 * data and commands loaded, services started) and resident memory then, with an empty data
 * directory, a provincial registry and a national one (10,000 tasks), on the JSON store and on
 * PostgreSQL; and start to first reply on a working day. Each start is its own
 * process; the median of several starts is reported.
 */
import path from "node:path";
import { copyStore } from "../src/store/copy.ts";
import { openFileStore } from "../src/store/file.ts";
import { openPostgresStore } from "../src/store/postgres.ts";
import { emptyDatabase, stopPgServer } from "../test/support/postgres.ts";
import {
  BENCH_DIR,
  makeRegistry,
  mb,
  median,
  progress,
  round,
  runChild,
  tempDir,
  writeDataDir,
  type Row,
  type SectionOptions,
} from "./lib.ts";

type StartResult = {
  loadedMs: number;
  modulesMs: number;
  readyMs: number;
  rss: number;
  heapUsed: number;
  maxRss: number;
  tasks: number;
  replyMs: number | null;
  replyRss: number | null;
};
const CHILD = path.join(BENCH_DIR, "startup-child.ts");

export async function run({ quick }: SectionOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const runs = quick ? 1 : 3;
  const cases = [
    { label: "empty data directory", tasks: 0, agencies: 50, groups: 0 },
    { label: "300 tasks, 50 groups", tasks: 300, agencies: 50, groups: 50 },
    { label: "10,000 tasks, 500 groups", tasks: 10_000, agencies: 500, groups: 500 },
  ];
  for (const c of cases) {
    const { dir, cleanup } = await tempDir("dondoc-bench-start-");
    try {
      const data = c.tasks > 0 ? makeRegistry(c) : null;
      const storeBytes = data ? (await writeDataDir(dir, data, 0)).storeBytes : 0;
      progress(`startup: ${c.label} ×${runs}`);
      const results: { r: StartResult; wallMs: number }[] = [];
      for (let i = 0; i < runs; i++) {
        const { result, wallMs } = await runChild<StartResult>(CHILD, [], { env: { BENCH_DATA_DIR: dir } });
        if (result.tasks !== c.tasks) throw new Error(`startup: expected ${c.tasks} tasks, found ${result.tasks}`);
        results.push({ r: result, wallMs });
      }
      const pick = (f: (x: { r: StartResult; wallMs: number }) => number) => median(results.map(f));
      rows.push({
        section: "startup",
        case: `start to ready, ${c.label}`,
        value: round(pick((x) => x.r.readyMs)),
        unit: "ms",
        note: `node+tsx ${round(pick((x) => x.r.loadedMs))} ms, modules ${round(pick((x) => x.r.modulesMs - x.r.loadedMs))} ms, startBot ${round(pick((x) => x.r.readyMs - x.r.modulesMs))} ms; spawn→reply ${round(pick((x) => x.wallMs))} ms${storeBytes ? `; store.json ${mb(storeBytes)} MB` : ""}`,
      });
      rows.push({
        section: "startup",
        case: `  resident memory when ready, ${c.label}`,
        value: mb(pick((x) => x.r.rss)),
        unit: "MB RSS",
        note: `heap used ${mb(pick((x) => x.r.heapUsed))} MB; peak RSS ${mb(pick((x) => x.r.maxRss))} MB`,
      });
      if (data) {
        // Start-up to first reply: a working day at 10:00 (the day's reminders are caught up at
        // start, one message per group), then a /tiendo typed as soon as the bot is ready.
        const share = data.assignments.find((a) => a.status === "open")!;
        const replies: { r: StartResult; wallMs: number }[] = [];
        progress(`startup: ${c.label}, first reply ×${runs}`);
        for (let i = 0; i < runs; i++) {
          const { dir: copy, cleanup: drop } = await tempDir("dondoc-bench-start-");
          try {
            await writeDataDir(copy, data, 0); // a fresh copy: the catch-up writes its send-log
            const { result, wallMs } = await runChild<StartResult>(CHILD, [], {
              env: {
                BENCH_DATA_DIR: copy,
                BENCH_COMMAND: `/tiendo ${share.taskCode}@${share.agencyId} 50`,
                BENCH_REPLY: `📈 ${share.taskCode} — `,
              },
            });
            replies.push({ r: result, wallMs });
          } finally {
            await drop();
          }
        }
        const first = (f: (x: { r: StartResult; wallMs: number }) => number) => median(replies.map(f));
        rows.push({
          section: "startup",
          case: `start to first reply (working day 10:00), ${c.label}`,
          value: round(first((x) => x.r.replyMs!)),
          unit: "ms",
          note: `a /tiendo waiting when the bot starts, answered while the day's reminders are caught up (start returns at ${round(first((x) => x.r.readyMs))} ms); RSS at the reply ${mb(first((x) => x.r.replyRss!))} MB, peak ${mb(first((x) => x.r.maxRss))} MB`,
        });
      }
    } finally {
      await cleanup();
    }
  }
  // The same start on PostgreSQL (an embedded server on 127.0.0.1; the registry copied in).
  try {
    for (const c of cases.filter((x) => x.tasks > 0)) {
      const { dir, cleanup } = await tempDir("dondoc-bench-start-pg-");
      const { dir: files, cleanup: dropFiles } = await tempDir("dondoc-bench-start-pg-files-");
      try {
        progress(`startup: ${c.label}, PostgreSQL ×${runs}`);
        await writeDataDir(dir, makeRegistry(c), 0);
        const url = await emptyDatabase();
        const [source, target] = [await openFileStore(dir), await openPostgresStore(url)];
        await copyStore(source, target);
        await Promise.all([source.close(), target.close()]);
        const results: { r: StartResult; wallMs: number }[] = [];
        for (let i = 0; i < runs; i++) {
          const { result, wallMs } = await runChild<StartResult>(CHILD, [], { env: { BENCH_DATA_DIR: files, BENCH_DATABASE_URL: url } });
          if (result.tasks !== c.tasks) throw new Error(`startup: expected ${c.tasks} tasks, found ${result.tasks}`);
          results.push({ r: result, wallMs });
        }
        const pick = (f: (x: { r: StartResult; wallMs: number }) => number) => median(results.map(f));
        rows.push({
          section: "startup",
          case: `start to ready, ${c.label} — PostgreSQL`,
          value: round(pick((x) => x.r.readyMs)),
          unit: "ms",
          note: `node+tsx ${round(pick((x) => x.r.loadedMs))} ms, modules ${round(pick((x) => x.r.modulesMs - x.r.loadedMs))} ms, startBot ${round(pick((x) => x.r.readyMs - x.r.modulesMs))} ms; RSS ${mb(pick((x) => x.r.rss))} MB (peak ${mb(pick((x) => x.r.maxRss))} MB)`,
        });
      } finally {
        await cleanup();
        await dropFiles();
      }
    }
  } finally {
    await stopPgServer();
  }
  return rows;
}
