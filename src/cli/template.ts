/**
 * npm run template -- --out mau.xlsx [--year 2026]
 *
 * Writes the plan template (src/import/template.ts): a task sheet with the header the
 * readers know and two example rows, the plan's details, and how to write deadlines. A filled
 * template loads with `npm run import -- mau.xlsx`.
 */
import { writeFile } from "node:fs/promises";
import { planTemplate } from "../import/template.ts";
import { fail, readCli, Year } from "./args.ts";

const USAGE = "Cách dùng: npm run template -- --out mau.xlsx [--year 2026]";

async function main(): Promise<void> {
  const { flags } = readCli(process.argv.slice(2), {
    usage: USAGE,
    flags: { out: { type: "string" }, year: { type: "string", check: Year } },
    rules: (f) => (f.out ? (/\.xlsx$/i.test(f.out) ? null : "--out: tệp mẫu là .xlsx, ví dụ --out mau.xlsx") : "Thiếu --out: tên tệp mẫu cần ghi."),
  });
  const year = flags.year ?? new Date().getFullYear();
  await writeFile(flags.out!, await planTemplate(year));
  process.stderr.write(`Đã ghi mẫu kế hoạch ${flags.out} (năm ${year}). Điền trang «Nhiệm vụ» và «Thông tin kế hoạch», rồi: npm run import -- ${flags.out}\n`);
}

main().catch((error: unknown) => fail(`Lỗi: ${error instanceof Error ? error.message : String(error)}`));
