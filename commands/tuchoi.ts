import { defineCommand } from "../src/bot/registry.ts";
import { decideExtension } from "../src/domain/extensions.ts";

export const command = defineCommand({
  name: "tuchoi",
  description: "Từ chối đề nghị gia hạn, kèm lý do (nhóm Sở Nội vụ)",
  usage: "/tuchoi <số đề nghị> <lý do>",
  examples: ["/tuchoi 3 Nhiệm vụ trọng tâm, không lùi hạn"],
  group: "tổng hợp",
  async handler({ app, args, caller, respond, now, message }) {
    const [idText, ...reason] = args.split(" ");
    if (!/^\d+$/.test(idText ?? "")) return app.usage(respond, "tuchoi", "Thiếu hoặc sai số đề nghị gia hạn.");
    if (reason.length === 0) return app.usage(respond, "tuchoi", "Thiếu lý do từ chối.");
    await decideExtension(app, caller, respond, now, Number(idText), false, reason.join(" "), message.text);
  },
});
