/**
 * Turns what a reader found (RawPlan) into tasks for the registry, and compares them with
 * what the registry already holds (re-import, amended plans). Pure: no clock (pass `now`),
 * no file system.
 */
import { toVnDay } from "../core/calendar.ts";
import { slugId, type Directory } from "../core/agencies.ts";
import { parseDeadline } from "../core/deadline.ts";
import type { Agency, Assignment, Deadline, Period, Plan, PlanValues, ReformArea, Task } from "../core/schemas.ts";
import { fold, shorten, squash, viDate } from "../core/text.ts";
import type { StoreData } from "../store/types.ts";
import { headerField } from "./table.ts";
import { templateLeftovers } from "./template.ts";
import type { RawPlan, RawTaskRow, ReadWarning } from "./types.ts";

export type ImportWarning = ReadWarning;

export type ImportDraft = {
  plan: Omit<Plan, "importedAt" | "active" | "id"> & { id?: string };
  tasks: Task[];
  warnings: ImportWarning[];
  /** Lead names not in the directory, with the rows they appear on. */
  unresolved: { name: string; rows: number[] }[];
};

export type ImportDiff = {
  added: Task[];
  changed: { before: Task; after: Task; fields: string[] }[];
  removed: Task[];
  unchanged: number;
  /** Fields both the plan and an admin changed since the last import (the plan's value taken). */
  conflicts: Conflict[];
  /** Tasks whose agencies change (agency ids before → after), to check before writing. */
  reassigned: { code: string; from: string[]; to: string[] }[];
  /** For each reassigned task, what becomes of its reports (same order as `reassigned`). */
  handovers?: Handover[];
  /** Removed tasks on which an agency has reported (progress, done, evidence, blocker): their reports leave follow-up. */
  removedWithReports?: { code: string; title: string; reports: ShareReport[] }[];
  /** The plan was imported before for other years: its deadlines are read again for the new ones. */
  years?: { from: { year: number; period: Period }; to: { year: number; period: Period } };
  /**
   * The years an admin gave the plan at an earlier import are kept (the document, read again
   * without the admin's years, says `read`): its deadlines are read for the kept years.
   */
  keptYears?: { read: { year: number; period: Period } };
  /** A new plan whose rows mostly match an active plan's tasks (an amendment with its own number?). */
  resembles?: Resemblance;
};

/** One agency's reports on a task, in words ("60 %, vướng mắc"). */
export type ShareReport = { agencyId: string; text: string };

/**
 * What a reassignment does with a task's reports: `done` — every share was done, so the new
 * leads' shares are created done (nothing to remind); `kept` — leaving agencies' shares with
 * reports, which stay; `moved` — leaving agencies that never reported (their shares go).
 */
export type Handover = { code: string; done: boolean; kept: ShareReport[]; moved: string[] };

/** An active plan most of whose tasks the new plan's rows match. */
export type Resemblance = { planId: string; number: string | null; title: string; matched: number; total: number; withReports: number };

/** The plan a preview writes to, when it is already in the registry (updated in place). */
export type ExistingPlan = Pick<Plan, "id" | "number" | "signed" | "title" | "year" | "period">;

export type ImportPreview = ImportDraft & {
  diff: ImportDiff;
  planId: string;
  /** The registry's plan this import updates (absent: a new plan). */
  existing?: ExistingPlan;
  /** Sample values of the template the plan still holds (templateLeftovers), for the preview. */
  unfilled?: string[];
};

// ---------------------------------------------------------------- areas

const AREA_KEYWORDS: [ReformArea, RegExp][] = [
  ["chinh-quyen-so", /chinh (phu|quyen) (dien tu|so)|chuyen doi so|cong nghe thong tin|hien dai hoa (hanh chinh|nen hanh chinh)|so hoa/],
  ["thu-tuc-hanh-chinh", /thu tuc hanh chinh|tthc|mot cua/],
  ["the-che", /the che|van ban quy pham|vbqppl/],
  ["to-chuc-bo-may", /to chuc bo may|bo may hanh chinh|sap xep/],
  ["cong-vu", /cong vu|can bo, cong chuc|cong chuc|vien chuc|doi ngu/],
  ["tai-chinh-cong", /tai chinh cong|tai chinh|ngan sach/],
  ["chi-dao-dieu-hanh", /chi dao|dieu hanh|tuyen truyen|kiem tra|cong tac cai cach hanh chinh|par index|sipas/],
];

const headingAreas = new Map<string, ReformArea | null>();

/** The reform area a heading names, or null; remembered (a plan repeats its headings on every task). */
function headingArea(heading: string): ReformArea | null {
  let area = headingAreas.get(heading);
  if (area === undefined) {
    const key = fold(heading);
    area = AREA_KEYWORDS.find(([, pattern]) => pattern.test(key))?.[0] ?? null;
    if (headingAreas.size > 10_000) headingAreas.clear();
    headingAreas.set(heading, area);
  }
  return area;
}

/** The standard reform area of a task, from the headings it sits under (innermost first). */
export function areaOf(section: string[], content = ""): ReformArea {
  for (const heading of [...section].reverse()) {
    const area = headingArea(heading);
    if (area) return area;
  }
  const key = fold(content);
  for (const [area, pattern] of AREA_KEYWORDS.slice(0, -1)) if (pattern.test(key)) return area;
  return "khac";
}

// ---------------------------------------------------------------- codes

/** Letters for plan prefixes: A, B, … Z, then AA, AB… */
function prefixFor(index: number): string {
  const letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"; // no I, O: they read as 1, 0
  let s = "";
  let n = index;
  do {
    s = letters[n % letters.length] + s;
    n = Math.floor(n / letters.length) - 1;
  } while (n >= 0);
  return s;
}

