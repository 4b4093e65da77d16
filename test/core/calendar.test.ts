import fc from "fast-check";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  addDays,
  createCalendar,
  dayOfWeek,
  HolidaysData,
  lunarToSolar,
  parseInstant,
  quarterEnd,
  quarterOf,
  quarterStart,
  toVnDay,
  vnDateTime,
  vnInstant,
} from "../../src/core/calendar.ts";
import { loadHolidays } from "../../src/boot/reference.ts";

const DATA_FILE = fileURLToPath(new URL("../../data/holidays.json", import.meta.url));
const data = loadHolidays(DATA_FILE);
const cal = createCalendar(data);
/** No decisions at all: only the Labour Code and amlich. */
const bare = createCalendar({ version: 1, years: {} });

const off = (c: typeof cal, ...days: string[]) => days.filter((d) => c.isWorkingDay(d));
const working = (c: typeof cal, ...days: string[]) => days.filter((d) => !c.isWorkingDay(d));

describe("real days off", () => {
  it("Tết Tân Sửu 2021: 10–16/02 off, 09/02 and 17/02 working", () => {
    expect(off(cal, "2021-02-10", "2021-02-11", "2021-02-12", "2021-02-13", "2021-02-14", "2021-02-15", "2021-02-16")).toEqual([]);
    expect(working(cal, "2021-02-09", "2021-02-17")).toEqual([]);
    expect(cal.holidayName("2021-02-12")).toBe("Tết Nguyên đán (mùng 1)");
    expect(cal.holidayName("2021-02-11")).toBe("Tết Nguyên đán (ngày cuối năm âm lịch)");
    expect(cal.holidayName("2021-02-16")).toMatch(/^Nghỉ Tết Nguyên đán Tân Sửu/);
    expect(cal.holidayName("2021-02-09")).toBeNull();
  });

  it("other Tết breaks from the data file", () => {
    expect(off(cal, "2024-02-08", "2024-02-14", "2025-01-27", "2025-01-31", "2026-02-16", "2026-02-20")).toEqual([]);
    expect(working(cal, "2024-02-07", "2024-02-15", "2025-01-24", "2025-02-03", "2026-02-13", "2026-02-23")).toEqual([]);
  });

  it("30/4 and 1/5: 2021 both off, with 1/5 (Saturday) compensated on Monday 3/5", () => {
    expect(off(cal, "2021-04-30", "2021-05-01", "2021-05-03")).toEqual([]);
    expect(cal.holidayName("2021-04-30")).toBe("Ngày Chiến thắng (30/4)");
    expect(cal.holidayName("2021-05-01")).toBe("Ngày Quốc tế Lao động (1/5)");
    expect(cal.holidayName("2021-05-03")).toBe("Nghỉ bù ngày Quốc tế Lao động 1/5 (rơi vào thứ Bảy)");
    expect(cal.isWorkingDay("2021-05-04")).toBe(true);
    // 2022: 30/4 Saturday, 1/5 Sunday → Monday 2/5 and Tuesday 3/5 off.
    expect(off(cal, "2022-05-02", "2022-05-03")).toEqual([]);
    expect(cal.isWorkingDay("2022-05-04")).toBe(true);
  });

  it("2/9/2021: 2 and 3/9 off, Monday 6/9 working", () => {
    expect(off(cal, "2021-09-02", "2021-09-03")).toEqual([]);
    expect(cal.holidayName("2021-09-03")).toBe("Nghỉ Quốc khánh (ngày liền sau 2/9)");
    expect(working(cal, "2021-09-01", "2021-09-06")).toEqual([]);
    // 2022: the day before (1/9) was chosen, so 3/9... is a Saturday anyway; 5/9 working.
    expect(off(cal, "2022-09-01", "2022-09-02")).toEqual([]);
    expect(working(cal, "2022-08-31", "2022-09-05")).toEqual([]);
  });

  it("2020 follows the 2012 code: 2/9 alone", () => {
    expect(cal.isWorkingDay("2020-09-02")).toBe(false);
    expect(working(cal, "2020-09-01", "2020-09-03")).toEqual([]);
  });

  it("weekends are off but have no holiday name", () => {
    expect(cal.isWorkingDay("2021-03-06")).toBe(false);
    expect(cal.isWorkingDay("2021-03-07")).toBe(false);
    expect(cal.holidayName("2021-03-06")).toBeNull();
    expect(working(cal, "2021-03-05", "2021-03-08")).toEqual([]);
  });

  it("swapped working Saturdays", () => {
    expect(cal.isWorkingDay("2024-05-04")).toBe(true);
    expect(cal.holidayName("2024-05-04")).toBeNull();
    expect(cal.isWorkingDay("2024-04-29")).toBe(false);
    expect(cal.isWorkingDay("2025-04-26")).toBe(true);
    expect(cal.isWorkingDay("2025-05-02")).toBe(false);
    expect(cal.isWorkingDay("2026-01-10")).toBe(true);
    expect(cal.isWorkingDay("2026-01-02")).toBe(false);
    expect(bare.isWorkingDay("2024-05-04")).toBe(false);
  });
});

