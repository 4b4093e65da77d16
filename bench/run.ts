/**
 * dondoc benchmarks: `npm run bench` (full), `npm run bench -- --quick` (smaller sizes),
 * `npm run bench -- --only import,store` (some sections). Each section runs in its own
 * process (bench/section.ts); the rows are printed as one table, with the machine on top,
 * and written to bench/out/latest.json. Benchmarks report; they never fail on a figure.
 */
import { startFlags } from "../src/cli/build.ts";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { readCli } from "../src/cli/args.ts";
import { BENCH_DIR, machine, round, runChild, type Row } from "./lib.ts";

const SECTIONS = ["import", "planning", "commands", "store", "fanout", "startup"];

const USAGE = `Cách dùng: npm run bench -- [--quick] [--only ${SECTIONS.join(",")}]`;

function parseArgs(argv: string[]): { quick: boolean; only: string[] } {
  const { flags } = readCli(argv, {
    usage: USAGE,
    flags: {
      quick: { type: "boolean" },
      only: {
        type: "string",
        check: z
          .string()
          .transform((v) =>
            v
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean),
          )
          .refine((list) => list.length > 0 && list.every((s) => SECTIONS.includes(s)), `chọn trong: ${SECTIONS.join(", ")}`),
      },
    },
  });
  return { quick: Boolean(flags.quick), only: flags.only ?? SECTIONS };
}

function table(rows: Row[]): string {
  const head = ["section", "case", "figure", "unit", "note"];
  const cells = rows.map((r) => [
    r.section,
    r.case,
    typeof r.value === "number" ? r.value.toLocaleString("en") : r.value,
    r.unit,
    r.note ?? "",
  ]);
  const width = (i: number) => Math.max(head[i].length, ...cells.map((c) => c[i].length));
  const widths = [0, 1, 2, 3].map(width);
  const line = (c: string[]) =>
    [c[0].padEnd(widths[0]), c[1].padEnd(widths[1]), c[2].padStart(widths[2]), c[3].padEnd(widths[3]), c[4]].join("  ").trimEnd();
  const rule = widths.map((w) => "─".repeat(w)).join("  ") + "  " + "─".repeat(20);
  const out = [line(head), rule];
  let section = "";
  for (const c of cells) {
    if (section && c[0] !== section) out.push("");
    section = c[0];
    out.push(line(c));
  }
  return out.join("\n");
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const host = machine();
  const started = new Date();
  const header = [
    `dondoc benchmarks${quick ? " (--quick: smaller sizes)" : ""} — ${started.toISOString()}`,
    `machine: ${host.cpu}, ${host.cores} cores, ${host.ramGiB} GiB RAM; Node ${host.node}; ${host.os}`,
  ].join("\n");
  process.stderr.write(`${header}\n\n`);
  const rows: Row[] = [];
  const failures: string[] = [];
  for (const name of only) {
    process.stderr.write(`▶ ${name}\n`);
    const t0 = performance.now();
    try {
      // With the V8 flags `npm start` gives the bot (its young-generation size changes GC costs).
      const { result } = await runChild<Row[]>(path.join(BENCH_DIR, "section.ts"), [name, ...(quick ? ["--quick"] : [])], {
        inheritStderr: true,
        timeoutMs: 20 * 60_000,
        execArgv: ["--expose-gc", ...startFlags(), "--import", "tsx"],
      });
      rows.push(...result);
    } catch (error) {
      // A broken section is reported, not fatal: the others still measure.
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${name}: ${message}`);
      rows.push({ section: name, case: "(section failed)", value: "—", unit: "", note: message.split("\n")[0] });
    }
    process.stderr.write(`  ${name} done in ${round((performance.now() - t0) / 1000, 1)} s\n`);
  }
  process.stdout.write(`${header}\n\n${table(rows)}\n`);
  const outDir = path.join(BENCH_DIR, "out");
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, "latest.json");
  await writeFile(
    file,
    JSON.stringify({ startedAt: started.toISOString(), quick, sections: only, machine: host, rows, failures }, null, 2) + "\n",
  );
  process.stdout.write(`\n(written to ${path.relative(process.cwd(), file)})\n`);
  if (failures.length) {
    process.stderr.write(`\n${failures.join("\n\n")}\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
