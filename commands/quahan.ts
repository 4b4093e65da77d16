import { defineCommand } from "../src/bot/registry.ts";
import { today } from "../src/domain/assignments.ts";
import { openItems, renderItems, scopeOf } from "../src/domain/lists.ts";

export const command = defineCommand({
  name: "quahan",
  description: "Nhiệm vụ đã quá hạn mà chưa hoàn thành",
  usage: "/quahan",
  examples: ["/quahan"],
  group: "cơ quan",
  async handler({ app, caller, respond, now }) {
    const scope = scopeOf(app, caller);
    if ("error" in scope) return respond.reply(scope.error);
    const day = today(now);
    const items = openItems(app, scope.agencyIds).filter((i) => i.due && i.due < day);
    if (items.length === 0) return respond.reply(`✅ ${scope.label}: không có nhiệm vụ nào quá hạn.`);
    const lines = renderItems(app, items, day, scope.agencyIds === null);
    await respond.reply([`🔴 Quá hạn — ${scope.label} (${items.length}):`, ...lines, "Cần thêm thời gian? /giahan <mã> <dd/mm/yyyy> <lý do>"].join("\n"));
  },
});
