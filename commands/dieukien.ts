import { defineCommand, type Caller } from "../src/bot/registry.ts";
import type { App } from "../src/bot/app.ts";
import type { Responder } from "../src/chat/types.ts";
import { changeAssignment, resolveButtonTarget, resolveTarget, today, type Target } from "../src/domain/assignments.ts";
import { ACTIONS } from "../src/bot/buttons.ts";
import { parseViDate, viDate } from "../src/core/text.ts";

const PROMPT_TAG = /Thời điểm thực hiện — Mã: (\S+@\S+)/;

async function setDate(app: App, caller: Caller, respond: Responder, now: Date, target: Target, dateText: string, text: string) {
  const due = parseViDate(dateText);
  if (!due) return app.usage(respond, "dieukien", `Ngày «${dateText}» không hợp lệ: cần dạng dd/mm/yyyy.`);
  if (due < today(now)) return app.usage(respond, "dieukien", `Ngày ${viDate(due)} đã qua.`);
  const { task, assignment } = target;
  if (task.deadline.kind !== "conditional") {
    await respond.reply(`Nhiệm vụ ${task.code} không phải nhiệm vụ chờ điều kiện; muốn đổi hạn hãy dùng /giahan.`);
    return;
  }
  await changeAssignment(app, caller, now, assignment.id, "condition.date", text, (current) => ({
    assignment: { ...current, conditionDue: due, updatedAt: now.toISOString() },
    result: null,
  }));
  await respond.reply(`🗓 ${task.code} — ${app.agencyName(assignment.agencyId)}: điều kiện đã có, hạn thực hiện ${viDate(due)}. dondoc sẽ nhắc theo hạn này.`);
}

export const command = defineCommand({
  name: "dieukien",
  description: "Nhiệm vụ chờ điều kiện: báo điều kiện đã có và hạn thực hiện",
  usage: "/dieukien <mã nhiệm vụ> <dd/mm/yyyy>",
  examples: ["/dieukien A40 30/09/2021"],
  group: "cơ quan",
  async handler({ app, args, caller, respond, now, message }) {
    const [code, dateText] = args.split(" ");
    if (!code || !dateText) return app.usage(respond, "dieukien", "Thiếu mã nhiệm vụ hoặc ngày.");
    const found = resolveTarget(app, caller, code);
    if (!found.ok) return respond.reply(found.message);
    await setDate(app, caller, respond, now, found.target, dateText, message.text);
  },
  buttons: {
    async [ACTIONS.conditionDate]({ app, caller, respond, payload }) {
      const found = resolveButtonTarget(app, caller, payload);
      if (!found.ok) return respond.notice(found.message, true);
      await respond.reply({
        text: `🗓 Thời điểm thực hiện — Mã: ${found.target.assignment.id}\nĐiều kiện «${found.target.task.deadline.condition ?? found.target.task.deadline.raw}» đã có? Trả lời tin nhắn này bằng hạn thực hiện, dạng dd/mm/yyyy.`,
        forceReply: true,
      });
    },
  },
  async reply({ app, message, caller, respond, now }) {
    const tag = message.replyTo && PROMPT_TAG.exec(message.replyTo.text);
    if (!tag) return false;
    const found = resolveButtonTarget(app, caller, tag[1]);
    if (!found.ok) await respond.reply(found.message);
    else await setDate(app, caller, respond, now, found.target, message.text.trim(), message.text);
    return true;
  },
});
