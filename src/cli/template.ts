/**
 * npm run template -- --out mau.xlsx [--year 2026] [--help]
 *
 * Writes the plan template (src/import/template.ts): a task sheet with the header the
 * readers know and two example rows, the plan's details, and how to write deadlines. A filled
 * template loads with `npm run import -- mau.xlsx`. A relative --out is written in the folder
 * the user ran `npm run` in.
 */
import { stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { planTemplate } from "../import/template.ts";
import { fail, unexpected, fileErrorText, readCli, userPath, Year } from "./args.ts";

const USAGE = "Cách dùng: npm run template -- --out mau.xlsx [--year 2026]";

const HELP = `
Ghi tệp mẫu kế hoạch (.xlsx) để gõ lại một kế hoạch dondoc không đọc được: trang «Nhiệm vụ» (dòng tiêu đề
và hai dòng ví dụ), «Thông tin kế hoạch» (tên, số, ngày ký — thay giá trị mẫu) và «Cách ghi thời hạn».

  --out mau.xlsx           tệp cần ghi (đường dẫn tương đối tính từ thư mục đang đứng; thư mục phải có sẵn)
  --year 2027              năm của kế hoạch (mặc định: năm nay); các ví dụ thời hạn theo năm này
  --help                   in hướng dẫn này`;

async function main(): Promise<void> {
  const { flags } = readCli(process.argv.slice(2), {
    usage: USAGE,
    help: HELP,
    flags: { out: { type: "string" }, year: { type: "string", check: Year } },
    rules: (f) =>
      f.out ? (/\.xlsx$/i.test(f.out) ? null : "--out: tệp mẫu là .xlsx, ví dụ --out mau.xlsx") : "Thiếu --out: tên tệp mẫu cần ghi.",
  });
  const typed = flags.out!;
  const out = userPath(typed);
  const folder = path.dirname(out);
  const where = await stat(folder).catch(() => null);
  if (!where) fail(`Thư mục «${path.dirname(typed)}» không có: hãy tạo thư mục đó trước, hoặc ghi vào thư mục khác (--out …).`);
  if (!where.isDirectory()) fail(`«${path.dirname(typed)}» không phải thư mục: kiểm tra lại --out.`);
  if ((await stat(out).catch(() => null))?.isDirectory()) fail(fileErrorText({ code: "EISDIR" }, typed, true)!);
  const year = flags.year ?? new Date().getFullYear();
  const data = await planTemplate(year);
  await writeFile(out, data).catch((error: unknown) => fail(fileErrorText(error, typed, true) ?? `Không ghi được «${typed}».`));
  const next = `npm run import -- ${typed}`;
  process.stderr.write(`Đã ghi mẫu kế hoạch ${typed} (năm ${year}). Điền trang «Nhiệm vụ» và «Thông tin kế hoạch», rồi: ${next}\n`);
}

main().catch((error: unknown) => fail(unexpected(error)));
