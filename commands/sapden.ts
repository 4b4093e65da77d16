import { defineCommand } from "../src/bot/registry.ts";
import { listLines } from "../src/bot/views.ts";
import { addDays, toVnDay } from "../src/core/calendar.ts";
import { viDate } from "../src/core/text.ts";
import { openAssignments, scopeOf } from "../src/domain/lists.ts";

export const command = defineCommand({
  name: "sapden",
  description: "Nhiệm vụ sắp đến hạn (mặc định 14 ngày tới)",
  usage: "/sapden [số ngày, 1–366]",
  examples: ["/sapden", "/sapden 30"],
  group: "cơ quan",
  async handler(ctx) {
    const [first, ...extra] = ctx.args ? ctx.args.split(" ") : [];
    // Digits only: Number() would read «1e2» as 100 and «0x1f» as 31.
    const days = first === undefined ? 14 : /^\d{1,3}$/.test(first) ? Number(first) : Number.NaN;
    if (!Number.isInteger(days) || days < 1 || days > 366) return ctx.usage(`Số ngày «${first}» không hợp lệ: cần số nguyên từ 1 đến 366.`);
    if (extra.length) return ctx.usage(`Thừa «${extra.join(" ")}»: /sapden chỉ nhận số ngày.`);
    const scope = scopeOf(ctx.directory, ctx.caller);
    const day = toVnDay(ctx.now);
    const until = addDays(day, days);
    const items = openAssignments(ctx.store.read(), scope.agencyIds).filter((i) => i.due && i.due >= day && i.due <= until);
    if (items.length === 0) return ctx.respond.reply(`${scope.label}: không có nhiệm vụ nào đến hạn từ nay đến ${viDate(until)}.`);
    const lines = listLines(items, day, ctx.calendar, scope.agencyIds === null ? ctx.directory.nameOf : undefined);
    await ctx.respond.reply([`🟡 Sắp đến hạn đến ${viDate(until)} — ${scope.label} (${items.length}):`, ...lines].join("\n"));
  },
});
