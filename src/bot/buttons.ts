/**
 * Callback data of the buttons under reminders and task details. Kept short: Telegram
 * allows 64 bytes. An assignment is `<task code>@<agency id>`.
 */
import type { Button } from "../chat/types.ts";

export const ACTIONS = {
  /** ✅ Hoàn thành */
  done: "xong",
  /** 📈 Tiến độ: opens the 25/50/75/100 choice */
  progressMenu: "td",
  /** 📈 a chosen percentage: `tdp:<assignment>:<pct>` */
  progressSet: "tdp",
  /** ⚠️ Vướng mắc: asks for the text as a reply */
  blocker: "vm",
  /** 🗓 Đã có thời điểm (conditional task): asks for the date as a reply */
  conditionDate: "dk",
} as const;

export function assignmentKey(code: string, agencyId: string): string {
  return `${code}@${agencyId}`;
}

export function parseAssignmentKey(key: string): { code: string; agencyId: string } | null {
  const at = key.indexOf("@");
  if (at <= 0) return null;
  return { code: key.slice(0, at), agencyId: key.slice(at + 1) };
}

/** The row of buttons an officer uses to answer about one assignment. */
export function assignmentButtons(code: string, agencyId: string, options: { conditional?: boolean } = {}): Button[] {
  const key = assignmentKey(code, agencyId);
  const row: Button[] = [
    { text: `✅ ${code} xong`, data: `${ACTIONS.done}:${key}` },
    { text: "📈 Tiến độ", data: `${ACTIONS.progressMenu}:${key}` },
    { text: "⚠️ Vướng mắc", data: `${ACTIONS.blocker}:${key}` },
  ];
  if (options.conditional) row.push({ text: "🗓 Có ngày", data: `${ACTIONS.conditionDate}:${key}` });
  return row;
}