/**
 * The id a new plan gets: its year and number ("2021-189-kh-ubnd"), or its title without a
 * number, or "ke-hoach". An id is a name, not the plan's identity (see samePlan): a plan keeps
 * its id when it is imported again for another year or as a revision.
 */
export function planIdOf(meta: { number: string | null; year: number; title: string }): string {
  const slug = (text: string) =>
    fold(text)
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
  const base = (meta.number && slug(meta.number)) || slug(meta.title).slice(0, 40).replace(/-+$/, "") || "ke-hoach";
  return `${meta.year}-${base}`;
}

type PlanFacts = { number: string | null; issuer: string | null; signed: string | null; title: string; year: number };

/**
 * A plan's number as compared (folded, blanks dropped: "7018 /KH-UBND" = "7018/KH-UBND");
 * null without one, or with the template's sample number and date.
 */
function numberKey(plan: PlanFacts): string | null {
  const key = fold(plan.number ?? "").replace(/\s+/g, "");
  return key && !templateLeftovers(plan, []).some((l) => l.startsWith("Số ")) ? key : null;
}

/** A plan's title as compared; "" when the title is the template's sample. */
function titleKey(plan: PlanFacts): string {
  return templateLeftovers(plan, []).some((l) => l.startsWith("Tiêu đề")) ? "" : fold(squash(plan.title));
}

/**
 * Whether `draft` is the registry's plan `existing` imported again, whatever year it is read
 * for. With a number: the same number (and issuer, when both are known and the dates do not
 * match), and the same year, or the same signing date, or — a date missing — the same title.
 * Without a number (an empty number never matches): the same year or signing date, and the
 * same title; with no title either, most rows matching (`rowsMatch`).
 */
function samePlan(existing: PlanFacts, draft: PlanFacts, rowsMatch: () => boolean): boolean {
  const [na, nb] = [numberKey(existing), numberKey(draft)];
  const signed = existing.signed && draft.signed ? existing.signed === draft.signed : null;
  const sameYear = existing.year === draft.year;
  const [ta, tb] = [titleKey(existing), titleKey(draft)];
  if (na || nb) {
    if (na !== nb) return false;
    if (existing.issuer && draft.issuer && fold(existing.issuer) !== fold(draft.issuer) && signed !== true) return false;
    return sameYear || signed === true || (signed === null && ta !== "" && ta === tb);
  }
  if (signed === false || (!sameYear && signed !== true)) return false;
  if (ta || tb) return ta === tb;
  return rowsMatch();
}

/** How many of `draft`'s rows pair with `old`'s tasks on their words (pairRows, with similar content). */
function matchingRows(draft: Task[], old: Task[]): number {
  if (!draft.length || !old.length) return 0;
  let n = 0;
  for (const [i, t] of pairRows(draft, old)) if (similarity(planValues(t).content, planValues(draft[i]).content) >= 0.5) n++;
  return n;
}

/**
 * The registry's plan an admin names for `--replaces` (a revision loaded onto an existing
 * plan): its id, or its number as printed (any case and spacing). Throws ImportError
 * (Vietnamese) listing the plans when none or several match.
 */
export function findPlan(data: StoreData, ref: string): Plan {
  const key = fold(ref).replace(/\s+/g, "");
  const byId = data.plans.find((p) => p.id === ref.trim());
  if (byId) return byId;
  const found = data.plans.filter((p) => p.number && fold(p.number).replace(/\s+/g, "") === key);
  const active = found.filter((p) => p.active);
  const list = () => data.plans.map((p) => `${p.id} (${p.number ?? "không số"}${p.title ? `, «${shorten(p.title, 50)}»` : ""})`).join("; ");
  if (active.length === 1 || (found.length === 1 && !active.length)) return active[0] ?? found[0];
  if (found.length > 1) throw new ImportError(`Có ${found.length} kế hoạch số «${ref}»; hãy ghi mã kế hoạch: ${list()}.`);
  const known = data.plans.length ? `Các kế hoạch đang có: ${list()}.` : "Chưa nạp kế hoạch nào.";
  throw new ImportError(`Không có kế hoạch «${ref}» trong dữ liệu. ${known}`);
}

