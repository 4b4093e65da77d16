import { BUTTONS, button } from "../src/bot/buttons.ts";
import { defineCommand, type HandlerContext } from "../src/bot/registry.ts";
import { homedir } from "node:os";
import path from "node:path";
import type { Button, FileRef } from "../src/chat/types.ts";
import { fold } from "../src/core/text.ts";
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

/** The years dondoc reads plans for (as the CLI's --year). */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

/**
 * Years found in the text of a reply to the «Nạp kế hoạch» question (the question itself
 * carries what `/nap 2022` asked for): `2022`, or a period `2026-2030`. Lenient: other words
 * are the user's caption.
 */
function yearsIn(text: string): ImportOptions {
  const range = /\b(20\d\d)\s*[-–]\s*(20\d\d)\b/.exec(text);
  if (range) return checkedYears(Number(range[1]), Number(range[2]));
  const m = /\b(20\d\d)\b/.exec(text);
  return m ? checkedYears(Number(m[1])) : {};
}

/** A year or a period, refused (Refusal, input) outside FIRST_YEAR–LAST_YEAR or reversed. */
function checkedYears(first: number, last?: number): ImportOptions {
  for (const year of [first, last ?? first])
    if (year < FIRST_YEAR || year > LAST_YEAR) throw new Refusal(`Năm ${year} ngoài khoảng ${FIRST_YEAR}–${LAST_YEAR}.`, true);
  if (last === undefined) return { year: first };
  if (first > last) throw new Refusal(`Giai đoạn ${first}–${last}: năm đầu phải trước năm cuối, ví dụ /nap 2026-2030.`, true);
  return { period: { first, last } };
}

const YEAR_WORDS = /^(?:nam|giai doan|ky|ke hoach|nam ke hoach)\s+/;

/**
 * The arguments of `/nap` (or a file's caption after `/nap`): nothing, a year (`2022`,
 * `năm 2022`) or a period (`2026-2030`, `giai đoạn 2026–2030`). Anything else is refused
 * (Refusal, input: the usage follows) rather than ignored.
 */
export function readYears(args: string): ImportOptions {
  const text = fold(args).replace(YEAR_WORDS, "");
  if (!text) return {};
  const range = /^(\d{4})\s*[-–]\s*(\d{4})$/.exec(text);
  if (range) return checkedYears(Number(range[1]), Number(range[2]));
  if (/^\d{4}$/.test(text)) return checkedYears(Number(text));
  if (/^[-+]?\d+$/.test(text)) throw new Refusal(`Năm «${args}» không hợp lệ: ghi năm bằng 4 chữ số, ví dụ /nap 2022.`, true);
  throw new Refusal(`Không hiểu «${args}»: sau /nap chỉ ghi năm kế hoạch (ví dụ /nap 2022) hoặc giai đoạn (/nap 2026-2030).`, true);
}

/**
 * Local mode's `/nap <đường dẫn> [năm | giai đoạn]`: the path as typed (spaces inside it
 * kept, quotes around it removed, `~/` for the home folder) and the years before or after
 * it. Null when the arguments name no path (no `/`, `\\`, `.` or `~`): they are then years only.
 */
export function localPathArgs(args: string): { path: string; years: ImportOptions } | null {
  const years = /(?:^|\s)((?:năm|nam|giai đoạn|giai doan)\s+)?(\d{4}(?:\s*[-–]\s*\d{4})?)$/i.exec(args);
  const leading = years ? null : /^((?:năm|nam|giai đoạn|giai doan)\s+)?(\d{4}(?:\s*[-–]\s*\d{4})?)\s+/i.exec(args);
  const found = years ?? leading;
  let rest = (found ? (years ? args.slice(0, found.index) : args.slice(found[0].length)) : args).trim();
  if (!/[./\\~]/.test(rest)) return null;
  const quoted = /^(["'«])(.*)(["'»])$/.exec(rest);
  if (quoted) rest = quoted[2];
  if (rest.startsWith("~/")) rest = path.join(homedir(), rest.slice(2));
  return { path: rest, years: found ? readYears(found[0]) : {} };
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

/** A file sent in the chat: checked for size before it is downloaded, then read and previewed for `years`. */
async function fromChatFile(ctx: HandlerContext, file: FileRef, years: ImportOptions): Promise<void> {
  if (file.size !== undefined && file.size > MAX_PLAN_BYTES) {
    throw new Refusal(`⚠️ Tệp quá lớn (${sizeText(file.size)}); tối đa ${sizeText(MAX_PLAN_BYTES)}. Không có gì thay đổi.`);
  }
  // Telegram may fail to give the file (network, a file it no longer keeps): say so, keep the cause for the log.
  const data = await ctx.outbox.download(file).catch((error: unknown) => {
    throw new Refusal(
      `⚠️ Không tải được tệp «${file.name ?? "kế hoạch"}» từ Telegram. Gửi lại tệp (trả lời tin nhắn «Nạp kế hoạch»), hoặc thử lại sau ít phút. Không có gì thay đổi.`,
      false,
      error,
    );
  });
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
    // Zalo delivers no files to a bot (only text and images): say where a plan can be loaded.
    if (caller.chatId.startsWith("zl:"))
      return ctx.respond.reply(
        "Zalo không gửi được tệp kế hoạch cho bot. Nạp kế hoạch trong nhóm Telegram của dondoc, hoặc nhờ quản trị viên chạy trên máy chủ: npm run import -- <tệp kế hoạch>. Không có gì thay đổi.",
      );
    if (message.file) return fromChatFile(ctx, message.file, readYears(args));
    // Local mode reads a path on this machine; a chat platform never does. The path is taken
    // from the arguments as typed (not whitespace-folded): a folder name may hold two spaces.
    const local = caller.chatId.startsWith("local:") ? localPathArgs(message.args.trim()) : null;
    if (local) {
      const file = await readLocalPlanFile(local.path);
      return show(ctx, await startImport(ctx, caller, file, local.years));
    }
    const years = readYears(args);
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
        // A truncated or forged payload (`napnam:x`) has no years: the use case refuses it as stale.
        const [id, years = ""] = ctx.payload.split(":");
        const [first, last] = years.split("-").map(Number);
        await show(ctx, await previewAgain(ctx, ctx.caller, id, last ? { year: first, period: { first, last } } : { year: first }));
      },
    },
    [BUTTONS.importReplace]: {
      run: async (ctx) => show(ctx, await previewAsRevision(ctx, ctx.caller, ctx.payload)),
    },
    [BUTTONS.importCancel]: {
      async run(ctx) {
        const cancelled = await cancelImport(ctx, ctx.caller, ctx.payload);
        await ctx.respond.reply(
          cancelled ? "Đã hủy. Không có gì thay đổi." : "Bản xem trước này không còn (đã nạp hoặc đã hủy). Không có gì thay đổi.",
        );
      },
    },
  },
  /** A file sent in reply to the bot's «Nạp kế hoạch» question. */
  reply: {
    match: (message) => (message.file && message.replyTo?.text.startsWith("📥 Nạp kế hoạch") ? message.replyTo.text : null),
    run: (ctx) => fromChatFile(ctx, ctx.message.file!, yearsIn(`${ctx.message.text} ${ctx.match}`)),
  },
});
