import { defineCommand } from "../src/bot/registry.ts";
import { addAgency } from "../src/domain/tasks.ts";

export const command = defineCommand({
  name: "themcoquan",
  description: "Thêm một cơ quan vào danh mục",
  usage: "/themcoquan <tên cơ quan> [= mã]",
  examples: ["/themcoquan Ban Quản lý dự án đầu tư xây dựng tỉnh", "/themcoquan Quỹ Phát triển đất tỉnh = quy-ptd"],
  group: "quản trị",
  access: "admin",
  async handler(ctx) {
    const [name, idArg] = ctx.args.split("=").map((s) => s.trim());
    if (!name) return ctx.usage("Thiếu tên cơ quan.");
    const agency = await addAgency(ctx, ctx.caller, name, idArg, ctx.message.text);
    await ctx.respond.reply(
      `✅ Đã thêm ${name} (mã ${agency.id}). Gán tên trong kế hoạch bằng /bidanh <tên> = ${agency.id}; gắn nhóm bằng /dangky ${agency.id}.`,
    );
  },
});
