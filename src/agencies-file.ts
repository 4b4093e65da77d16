/** Reads data/agencies.json (the only file-system part of the agency directory). */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { AgencyDirectory, type Agency } from "./core/schemas.ts";
import { findKeyConflicts } from "./core/agencies.ts";

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
