/**
 * Loading a plan from the chat, a step at a time: a document is read and previewed (nothing
 * written), kept as the one pending import, and written only when an admin confirms. On the
 * way the admin may say which column is which (a table whose header was not recognised) and
 * change the plan's year. A newer preview makes the older one's buttons stale; every step
 * checks the pending import it acts on inside the store's transaction, so a button pressed
 * twice (or by two admins) acts once.
 */
import {
  commitImport,
  draftOf,
  readDocument,
  ImportError,
  PlanReadError,
  UnmappedColumnsError,
  type ImportOptions,
  type PlanDocument,
} from "../import/service.ts";
import { previewImport, type ImportPreview } from "../import/importer.ts";
import { planFromGrid } from "../import/read.ts";
import type { ColumnMap } from "../import/table.ts";
import type { UnmappedColumn } from "../import/types.ts";
import { eventBy, Refusal, type ActingUser, type Deps } from "./context.ts";

/** The questions of the column step, in order; a `required` column cannot be answered "none". */
export const COLUMN_FIELDS: { field: keyof ColumnMap; required: boolean }[] = [
  { field: "content", required: true },
  { field: "lead", required: false },
  { field: "deadline", required: false },
  { field: "coordinating", required: false },
  { field: "product", required: false },
];

/** A previewed document waiting for «Nạp». */
export type PendingPreview = { preview: ImportPreview; document: PlanDocument; source: string; by: string; at: string };

/** The admin choosing, one question at a time, which column of an unrecognised table is which. */
export type PendingColumns = {
  columnsOf: {
    grid: UnmappedColumnsError["grid"];
    metaText: string;
    columns: UnmappedColumn[];
    chosen: ColumnMap;
    step: number;
    years: ImportOptions;
  };
  source: string;
  by: string;
  at: string;
};

/** Where an import stands after a step: a question about a column, or a preview to confirm. */
export type ImportStep =
  | { kind: "column"; id: number; step: number; columns: UnmappedColumn[]; chosen: ColumnMap; notice?: string }
  | { kind: "preview"; id: number; preview: ImportPreview };

const STALE = "Bản xem trước này đã được xử lý hoặc đã cũ. Gửi lại /nap.";

/** A refusal for a document that cannot be read or drafted (PlanReadError, ImportError); other errors pass. */
function unreadable(error: unknown, tail = ""): never {
  if (error instanceof PlanReadError || error instanceof ImportError) throw new Refusal(`⚠️ ${error.message}\nKhông có gì thay đổi.${tail}`);
  throw error;
}

/** Keep `pending` as the one pending import; its number. */
async function keep(deps: Deps, pending: PendingPreview | PendingColumns): Promise<number> {
  return deps.store.update((data) => {
    const next = (data.counters.import ?? 0) + 1;
    data.counters.import = next;
    data.pendingImports = { [String(next)]: pending };
    return { result: next };
  });
}

/**
 * Read an uploaded (or, in local mode, local) file and preview it for `years`; a table whose
 * header is not recognised starts the column questions instead. Refuses an unreadable document.
 */
export async function startImport(
  deps: Deps,
  actor: ActingUser,
  file: { name: string; data: Buffer },
  years: ImportOptions,
): Promise<ImportStep> {
  let document: PlanDocument;
  try {
    document = await readDocument(file);
  } catch (error) {
    if (!(error instanceof UnmappedColumnsError)) unreadable(error);
    const pending: PendingColumns = {
      columnsOf: { grid: error.grid, metaText: error.metaText, columns: error.columns, chosen: {}, step: 0, years },
      source: file.name,
      by: actor.userId,
      at: deps.now.toISOString(),
    };
    const id = await keep(deps, pending);
    return { kind: "column", id, step: 0, columns: error.columns, chosen: {}, notice: error.message };
  }
  return previewDocument(deps, actor, document, file.name, years);
}

/**
 * Draft a read document for `years` (and `replaces`: as a revision of that plan), preview it
 * against the registry and keep it pending.
 */
async function previewDocument(
  deps: Deps,
  actor: ActingUser,
  document: PlanDocument,
  source: string,
  years: ImportOptions,
): Promise<ImportStep> {
  let preview: ImportPreview;
  try {
    const draft = draftOf(document, deps.directory, { ...years, now: deps.now });
    preview = previewImport(draft, deps.store.read(), deps.directory, { replaces: years.replaces });
  } catch (error) {
    unreadable(error);
  }
  const id = await keep(deps, { preview, document, source, by: actor.userId, at: deps.now.toISOString() });
  return { kind: "preview", id, preview };
}

