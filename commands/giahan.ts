import { defineCommand } from "../src/bot/registry.ts";
import { resolveTarget, today } from "../src/domain/assignments.ts";
import { currentMilestone } from "../src/core/progress.ts";
import { parseViDate, shorten, viDate } from "../src/core/text.ts";
import { eventBy } from "../src/domain/audit.ts";
import { EXTENSION_ACTIONS, decideExtension, mayDecide } from "../src/domain/extensions.ts";

export const command = defineCommand({
  name: "giahan",
  description: "Đề nghị gia hạn một nhiệm vụ (Sở Nội vụ duyệt)",
  usage: "/giahan <mã nhiệm vụ> <dd/mm/yyyy> <lý do>",
  examples: ["/giahan A12 30/06/2021 Chờ văn bản hướng dẫn của Bộ"],
  group: "cơ quan",
  async handler({ app, args, caller, respond, now, message }) {
    const [code, dateText, ...reason] = args.split(" ");
    if (!code || !dateText) return app.usage(respond, "giahan", "Thiếu mã nhiệm vụ hoặc ngày đề nghị.");
    const requestedDue = parseViDate(dateText);
    if (!requestedDue) return app.usage(respond, "giahan", `Ngày «${dateText}» không hợp lệ: cần dạng dd/mm/yyyy, ví dụ 30/06/2021.`);
    if (reason.length === 0) return app.usage(respond, "giahan", "Thiếu lý do gia hạn.");
    const found = resolveTarget(app, caller, code);
    if (!found.ok) return respond.reply(found.message);
    const { task, assignment } = found.target;
    const milestone = currentMilestone(task, assignment);
    if (!milestone) {
      await respond.reply(`Nhiệm vụ ${task.code} không có mốc thời hạn nào đang mở để gia hạn.`);
      return;
    }
    if (requestedDue <= today(now)) return app.usage(respond, "giahan", `Ngày đề nghị ${viDate(requestedDue)} đã qua: cần một ngày sau hôm nay.`);
    if (requestedDue <= milestone.due) {
      return app.usage(respond, "giahan", `Ngày đề nghị ${viDate(requestedDue)} không sau hạn hiện tại ${viDate(milestone.due)}.`);
    }
    const request = await app.store.update((data) => {
      const id = (data.counters.extension ?? 0) + 1;
      data.counters.extension = id;
      const r = {
        id,
        assignmentId: assignment.id,
        taskCode: task.code,
        agencyId: assignment.agencyId,
        originalDue: milestone.originalDue,
        requestedDue,
        reason: reason.join(" "),
        status: "pending" as const,
        requestedBy: caller.userId,
        requestedAt: now.toISOString(),
      };
      data.extensionRequests.push(r);
      return { result: r, events: [eventBy(caller, now, { action: "extension.request", taskCode: task.code, agencyId: assignment.agencyId, after: r, text: message.text })] };
    });
    const sent = await app.notifyCoordinator({
      text:
        `🗓 Đề nghị gia hạn số ${request.id} — ${app.agencyName(request.agencyId)}\n` +
        `${task.code} — ${shorten(task.title, 90)}\nHạn hiện tại ${viDate(milestone.due)} → đề nghị ${viDate(requestedDue)}\nLý do: ${request.reason}\n` +
        `Duyệt: /duyet ${request.id} · Từ chối: /tuchoi ${request.id} <lý do>`,
      buttons: [[
        { text: "✅ Duyệt", data: `${EXTENSION_ACTIONS.approve}:${request.id}` },
        { text: "✖️ Từ chối", data: `${EXTENSION_ACTIONS.reject}:${request.id}` },
      ]],
    });
    await respond.reply(
      `🗓 Đã gửi đề nghị gia hạn số ${request.id} cho ${task.code} đến ${viDate(requestedDue)}` +
        (sent ? "; chờ Sở Nội vụ duyệt." : `. Chưa gửi được tới nhóm Sở Nội vụ: nhờ quản trị viên duyệt bằng /duyet ${request.id}.`),
    );
  },
  buttons: {
    async [EXTENSION_ACTIONS.approve]({ app, caller, respond, payload, now }) {
      if (!mayDecide(caller)) return respond.notice("Chỉ nhóm Sở Nội vụ hoặc quản trị viên mới duyệt được.", true);
      await decideExtension(app, caller, respond, now, Number(payload), true, "", "[nút] ✅ Duyệt");
    },
    async [EXTENSION_ACTIONS.reject]({ app, caller, respond, payload, now }) {
      if (!mayDecide(caller)) return respond.notice("Chỉ nhóm Sở Nội vụ hoặc quản trị viên mới từ chối được.", true);
      await decideExtension(app, caller, respond, now, Number(payload), false, "", "[nút] ✖️ Từ chối");
    },
  },
});
