/**
 * The importer scored against the answer keys: the hand-checked ones of the real plans in
 * ../shared/gold, and those of the plans in test/fixtures/plans (shapes other provinces
 * publish; see test/support/gold.ts for how tasks are paired). Every plan must reach the bar: found ≥ 97 %
 * of its tasks, the right lead on ≥ 90 % and the right deadline on ≥ 95 % of those found, and
 * ≤ 3 % invented rows; a plan whose key has no tasks (a table of indicators) must be refused
 * with a message that says why. `npm run score -- --details` lists every miss.
 */
import { afterAll, describe, expect, it } from "vitest";
import { KEY_SETS, goldFiles, loadGold, rates, scorePlan, scoreTable, type Score } from "../support/gold.ts";

const BAR = { found: 97, lead: 90, due: 95, extra: 3 };

describe.each(KEY_SETS)("the importer against the answer keys of $name", (set) => {
  const files = goldFiles(set.goldDir);
  const scores: Score[] = [];
  afterAll(() => {
    console.log(`Importer vs ${set.name}:\n${scoreTable(scores)}`);
  });

  it("finds the answer keys", () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)("%s", async (file) => {
    const score = await scorePlan(file, undefined, set);
    scores.push(score);
    const misses = score.misses.map((m) => `${m.ref} ${m.what}: cần «${m.expected ?? ""}» có «${m.got ?? ""}»`).join("\n");
    if (loadGold(file, set.goldDir).tasks.length === 0) {
      // No task rows: refused, saying the rows are indicators and not tasks.
      expect(score.refused, "a plan without task rows is refused").toBeDefined();
      expect(score.refused).toMatch(/chỉ tiêu/);
      expect(score.refused).toMatch(/không có bảng nhiệm vụ/);
      return;
    }
    expect(score.refused, `refused: ${score.refused}`).toBeUndefined();
    const r = rates(score);
    expect(r.found, misses).toBeGreaterThanOrEqual(BAR.found);
    expect(r.lead, misses).toBeGreaterThanOrEqual(BAR.lead);
    expect(r.due, misses).toBeGreaterThanOrEqual(BAR.due);
    expect(r.extra, misses).toBeLessThanOrEqual(BAR.extra);
    // The plan's year (and period) as the key reads it, inferred without the admin's help.
    expect(score.years.got).toBe(score.years.want);
  });
});
