import { defineCommand } from "../src/bot/registry.ts";
import { listLines } from "../src/bot/views.ts";
import { toVnDay } from "../src/core/calendar.ts";
import { openAssignments, scopeOf } from "../src/domain/lists.ts";

export const command = defineCommand({
  name: "quahan",
  description: "Nhiệm vụ đã quá hạn mà chưa hoàn thành",
  usage: "/quahan",
  examples: ["/quahan"],
  group: "cơ quan",
  async handler(ctx) {
    if (ctx.args) return ctx.usage(`Thừa «${ctx.args}»: /quahan không nhận tham số.`);
    const scope = scopeOf(ctx.directory, ctx.caller);
    const day = toVnDay(ctx.now);
    const items = openAssignments(ctx.store.read(), scope.agencyIds).filter((i) => i.due && i.due < day);
    if (items.length === 0) return ctx.respond.reply(`✅ ${scope.label}: không có nhiệm vụ nào quá hạn.`);
    const lines = listLines(items, day, ctx.calendar, scope.agencyIds === null ? ctx.directory.nameOf : undefined);
    await ctx.respond.reply(
      [`🔴 Quá hạn — ${scope.label} (${items.length}):`, ...lines, "Cần thêm thời gian? /giahan <mã> <dd/mm/yyyy> <lý do>"].join("\n"),
    );
  },
});
