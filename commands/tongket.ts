import { defineCommand, type Caller } from "../src/bot/registry.ts";
import type { App } from "../src/bot/app.ts";
import type { Responder } from "../src/chat/types.ts";
import { toVnDay } from "../src/core/calendar.ts";
import { detailText, summaryText } from "../src/digest/text.ts";
import { DIGEST_ACTIONS, digestButtons, digestFor, readRequest } from "../src/digest/request.ts";

async function answer(app: App, caller: Caller, respond: Responder, now: Date, args: string, forceDetail: boolean) {
  const request = readRequest(app, caller, args, toVnDay(now));
  if ("problem" in request) return request.usage ? app.usage(respond, "tongket", request.problem) : respond.reply(request.problem);
  const digest = await digestFor(app, request, now);
  if (request.detail || forceDetail) {
    await respond.reply(detailText(digest, { agencyName: request.agencyName }));
    return;
  }
  await respond.reply({
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
  async handler({ app, args, caller, respond, now }) {
    await answer(app, caller, respond, now, args, false);
  },
  buttons: {
    async [DIGEST_ACTIONS.detail]({ app, caller, respond, payload, now }) {
      await answer(app, caller, respond, now, payload, true);
    },
  },
});
