/** Reads data/holidays.json (the only file-system part of the calendar). */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { HolidaysData } from "./core/calendar.ts";

/** Synchronously reads and validates the holidays file; throws a Vietnamese error naming the file. */
export function loadHolidays(path = "data/holidays.json"): HolidaysData {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`Không đọc được tệp ngày nghỉ ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`Tệp ngày nghỉ ${path} không phải JSON hợp lệ: ${(e as Error).message}`);
  }
  const parsed = HolidaysData.safeParse(json, { error: z.locales.vi().localeError });
  if (!parsed.success) throw new Error(`Tệp ngày nghỉ ${path} có dữ liệu sai:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
