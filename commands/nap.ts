import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { defineCommand, type Caller } from "../src/commands.ts";
import type { App } from "../src/app.ts";
import type { FileRef, Responder } from "../src/chat/types.ts";
import { commitImport, prepareImport, previewText, ImportError, PlanReadError } from "../src/import/service.ts";
import type { ImportPreview } from "../src/import/importer.ts";
import { MAX_PLAN_BYTES } from "../src/import/read.ts";
import { eventBy } from "../src/audit.ts";

const ASK = "📥 Nạp kế hoạch: gửi tệp kế hoạch (.docx, .xlsx, .csv, .txt, .md hoặc .json của dondoc) bằng cách TRẢ LỜI tin nhắn này.";

type PendingImport = { preview: ImportPreview; source: string; by: string; at: string };

function allowedHere(caller: Caller): boolean {
  return caller.chatKind === "private" || caller.isCoordinatorChat;
}

/** Year override typed after /nap or in the caption: `/nap 2022`. */
function yearIn(text: string): number | undefined {
  const m = /\b(20\d\d)\b/.exec(text);
  return m ? Number(m[1]) : undefined;
}

async function preview(app: App, caller: Caller, respond: Responder, file: { name: string; data: Buffer }, year: number | undefined, now: Date) {
  let result: ImportPreview;
  try {
    result = await prepareImport(app.store, app.directory(), file, { year, now });
  } catch (error) {
    if (error instanceof PlanReadError || error instanceof ImportError) {
      await respond.reply(`⚠️ ${error.message}\nKhông có gì thay đổi.`);
      return;
    }
    throw error;
  }
  const id = await app.store.update((data) => {
    const next = (data.counters.import ?? 0) + 1;
    data.counters.import = next;
    const pending: PendingImport = { preview: result, source: file.name, by: caller.userId, at: now.toISOString() };
    data.pendingImports = { [String(next)]: pending }; // only the latest preview can be confirmed
    return { result: next };
  });
  const removing = result.diff.removed.length;
  await respond.reply({
    text: `${previewText(result)}\n\nChưa ghi gì. Bấm «Nạp» để ghi vào hệ thống.`,
    buttons: [
      [
        { text: removing ? `✅ Nạp (bỏ ${removing} nhiệm vụ)` : "✅ Nạp", data: `napok:${id}` },
        { text: "✖️ Hủy", data: `napno:${id}` },
      ],
    ],
  });
}

async function fromChatFile(app: App, caller: Caller, respond: Responder, file: FileRef, text: string, now: Date) {
  if (file.size !== undefined && file.size > MAX_PLAN_BYTES) {
    await respond.reply(`⚠️ Tệp quá lớn (${(file.size / 1e6).toFixed(1)} MB); tối đa ${MAX_PLAN_BYTES / 1e6} MB. Không có gì thay đổi.`);
    return;
  }
  const data = await app.download(file);
  await preview(app, caller, respond, { name: file.name ?? "kehoach", data }, yearIn(text), now);
}

export const command = defineCommand({
  name: "nap",
  description: "Nạp kế hoạch CCHC từ tệp (xem trước, rồi xác nhận)",
  usage: "/nap [năm kế hoạch] — rồi gửi tệp trả lời tin nhắn của bot (chế độ thử: /nap <đường dẫn> [năm])",
  examples: ["/nap", "/nap 2022", "/nap ../shared/plans/kien-giang-2021.txt"],
  group: "quản trị",
  audience: "admin",
  async handler({ app, caller, respond, message, args, now }) {
    if (!allowedHere(caller)) {
      await respond.reply("Hãy nạp kế hoạch trong chat riêng với bot hoặc trong nhóm Sở Nội vụ.");
      return;
    }
    if (message.file) {
      await fromChatFile(app, caller, respond, message.file, args, now);
      return;
    }
    const pathArg = args.split(" ").find((a) => /[./\\]/.test(a) && !/^\d{4}$/.test(a));
    if (pathArg && caller.chatId.startsWith("local:")) {
      const size = await stat(pathArg).then((s) => s.size, () => null);
      if (size === null) {
        await respond.reply(`Không mở được tệp ${pathArg}.`);
        return;
      }
      if (size > MAX_PLAN_BYTES) {
        await respond.reply(`⚠️ Tệp quá lớn; tối đa ${MAX_PLAN_BYTES / 1e6} MB.`);
        return;
      }
      await preview(app, caller, respond, { name: path.basename(pathArg), data: await readFile(pathArg) }, yearIn(args.replace(pathArg, "")), now);
      return;
    }
    await respond.reply({ text: `${ASK}${yearIn(args) ? `\nNăm kế hoạch: ${yearIn(args)}` : ""}`, forceReply: true });
  },
  buttons: {
    async napok({ app, caller, respond, payload, now }) {
      if (!caller.isAdmin) {
        await respond.notice("Chỉ quản trị viên mới nạp được kế hoạch.", true);
        return;
      }
      const pending = app.store.read().pendingImports[payload] as PendingImport | undefined;
      if (!pending) {
        await respond.notice("Bản xem trước này đã được xử lý hoặc đã cũ. Gửi lại /nap.", true);
        return;
      }
      const counts = await commitImport(app.store, pending.preview, {
        directory: app.directory(),
        actor: { id: caller.userId, name: caller.userName },
        chatId: caller.chatId,
        now,
        source: pending.source,
        removeMissing: true,
      });
      await app.store.update((data) => {
        delete data.pendingImports[payload];
        return { result: null };
      });
      await respond.reply(
        `✅ Đã nạp «${pending.preview.plan.title}»: thêm ${counts.added}, sửa ${counts.changed}, bỏ ${counts.removed} nhiệm vụ. Tiến độ đã báo cáo được giữ nguyên.`,
      );
    },
    async napno({ app, caller, respond, payload, now }) {
      if (!caller.isAdmin) {
        await respond.notice("Chỉ quản trị viên mới hủy được.", true);
        return;
      }
      await app.store.update((data) => {
        const existed = payload in data.pendingImports;
        delete data.pendingImports[payload];
        return { result: null, events: existed ? [eventBy(caller, now, { action: "import.cancel", after: { id: payload } })] : [] };
      });
      await respond.reply("Đã hủy. Không có gì thay đổi.");
    },
  },
  /** A file sent in reply to the bot's «Nạp kế hoạch» question. */
  async reply({ app, message, caller, respond, now }) {
    if (!message.file || !message.replyTo?.text.startsWith("📥 Nạp kế hoạch")) return false;
    if (!caller.isAdmin) {
      await respond.reply("⛔ Chỉ quản trị viên mới nạp được kế hoạch.");
      return true;
    }
    await fromChatFile(app, caller, respond, message.file, `${message.text} ${message.replyTo.text}`, now);
    return true;
  },
});
