import { historyLines } from "../src/bot/history.ts";
import { defineCommand } from "../src/bot/registry.ts";
import { requireVisibleTask } from "../src/domain/assignments.ts";

export const command = defineCommand({
  name: "lichsu",
  description: "Lịch sử thay đổi của một nhiệm vụ: ai, khi nào, thay đổi gì",
  usage: "/lichsu <mã nhiệm vụ>",
  examples: ["/lichsu A12"],
  group: "cơ quan",
  async handler({ args, caller, respond, usage, store, directory }) {
    if (!args) return usage("Thiếu mã nhiệm vụ.");
    const task = requireVisibleTask({ store, directory }, caller, args.split(" ")[0]);
    const lines = await historyLines(store, directory, task.code, 30);
    await respond.reply(
      lines.length
        ? [`🕘 Lịch sử ${task.code} (mới nhất trước):`, ...lines].join("\n")
        : `${task.code}: chưa có thay đổi nào từ khi nạp kế hoạch.`,
    );
  },
});
