import { defineCommand } from "../src/bot/registry.ts";
import { listLines, page } from "../src/bot/views.ts";
import { toVnDay } from "../src/core/calendar.ts";
import { openAssignments, scopeOf } from "../src/domain/lists.ts";

export const command = defineCommand({
  name: "nhiemvu",
  description: "Các nhiệm vụ chưa hoàn thành của cơ quan: mã, hạn, tiến độ",
  usage: "/nhiemvu [trang] [mã cơ quan — ở nhóm Sở Nội vụ]",
  examples: ["/nhiemvu", "/nhiemvu 2", "/nhiemvu so-tu-phap"],
  group: "cơ quan",
  async handler(ctx) {
    const parts = ctx.args ? ctx.args.split(" ") : [];
    // Anything typed as a number is the page: never an agency's id, so never "no such agency".
    const numbers = parts.filter((p) => /^[-+−]?[.,]?\d/.test(p));
    if (numbers.length > 1) return ctx.usage(`Chỉ ghi một số trang (đang có ${numbers.map((n) => `«${n}»`).join(", ")}).`);
    const pageArg = numbers[0];
    if (pageArg !== undefined && !/^0*[1-9]\d{0,5}$/.test(pageArg))
      return ctx.usage(`Số trang «${pageArg}» không hợp lệ: cần số nguyên từ 1, ví dụ /nhiemvu 2.`);
    const scope = scopeOf(ctx.directory, ctx.caller, parts.filter((p) => p !== pageArg).join(" ") || undefined);
    const items = openAssignments(ctx.store.read(), scope.agencyIds);
    if (items.length === 0) return ctx.respond.reply(`🎉 ${scope.label}: không còn nhiệm vụ nào chưa hoàn thành.`);
    const all = listLines(items, toVnDay(ctx.now), ctx.calendar, scope.agencyIds === null ? ctx.directory.nameOf : undefined);
    const { lines, footer } = page(all, Number(pageArg ?? 1), "nhiemvu");
    const how = "Báo cáo: /tiendo <mã> <%>, /xong <mã> <số văn bản>; xem: /chitiet <mã>";
    await ctx.respond.reply(
      [`📋 Nhiệm vụ chưa hoàn thành — ${scope.label} (${items.length}):`, ...lines, footer, how].filter(Boolean).join("\n"),
    );
  },
});
