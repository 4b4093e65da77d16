/**
 * Scores the importer against the hand-checked answer keys in ../shared/gold (fields in
 * ../shared/gold/README.md): for each plan, how many of the key's tasks were found, and of
 * those how many have the right lead agencies and the right deadline, and how many rows the
 * importer found that the key does not have (invented rows).
 *
 * Pairing: a found task matches a key task when its content, without numbering and with
 * whitespace, case and diacritics folded, starts with the key's `title_start`; key tasks are
 * taken in document order and each takes the earliest found task still free, so tasks that
 * share a `title_start` pair in order.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createDirectory, type Directory } from "../../src/core/agencies.ts";
import { loadAgencyDirectory } from "../../src/boot/reference.ts";
import { fold } from "../../src/core/text.ts";
import type { Task } from "../../src/core/schemas.ts";
import { readPlan } from "../../src/import/read.ts";
import { draftFromRaw, type ImportDraft } from "../../src/import/importer.ts";
import { PLANS_DIR } from "./plans.ts";

export const GOLD_DIR = path.resolve(PLANS_DIR, "../gold");

/** A folder of plans and their answer keys. */
export type KeySet = { name: string; goldDir: string; plansDir: string };

/**
 * The answer keys the importer is scored on: the real plans of ../shared (hand-checked), and
 * test/fixtures/plans — plans written for the tests in the shapes other provinces publish
 * (each key's `note` says what shape it stands for), plan and key side by side.
 */
export const KEY_SETS: KeySet[] = [
  { name: "../shared", goldDir: GOLD_DIR, plansDir: PLANS_DIR },
  {
    name: "test/fixtures/plans",
    goldDir: path.resolve(import.meta.dirname, "../fixtures/plans"),
    plansDir: path.resolve(import.meta.dirname, "../fixtures/plans"),
  },
];

type GoldDeadline = { kind: string; due: string[]; recurrence: string | null };
export type GoldTask = GoldDeadline & {
  n: number;
  ref: string;
  title_start: string;
  lead: string[];
  deadline_raw: string;
  start: string | null;
  alt: GoldDeadline[];
};
export type Gold = { plan: string; plan_year: number; plan_period?: [number, number]; signed: string; tasks: GoldTask[] };

export type Miss = { ref: string; what: "missing" | "lead" | "due" | "extra"; expected?: string; got?: string };
export type Score = {
  plan: string;
  expected: number;
  /** Tasks the importer produced. */
  produced: number;
  found: number;
  leadOk: number;
  dueOk: number;
  extra: number;
  misses: Miss[];
  /** The plan year (and period) the key gives, and what the importer read (null when refused). */
  years: { want: string; got: string | null };
  /** The draft, or the Vietnamese message it was refused with. */
  draft?: ImportDraft;
  refused?: string;
};

export function goldFiles(goldDir: string = GOLD_DIR): string[] {
  return readdirSync(goldDir)
    .filter((f) => f.endsWith(".json"))
    .sort();
}

export function loadGold(file: string, goldDir: string = GOLD_DIR): Gold {
  return JSON.parse(readFileSync(path.join(goldDir, file), "utf8")) as Gold;
}

let directory: Directory | undefined;
function defaultDirectory(): Directory {
  directory ??= createDirectory(loadAgencyDirectory(path.resolve(import.meta.dirname, "../../data/agencies.json")));
  return directory;
}

const titleKey = (s: string) => fold(s).replace(/^[-–—+•*]\s*/, "");

/** A lead name compared as written: folded, punctuation and "&" dropped. */
const nameKey = (s: string) =>
  fold(s)
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/**
 * Leads agree when they pair one to one, each found name equal to the key's, or the start of
 * it at a word boundary with at least three words (the key keeps a qualifier written after the
 * name — "… đơn vị sự nghiệp thực hiện theo Nghị định 141/2016/NĐ-CP" — that the importer
 * leaves out of the agency's name).
 */
function sameLeads(found: string[], want: string[]): boolean {
  if (found.length !== want.length) return false;
  const left = want.map(nameKey);
  for (const name of found.map(nameKey)) {
    const i = left.findIndex((w) => w === name || (name.split(" ").length >= 3 && w.startsWith(`${name} `)));
    if (i < 0) return false;
    left.splice(i, 1);
  }
  return true;
}

function deadlineOf(task: Task): GoldDeadline & { start: string | null } {
  const d = task.deadline;
  return {
    kind: d.kind,
    due: d.milestones.map((m) => m.due),
    recurrence: d.recurrence ?? null,
    start: d.milestones.find((m) => m.start)?.start ?? null,
  };
}

const show = (d: GoldDeadline & { start?: string | null }) =>
  `${d.kind} [${d.due.join(", ")}]${d.start ? ` từ ${d.start}` : ""}${d.recurrence ? ` ${d.recurrence}` : ""}`;

