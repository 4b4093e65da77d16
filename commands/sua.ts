import { defineCommand } from "../src/bot/registry.ts";
import { fold, squash } from "../src/core/text.ts";
import { editTask, type EditableField } from "../src/domain/tasks.ts";

const FIELDS: Record<string, { field: EditableField; label: string }> = {
  thoihan: { field: "deadline", label: "thời hạn" },
  chutri: { field: "leads", label: "cơ quan chủ trì" },
  phoihop: { field: "coordinating", label: "cơ quan phối hợp" },
  sanpham: { field: "product", label: "sản phẩm" },
  noidung: { field: "content", label: "nội dung" },
};

export const command = defineCommand({
  name: "sua",
  description: "Sửa một trường của nhiệm vụ (thời hạn, chủ trì, phối hợp, sản phẩm, nội dung)",
  usage: "/sua <mã nhiệm vụ> <thoihan|chutri|phoihop|sanpham|noidung> <giá trị mới>",
  examples: ["/sua A12 thoihan Quý III/2025", "/sua A12 chutri Sở Tư pháp; UBND cấp huyện"],
  group: "quản trị",
  access: "admin",
  async handler(ctx) {
    const [code, fieldName, ...rest] = ctx.args.split(" ");
    const spec = FIELDS[fold(fieldName ?? "")];
    const value = squash(rest.join(" "));
    if (!code || !spec || !value)
      return ctx.usage(!spec && fieldName ? `Không có trường «${fieldName}».` : "Thiếu mã, trường hoặc giá trị.");
    const { warnings } = await editTask(ctx, ctx.caller, code, spec.field, value, ctx.message.text);
    await ctx.respond.reply([`✏️ Đã sửa ${spec.label} của ${code.toUpperCase()}: ${value}`, ...warnings.map((w) => `⚠️ ${w}`)].join("\n"));
  },
});
