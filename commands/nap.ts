import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { defineCommand, type ButtonContext, type Caller } from "../src/bot/registry.ts";
import type { App } from "../src/bot/app.ts";
import type { FileRef, Responder } from "../src/chat/types.ts";
import { commitImport, draftOf, previewText, readDocument, ImportError, PlanReadError, UnmappedColumnsError, type ImportOptions, type PlanDocument } from "../src/import/service.ts";
import { newAgencies, previewImport, type ImportPreview } from "../src/import/importer.ts";
import { MAX_PLAN_BYTES, planFromGrid } from "../src/import/read.ts";
import type { ColumnMap } from "../src/import/table.ts";
import type { UnmappedColumn } from "../src/import/types.ts";
import { eventBy } from "../src/domain/audit.ts";

const ASK = "📥 Nạp kế hoạch: gửi tệp kế hoạch (.docx, .xlsx, .csv, .txt, .md hoặc .json của dondoc) bằng cách TRẢ LỜI tin nhắn này.";

type PendingImport = { preview: ImportPreview; document: PlanDocument; source: string; by: string; at: string };

/** The admin choosing, one question at a time, which column of an unrecognised table is which. */
type PendingColumns = {
  columnsOf: { grid: UnmappedColumnsError["grid"]; metaText: string; columns: UnmappedColumn[]; chosen: ColumnMap; step: number; years: ImportOptions };
  source: string;
  by: string;
  at: string;
};

/** The questions of the column-mapping step, in order; `required` ones have no «Không có» button. */
const COLUMN_STEPS: { field: keyof ColumnMap; ask: string; required: boolean }[] = [
  { field: "content", ask: "NỘI DUNG nhiệm vụ", required: true },
  { field: "lead", ask: "CƠ QUAN CHỦ TRÌ", required: false },
  { field: "deadline", ask: "THỜI HẠN (thời gian thực hiện)", required: false },
  { field: "coordinating", ask: "CƠ QUAN PHỐI HỢP", required: false },
  { field: "product", ask: "SẢN PHẨM", required: false },
];

function allowedHere(caller: Caller): boolean {
  return caller.chatKind === "private" || caller.isCoordinatorChat;
}

/** Years typed after /nap or in the caption: `/nap 2022` (the plan year), `/nap 2026-2030` (a period). */
function yearsIn(text: string): ImportOptions {
  const range = /\b(20\d\d)\s*[-–]\s*(20\d\d)\b/.exec(text);
  if (range && Number(range[1]) <= Number(range[2])) return { period: { first: Number(range[1]), last: Number(range[2]) } };
  const m = /\b(20\d\d)\b/.exec(text);
  return m ? { year: Number(m[1]) } : {};
}

/** Other plan years the admin may mean, for one-tap buttons: around the signing year and the year read. */
function otherYears(plan: ImportPreview["plan"]): number[] {
  const signed = plan.signed ? Number(plan.signed.slice(0, 4)) : plan.year;
  const years = new Set([signed, signed + 1, plan.year - 1, plan.year + 1]);
  years.delete(plan.year);
  return [...years].sort().slice(0, 3);
}

async function preview(app: App, caller: Caller, respond: Responder, file: { name: string; data: Buffer }, years: ImportOptions, now: Date) {
  let document: PlanDocument;
  try {
    document = await readDocument(file);
  } catch (error) {
    if (error instanceof UnmappedColumnsError) {
      const pending: PendingColumns = {
        columnsOf: { grid: error.grid, metaText: error.metaText, columns: error.columns, chosen: {}, step: 0, years },
        source: file.name,
        by: caller.userId,
        at: now.toISOString(),
      };
      const id = await keepPending(app, pending);
      await respond.reply(`📋 ${error.message}`);
      await askColumn(respond, id, pending);
      return;
    }
    if (error instanceof PlanReadError) {
      await respond.reply(`⚠️ ${error.message}\nKhông có gì thay đổi.`);
      return;
    }
    throw error;
  }
  await showPreview(app, caller, respond, document, file.name, years, now);
}

/** Keep `pending` as the one pending import (a newer preview makes older buttons stale); its number. */
async function keepPending(app: App, pending: PendingImport | PendingColumns): Promise<number> {
  return app.store.update((data) => {
    const next = (data.counters.import ?? 0) + 1;
    data.counters.import = next;
    data.pendingImports = { [String(next)]: pending };
    return { result: next };
  });
}