function sameDeadline(got: ReturnType<typeof deadlineOf>, want: GoldTask): boolean {
  const eq = (a: GoldDeadline) =>
    got.kind === a.kind && got.due.join() === a.due.join() && (got.recurrence ?? null) === (a.recurrence ?? null);
  if (eq(want) && (got.start ?? null) === (want.start ?? null)) return true;
  return want.alt.some(eq);
}

/**
 * Import one plan of ../shared/plans as an admin would (no year given) and score it against its key.
 * `where` points at another folder of plans and keys (both default to ../shared/plans and ../shared/gold).
 */
export async function scorePlan(
  file: string,
  dir: Directory = defaultDirectory(),
  where: { goldDir?: string; plansDir?: string } = {},
): Promise<Score> {
  const goldDir = where.goldDir ?? GOLD_DIR;
  const plansDir = where.plansDir ?? PLANS_DIR;
  const gold = loadGold(file, goldDir);
  const span = (year: number, period?: { first: number; last: number } | [number, number] | null) => {
    const [first, last] = Array.isArray(period) ? period : period ? [period.first, period.last] : [year, year];
    return first === last ? `${year}` : `${year} (${first}–${last})`;
  };
  const score: Score = {
    plan: gold.plan,
    expected: gold.tasks.length,
    produced: 0,
    found: 0,
    leadOk: 0,
    dueOk: 0,
    extra: 0,
    misses: [],
    years: { want: span(gold.plan_year, gold.plan_period), got: null },
  };
  let draft: ImportDraft;
  try {
    const raw = await readPlan({ name: gold.plan, data: readFileSync(path.join(plansDir, gold.plan)) });
    draft = draftFromRaw(raw, { directory: dir });
  } catch (error) {
    score.refused = error instanceof Error ? error.message : String(error);
    score.misses = gold.tasks.map((t) => ({ ref: t.ref, what: "missing" as const, expected: t.title_start }));
    return score;
  }
  score.draft = draft;
  score.years.got = span(draft.plan.year, draft.plan.period);
  score.produced = draft.tasks.length;
  const free = draft.tasks.map(() => true);
  const keys = draft.tasks.map((t) => titleKey(t.content));
  for (const want of gold.tasks) {
    const start = titleKey(want.title_start);
    const i = keys.findIndex((k, j) => free[j] && k.startsWith(start));
    if (i < 0) {
      score.misses.push({ ref: want.ref, what: "missing", expected: want.title_start });
      continue;
    }
    free[i] = false;
    score.found++;
    const task = draft.tasks[i];
    const leads = task.leads.map((l) => l.raw);
    if (sameLeads(leads, want.lead)) score.leadOk++;
    else score.misses.push({ ref: want.ref, what: "lead", expected: want.lead.join(" | "), got: leads.join(" | ") });
    const got = deadlineOf(task);
    if (sameDeadline(got, want)) score.dueOk++;
    else score.misses.push({ ref: want.ref, what: "due", expected: `${show(want)} «${want.deadline_raw}»`, got: show(got) });
  }
  draft.tasks.forEach((t, j) => {
    if (!free[j]) return;
    score.extra++;
    score.misses.push({ ref: `dòng ${t.row}`, what: "extra", got: t.content.slice(0, 90) });
  });
  return score;
}

const pct = (n: number, of: number) => (of === 0 ? 100 : (100 * n) / of);

/** The four rates of a score, in percent: found of the key, lead and due of those found, extra of those produced. */
export function rates(s: Score): { found: number; lead: number; due: number; extra: number } {
  return {
    found: pct(s.found, s.expected),
    lead: pct(s.leadOk, s.found),
    due: pct(s.dueOk, s.found),
    extra: s.produced === 0 ? 0 : pct(s.extra, s.produced),
  };
}

/** One line per plan: found / lead / due / extra. */
export function scoreTable(scores: Score[]): string {
  const rows = scores.map((s) => {
    if (s.refused !== undefined && s.expected === 0) return `${s.plan.padEnd(38)} từ chối (đúng): ${s.refused.slice(0, 90)}`;
    if (s.refused !== undefined) return `${s.plan.padEnd(38)} TỪ CHỐI: ${s.refused.slice(0, 90)}`;
    const r = rates(s);
    const f = (x: number) => `${x.toFixed(1).padStart(5)}%`;
    const years = s.years.got === s.years.want ? `năm ${s.years.got}` : `NĂM ${s.years.got} ≠ ${s.years.want}`;
    return `${s.plan.padEnd(38)} found ${f(r.found)} (${s.found}/${s.expected})  lead ${f(r.lead)}  due ${f(r.due)}  extra ${f(r.extra)} (${s.extra}/${s.produced})  ${years}`;
  });
  return rows.join("\n");
}
