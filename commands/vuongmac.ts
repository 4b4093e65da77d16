import { defineCommand, type Caller } from "../src/bot/registry.ts";
import type { App } from "../src/bot/app.ts";
import type { Responder } from "../src/chat/types.ts";
import { changeAssignment, resolveButtonTarget, resolveTarget, type Target } from "../src/domain/assignments.ts";
import { ACTIONS } from "../src/bot/buttons.ts";
import { shorten } from "../src/core/text.ts";

const PROMPT_TAG = /Vướng mắc — Mã: (\S+@\S+)/;

async function report(app: App, caller: Caller, respond: Responder, now: Date, target: Target, blocker: string, text: string) {
  const { task, assignment } = target;
  await changeAssignment(app, caller, now, assignment.id, "blocker", text, (current) => ({
    assignment: { ...current, status: current.status === "done" ? "done" : "blocked", blocker, updatedAt: now.toISOString() },
    result: null,
  }));
  const forwarded = await app.notifyCoordinator({
    text: `⚠️ Vướng mắc — ${app.agencyName(assignment.agencyId)}\n${task.code} — ${shorten(task.title, 90)}\n«${blocker}»\n(${caller.userName} báo)`,
  });
  await respond.reply(
    `⚠️ Đã ghi nhận vướng mắc của ${task.code}` +
      (forwarded ? " và chuyển tới nhóm Sở Nội vụ." : ". Chưa chuyển được tới nhóm Sở Nội vụ (chưa gắn nhóm hoặc không gửi được); Sở Nội vụ vẫn thấy trong /chitiet và bản tổng hợp."),
  );
}

export const command = defineCommand({
  name: "vuongmac",
  description: "Báo vướng mắc của một nhiệm vụ (chuyển tới Sở Nội vụ)",
  usage: "/vuongmac <mã nhiệm vụ> <nội dung>",
  examples: ["/vuongmac A12 Chờ ý kiến góp ý của các sở"],
  group: "cơ quan",
  async handler({ app, args, caller, respond, now, message }) {
    const [code, ...rest] = args.split(" ");
    if (!code) return app.usage(respond, "vuongmac", "Thiếu mã nhiệm vụ và nội dung vướng mắc.");
    if (rest.length === 0) return app.usage(respond, "vuongmac", "Thiếu nội dung vướng mắc.");
    const found = resolveTarget(app, caller, code);
    if (!found.ok) return respond.reply(found.message);
    await report(app, caller, respond, now, found.target, rest.join(" "), message.text);
  },
  buttons: {
    async [ACTIONS.blocker]({ app, caller, respond, payload }) {
      const found = resolveButtonTarget(app, caller, payload);
      if (!found.ok) return respond.notice(found.message, true);
      await respond.reply({
        text: `⚠️ Vướng mắc — Mã: ${found.target.assignment.id}\nNhập nội dung vướng mắc bằng cách trả lời tin nhắn này.`,
        forceReply: true,
      });
    },
  },
  async reply({ app, message, caller, respond, now }) {
    const tag = message.replyTo && PROMPT_TAG.exec(message.replyTo.text);
    if (!tag) return false;
    const found = resolveButtonTarget(app, caller, tag[1]);
    if (!found.ok) {
      await respond.reply(found.message);
      return true;
    }
    if (!message.text.trim()) {
      await respond.reply("Nội dung vướng mắc đang trống; hãy trả lời lại bằng chữ.");
      return true;
    }
    await report(app, caller, respond, now, found.target, message.text.trim(), message.text);
    return true;
  },
});
