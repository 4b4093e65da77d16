import { BUTTONS } from "../src/bot/buttons.ts";
import { defineCommand, type HandlerContext } from "../src/bot/registry.ts";
import { shorten } from "../src/core/text.ts";
import { reportBlocker, resolveTarget, type Target } from "../src/domain/assignments.ts";

const PROMPT_TAG = /Vướng mắc — Mã: (\S+@\S+)/;

async function report(ctx: HandlerContext, target: Target, blocker: string, text: string) {
  const { task, assignment } = target;
  await reportBlocker(ctx, ctx.caller, target, blocker, text);
  const forwarded = await ctx.outbox.toCoordinator({
    text: `⚠️ Vướng mắc — ${ctx.directory.nameOf(assignment.agencyId)}\n${task.code} — ${shorten(task.title, 90)}\n«${blocker}»\n(${ctx.caller.userName} báo)`,
  });
  await ctx.respond.reply(
    `⚠️ Đã ghi nhận vướng mắc của ${task.code}` +
      (forwarded
        ? " và chuyển tới nhóm Sở Nội vụ."
        : ". Chưa chuyển được tới nhóm Sở Nội vụ (chưa gắn nhóm hoặc không gửi được); Sở Nội vụ vẫn thấy trong /chitiet và bản tổng hợp."),
  );
}

export const command = defineCommand({
  name: "vuongmac",
  description: "Báo vướng mắc của một nhiệm vụ (chuyển tới Sở Nội vụ)",
  usage: "/vuongmac <mã nhiệm vụ> <nội dung>",
  examples: ["/vuongmac A12 Chờ ý kiến góp ý của các sở"],
  group: "cơ quan",
  async handler(ctx) {
    const [code, ...rest] = ctx.args.split(" ");
    if (!code) return ctx.usage("Thiếu mã nhiệm vụ và nội dung vướng mắc.");
    if (rest.length === 0) return ctx.usage("Thiếu nội dung vướng mắc.");
    await report(ctx, resolveTarget(ctx, ctx.caller, code), rest.join(" "), ctx.message.text);
  },
  buttons: {
    [BUTTONS.blocker]: {
      async run(ctx) {
        const { assignment } = resolveTarget(ctx, ctx.caller, ctx.payload);
        await ctx.respond.reply({
          text: `⚠️ Vướng mắc — Mã: ${assignment.id}\nNhập nội dung vướng mắc bằng cách trả lời tin nhắn này.`,
          forceReply: true,
        });
      },
    },
  },
  reply: {
    match: (message) => (message.replyTo && PROMPT_TAG.exec(message.replyTo.text)?.[1]) || null,
    async run(ctx) {
      const target = resolveTarget(ctx, ctx.caller, ctx.match);
      if (!ctx.message.text.trim()) return ctx.respond.reply("Nội dung vướng mắc đang trống; hãy trả lời lại bằng chữ.");
      await report(ctx, target, ctx.message.text.trim(), ctx.message.text);
    },
  },
});
