import { BUTTONS, digestButtons } from "../src/bot/buttons.ts";
import { defineCommand, type HandlerContext } from "../src/bot/registry.ts";
import { toVnDay } from "../src/core/calendar.ts";
import { digestFor, readRequest } from "../src/digest/request.ts";
import { detailText, summaryText } from "../src/digest/text.ts";

async function answer(ctx: HandlerContext, args: string, forceDetail: boolean) {
  const request = readRequest(ctx.directory, ctx.caller, args, toVnDay(ctx.now));
  const digest = await digestFor(ctx, request, ctx.now);
  if (request.detail || forceDetail) return ctx.respond.reply(detailText(digest, { agencyName: request.agencyName }));
  await ctx.respond.reply({
    text: summaryText(digest, { agencyName: request.agencyName, more: `/tongket ${request.args} chitiet` }),
    buttons: digestButtons(request.args),
  });
}

export const command = defineCommand({
  name: "tongket",
  description: "Tổng hợp kết quả thực hiện kế hoạch CCHC theo quý, tháng, năm",
  usage: "/tongket [quy <I–IV|1–4> | thang <1–12> | nam] [mã cơ quan | lĩnh vực] [chitiet]",
  examples: ["/tongket", "/tongket quy 2", "/tongket thang 5 so-tu-phap", "/tongket nam tthc", "/tongket quy II chitiet"],
  group: "tổng hợp",
  handler: (ctx) => answer(ctx, ctx.args, false),
  buttons: {
    [BUTTONS.digestDetail]: { run: (ctx) => answer(ctx, ctx.payload, true) },
  },
});
