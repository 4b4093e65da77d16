/**
 * Every button's callback code, in one place. Callback data is `code:payload`, at most 64
 * bytes (Telegram Bot API, InlineKeyboardButton.callback_data), so codes are short. An
 * assignment in a payload is `<task code>@<agency id>`, or `<task code>@~xxxxxx` when the
 * agency id is long (see `assignmentKey`): every assignment button fits, whatever the id.
 * Codes once sent stay answerable: a renamed code keeps its old spelling in LEGACY_CODES, and
 * payloads of earlier versions (✅ without its milestone) are still read (see `parseDonePayload`).
 */
import type { Button } from "../chat/types.ts";
import { shortAgencyRef } from "../core/progress.ts";
import type { IsoDay } from "../core/schemas.ts";

export const BUTTONS = {
  /** ✅ Hoàn thành: `xong:<assignment>:<YYYYMMDD>`, the day naming the milestone it was sent for (earlier versions: `xong:<assignment>`) */
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

/** Telegram's limit for a button's callback data, in bytes. */
export const CALLBACK_LIMIT = 64;

/**
 * A button, or none when its data would pass Telegram's 64 bytes (a payload built by the
 * functions below never does: assignments are named by `assignmentKey`).
 */
export function button(text: string, code: string, payload: string | number): Button[] {
  const data = `${code}:${payload}`;
  return Buffer.byteLength(data) <= CALLBACK_LIMIT ? [{ text, data }] : [];
}

/**
 * The longest assignment key a payload carries in full. Task codes have at most 10 characters;
 * the widest payload is `xong:<key>:<YYYYMMDD>` (14 bytes around the key), so 40 leaves room.
 */
const KEY_LIMIT = 40;

/**
 * An assignment in a button's payload: `<task code>@<agency id>` (also what users may type),
 * or `<task code>@~xxxxxx` (shortAgencyRef) when that would pass 40 bytes — an agency added
 * with a long name before ids were capped. resolveTarget reads both.
 */
export function assignmentKey(code: string, agencyId: string): string {
  const full = `${code}@${agencyId}`;
  return Buffer.byteLength(full) <= KEY_LIMIT ? full : `${code}@${shortAgencyRef(agencyId)}`;
}

/** What a ✅ button acts on: the assignment key and the milestone it was sent for (its plan due), null for a button of an earlier version or a task without dated milestones. */
export function parseDonePayload(payload: string): { key: string; milestone: IsoDay | null } {
  const m = /^(.*):(\d{4})(\d{2})(\d{2})$/.exec(payload);
  return m ? { key: m[1], milestone: `${m[2]}-${m[3]}-${m[4]}` } : { key: payload, milestone: null };
}

/** The milestone a ✅ button names: its identity (the plan's due, or a quarter's end for a continuous task's report) and what the label shows. */
export type DoneButtonTarget = { id: IsoDay; label: string };

/**
 * The row of buttons an officer uses to answer about one assignment. `done` names the
 * milestone the ✅ acts on (its label shows it, its payload carries it), so a second press or an
 * old reminder's button cannot complete the next milestone.
 */
export function assignmentButtons(
  code: string,
  agencyId: string,
  options: { conditional?: boolean; done?: DoneButtonTarget | null } = {},
): Button[] {
  const key = assignmentKey(code, agencyId);
  const done = options.done;
  return [
    ...(done
      ? button(`✅ ${code} xong ${done.label}`, BUTTONS.done, `${key}:${done.id.replaceAll("-", "")}`)
      : button(`✅ ${code} xong`, BUTTONS.done, key)),
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
