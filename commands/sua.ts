import { defineCommand } from "../src/bot/registry.ts";
import { findTask, unknownCodeMessage } from "../src/domain/assignments.ts";
import { eventBy } from "../src/domain/audit.ts";
import { parseDeadline } from "../src/core/deadline.ts";
import type { Task } from "../src/core/schemas.ts";
import { fold, shorten, squash } from "../src/core/text.ts";
import { assigneesOf, newAssignment, planValues } from "../src/import/importer.ts";

const FIELDS: Record<string, { field: keyof Task; label: string }> = {
  thoihan: { field: "deadline", label: "thời hạn" },
  chutri: { field: "leads", label: "cơ quan chủ trì" },
  phoihop: { field: "coordinating", label: "cơ quan phối hợp" },
  sanpham: { field: "product", label: "sản phẩm" },
  noidung: { field: "content", label: "nội dung" },
};

export const command = defineCommand({
  name: "sua",
  description: "Sửa một trường của nhiệm vụ (thời hạn, chủ trì, phối hợp, sản phẩm, nội dung)",
  usage: "/sua <mã nhiệm vụ> <thoihan|chutri|phoihop|sanpham|noidung> <giá trị mới>",
  examples: ["/sua A12 thoihan Quý III/2025", "/sua A12 chutri Sở Tư pháp; UBND cấp huyện"],
  group: "quản trị",
  audience: "admin",
  async handler({ app, args, caller, respond, now, message }) {
    const [code, fieldName, ...rest] = args.split(" ");
    const spec = FIELDS[fold(fieldName ?? "")];
    const value = squash(rest.join(" "));
    if (!code || !spec || !value) return app.usage(respond, "sua", !spec && fieldName ? `Không có trường «${fieldName}».` : "Thiếu mã, trường hoặc giá trị.");
    const task = findTask(app, code);
    if (!task) return respond.reply(unknownCodeMessage(app, code));
    const plan = app.store.read().plans.find((p) => p.id === task.planId);
    const directory = app.directory();
    const notes: string[] = [];
    const patch: Partial<Task> = {};
    if (spec.field === "deadline") {
      const parsed = parseDeadline(value, { planYear: plan?.year ?? Number(now.toISOString().slice(0, 4)), period: plan?.period, signed: plan?.signed });
      patch.deadline = parsed.deadline;
      notes.push(...parsed.warnings.map((w) => `⚠️ ${w.message}`));
      if (parsed.deadline.kind === "unknown") return respond.reply(`⚠️ Không đọc được thời hạn «${value}». Ví dụ: Quý II/2025, Trước ngày 15/6/2025, Thường xuyên. Không có gì thay đổi.`);
    } else if (spec.field === "leads") {
      patch.leads = directory.resolveLeads(value);
      const unknown = patch.leads.filter((l) => !l.agencyId).map((l) => l.raw);
      if (unknown.length) return respond.reply(`⚠️ Không có trong danh mục: ${unknown.join(", ")}. Dùng /bidanh hoặc /themcoquan trước. Không có gì thay đổi.`);
    } else {
      patch[spec.field as "product" | "coordinating" | "content"] = value;
      if (spec.field === "content") patch.title = shorten(value, 90);
    }
    await app.store.update((data) => {
      const index = data.tasks.findIndex((t) => t.code === task.code);
      const before = data.tasks[index];
      // What the plan said stays known, so a re-import keeps this edit (see previewImport).
      const after = { ...before, ...patch, fromPlan: planValues(before) };
      data.tasks[index] = after;
      if (patch.leads) {
        const wanted = new Set(assigneesOf(after, directory));
        // Shares nobody has touched go; shares with any report stay, so no history is lost.
        data.assignments = data.assignments.filter((a) => a.taskCode !== task.code || wanted.has(a.agencyId) || a.updatedAt);
        for (const agencyId of wanted) if (!data.assignments.some((a) => a.taskCode === task.code && a.agencyId === agencyId)) data.assignments.push(newAssignment(task.code, agencyId));
      }
      return { result: null, events: [eventBy(caller, now, { action: "task.edit", taskCode: task.code, before: { [spec.field]: before[spec.field] }, after: { [spec.field]: after[spec.field] }, text: message.text })] };
    });
    await respond.reply([`✏️ Đã sửa ${spec.label} của ${task.code}: ${value}`, ...notes].join("\n"));
  },
});
