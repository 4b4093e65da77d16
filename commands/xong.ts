import { BUTTONS, parseDonePayload } from "../src/bot/buttons.ts";
import { defineCommand, type HandlerContext } from "../src/bot/registry.ts";
import { toVnDay } from "../src/core/calendar.ts";
import { evidenceLine } from "../src/core/progress.ts";
import { viDate } from "../src/core/text.ts";
import { attachEvidence, reportDone, resolveTarget, type DoneScope, type Target } from "../src/domain/assignments.ts";

/** The line the bot's answer carries so a file sent in reply finds its assignment again. */
const EVIDENCE_TAG = /Mã: (\S+@\S+) — gửi tệp kiểm chứng/;

async function finish(ctx: HandlerContext, target: Target, evidenceText: string, text: string, scope?: DoneScope) {
  const { task, assignment } = target;
  const result = await reportDone(ctx, ctx.caller, target, evidenceText, text, scope);
  const agency = ctx.directory.nameOf(assignment.agencyId);
  const lines: string[] = [];
  if (result.milestone) {
    const late = ctx.calendar.workingDaysBetween(result.milestone.due, toVnDay(ctx.now));
    const timing = result.onTime ? "đúng hạn" : `trễ hạn ${late} ngày làm việc`;
    const what = result.milestone.label ? ` mốc «${result.milestone.label}»` : "";
    lines.push(`✅ ${task.code} — ${agency}: hoàn thành${what} (hạn ${viDate(result.milestone.due)}), ${timing}.`);
    if (!result.finished) {
      const next = result.assignment.milestonesDone.length;
      lines.push(`Nhiệm vụ còn mốc tiếp theo (${next}/${task.deadline.milestones.length} mốc đã xong).`);
    }
  } else if (task.deadline.kind === "continuous") {
    lines.push(`✅ ${task.code} — ${agency}: đã ghi nhận báo cáo kỳ này (nhiệm vụ thường xuyên).`);
  } else {
    lines.push(`✅ ${task.code} — ${agency}: hoàn thành.`);
  }
  // Exactly what was stored: the same reading the use case kept.
  lines.push(evidenceLine(result.evidence));
  lines.push(
    `Mã: ${assignment.id} — gửi tệp kiểm chứng bằng cách trả lời tin nhắn này: ${ctx.caller.chatId.startsWith("zl:") ? "một ảnh (Zalo chỉ gửi được ảnh)" : "PDF hoặc ảnh"}.`,
  );
  await ctx.respond.reply(lines.join("\n"));
}

export const command = defineCommand({
  name: "xong",
  description: "Báo hoàn thành nhiệm vụ, kèm số văn bản kiểm chứng",
  usage: "/xong <mã nhiệm vụ> [số, ngày văn bản kiểm chứng] [ghi chú]",
  examples: ["/xong A12 189/KH-UBND ngày 30/12/2020", "/xong A12"],
  group: "cơ quan",
  async handler(ctx) {
    const [code, ...rest] = ctx.args.split(" ");
    if (!code) return ctx.usage("Thiếu mã nhiệm vụ.");
    await finish(ctx, resolveTarget(ctx, ctx.caller, code), rest.join(" "), ctx.message.text);
  },
  buttons: {
    /**
     * ✅ acts on the milestone it was sent for (a second press: "đã báo"). A button of an
     * earlier version names none: it acts on the open milestone only when the reminders would
     * be about it (due within the widest notice, REMINDER_NOTICE_DAYS, or overdue); otherwise
     * it asks the officer to type /xong.
     */
    [BUTTONS.done]: {
      run(ctx) {
        const { key, milestone } = parseDonePayload(ctx.payload);
        const windowEnd = ctx.calendar.addWorkingDays(toVnDay(ctx.now), Math.max(...ctx.config.REMINDER_NOTICE_DAYS));
        const scope: DoneScope = milestone ? { kind: "named", id: milestone } : { kind: "unnamed", windowEnd };
        return finish(ctx, resolveTarget(ctx, ctx.caller, key), "", "[nút] ✅ Hoàn thành", scope);
      },
    },
  },
  /** A file or photo sent in reply to the bot's "hoàn thành" answer: evidence by reference. */
  reply: {
    match: (message) => (message.file && message.replyTo && EVIDENCE_TAG.exec(message.replyTo.text)?.[1]) || null,
    async run(ctx) {
      const target = resolveTarget(ctx, ctx.caller, ctx.match);
      const file = ctx.message.file!;
      await attachEvidence(ctx, ctx.caller, target, file, ctx.message.text);
      await ctx.respond.reply(
        `📎 Đã lưu tệp kiểm chứng «${file.name ?? "tệp"}» cho ${target.task.code} — ${ctx.directory.nameOf(target.assignment.agencyId)}.`,
      );
    },
  },
});
