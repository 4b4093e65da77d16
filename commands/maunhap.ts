import { toVnDay } from "../src/core/calendar.ts";
import { defineCommand } from "../src/bot/registry.ts";
import { QUOTE_MAX, shorten } from "../src/core/text.ts";
import { planTemplate } from "../src/import/template.ts";

export const command = defineCommand({
  name: "maunhap",
  description: "Gửi mẫu kế hoạch Excel (.xlsx) để điền khi tệp kế hoạch không đọc được",
  usage: "/maunhap [năm kế hoạch]",
  examples: ["/maunhap", "/maunhap 2027"],
  group: "quản trị",
  access: "admin",
  async handler({ args, respond, now }) {
    const typed = /^\d{4}$/.exec(args.trim())?.[0];
    if (args.trim() && (!typed || Number(typed) < 2000 || Number(typed) > 2100)) {
      await respond.reply(`Năm «${shorten(args, QUOTE_MAX)}» không hợp lệ. Ví dụ: /maunhap 2027`);
      return;
    }
    const year = typed ? Number(typed) : Number(toVnDay(now).slice(0, 4));
    await respond.replyFile({
      name: `mau-ke-hoach-${year}.xlsx`,
      data: await planTemplate(year),
      kind: "document",
      caption:
        `📝 Mẫu kế hoạch năm ${year}: điền trang «Nhiệm vụ» (mỗi dòng một nhiệm vụ; dòng chỉ có STT và tên là nhóm) ` +
        "và «Thông tin kế hoạch»; trang «Cách ghi thời hạn» có các cách ghi dondoc hiểu. Xong, gửi lại bằng /nap.",
    });
  },
});
