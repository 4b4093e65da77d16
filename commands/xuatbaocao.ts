import { BUTTONS } from "../src/bot/buttons.ts";
import { defineCommand, type HandlerContext } from "../src/bot/registry.ts";
import { toVnDay } from "../src/core/calendar.ts";
import { done } from "../src/digest/figures.ts";
import { digestFor, readRequest } from "../src/digest/request.ts";
import { scopeLabel } from "../src/digest/text.ts";
import { digestWorkbook, reportFileName } from "../src/digest/xlsx.ts";

async function send(ctx: HandlerContext, args: string) {
  const request = readRequest(ctx.directory, ctx.caller, args, toVnDay(ctx.now));
  const digest = await digestFor(ctx, request, ctx.now);
  const data = await digestWorkbook(digest, { agencyName: request.agencyName, now: ctx.now });
  const t = digest.totals;
  await ctx.respond.replyFile({
    name: reportFileName(digest),
    data,
    kind: "document",
    caption: `📥 Báo cáo CCHC ${digest.period.label} — ${scopeLabel(digest, request.agencyName)}: ${t.tasks} nhiệm vụ, hoàn thành ${done(t)}, quá hạn ${t.openOverdue}.`,
  });
}

export const command = defineCommand({
  name: "xuatbaocao",
  description: "Xuất báo cáo kết quả thực hiện kế hoạch CCHC ra tệp Excel (.xlsx)",
  usage: "/xuatbaocao [quy [I–IV|1–4] | thang <1–12> | nam] [mã cơ quan | lĩnh vực]",
  examples: ["/xuatbaocao", "/xuatbaocao quy 2", "/xuatbaocao nam", "/xuatbaocao quy 3 so-noi-vu"],
  group: "tổng hợp",
  handler: (ctx) => send(ctx, ctx.args),
  buttons: {
    [BUTTONS.digestReport]: { run: (ctx) => send(ctx, ctx.payload) },
  },
});
