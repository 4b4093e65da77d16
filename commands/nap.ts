import { BUTTONS, button } from "../src/bot/buttons.ts";
import { defineCommand, type HandlerContext } from "../src/bot/registry.ts";
import type { Button, FileRef } from "../src/chat/types.ts";
import { Refusal } from "../src/domain/context.ts";
import {
  cancelImport,
  chooseColumn,
  COLUMN_FIELDS,
  confirmImport,
  previewAgain,
  previewAsRevision,
  startImport,
  type ImportStep,
} from "../src/domain/imports.ts";
import { newAgencies, otherPlanYears } from "../src/import/importer.ts";
import { readLocalPlanFile } from "../src/import/files.ts";
import { MAX_PLAN_BYTES } from "../src/import/read.ts";
import { importDoneText, previewText, sizeText, type ImportOptions } from "../src/import/service.ts";
import type { ColumnMap } from "../src/import/table.ts";

const ASK = "📥 Nạp kế hoạch: gửi tệp kế hoạch (.docx, .xlsx, .csv, .txt, .md hoặc .json của dondoc) bằng cách TRẢ LỜI tin nhắn này.";

/** What each column question asks for. */
const COLUMN_NAMES: Record<keyof ColumnMap, string> = {
  content: "NỘI DUNG nhiệm vụ",
  lead: "CƠ QUAN CHỦ TRÌ",
  deadline: "THỜI HẠN (thời gian thực hiện)",
  coordinating: "CƠ QUAN PHỐI HỢP",
  product: "SẢN PHẨM",
  stt: "SỐ THỨ TỰ",
};

