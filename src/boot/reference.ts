/**
 * Reference data from files: the agency directory (data/agencies.json) and the government's
 * days-off decisions (data/holidays.json). The only file-system part of the directory and the
 * calendar; an admin's own copy in DATA_DIR wins over the committed one.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { findKeyConflicts } from "../core/agencies.ts";
import { HolidaysData } from "../core/calendar.ts";
import { AgencyDirectory, type Agency } from "../core/schemas.ts";

const REPO_DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../data");

/** A reference file from DATA_DIR if the admin put one there, else the committed one. */
export function referenceFile(dataDir: string, name: string): string {
  const own = path.join(dataDir, name);
  return existsSync(own) ? own : path.join(REPO_DATA, name);
}

/**
 * Synchronously reads and validates the agency directory; throws a Vietnamese error naming
 * the file on unreadable JSON, a wrong shape, duplicate ids, members that do not exist, or
 * two agencies answering to the same name.
 */
export function loadAgencyDirectory(path = "data/agencies.json"): Agency[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`Không đọc được tệp danh bạ cơ quan ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`Tệp danh bạ cơ quan ${path} không phải JSON hợp lệ: ${(e as Error).message}`);
  }
  const parsed = AgencyDirectory.safeParse(json, { error: z.locales.vi().localeError });
  if (!parsed.success) throw new Error(`Tệp danh bạ cơ quan ${path} có dữ liệu sai:\n${z.prettifyError(parsed.error)}`);
  const agencies = parsed.data.agencies;
  const problems = checkAgencies(agencies);
  if (problems.length > 0) throw new Error(`Tệp danh bạ cơ quan ${path} có lỗi:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  return agencies;
}

/** Consistency problems of a directory, in Vietnamese; empty when it is fine. */
export function checkAgencies(agencies: Agency[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const agency of agencies) {
    if (ids.has(agency.id)) problems.push(`mã cơ quan «${agency.id}» bị trùng`);
    ids.add(agency.id);
  }
  for (const agency of agencies) {
    if (!agency.collective && agency.members.length > 0) {
      problems.push(`«${agency.id}» có danh sách thành viên nhưng không phải cơ quan tập thể (collective: true)`);
    }
    for (const member of agency.members) {
      if (!ids.has(member)) problems.push(`«${agency.id}» có thành viên «${member}» không có trong danh bạ`);
      if (member === agency.id) problems.push(`«${agency.id}» là thành viên của chính nó`);
    }
  }
  for (const c of findKeyConflicts(agencies)) {
    problems.push(`tên «${c.b.name}» của «${c.b.id}» trùng với «${c.a.name}» của «${c.a.id}» (khi bỏ dấu, hoa/thường, dấu câu)`);
  }
  return problems;
}

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