describe("lunar holidays computed by amlich (no data)", () => {
  it("Giỗ Tổ 2021 = 21/04/2021", () => {
    expect(lunarToSolar(10, 3, 2021)).toBe("2021-04-21");
    expect(bare.holidayName("2021-04-21")).toBe("Giỗ Tổ Hùng Vương");
    expect(bare.isWorkingDay("2021-04-21")).toBe(false);
    expect(bare.isWorkingDay("2021-04-22")).toBe(true);
  });

  it("Tết 2026 = 17/02/2026", () => {
    expect(lunarToSolar(1, 1, 2026)).toBe("2026-02-17");
    expect(bare.holidayName("2026-02-17")).toBe("Tết Nguyên đán (mùng 1)");
    expect(bare.holidayName("2026-02-16")).toBe("Tết Nguyên đán (ngày cuối năm âm lịch)");
    // Law default: 5 days, last day of the year through mùng 4 (Mon 16 – Fri 20).
    expect(off(bare, "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20")).toEqual([]);
    expect(working(bare, "2026-02-13", "2026-02-23")).toEqual([]);
  });

  it("law defaults reproduce the compensatory days of 2022 and 2023", () => {
    expect(bare.holidayName("2022-01-03")).toBe("Nghỉ bù Tết Dương lịch");
    expect(bare.holidayName("2022-04-11")).toBe("Nghỉ bù Giỗ Tổ Hùng Vương");
    expect(off(bare, "2022-05-02", "2022-05-03", "2023-05-02", "2023-05-03")).toEqual([]);
    expect(cal.isWorkingDay("2023-05-04")).toBe(true);
    // 2/9/2023 Saturday: day before (Fri 1/9) and compensatory Monday 4/9.
    expect(off(bare, "2023-09-01", "2023-09-04")).toEqual([]);
    expect(bare.isWorkingDay("2023-09-05")).toBe(true);
  });

  it("a year with no decision: 2027", () => {
    // Tết 2027 = Sat 6/2: 5/2 (last day) … 9/2 (mùng 4), Sat/Sun compensated on Wed 10 and Thu 11.
    expect(lunarToSolar(1, 1, 2027)).toBe("2027-02-06");
    expect(off(cal, "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11")).toEqual([]);
    expect(working(cal, "2027-02-04", "2027-02-12")).toEqual([]);
    expect(cal.holidayName("2027-02-10")).toBe("Nghỉ bù Tết Nguyên đán (mùng 1)");
    // 2/9/2027 Thursday → Friday 3/9 too.
    expect(off(cal, "2027-09-02", "2027-09-03")).toEqual([]);
  });
});

describe("counting working days", () => {
  it("addWorkingDays across Tết 2021", () => {
    expect(cal.addWorkingDays("2021-02-09", 1)).toBe("2021-02-17");
    expect(cal.addWorkingDays("2021-02-08", 3)).toBe("2021-02-18");
    expect(cal.addWorkingDays("2021-02-17", -1)).toBe("2021-02-09");
    expect(cal.addWorkingDays("2021-02-13", -1)).toBe("2021-02-09");
    expect(cal.addWorkingDays("2021-02-12", 0)).toBe("2021-02-12");
    expect(cal.addWorkingDays("2021-02-05", 5)).toBe("2021-02-19"); // Mon 8, Tue 9, Wed 17, Thu 18, Fri 19
  });

  it("nextWorkingDay is strictly after", () => {
    expect(cal.nextWorkingDay("2021-02-09")).toBe("2021-02-17");
    expect(cal.nextWorkingDay("2021-03-05")).toBe("2021-03-08");
    expect(cal.nextWorkingDay("2021-03-08")).toBe("2021-03-09");
    expect(cal.nextWorkingDay("2024-05-03")).toBe("2024-05-04");
  });

  it("workingDaysBetween counts (a, b], negated when b < a", () => {
    expect(cal.workingDaysBetween("2021-02-09", "2021-02-17")).toBe(1);
    expect(cal.workingDaysBetween("2021-02-17", "2021-02-09")).toBe(-1);
    expect(cal.workingDaysBetween("2021-02-09", "2021-02-09")).toBe(0);
    expect(cal.workingDaysBetween("2021-02-10", "2021-02-16")).toBe(0);
    expect(cal.workingDaysBetween("2021-03-05", "2021-03-08")).toBe(1); // Fri → Mon
    expect(cal.workingDaysBetween("2021-03-01", "2021-03-31")).toBe(22);
    expect(cal.workingDaysBetween("2021-03-06", "2021-03-05")).toBe(0); // (Fri, Sat] holds no working day
    for (const n of [1, 2, 5, 10, 30]) {
      const b = cal.addWorkingDays("2021-02-05", n);
      expect(cal.workingDaysBetween("2021-02-05", b)).toBe(n);
      expect(cal.workingDaysBetween("2021-02-18", cal.addWorkingDays("2021-02-18", -n))).toBe(-n);
    }
  });
});

