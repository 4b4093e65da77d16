/** Reading a plan file from this machine's disk (local mode's `/nap <path>`), with plain Vietnamese errors. */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { Refusal } from "../core/refusal.ts";
import { MAX_PLAN_BYTES } from "./read.ts";
import { sizeText } from "./service.ts";

/**
 * The file at `filePath` (relative paths from `cwd`), checked before it is read: it exists,
 * is a regular file (not a folder, a device or a named pipe, which would be read forever) and
 * is at most MAX_PLAN_BYTES. Throws a Refusal otherwise.
 */
export async function readLocalPlanFile(filePath: string, cwd = process.cwd()): Promise<{ name: string; data: Buffer }> {
  const full = path.resolve(cwd, filePath);
  const info = await stat(full).catch(() => null);
  if (!info) throw new Refusal(`Không mở được tệp ${filePath}: không có tệp này (đường dẫn tính từ ${cwd}).`);
  if (info.isDirectory())
    throw new Refusal(
      `${filePath} là một thư mục, không phải tệp kế hoạch. Ghi đường dẫn tới tệp, ví dụ ${path.join(filePath, "ke-hoach.docx")}.`,
    );
  // A device (/dev/zero) or a named pipe has no size and would be read forever.
  if (!info.isFile()) throw new Refusal(`${filePath} không phải một tệp thường (thiết bị hoặc đường ống): không đọc được kế hoạch từ đó.`);
  if (info.size > MAX_PLAN_BYTES) throw new Refusal(`⚠️ Tệp quá lớn (${sizeText(info.size)}); tối đa ${sizeText(MAX_PLAN_BYTES)}.`);
  return { name: path.basename(full), data: await readFile(full) };
}
