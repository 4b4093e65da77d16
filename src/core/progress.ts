/**
 * Task status and progress rules (pure). An assignment is one agency's share of a task;
 * its milestones are the task's, moved by approved extensions.
 */
import { outsideDateWindow, quarterEnd, quarterOf, toVnDay } from "./calendar.ts";
import type { Assignment, Evidence, IsoDay, Milestone, Task } from "./schemas.ts";
import { fold, isoDay, squash, viDate } from "./text.ts";

export type EffectiveMilestone = Milestone & {
  /** The due in the plan, before extensions: the milestone's identity. */
  originalDue: IsoDay;
  done: boolean;
};

/** `milestonesOf` copies these fields of a milestone by name: a new one must be added there (this fails to compile). */
const MILESTONE_FIELDS_COPIED: Record<Exclude<keyof Milestone, "due" | "start" | "label">, never> = {};
void MILESTONE_FIELDS_COPIED;

/** What `milestonesOf` reads of an assignment (the digest passes its as-of view). */
export type MilestoneFields = Pick<Assignment, "status" | "milestonesDone" | "conditionDue" | "extensions">;

/**
 * The task's milestones for this assignment: extensions applied (the latest extension of a
 * milestone wins), done ones marked.
 */
export function milestonesOf(task: Task, assignment: MilestoneFields): EffectiveMilestone[] {
  return plannedMilestones(task, assignment).map((m) => effective(m, assignment));
}

/** The milestones `milestonesOf` starts from: the task's, or a conditional share's date once given. */
function plannedMilestones(task: Task, assignment: MilestoneFields): Milestone[] {
  return task.deadline.milestones.length === 0 && assignment.conditionDue
    ? [{ due: assignment.conditionDue, label: "thời điểm đã có" }]
    : task.deadline.milestones;
}

/** One milestone as `milestonesOf` gives it for `assignment`. */
function effective(m: Milestone, assignment: MilestoneFields): EffectiveMilestone {
  const { extensions } = assignment;
  let due = m.due;
  for (let i = extensions.length - 1; i >= 0; i--) {
    if (extensions[i].originalDue === m.due) {
      due = extensions[i].newDue;
      break;
    }
  }
  // The fields of `{ ...m, originalDue, due, done }`, in that order, without an object
  // spread (≈ 15× slower here: milestones come in several shapes).
  const out = { due } as EffectiveMilestone;
  if ("start" in m) out.start = m.start;
  if ("label" in m) out.label = m.label;
  out.originalDue = m.due;
  out.done = assignment.status === "done" || assignment.milestonesDone.includes(m.due);
  return out;
}

/**
 * The milestone the agency is working towards: the earliest one not done —
 * `milestonesOf(task, assignment).find((m) => !m.done)`, making only that one (every reminder's
 * ✅ button asks).
 */
export function currentMilestone(task: Task, assignment: Assignment): EffectiveMilestone | null {
  if (assignment.status === "done") return null;
  for (const m of plannedMilestones(task, assignment)) if (!assignment.milestonesDone.includes(m.due)) return effective(m, assignment);
  return null;
}

/**
 * What a ✅ button sent today names: the current milestone (id: its plan due; label: its due
 * now), or for a continuous task without milestones the quarter being reported (id: the
 * quarter's last day); null when there is nothing to name (no dated milestone, all done).
 */
export function doneButtonTarget(task: Task, assignment: Assignment, today: IsoDay): { id: IsoDay; label: string } | null {
  if (assignment.status === "done") return null;
  const milestone = currentMilestone(task, assignment);
  if (milestone) return { id: milestone.originalDue, label: `(hạn ${viDate(milestone.due)})` };
  if (task.deadline.kind === "continuous" && task.deadline.milestones.length === 0) {
    const q = quarterOf(today);
    const year = Number(today.slice(0, 4));
    return { id: quarterEnd(year, q), label: `(quý ${["I", "II", "III", "IV"][q - 1]}/${year})` };
  }
  return null;
}

// ---------------------------------------------------------------- evidence

/**
 * A document number with its kind and issuer, as Vietnamese administrations write them:
 * `189/KH-UBND`, `30c/NQ-CP`, `12/2021/QĐ-UBND`, `45/BC-SNV`, and a kind alone (`1/KH`).
 */