describe("date helpers", () => {
  it("addDays, dayOfWeek, quarters", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-02-29", 1)).toBe("2024-03-01");
    expect(addDays("2021-12-31", 1)).toBe("2022-01-01");
    expect(addDays("2022-01-01", -1)).toBe("2021-12-31");
    expect(addDays("2021-02-12", 0)).toBe("2021-02-12");
    expect(dayOfWeek("2021-02-12")).toBe(5);
    expect(dayOfWeek("2021-03-07")).toBe(7);
    expect(dayOfWeek("2021-03-08")).toBe(1);
    expect(quarterOf("2021-01-01")).toBe(1);
    expect(quarterOf("2021-06-30")).toBe(2);
    expect(quarterOf("2021-07-01")).toBe(3);
    expect(quarterOf("2021-12-31")).toBe(4);
    expect(quarterEnd(2024, 1)).toBe("2024-03-31");
    expect(quarterEnd(2024, 2)).toBe("2024-06-30");
    expect(quarterEnd(2024, 3)).toBe("2024-09-30");
    expect(quarterEnd(2024, 4)).toBe("2024-12-31");
    expect(quarterStart(2024, 3)).toBe("2024-07-01");
  });

  it("rejects days that do not exist", () => {
    expect(() => addDays("2021-02-30", 1)).toThrow(/Ngày không hợp lệ/);
    expect(() => cal.isWorkingDay("21-2-3")).toThrow(/Ngày không hợp lệ/);
    expect(() => cal.workingDaysBetween("2021-02-01", "2021-02-30")).toThrow(/Ngày không hợp lệ/);
  });
});

describe("Vietnam time whatever the process TZ", () => {
  const saved = process.env.TZ;
  afterEach(() => {
    process.env.TZ = saved;
  });

  for (const tz of ["UTC", "America/Los_Angeles", "Pacific/Kiritimati", "Asia/Ho_Chi_Minh"]) {
    it(`TZ=${tz}`, () => {
      process.env.TZ = tz;
      // 16:59:59Z = 23:59:59 in Vietnam; 17:00Z = midnight of the next day.
      expect(toVnDay(new Date("2021-02-16T16:59:59Z"))).toBe("2021-02-16");
      expect(toVnDay(new Date("2021-02-16T17:00:00Z"))).toBe("2021-02-17");
      expect(vnDateTime(new Date("2021-02-16T17:30:00Z"))).toEqual({
        day: "2021-02-17",
        time: "00:30",
        hour: 0,
        minute: 30,
        dayOfWeek: 3,
      });
      expect(vnInstant("2021-02-17", "08:00").toISOString()).toBe("2021-02-17T01:00:00.000Z");
      expect(vnInstant("2021-02-17").toISOString()).toBe("2021-02-16T17:00:00.000Z");
      expect(cal.isWorkingDay(toVnDay(new Date("2021-02-16T17:00:00Z")))).toBe(true);
      expect(cal.isWorkingDay(toVnDay(new Date("2021-02-16T16:00:00Z")))).toBe(false);
      expect(addDays("2021-03-27", 2)).toBe("2021-03-29");
      expect(dayOfWeek("2021-03-28")).toBe(7);
    });
  }
});

