/**
 * npm run import -- <file> [--year N | --period 2026-2030] [--dry-run] [--json] [--yes] [--add-agencies]
 *                   [--columns content=2,lead=3,deadline=4] [--replaces <plan id or number>] [--help]
 *
 * Reads a plan (.txt, .md, .docx, .xlsx, .csv, or dondoc's own .json) and shows what it
 * found; without --dry-run writes it to the store in DATA_DIR. Never waits for input:
 * an import that removes tasks needs --yes; --add-agencies adds the lead agencies the
 * directory does not know (each named once in the preview) before assigning their tasks;
 * --columns says which column is which when a table's header is not recognised (the refusal
 * lists the columns with their first values); --replaces loads an amendment with its own
 * number as a revision of a plan already loaded (same codes, reports kept). A relative path
 * is read from the folder the user ran `npm run` in.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "../config.ts";
import { createLogger } from "../logger.ts";
import { buildRuntime } from "../boot/runtime.ts";
import { StoreError } from "../store/file.ts";
import { openForReading } from "./open.ts";
import {
  commitImport,
  importDoneText,
  prepareImport,
  previewText,
  sizeText,
  ImportError,
  PlanReadError,
  UnmappedColumnsError,
} from "../import/service.ts";
import { exportPreview } from "../import/export.ts";
import { MAX_PLAN_BYTES } from "../import/read.ts";
import { Columns, fail, fileErrorText, Period, readCli, unexpected, userPath, Year } from "./args.ts";

const USAGE =
  "Cách dùng: npm run import -- <tệp kế hoạch> [--year 2022 | --period 2026-2030] [--dry-run] [--json] [--yes] [--add-agencies]" +
  " [--columns content=2,lead=3,deadline=4] [--replaces <mã hoặc số kế hoạch>]";

const HELP = `
Đọc một kế hoạch (.docx, .xlsx, .csv, .html, .txt, .md, hoặc .json do dondoc xuất) và in bản xem trước;
không có --dry-run thì ghi vào dữ liệu (DATA_DIR). Đường dẫn tương đối tính từ thư mục đang đứng.

  --year 2022              năm kế hoạch (khi đọc sai năm, hoặc văn bản không ghi năm)
  --period 2026-2030       giai đoạn của kế hoạch nhiều năm (không dùng cùng --year)
  --dry-run                chỉ xem trước, không ghi gì
  --json                   in danh mục nhiệm vụ dạng JSON
  --yes                    đồng ý bỏ các nhiệm vụ không còn trong kế hoạch (bản điều chỉnh)
  --add-agencies           thêm các cơ quan chủ trì chưa có trong danh mục
  --columns content=2,lead=3,deadline=4
                           cột nào là cột nào, khi không nhận ra dòng tiêu đề của bảng
                           (tên cột: content, lead, deadline, coordinating, product, stt)
  --replaces <mã|số>       nạp làm bản điều chỉnh của kế hoạch đã nạp (giữ mã nhiệm vụ và báo cáo),
                           ví dụ --replaces 2021-7018-kh-ubnd hoặc --replaces 7018/KH-UBND
  --help                   in hướng dẫn này`;

async function main(): Promise<void> {
  const { flags: options, positionals } = readCli(process.argv.slice(2), {
    usage: USAGE,
    help: HELP,
    flags: {
      year: { type: "string", check: Year },
      period: { type: "string", check: Period },
      "dry-run": { type: "boolean" },
      json: { type: "boolean" },
      yes: { type: "boolean" },
      "add-agencies": { type: "boolean" },
      columns: { type: "string", check: Columns },
      replaces: { type: "string" },
    },
    positionals: [1, 1],
    rules: (f) =>
      f.year && f.period
        ? "Chỉ dùng một trong --year và --period: --year cho kế hoạch một năm, --period cho kế hoạch nhiều năm" +
          " (thời hạn không ghi năm lấy năm đầu của giai đoạn)."
        : null,
  });
  const typed = positionals[0];
  const file = userPath(typed);
  const info = await stat(file).catch((error: unknown) => fail(fileErrorText(error, typed) ?? `Không mở được tệp «${typed}».`));
  if (info.isDirectory()) fail(fileErrorText({ code: "EISDIR" }, typed)!);
  if (!info.isFile()) fail(`«${typed}» không phải một tệp thường (thiết bị hoặc đường ống): không đọc được kế hoạch từ đó.`);
  if (info.size > MAX_PLAN_BYTES) fail(`Tệp quá lớn (${sizeText(info.size)}); tối đa ${sizeText(MAX_PLAN_BYTES)}.`);
  const data = await readFile(file).catch((error: unknown) => fail(fileErrorText(error, typed) ?? `Không đọc được tệp «${typed}».`));

  const config = loadConfig();
  const log = createLogger("warn");
  // A dry run writes nothing: it may read a snapshot while the bot holds the data directory.
  const app = options["dry-run"]
    ? await openForReading(config, log)
    : await buildRuntime(config, log, undefined, { chat: false }).catch((error: unknown) => {
        if (error instanceof StoreError && error.code === "LOCKED")
          fail(
            `Bot đang chạy trên thư mục dữ liệu ${path.resolve(config.DATA_DIR)}: nạp bằng /nap trong nhóm Sở Nội vụ, ` +
              "hoặc dừng bot rồi chạy lại lệnh này. (--dry-run vẫn xem trước được khi bot đang chạy.)",
          );
        throw error;
      });
  try {
    const preview = await prepareImport(
      app.store,
      app.directory(),
      { name: path.basename(file), data },
      { year: options.year, period: options.period, columns: options.columns, replaces: options.replaces, now: new Date() },
    );
    if (options.json)
      process.stdout.write(
        `${JSON.stringify(options["dry-run"] ? exportPreview(preview) : { ...exportPreview(preview), diff: summary(preview) }, null, 2)}\n`,
      );
    else process.stdout.write(`${previewText(preview, { directory: app.directory(), maxWarnings: 1000, via: "cli" })}\n`);
    if (options["dry-run"]) return;
    if (preview.diff.removed.length && !options.yes) {
      const withReports = preview.diff.removedWithReports?.length ?? 0;
      const reported = withReports ? ` — ${withReports} nhiệm vụ trong số đó đã có báo cáo` : "";
      const codes = preview.diff.removed.map((t) => t.code).join(", ");
      fail(
        `Kế hoạch mới bỏ ${preview.diff.removed.length} nhiệm vụ đang có (${codes})${reported}. ` +
          "Không ghi gì. Chạy lại với --yes nếu đúng là cần bỏ.",
      );
    }
    const result = await commitImport(app.store, preview, {
      directory: app.directory(),
      actor: { id: `cli:${process.env.USER ?? "admin"}`, name: "Dòng lệnh (npm run import)" },
      chatId: null,
      now: new Date(),
      source: path.basename(file),
      removeMissing: Boolean(options.yes),
      addAgencies: Boolean(options["add-agencies"]),
    });
    const agencies = result.agencies.length ? ` Đã thêm ${result.agencies.length} cơ quan (${result.agencies.join(", ")}).` : "";
    const where = `Dữ liệu: ${path.resolve(config.DATA_DIR)} (kế hoạch ${result.planId}).`;
    process.stderr.write(`${importDoneText(preview.plan, result)}${agencies}\n${where}\n`);
    const like = preview.diff.resembles?.planId;
    if (like) {
      process.stderr.write(`⚠️ Đã nạp thành kế hoạch riêng dù giống kế hoạch ${like}; nếu là bản điều chỉnh, dùng --replaces ${like}.\n`);
    }
  } catch (error) {
    if (error instanceof UnmappedColumnsError) {
      const example = `npm run import -- ${typed} --columns content=2,lead=3,deadline=4`;
      fail(`${error.message}\nChạy lại với --columns, ví dụ: ${example} (thêm coordinating=…, product=… nếu có).`);
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

main().catch((error: unknown) => fail(unexpected(error)));
