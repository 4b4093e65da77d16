import { BUTTONS, button } from "../src/bot/buttons.ts";
import { defineCommand, type HandlerContext } from "../src/bot/registry.ts";
import { bindChat, decideBinding, requestBinding } from "../src/domain/bindings.ts";
import { QUOTE_MAX, shorten } from "../src/core/text.ts";
import { findAgency } from "../src/domain/tasks.ts";
import { readRequestId } from "./giahan.ts";

/**
 * `/duyetnhom <số>` or `/tuchoinhom <số>`: the typed form of the ✅ Xác nhận / ✖️ Từ chối
 * buttons under a binding request (Zalo has no buttons).
 */
export function groupDecisionCommand(approve: boolean) {
  const name = approve ? "duyetnhom" : "tuchoinhom";
  return defineCommand({
    name,
    description: `${approve ? "Xác nhận" : "Từ chối"} yêu cầu gắn nhóm với cơ quan (quản trị viên)`,
    usage: `/${name} <số yêu cầu>`,
    examples: [`/${name} 2`],
    group: "quản trị",
    access: "admin",
    async handler(ctx) {
      const [idText] = ctx.args.split(" ");
      const id = readRequestId(idText);
      if (id === null) return ctx.usage(idText ? `Số yêu cầu «${idText}» không hợp lệ.` : "Thiếu số yêu cầu gắn nhóm.");
      await decideGroup(ctx, id, approve);
    },
  });
}

/**
 * An admin decides the binding request `id` (the ✅/✖️ buttons, or /duyetnhom and /tuchoinhom
 * where there are no buttons: Zalo): answer the admin, tell the group when it is elsewhere.
 */
export async function decideGroup(ctx: HandlerContext, id: number, approve: boolean) {
  const pending = await decideBinding(ctx, ctx.caller, id, approve);
  const group = pending.title ?? pending.chatId;
  if (!approve) return ctx.respond.reply(`Đã từ chối yêu cầu gắn nhóm «${group}».`);
  const agency = ctx.directory.nameOf(pending.agencyId);
  await ctx.respond.reply(`✅ Đã gắn nhóm «${group}» với ${agency}.`);
  if (pending.chatId !== ctx.caller.chatId)
    await ctx.outbox.tell([pending.chatId], { text: `✅ Quản trị viên đã xác nhận: nhóm này gắn với ${agency}.` });
}

async function decideButton(ctx: HandlerContext & { payload: string }, approve: boolean) {
  const id = readRequestId(ctx.payload);
  if (id === null) return ctx.respond.notice("Nút này không còn dùng được.", true);
  await decideGroup(ctx, id, approve);
}

export const command = defineCommand({
  name: "dangky",
  description: "Gắn nhóm chat này với một cơ quan (quản trị viên, hoặc chờ quản trị viên xác nhận)",
  usage: "/dangky <tên hoặc mã cơ quan>",
  examples: ["/dangky Sở Tư pháp", "/dangky so-tu-phap"],
  group: "quản trị",
  async handler(ctx) {
    const { caller, args, respond, message } = ctx;
    if (caller.chatKind === "private")
      return respond.reply("Gõ /dangky trong nhóm chat của cơ quan (thêm bot vào nhóm trước), không phải trong chat riêng.");
    if (!args) return ctx.usage("Thiếu tên cơ quan.");
    const { agency, candidates } = findAgency(ctx.directory, args);
    if (!agency) {
      const list = candidates.map((c) => `• ${c.id} — ${c.name}`).join("\n");
      return respond.reply(
        `Không tìm thấy cơ quan «${shorten(args, QUOTE_MAX)}».` +
          (list ? `\nCó phải một trong các cơ quan sau? Gõ lại với mã:\n${list}` : "\nGõ /coquan để xem danh sách và mã cơ quan."),
      );
    }
    const title = message.chatTitle;
    if (caller.isAdmin) {
      const before = await bindChat(ctx, caller, caller.chatId, agency.id, { title, text: message.text });
      if (before?.agencyId === agency.id) return respond.reply(`Nhóm này đã gắn với ${agency.name} rồi; không có gì thay đổi.`);
      const moved = before && before.agencyId !== agency.id ? ` (trước đây gắn với ${ctx.directory.nameOf(before.agencyId)})` : "";
      return respond.reply(`✅ Đã gắn nhóm này với ${agency.name}${moved}. Nhắc việc của cơ quan sẽ gửi vào đây.`);
    }
    const pending = await requestBinding(ctx, caller, agency.id, title, message.text);
    const question = {
      text: `Yêu cầu gắn nhóm số ${pending.id}: «${title ?? caller.chatId}» với ${agency.name} (do ${caller.userName} gửi). Quản trị viên xác nhận?`,
      buttons: [[...button("✅ Xác nhận", BUTTONS.bindingApprove, pending.id), ...button("✖️ Từ chối", BUTTONS.bindingReject, pending.id)]],
    };
    const sent = await ctx.outbox.toCoordinator(question);
    await respond.reply({
      text:
        `⛔ Chỉ quản trị viên mới gắn được nhóm. Yêu cầu gắn nhóm với ${agency.name} đã được ghi lại` +
        (sent ? " và gửi tới nhóm Sở Nội vụ để xác nhận." : "; nhờ quản trị viên bấm Xác nhận dưới đây."),
      // The decision is the Sở Nội vụ's: its buttons go here only when that group could not get them.
      buttons: sent ? undefined : question.buttons,
    });
  },
  buttons: {
    [BUTTONS.bindingApprove]: { access: "admin", run: (ctx) => decideButton(ctx, true) },
    [BUTTONS.bindingReject]: { access: "admin", run: (ctx) => decideButton(ctx, false) },
  },
});
