import { defineCommand, type Caller } from "../src/bot/registry.ts";
import type { App } from "../src/bot/app.ts";
import type { Responder } from "../src/chat/types.ts";
import { changeAssignment, resolveButtonTarget, resolveTarget, today, type Target } from "../src/domain/assignments.ts";
import { ACTIONS } from "../src/bot/buttons.ts";
import { markDone, parseEvidence, type DoneResult } from "../src/core/progress.ts";
import type { Evidence } from "../src/core/schemas.ts";
import { viDate } from "../src/core/text.ts";

/** The line the bot's answer carries so a file sent in reply finds its assignment again. */
const EVIDENCE_TAG = /Mã: (\S+@\S+) — gửi tệp kiểm chứng/;

async function finish(app: App, caller: Caller, respond: Responder, now: Date, target: Target, evidenceText: string, text: string) {
  const { task, assignment } = target;
  if (assignment.status === "done") {
    await respond.reply(`Nhiệm vụ ${task.code} của ${app.agencyName(assignment.agencyId)} đã báo hoàn thành trước đó. Không có gì thay đổi.`);
    return;
  }
  const parsed = parseEvidence(evidenceText);
  const evidence: Evidence | null =
    parsed.documentNumber || parsed.rest
      ? { documentNumber: parsed.documentNumber, documentDate: parsed.documentDate, text: evidenceText || undefined, at: now.toISOString(), by: caller.userId }
      : null;
  const day = today(now);
  const result = await changeAssignment<DoneResult>(app, caller, now, assignment.id, "done", text, (current, currentTask) => {
    const done = markDone(currentTask, current, day, now, evidence);
    return { assignment: done.assignment, result: done };
  });
  const lines: string[] = [];
  if (result.milestone) {
    const late = app.calendar.workingDaysBetween(result.milestone.due, day);
    const timing = result.onTime ? "đúng hạn" : `trễ hạn ${late} ngày làm việc`;
    const what = result.milestone.label ? ` mốc «${result.milestone.label}»` : "";
    lines.push(`✅ ${task.code} — ${app.agencyName(assignment.agencyId)}: hoàn thành${what} (hạn ${viDate(result.milestone.due)}), ${timing}.`);
    if (!result.finished) {
      const next = result.assignment.milestonesDone.length;
      lines.push(`Nhiệm vụ còn mốc tiếp theo (${next}/${task.deadline.milestones.length} mốc đã xong).`);
    }
  } else if (task.deadline.kind === "continuous") {
    lines.push(`✅ ${task.code} — ${app.agencyName(assignment.agencyId)}: đã ghi nhận báo cáo kỳ này (nhiệm vụ thường xuyên).`);
  } else {
    lines.push(`✅ ${task.code} — ${app.agencyName(assignment.agencyId)}: hoàn thành.`);
  }
  if (evidence?.documentNumber) {
    lines.push(`Văn bản kiểm chứng: ${evidence.documentNumber}${evidence.documentDate ? ` ngày ${viDate(evidence.documentDate)}` : ""}.`);
  } else {
    lines.push("Chưa có số văn bản kiểm chứng.");
  }
  lines.push(`Mã: ${assignment.id} — gửi tệp kiểm chứng (PDF, ảnh) bằng cách trả lời tin nhắn này.`);
  await respond.reply(lines.join("\n"));
}

export const command = defineCommand({
  name: "xong",
  description: "Báo hoàn thành nhiệm vụ, kèm số văn bản kiểm chứng",
  usage: "/xong <mã nhiệm vụ> [số, ngày văn bản kiểm chứng] [ghi chú]",
  examples: ["/xong A12 189/KH-UBND ngày 30/12/2020", "/xong A12"],
  group: "cơ quan",
  async handler({ app, args, caller, respond, now, message }) {
    const [code, ...rest] = args.split(" ");
    if (!code) return app.usage(respond, "xong", "Thiếu mã nhiệm vụ.");
    const found = resolveTarget(app, caller, code);
    if (!found.ok) return respond.reply(found.message);
    await finish(app, caller, respond, now, found.target, rest.join(" "), message.text);
  },
  buttons: {
    async [ACTIONS.done]({ app, caller, respond, payload, now }) {
      const found = resolveButtonTarget(app, caller, payload);
      if (!found.ok) return respond.notice(found.message, true);
      await finish(app, caller, respond, now, found.target, "", "[nút] ✅ Hoàn thành");
    },
  },
  /** A file or photo sent in reply to the bot's "hoàn thành" answer: evidence by reference. */
  async reply({ app, message, caller, respond, now }) {
    const tag = message.replyTo && EVIDENCE_TAG.exec(message.replyTo.text);
    if (!tag || !message.file) return false;
    const found = resolveButtonTarget(app, caller, tag[1]);
    if (!found.ok) {
      await respond.reply(found.message);
      return true;
    }
    const file = message.file;
    const parsed = parseEvidence(message.text);
    await changeAssignment(app, caller, now, found.target.assignment.id, "evidence", message.text || file.name, (current) => ({
      assignment: {
        ...current,
        evidence: [
          ...current.evidence,
          {
            file: { platform: file.platform, fileId: file.fileId, name: file.name, size: file.size },
            documentNumber: parsed.documentNumber,
            documentDate: parsed.documentDate,
            text: message.text || undefined,
            at: now.toISOString(),
            by: caller.userId,
          },
        ],
        updatedAt: now.toISOString(),
      },
      result: null,
    }));
    await respond.reply(`📎 Đã lưu tệp kiểm chứng «${file.name ?? "tệp"}» cho ${found.target.task.code} — ${app.agencyName(found.target.assignment.agencyId)}.`);
    return true;
  },
});
