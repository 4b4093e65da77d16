import { BUTTONS } from "../src/bot/buttons.ts";
import { defineCommand, type HandlerContext } from "../src/bot/registry.ts";
import { toVnDay } from "../src/core/calendar.ts";
import { digestChart } from "../src/digest/chart.ts";
import { completion } from "../src/digest/figures.ts";
import { digestFor, readRequest } from "../src/digest/request.ts";
import { pct, scopeLabel } from "../src/digest/text.ts";
import { reportFileName } from "../src/digest/xlsx.ts";

async function send(ctx: HandlerContext, args: string) {
  const request = readRequest(ctx.directory, ctx.caller, args, toVnDay(ctx.now));
  const digest = await digestFor(ctx, request, ctx.now);
  const chart = await digestChart(digest, { agencyName: request.agencyName });
  await ctx.respond.replyFile({
    name: reportFileName(digest, "png").replace(/^tong-ket/, "bieu-do"),
    data: chart.png,
    kind: "photo",
    caption: `📊 Tỷ lệ hoàn thành ${digest.period.label} — ${scopeLabel(digest, request.agencyName)}: ${pct(completion(digest.totals))}. Chi tiết: /tongket ${request.args} chitiet`,
  });
}

export const command = defineCommand({
  name: "bieudo",
  description: "Biểu đồ tỷ lệ hoàn thành nhiệm vụ CCHC theo cơ quan (ảnh PNG)",
  usage: "/bieudo [quy <I–IV|1–4> | thang <1–12> | nam] [mã cơ quan | lĩnh vực]",
  examples: ["/bieudo", "/bieudo quy 2", "/bieudo nam tthc"],
  group: "tổng hợp",
  handler: (ctx) => send(ctx, ctx.args),
  buttons: {
    [BUTTONS.digestChart]: { run: (ctx) => send(ctx, ctx.payload) },
  },
});
