/**
 * `npm run score -- [part of a plan's name] [--details]`: the importer's score against every
 * answer key (../shared/gold and test/fixtures/plans), one line per plan; `--details` lists
 * every miss (missing task, wrong lead, wrong deadline, invented row). The same scores are
 * asserted in test/import/gold.test.ts.
 */
import { readCli } from "../../src/cli/args.ts";
import { KEY_SETS, goldFiles, scorePlan, scoreTable, type Score } from "./gold.ts";

const { flags, positionals } = readCli(process.argv.slice(2), {
  usage: "Cách dùng: npm run score -- [phần tên kế hoạch] [--details]",
  flags: { details: { type: "boolean" } },
  positionals: [0, 1],
});
const details = Boolean(flags.details);
const only = positionals[0];
for (const set of KEY_SETS) {
  const scores: Score[] = [];
  for (const file of goldFiles(set.goldDir)) {
    if (only && !file.includes(only)) continue;
    const score = await scorePlan(file, undefined, set);
    scores.push(score);
    if (details) {
      for (const m of score.misses) {
        console.log(
          `${score.plan.slice(0, 14)} ${m.ref} ${m.what}: ${m.expected !== undefined ? `cần «${m.expected}»` : ""}${m.got !== undefined ? ` có «${m.got}»` : ""}`,
        );
      }
    }
  }
  if (scores.length) console.log(`${set.name}:\n${scoreTable(scores)}`);
}
