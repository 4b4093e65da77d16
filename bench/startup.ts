/**
 * Start-up of the production build (src/cli/build.ts: what `npm start` runs, on Node alone):
 * from process start to ready (local mode: store opened and validated, reference data and
 * commands loaded, services started) and resident memory then, with an empty data directory,
 * a provincial registry and a national one (10,000 tasks), on the JSON store and on
 * PostgreSQL; and start to first reply on a working day. Each start is its own process; the
 * median of several starts is reported. One row compares the start from the sources (tsx).
 */
import path from "node:path";
import { rm } from "node:fs/promises";
import { build, ROOT, startFlags } from "../src/cli/build.ts";
import { copyStore } from "../src/store/copy.ts";
import { openFileStore } from "../src/store/file.ts";
import { openPostgresStore } from "../src/store/postgres.ts";
import { emptyDatabase, pgServer, queryDb, stopPgServer, urlFor } from "../test/support/postgres.ts";
import {
  BENCH_DIR,
  makeRegistry,
  mb,
  median,
  progress,
  round,
  runChild,
  steadySendLog,
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
type Sample = { r: StartResult; wallMs: number };

export async function run({ quick }: SectionOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const runs = quick ? 1 : 3;
  progress("startup: production build");
  const flags = startFlags();
  const outDir = path.join(ROOT, "dist", "bench-startup");
  const built = await build({ outDir, extraEntries: ["bench/startup-child.ts"] });
  rows.push({
    section: "startup",
    case: "production build (src/cli/build.ts; `npm start` runs it first)",
    value: round(built.ms),
    unit: "ms",
    note: `${built.files} files, ${mb(built.bytes)} MB of JavaScript; the starts below run it as \`npm start\` does: node ${flags.join(" ")}`,
  });
  const builtChild = path.join(outDir, "bench", "startup-child.js");
  /** One start of the built bot (plain Node), or from the sources through tsx. */
  const start = (env: Record<string, string>, sources = false) =>
    sources ? runChild<StartResult>(CHILD, [], { env }) : runChild<StartResult>(builtChild, [], { env, execArgv: flags });
  const startRows = (label: string, results: Sample[], storeBytes: number, boot = "node"): Row[] => {
    const pick = (f: (x: Sample) => number) => median(results.map(f));
    return [
      {
        section: "startup",
        case: `start to ready, ${label}`,
        value: round(pick((x) => x.r.readyMs)),
        unit: "ms",
        note: `${boot} ${round(pick((x) => x.r.loadedMs))} ms, modules ${round(pick((x) => x.r.modulesMs - x.r.loadedMs))} ms, startBot ${round(pick((x) => x.r.readyMs - x.r.modulesMs))} ms; spawn→ready+exit ${round(pick((x) => x.wallMs))} ms${storeBytes ? `; store.json ${mb(storeBytes)} MB` : ""}`,
      },
      {
        section: "startup",
        case: `  resident memory when ready, ${label}`,
        value: mb(pick((x) => x.r.rss)),
        unit: "MB RSS",
        note: `heap used ${mb(pick((x) => x.r.heapUsed))} MB; peak RSS ${mb(pick((x) => x.r.maxRss))} MB`,
      },
    ];
  };
  const replyRow = (label: string, replies: Sample[]): Row => {
    const first = (f: (x: Sample) => number) => median(replies.map(f));
    return {
      section: "startup",
      case: `start to first reply (working day 10:00), ${label}`,
      value: round(first((x) => x.r.replyMs!)),
      unit: "ms",
      note: `a /tiendo waiting when the bot starts, answered while the day's reminders are caught up (start returns at ${round(first((x) => x.r.readyMs))} ms); RSS at the reply ${mb(first((x) => x.r.replyRss!))} MB, peak ${mb(first((x) => x.r.maxRss))} MB`,
    };
  };
  // The registries carry the send-log of 85 working days of daily runs (steady state, issue 14).
  const HISTORY_DAYS = 85;
  const cases = [
    { label: "empty data directory", tasks: 0, agencies: 50, groups: 0 },
    { label: "300 tasks, 50 groups, 85 days of send-log", tasks: 300, agencies: 50, groups: 50 },
    { label: "10,000 tasks, 500 groups, 85 days of send-log", tasks: 10_000, agencies: 500, groups: 500 },
  ];
  /** A case's registry with its steady-state send-log (the days before Tue 15/06/2021, the first reply's day), and the archived part. */
  const registry = (c: (typeof cases)[number]) => {
    const { sendLog, archive } = steadySendLog("2021-06-15", c.groups, HISTORY_DAYS);
    return { data: { ...makeRegistry(c), sendLog }, archive };
  };
  try {
    for (const c of cases) {
      const { dir, cleanup } = await tempDir("dondoc-bench-start-");
      try {
        const { data, archive } = c.tasks > 0 ? registry(c) : { data: null, archive: [] };
        const storeBytes = data ? (await writeDataDir(dir, data, 0, archive)).storeBytes : 0;
        if (!data) {
          // The same start from the sources through tsx (as `npm start` was before the build).
          progress(`startup: ${c.label}, from the sources (tsx) ×${runs}`);
          const fromSources: Sample[] = [];
          for (let i = 0; i < runs; i++) {
            const { result, wallMs } = await start({ BENCH_DATA_DIR: dir }, true);
            fromSources.push({ r: result, wallMs });
          }
          rows.push(...startRows(`${c.label} — from the sources (tsx)`, fromSources, 0, "node+tsx"));
        }
        progress(`startup: ${c.label} ×${runs}`);
        const results: Sample[] = [];
        for (let i = 0; i < runs; i++) {
          const sample = await start({ BENCH_DATA_DIR: dir });
          if (sample.result.tasks !== c.tasks) throw new Error(`startup: expected ${c.tasks} tasks, found ${sample.result.tasks}`);
          results.push({ r: sample.result, wallMs: sample.wallMs });
        }
        rows.push(...startRows(c.label, results, storeBytes));
        if (data) {
          // Start-up to first reply: a working day at 10:00 (the day's reminders are caught up at
          // start, one message per group), then a /tiendo typed as soon as the bot is ready.
          const share = data.assignments.find((a) => a.status === "open")!;
          const replies: Sample[] = [];
          progress(`startup: ${c.label}, first reply ×${runs}`);
          for (let i = 0; i < runs; i++) {
            const { dir: copy, cleanup: drop } = await tempDir("dondoc-bench-start-");
            try {
              await writeDataDir(copy, data, 0, archive); // a fresh copy: the catch-up writes its send-log
              const { result, wallMs } = await start({ BENCH_DATA_DIR: copy, ...replyEnv(share) });
              replies.push({ r: result, wallMs });
            } finally {
              await drop();
            }
          }
          rows.push(replyRow(c.label, replies));
        }
      } finally {
        await cleanup();
      }
    }
    // The same starts on PostgreSQL (an embedded server on 127.0.0.1; the registry copied in).
    try {
      for (const c of cases.filter((x) => x.tasks > 0)) {
        const { dir, cleanup } = await tempDir("dondoc-bench-start-pg-");
        const { dir: files, cleanup: dropFiles } = await tempDir("dondoc-bench-start-pg-files-");
        try {
          progress(`startup: ${c.label}, PostgreSQL ×${runs}`);
          const { data, archive } = registry(c);
          await writeDataDir(dir, data, 0, archive);
          const url = await emptyDatabase();
          const [fileStore, target] = [await openFileStore(dir), await openPostgresStore(url)];
          await copyStore(fileStore, target);
          await Promise.all([fileStore.close(), target.close()]);
          const results: Sample[] = [];
          for (let i = 0; i < runs; i++) {
            const sample = await start({ BENCH_DATA_DIR: files, BENCH_DATABASE_URL: url });
            if (sample.result.tasks !== c.tasks) throw new Error(`startup: expected ${c.tasks} tasks, found ${sample.result.tasks}`);
            results.push({ r: sample.result, wallMs: sample.wallMs });
          }
          rows.push(...startRows(`${c.label} — PostgreSQL`, results, 0));
          // First reply: each start on a fresh copy of the database (the catch-up writes its send-log).
          progress(`startup: ${c.label}, PostgreSQL, first reply ×${runs}`);
          const share = data.assignments.find((a) => a.status === "open")!;
          const { adminUrl } = await pgServer();
          const source = new URL(url).pathname.slice(1);
          const replies: Sample[] = [];
          for (let i = 0; i < runs; i++) {
            const name = `${source}_reply${i}`;
            await queryDb(adminUrl, (q) => q.query(`CREATE DATABASE ${name} TEMPLATE ${source}`));
            try {
              const { result, wallMs } = await start({
                BENCH_DATA_DIR: files,
                BENCH_DATABASE_URL: urlFor(adminUrl, name),
                ...replyEnv(share),
              });
              replies.push({ r: result, wallMs });
            } finally {
              await queryDb(adminUrl, (q) => q.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
            }
          }
          rows.push(replyRow(`${c.label} — PostgreSQL`, replies));
        } finally {
          await cleanup();
          await dropFiles();
        }
      }
    } finally {
      await stopPgServer();
    }
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
  return rows;
}

/** The child's environment for a /tiendo on `share` typed before the start, and the start of its reply. */
function replyEnv(share: { taskCode: string; agencyId: string }): Record<string, string> {
  return { BENCH_COMMAND: `/tiendo ${share.taskCode}@${share.agencyId} 50`, BENCH_REPLY: `📈 ${share.taskCode} — ` };
}
