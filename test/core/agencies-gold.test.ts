/**
 * The lead cells of the answer keys in ../shared/gold: `splitLeads` of each task's
 * `lead_raw` against its `lead` (the names as written, split on ";" always and on "," only
 * between complete, distinct names, never on "và"). Names are compared folded, punctuation
 * dropped; a found name may stop early at a word boundary when it has at least three words
 * (the key keeps a qualifier such as "… thực hiện theo Nghị định 141/2016/NĐ-CP").
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createDirectory } from "../../src/core/agencies.ts";
import { loadAgencyDirectory } from "../../src/boot/reference.ts";
import { fold } from "../../src/core/text.ts";

const GOLD = path.resolve(import.meta.dirname, "../../../shared/gold");
const dir = createDirectory(loadAgencyDirectory(path.resolve(import.meta.dirname, "../../data/agencies.json")));

type GoldTask = { title_start?: string; lead_raw?: string; lead?: string[] };
/** Every task with a lead cell: [plan and task number, cell, key]. */
const cases: [task: string, raw: string, lead: string[]][] = [];
if (existsSync(GOLD)) {
  for (const file of readdirSync(GOLD)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const gold = JSON.parse(readFileSync(path.join(GOLD, file), "utf8")) as { tasks?: GoldTask[] };
    (gold.tasks ?? []).forEach((task, i) => {
      if (task.lead_raw?.trim()) cases.push([`${file.replace(/\.json$/, "")} #${i + 1}`, task.lead_raw, task.lead ?? []]);
    });
  }
}

const nameKey = (s: string) =>
  fold(s)
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/** The found names against the key's, in order. */
function agrees(found: string[], want: string[]): boolean {
  if (found.length !== want.length) return false;
  return found.every((f, i) => {
    const a = nameKey(f);
    const b = nameKey(want[i]);
    return a === b || (a.split(" ").length >= 3 && b.startsWith(`${a} `));
  });
}

describe.skipIf(cases.length === 0)("lead cells of the answer keys", () => {
  it.each(cases)("%s: %j", (_plan, raw, lead) => {
    const found = dir.splitLeads(raw);
    expect(agrees(found, lead), `found ${JSON.stringify(found)}`).toBe(true);
  });
});