describe("holidays file", () => {
  const dir = mkdtempSync(join(tmpdir(), "dondoc-holidays-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
    return p;
  };

  it("the committed file covers 2020–2026", () => {
    expect(Object.keys(data.years)).toEqual(["2020", "2021", "2022", "2023", "2024", "2025", "2026"]);
  });

  it("errors name the file, in Vietnamese", () => {
    expect(() => loadHolidays(join(dir, "missing.json"))).toThrow(/Không đọc được tệp ngày nghỉ .*missing\.json/);
    expect(() => loadHolidays(write("bad.json", "{ not json"))).toThrow(/bad\.json không phải JSON hợp lệ/);
    const p = write("wrong.json", {
      version: 1,
      years: { "2021": { daysOff: [{ from: "2021-02-16", to: "2021-02-10", note: "Tết" }] } },
    });
    expect(() => loadHolidays(p)).toThrow(/wrong\.json có dữ liệu sai[\s\S]*"from" phải trước/);
  });

  it("rejects a working day that is not a weekend day, or is also a day off", () => {
    const weekday = HolidaysData.safeParse({
      version: 1,
      years: { "2024": { workdays: [{ date: "2024-05-03", note: "x" }] } },
    });
    expect(weekday.success).toBe(false);
    expect(weekday.error?.issues[0].message).toBe("ngày làm bù phải là thứ Bảy hoặc Chủ nhật");
    const clash = HolidaysData.safeParse({
      version: 1,
      years: { "2024": { daysOff: [{ from: "2024-05-04", to: "2024-05-04", note: "x" }], workdays: [{ date: "2024-05-04", note: "y" }] } },
    });
    expect(clash.error?.issues[0].message).toBe("ngày làm bù trùng với một ngày nghỉ");
    const farYear = HolidaysData.safeParse({
      version: 1,
      years: { "2021": { daysOff: [{ from: "2012-02-10", to: "2012-02-16", note: "x" }] } },
    });
    expect(farYear.error?.issues[0].message).toBe("ngày nghỉ không thuộc năm 2021");
  });
});

describe("fast Vietnam-time arithmetic agrees with date-fns-tz", () => {
  it("toVnDay, vnDateTime and vnInstant match formatInTimeZone/fromZonedTime over years of instants", async () => {
    const { formatInTimeZone, fromZonedTime } = await import("date-fns-tz");
    const start = Date.UTC(2019, 11, 31, 0, 0);
    for (let t = start; t < start + 6 * 365 * 86_400_000; t += 7 * 3_600_000 + 13 * 60_000) {
      const instant = new Date(t);
      expect(toVnDay(instant)).toBe(formatInTimeZone(instant, "Asia/Ho_Chi_Minh", "yyyy-MM-dd"));
      expect(vnDateTime(instant).time).toBe(formatInTimeZone(instant, "Asia/Ho_Chi_Minh", "HH:mm"));
    }
    for (const [day, time] of [
      ["2021-02-11", "00:00"],
      ["2024-12-31", "23:59"],
      ["2026-02-17", "08:00"],
    ]) {
      expect(vnInstant(day, time).getTime()).toBe(fromZonedTime(`${day}T${time}:00`, "Asia/Ho_Chi_Minh").getTime());
    }
  });

  it("workingDaysBetween by prefix counts equals counting day by day, across years", () => {
    const slow = (a: string, b: string) => {
      let n = 0;
      for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) if (cal.isWorkingDay(d)) n++;
      return n;
    };
    for (const [a, b] of [
      ["2020-12-31", "2021-01-04"],
      ["2021-02-05", "2021-02-22"],
      ["2020-06-15", "2024-03-01"],
      ["2021-03-25", "2021-03-25"],
    ]) {
      expect(cal.workingDaysBetween(a, b)).toBe(slow(a, b));
      expect(cal.workingDaysBetween(b, a)).toBe(a === b ? 0 : -slow(a, b));
    }
  });
});

describe("parseInstant is Date.parse (issue 14: the digest's fast path)", () => {
  const same = (text: string): void => {
    expect(Object.is(parseInstant(text), Date.parse(text)), text).toBe(true);
  };

  it("on toISOString's shape, for any instant (years 0–9999), and on odd values of each field", () => {
    fc.assert(fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (t) => same(new Date(t).toISOString())));
    const digits = (n: number, width: number) => String(n).padStart(width, "0");
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 999 }),
        (y, mo, d, h, mi, s, ms) =>
          same(`${digits(y, 4)}-${digits(mo, 2)}-${digits(d, 2)}T${digits(h, 2)}:${digits(mi, 2)}:${digits(s, 2)}.${digits(ms, 3)}Z`),
      ),
    );
  });

  it("on other shapes and on garbage", () => {
    for (const text of [
      "",
      "2021-03-01",
      "2021-03-01T02:00:00Z",
      "2021-03-01T02:00:00.000+07:00",
      "2021-03-01T02:00:00.000z",
      "2021-02-29T00:00:00.000Z",
      "2020-02-29T00:00:00.000Z",
      "2021-03-01T24:00:00.000Z",
      "0099-03-01T00:00:00.000Z",
      "2021-0a-01T00:00:00.000Z",
      "+002021-03-01T00:00:00.000Z",
    ])
      same(text);
    fc.assert(fc.property(fc.string({ minLength: 24, maxLength: 24 }), same));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(..."0123456789-T:.Z+ x"), { minLength: 24, maxLength: 24 }), (chars) => same(chars.join(""))),
    );
  });
});
