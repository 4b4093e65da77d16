/**
 * The typed form of every button (bot/buttons.ts), for platforms without buttons (Zalo): what a
 * user types — as a reply quoting the bot's message, or after a mention of the bot — to do
 * what the button does. The Zalo adapter renders a message's buttons as these lines; the Zalo
 * adapter reads them back as commands (short forms without `/`, see chat/zalo.ts).
 *
 * Buttons without a typed form: the plan-loading buttons (`napok`, `napadd`, `napnam`,
 * `napthay`, `napcot`, `napno`). Loading a plan starts with a file sent to the bot, which Zalo
 * cannot deliver (../shared/notes/zalo-bot-api.md: text, image and sticker events only), so
 * their question never reaches a Zalo chat; `/nap` there says to load the plan on Telegram or
 * from the command line.
 */
import type { Button } from "../chat/types.ts";
import { BUTTONS, parseCallback, parseDonePayload } from "./buttons.ts";

/** One typed form: the text to type, and whether its answer is a file (Telegram-only). */
export type TypedForm = { text: string; file?: boolean };

/** The codes whose buttons have no typed form (see the file comment). */
export const UNTYPED_CODES: ReadonlySet<string> = new Set([
  BUTTONS.importConfirm,
  BUTTONS.importConfirmAdding,
  BUTTONS.importYear,
  BUTTONS.importReplace,
  BUTTONS.importColumn,
  BUTTONS.importCancel,
]);

/** `A12@so-tu-phap` → `A12` (the task code an officer types; their group's binding names the agency). */
function taskCode(key: string): string {
  const at = key.indexOf("@");
  return at < 0 ? key : key.slice(0, at);
}

/**
 * What to type for a button (its callback data `code:payload`), or null for a button without a
 * typed form (UNTYPED_CODES) or an unknown code.
 */
export function typedForm(data: string): TypedForm | null {
  const { code, payload } = parseCallback(data);
  switch (code) {
    case BUTTONS.done:
      return { text: `xong ${taskCode(parseDonePayload(payload).key)}` };
    case BUTTONS.progressMenu:
      return { text: `${taskCode(payload)} <số>%` };
    case BUTTONS.progressSet: {
      const cut = payload.lastIndexOf(":");
      return { text: `${taskCode(payload.slice(0, cut))} ${payload.slice(cut + 1)}%` };
    }
    case BUTTONS.blocker:
      return { text: `vuongmac ${taskCode(payload)} <nội dung>` };
    case BUTTONS.conditionDate:
      return { text: `dieukien ${taskCode(payload)} <dd/mm/yyyy>` };
    case BUTTONS.extensionApprove:
      return { text: `duyet ${payload}` };
    case BUTTONS.extensionReject:
      return { text: `tuchoi ${payload} <lý do>` };
    case BUTTONS.bindingApprove:
      return { text: `duyetnhom ${payload}` };
    case BUTTONS.bindingReject:
      return { text: `tuchoinhom ${payload}` };
    case BUTTONS.digestDetail:
      return { text: `tongket ${payload} chitiet`.replace(/\s+/g, " ") };
    case BUTTONS.digestChart:
      return { text: `bieudo ${payload}`.trim(), file: true };
    case BUTTONS.digestReport:
      return { text: `xuatbaocao ${payload}`.trim(), file: true };
    default:
      return null;
  }
}

/**
 * The lines that replace a message's buttons where there are none: one line per row of
 * buttons, its typed forms joined by " · " (forms whose answer is a file left out when
 * `files` is false; repeated forms once). Empty when no button has a typed form.
 */
export function typedLines(buttons: Button[][], options: { files: boolean }): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const row of buttons) {
    const forms = row
      .map((b) => typedForm(b.data))
      .filter((f): f is TypedForm => f !== null && (options.files || !f.file) && !seen.has(f.text));
    for (const f of forms) seen.add(f.text);
    if (forms.length) lines.push(`• ${forms.map((f) => f.text).join(" · ")}`);
  }
  return lines;
}

/**
 * What ends a message in place of its buttons where there are none (Zalo): a line saying how
 * to answer, then `typedLines`. Empty when no button has a typed form.
 */
export function typedFooter(buttons: Button[][], options: { files: boolean }): string {
  const lines = typedLines(buttons, options);
  if (lines.length === 0) return "";
  return `↩️ Không có nút bấm: trả lời (trích dẫn) tin này, hoặc nhắc tên bot rồi gõ, một dòng:\n${lines.join("\n")}`;
}
