/**
 * Import: each real plan in ../shared/plans (median of several runs) and synthetic plans
 * 1×, 10× and 100× the size of ben-tre's task table, each size in its own process so its
 * peak memory is its own. Growth is judged per task between 1× and 100×.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { BENCH_DIR, PLANS_DIR, exponent, mb, progress, round, runChild, tempDir, type Row, type SectionOptions } from "./lib.ts";

type ImportResult = {
  refused?: string;
  bytes: number;
  tasks: number;
  assignments: number;
  readMs: number;
  commitMs: number;
  totalMs: number;
  firstMs: number;
  baselineRss: number;
  peakRss: number;
};

const CHILD = path.join(BENCH_DIR, "import-child.ts");

/**
 * ben-tre's text with its task table repeated `factor` times: every copy keeps the
 * sections, header lines and STT numbers (real plans number tasks within a section; an
 * STT of 4 digits is not read as a row number), and task rows get their content varied so
 * that no two tasks are the same.
 */
export function syntheticPlan(source: string, factor: number): string {
  const lines = source.split("\n");
  const first = lines.findIndex((l) => l.startsWith("Số TT\t"));
  const head = lines.slice(0, first);
  const table = lines.slice(first);
  const out = [...head];
  let n = 0;
  for (let k = 1; k <= factor; k++) {
    for (const line of table) {
      const cells = line.split("\t");
      if (cells.length > 3 && /^\d+$/.test(cells[0].trim())) {
        n += 1;
        cells[1] = `${cells[1]} (phần ${k}, mục ${n})`;
        out.push(cells.join("\t"));
      } else out.push(line);
    }
  }
  return out.join("\n");
}

export async function run({ quick }: SectionOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const runs = quick ? 3 : 7;
  const plans = (await readdir(PLANS_DIR)).filter((f) => /\.(txt|md|docx|xlsx|csv|html?)$/.test(f)).sort();
  for (const plan of plans) {
    progress(`import ${plan} ×${runs}`);
    const { result: r } = await runChild<ImportResult>(CHILD, [path.join(PLANS_DIR, plan), String(runs)]);
    if (r.refused) {
      rows.push({ section: "import", case: `${plan} (refused)`, value: "—", unit: "", note: r.refused.slice(0, 90) });
      continue;
    }
    rows.push({
      section: "import",
      case: `${plan} (${r.tasks} tasks)`,
      value: round(r.totalMs),
      unit: "ms",
      note: `median of ${runs}: read+preview ${round(r.readMs)} ms, commit ${round(r.commitMs)} ms; first run ${round(r.firstMs)} ms`,
    });
    rows.push({
      section: "import",
      case: `${plan} peak memory`,
      value: mb(r.peakRss),
      unit: "MB RSS",
      note: `+${mb(r.peakRss - r.baselineRss)} MB over the process after loading (${mb(r.baselineRss)} MB)`,
    });
  }

  const { dir, cleanup } = await tempDir("dondoc-bench-plans-");
  try {
    const source = await readFile(path.join(PLANS_DIR, "ben-tre-2021.md"), "utf8");
    const factors = quick ? [1, 10] : [1, 10, 100];
    const results: { factor: number; r: ImportResult }[] = [];
    for (const factor of factors) {
      const file = path.join(dir, `ben-tre-x${factor}.md`);
      await writeFile(file, syntheticPlan(source, factor));
      const n = factor >= 100 ? (quick ? 1 : 3) : runs;
      progress(`import synthetic ×${factor} (${n} runs)`);
      const { result: r } = await runChild<ImportResult>(CHILD, [file, String(n)]);
      results.push({ factor, r });
      rows.push({
        section: "import",
        case: `synthetic ben-tre ×${factor} (${r.tasks} tasks, ${round(r.bytes / 1024)} KB)`,
        value: round(r.totalMs),
        unit: "ms",
        note: `median of ${n}: read+preview ${round(r.readMs)} ms, commit ${round(r.commitMs)} ms; ${round((1000 * r.totalMs) / r.tasks)} µs/task`,
      });
      rows.push({
        section: "import",
        case: `synthetic ×${factor} peak memory`,
        value: mb(r.peakRss),
        unit: "MB RSS",
        note: `+${mb(r.peakRss - r.baselineRss)} MB over baseline (${round((r.peakRss - r.baselineRss) / r.tasks / 1024, 1)} KB/task)`,
      });
    }
    const a = results[0];
    const b = results[results.length - 1];
    if (a && b && a !== b) {
      const timeExp = exponent(a.r.tasks, a.r.totalMs, b.r.tasks, b.r.totalMs);
      const memExp = exponent(a.r.tasks, Math.max(1, a.r.peakRss - a.r.baselineRss), b.r.tasks, Math.max(1, b.r.peakRss - b.r.baselineRss));
      rows.push({
        section: "import",
        case: `growth ×${a.factor} → ×${b.factor}: time`,
        value: round(timeExp, 2),
        unit: "exponent",
        note: "1 = linear; < 1 at small sizes: fixed costs",
      });
      rows.push({
        section: "import",
        case: `growth ×${a.factor} → ×${b.factor}: memory over baseline`,
        value: round(memExp, 2),
        unit: "exponent",
        note: "1 = linear",
      });
    }
  } finally {
    await cleanup();
  }
  return rows;
}
