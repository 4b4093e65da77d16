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
 * DIGEST_WEEKLY: `MON 08:30` (MON…SUN or T2…T7, CN), or `off` → null.
 * Throws a Vietnamese message naming the key, the value and an example.
 */
export function weeklySetting(text = "MON 08:30"): DigestSettings["weekly"] {
  const value = text.trim();
  if (OFF.test(value)) return null;
  const m = /^([A-Za-z0-9]+)\s+(\S+)$/.exec(value);
  const dayOfWeek = m ? DAYS[m[1].toLowerCase()] : undefined;
  if (!m || !dayOfWeek || !hhmm.safeParse(m[2]).success) {
    throw new Error(`DIGEST_WEEKLY không hợp lệ: «${value}». Ví dụ: MON 08:30 (thứ Hai 8 giờ 30), FRI 16:00, hoặc off.`);
  }
  return { dayOfWeek, time: m[2] };
}

/**
 * DIGEST_QUARTER: `5 08:30` (working days before the quarter ends, 0–40, then the time), or
 * `off` → null; without a time, `defaultTime` (the weekly digest's). Throws a Vietnamese
 * message naming the key, the value and an example.
 */
export function quarterSetting(text: string, defaultTime = "08:30"): DigestSettings["quarter"] {
  const value = text.trim();
  if (OFF.test(value)) return null;
  const m = /^(\d{1,2})(?:\s+(\S+))?$/.exec(value);
  const time = m?.[2] ?? defaultTime;
  if (!m || !hhmm.safeParse(time).success || Number(m[1]) > 40) {
    throw new Error(
      `DIGEST_QUARTER không hợp lệ: «${value}». Ví dụ: 5 08:30 (5 ngày làm việc trước khi hết quý, 8 giờ 30; số ngày từ 0 đến 40), hoặc off.`,
    );
  }
  return { workingDaysBefore: Number(m[1]), time };
}

/**
 * Settings from the configuration (see `weeklySetting` and `quarterSetting`); DIGEST_QUARTER's
 * time defaults to the weekly one. Throws a Vietnamese message naming the first bad key
 * (the configuration checks each key on its own, so every bad key is named there).
 */
export function digestSettings(config: { DIGEST_WEEKLY?: string; DIGEST_QUARTER?: string }): DigestSettings {
  const weekly = weeklySetting(config.DIGEST_WEEKLY ?? "MON 08:30");
  const quarter = quarterSetting(config.DIGEST_QUARTER ?? `5 ${weekly?.time ?? "08:30"}`, weekly?.time ?? "08:30");
  return DigestSettings.parse({ weekly, quarter });
}
