import { defineCommand } from "../src/bot/registry.ts";
import { decide, readRequestId } from "./giahan.ts";

export const command = defineCommand({
  name: "duyet",
  description: "Duyệt đề nghị gia hạn (nhóm Sở Nội vụ)",
  usage: "/duyet <số đề nghị>",
  examples: ["/duyet 3"],
  group: "tổng hợp",
  access: "decide-extension",
  async handler(ctx) {
    const [idText, ...note] = ctx.args.split(" ");
    const id = readRequestId(idText);
    if (id === null) return ctx.usage(idText ? `Số đề nghị «${idText}» không hợp lệ.` : "Thiếu số đề nghị gia hạn.");
    await decide(ctx, id, true, note.join(" "), ctx.message.text);
  },
});
