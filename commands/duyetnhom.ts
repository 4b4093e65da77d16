import { defineCommand } from "../src/bot/registry.ts";
import { decideGroup } from "./dangky.ts";
import { readRequestId } from "./giahan.ts";

/** The typed form of the ✅ Xác nhận button under a binding request (Zalo has no buttons). */
export const command = defineCommand({
  name: "duyetnhom",
  description: "Xác nhận yêu cầu gắn nhóm với cơ quan (quản trị viên)",
  usage: "/duyetnhom <số yêu cầu>",
  examples: ["/duyetnhom 2"],
  group: "quản trị",
  access: "admin",
  async handler(ctx) {
    const [idText] = ctx.args.split(" ");
    const id = readRequestId(idText);
    if (id === null) return ctx.usage(idText ? `Số yêu cầu «${idText}» không hợp lệ.` : "Thiếu số yêu cầu gắn nhóm.");
    await decideGroup(ctx, id, true);
  },
});