/** An id for a new plan: planIdOf, made unique among the registry's plans (…-2, …-3). */
function freshPlanId(plan: PlanFacts, data: StoreData): string {
  const base = planIdOf(plan);
  const taken = new Set([...data.plans.map((p) => p.id), ...data.tasks.map((t) => t.planId)]);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

// ---------------------------------------------------------------- building tasks

export type YearsOverride = {
  /** The admin's plan year (`--year`, `/nap 2022`, a preview button). */
  year?: number;
  /** The admin's period of a multi-year plan (`--period 2026-2030`). */
  period?: Period;
};

export type BuildOptions = YearsOverride & {
  directory: Directory;
  /** Today, for a document that names no year anywhere (its plan year is this year). */
  now?: Date;
};

export class ImportError extends Error {}

/** The years a plan is for, and where they were read (Vietnamese, for the preview). */
export type PlanYears = { year: number; period: Period; source: string };

/** A title as read, without the separators of the empty cells a CSV's title line keeps ("Kế hoạch … Bình Thuận,,,,"). */
function cleanTitle(title: string): string {
  return squash(title).replace(/(?:\s*[,;|]\s*)+$/, "");
}

/** Where the years came from when the admin gave them (--year, --period, /nap 2022, 📅). */
export const ADMIN_YEARS = "do quản trị viên chỉ định";

const YEAR_IN_PHRASE = /(?<!\d)((?:19|20)\d{2})(?!\d)/g;

/**
 * The plan year and period (contract: "The plan year", "Plans that span several years"),
 * never a reason to refuse: the admin's override; else the title ("… NĂM 2022", "GIAI ĐOẠN
 * 2026 - 2030", "ĐẾN NĂM 2030" from the signing year); else the signing year, the period
 * running to the last year a task deadline names; else the years the deadlines name; else
 * this year (`now`). `source` says which, for the preview.
 */
export function planYearsOf(raw: RawPlan, options: YearsOverride & { now?: Date }): PlanYears {
  const named = raw.rows.flatMap((r) => [...(r.deadline ?? "").matchAll(YEAR_IN_PHRASE)].map((m) => Number(m[1])));
  const lastNamed = named.length ? Math.max(...named) : null;
  const title = `đọc từ tiêu đề «${shorten(cleanTitle(raw.meta.title), 70)}»`;
  if (options.period) {
    return { year: options.year ?? options.period.first, period: options.period, source: ADMIN_YEARS };
  }
  if (options.year) {
    const within = raw.meta.period && options.year >= raw.meta.period.first && options.year <= raw.meta.period.last;
    return { year: options.year, period: within ? raw.meta.period! : { first: options.year, last: options.year }, source: ADMIN_YEARS };
  }
  if (raw.meta.period) return { year: raw.meta.year ?? raw.meta.period.first, period: raw.meta.period, source: title };
  if (raw.meta.year) return { year: raw.meta.year, period: { first: raw.meta.year, last: raw.meta.year }, source: title };
  const signed = raw.meta.signed ? Number(raw.meta.signed.slice(0, 4)) : null;
  if (signed) {
    const last = Math.max(signed, lastNamed ?? signed);
    return {
      year: signed,
      period: { first: signed, last },
      source: `tiêu đề không ghi năm: lấy năm ký ${signed}` + (last > signed ? `, đến ${last} (năm xa nhất trong các thời hạn)` : ""),
    };
  }
  if (lastNamed) {
    const first = Math.min(...named);
    return { year: first, period: { first, last: lastNamed }, source: "tiêu đề và ngày ký không ghi năm: lấy các năm trong thời hạn" };
  }
  if (options.now) {
    const year = Number(toVnDay(options.now).slice(0, 4));
    return { year, period: { first: year, last: year }, source: "văn bản không ghi năm nào: lấy năm hiện tại" };
  }
  throw new ImportError("Văn bản không ghi năm kế hoạch ở đâu cả. Hãy chỉ rõ năm (ví dụ: --year 2022, hoặc /nap 2022).");
}

/** Build the tasks of a plan from a reader's rows. Codes are provisional ("#1", …) until matched. */
export function draftFromRaw(raw: RawPlan, options: BuildOptions): ImportDraft {
  const { year, period, source } = planYearsOf(raw, options);
  const warnings: ImportWarning[] = [...raw.warnings];
  const unresolved = new Map<string, number[]>();
  const rows = raw.rows.filter((row, index) => {
    if (index > 1 || !isHeaderRow(row, options.directory)) return true;
    const text = shorten([row.content, row.lead, row.deadline].filter(Boolean).join(" | "), 80);
    warnings.push({ row: row.row, text, message: HEADER_ROW });
    return false;
  });
  const tasks: Task[] = rows.map((row, index) => {
    const { deadline, warnings: deadlineWarnings } = parseDeadline(row.deadline, { planYear: year, period, signed: raw.meta.signed });
    for (const w of deadlineWarnings) warnings.push({ row: row.row, text: squash(row.deadline ?? ""), message: w.message });
    const leads = row.lead ? options.directory.resolveLeads(row.lead) : row.leadHint ? leadsNamedIn(row.leadHint, options.directory) : [];
    if (leads.length === 0) warnings.push({ row: row.row, text: shorten(row.content, 80), message: "Không có cơ quan chủ trì" });
    for (const lead of leads) {
      if (lead.agencyId) continue;
      unresolved.set(lead.raw, [...(unresolved.get(lead.raw) ?? []), row.row]);
      warnings.push({ row: row.row, text: lead.raw, message: "Cơ quan chủ trì không có trong danh mục" });
    }
    return taskFromRow(row, index, leads, deadline);
  });
  return {
    plan: {
      number: raw.meta.number,
      issuer: raw.meta.issuer,
      signed: raw.meta.signed,
      title: cleanTitle(raw.meta.title),
      year,
      period,
      yearSource: source,
    },
    tasks,
    warnings: warnings.sort((a, b) => a.row - b.row),
    unresolved: [...unresolved].map(([name, rows]) => ({ name, rows })),
  };
}

const HEADER_ROW = "Dòng tiêu đề (hoặc dòng số thứ tự cột) của bảng: không phải nhiệm vụ, bỏ qua";

/** A cell that only numbers a column: "2", "(3)". */
const COLUMN_NUMBER = /^\(?\d{1,2}\)?$/;

/**
 * A table's header row, or its row of column numbers (1, 2, 3 …), read as a task — as a table
 * read with the admin's columns (--columns, the chat's column questions) gives it when its
 * header has words the reader does not know ("Việc cần làm | Đơn vị đầu mối | Mốc"). A row
 * whose cells are only column numbers; or a short row that names a header field (headerField)
 * and has nothing of a task: no known lead, no readable deadline, no number.
 */
function isHeaderRow(row: RawTaskRow, directory: Directory): boolean {
  const cells = [row.content, row.lead, row.deadline, row.coordinating, row.product].map((c) => squash(c ?? "")).filter(Boolean);
  if (cells.length === 0) return false;
  if (cells.every((c) => COLUMN_NUMBER.test(c)) && (!row.stt || COLUMN_NUMBER.test(row.stt))) return true;
  if (row.stt && /\d/.test(row.stt)) return false;
  if (squash(row.content).split(" ").length > 6) return false;
  if (row.lead && directory.resolveLeads(row.lead).some((l) => l.agencyId)) return false;
  if (row.deadline && parseDeadline(row.deadline, { planYear: 2000 }).deadline.kind !== "unknown") return false;
  return cells.some((c) => headerField(c) !== null);
}

/** An official's title written before the agency it heads: "Thủ trưởng các sở, ban, ngành", "Chủ tịch UBND các huyện". */
const HEAD_OF = /(?:^|[\s,;:])((?:Thủ trưởng|Chủ tịch|Giám đốc|Người đứng đầu|Lãnh đạo)\s+)$/iu;

/**
 * The agencies a sentence names as doing the task: the first agency named and those listed
 * right after it ("gồm: Văn phòng UBND tỉnh, Sở Nội vụ, Sở Tư pháp …"; "Thủ trưởng các sở,
 * ban, ngành, Chủ tịch UBND các huyện …"), not agencies named later in another role ("chủ trì,
 * phối hợp với Văn phòng UBND tỉnh", "gửi về UBND tỉnh (qua Sở Nội vụ)"). An official's title
 * before an agency stays in its name as written.
 */
export function leadsNamedIn(sentence: string, directory: Directory): Task["leads"] {
  const found = directory.mentions(sentence);
  const titled = found.map((m) => {
    const title = HEAD_OF.exec(sentence.slice(0, m.start));
    return { raw: title ? `${title[1]}${m.text}` : m.text, agencyId: m.agencyId, start: m.start - (title?.[1].length ?? 0), end: m.end };
  });
  const run = titled.slice(0, 1);
  for (let i = 1; i < titled.length; i++) {
    const between = sentence.slice(titled[i - 1].end, titled[i].start);
    if (!/^\s*(?:,|;|và|cùng|\s)*\s*$/u.test(between)) break;
    run.push(titled[i]);
  }
  return run.map((m) => ({ raw: m.raw, agencyId: m.agencyId }));
}

function taskFromRow(row: RawTaskRow, index: number, leads: Task["leads"], deadline: Task["deadline"]): Task {
  const content = squash(row.content);
  return {
    code: `#${index + 1}`,
    planId: "",
    stt: row.stt,
    section: row.section.map(squash).join(" › "),
    area: areaOf(row.section, content),
    title: shorten(content.replace(/^[-–•+]\s*/, ""), 90),
    content,
    product: squash(row.product ?? ""),
    leads,
    coordinating: squash(row.coordinating ?? ""),
    deadline,
    row: row.row,
    removed: false,
  };
}

/** What the plan says of a task (the values a re-import compares with). */
export function planValues(task: Task): PlanValues {
  return (
    task.fromPlan ?? {
      content: task.content,
      product: task.product,
      coordinating: task.coordinating,
      leads: task.leads.map((l) => l.raw),
      deadline: task.deadline.raw,
    }
  );
}

// ---------------------------------------------------------------- matching against the registry

/** The fields a re-import merges, and their names for the admin. */
export const MERGED_FIELDS = {
  content: "nội dung",
  product: "sản phẩm",
  leads: "cơ quan chủ trì",
  coordinating: "cơ quan phối hợp",
  deadline: "thời hạn",
} as const;
export type MergedField = keyof typeof MERGED_FIELDS;
const FIELDS = Object.keys(MERGED_FIELDS) as MergedField[];
/** Other fields that follow the plan (where the task sits), compared only to report a change. */
const PLACE: ("section" | "stt")[] = ["section", "stt"];

/** A field's value as compared: text folded, leads as their names, a deadline as its phrase. */
function valueKey(field: MergedField, v: PlanValues): string {
  const value = v[field];
  return fold(Array.isArray(value) ? value.join("; ") : value);
}

const wordSets = new Map<string, Set<string>>();

/** The folded words of a content, remembered (pairing compares each row with many tasks). */
function wordsOf(text: string): Set<string> {
  let words = wordSets.get(text);
  if (!words) {
    words = new Set(fold(text).split(/\W+/).filter(Boolean));
    if (wordSets.size > 20_000) wordSets.clear();
    wordSets.set(text, words);
  }
  return words;
}

/** Word-set similarity of two contents, 0..1. */
function similarity(a: string, b: string): number {
  const wa = wordsOf(a);
  const wb = wordsOf(b);
  if (wa.size === 0 || wb.size === 0) return 0;
  let common = 0;
  for (const w of wa) if (wb.has(w)) common++;
  return (2 * common) / (wa.size + wb.size);
}

/**
 * Pair the plan's rows with the registry's tasks of the same plan. A task is known by what the
 * plan said of it (not by admins' edits of it): the same words pair first, in order; then each
 * remaining row takes the free task that scores best on similar words, the same number and
 * place, the same lead and a nearby position — enough of them, so a rewritten row still keeps
 * its code and an unrelated one does not take it.
 */
function pairRows(draft: Task[], old: Task[]): Map<number, Task> {
  const pairs = new Map<number, Task>();
  const free = new Set(old);
  const byContent = new Map<string, Task[]>();
  for (const t of old) {
    const key = fold(planValues(t).content);
    byContent.set(key, [...(byContent.get(key) ?? []), t]);
  }
  draft.forEach((task, i) => {
    const candidates = (byContent.get(fold(planValues(task).content)) ?? []).filter((t) => free.has(t));
    const best = candidates.find((t) => t.stt === task.stt && t.section === task.section) ?? candidates[0];
    if (best) {
      pairs.set(i, best);
      free.delete(best);
    }
  });
  const position = new Map(old.map((t, k) => [t, k / Math.max(1, old.length)]));
  draft.forEach((task, i) => {
    if (pairs.has(i)) return;
    const plan = planValues(task);
    let best: Task | undefined;
    let bestScore = 0.75;
    for (const t of free) {
      const was = planValues(t);
      const score =
        similarity(was.content, plan.content) +
        (t.stt !== undefined && t.stt === task.stt ? 0.25 : 0) +
        (t.section === task.section ? 0.15 : 0) +
        (valueKey("leads", was) === valueKey("leads", plan) ? 0.15 : 0) +
        (Math.abs((position.get(t) ?? 0) - i / Math.max(1, draft.length)) < 0.05 ? 0.1 : 0);
      if (score > bestScore) {
        best = t;
        bestScore = score;
      }
    }
    if (best) {
      pairs.set(i, best);
      free.delete(best);
    }
  });
  return pairs;
}

/**
 * The task a re-import leaves: for each field, the plan's new value if the plan changed it,
 * else what the registry has (an admin's /sua edit stays). When both changed, the plan wins
 * and the admin's value is reported as a conflict. Leads are resolved again with `directory`
 * when given (an agency added since, or an alias). When the plan is read for other years
 * (`reread`), a deadline the plan did not change is read again for them: the plan's new
 * reading, or an admin's phrase read again.
 */
function mergeTask(
  before: Task,
  plan: Task,
  directory?: Directory,
  reread?: (phrase: string) => Deadline,
): { after: Task; conflicts: Conflict[] } {
  const base = planValues(before);
  const fresh = planValues(plan);
  const current: PlanValues = {
    content: before.content,
    product: before.product,
    coordinating: before.coordinating,
    leads: before.leads.map((l) => l.raw),
    deadline: before.deadline.raw,
  };
  const after: Task = { ...plan, code: before.code, fromPlan: fresh };
  const conflicts: Conflict[] = [];
  for (const field of FIELDS) {
    const planChanged = valueKey(field, fresh) !== valueKey(field, base);
    const edited = valueKey(field, current) !== valueKey(field, base);
    if (planChanged && edited && valueKey(field, current) !== valueKey(field, fresh)) {
      conflicts.push({ code: before.code, field, plan: String(fresh[field]), admin: String(current[field]) });
    }
    if (!planChanged) {
      // The plan says what it said: keep the registry's value (an admin's edit, if any).
      if (field === "leads") after.leads = before.leads;
      else if (field === "deadline") after.deadline = !reread ? before.deadline : edited ? reread(before.deadline.raw) : plan.deadline;
      else after[field] = before[field];
    }
  }
  if (directory) after.leads = after.leads.map((l) => ({ raw: l.raw, agencyId: directory.resolve(l.raw)?.id ?? l.agencyId }));
  after.title = shorten(after.content.replace(/^[-–•+]\s*/, ""), 90);
  return { after, conflicts };
}

/** A field both the plan and an admin changed: the plan's value is taken, the admin's shown. */
export type Conflict = { code: string; field: MergedField; plan: string; admin: string };

function changedFields(before: Task, after: Task): string[] {
  const merged = FIELDS.filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null));
  const place = PLACE.filter((f) => (before[f] ?? "") !== (after[f] ?? ""));
  return [...merged, ...place];
}

