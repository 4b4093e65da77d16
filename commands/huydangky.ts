import { defineCommand } from "../src/bot/registry.ts";
import { eventBy } from "../src/domain/audit.ts";

export const command = defineCommand({
  name: "huydangky",
  description: "Bỏ gắn nhóm chat này khỏi cơ quan (quản trị viên)",
  usage: "/huydangky",
  examples: ["/huydangky"],
  group: "quản trị",
  audience: "admin",
  async handler({ app, caller, respond, now, message }) {
    if (!caller.chatAgencyId) {
      await respond.reply("Nhóm này chưa gắn với cơ quan nào, không có gì để bỏ.");
      return;
    }
    const agencyId = caller.chatAgencyId;
    await app.store.update((data) => {
      const before = data.bindings.find((b) => b.chatId === caller.chatId);
      data.bindings = data.bindings.filter((b) => b.chatId !== caller.chatId);
      return { result: null, events: [eventBy(caller, now, { action: "unbind", agencyId, before, after: null, text: message.text })] };
    });
    await respond.reply(`Đã bỏ gắn nhóm này khỏi ${app.agencyName(agencyId)}. Nhắc việc sẽ không gửi vào đây nữa.`);
  },
});