/** Years typed after /nap or in the caption: `/nap 2022` (the plan year), `/nap 2026-2030` (a period). */
function yearsIn(text: string): ImportOptions {
  const range = /\b(20\d\d)\s*[-–]\s*(20\d\d)\b/.exec(text);
  if (range) {
    const [first, last] = [Number(range[1]), Number(range[2])];
    if (first > last) throw new Refusal(`Giai đoạn ${first}–${last}: năm đầu phải trước năm cuối, ví dụ /nap 2026-2030.`, true);
    return { period: { first, last } };
  }
  const m = /\b(20\d\d)\b/.exec(text);
  return m ? { year: Number(m[1]) } : {};
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Show where the import stands: the next column question, or the preview with its buttons. */
async function show(ctx: HandlerContext, step: ImportStep): Promise<void> {
  if (step.kind === "column") {
    if (step.notice) await ctx.respond.reply(`📋 ${step.notice}`);
    const question = COLUMN_FIELDS[step.step];
    const taken = new Set(Object.values(step.chosen));
    const choices = step.columns.filter((c) => !taken.has(c.n - 1)).slice(0, 12);
    const columnButtons = choices.flatMap((c) =>
      button(`${c.n}. ${(c.header || c.samples[0] || "").slice(0, 24)}`, BUTTONS.importColumn, `${step.id}:${step.step}:${c.n}`),
    );
    const none = question.required ? [] : button("Không có", BUTTONS.importColumn, `${step.id}:${step.step}:0`);
    await ctx.respond.reply({
      text: `Cột nào là ${COLUMN_NAMES[question.field]}? (${step.step + 1}/${COLUMN_FIELDS.length})`,
      buttons: [...chunk(columnButtons, 2), [...none, ...button("✖️ Hủy", BUTTONS.importCancel, step.id)]],
    });
    return;
  }
  const { preview, id } = step;
  const removing = preview.diff.removed.length;
  const agencies = newAgencies(preview, ctx.directory).length;
  const rows: Button[][] = [
    [
      ...button(removing ? `✅ Nạp (bỏ ${removing} nhiệm vụ)` : "✅ Nạp", BUTTONS.importConfirm, id),
      ...(agencies ? button(`➕ Nạp và thêm ${agencies} cơ quan`, BUTTONS.importConfirmAdding, id) : []),
    ],
    preview.diff.resembles
      ? button(`🔁 Nạp thay kế hoạch ${preview.diff.resembles.number ?? preview.diff.resembles.planId}`, BUTTONS.importReplace, id)
      : [],
    otherPlanYears(preview.plan).flatMap((c) =>
      button(c.label, BUTTONS.importYear, `${id}:${c.period ? `${c.period.first}-${c.period.last}` : c.year}`),
    ),
    button("✖️ Hủy", BUTTONS.importCancel, id),
  ];
  await ctx.respond.reply({
    text: `${previewText(preview, { directory: ctx.directory, via: "chat" })}\n\nChưa ghi gì. Bấm «Nạp» để ghi vào hệ thống; năm kế hoạch khác: bấm 📅 hoặc gửi lại /nap <năm> kèm tệp.`,
    buttons: rows.filter((r) => r.length > 0),
  });
}

/** A file sent in the chat: checked for size before it is downloaded, then read and previewed. */
async function fromChatFile(ctx: HandlerContext, file: FileRef, text: string): Promise<void> {
  if (file.size !== undefined && file.size > MAX_PLAN_BYTES) {
    throw new Refusal(`⚠️ Tệp quá lớn (${sizeText(file.size)}); tối đa ${sizeText(MAX_PLAN_BYTES)}. Không có gì thay đổi.`);
  }
  const years = yearsIn(text);
  const data = await ctx.outbox.download(file);
  await show(ctx, await startImport(ctx, ctx.caller, { name: file.name ?? "kehoach", data }, years));
}

async function confirm(ctx: HandlerContext & { payload: string }, addAgencies: boolean): Promise<void> {
  const result = await confirmImport(ctx, ctx.caller, ctx.payload, addAgencies);
  const agencies = result.agencies.length
    ? `\nĐã thêm ${result.agencies.length} cơ quan: ${result.agencies.join(", ")} (gắn nhóm bằng /dangky <mã>).`
    : "";
  await ctx.respond.reply(importDoneText(result.plan, result) + agencies);
}

export const command = defineCommand({
  name: "nap",
  description: "Nạp kế hoạch CCHC từ tệp (xem trước, rồi xác nhận)",
  usage: "/nap [năm kế hoạch] — rồi gửi tệp trả lời tin nhắn của bot (chế độ thử: /nap <đường dẫn> [năm])",
  examples: ["/nap", "/nap 2022", "/nap ../shared/plans/kien-giang-2021.txt"],
  group: "quản trị",
  access: "import",
  async handler(ctx) {
    const { args, message, caller } = ctx;
    if (message.file) return fromChatFile(ctx, message.file, args);
    // Local mode reads a path on this machine; a chat platform never does.
    const pathArg = caller.chatId.startsWith("local:")
      ? args.split(" ").find((a) => /[./\\]/.test(a) && !/^\d{4}(-\d{4})?$/.test(a))
      : undefined;
    if (pathArg) {
      const years = yearsIn(args.replace(pathArg, ""));
      const file = await readLocalPlanFile(pathArg);
      return show(ctx, await startImport(ctx, caller, file, years));
    }
    const years = yearsIn(args);
    const asked = years.period
      ? `\nGiai đoạn kế hoạch: ${years.period.first}–${years.period.last}`
      : years.year
        ? `\nNăm kế hoạch: ${years.year}`
        : "";
    await ctx.respond.reply({ text: `${ASK}${asked}`, forceReply: true });
  },
  buttons: {
    [BUTTONS.importConfirm]: { run: (ctx) => confirm(ctx, false) },
    [BUTTONS.importConfirmAdding]: { run: (ctx) => confirm(ctx, true) },
    [BUTTONS.importColumn]: {
      async run(ctx) {
        const [id, step, column] = ctx.payload.split(":");
        await show(ctx, await chooseColumn(ctx, ctx.caller, id, Number(step), Number(column)));
      },
    },
    [BUTTONS.importYear]: {
      async run(ctx) {
        const [id, years] = ctx.payload.split(":");
        const [first, last] = years.split("-").map(Number);
        await show(ctx, await previewAgain(ctx, ctx.caller, id, last ? { year: first, period: { first, last } } : { year: first }));
      },
    },
    [BUTTONS.importReplace]: {
      run: async (ctx) => show(ctx, await previewAsRevision(ctx, ctx.caller, ctx.payload)),
    },
    [BUTTONS.importCancel]: {
      async run(ctx) {
        await cancelImport(ctx, ctx.caller, ctx.payload);
        await ctx.respond.reply("Đã hủy. Không có gì thay đổi.");
      },
    },
  },
  /** A file sent in reply to the bot's «Nạp kế hoạch» question. */
  reply: {
    match: (message) => (message.file && message.replyTo?.text.startsWith("📥 Nạp kế hoạch") ? message.replyTo.text : null),
    run: (ctx) => fromChatFile(ctx, ctx.message.file!, `${ctx.message.text} ${ctx.match}`),
  },
});
