import { defineCommand, usageText, type CommandDefinition } from "../src/bot/registry.ts";
import { QUOTE_MAX, shorten } from "../src/core/text.ts";
import { allows } from "../src/domain/access.ts";

const GROUP_ORDER: CommandDefinition["group"][] = ["cơ quan", "tổng hợp", "chung", "quản trị"];
const GROUP_TITLE: Record<CommandDefinition["group"], string> = {
  "cơ quan": "📋 Cho cán bộ đầu mối",
  "tổng hợp": "📊 Tổng hợp, báo cáo",
  chung: "ℹ️ Chung",
  "quản trị": "🔧 Quản trị (Sở Nội vụ)",
};

export const command = defineCommand({
  name: "giup",
  description: "Danh sách lệnh và cách dùng",
  usage: "/giup [tên lệnh]",
  examples: ["/giup", "/giup tiendo"],
  group: "chung",
  async handler({ registry, args, respond, caller }) {
    if (args) {
      const wanted = registry.get(args.replace(/^\//, "").split(/[\s@]/)[0]);
      if (!wanted) {
        await respond.reply(`Không có lệnh «${shorten(args, QUOTE_MAX)}». Gõ /giup để xem danh sách lệnh.`);
        return;
      }
      await respond.reply(`/${wanted.name} — ${wanted.description}\n${usageText(wanted)}`);
      return;
    }
    const lines = ["dondoc — theo dõi, đôn đốc Kế hoạch cải cách hành chính.", ""];
    for (const group of GROUP_ORDER) {
      const commands = registry
        .list()
        .filter((c) => c.group === group && (c.access !== "admin" || allows(caller, "admin")) && (c.access !== "import" || caller.isAdmin));
      if (commands.length === 0) continue;
      lines.push(GROUP_TITLE[group]);
      for (const c of commands) lines.push(`/${c.name} — ${c.description}`);
      lines.push("");
    }
    lines.push("Gõ /giup <lệnh> để xem cách dùng và ví dụ, ví dụ: /giup tiendo");
    await respond.reply(lines.join("\n"));
  },
});
