import { defineCommand } from "../src/bot/registry.ts";
import { decide } from "./giahan.ts";

export const command = defineCommand({
  name: "duyet",
  description: "Duyệt đề nghị gia hạn (nhóm Sở Nội vụ)",
  usage: "/duyet <số đề nghị>",
  examples: ["/duyet 3"],
  group: "tổng hợp",
  access: "decide-extension",
  async handler(ctx) {
    const [idText, ...note] = ctx.args.split(" ");
    if (!/^\d+$/.test(idText ?? "")) return ctx.usage("Thiếu hoặc sai số đề nghị gia hạn.");
    await decide(ctx, Number(idText), true, note.join(" "), ctx.message.text);
  },
});
