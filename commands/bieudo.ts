import { defineCommand, type Caller } from "../src/bot/registry.ts";
import type { App } from "../src/bot/app.ts";
import type { Responder } from "../src/chat/types.ts";
import { toVnDay } from "../src/core/calendar.ts";
import { completion } from "../src/digest/figures.ts";
import { digestChart } from "../src/digest/chart.ts";
import { DIGEST_ACTIONS, digestFor, readRequest } from "../src/digest/request.ts";
import { pct, scopeLabel } from "../src/digest/text.ts";
import { reportFileName } from "../src/digest/xlsx.ts";

async function send(app: App, caller: Caller, respond: Responder, now: Date, args: string) {
  const request = readRequest(app, caller, args, toVnDay(now));
  if ("problem" in request) return request.usage ? app.usage(respond, "bieudo", request.problem) : respond.reply(request.problem);
  const digest = await digestFor(app, request, now);
  const chart = digestChart(digest, { agencyName: request.agencyName });
  await respond.replyFile({
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
  async handler({ app, args, caller, respond, now }) {
    await send(app, caller, respond, now, args);
  },
  buttons: {
    async [DIGEST_ACTIONS.chart]({ app, caller, respond, payload, now }) {
      await send(app, caller, respond, now, payload);
    },
  },
});
