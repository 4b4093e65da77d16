import { defineCommand } from "../src/bot/registry.ts";
import { addAlias } from "../src/domain/tasks.ts";

export const command = defineCommand({
  name: "bidanh",
  description: "Gán một tên cơ quan trong kế hoạch vào cơ quan có trong danh mục",
  usage: "/bidanh <tên như trong kế hoạch> = <mã cơ quan>",
  examples: ["/bidanh Sở TT-TT = so-tttt", "/bidanh BQL các KCN tỉnh = bql-kkt"],
  group: "quản trị",
  access: "admin",
  async handler(ctx) {
    const [name, id] = ctx.args.split("=").map((s) => s.trim());
    if (!name || !id) return ctx.usage("Cần tên và mã cơ quan, ngăn cách bằng dấu =.");
    const { agency, tasks } = await addAlias(ctx, ctx.caller, name, id, ctx.message.text);
    const assigned = tasks.length
      ? ` Đã giao ${tasks.length} nhiệm vụ: ${tasks.slice(0, 20).join(", ")}${tasks.length > 20 ? "…" : ""}.`
      : "";
    await ctx.respond.reply(`✅ «${name}» → ${agency.name}.${assigned}`);
  },
});
