/**
 * amlich 0.0.2 (Hồ Ngọc Đức's Vietnamese lunar calendar), a CommonJS module without types.
 * `timeZone` is the UTC offset in hours: 7 for Vietnam.
 */
declare module "amlich" {
  const amlich: {
    /** Lunar → solar: `[day, month, year]`, or `[0, 0, 0]` for a leap month that does not exist. */
    convertLunar2Solar(
      lunarDay: number,
      lunarMonth: number,
      lunarYear: number,
      lunarLeap: 0 | 1,
      timeZone: number,
    ): [number, number, number];
    /** Solar → lunar: `[day, month, year, leap]` (leap is 1 in a leap month). */
    convertSolar2Lunar(dd: number, mm: number, yyyy: number, timeZone: number): [number, number, number, number];
    jdFromDate(dd: number, mm: number, yyyy: number): number;
    jdToDate(jd: number): [number, number, number];
  };
  export default amlich;
}
