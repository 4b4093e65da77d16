/**
 * Turns what a reader found (RawPlan) into tasks for the registry, and compares them with
 * what the registry already holds (re-import, amended plans). Pure: no clock (pass `now`),
 * no file system.
 */
import { slugId, type Directory } from "../core/agencies.ts";
import { parseDeadline } from "../core/deadline.ts";
import type { Agency, Assignment, Period, Plan, PlanValues, ReformArea, Task } from "../core/schemas.ts";
import { fold, shorten, squash } from "../core/text.ts";
import type { StoreData } from "../store/types.ts";
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
};

export type ImportPreview = ImportDraft & { diff: ImportDiff; planId: string };

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

/** A plan is the same plan if its number and year match (an amendment keeps both). */
export function planIdOf(meta: { number: string | null; year: number; title: string }): string {
  const base = meta.number ? fold(meta.number).replace(/[^a-z0-9]+/g, "-") : fold(meta.title).replace(/[^a-z0-9]+/g, "-").slice(0, 40);
  return `${meta.year}-${base}`.replace(/-+$/, "");
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
  const title = `đọc từ tiêu đề «${shorten(raw.meta.title, 70)}»`;
  if (options.period) {
    return { year: options.year ?? options.period.first, period: options.period, source: "do quản trị viên chỉ định" };
  }
  if (options.year) {
    const within = raw.meta.period && options.year >= raw.meta.period.first && options.year <= raw.meta.period.last;
    return { year: options.year, period: within ? raw.meta.period! : { first: options.year, last: options.year }, source: "do quản trị viên chỉ định" };
  }
  if (raw.meta.period) return { year: raw.meta.year ?? raw.meta.period.first, period: raw.meta.period, source: title };
  if (raw.meta.year) return { year: raw.meta.year, period: { first: raw.meta.year, last: raw.meta.year }, source: title };
  const signed = raw.meta.signed ? Number(raw.meta.signed.slice(0, 4)) : null;
  if (signed) {
    const last = Math.max(signed, lastNamed ?? signed);
    return {
      year: signed,
      period: { first: signed, last },
      source:
        `tiêu đề không ghi năm: lấy năm ký ${signed}` + (last > signed ? `, đến ${last} (năm xa nhất trong các thời hạn)` : ""),
    };
  }
  if (lastNamed) {
    const first = Math.min(...named);
    return { year: first, period: { first, last: lastNamed }, source: "tiêu đề và ngày ký không ghi năm: lấy các năm trong thời hạn" };
  }
  if (options.now) {
    const year = Number(options.now.toISOString().slice(0, 4));
    return { year, period: { first: year, last: year }, source: "văn bản không ghi năm nào: lấy năm hiện tại" };
  }
  throw new ImportError("Văn bản không ghi năm kế hoạch ở đâu cả. Hãy chỉ rõ năm (ví dụ: --year 2022, hoặc /nap 2022).");
}

