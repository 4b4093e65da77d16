/** When the scheduled digests go out: parsed from DIGEST_WEEKLY and DIGEST_QUARTER. */
import { z } from "zod";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "giờ phải có dạng HH:MM, ví dụ 08:30");

export const DigestSettings = z.object({
  /** ISO weekday 1 = Monday … 7 = Sunday. */
  weekly: z.object({ dayOfWeek: z.number().int().min(1).max(7), time: hhmm }).nullable(),
  /** Working days before the quarter's last day (0 = that day itself). */
  quarter: z.object({ workingDaysBefore: z.number().int().min(0).max(40), time: hhmm }).nullable(),
});
export type DigestSettings = z.infer<typeof DigestSettings>;

export const DEFAULT_DIGEST_SETTINGS: DigestSettings = {
  weekly: { dayOfWeek: 1, time: "08:30" },
  quarter: { workingDaysBefore: 5, time: "08:30" },
};

const DAYS: Record<string, number> = {
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
  sun: 7,
  t2: 1,
  t3: 2,
  t4: 3,
  t5: 4,
  t6: 5,
  t7: 6,
  cn: 7,
};
const OFF = /^(off|tat|tắt|khong|không|none)$/i;

/**
 * Settings from the configuration:
 * - DIGEST_WEEKLY: `MON 08:30` (MON…SUN or T2…T7, CN), or `off`;
 * - DIGEST_QUARTER: `5 08:30` (working days before the quarter ends, time), or `off`;
 *   its time defaults to the weekly one.
 * Throws a Vietnamese message naming the key when a value cannot be read.
 */
export function digestSettings(config: { DIGEST_WEEKLY?: string; DIGEST_QUARTER?: string }): DigestSettings {
  const weeklyText = (config.DIGEST_WEEKLY ?? "MON 08:30").trim();
  let weekly: DigestSettings["weekly"] = null;
  if (!OFF.test(weeklyText)) {
    const m = /^([A-Za-z0-9]+)\s+(\S+)$/.exec(weeklyText);
    const dayOfWeek = m ? DAYS[m[1].toLowerCase()] : undefined;
    if (!m || !dayOfWeek || !hhmm.safeParse(m[2]).success) {
      throw new Error(`DIGEST_WEEKLY không hợp lệ: «${weeklyText}». Ví dụ: MON 08:30 (thứ Hai 8 giờ 30), FRI 16:00, hoặc off.`);
    }
    weekly = { dayOfWeek, time: m[2] };
  }
  const quarterText = (config.DIGEST_QUARTER ?? `5 ${weekly?.time ?? "08:30"}`).trim();
  let quarter: DigestSettings["quarter"] = null;
  if (!OFF.test(quarterText)) {
    const m = /^(\d{1,2})(?:\s+(\S+))?$/.exec(quarterText);
    const time = m?.[2] ?? weekly?.time ?? "08:30";
    if (!m || !hhmm.safeParse(time).success || Number(m[1]) > 40) {
      throw new Error(
        `DIGEST_QUARTER không hợp lệ: «${quarterText}». Ví dụ: 5 08:30 (5 ngày làm việc trước khi hết quý, 8 giờ 30), hoặc off.`,
      );
    }
    quarter = { workingDaysBefore: Number(m[1]), time };
  }
  return DigestSettings.parse({ weekly, quarter });
}
