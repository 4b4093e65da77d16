/**
 * dondoc's own plan format: what `npm run import -- --dry-run --json` prints and what
 * `npm run export` writes from the registry, so a registry can be moved and loaded again
 * (`npm run import -- plan.json` keeps the codes).
 */
import { z } from "zod";
import { Deadline, LeadRef, Period, ReformArea } from "../core/schemas.ts";
import type { ImportPreview, ImportDraft } from "./importer.ts";
import type { Plan, Task } from "../core/schemas.ts";

export const ExportedTask = z.object({
  code: z.string(),
  stt: z.string().optional(),
  section: z.string().optional(),
  area: ReformArea,
  title: z.string(),
  content: z.string().optional(),
  leads: z.array(LeadRef),
  coordinating: z.string(),
  product: z.string(),
  deadline: Deadline,
  row: z.number().int().optional(),
});

export const ExportedPlan = z.object({
  plan: z.object({
    number: z.string().nullable(),
    issuer: z.string().nullable(),
    signed: z.string().nullable(),
    title: z.string(),
    year: z.number().int(),
    period: Period.optional(),
    yearSource: z.string().optional(),
  }),
  tasks: z.array(ExportedTask),
  warnings: z.array(z.object({ row: z.number(), text: z.string(), message: z.string() })).default([]),
});
export type ExportedPlan = z.infer<typeof ExportedPlan>;

function exportTask(t: Task): z.infer<typeof ExportedTask> {
  return {
    code: t.code,
    stt: t.stt,
    section: t.section,
    area: t.area,
    title: t.title,
    content: t.content,
    leads: t.leads,
    coordinating: t.coordinating,
    product: t.product,
    deadline: t.deadline,
    row: t.row,
  };
}

/** A preview in dondoc's own format (what `--dry-run --json` prints): the plan's details without the registry's id. */
export function exportPreview(preview: ImportPreview): ExportedPlan {
  const { id: _id, ...plan } = preview.plan;
  return { plan, tasks: preview.tasks.map(exportTask), warnings: preview.warnings };
}

/** The registry's current tasks of a plan (edits included), in the same format. */
export function exportRegistry(plan: Plan, tasks: Task[]): ExportedPlan {
  const { number, issuer, signed, title, year, period, yearSource } = plan;
  return {
    plan: { number, issuer, signed, title, year, ...(period ? { period } : {}), ...(yearSource ? { yearSource } : {}) },
    tasks: tasks.filter((t) => t.planId === plan.id && !t.removed).map(exportTask),
    warnings: [],
  };
}

/** Read dondoc's own export back into a draft (codes kept as provisional order). */
export function draftFromExport(data: unknown): ImportDraft | null {
  const parsed = ExportedPlan.safeParse(data);
  if (!parsed.success) return null;
  const { plan, tasks, warnings } = parsed.data;
  return {
    plan,
    tasks: tasks.map((t) => ({
      code: t.code,
      planId: "",
      stt: t.stt,
      section: t.section ?? "",
      area: t.area,
      title: t.title,
      content: t.content ?? t.title,
      product: t.product,
      leads: t.leads,
      coordinating: t.coordinating,
      deadline: t.deadline,
      row: t.row,
      removed: false,
    })),
    warnings,
    unresolved: [],
  };
}
