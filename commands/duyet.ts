import { defineCommand } from "../src/bot/registry.ts";
import { decideExtension } from "../src/domain/extensions.ts";

export const command = defineCommand({
  name: "duyet",
  description: "Duyệt đề nghị gia hạn (nhóm Sở Nội vụ)",
  usage: "/duyet <số đề nghị>",
  examples: ["/duyet 3"],
  group: "tổng hợp",
  async handler({ app, args, caller, respond, now, message }) {
    const [idText, ...note] = args.split(" ");
    if (!/^\d+$/.test(idText ?? "")) return app.usage(respond, "duyet", "Thiếu hoặc sai số đề nghị gia hạn.");
    await decideExtension(app, caller, respond, now, Number(idText), true, note.join(" "), message.text);
  },
});
