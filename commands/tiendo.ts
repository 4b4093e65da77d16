import { defineCommand, type Caller } from "../src/bot/registry.ts";
import type { App } from "../src/bot/app.ts";
import type { Responder } from "../src/chat/types.ts";
import { changeAssignment, resolveButtonTarget, resolveTarget, type Target } from "../src/domain/assignments.ts";
import { ACTIONS } from "../src/bot/buttons.ts";

/** `60`, `60%` → 60; anything else (150, -5, abc, 12.5) → null. */
export function parsePercent(text: string | undefined): number | null {
  const m = /^(\d{1,3})%?$/.exec(text ?? "");
  if (!m) return null;
  const value = Number(m[1]);
  return value <= 100 ? value : null;
}

async function setProgress(app: App, caller: Caller, respond: Responder, now: Date, target: Target, percent: number, note: string, text: string) {
  const { task, assignment } = target;
  if (assignment.status === "done") {
    await respond.reply(`Nhiệm vụ ${task.code} của ${app.agencyName(assignment.agencyId)} đã báo hoàn thành; không cần cập nhật tiến độ.`);
    return;
  }
  await changeAssignment(app, caller, now, assignment.id, "progress", text, (current) => ({
    assignment: {
      ...current,
      progress: percent,
      status: "open",
      note: note || current.note,
      lastReportAt: now.toISOString(),
      updatedAt: now.toISOString(),
    },
    result: null,
  }));
  const hint = percent === 100 ? `\nĐã xong? Gõ /xong ${task.code} <số văn bản> để báo hoàn thành kèm văn bản kiểm chứng.` : "";
  await respond.reply(`📈 ${task.code} — ${app.agencyName(assignment.agencyId)}: tiến độ ${assignment.progress}% → ${percent}%${note ? ` (${note})` : ""}.${hint}`);
}

export const command = defineCommand({
  name: "tiendo",
  description: "Cập nhật tiến độ (%) một nhiệm vụ của cơ quan",
  usage: "/tiendo <mã nhiệm vụ> <0–100> [ghi chú]",
  examples: ["/tiendo A12 60", "/tiendo A12 80 đã trình lãnh đạo Sở"],
  group: "cơ quan",
  async handler({ app, args, caller, respond, now, message }) {
    const [code, pctText, ...rest] = args.split(" ");
    if (!code) return app.usage(respond, "tiendo", "Thiếu mã nhiệm vụ và tiến độ.");
    const percent = parsePercent(pctText);
    if (percent === null) {
      return app.usage(respond, "tiendo", pctText ? `Tiến độ «${pctText}» không hợp lệ: cần một số nguyên từ 0 đến 100.` : "Thiếu tiến độ (0–100).");
    }
    const found = resolveTarget(app, caller, code);
    if (!found.ok) return respond.reply(found.message);
    await setProgress(app, caller, respond, now, found.target, percent, rest.join(" "), message.text);
  },
  buttons: {
    async [ACTIONS.progressMenu]({ app, caller, respond, payload }) {
      const found = resolveButtonTarget(app, caller, payload);
      if (!found.ok) return respond.notice(found.message, true);
      const key = found.target.assignment.id;
      await respond.reply({
        text: `📈 Tiến độ ${found.target.task.code} (hiện ${found.target.assignment.progress}%): chọn mức mới`,
        buttons: [[25, 50, 75, 100].map((p) => ({ text: `${p}%`, data: `${ACTIONS.progressSet}:${key}:${p}` }))],
      });
    },
    async [ACTIONS.progressSet]({ app, caller, respond, payload, now }) {
      const cut = payload.lastIndexOf(":");
      const percent = parsePercent(payload.slice(cut + 1));
      const found = resolveButtonTarget(app, caller, payload.slice(0, cut));
      if (!found.ok) return respond.notice(found.message, true);
      if (percent === null) return respond.notice("Nút này không dùng được nữa. Gõ /tiendo <mã> <%> thay thế.", true);
      await setProgress(app, caller, respond, now, found.target, percent, "", `[nút] ${percent}%`);
    },
  },
});
