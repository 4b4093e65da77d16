import { defineCommand, type Caller } from "../src/bot/registry.ts";
import type { App } from "../src/bot/app.ts";
import type { Responder } from "../src/chat/types.ts";
import { toVnDay } from "../src/core/calendar.ts";
import { done } from "../src/digest/figures.ts";
import { DIGEST_ACTIONS, digestFor, readRequest } from "../src/digest/request.ts";
import { scopeLabel } from "../src/digest/text.ts";
import { digestWorkbook, reportFileName } from "../src/digest/xlsx.ts";

async function send(app: App, caller: Caller, respond: Responder, now: Date, args: string) {
  const request = readRequest(app, caller, args, toVnDay(now));
  if ("problem" in request) return request.usage ? app.usage(respond, "xuatbaocao", request.problem) : respond.reply(request.problem);
  const digest = await digestFor(app, request, now);
  const data = await digestWorkbook(digest, { agencyName: request.agencyName, now });
  const t = digest.totals;
  await respond.replyFile({
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
  async handler({ app, args, caller, respond, now }) {
    await send(app, caller, respond, now, args);
  },
  buttons: {
    async [DIGEST_ACTIONS.report]({ app, caller, respond, payload, now }) {
      await send(app, caller, respond, now, payload);
    },
  },
});
