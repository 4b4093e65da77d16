import { BUTTONS, button } from "../src/bot/buttons.ts";
import { defineCommand, type ButtonContext, type HandlerContext } from "../src/bot/registry.ts";
import { parseViDate, shorten, viDate, viDateProblem } from "../src/core/text.ts";
import { resolveTarget } from "../src/domain/assignments.ts";
import { decideExtension, requestExtension } from "../src/domain/extensions.ts";

/**
 * A request number as typed or carried by a button: 1–9 digits, else null. `Number()` alone
 * would read «1e309» as Infinity and twenty digits as a rounded other number.
 */
export function readRequestId(text: string | undefined): number | null {
  return /^\d{1,9}$/.test(text ?? "") ? Number(text) : null;
}

/** A ✅ Duyệt / ✖️ Từ chối button: decide the request its payload names, or say the button is unusable. */
async function decideButton(ctx: ButtonContext, approve: boolean): Promise<void> {
  const id = readRequestId(ctx.payload);
  if (id === null) return ctx.respond.notice("Nút này không còn dùng được. Gõ /duyet <số> hoặc /tuchoi <số> <lý do>.", true);
  await decide(ctx, id, approve, "", approve ? "[nút] ✅ Duyệt" : "[nút] ✖️ Từ chối");
}

/** Decide request `id`; tell the one who decided and the agency's groups. */
export async function decide(ctx: HandlerContext, id: number, approve: boolean, note: string, text: string): Promise<void> {
  const request = await decideExtension(ctx, ctx.caller, id, approve, note, text);
  const agency = ctx.directory.nameOf(request.agencyId);
  const verdict = approve
    ? `✅ Đã duyệt gia hạn số ${id}: ${request.taskCode} — ${agency}, hạn mới ${viDate(request.requestedDue)} (hạn gốc ${viDate(request.originalDue)} vẫn lưu trong lịch sử).`
    : `✖️ Đã từ chối gia hạn số ${id}: ${request.taskCode} — ${agency}${note ? `. Lý do: ${note}` : ""}.`;
  await ctx.respond.reply(verdict);
  await ctx.outbox.toAgency(request.agencyId, { text: verdict }, ctx.caller.chatId);
}

export const command = defineCommand({
  name: "giahan",
  description: "Đề nghị gia hạn một nhiệm vụ (Sở Nội vụ duyệt)",
  usage: "/giahan <mã nhiệm vụ> <dd/mm/yyyy> <lý do>",
  examples: ["/giahan A12 30/06/2021 Chờ văn bản hướng dẫn của Bộ"],
  group: "cơ quan",
  async handler(ctx) {
    const [code, dateText, ...reason] = ctx.args.split(" ");
    if (!code || !dateText) return ctx.usage("Thiếu mã nhiệm vụ hoặc ngày đề nghị.");
    const requestedDue = parseViDate(dateText);
    if (!requestedDue) return ctx.usage(viDateProblem(dateText));
    if (reason.length === 0) return ctx.usage("Thiếu lý do gia hạn.");
    const target = resolveTarget(ctx, ctx.caller, code);
    const { request, milestone } = await requestExtension(ctx, ctx.caller, target, requestedDue, reason.join(" "), ctx.message.text);
    const sent = await ctx.outbox.toCoordinator({
      text:
        `🗓 Đề nghị gia hạn số ${request.id} — ${ctx.directory.nameOf(request.agencyId)}\n` +
        `${target.task.code} — ${shorten(target.task.title, 90)}\nHạn hiện tại ${viDate(milestone.due)} → đề nghị ${viDate(requestedDue)}\n` +
        `Lý do: ${request.reason}\nDuyệt: /duyet ${request.id} · Từ chối: /tuchoi ${request.id} <lý do>`,
      buttons: [[...button("✅ Duyệt", BUTTONS.extensionApprove, request.id), ...button("✖️ Từ chối", BUTTONS.extensionReject, request.id)]],
    });
    await ctx.respond.reply(
      `🗓 Đã gửi đề nghị gia hạn số ${request.id} cho ${target.task.code} đến ${viDate(requestedDue)}` +
        (sent ? "; chờ Sở Nội vụ duyệt." : `. Chưa gửi được tới nhóm Sở Nội vụ: nhờ quản trị viên duyệt bằng /duyet ${request.id}.`),
    );
  },
  buttons: {
    [BUTTONS.extensionApprove]: { access: "decide-extension", run: (ctx) => decideButton(ctx, true) },
    [BUTTONS.extensionReject]: { access: "decide-extension", run: (ctx) => decideButton(ctx, false) },
  },
});
