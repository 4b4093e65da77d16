import { defineCommand } from "../src/bot/registry.ts";
import { today } from "../src/domain/assignments.ts";
import { openItems, page, renderItems, scopeOf } from "../src/domain/lists.ts";

export const command = defineCommand({
  name: "nhiemvu",
  description: "Các nhiệm vụ chưa hoàn thành của cơ quan: mã, hạn, tiến độ",
  usage: "/nhiemvu [trang] [mã cơ quan — ở nhóm Sở Nội vụ]",
  examples: ["/nhiemvu", "/nhiemvu 2", "/nhiemvu so-tu-phap"],
  group: "cơ quan",
  async handler({ app, args, caller, respond, now }) {
    const parts = args ? args.split(" ") : [];
    const pageArg = parts.find((p) => /^\d+$/.test(p));
    const agencyArg = parts.filter((p) => p !== pageArg).join(" ") || undefined;
    const scope = scopeOf(app, caller, agencyArg);
    if ("error" in scope) return respond.reply(scope.error);
    const items = openItems(app, scope.agencyIds);
    if (items.length === 0) return respond.reply(`🎉 ${scope.label}: không còn nhiệm vụ nào chưa hoàn thành.`);
    const { lines, footer } = page(renderItems(app, items, today(now), scope.agencyIds === null), Number(pageArg ?? 1), "nhiemvu");
    await respond.reply([`📋 Nhiệm vụ chưa hoàn thành — ${scope.label} (${items.length}):`, ...lines, footer, "Báo cáo: /tiendo <mã> <%>, /xong <mã> <số văn bản>; xem: /chitiet <mã>"].filter(Boolean).join("\n"));
  },
});
