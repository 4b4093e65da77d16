import { defineCommand } from "../src/bot/registry.ts";
import { today } from "../src/domain/assignments.ts";
import { addDays } from "../src/core/calendar.ts";
import { viDate } from "../src/core/text.ts";
import { openItems, renderItems, scopeOf } from "../src/domain/lists.ts";

export const command = defineCommand({
  name: "sapden",
  description: "Nhiệm vụ sắp đến hạn (mặc định 14 ngày tới)",
  usage: "/sapden [số ngày, 1–366]",
  examples: ["/sapden", "/sapden 30"],
  group: "cơ quan",
  async handler({ app, args, caller, respond, now }) {
    const days = args ? Number(args.split(" ")[0]) : 14;
    if (!Number.isInteger(days) || days < 1 || days > 366) return app.usage(respond, "sapden", `Số ngày «${args}» không hợp lệ: cần số nguyên từ 1 đến 366.`);
    const scope = scopeOf(app, caller);
    if ("error" in scope) return respond.reply(scope.error);
    const day = today(now);
    const until = addDays(day, days);
    const items = openItems(app, scope.agencyIds).filter((i) => i.due && i.due >= day && i.due <= until);
    if (items.length === 0) return respond.reply(`${scope.label}: không có nhiệm vụ nào đến hạn từ nay đến ${viDate(until)}.`);
    const lines = renderItems(app, items, day, scope.agencyIds === null);
    await respond.reply([`🟡 Sắp đến hạn đến ${viDate(until)} — ${scope.label} (${items.length}):`, ...lines].join("\n"));
  },
});
