import { defineCommand } from "../src/bot/registry.ts";
import { eventBy } from "../src/domain/audit.ts";
import { assigneesOf, newAssignment } from "../src/import/importer.ts";
import { createDirectory } from "../src/core/agencies.ts";
import { fold } from "../src/core/text.ts";

export const command = defineCommand({
  name: "bidanh",
  description: "Gán một tên cơ quan trong kế hoạch vào cơ quan có trong danh mục",
  usage: "/bidanh <tên như trong kế hoạch> = <mã cơ quan>",
  examples: ["/bidanh Sở TT-TT = so-thong-tin-truyen-thong", "/bidanh BQL Khu kinh tế = ban-quan-ly-kkt"],
  group: "quản trị",
  audience: "admin",
  async handler({ app, args, caller, respond, now, message }) {
    const [name, id] = args.split("=").map((s) => s.trim());
    if (!name || !id) return app.usage(respond, "bidanh", "Cần tên và mã cơ quan, ngăn cách bằng dấu =.");
    const agency = app.directory().get(id.toLowerCase());
    if (!agency) return respond.reply(`Không có cơ quan mã «${id}». Gõ /coquan để xem mã, hoặc /themcoquan để thêm cơ quan mới.`);
    // A name that already stands for another agency is not remapped here: that would move
    // that agency's work without anyone seeing it.
    const already = app.directory().resolve(name);
    if (already && already.id !== agency.id) {
      return respond.reply(
        `«${name}» đã là tên của ${already.name} (mã ${already.id}): không gán sang ${agency.name}. ` +
          `Nếu một nhiệm vụ cần đổi cơ quan chủ trì, dùng /sua <mã nhiệm vụ> chutri ${agency.name}. Không có gì thay đổi.`,
      );
    }
    const fixed = await app.store.update((data) => {
      data.extraAliases = { ...data.extraAliases, [name]: agency.id };
      const directory = createDirectory([...app.directory().all()], data.extraAliases);
      const touched: string[] = [];
      const named = (l: { raw: string; agencyId: string | null }) => !l.agencyId && fold(l.raw) === fold(name);
      data.tasks.forEach((original, i) => {
        if (!original.leads.some(named)) return;
        const task = { ...original, leads: original.leads.map((l) => (named(l) ? { ...l, agencyId: agency.id } : l)) };
        data.tasks[i] = task;
        for (const agencyId of assigneesOf(task, directory)) {
          if (!data.assignments.some((a) => a.taskCode === task.code && a.agencyId === agencyId)) data.assignments.push(newAssignment(task.code, agencyId));
        }
        touched.push(task.code);
      });
      return { result: touched, events: [eventBy(caller, now, { action: "alias", agencyId: agency.id, after: { name, agencyId: agency.id, tasks: touched }, text: message.text })] };
    });
    await respond.reply(`✅ «${name}» → ${agency.name}.${fixed.length ? ` Đã giao ${fixed.length} nhiệm vụ: ${fixed.slice(0, 20).join(", ")}${fixed.length > 20 ? "…" : ""}.` : ""}`);
  },
});
