/**
 * The deadline parser against the hand-checked answer keys in ../shared/gold (fields in
 * ../shared/gold/README.md): every task's `deadline_raw`, read with its plan's year, period
 * and signing date, must give the key's kind, sorted milestone dues, first milestone start
 * and recurrence — or the {kind, due, recurrence} of one of the task's `alt` readings.
 * The keys are data: no task is special-cased here or in the parser.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDeadline } from "../../src/core/deadline.ts";
import { Deadline } from "../../src/core/schemas.ts";

const GOLD_DIR = path.resolve(import.meta.dirname, "../../../shared/gold");

type GoldReading = { kind: string; due: string[]; recurrence: string | null };
type GoldTask = GoldReading & {
  n: number;
  ref: string;
  deadline_raw: string;
  start: string | null;
  alt?: GoldReading[] | null;
};
type Gold = {
  plan: string;
  plan_year: number;
  plan_period?: [number, number] | null;
  signed?: string | null;
  tasks: GoldTask[];
};

const files = readdirSync(GOLD_DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();
const golds = files.map((file) => ({ file, gold: JSON.parse(readFileSync(path.join(GOLD_DIR, file), "utf8")) as Gold }));

const cases = golds.flatMap(({ file, gold }) =>
  gold.tasks.map((task) => ({ name: `${file} ${task.ref ?? task.n} ${JSON.stringify(task.deadline_raw)}`, gold, task })),
);

const sorted = (days: string[]) => [...days].sort();

describe("deadline parser against ../shared/gold", () => {
  it("finds the answer keys", () => {
    expect(files.length).toBeGreaterThan(0);
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)("$name", ({ gold, task }) => {
    const { deadline } = parseDeadline(task.deadline_raw, {
      planYear: gold.plan_year,
      period: gold.plan_period ? { first: gold.plan_period[0], last: gold.plan_period[1] } : undefined,
      signed: gold.signed,
    });
    expect(() => Deadline.parse(deadline)).not.toThrow();

    const got = {
      kind: deadline.kind,
      due: sorted(deadline.milestones.map((m) => m.due)),
      start: deadline.milestones[0]?.start ?? null,
      recurrence: deadline.recurrence ?? null,
    };
    const key = { kind: task.kind, due: sorted(task.due), start: task.start ?? null, recurrence: task.recurrence ?? null };
    const short = ({ kind, due, recurrence }: typeof got) => ({ kind, due, recurrence });
    const alts = (task.alt ?? []).map((a) => ({ kind: a.kind, due: sorted(a.due), recurrence: a.recurrence ?? null }));
    if (alts.some((a) => JSON.stringify(a) === JSON.stringify(short(got)))) return;
    expect(got).toEqual(key);
  });
});