const DOC_NUMBER = /(?<![\p{L}\d/])(\d{1,5}[a-z]?(?:\/\d{4})?\/[\p{Lu}Đ]{1,6}(?:-[\p{Lu}Đ\d]{1,10}){0,3})(?![\p{L}\d]|-[\p{L}\d])/u;
const DATE_NUMERIC = /ng[àa]y\s+(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)/iu;
const DATE_WORDS = /ng[àa]y\s+(\d{1,2})\s+th[áa]ng\s+(\d{1,2})\s+n[ăa]m\s+(\d{4})(?!\d)/iu;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * What a person typed, without the markup a chat client may add around it: HTML tags
 * (`<b>1</b>/KH` → `1/KH`), the common HTML entities, and Markdown emphasis marks (`*`, `_`,
 * `` ` ``, `~`); whitespace folded (NFC). Evidence is read and stored in this form only.
 */
export function plainText(text: string): string {
  // Until nothing changes: removing one layer can make another (`<_A>` → `<A>`,
  // `&lt;b&gt;` → `<b>`). Each pass that changes something shortens the text.
  let current = text;
  for (let pass = 0; pass < 20; pass++) {
    const next = stripOnce(current);
    if (next === current) break;
    current = next;
  }
  return squash(current);
}

function stripOnce(text: string): string {
  return text
    .replace(/<\/?[a-zA-Z][^<>]{0,200}>/g, "")
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#(\d{1,6}));/g, (_, name: string, code?: string) => {
      const n = code ? Number(code) : 0;
      return code ? (n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : "") : ENTITIES[name];
    })
    .replace(/[*_`~]+/g, "");
}

/** Evidence as `/xong` or a file's caption gives it: what is stored, or why nothing is. */
export type EvidenceReading =
  | {
      ok: true;
      /** A document number recognised in the text: `189/KH-UBND`. */
      documentNumber?: string;
      /** The document's date (`ngày 30/12/2020`, `ngày 30 tháng 12 năm 2020`), never after today. */
      documentDate?: IsoDay;
      /** The whole text as stored (markup stripped, whitespace folded); "" when nothing was given. */
      text: string;
      /** The text without the number and the date: a note. */
      rest: string;
    }
  | { ok: false; problem: string };

/**
 * Read the evidence document in free text, once: the number, the date and the note, on
 * `plainText(text)`. Refuses (ok: false, a Vietnamese message) an impossible date (31/02/2021),
 * a date after today (Vietnam, at `now`) and a date before `dateWindow(now).first`: the
 * caller then changes nothing. Never throws.
 */
export function parseEvidence(text: string, now: Date): EvidenceReading {
  const clean = plainText(text);
  const number = DOC_NUMBER.exec(clean);
  const date = DATE_NUMERIC.exec(clean) ?? DATE_WORDS.exec(clean);
  let documentDate: IsoDay | undefined;
  if (date) {
    const written = `${date[1].padStart(2, "0")}/${date[2].padStart(2, "0")}/${date[3]}`;
    const day = isoDay(Number(date[3]), Number(date[2]), Number(date[1]));
    if (!day) return { ok: false, problem: `Ngày văn bản ${written} không có thật. Không có gì thay đổi; hãy gõ lại ngày đúng.` };
    const today = toVnDay(now);
    if (day > today) {
      return {
        ok: false,
        problem: `Ngày văn bản ${written} sau hôm nay (${viDate(today)}): văn bản kiểm chứng phải đã ban hành. Không có gì thay đổi.`,
      };
    }
    const outside = outsideDateWindow(day, now);
    if (outside) return { ok: false, problem: `${outside.replace(/^Ngày /, "Ngày văn bản ")} Không có gì thay đổi.` };
    documentDate = day;
  }
  return { ok: true, documentNumber: number?.[1], documentDate, text: clean, rest: parseNote(clean) };
}

/** The note part of stored evidence text (the number and date taken out), as parseEvidence reads it. */
function parseNote(text: string): string {
  const number = DOC_NUMBER.exec(text);
  const date = DATE_NUMERIC.exec(text) ?? DATE_WORDS.exec(text);
  let rest = text;
  if (number) rest = rest.replace(number[0], "");
  if (date) rest = rest.replace(date[0], "");
  return squash(rest.replace(/^[\s,;:–-]+|[\s,;:–-]+$/g, ""));
}

/**
 * The line a reply says about the evidence stored (null: none): exactly the stored fields —
 * the number and date when recognised, otherwise the text as kept.
 */
export function evidenceLine(evidence: Pick<Evidence, "documentNumber" | "documentDate" | "text"> | null): string {
  const date = evidence?.documentDate ? ` ngày ${viDate(evidence.documentDate)}` : "";
  if (evidence?.documentNumber) {
    const note = evidence.text ? parseNote(evidence.text) : "";
    return `Văn bản kiểm chứng: ${evidence.documentNumber}${date}.${note ? ` Ghi chú: «${note}».` : ""}`;
  }
  if (evidence?.text) {
    return `Đã ghi kiểm chứng: «${evidence.text}»${date ? ` (văn bản${date})` : ""}; chưa nhận ra số văn bản dạng 189/KH-UBND.`;
  }
  return "Chưa có văn bản kiểm chứng.";
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

// ---------------------------------------------------------------- references

/**
 * A short, stable stand-in for an agency id where space is counted (a button's 64 bytes):
 * `~` and 6 base-36 characters of the id's FNV-1a hash. Resolved by comparing with the ids of
 * a task's shares (a handful), so a clash is practically impossible and, if ever, refused.
 */
export function shortAgencyRef(agencyId: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(agencyId)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return `~${hash.toString(36).padStart(7, "0").slice(-6)}`;
}
