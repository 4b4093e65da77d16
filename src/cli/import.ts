/**
 * npm run import -- <file> [--year N] [--period 2026-2030] [--dry-run] [--json] [--yes] [--add-agencies]
 *                   [--columns content=2,lead=3,deadline=4]
 *
 * Reads a plan (.txt, .md, .docx, .xlsx, .csv, or dondoc's own .json) and shows what it
 * found; without --dry-run writes it to the store in DATA_DIR. Never waits for input:
 * an import that removes tasks needs --yes; --add-agencies adds the lead agencies the
 * directory does not know (each named once in the preview) before assigning their tasks;
 * --columns says which column is which when a table's header is not recognised (the refusal
 * lists the columns with their first values).
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "../config.ts";
import { createLogger } from "../logger.ts";
import { buildRuntime } from "../boot/runtime.ts";
import { commitImport, prepareImport, previewText, ImportError, PlanReadError, UnmappedColumnsError } from "../import/service.ts";
import { exportPreview } from "../import/export.ts";
import { MAX_PLAN_BYTES } from "../import/read.ts";
import { Columns, fail, Period, readCli, Year } from "./args.ts";

const USAGE = "Cách dùng: npm run import -- <tệp kế hoạch> [--year 2022] [--period 2026-2030] [--dry-run] [--json] [--yes] [--add-agencies] [--columns content=2,lead=3,deadline=4]";

async function main(): Promise<void> {
  const { flags: options, positionals } = readCli(process.argv.slice(2), {
    usage: USAGE,
    flags: {
      year: { type: "string", check: Year },
      period: { type: "string", check: Period },
      "dry-run": { type: "boolean" },
      json: { type: "boolean" },
      yes: { type: "boolean" },
      "add-agencies": { type: "boolean" },
      columns: { type: "string", check: Columns },
    },
    positionals: [1, 1],
  });
  const file = positionals[0];
  const size = await stat(file).then((s) => s.size, () => fail(`Không mở được tệp ${file}.`));
  if (size > MAX_PLAN_BYTES) fail(`Tệp quá lớn (${(size / 1e6).toFixed(1)} MB); tối đa ${MAX_PLAN_BYTES / 1e6} MB.`);

  const config = loadConfig();
  const app = await buildRuntime(config, createLogger("warn"));
  try {
    const data = await readFile(file);
    const preview = await prepareImport(app.store, app.directory(), { name: path.basename(file), data }, { year: options.year, period: options.period, columns: options.columns, now: new Date() });
    if (options.json) process.stdout.write(`${JSON.stringify(options["dry-run"] ? exportPreview(preview) : { ...exportPreview(preview), diff: summary(preview) }, null, 2)}\n`);
    else process.stdout.write(`${previewText(preview, { directory: app.directory(), maxWarnings: 1000, via: "cli" })}\n`);
    if (options["dry-run"]) return;
    if (preview.diff.removed.length && !options.yes) {
      fail(`Kế hoạch mới bỏ ${preview.diff.removed.length} nhiệm vụ đang có (${preview.diff.removed.map((t) => t.code).join(", ")}). Không ghi gì. Chạy lại với --yes nếu đúng là cần bỏ.`);
    }
    const counts = await commitImport(app.store, preview, {
      directory: app.directory(),
      actor: { id: `cli:${process.env.USER ?? "admin"}`, name: "Dòng lệnh (npm run import)" },
      chatId: null,
      now: new Date(),
      source: path.basename(file),
      removeMissing: Boolean(options.yes),
      addAgencies: Boolean(options["add-agencies"]),
    });
    const agencies = counts.agencies.length ? `; thêm ${counts.agencies.length} cơ quan (${counts.agencies.join(", ")})` : "";
    process.stderr.write(`Đã nạp vào ${path.resolve(config.DATA_DIR)}: thêm ${counts.added}, sửa ${counts.changed}, bỏ ${counts.removed} nhiệm vụ${agencies}.\n`);
  } catch (error) {
    if (error instanceof UnmappedColumnsError) {
      fail(`${error.message}\nChạy lại với --columns, ví dụ: npm run import -- ${file} --columns content=2,lead=3,deadline=4 (thêm coordinating=…, product=… nếu có).`);
    }
    if (error instanceof PlanReadError || error instanceof ImportError) fail(error.message);
    throw error;
  } finally {
    await app.store.close();
  }
}

function summary(preview: Awaited<ReturnType<typeof prepareImport>>) {
  return {
    added: preview.diff.added.map((t) => t.code),
    changed: preview.diff.changed.map((c) => ({ code: c.after.code, fields: c.fields })),
    removed: preview.diff.removed.map((t) => t.code),
  };
}

main().catch((error: unknown) => fail(`Lỗi: ${error instanceof Error ? error.message : String(error)}`));