/** The next column question, with one button per column (and «Không có» when the column may be missing). */
async function askColumn(respond: Responder, id: number, pending: PendingColumns): Promise<void> {
  const { columns, step, chosen } = pending.columnsOf;
  const question = COLUMN_STEPS[step];
  const taken = new Set(Object.values(chosen));
  const choices = columns.filter((c) => !taken.has(c.n - 1)).slice(0, 12);
  const label = (c: UnmappedColumn) => `${c.n}. ${(c.header || c.samples[0] || "").slice(0, 24)}`;
  await respond.reply({
    text: `Cột nào là ${question.ask}? (${step + 1}/${COLUMN_STEPS.length})`,
    buttons: [
      ...chunk(choices.map((c) => ({ text: label(c), data: `napcot:${id}:${step}:${c.n}` })), 2),
      [...(question.required ? [] : [{ text: "Không có", data: `napcot:${id}:${step}:0` }]), { text: "✖️ Hủy", data: `napno:${id}` }],
    ],
  });
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Draft a read document for the given years, keep it as the one pending import, and show it with its buttons. */
async function showPreview(app: App, caller: Caller, respond: Responder, document: PlanDocument, source: string, years: ImportOptions, now: Date) {
  let result: ImportPreview;
  try {
    result = previewImport(draftOf(document, app.directory(), { ...years, now }), app.store.read(), app.directory());
  } catch (error) {
    if (error instanceof PlanReadError || error instanceof ImportError) {
      await respond.reply(`⚠️ ${error.message}\nKhông có gì thay đổi.`);
      return;
    }
    throw error;
  }
  const id = await keepPending(app, { preview: result, document, source, by: caller.userId, at: now.toISOString() });
  const removing = result.diff.removed.length;
  const agencies = newAgencies(result, app.directory()).length;
  const confirm = removing ? `✅ Nạp (bỏ ${removing} nhiệm vụ)` : "✅ Nạp";
  await respond.reply({
    text: `${previewText(result, { directory: app.directory(), via: "chat" })}\n\nChưa ghi gì. Bấm «Nạp» để ghi vào hệ thống; năm kế hoạch khác: bấm 📅 hoặc gửi lại /nap <năm> kèm tệp.`,
    buttons: [
      [{ text: confirm, data: `napok:${id}` }, ...(agencies ? [{ text: `➕ Nạp và thêm ${agencies} cơ quan`, data: `napadd:${id}` }] : [])],
      otherYears(result.plan).map((y) => ({ text: `📅 Năm ${y}`, data: `napnam:${id}:${y}` })),
      [{ text: "✖️ Hủy", data: `napno:${id}` }],
    ],
  });
}

async function fromChatFile(app: App, caller: Caller, respond: Responder, file: FileRef, text: string, now: Date) {
  if (file.size !== undefined && file.size > MAX_PLAN_BYTES) {
    await respond.reply(`⚠️ Tệp quá lớn (${(file.size / 1e6).toFixed(1)} MB); tối đa ${MAX_PLAN_BYTES / 1e6} MB. Không có gì thay đổi.`);
    return;
  }
  const data = await app.download(file);
  await preview(app, caller, respond, { name: file.name ?? "kehoach", data }, yearsIn(text), now);
}

/** ✅ Nạp / ➕ Nạp và thêm cơ quan: commit the pending preview (adding its new agencies first). */
async function confirmImport({ app, caller, respond, payload, now }: ButtonContext, addAgencies: boolean): Promise<void> {
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
    addAgencies,
  });
  await app.store.update((data) => {
    delete data.pendingImports[payload];
    return { result: null };
  });
  const agencies = counts.agencies.length ? ` Đã thêm ${counts.agencies.length} cơ quan: ${counts.agencies.join(", ")} (gắn nhóm bằng /dangky <mã>).` : "";
  await respond.reply(
    `✅ Đã nạp «${pending.preview.plan.title}»: thêm ${counts.added}, sửa ${counts.changed}, bỏ ${counts.removed} nhiệm vụ. Tiến độ đã báo cáo được giữ nguyên.${agencies}`,
  );
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
      await preview(app, caller, respond, { name: path.basename(pathArg), data: await readFile(pathArg) }, yearsIn(args.replace(pathArg, "")), now);
      return;
    }
    const years = yearsIn(args);
    const asked = years.period ? `\nGiai đoạn kế hoạch: ${years.period.first}–${years.period.last}` : years.year ? `\nNăm kế hoạch: ${years.year}` : "";
    await respond.reply({ text: `${ASK}${asked}`, forceReply: true });
  },
  buttons: {
    async napok(ctx) {
      await confirmImport(ctx, false);
    },
    async napadd(ctx) {
      await confirmImport(ctx, true);
    },
    async napcot({ app, caller, respond, payload, now }) {
      if (!caller.isAdmin) {
        await respond.notice("Chỉ quản trị viên mới nạp được kế hoạch.", true);
        return;
      }
      const [id, stepText, columnText] = payload.split(":");
      const pending = app.store.read().pendingImports[id] as PendingColumns | undefined;
      const step = Number(stepText);
      if (!pending?.columnsOf || pending.columnsOf.step !== step) {
        await respond.notice("Câu hỏi này đã được trả lời hoặc đã cũ. Gửi lại /nap.", true);
        return;
      }
      const column = Number(columnText);
      const chosen = { ...pending.columnsOf.chosen, ...(column > 0 ? { [COLUMN_STEPS[step].field]: column - 1 } : {}) };
      const next: PendingColumns = { ...pending, columnsOf: { ...pending.columnsOf, chosen, step: step + 1 } };
      if (step + 1 < COLUMN_STEPS.length) {
        const nextId = await keepPending(app, next);
        await askColumn(respond, nextId, next);
        return;
      }
      let document: PlanDocument;
      try {
        document = { raw: planFromGrid(pending.source, pending.columnsOf.grid, chosen, pending.columnsOf.metaText) };
      } catch (error) {
        if (error instanceof PlanReadError) {
          await respond.reply(`⚠️ ${error.message}\nKhông có gì thay đổi. Gửi lại /nap để chọn lại.`);
          return;
        }
        throw error;
      }
      await showPreview(app, caller, respond, document, pending.source, pending.columnsOf.years, now);
    },
    async napnam({ app, caller, respond, payload, now }) {
      if (!caller.isAdmin) {
        await respond.notice("Chỉ quản trị viên mới đổi được năm kế hoạch.", true);
        return;
      }
      const [id, yearText] = payload.split(":");
      const pending = app.store.read().pendingImports[id] as PendingImport | undefined;
      const year = Number(yearText);
      if (!pending?.document || !Number.isInteger(year)) {
        await respond.notice("Bản xem trước này đã được xử lý hoặc đã cũ. Gửi lại /nap.", true);
        return;
      }
      await showPreview(app, caller, respond, pending.document, pending.source, { year }, now);
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
