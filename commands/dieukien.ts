import { BUTTONS } from "../src/bot/buttons.ts";
import { defineCommand, type HandlerContext } from "../src/bot/registry.ts";
import { parseViDate, viDate, viDateProblem } from "../src/core/text.ts";
import { conditionDateRefusal, resolveTarget, setConditionDate, type Target } from "../src/domain/assignments.ts";
import { Refusal } from "../src/domain/context.ts";

const PROMPT_TAG = /Thời điểm thực hiện — Mã: (\S+@\S+)/;

async function setDate(ctx: HandlerContext, target: Target, dateText: string, text: string) {
  if (!dateText.trim()) throw new Refusal("Thiếu ngày: ghi hạn thực hiện dạng dd/mm/yyyy, ví dụ 30/09/2021.", true);
  const due = parseViDate(dateText);
  if (!due) throw new Refusal(viDateProblem(dateText), true);
  await setConditionDate(ctx, ctx.caller, target, due, text);
  const { task, assignment } = target;
  await ctx.respond.reply(
    `🗓 ${task.code} — ${ctx.directory.nameOf(assignment.agencyId)}: điều kiện đã có, hạn thực hiện ${viDate(due)}. dondoc sẽ nhắc theo hạn này.`,
  );
}

export const command = defineCommand({
  name: "dieukien",
  description: "Nhiệm vụ chờ điều kiện: báo điều kiện đã có và hạn thực hiện",
  usage: "/dieukien <mã nhiệm vụ> <dd/mm/yyyy>",
  examples: ["/dieukien A15 30/09/2021"],
  group: "cơ quan",
  async handler(ctx) {
    const [code, dateText] = ctx.args.split(" ");
    if (!code || !dateText) return ctx.usage("Thiếu mã nhiệm vụ hoặc ngày.");
    await setDate(ctx, resolveTarget(ctx, ctx.caller, code), dateText, ctx.message.text);
  },
  buttons: {
    [BUTTONS.conditionDate]: {
      async run(ctx) {
        const target = resolveTarget(ctx, ctx.caller, ctx.payload);
        // An old 🗓 (the date was given since, or the deadline was fixed): say so now, not after the date is typed.
        const refusal = conditionDateRefusal(target, ctx.caller);
        if (refusal) throw refusal;
        const { task, assignment } = target;
        await ctx.respond.reply({
          text: `🗓 Thời điểm thực hiện — Mã: ${assignment.id}\nĐiều kiện «${task.deadline.condition ?? task.deadline.raw}» đã có? Trả lời tin nhắn này bằng hạn thực hiện, dạng dd/mm/yyyy.`,
          forceReply: true,
        });
      },
    },
  },
  reply: {
    match: (message) => (message.replyTo && PROMPT_TAG.exec(message.replyTo.text)?.[1]) || null,
    run: (ctx) => setDate(ctx, resolveTarget(ctx, ctx.caller, ctx.match), ctx.message.text.trim(), ctx.message.text),
  },
});
