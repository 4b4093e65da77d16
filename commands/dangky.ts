import { defineCommand, type ButtonContext } from "../src/bot/registry.ts";
import { bindChat, platformOf } from "../src/domain/bindings.ts";
import type { App } from "../src/bot/app.ts";
import { eventBy } from "../src/domain/audit.ts";
import type { Agency } from "../src/core/schemas.ts";

/** Find the agency an admin or officer typed: by id, name, alias or a close match. */
function findAgency(app: App, text: string): { agency: Agency | null; candidates: Agency[] } {
  const directory = app.directory();
  const agency = directory.get(text.toLowerCase()) ?? directory.resolve(text);
  return { agency, candidates: agency ? [] : directory.search(text).slice(0, 5) };
}

async function confirm(ctx: ButtonContext, approve: boolean) {
  const { app, caller, respond, now } = ctx;
  if (!caller.isAdmin) {
    await respond.notice("Chỉ quản trị viên mới xác nhận được việc gắn nhóm.", true);
    return;
  }
  const id = Number(ctx.payload);
  const pending = app.store.read().pendingBindings.find((p) => p.id === id);
  if (!pending) {
    await respond.notice("Yêu cầu này đã được xử lý hoặc không còn.", true);
    return;
  }
  if (approve) {
    await bindChat(app, caller, pending.chatId, pending.agencyId, now, { title: pending.title });
    await respond.reply(`✅ Đã gắn nhóm «${pending.title ?? pending.chatId}» với ${app.agencyName(pending.agencyId)}.`);
    if (pending.chatId !== caller.chatId) {
      await app.tell([pending.chatId], { text: `✅ Quản trị viên đã xác nhận: nhóm này gắn với ${app.agencyName(pending.agencyId)}.` });
    }
  } else {
    await app.store.update((data) => {
      data.pendingBindings = data.pendingBindings.filter((p) => p.id !== id);
      return { result: null, events: [eventBy(caller, now, { action: "bind.reject", agencyId: pending.agencyId, before: pending })] };
    });
    await respond.reply(`Đã từ chối yêu cầu gắn nhóm «${pending.title ?? pending.chatId}».`);
  }
}

export const command = defineCommand({
  name: "dangky",
  description: "Gắn nhóm chat này với một cơ quan (quản trị viên, hoặc chờ quản trị viên xác nhận)",
  usage: "/dangky <tên hoặc mã cơ quan>",
  examples: ["/dangky Sở Tư pháp", "/dangky so-tu-phap"],
  group: "quản trị",
  async handler({ app, args, caller, respond, now, message }) {
    if (caller.chatKind === "private") {
      await respond.reply("Gõ /dangky trong nhóm chat của cơ quan (thêm bot vào nhóm trước), không phải trong chat riêng.");
      return;
    }
    if (!args) {
      await app.usage(respond, "dangky", "Thiếu tên cơ quan.");
      return;
    }
    const { agency, candidates } = findAgency(app, args);
    if (!agency) {
      const list = candidates.map((c) => `• ${c.id} — ${c.name}`).join("\n");
      await respond.reply(
        `Không tìm thấy cơ quan «${args}».` +
          (list ? `\nCó phải một trong các cơ quan sau? Gõ lại với mã:\n${list}` : "\nGõ /coquan để xem danh sách và mã cơ quan."),
      );
      return;
    }
    const title = message.chatTitle;
    if (caller.isAdmin) {
      const before = await bindChat(app, caller, caller.chatId, agency.id, now, { title, text: message.text });
      const moved = before && before.agencyId !== agency.id ? ` (trước đây gắn với ${app.agencyName(before.agencyId)})` : "";
      await respond.reply(`✅ Đã gắn nhóm này với ${agency.name}${moved}. Nhắc việc của cơ quan sẽ gửi vào đây.`);
      return;
    }
    const pending = await app.store.update((data) => {
      const id = (data.counters.binding ?? 0) + 1;
      data.counters.binding = id;
      const request = {
        id,
        chatId: caller.chatId,
        platform: platformOf(caller.chatId),
        agencyId: agency.id,
        title,
        boundBy: caller.userId,
        boundAt: now.toISOString(),
      };
      data.pendingBindings = [...data.pendingBindings.filter((p) => p.chatId !== caller.chatId), request];
      return { result: request, events: [eventBy(caller, now, { action: "bind.request", agencyId: agency.id, after: request, text: message.text })] };
    });
    const question = {
      text: `Yêu cầu gắn nhóm «${title ?? caller.chatId}» với ${agency.name} (do ${caller.userName} gửi). Quản trị viên xác nhận?`,
      buttons: [[{ text: "✅ Xác nhận", data: `dkok:${pending.id}` }, { text: "✖️ Từ chối", data: `dkno:${pending.id}` }]],
    };
    const sent = await app.notifyCoordinator(question);
    await respond.reply({
      text:
        `⛔ Chỉ quản trị viên mới gắn được nhóm. Yêu cầu gắn nhóm với ${agency.name} đã được ghi lại` +
        (sent ? " và gửi tới nhóm Sở Nội vụ để xác nhận." : "; nhờ quản trị viên bấm Xác nhận dưới đây."),
      buttons: question.buttons,
    });
  },
  buttons: {
    dkok: (ctx) => confirm(ctx, true),
    dkno: (ctx) => confirm(ctx, false),
  },
});
