/**
 * One plan, imported in this process as `npm run import` does it (read the document → draft
 * → preview against an empty registry, then commit into a fresh file store): once cold, forty
 * times to warm up, then `runs` times measured.
 *   node --import tsx bench/import-child.ts <plan file> <runs>
 * Replies with median times, the task count and the process's memory (baseline after the
 * modules are loaded and the file read, peak over all runs).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { loadAgencyDirectory } from "../src/boot/reference.ts";
import { createDirectory } from "../src/core/agencies.ts";
import { commitImport, prepareImport, PlanReadError } from "../src/import/service.ts";
import { openFileStore } from "../src/store/file.ts";
import { createMemoryStore } from "../src/store/memory.ts";
import { ROOT, gc, median, nowMs, peakRss, reply, tempDir } from "./lib.ts";

const [file, runsText] = process.argv.slice(2);
const runs = Math.max(1, Number(runsText) || 1);
const directory = createDirectory(loadAgencyDirectory(path.join(ROOT, "data/agencies.json")));
const data = await readFile(file);
const name = path.basename(file);

gc();
const baselineRss = process.memoryUsage().rss;
const read: number[] = [];
const commit: number[] = [];
let tasks = 0;
let assignments = 0;
let firstMs = 0;
// The first run (a fresh process: modules compiled, nothing optimised) is reported on its own;
// "warm" is the median of `runs` after WARM_UP more, as a long-running bot imports.
const WARM_UP = 40;
for (let i = -WARM_UP - 1; i < runs; i++) {
  const t0 = nowMs();
  let preview: Awaited<ReturnType<typeof prepareImport>>;
  try {
    preview = await prepareImport(createMemoryStore(), directory, { name, data });
  } catch (error) {
    // A document that is not a task plan (a table of indicators) is refused: say so, time nothing.
    if (!(error instanceof PlanReadError)) throw error;
    reply({ refused: error.message });
    process.exit(0);
  }
  const t1 = nowMs();
  const { dir, cleanup } = await tempDir("dondoc-bench-import-");
  const store = await openFileStore(dir);
  const t2 = nowMs();
  await commitImport(store, preview, {
    directory,
    actor: { id: "bench", name: "Bench" },
    chatId: null,
    now: new Date("2021-01-04T01:00:00Z"),
    source: name,
    removeMissing: false,
  });
  const t3 = nowMs();
  tasks = store.read().tasks.length;
  assignments = store.read().assignments.length;
  await store.close();
  await cleanup();
  if (i === -WARM_UP - 1) firstMs = t1 - t0 + (t3 - t2);
  if (i < 0) continue;
  read.push(t1 - t0);
  commit.push(t3 - t2);
}
reply({
  bytes: data.length,
  tasks,
  assignments,
  readMs: median(read),
  commitMs: median(commit),
  totalMs: median(read.map((r, i) => r + commit[i])),
  firstMs,
  baselineRss,
  peakRss: peakRss(),
});
