import { defineCommand } from "../src/bot/registry.ts";
import { findTask, unknownCodeMessage } from "../src/domain/assignments.ts";
import { historyLines } from "../src/bot/history.ts";

export const command = defineCommand({
  name: "lichsu",
  description: "Lịch sử thay đổi của một nhiệm vụ: ai, khi nào, thay đổi gì",
  usage: "/lichsu <mã nhiệm vụ>",
  examples: ["/lichsu A12"],
  group: "cơ quan",
  async handler({ app, args, respond }) {
    if (!args) return app.usage(respond, "lichsu", "Thiếu mã nhiệm vụ.");
    const code = args.split(" ")[0];
    const task = findTask(app, code);
    if (!task) return respond.reply(unknownCodeMessage(app, code));
    const lines = await historyLines(app, task.code, 30);
    await respond.reply(
      lines.length ? [`🕘 Lịch sử ${task.code} (mới nhất trước):`, ...lines].join("\n") : `${task.code}: chưa có thay đổi nào từ khi nạp kế hoạch.`,
    );
  },
});