/** Build the tasks of a plan from a reader's rows. Codes are provisional ("#1", …) until matched. */
export function draftFromRaw(raw: RawPlan, options: BuildOptions): ImportDraft {
  const { year, period, source } = planYearsOf(raw, options);
  const warnings: ImportWarning[] = [...raw.warnings];
  const unresolved = new Map<string, number[]>();
  const tasks: Task[] = raw.rows.map((row, index) => {
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
      title: raw.meta.title,
      year,
      period,
      yearSource: source,
    },
    tasks,
    warnings: warnings.sort((a, b) => a.row - b.row),
    unresolved: [...unresolved].map(([name, rows]) => ({ name, rows })),
  };
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

/** Word-set similarity of two contents, 0..1. */
function similarity(a: string, b: string): number {
  const wa = new Set(fold(a).split(/\W+/).filter(Boolean));
  const wb = new Set(fold(b).split(/\W+/).filter(Boolean));
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
 * when given (an agency added since, or an alias).
 */
function mergeTask(before: Task, plan: Task, directory?: Directory): { after: Task; conflicts: Conflict[] } {
  const base = planValues(before);
  const fresh = planValues(plan);
  const current: PlanValues = { content: before.content, product: before.product, coordinating: before.coordinating, leads: before.leads.map((l) => l.raw), deadline: before.deadline.raw };
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
      else if (field === "deadline") after.deadline = before.deadline;
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

/**
 * Give the draft's tasks their codes and merge them with the registry (see pairRows and
 * mergeTask): a task still in the plan keeps its code and its admins' edits; a new one gets the
 * next number (`<plan letter><number>`: A1, A2 … B1 …). `directory`, when given, resolves
 * the kept leads again and so finds every task whose agencies change (`diff.reassigned`), shown
 * before anything is written.
 */
export function previewImport(draft: ImportDraft, data: StoreData, directory?: Directory): ImportPreview {
  const planId = draft.plan.id ?? planIdOf(draft.plan);
  const existingPlan = data.plans.find((p) => p.id === planId);
  const prefix = existingPlan ? codePrefixOf(data, planId) : prefixFor(nextPrefixIndex(data));
  const old = data.tasks.filter((t) => t.planId === planId && !t.removed);
  const pairs = pairRows(draft.tasks, old);
  const paired = new Set(pairs.values());

  // Numbers of removed tasks are never given again.
  const used = data.tasks.filter((t) => t.planId === planId).map((t) => Number(t.code.slice(prefix.length)) || 0);
  let next = Math.max(0, ...used) + 1;
  const diff: ImportDiff = { added: [], changed: [], removed: old.filter((t) => !paired.has(t)), unchanged: 0, conflicts: [], reassigned: [] };
  // Codes carried by dondoc's own export are kept when they are free.
  const taken = new Set(data.tasks.map((t) => t.code));
  const tasks = draft.tasks.map((task, i) => {
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
    const { after, conflicts } = mergeTask(before, planTask, directory);
    diff.conflicts.push(...conflicts);
    const from = [...new Set(before.leads.map((l) => l.agencyId).filter((id): id is string => !!id))].sort();
    const to = [...new Set(after.leads.map((l) => l.agencyId).filter((id): id is string => !!id))].sort();
    if (from.join() !== to.join()) diff.reassigned.push({ code: after.code, from, to });
    const fields = changedFields(before, after);
    if (fields.length) diff.changed.push({ before, after, fields });
    else diff.unchanged++;
    return after;
  });
  return { ...draft, tasks, planId, diff };
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
export function compoundNames(draft: Pick<ImportDraft, "unresolved">, directory: Directory): { name: string; rows: number[]; mentions: string[] }[] {
  return draft.unresolved.flatMap((u) => {
    const mentions = [...new Set(directory.mentions(u.name).map((m) => m.agencyId))];
    return mentions.length && !directory.resolve(u.name) ? [{ ...u, mentions }] : [];
  });
}

/** The preview with its unresolved leads resolved again against `directory` (after agencies were added). */
export function withLeadsResolved<T extends ImportDraft>(preview: T, directory: Directory): T {
  const tasks = preview.tasks.map((t) =>
    t.leads.some((l) => !l.agencyId) ? { ...t, leads: t.leads.map((l) => (l.agencyId ? l : { raw: l.raw, agencyId: directory.resolve(l.raw)?.id ?? null })) } : t,
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
 * progress and history kept, new assignments created for new leads. Removed tasks are
 * marked removed (kept for history) only when `removeMissing`.
 */
export function applyImport(data: StoreData, preview: ImportPreview, options: ApplyOptions): { added: number; changed: number; removed: number } {
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
  for (const task of preview.tasks) {
    const wanted = new Set(assigneesOf(task, directory));
    if (reassigned.has(task.code)) {
      // A share of an agency no longer leading goes if nobody reported on it; one with any
      // report stays, so no history is lost (as /sua … chutri does).
      for (const [id, a] of assignments) if (a.taskCode === task.code && !wanted.has(a.agencyId) && !a.updatedAt) assignments.delete(id);
    }
    for (const agencyId of wanted) {
      const id = `${task.code}@${agencyId}`;
      if (!assignments.has(id)) assignments.set(id, newAssignment(task.code, agencyId));
    }
  }
  data.assignments = [...assignments.values()];
  return {
    added: preview.diff.added.length,
    changed: preview.diff.changed.length,
    removed: options.removeMissing ? preview.diff.removed.length : 0,
  };
}

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
