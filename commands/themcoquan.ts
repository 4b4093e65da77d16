import { defineCommand } from "../src/bot/registry.ts";
import { eventBy } from "../src/domain/audit.ts";
import { slugId } from "../src/core/agencies.ts";

export const command = defineCommand({
  name: "themcoquan",
  description: "Thêm một cơ quan vào danh mục",
  usage: "/themcoquan <tên cơ quan> [= mã]",
  examples: ["/themcoquan Ban Quản lý Khu kinh tế Phú Quốc", "/themcoquan Trung tâm Hành chính công = ttpvhcc"],
  group: "quản trị",
  audience: "admin",
  async handler({ app, args, caller, respond, now, message }) {
    const [name, idArg] = args.split("=").map((s) => s.trim());
    if (!name) return app.usage(respond, "themcoquan", "Thiếu tên cơ quan.");
    const id = (idArg || slugId(name)).toLowerCase();
    if (!/^[a-z0-9-]+$/.test(id)) return app.usage(respond, "themcoquan", `Mã «${id}» chỉ được gồm chữ thường không dấu, số và dấu -.`);
    if (app.directory().get(id)) return respond.reply(`Đã có cơ quan mã «${id}» (${app.agencyName(id)}). Chọn mã khác: /themcoquan ${name} = <mã>`);
    const agency = { id, name, aliases: [], collective: false, members: [] };
    await app.store.update((data) => {
      data.extraAgencies = [...data.extraAgencies, agency];
      return { result: null, events: [eventBy(caller, now, { action: "agency.add", agencyId: id, after: agency, text: message.text })] };
    });
    await respond.reply(`✅ Đã thêm ${name} (mã ${id}). Gán tên trong kế hoạch bằng /bidanh <tên> = ${id}; gắn nhóm bằng /dangky ${id}.`);
  },
});
