/**
 * Working-day calendar of Vietnamese state agencies (Monday–Friday, Asia/Ho_Chi_Minh).
 *
 * Pure: no file system, no clock. Days are ISO strings `YYYY-MM-DD` (calendar days in Vietnam).
 *
 * A day is off when it is a Saturday or Sunday, a holiday fixed by the Labour Code, or a day off
 * decided by the government (data/holidays.json) — unless the data file lists it as a working day
 * (a weekend day worked in exchange for a day off, "làm bù").
 *
 * Holidays by law (Bộ luật Lao động 2019, art. 112; before 2021 the 2012 code, without the extra
 * day next to 2/9), computed every year:
 *   1/1, Tết (last day of the lunar year through mùng 3, from amlich), Giỗ Tổ (10/3 âm lịch),
 *   30/4, 1/5, 2/9.
 * Each of these "occasions" is either decided in the data file — some day off or working day of
 * the file falls within 3 days of it, and then the file says everything else (the Tết break,
 * compensatory days, the day next to 2/9) — or not, and then the law's defaults apply:
 *   Tết has 5 days (mùng 4 added), 2/9 gets the day before (if 2/9 is a Tuesday, Friday or
 *   Saturday) or after (otherwise), and every holiday on a weekend gives a compensatory day off on
 *   the next weekday that is not already off ("nghỉ bù").
 * So when entering a decision, enter all of it (compensatory days included).
 */
import { z } from "zod";
import amlich from "amlich";
import { IsoDay } from "./schemas.ts";

// ---------------------------------------------------------------- plain date helpers

const DAY_MS = 86_400_000;

function toUtc(day: IsoDay): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const ms = m ? new Date(0).setUTCFullYear(+m[1], +m[2] - 1, +m[3]) : NaN;
  // Month and day both read back: 2021-13-01 or 2021-02-30 would roll over into another date.
  if (!m || new Date(ms).getUTCMonth() !== +m[2] - 1 || new Date(ms).getUTCDate() !== +m[3])
    throw new Error(`Ngày không hợp lệ: "${day}" (cần YYYY-MM-DD)`);
  return ms;
}

const fromUtc = (ms: number): IsoDay => new Date(ms).toISOString().slice(0, 10);
const isoOf = (y: number, m: number, d: number): IsoDay => fromUtc(new Date(0).setUTCFullYear(y, m - 1, d));

/**
 * The years whose holidays by law are computed (lunar dates included). Outside them only
 * weekends are off (and any day the data file lists), and working days are counted by
 * arithmetic: a date typed as 30/06/9999 costs as little as one next year. Users cannot
 * enter such dates (see `dateWindow`); stored or imported ones stay cheap.
 */
export const HOLIDAY_YEARS = { first: 1975, last: 2100 } as const;

/**
 * The days a user may type (a deadline, an extension, a condition date, a document's date):
 * from 1 January 2000 to 31 December of the current year + 10 in Vietnam, relative to `now`.
 * A plan for 2026–2030 fits from 2020 on; 30/06/9999 and 31/12/1999 do not. One rule for
 * every command (source: issue 13, item 13).
 */
export function dateWindow(now: Date): { first: IsoDay; last: IsoDay } {
  return { first: "2000-01-01", last: `${Number(toVnDay(now).slice(0, 4)) + 10}-12-31` };
}

