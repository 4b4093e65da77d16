/**
 * Task status and progress rules (pure). An assignment is one agency's share of a task;
 * its milestones are the task's, moved by approved extensions.
 */
import type { Assignment, Evidence, IsoDay, Milestone, Task } from "./schemas.ts";
import { fold, isoDay, squash } from "./text.ts";

export type EffectiveMilestone = Milestone & {
  /** The due in the plan, before extensions: the milestone's identity. */
  originalDue: IsoDay;
  done: boolean;
};

/** The task's milestones for this assignment: extensions applied, done ones marked. */
export function milestonesOf(task: Task, assignment: Assignment): EffectiveMilestone[] {
  const milestones: Milestone[] =
    task.deadline.milestones.length === 0 && assignment.conditionDue
      ? [{ due: assignment.conditionDue, label: "thời điểm đã có" }]
      : task.deadline.milestones;
  return milestones.map((m) => {
    const extension = [...assignment.extensions].reverse().find((e) => e.originalDue === m.due);
    return {
      ...m,
      originalDue: m.due,
      due: extension?.newDue ?? m.due,
      done: assignment.status === "done" || assignment.milestonesDone.includes(m.due),
    };
  });
}

/** The milestone the agency is working towards: the earliest one not done. */
export function currentMilestone(task: Task, assignment: Assignment): EffectiveMilestone | null {
  return milestonesOf(task, assignment).find((m) => !m.done) ?? null;
}

// ---------------------------------------------------------------- evidence

/**
 * A document number with its kind and issuer, as Vietnamese administrations write them:
 * `189/KH-UBND`, `30c/NQ-CP`, `12/2021/QĐ-UBND`, `45/BC-SNV`.
 */
const DOC_NUMBER = /(?<![\p{L}\d])(\d{1,5}[a-z]?(?:\/\d{4})?\/[\p{Lu}Đ]{1,6}(?:-[\p{Lu}Đ\d]{1,10}){1,3})(?![\p{L}\d])/u;
const DATE_NUMERIC = /ng[àa]y\s+(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})/iu;
const DATE_WORDS = /ng[àa]y\s+(\d{1,2})\s+th[áa]ng\s+(\d{1,2})\s+n[ăa]m\s+(\d{4})/iu;

/** The evidence document recognised in free text, if any. */
export function parseEvidence(text: string): { documentNumber?: string; documentDate?: IsoDay; rest: string } {
  const clean = squash(text);
  const number = DOC_NUMBER.exec(clean);
  const date = DATE_NUMERIC.exec(clean) ?? DATE_WORDS.exec(clean);
  let rest = clean;
  if (number) rest = rest.replace(number[0], "");
  if (date) rest = rest.replace(date[0], "");
  const documentDate = (date && isoDay(Number(date[3]), Number(date[2]), Number(date[1]))) || undefined;
  return {
    documentNumber: number?.[1],
    documentDate,
    rest: squash(rest.replace(/^[\s,;:–-]+|[\s,;:–-]+$/g, "")),
  };
}

// ---------------------------------------------------------------- changes

export type DoneResult = {
  assignment: Assignment;
  /** The milestone completed (null for tasks without dated milestones). */
  milestone: EffectiveMilestone | null;
  onTime: boolean | null;
  /** Every milestone is now done. */
  finished: boolean;
};

/**
 * Report the current milestone done on `today`. For a continuous task, a done report is
 * the period's status report.
 */
export function markDone(
  task: Task,
  assignment: Assignment,
  today: IsoDay,
  now: Date,
  evidence: Evidence | null,
  note?: string,
): DoneResult {
  const next: Assignment = {
    ...assignment,
    evidence: evidence ? [...assignment.evidence, evidence] : assignment.evidence,
    note: note || assignment.note,
    updatedAt: now.toISOString(),
    blocker: undefined,
    // A report clears the blocker, so a blocked share is open again.
    status: assignment.status === "blocked" ? "open" : assignment.status,
  };
  if (task.deadline.kind === "continuous" && task.deadline.milestones.length === 0) {
    return { assignment: { ...next, lastReportAt: now.toISOString() }, milestone: null, onTime: null, finished: false };
  }
  const milestone = currentMilestone(task, assignment);
  if (!milestone) {
    // No dated milestone (conditional, unknown) or all done: the whole assignment is done.
    return {
      assignment: { ...next, status: "done", progress: 100, doneAt: assignment.doneAt ?? now.toISOString() },
      milestone: null,
      onTime: null,
      finished: true,
    };
  }
  const onTime = today <= milestone.due;
  const milestonesDone = [...next.milestonesDone, milestone.originalDue];
  const lateMilestones = onTime ? next.lateMilestones : [...next.lateMilestones, milestone.originalDue];
  const finished = milestonesOf(task, { ...next, milestonesDone }).every((m) => m.done);
  return {
    assignment: {
      ...next,
      milestonesDone,
      lateMilestones,
      status: finished ? "done" : next.status,
      progress: finished ? 100 : next.progress,
      doneAt: finished ? now.toISOString() : next.doneAt,
    },
    milestone,
    onTime,
    finished,
  };
}

// ---------------------------------------------------------------- codes

/** Up to `max` task codes closest to what was typed (for "did you mean …"). */
export function closestCodes(typed: string, codes: string[], max = 3): string[] {
  const t = fold(typed).toUpperCase();
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const tmp = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = tmp;
      }
    }
    return row[b.length];
  };
  return codes
    .map((code) => ({ code, d: distance(t, code) - (code.startsWith(t) ? 0.5 : 0) }))
    .sort((a, b) => a.d - b.d || a.code.length - b.code.length)
    .slice(0, max)
    .filter((c) => c.d <= Math.max(2, t.length / 2))
    .map((c) => c.code);
}