/** Which registry plan a preview writes to, when the admin says. */
export type ImportTarget = {
  /**
   * Load the plan as a revision of this registry plan (its id or number, see findPlan): an
   * amendment with its own number keeps the plan's codes and reports. Throws ImportError when
   * no such plan.
   */
  replaces?: string;
};

/** Whether an agency has reported on its share: progress, done, a milestone, evidence, a blocker, a status. */
export function hasReports(a: Assignment): boolean {
  return a.progress > 0 || a.status !== "open" || a.milestonesDone.length > 0 || a.evidence.length > 0 || !!a.blocker || !!a.lastReportAt;
}

/** An agency's reports on its share in words: "đã xong 12/03/2021, 1 văn bản kiểm chứng", "60 %, vướng mắc". */
export function reportText(a: Assignment): string {
  const parts: string[] = [];
  if (a.status === "done") parts.push(a.doneAt ? `đã xong ${viDate(a.doneAt.slice(0, 10))}` : "đã xong");
  else {
    if (a.progress > 0) parts.push(`${a.progress} %`);
    if (a.milestonesDone.length) parts.push(`xong ${a.milestonesDone.length} mốc`);
    if (a.status === "blocked" || a.blocker) parts.push("vướng mắc");
  }
  if (a.evidence.length) parts.push(`${a.evidence.length} văn bản kiểm chứng`);
  if (!parts.length) parts.push(a.lastReportAt ? "đã báo cáo tình hình" : "đã cập nhật");
  return parts.join(", ");
}

