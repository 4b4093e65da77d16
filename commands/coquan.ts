import { defineCommand } from "../src/bot/registry.ts";
import { fold, QUOTE_MAX, shorten } from "../src/core/text.ts";

export const command = defineCommand({
  name: "coquan",
  description: "Danh sách cơ quan, mã cơ quan và nhóm đã gắn",
  usage: "/coquan [từ khóa]",
  examples: ["/coquan", "/coquan tư pháp"],
  group: "chung",
  async handler({ args, respond, store, directory }) {
    const bindings = store.read().bindings;
    const key = fold(args);
    const agencies = directory.all().filter((a) => !key || fold(`${a.id} ${a.name} ${a.aliases.join(" ")}`).includes(key));
    if (agencies.length === 0) {
      await respond.reply(`Không tìm thấy cơ quan nào khớp «${shorten(args, QUOTE_MAX)}». Gõ /coquan để xem tất cả.`);
      return;
    }
    const lines = [`Cơ quan (${agencies.length}) — mã · tên · nhóm đã gắn:`];
    for (const agency of agencies) {
      const groups = bindings.filter((b) => b.agencyId === agency.id);
      const bound = groups.length ? `✅ ${groups.map((g) => g.title ?? g.chatId).join(", ")}` : "— chưa gắn nhóm";
      const mark = agency.collective ? " (nhóm cơ quan)" : "";
      lines.push(`• ${agency.id} · ${agency.name}${mark} · ${bound}`);
    }
    await respond.reply(lines.join("\n"));
  },
});
