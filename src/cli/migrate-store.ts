/**
 * npm run migrate-store -- --from <DATA_DIR | postgres://…> --to <postgres://… | DATA_DIR>
 *
 * Copies a whole store — state and audit trail — from a JSON data directory into PostgreSQL,
 * or back, then reopens the destination and compares it with the source (data and every
 * event); exit code 0 only when both are the same. The destination must be empty (a new
 * directory or a new database; its schema is created). Both stores are locked meanwhile: stop
 * the bot first. Only the store moves: agencies.json, holidays.json and inbox.jsonl stay in
 * DATA_DIR.
 */
import { hidePassword } from "../core/text.ts";
import { openFileStore } from "../store/file.ts";
import { type CopyReport, compareStores, copyStore } from "../store/copy.ts";
import { StoreError } from "../store/memory.ts";
import type { Store } from "../store/types.ts";
import { fail, readCli, unexpected, userPath } from "./args.ts";

const USAGE = "Cách dùng: npm run migrate-store -- --from <thư mục dữ liệu | postgres://…> --to <postgres://… | thư mục dữ liệu>";
const HELP = `
Chép toàn bộ dữ liệu (kế hoạch, nhiệm vụ, phân công, nhóm, nhật ký gửi, nhật ký sự kiện) từ một
thư mục dữ liệu (store.json, journal.jsonl, events.jsonl, sendlog-archive.jsonl) sang PostgreSQL, hoặc ngược lại, rồi so sánh hai bên.
Nơi nhận phải trống. Hãy dừng bot trước khi chạy.
  --from   nguồn: đường dẫn thư mục dữ liệu, hoặc địa chỉ postgres://người-dùng:mật-khẩu@máy:cổng/csdl
  --to     nơi nhận: như trên`;

const isUrl = (s: string) => /^postgres(ql)?:\/\//.test(s);
const shown = (s: string) => (isUrl(s) ? hidePassword(s) : s);

async function open(where: string): Promise<Store> {
  if (isUrl(where)) {
    const { openPostgresStore } = await import("../store/postgres.ts");
    return openPostgresStore(where);
  }
  return openFileStore(userPath(where));
}

async function main(): Promise<void> {
  const { flags } = readCli(process.argv.slice(2), {
    usage: USAGE,
    help: HELP,
    flags: { from: { type: "string" }, to: { type: "string" } },
    rules: (f) =>
      !f.from || !f.to
        ? "Cần cả --from và --to."
        : isUrl(f.from) === isUrl(f.to)
          ? "Một bên phải là thư mục dữ liệu, bên kia là địa chỉ postgres://…"
          : null,
  });
  const from = flags.from!;
  const to = flags.to!;
  const source = await open(from);
  let dest: Store | undefined;
  let report: CopyReport;
  let difference: string | null;
  try {
    dest = await open(to);
    report = await copyStore(source, dest);
    await dest.close();
    dest = await open(to); // compare what was really written, not the copy in memory
    difference = await compareStores(source, dest);
  } finally {
    await dest?.close();
    await source.close();
  }
  if (difference) fail(`Bản chép KHÔNG khớp với nguồn: ${difference}. Đừng dùng ${shown(to)}; hãy xoá nó và chạy lại.`);
  process.stdout.write(
    `Đã chép ${shown(from)} → ${shown(to)} và so sánh: khớp.\n` +
      `  ${report.tasks} nhiệm vụ, ${report.assignments} phân công, ${report.bindings} nhóm, ` +
      `${report.sendLog} mục nhật ký gửi, ${report.events} sự kiện.\n`,
  );
}

main().catch((error: unknown) => {
  // A store's own refusal: its Vietnamese half (before " / "); anything else as unexpected.
  const text = error instanceof StoreError ? error.message.split(" / ")[0] : unexpected(error);
  fail(text.replace(/postgres(ql)?:\/\/\S+/g, (url) => hidePassword(url)));
});