function pendingOf<T extends PendingPreview | PendingColumns>(deps: Deps, id: string, has: (p: Partial<T>) => boolean): T {
  const pending = deps.store.read().pendingImports[id] as Partial<T> | undefined;
  if (!pending || !has(pending)) throw new Refusal(STALE);
  return pending as T;
}

/**
 * The answer to column question `step` of pending import `id`: `column` is 1-based, 0 for
 * "none". Returns the next question, or the preview once every question is answered.
 */
export async function chooseColumn(deps: Deps, actor: ActingUser, id: string, step: number, column: number): Promise<ImportStep> {
  const pending = pendingOf<PendingColumns>(deps, id, (p) => p.columnsOf?.step === step);
  const question = COLUMN_FIELDS[step];
  if (!question || (question.required && column <= 0)) throw new Refusal(STALE);
  const chosen = { ...pending.columnsOf.chosen, ...(column > 0 ? { [question.field]: column - 1 } : {}) };
  const next: PendingColumns = { ...pending, columnsOf: { ...pending.columnsOf, chosen, step: step + 1 } };
  if (step + 1 < COLUMN_FIELDS.length) {
    const nextId = await keep(deps, next);
    return { kind: "column", id: nextId, step: step + 1, columns: next.columnsOf.columns, chosen };
  }
  let document: PlanDocument;
  try {
    document = { raw: planFromGrid(pending.source, pending.columnsOf.grid, chosen, pending.columnsOf.metaText) };
  } catch (error) {
    unreadable(error, " Gửi lại /nap để chọn lại.");
  }
  return previewDocument(deps, actor, document, pending.source, pending.columnsOf.years);
}

/**
 * Preview pending import `id` again: for another plan year or period (the 📅 buttons), or as a
 * revision of the plan it resembles (🔁, `replaces`: an amendment with its own number).
 */
export async function previewAgain(deps: Deps, actor: ActingUser, id: string, years: ImportOptions): Promise<ImportStep> {
  const pending = pendingOf<PendingPreview>(deps, id, (p) => Boolean(p.document));
  const { year, period } = years;
  const sane = (y: number | undefined) => y === undefined || (Number.isInteger(y) && y >= 2000 && y <= 2100);
  if (!sane(year) || !sane(period?.first) || !sane(period?.last)) throw new Refusal(STALE);
  // A revision keeps the years already chosen for this preview.
  const kept = years.replaces ? { year: pending.preview.plan.year, period: pending.preview.plan.period } : {};
  return previewDocument(deps, actor, pending.document, pending.source, { ...kept, ...years });
}

/** 🔁: preview pending import `id` as a revision of the active plan it resembles (an amendment with its own number). */
export async function previewAsRevision(deps: Deps, actor: ActingUser, id: string): Promise<ImportStep> {
  const planId = pendingOf<PendingPreview>(deps, id, (p) => Boolean(p.preview?.diff.resembles)).preview.diff.resembles!.planId;
  return previewAgain(deps, actor, id, { replaces: planId });
}

/**
 * «Nạp»: write pending import `id` (adding its new agencies first when `addAgencies`). The
 * pending import is claimed in one transaction before it is written, so it is written once
 * even if its button is pressed twice. Returns the counts and the plan's title.
 */
export async function confirmImport(deps: Deps, actor: ActingUser, id: string, addAgencies: boolean) {
  const pending = await deps.store.update((data) => {
    const found = data.pendingImports[id] as Partial<PendingPreview> | undefined;
    if (!found?.preview) throw new Refusal(STALE);
    delete data.pendingImports[id];
    return { result: found as PendingPreview };
  });
  const counts = await commitImport(deps.store, pending.preview, {
    directory: deps.directory,
    actor: { id: actor.userId, name: actor.userName },
    chatId: actor.chatId,
    now: deps.now,
    source: pending.source,
    removeMissing: true,
    addAgencies,
  });
  return { ...counts, plan: pending.preview.plan };
}

/** «Hủy»: forget pending import `id`; false (and nothing written) when it is already gone (loaded or cancelled). */
export async function cancelImport(deps: Deps, actor: ActingUser, id: string): Promise<boolean> {
  if (!(id in deps.store.read().pendingImports)) return false; // already loaded or cancelled: nothing to write
  await deps.store.update((data) => {
    const existed = id in data.pendingImports;
    delete data.pendingImports[id];
    return { result: null, events: existed ? [eventBy(actor, deps.now, { action: "import.cancel", after: { id } })] : [] };
  });
  return true;
}
