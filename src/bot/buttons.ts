/**
 * Every button's callback code, in one place. Callback data is `code:payload`, at most 64
 * bytes (Telegram Bot API, InlineKeyboardButton.callback_data), so codes are short. An
 * assignment in a payload is `<task code>@<agency id>`. Codes once sent stay answerable:
 * a renamed code keeps its old spelling in LEGACY_CODES.
 */
import type { Button } from "../chat/types.ts";

export const BUTTONS = {
  /** ✅ Hoàn thành: `xong:<assignment>` */
  done: "xong",
  /** 📈 Tiến độ: opens the 25/50/75/100 choice: `td:<assignment>` */
  progressMenu: "td",
  /** 📈 a chosen percentage: `tdp:<assignment>:<pct>` */
  progressSet: "tdp",
  /** ⚠️ Vướng mắc: asks for the text as a reply: `vm:<assignment>` */
  blocker: "vm",
  /** 🗓 Có ngày (conditional task): asks for the date as a reply: `dk:<assignment>` */
  conditionDate: "dk",
  /** Sở Nội vụ decides an extension request: `ghok:<id>`, `ghno:<id>` */
  extensionApprove: "ghok",
  extensionReject: "ghno",
  /** An admin decides a group's binding request: `gnok:<id>`, `gnno:<id>` */
  bindingApprove: "gnok",
  bindingReject: "gnno",
  /** A digest's detail, chart and .xlsx: `tkct:<args>`, `tkbd:<args>`, `tkxl:<args>` */
  digestDetail: "tkct",
  digestChart: "tkbd",
  digestReport: "tkxl",
  /** Loading a plan: confirm, confirm adding new agencies, another year, a column answer, cancel */
  importConfirm: "napok",
  importConfirmAdding: "napadd",
  importYear: "napnam",
  /** Load the previewed plan as a revision of the plan it resembles: `napthay:<id>` */
  importReplace: "napthay",
  importColumn: "napcot",
  importCancel: "napno",
} as const;

/** Codes of buttons sent by earlier versions → today's code. */
export const LEGACY_CODES: Record<string, string> = { dkok: BUTTONS.bindingApprove, dkno: BUTTONS.bindingReject };

/** `code:payload` → its parts (a legacy code read as today's). */
export function parseCallback(data: string): { code: string; payload: string } {
  const cut = data.indexOf(":");
  const code = cut < 0 ? data : data.slice(0, cut);
  return { code: LEGACY_CODES[code] ?? code, payload: cut < 0 ? "" : data.slice(cut + 1) };
}

/** A button, or none when its data would pass Telegram's 64 bytes. */
export function button(text: string, code: string, payload: string | number): Button[] {
  const data = `${code}:${payload}`;
  return Buffer.byteLength(data) <= 64 ? [{ text, data }] : [];
}

/** An assignment in a button's payload: `<task code>@<agency id>` (also what users may type). */
export function assignmentKey(code: string, agencyId: string): string {
  return `${code}@${agencyId}`;
}

/** The row of buttons an officer uses to answer about one assignment. */
export function assignmentButtons(code: string, agencyId: string, options: { conditional?: boolean } = {}): Button[] {
  const key = assignmentKey(code, agencyId);
  return [
    ...button(`✅ ${code} xong`, BUTTONS.done, key),
    ...button("📈 Tiến độ", BUTTONS.progressMenu, key),
    ...button("⚠️ Vướng mắc", BUTTONS.blocker, key),
    ...(options.conditional ? button("🗓 Có ngày", BUTTONS.conditionDate, key) : []),
  ];
}

/** The buttons under a digest summary whose arguments are `args`: detail (unless asked not to), chart, .xlsx. */
export function digestButtons(args: string, options: { detail?: boolean } = { detail: true }): Button[][] {
  const first = options.detail === false ? [] : button("📋 Xem chi tiết", BUTTONS.digestDetail, args);
  const second = [...button("📊 Biểu đồ", BUTTONS.digestChart, args), ...button("📥 Tải Excel", BUTTONS.digestReport, args)];
  return [first, second].filter((r) => r.length > 0);
}
