import { defineCommand } from "../src/bot/registry.ts";
import { unbindChat } from "../src/domain/bindings.ts";

export const command = defineCommand({
  name: "huydangky",
  description: "Bỏ gắn nhóm chat này khỏi cơ quan (quản trị viên)",
  usage: "/huydangky",
  examples: ["/huydangky"],
  group: "quản trị",
  access: "admin",
  async handler(ctx) {
    const agencyId = await unbindChat(ctx, ctx.caller, ctx.message.text);
    await ctx.respond.reply(`Đã bỏ gắn nhóm này khỏi ${ctx.directory.nameOf(agencyId)}. Nhắc việc sẽ không gửi vào đây nữa.`);
  },
});