/** null when `day` is inside `dateWindow(now)`; otherwise why not, in Vietnamese, naming the window. */
export function outsideDateWindow(day: IsoDay, now: Date): string | null {
  const { first, last } = dateWindow(now);
  if (day >= first && day <= last) return null;
  const vi = (d: IsoDay) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`; // text.ts's viDate (text.ts imports this file)
  return `Ngày ${vi(day)} nằm ngoài khoảng dondoc nhận: từ ${vi(first)} đến ${vi(last)} (năm nay + 10 năm).`;
}

/** True for an existing calendar day written `YYYY-MM-DD`. */
export function isValidDay(day: string): boolean {
  try {
    toUtc(day);
    return true;
  } catch {
    return false;
  }
}

/** The ISO day `n` calendar days after `day` (before, when negative). */
export function addDays(day: IsoDay, n: number): IsoDay {
  return fromUtc(toUtc(day) + n * DAY_MS);
}

/** ISO weekday: 1 = Monday (Thứ Hai) … 6 = Saturday, 7 = Sunday. */
export function dayOfWeek(day: IsoDay): number {
  return new Date(toUtc(day)).getUTCDay() || 7;
}

/** Weekdays (Monday–Friday) among the first r days (0–7) of a week that starts on a Thursday (1970-01-01). */
const WEEKDAYS_FROM_THURSDAY = [0, 1, 2, 2, 2, 3, 4, 5];

/** Weekdays (Monday–Friday) among the days numbered 0 … n−1 since 1970-01-01 (negative n: minus those in n … −1). O(1). */
function weekdaysBefore(n: number): number {
  const weeks = Math.floor(n / 7);
  return 5 * weeks + WEEKDAYS_FROM_THURSDAY[n - 7 * weeks];
}

/** Saturday or Sunday. */
export const isWeekend = (day: IsoDay): boolean => dayOfWeek(day) >= 6;

/** Quarter 1–4 of a day. */
export function quarterOf(day: IsoDay): 1 | 2 | 3 | 4 {
  return (Math.floor(new Date(toUtc(day)).getUTCMonth() / 3) + 1) as 1 | 2 | 3 | 4;
}

/** First day of quarter q (1–4) of year. */
export function quarterStart(year: number, q: number): IsoDay {
  return isoOf(year, 3 * q - 2, 1);
}

/** Last day of quarter q (1–4) of year: 03-31, 06-30, 09-30, 12-31. */
export function quarterEnd(year: number, q: number): IsoDay {
  return isoOf(year, 3 * q + 1, 0);
}

// ---------------------------------------------------------------- instants ↔ Vietnam time

/** Calendar day in Vietnam at an instant, whatever the process TZ. */
/**
 * Vietnam has kept UTC+07:00, without daylight saving, since 1975: the hot conversions
 * below are plain arithmetic (checked against date-fns-tz in the tests), because the
 * planner and the digest make several per assignment.
 */
const VN_OFFSET_MS = 7 * 3600 * 1000;

const DIGIT = (text: string, i: number): number => text.charCodeAt(i) - 48;
/** Whether the characters at `positions` are all ASCII digits. */
function digitsAt(text: string, positions: readonly number[]): boolean {
  for (let k = 0; k < positions.length; k++) {
    const c = text.charCodeAt(positions[k]);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
/** Where `toISOString()`'s shape `YYYY-MM-DDTHH:MM:SS.sssZ` has digits. */
const ISO_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];
/** Days in each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Days from 1970-01-01 to a valid date of the proleptic Gregorian calendar (`days_from_civil`,
 * H. Hinnant, http://howardhinnant.github.io/date_algorithms.html): integer arithmetic, what
 * `Date.UTC(year, month - 1, day) / DAY_MS` gives for years from 100 on, without its cost.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * `Date.parse(iso)` — milliseconds since the epoch, NaN when unreadable — ≈ 5× faster for what
 * dondoc stores (`toISOString()`'s `YYYY-MM-DDTHH:MM:SS.sssZ`): read digit by digit, the day
 * counted by `daysFromCivil`. Anything else — a day the month does not have, hour 24, second
 * 60, a year before 100 — goes to `Date.parse` itself, so the answer is always `Date.parse`'s
 * (test/core/calendar.test.ts compares them).
 */
export function parseInstant(iso: string): number {
  if (
    iso.length !== 24 ||
    iso.charCodeAt(4) !== 45 || // -
    iso.charCodeAt(7) !== 45 ||
    iso.charCodeAt(10) !== 84 || // T
    iso.charCodeAt(13) !== 58 || // :
    iso.charCodeAt(16) !== 58 ||
    iso.charCodeAt(19) !== 46 || // .
    iso.charCodeAt(23) !== 90 || // Z
    !digitsAt(iso, ISO_DIGITS)
  )
    return Date.parse(iso);
  const year = DIGIT(iso, 0) * 1000 + DIGIT(iso, 1) * 100 + DIGIT(iso, 2) * 10 + DIGIT(iso, 3);
  const month = DIGIT(iso, 5) * 10 + DIGIT(iso, 6);
  const day = DIGIT(iso, 8) * 10 + DIGIT(iso, 9);
  const hour = DIGIT(iso, 11) * 10 + DIGIT(iso, 12);
  const minute = DIGIT(iso, 14) * 10 + DIGIT(iso, 15);
  const second = DIGIT(iso, 17) * 10 + DIGIT(iso, 18);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || year < 100) return Date.parse(iso);
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > MONTH_DAYS[month - 1] + (leap ? 1 : 0)) return Date.parse(iso);
  const millis = DIGIT(iso, 20) * 100 + DIGIT(iso, 21) * 10 + DIGIT(iso, 22);
  return daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis;
}

/** The day it is at `instant` in Vietnam (UTC+7, no daylight saving). */
export function toVnDay(instant: Date): IsoDay {
  return new Date(instant.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

export interface VnDateTime {
  day: IsoDay;
  /** `HH:mm`, 24 h. */
  time: string;
  hour: number;
  minute: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  dayOfWeek: number;
}

/** Vietnamese wall-clock day and time at an instant, whatever the process TZ. */
export function vnDateTime(instant: Date): VnDateTime {
  const local = new Date(instant.getTime() + VN_OFFSET_MS).toISOString();
  const day = local.slice(0, 10);
  const time = local.slice(11, 16);
  const [hour, minute] = time.split(":").map(Number);
  return { day, time, hour, minute, dayOfWeek: dayOfWeek(day) };
}

/** The instant at which it is `time` (`HH:mm`) on `day` in Vietnam. */
export function vnInstant(day: IsoDay, time = "00:00"): Date {
  toUtc(day);
  if (!/^\d{2}:\d{2}$/.test(time)) throw new Error(`Giờ không hợp lệ: "${time}" (cần HH:mm)`);
  return new Date(`${day}T${time}:00+07:00`);
}

/** `2021-03-25` or `2021-03-25T08:00` (Vietnam time; the day alone: at `defaultTime`) → instant; null if malformed. */
export function parseLocalInstant(text: string, defaultTime = "08:00"): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?$/.exec(text.trim());
  if (!m || !isValidDay(m[1])) return null;
  const instant = vnInstant(m[1], m[2] ?? defaultTime.slice(0, 5));
  return Number.isNaN(instant.getTime()) ? null : instant;
}

// ---------------------------------------------------------------- data file schema

const Day = IsoDay.refine(isValidDay, "ngày không tồn tại");

const DaysOff = z
  .object({ from: Day, to: Day, note: z.string().min(1) })
  .refine((r) => r.from <= r.to, '"from" phải trước hoặc bằng "to"')
  .refine((r) => r.from > r.to || toUtc(r.to) - toUtc(r.from) < 14 * DAY_MS, "một đợt nghỉ không quá 14 ngày");

const Workday = z.object({ date: Day, note: z.string().min(1) });

const YearDecisions = z.object({
  /** Free remark for admins, e.g. a decision still pending. */
  note: z.string().optional(),
  daysOff: z.array(DaysOff).default([]),
  /** Weekend days worked in exchange for a day off. */
  workdays: z.array(Workday).default([]),
});

/** Content of data/holidays.json: the government's days-off decisions, by year. */
export const HolidaysData = z
  .object({
    version: z.literal(1),
    years: z.record(z.string().regex(/^\d{4}$/, "năm phải có 4 chữ số"), YearDecisions),
  })
  .superRefine((data, ctx) => {
    const offDays = new Set<string>();
    for (const y of Object.values(data.years)) for (const r of y.daysOff) for (const d of range(r.from, r.to)) offDays.add(d);
    for (const [year, y] of Object.entries(data.years)) {
      const near = (d: string) => Math.abs(+d.slice(0, 4) - +year) <= 1;
      y.daysOff.forEach((r, i) => {
        if (!near(r.from) || !near(r.to))
          ctx.addIssue({ code: "custom", path: ["years", year, "daysOff", i], message: `ngày nghỉ không thuộc năm ${year}` });
      });
      y.workdays.forEach((w, i) => {
        const path = ["years", year, "workdays", i, "date"];
        if (!near(w.date)) ctx.addIssue({ code: "custom", path, message: `ngày làm bù không thuộc năm ${year}` });
        if (isValidDay(w.date) && !isWeekend(w.date))
          ctx.addIssue({ code: "custom", path, message: "ngày làm bù phải là thứ Bảy hoặc Chủ nhật" });
        if (offDays.has(w.date)) ctx.addIssue({ code: "custom", path, message: "ngày làm bù trùng với một ngày nghỉ" });
      });
    }
  });
export type HolidaysData = z.infer<typeof HolidaysData>;

function range(from: IsoDay, to: IsoDay): IsoDay[] {
  const out: IsoDay[] = [];
  if (!isValidDay(from) || !isValidDay(to)) return out;
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

// ---------------------------------------------------------------- holidays by law

/** Solar day of a (non-leap) Vietnamese lunar date, computed for UTC+7. */
export function lunarToSolar(lunarDay: number, lunarMonth: number, lunarYear: number): IsoDay {
  const [d, m, y] = amlich.convertLunar2Solar(lunarDay, lunarMonth, lunarYear, 0, 7);
  return isoOf(y, m, d);
}

type Named = [day: IsoDay, name: string];
/** A holiday by law: its fixed days, and the days the law adds when no decision is recorded. */
type Occasion = { days: Named[]; extra: Named[] };

function occasions(year: number): Occasion[] {
  const tet = lunarToSolar(1, 1, year);
  const tetDay = (i: number): Named => [addDays(tet, i), `Tết Nguyên đán (mùng ${i + 1})`];
  const qk = isoOf(year, 9, 2);
  const qkBefore = [2, 5, 6].includes(dayOfWeek(qk));
  return [
    { days: [[isoOf(year, 1, 1), "Tết Dương lịch"]], extra: [] },
    {
      days: [[addDays(tet, -1), "Tết Nguyên đán (ngày cuối năm âm lịch)"], tetDay(0), tetDay(1), tetDay(2)],
      extra: [tetDay(3)],
    },
    { days: [[lunarToSolar(10, 3, year), "Giỗ Tổ Hùng Vương"]], extra: [] },
    {
      days: [
        [isoOf(year, 4, 30), "Ngày Chiến thắng (30/4)"],
        [isoOf(year, 5, 1), "Ngày Quốc tế Lao động (1/5)"],
      ],
      extra: [],
    },
    {
      days: [[qk, "Quốc khánh (2/9)"]],
      extra: year >= 2021 ? [[addDays(qk, qkBefore ? -1 : 1), `Quốc khánh (ngày liền ${qkBefore ? "trước" : "sau"} 2/9)`]] : [],
    },
  ];
}

// ---------------------------------------------------------------- the calendar

export interface WorkCalendar {
  isWorkingDay(day: IsoDay): boolean;
  /** Why a day is off (holiday, Tết break, compensatory day…); null for working days and plain weekends. */
  holidayName(day: IsoDay): string | null;
  /**
   * The n-th working day after `day` (before it when n < 0); `day` itself is never counted.
   * n = 0 returns `day` unchanged, even when it is not a working day.
   */
  addWorkingDays(day: IsoDay, n: number): IsoDay;
  /** First working day strictly after `day`. */
  nextWorkingDay(day: IsoDay): IsoDay;
  /**
   * Number of working days d with a < d ≤ b; when b < a, minus that count for (b, a].
   * So between(a, a) = 0, between(a, b) = −between(b, a), and between(a, addWorkingDays(a, n)) = n
   * for n ≥ 0 (and for n < 0 when a is itself a working day).
   */
  workingDaysBetween(a: IsoDay, b: IsoDay): number;
}

/**
 * Working days from the holidays data (Bộ luật Lao động 2019, art. 112: Tết, 30/4, 1/5, 2/9…,
 * and each year's decisions on days swapped): is a day worked, working days between two days.
 */
export function createCalendar(holidays: HolidaysData): WorkCalendar {
  const dataOff = new Map<IsoDay, string>();
  const workdays = new Map<IsoDay, string>();
  for (const y of Object.values(holidays.years)) {
    for (const r of y.daysOff) for (const d of range(r.from, r.to)) if (!dataOff.has(d)) dataOff.set(d, r.note);
    for (const w of y.workdays) workdays.set(w.date, w.note);
  }

  const years = new Map<number, { fixed: Map<IsoDay, string>; byLaw: Map<IsoDay, string> }>();
  function yearOf(y: number) {
    let entry = years.get(y);
    if (entry) return entry;
    const fixed = new Map<IsoDay, string>();
    const byLaw = new Map<IsoDay, string>();
    const all = occasions(y);
    for (const o of all) for (const [d, name] of o.days) if (!fixed.has(d)) fixed.set(d, name);
    const decided = (o: Occasion) => {
      const days = [...o.days, ...o.extra].map(([d]) => d).sort();
      return range(addDays(days[0], -3), addDays(days[days.length - 1], 3)).some((d) => dataOff.has(d) || workdays.has(d));
    };
    const open = all.filter((o) => !decided(o));
    for (const o of open) for (const [d, name] of o.extra) if (!fixed.has(d)) byLaw.set(d, name);
    const isOff = (d: IsoDay) => fixed.has(d) || byLaw.has(d) || dataOff.has(d);
    const onWeekend = open
      .flatMap((o) => [...o.days, ...o.extra])
      .filter(([d]) => isWeekend(d))
      .sort(([a], [b]) => a.localeCompare(b));
    for (const [d, name] of onWeekend) {
      let c = addDays(d, 1);
      while (isWeekend(c) || isOff(c)) c = addDays(c, 1);
      byLaw.set(c, `Nghỉ bù ${name}`);
    }
    entry = { fixed, byLaw };
    years.set(y, entry);
    return entry;
  }

  function holidayName(day: IsoDay): string | null {
    toUtc(day);
    if (workdays.has(day)) return null;
    const year = +day.slice(0, 4);
    if (year < HOLIDAY_YEARS.first || year > HOLIDAY_YEARS.last) return dataOff.get(day) ?? null;
    const { fixed, byLaw } = yearOf(year);
    return fixed.get(day) ?? dataOff.get(day) ?? byLaw.get(day) ?? null;
  }

  function isWorkingDay(day: IsoDay): boolean {
    if (workdays.has(day)) return true;
    return !isWeekend(day) && holidayName(day) === null;
  }

  function addWorkingDays(day: IsoDay, n: number): IsoDay {
    if (!Number.isInteger(n)) throw new Error(`Số ngày làm việc phải là số nguyên: ${n}`);
    const step = Math.sign(n);
    let d = day;
    for (let left = Math.abs(n); left > 0; ) {
      d = addDays(d, step);
      if (isWorkingDay(d)) left--;
    }
    return d;
  }

  /** Days off and working weekend days from the data file outside HOLIDAY_YEARS (usually none), by year. */
  const dataOutside = new Map<number, IsoDay[]>();
  for (const d of new Set([...dataOff.keys(), ...workdays.keys()])) {
    const y = +d.slice(0, 4);
    if (y >= HOLIDAY_YEARS.first && y <= HOLIDAY_YEARS.last) continue;
    dataOutside.set(y, [...(dataOutside.get(y) ?? []), d]);
  }
  const dayNumber = (d: IsoDay) => toUtc(d) / DAY_MS;
  const yearStart = (y: number) => new Date(0).setUTCFullYear(y, 0, 1) / DAY_MS;

  /** Per year within HOLIDAY_YEARS: prefix[i] = working days among its days 0..i (computed once per year). */
  const prefixes = new Map<number, Int32Array>();
  function yearPrefix(y: number): Int32Array {
    let prefix = prefixes.get(y);
    if (prefix) return prefix;
    const start = `${y}-01-01`;
    const length = yearStart(y + 1) - yearStart(y);
    prefix = new Int32Array(length);
    let count = 0;
    for (let i = 0, d = start; i < length; i++, d = addDays(d, 1)) prefix[i] = count += isWorkingDay(d) ? 1 : 0;
    prefixes.set(y, prefix);
    return prefix;
  }
  /** Working days of year `y` among its first `days` days (0 … its length): a table in HOLIDAY_YEARS, arithmetic outside. */
  function workingDaysInYear(y: number, days: number): number {
    if (days <= 0) return 0;
    if (y >= HOLIDAY_YEARS.first && y <= HOLIDAY_YEARS.last) return yearPrefix(y)[days - 1];
    const start = yearStart(y);
    let count = weekdaysBefore(start + days) - weekdaysBefore(start);
    for (const d of dataOutside.get(y) ?? []) {
      if (dayNumber(d) >= start + days) continue;
      if (isWeekend(d) && isWorkingDay(d)) count++;
      else if (!isWeekend(d) && !isWorkingDay(d)) count--;
    }
    return count;
  }
  /** Working days from 1 January of `baseYear` through `d`: O(years between), each year O(1) once its table is built. */
  function countThrough(d: IsoDay, baseYear: number): number {
    const y = Number(d.slice(0, 4));
    let count = 0;
    for (let k = baseYear; k < y; k++) count += workingDaysInYear(k, yearStart(k + 1) - yearStart(k));
    return count + workingDaysInYear(y, dayNumber(d) - yearStart(y) + 1);
  }

  function workingDaysBetween(a: IsoDay, b: IsoDay): number {
    toUtc(a);
    toUtc(b);
    if (b < a) return 0 - workingDaysBetween(b, a); // never -0
    const base = Number(a.slice(0, 4));
    return countThrough(b, base) - countThrough(a, base);
  }

  return {
    isWorkingDay,
    holidayName,
    addWorkingDays,
    nextWorkingDay: (day) => addWorkingDays(day, 1),
    workingDaysBetween,
  };
}
