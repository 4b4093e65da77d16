import { assignmentKey, BUTTONS, button } from "../src/bot/buttons.ts";
import { defineCommand, type HandlerContext } from "../src/bot/registry.ts";
import { reportProgress, resolveTarget, type Target } from "../src/domain/assignments.ts";

/** `60`, `60%` → 60; anything else (150, -5, abc, 12.5) → null. */
export function parsePercent(text: string | undefined): number | null {
  const m = /^(\d{1,3})%?$/.exec(text ?? "");
  if (!m) return null;
  const value = Number(m[1]);
  return value <= 100 ? value : null;
}

async function setProgress(ctx: HandlerContext, target: Target, percent: number, note: string, text: string) {
  const { task, assignment } = target;
  const { before } = await reportProgress(ctx, ctx.caller, target, percent, note, text);
  const hint = percent === 100 ? `\nĐã xong? Gõ /xong ${task.code} <số văn bản> để báo hoàn thành kèm văn bản kiểm chứng.` : "";
  const change = before === percent ? `tiến độ vẫn ${percent}% (đã ghi lần báo hôm nay)` : `tiến độ ${before}% → ${percent}%`;
  await ctx.respond.reply(`📈 ${task.code} — ${ctx.directory.nameOf(assignment.agencyId)}: ${change}${note ? ` (${note})` : ""}.${hint}`);
}

export const command = defineCommand({
  name: "tiendo",
  description: "Cập nhật tiến độ (%) một nhiệm vụ của cơ quan",
  usage: "/tiendo <mã nhiệm vụ> <0–100> [ghi chú]",
  examples: ["/tiendo A12 60", "/tiendo A12 80 đã trình lãnh đạo Sở"],
  group: "cơ quan",
  async handler(ctx) {
    const [code, pctText, ...rest] = ctx.args.split(" ");
    if (!code) return ctx.usage("Thiếu mã nhiệm vụ và tiến độ.");
    const percent = parsePercent(pctText);
    if (percent === null)
      return ctx.usage(pctText ? `Tiến độ «${pctText}» không hợp lệ: cần một số nguyên từ 0 đến 100.` : "Thiếu tiến độ (0–100).");
    await setProgress(ctx, resolveTarget(ctx, ctx.caller, code), percent, rest.join(" "), ctx.message.text);
  },
  buttons: {
    [BUTTONS.progressMenu]: {
      async run(ctx) {
        const { task, assignment } = resolveTarget(ctx, ctx.caller, ctx.payload);
        await ctx.respond.reply({
          text: `📈 Tiến độ ${task.code} (hiện ${assignment.progress}%): chọn mức mới`,
          buttons: [
            [25, 50, 75, 100].flatMap((p) => button(`${p}%`, BUTTONS.progressSet, `${assignmentKey(task.code, assignment.agencyId)}:${p}`)),
          ],
        });
      },
    },
    [BUTTONS.progressSet]: {
      async run(ctx) {
        const cut = ctx.payload.lastIndexOf(":");
        const percent = parsePercent(ctx.payload.slice(cut + 1));
        const target = resolveTarget(ctx, ctx.caller, ctx.payload.slice(0, cut));
        if (percent === null) return ctx.respond.notice("Nút này không dùng được nữa. Gõ /tiendo <mã> <%> thay thế.", true);
        await setProgress(ctx, target, percent, "", `[nút] ${percent}%`);
      },
    },
  },
});
