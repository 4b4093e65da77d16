import { assignmentButtons } from "../src/bot/buttons.ts";
import { historyLines } from "../src/bot/history.ts";
import { defineCommand } from "../src/bot/registry.ts";
import { dueText, milestoneLines, statusText } from "../src/bot/views.ts";
import { toVnDay } from "../src/core/calendar.ts";
import { AREA_NAMES } from "../src/core/labels.ts";
import { doneButtonTarget } from "../src/core/progress.ts";
import { viDate } from "../src/core/text.ts";
import { requireVisibleTask } from "../src/domain/assignments.ts";
import { sharesOf } from "../src/domain/lookup.ts";

export const command = defineCommand({
  name: "chitiet",
  description: "Xem đầy đủ một nhiệm vụ: nội dung, thời hạn, tình trạng từng cơ quan, lịch sử",
  usage: "/chitiet <mã nhiệm vụ>",
  examples: ["/chitiet A12"],
  group: "cơ quan",
  async handler({ args, caller, respond, now, usage, store, directory, calendar }) {
    if (!args) return usage("Thiếu mã nhiệm vụ.");
    const task = requireVisibleTask({ store, directory }, caller, args.split(" ")[0]);
    const day = toVnDay(now);
    const assignments = sharesOf(store.read().assignments, task.code);
    const lines: string[] = [
      `📋 ${task.code} — ${task.content}`,
      `Lĩnh vực: ${AREA_NAMES[task.area]}${task.section ? ` (${task.section})` : ""}`,
      task.product ? `Sản phẩm: ${task.product}` : "",
      `Chủ trì: ${task.leads.map((l) => (l.agencyId ? directory.nameOf(l.agencyId) : `${l.raw} (chưa có trong danh mục)`)).join("; ") || "—"}`,
      task.coordinating ? `Phối hợp: ${task.coordinating}` : "",
      `Thời hạn: ${task.deadline.raw || "—"}`,
      // With one assignee, its extensions show on the milestones themselves.
      ...milestoneLines(task, assignments.length === 1 ? assignments[0] : undefined),
      task.deadline.condition ? `Điều kiện: ${task.deadline.condition}` : "",
      "",
      "Tình trạng:",
    ];
    for (const a of assignments) {
      lines.push(`• ${directory.nameOf(a.agencyId)}: ${statusText(task, a)}; ${dueText(task, a, day, calendar)}`);
      if (a.blocker && a.status === "blocked") lines.push(`  ⚠️ ${a.blocker}`);
      for (const e of a.evidence) {
        const doc = e.documentNumber ? `${e.documentNumber}${e.documentDate ? ` ngày ${viDate(e.documentDate)}` : ""}` : "";
        const file = e.file ? `📎 ${e.file.name ?? "tệp"}` : "";
        lines.push(`  Kiểm chứng: ${[doc, file, !doc && !file ? e.text : ""].filter(Boolean).join(" · ")}`);
      }
    }
    if (assignments.length === 0) lines.push("• chưa giao cho cơ quan nào");
    const history = await historyLines(store, directory, task.code, 5);
    if (history.length) lines.push("", "Gần đây:", ...history);
    const own = assignments.find((a) => a.agencyId === caller.chatAgencyId && a.status !== "done");
    const conditional = task.deadline.kind === "conditional" && !own?.conditionDue;
    await respond.reply({
      text: lines.filter((l, i, all) => l !== "" || all[i - 1] !== "").join("\n"),
      buttons: own ? [assignmentButtons(task.code, own.agencyId, { conditional, done: doneButtonTarget(task, own, day) })] : undefined,
    });
  },
});