/**
 * Give the draft's tasks their codes and merge them with the registry (see pairRows and
 * mergeTask): a task still in the plan keeps its code and its admins' edits; a new one gets the
 * next number (`<plan letter><number>`: A1, A2 … B1 …). The plan is the registry's plan it is
 * the same as (samePlan: its number and signing date, whatever year it is read for — the
 * deadlines are then read again for the new years), or the one `options.replaces` names, else
 * a new plan — which, when most of its rows match an active plan's tasks, says so
 * (`diff.resembles`). `directory`, when given, resolves the kept leads again and so finds
 * every task whose agencies change (`diff.reassigned`, with what becomes of their reports in
 * `diff.handovers`), shown before anything is written; removed tasks with reports are listed
 * apart (`diff.removedWithReports`).
 */
export function previewImport(draft: ImportDraft, data: StoreData, directory?: Directory, options: ImportTarget = {}): ImportPreview {
  const tasksOf = (id: string) => data.tasks.filter((t) => t.planId === id && !t.removed);
  // The same plan: active plans first, then the one with the id this plan would get.
  const legacy = (p: Plan) => Number(p.active) * 2 + Number(p.id === planIdOf(draft.plan));
  const mostRows = (p: Plan) => 2 * matchingRows(draft.tasks, tasksOf(p.id)) > Math.max(draft.tasks.length, tasksOf(p.id).length);
  const target = options.replaces
    ? findPlan(data, options.replaces)
    : draft.plan.id
      ? data.plans.find((p) => p.id === draft.plan.id)
      : [...data.plans].sort((a, b) => legacy(b) - legacy(a)).find((p) => samePlan(p, draft.plan, () => mostRows(p)));
  const planId = target?.id ?? draft.plan.id ?? freshPlanId(draft.plan, data);
  let plan = options.replaces ? { ...draft.plan, id: planId } : draft.plan;
  const period = (p: { year: number; period?: Period }): Period => p.period ?? { first: p.year, last: p.year };
  const sameYears = (a: { year: number; period?: Period }, b: { year: number; period?: Period }) =>
    a.year === b.year && JSON.stringify(period(a)) === JSON.stringify(period(b));
  // Years an admin gave at an earlier import stay when the document is read again without them.
  const keep = !!target && target.yearSource === ADMIN_YEARS && plan.yearSource !== ADMIN_YEARS && !sameYears(target, plan);
  const read = { year: plan.year, period: period(plan) };
  if (keep) plan = { ...plan, year: target!.year, period: period(target!), yearSource: ADMIN_YEARS };
  const context = { planYear: plan.year, period: plan.period, signed: plan.signed };
  const drafted = keep ? draft.tasks.map((t) => ({ ...t, deadline: parseDeadline(t.deadline.raw, context).deadline })) : draft.tasks;
  const prefix = target ? codePrefixOf(data, planId) : prefixFor(nextPrefixIndex(data));
  const old = tasksOf(planId);
  const pairs = pairRows(drafted, old);
  const paired = new Set(pairs.values());
  const yearsChanged = !!target && !sameYears(target, plan);
  const reread = yearsChanged ? (phrase: string) => parseDeadline(phrase, context).deadline : undefined;

  // Numbers of removed tasks are never given again.
  const used = data.tasks.filter((t) => t.planId === planId).map((t) => Number(t.code.slice(prefix.length)) || 0);
  let next = Math.max(0, ...used) + 1;
  const removed = old.filter((t) => !paired.has(t));
  const diff: ImportDiff = { added: [], changed: [], removed, unchanged: 0, conflicts: [], reassigned: [] };
  diff.handovers = [];
  diff.removedWithReports = [];
  if (yearsChanged) diff.years = { from: { year: target!.year, period: period(target!) }, to: { year: plan.year, period: period(plan) } };
  if (keep) diff.keptYears = { read };
  const sharesOf = new Map<string, Assignment[]>();
  for (const a of data.assignments) sharesOf.set(a.taskCode, [...(sharesOf.get(a.taskCode) ?? []), a]);
  const reports = (code: string, only?: (a: Assignment) => boolean) =>
    (sharesOf.get(code) ?? [])
      .filter((a) => hasReports(a) && (!only || only(a)))
      .map((a) => ({ agencyId: a.agencyId, text: reportText(a) }));
  for (const t of removed) {
    const r = reports(t.code);
    if (r.length) diff.removedWithReports!.push({ code: t.code, title: t.title, reports: r });
  }
  // Codes carried by dondoc's own export are kept when they are free.
  const taken = new Set(data.tasks.map((t) => t.code));
  const tasks = drafted.map((task, i) => {
    const before = pairs.get(i);
    const planTask: Task = { ...task, planId, fromPlan: planValues(task) };
    if (!before) {
      const carried = !task.code.startsWith("#") && !taken.has(task.code) ? task.code : null;
      if (carried) taken.add(carried);
      const code = carried ?? `${prefix}${next++}`;
      if (code.length > 10) throw new ImportError("Kế hoạch quá lớn để cấp mã nhiệm vụ ≤ 10 ký tự.");
      const added = { ...planTask, code };
      diff.added.push(added);
      return added;
    }
    const { after, conflicts } = mergeTask(before, planTask, directory, reread);
    diff.conflicts.push(...conflicts);
    const from = [...new Set(before.leads.map((l) => l.agencyId).filter((id): id is string => !!id))].sort();
    const to = [...new Set(after.leads.map((l) => l.agencyId).filter((id): id is string => !!id))].sort();
    if (from.join() !== to.join()) {
      diff.reassigned.push({ code: after.code, from, to });
      const shares = sharesOf.get(after.code) ?? [];
      const staying = new Set(directory ? assigneesOf(after, directory) : to);
      const leaving = shares.filter((a) => !staying.has(a.agencyId));
      diff.handovers!.push({
        code: after.code,
        done: taskDone(shares),
        kept: leaving.filter((a) => a.updatedAt).map((a) => ({ agencyId: a.agencyId, text: reportText(a) })),
        moved: leaving.filter((a) => !a.updatedAt).map((a) => a.agencyId),
      });
    }
    const fields = changedFields(before, after);
    if (fields.length) diff.changed.push({ before, after, fields });
    else diff.unchanged++;
    return after;
  });
  if (!target) {
    // A new plan: say so loudly when it is mostly an active plan's tasks again (an amendment
    // with its own number loaded as a second plan reopens what was done).
    let best: Resemblance | undefined;
    for (const p of data.plans.filter((p) => p.active && p.id !== planId)) {
      const theirs = tasksOf(p.id);
      const matched = matchingRows(draft.tasks, theirs);
      if (matched * 2 > draft.tasks.length && matched >= Math.min(2, draft.tasks.length) && matched > (best?.matched ?? 0)) {
        const withReports = theirs.filter((t) => reports(t.code).length).length;
        best = { planId: p.id, number: p.number, title: p.title, matched, total: draft.tasks.length, withReports };
      }
    }
    if (best) diff.resembles = best;
  }
  const unfilled = templateLeftovers(
    plan,
    draft.tasks.map((t) => t.content),
  );
  const existing = target
    ? { id: target.id, number: target.number, signed: target.signed, title: target.title, year: target.year, period: target.period }
    : undefined;
  return { ...draft, plan, tasks, planId, diff, ...(existing ? { existing } : {}), ...(unfilled.length ? { unfilled } : {}) };
}

