/**
 * Start-up: from process start to ready (local mode: store opened and validated, reference
 * data and commands loaded, services started) and resident memory then, with an empty data
 * directory, a provincial registry and a national one (10,000 tasks). Each start is its own
 * process; the median of several starts is reported.
 */
import path from "node:path";
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

type StartResult = { loadedMs: number; modulesMs: number; readyMs: number; rss: number; heapUsed: number; maxRss: number; tasks: number };
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
      const storeBytes = c.tasks > 0 ? (await writeDataDir(dir, makeRegistry(c), 0)).storeBytes : 0;
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
    } finally {
      await cleanup();
    }
  }
  return rows;
}
