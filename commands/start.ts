import { defineCommand } from "../src/bot/registry.ts";

export const command = defineCommand({
  name: "start",
  description: "Giới thiệu dondoc và trạng thái của nhóm này",
  usage: "/start",
  examples: ["/start"],
  group: "chung",
  async handler({ respond, caller, directory }) {
    const lines = [
      "Xin chào! Tôi là dondoc, trợ lý đôn đốc thực hiện Kế hoạch cải cách hành chính của tỉnh.",
      "Tôi nhắc việc sắp đến hạn, quá hạn vào các ngày làm việc, nhận báo cáo tiến độ và tổng hợp cho Sở Nội vụ.",
      "",
    ];
    if (caller.chatAgencyId) {
      lines.push(`Nhóm này đã gắn với: ${directory.nameOf(caller.chatAgencyId)}.`);
      lines.push("Gõ /nhiemvu để xem nhiệm vụ của cơ quan, /giup để xem các lệnh.");
    } else if (caller.chatKind === "group") {
      lines.push("Nhóm này chưa gắn với cơ quan nào. Gõ /dangky <tên cơ quan>, ví dụ: /dangky Sở Tư pháp");
    } else {
      lines.push("Gõ /giup để xem các lệnh.");
    }
    // Zalo has no @userinfobot: the id an admin writes into ADMIN_IDS / MANAGER_IDS, as it must be written.
    if (!caller.userId.startsWith("local:"))
      lines.push("", `Mã người dùng của bạn: ${caller.userId} (quản trị viên ghi mã này vào ADMIN_IDS hoặc MANAGER_IDS để cấp quyền).`);
    await respond.reply(lines.join("\n"));
  },
});
