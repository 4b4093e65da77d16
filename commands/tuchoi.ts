import { defineCommand } from "../src/bot/registry.ts";
import { decide, readRequestId } from "./giahan.ts";

export const command = defineCommand({
  name: "tuchoi",
  description: "Từ chối đề nghị gia hạn, kèm lý do (nhóm Sở Nội vụ)",
  usage: "/tuchoi <số đề nghị> <lý do>",
  examples: ["/tuchoi 3 Nhiệm vụ trọng tâm, không lùi hạn"],
  group: "tổng hợp",
  access: "decide-extension",
  async handler(ctx) {
    const [idText, ...reason] = ctx.args.split(" ");
    const id = readRequestId(idText);
    if (id === null) return ctx.usage(idText ? `Số đề nghị «${idText}» không hợp lệ.` : "Thiếu số đề nghị gia hạn.");
    if (reason.length === 0) return ctx.usage("Thiếu lý do từ chối.");
    await decide(ctx, id, false, reason.join(" "), ctx.message.text);
  },
});