/** A task's work is done: it has shares and every one is done. */
function taskDone(shares: Assignment[]): boolean {
  return shares.length > 0 && shares.every((a) => a.status === "done");
}

/** The letter prefix already used by a plan's tasks. */
function codePrefixOf(data: StoreData, planId: string): string {
  const task = data.tasks.find((t) => t.planId === planId);
  return task ? task.code.replace(/\d+$/, "") : prefixFor(nextPrefixIndex(data));
}

function nextPrefixIndex(data: StoreData): number {
  const used = new Set(data.tasks.map((t) => t.code.replace(/\d+$/, "")));
  let i = 0;
  while (used.has(prefixFor(i))) i++;
  return i;
}

// ---------------------------------------------------------------- agencies a plan names that the directory lacks

/** An agency id for a new name: its slug, at most 32 characters (cut at a word), unique among `taken`. */
function newAgencyId(name: string, taken: Set<string>): string {
  let base = slugId(name);
  if (base.length > 32) base = base.slice(0, 32).replace(/-[^-]*$/, "") || base.slice(0, 32);
  let id = base || "co-quan";
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/**
 * The plan's lead names the directory does not know and that name no known agency inside
 * them: each a new agency (a province's own body — "Ban Quản lý Khu kinh tế Phú Quốc", a
 * university). A name that contains known agencies ("Sở A và các sở, ngành liên quan") is not
 * one body: the admin maps it with /bidanh instead. Pure; ids are slugs, unique.
 */
export function newAgencies(draft: Pick<ImportDraft, "unresolved">, directory: Directory): Agency[] {
  const taken = new Set(directory.all().map((a) => a.id));
  return draft.unresolved
    .filter((u) => !directory.resolve(u.name) && directory.mentions(u.name).length === 0)
    .map((u) => ({ id: newAgencyId(u.name, taken), name: u.name, aliases: [], collective: false, members: [] }));
}

/** Unresolved names that contain known agencies, with those agencies' ids (for the preview's /bidanh hint). */
export function compoundNames(
  draft: Pick<ImportDraft, "unresolved">,
  directory: Directory,
): { name: string; rows: number[]; mentions: string[] }[] {
  return draft.unresolved.flatMap((u) => {
    const mentions = [...new Set(directory.mentions(u.name).map((m) => m.agencyId))];
    return mentions.length && !directory.resolve(u.name) ? [{ ...u, mentions }] : [];
  });
}

/** The preview with its unresolved leads resolved again against `directory` (after agencies were added). */
export function withLeadsResolved<T extends ImportDraft>(preview: T, directory: Directory): T {
  const tasks = preview.tasks.map((t) =>
    t.leads.some((l) => !l.agencyId)
      ? { ...t, leads: t.leads.map((l) => (l.agencyId ? l : { raw: l.raw, agencyId: directory.resolve(l.raw)?.id ?? null })) }
      : t,
  );
  const unresolved = preview.unresolved.filter((u) => !directory.resolve(u.name));
  return { ...preview, tasks, unresolved };
}

// ---------------------------------------------------------------- applying

/** Assignments a task needs: one per lead agency, collectives expanded to their members. */
export function assigneesOf(task: Task, directory: Directory): string[] {
  const ids = new Set<string>();
  for (const lead of task.leads) if (lead.agencyId) for (const id of directory.expand(lead.agencyId)) ids.add(id);
  return [...ids];
}

export type ApplyOptions = { directory: Directory; now: Date; source?: string; removeMissing: boolean };

/**
 * Write a preview into the registry (mutates `data`): tasks updated in place by code,
 * progress and history kept, new assignments created for new leads — done ones when the
 * task's work was done before it was reassigned (nothing to redo, nothing to remind), with a
 * note saying so. Milestones reported done keep their place when the plan is read for other
 * years (the same phrase, its milestones moved). Removed tasks are marked removed (kept for
 * history) only when `removeMissing`.
 */
export function applyImport(
  data: StoreData,
  preview: ImportPreview,
  options: ApplyOptions,
): { added: number; changed: number; removed: number } {
  const { directory, now } = options;
  const plan: Plan = {
    id: preview.planId,
    number: preview.plan.number,
    issuer: preview.plan.issuer,
    signed: preview.plan.signed,
    title: preview.plan.title,
    year: preview.plan.year,
    ...(preview.plan.period ? { period: preview.plan.period } : {}),
    ...(preview.plan.yearSource ? { yearSource: preview.plan.yearSource } : {}),
    importedAt: now.toISOString(),
    source: options.source,
    active: true,
  };
  data.plans = [...data.plans.filter((p) => p.id !== plan.id), plan];
  const byCode = new Map(data.tasks.map((t) => [t.code, t]));
  for (const task of preview.tasks) byCode.set(task.code, task);
  if (options.removeMissing) for (const task of preview.diff.removed) byCode.set(task.code, { ...task, removed: true });
  data.tasks = [...byCode.values()];

  const assignments = new Map(data.assignments.map((a) => [a.id, a]));
  const reassigned = new Set(preview.diff.reassigned.map((r) => r.code));
  for (const { before, after } of preview.diff.changed) {
    // The same phrase read for other years: a milestone reported done is the same milestone.
    const [was, now] = [before.deadline.milestones, after.deadline.milestones];
    if (before.deadline.raw !== after.deadline.raw || was.length !== now.length || was.every((m, i) => m.due === now[i].due)) continue;
    const moved = new Map(was.map((m, i) => [m.due, now[i].due]));
    const move = (days: string[]) => days.map((d) => moved.get(d) ?? d);
    for (const [id, a] of assignments) {
      if (a.taskCode !== after.code) continue;
      assignments.set(id, { ...a, milestonesDone: move(a.milestonesDone), lateMilestones: move(a.lateMilestones) });
    }
  }
  for (const task of preview.tasks) {
    const wanted = new Set(assigneesOf(task, directory));
    let carried: Assignment[] = [];
    if (reassigned.has(task.code)) {
      const shares = [...assignments.values()].filter((a) => a.taskCode === task.code);
      if (taskDone(shares)) carried = shares;
      // A share of an agency no longer leading goes if nobody reported on it; one with any
      // report stays, so no history is lost (as /sua … chutri does).
      for (const [id, a] of assignments) if (a.taskCode === task.code && !wanted.has(a.agencyId) && !a.updatedAt) assignments.delete(id);
    }
    for (const agencyId of wanted) {
      const id = `${task.code}@${agencyId}`;
      if (assignments.has(id)) continue;
      assignments.set(
        id,
        carried.length ? inheritedDoneShare(task.code, agencyId, carried, directory) : newAssignment(task.code, agencyId),
      );
    }
  }
  data.assignments = [...assignments.values()];
  return {
    added: preview.diff.added.length,
    changed: preview.diff.changed.length,
    removed: options.removeMissing ? preview.diff.removed.length : 0,
  };
}

/**
 * A new lead's share of a task whose work was done before it was reassigned: done, as the
 * earlier shares were (when, which milestones, on time or late), with a note naming who did it.
 */
export function inheritedDoneShare(taskCode: string, agencyId: string, done: Assignment[], directory: Directory): Assignment {
  const last =
    done
      .map((a) => a.doneAt ?? "")
      .sort()
      .at(-1) || undefined;
  const union = (pick: (a: Assignment) => string[]) => [...new Set(done.flatMap(pick))].sort();
  const who = done.map((a) => directory.get(a.agencyId)?.name ?? a.agencyId).join(", ");
  return {
    ...newAssignment(taskCode, agencyId),
    progress: 100,
    status: "done",
    ...(last ? { doneAt: last } : {}),
    milestonesDone: union((a) => a.milestonesDone),
    lateMilestones: union((a) => a.lateMilestones),
    note: `Đã hoàn thành trước khi giao cho cơ quan này (${who} báo xong${last ? ` ngày ${viDate(last.slice(0, 10))}` : ""}).`,
  };
}

/** A new, open share of a task for one agency. */
export function newAssignment(taskCode: string, agencyId: string): Assignment {
  return {
    id: `${taskCode}@${agencyId}`,
    taskCode,
    agencyId,
    progress: 0,
    status: "open",
    milestonesDone: [],
    lateMilestones: [],
    evidence: [],
    extensions: [],
  };
}

// ---------------------------------------------------------------- other years to offer

/**
 * A year or period an admin may mean instead of the one read, as the import's YearsOverride
 * (`{ year, period }`), with its label for a button ("📅 Năm 2025", "📅 2026–2030").
 */
export type YearChoice = { year: number; period?: Period; label: string };

/**
 * The other years (a one-year plan) or periods (a multi-year plan) to offer an admin for a
 * plan as read, for one-tap buttons, at most three, never the one read. A one-year plan: the
 * signing year and the year after it, the years around the plan's. A multi-year plan
 * (2025–2030): the period from the year after its first (a plan signed late for the next
 * years), from the signing year, and its first year alone (a one-year plan with a far
 * deadline). Pass a choice's `year` and `period` as the import's years. Pure.
 */
export function otherPlanYears(plan: { year: number; period?: Period; signed: string | null }): YearChoice[] {
  const signed = plan.signed ? Number(plan.signed.slice(0, 4)) : null;
  const { first, last } = plan.period ?? { first: plan.year, last: plan.year };
  const out: YearChoice[] = [];
  const add = (a: number, b: number) => {
    const offered = out.some((c) => (c.period?.first ?? c.year) === a && (c.period?.last ?? c.year) === b);
    if (a > b || (a === first && b === last) || offered) return;
    // One year of a multi-year plan is given as a period too, or the title's period would stay.
    const years = a === b && last === first ? { year: a } : { year: a, period: { first: a, last: b } };
    out.push({ ...years, label: a === b ? `📅 Năm ${a}` : `📅 ${a}–${b}` });
  };
  if (last > first) {
    add(first + 1, last);
    if (signed) add(signed, last);
    add(first, first);
  } else {
    const around = [signed ?? plan.year, (signed ?? plan.year) + 1, plan.year - 1, plan.year + 1].sort((a, b) => a - b);
    for (const y of around) add(y, y);
  }
  return out.slice(0, 3);
}
