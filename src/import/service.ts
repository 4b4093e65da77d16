/**
 * Importing a plan, shared by the CLI (`npm run import`) and the chat (`/nap`):
 * read the document → draft → preview against the registry → (after confirmation) commit.
 */
import path from "node:path";
import type { Directory } from "../core/agencies.ts";
import { shorten } from "../core/text.ts";
import type { Actor, EventInput, Task } from "../core/schemas.ts";
import { AREA_NAMES, DEADLINE_KIND_NAMES } from "../core/labels.ts";
import type { Store } from "../store/types.ts";
import { readPlan } from "./read.ts";
import { draftFromExport } from "./export.ts";
import { applyImport, compoundNames, draftFromRaw, MERGED_FIELDS, newAgencies, previewImport, withLeadsResolved, ImportError, type ImportDraft, type ImportPreview, type YearsOverride } from "./importer.ts";
import { PlanReadError, UnmappedColumnsError, type RawPlan } from "./types.ts";
import type { ColumnMap } from "./table.ts";
import { createDirectory } from "../core/agencies.ts";

export { ImportError, PlanReadError, UnmappedColumnsError };

/** What the admin may say about the plan's years and its table's columns, and today (for a document that names no year). */
export type ImportOptions = YearsOverride & { now?: Date; columns?: ColumnMap };

/**
 * A document as read: a reader's rows (their deadlines are read against the plan's year
 * when drafted, so the admin can change the year without sending the file again), or
 * dondoc's own export, already a draft.
 */
export type PlanDocument = { raw: RawPlan } | { draft: ImportDraft };

/**
 * Read an uploaded or local document. Throws PlanReadError (Vietnamese); UnmappedColumnsError
 * when a table's header is not recognised and `columns` does not say which column is which.
 */
export async function readDocument(file: { name: string; data: Buffer }, columns?: ColumnMap): Promise<PlanDocument> {
  if (path.extname(file.name).toLowerCase() === ".json") {
    let json: unknown;
    try {
      json = JSON.parse(file.data.toString("utf8"));
    } catch {
      throw new PlanReadError("Tệp .json không đọc được. dondoc nhận tệp .json do chính dondoc xuất ra (npm run import -- … --dry-run --json).");
    }
    const draft = draftFromExport(json);
    if (!draft) throw new PlanReadError("Tệp .json không đúng định dạng kế hoạch xuất từ dondoc.");
    return { draft };
  }
  const raw = await readPlan(file, { columns });
  if (raw.rows.length === 0) {
    throw new PlanReadError("Không tìm thấy nhiệm vụ nào trong tài liệu: cần bảng phụ lục (STT, Nội dung, Cơ quan chủ trì, Thời gian…) hoặc các mục có «Cơ quan chủ trì», «Thời gian hoàn thành».");
  }
  return { raw };
}

/** A document's draft for the given years (the admin's, else as read). Throws ImportError (Vietnamese). */
export function draftOf(doc: PlanDocument, directory: Directory, options: ImportOptions = {}): ImportDraft {
  if ("raw" in doc) return draftFromRaw(doc.raw, { directory, ...options });
  const draft = structuredClone(doc.draft);
  if (options.year) draft.plan.year = options.year;
  if (options.period) draft.plan.period = options.period;
  if (options.year || options.period) draft.plan.yearSource = "do quản trị viên chỉ định";
  return draft;
}

/** Read an uploaded or local document into a draft. Throws PlanReadError / ImportError (Vietnamese). */
export async function draftFromFile(file: { name: string; data: Buffer }, directory: Directory, options: ImportOptions = {}): Promise<ImportDraft> {
  return draftOf(await readDocument(file, options.columns), directory, options);
}

/** Read a document and preview it against the registry (nothing written). */
export async function prepareImport(store: Store, directory: Directory, file: { name: string; data: Buffer }, options: ImportOptions = {}): Promise<ImportPreview> {
  return previewImport(await draftFromFile(file, directory, options), store.read(), directory);
}

export type CommitOptions = {
  directory: Directory;
  actor: Actor;
  chatId: string | null;
  now: Date;
  source?: string;
  removeMissing: boolean;
  /** Add the preview's new agencies (newAgencies) to the directory first, and assign their tasks. */
  addAgencies?: boolean;
};

/**
 * Write a confirmed preview, with one audit event describing every task it touched (and one
 * per agency it added).
 */
export async function commitImport(store: Store, preview: ImportPreview, options: CommitOptions): Promise<{ added: number; changed: number; removed: number; agencies: string[] }> {
  return store.update((data) => {
    const events: EventInput[] = [];
    let directory = options.directory;
    const agencies = options.addAgencies ? newAgencies(preview, directory) : [];
    if (agencies.length) {
      data.extraAgencies = [...data.extraAgencies, ...agencies];
      directory = createDirectory([...directory.all(), ...agencies], data.extraAliases);
      for (const agency of agencies) {
        events.push({ at: options.now.toISOString(), actor: options.actor, chatId: options.chatId, action: "agency.add", agencyId: agency.id, after: agency, text: `Thêm khi nạp ${options.source ?? "kế hoạch"}` });
      }
    }
    // The registry may have moved since the preview: preview again on the current state
    // (codes the admin saw are kept while they are still free).
    const fresh = previewImport(agencies.length ? withLeadsResolved(preview, directory) : preview, data, directory);
    const counts = applyImport(data, fresh, { ...options, directory });
    events.push({
      at: options.now.toISOString(),
      actor: options.actor,
      chatId: options.chatId,
      action: "import",
      after: {
        plan: fresh.planId,
        source: options.source,
        added: fresh.diff.added.map((t) => t.code),
        changed: fresh.diff.changed.map((c) => ({
          code: c.after.code,
          fields: c.fields,
          before: Object.fromEntries(c.fields.map((f) => [f, c.before[f as keyof Task]])),
          after: Object.fromEntries(c.fields.map((f) => [f, c.after[f as keyof Task]])),
        })),
        removed: options.removeMissing ? fresh.diff.removed.map((t) => t.code) : [],
        ...(agencies.length ? { agencies: agencies.map((a) => a.id) } : {}),
      },
    });
    return { result: { ...counts, agencies: agencies.map((a) => a.id) }, events };
  });
}

/** A changed field, as the admin calls it. */
const FIELD_NAMES: Record<string, string> = { ...MERGED_FIELDS, section: "mục", stt: "số thứ tự" };

function rowsOf(preview: ImportPreview, name: string): string {
  const rows = preview.unresolved.find((u) => u.name === name)?.rows ?? [];
  return rows.slice(0, 5).join(", ") + (rows.length > 5 ? "…" : "");
}

function countBy<T>(items: T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** "kế hoạch năm 2022 — đọc từ tiêu đề «…»", "kế hoạch giai đoạn 2026–2030 — …": the years used and where they came from. */
export function yearsText(p: ImportPreview["plan"]): string {
  const span = p.period && p.period.last > p.period.first ? `kế hoạch giai đoạn ${p.period.first}–${p.period.last}` : `kế hoạch năm ${p.year}`;
  return p.yearSource ? `${span} — ${p.yearSource}` : span;
}

export type PreviewOptions = {
  /** The directory the preview was resolved with: says which unknown names are new agencies. */
  directory: Directory;
  /** How many kinds of warning to list. */
  maxWarnings?: number;
  /** Where the admin answers: the CLI's flags, or the chat's buttons and commands. */
  via: "cli" | "chat";
};

/** A preview an admin can read on a phone. */
export function previewText(preview: ImportPreview, options: PreviewOptions): string {
  const { directory, maxWarnings = 15, via } = options;
  const p = preview.plan;
  const lines = [
    `📄 ${p.title}`,
    `Số ${p.number ?? "?"}${p.signed ? `, ký ngày ${p.signed.split("-").reverse().join("/")}` : ""} — ${yearsText(p)}`,
    `Tổng số nhiệm vụ: ${preview.tasks.length}`,
    "",
    "Theo lĩnh vực:",
    ...countBy(preview.tasks, (t) => AREA_NAMES[t.area]).map(([name, n]) => `• ${name}: ${n}`),
    "Theo loại thời hạn:",
    ...countBy(preview.tasks, (t) => DEADLINE_KIND_NAMES[t.deadline.kind]).map(([name, n]) => `• ${name}: ${n}`),
  ];
  const { added, changed, removed, unchanged, conflicts, reassigned } = preview.diff;
  if (changed.length || removed.length || unchanged) {
    lines.push("", `So với dữ liệu đang có: thêm ${added.length}, sửa ${changed.length}, bỏ ${removed.length}, giữ nguyên ${unchanged}.`);
    for (const c of changed.slice(0, 10)) lines.push(`  ✏️ ${c.after.code}: đổi ${c.fields.map((f) => FIELD_NAMES[f] ?? f).join(", ")}`);
    if (changed.length > 10) lines.push(`  … và ${changed.length - 10} nhiệm vụ khác.`);
    for (const t of removed.slice(0, 10)) lines.push(`  🗑 ${t.code}: ${t.title}`);
  }
  if (reassigned.length) {
    // Every one, however many: work moving between agencies is checked before it is written.
    const name = (ids: string[]) => (ids.length ? ids.map((id) => directory.get(id)?.name ?? id).join(", ") : "(chưa giao)");
    lines.push("", `⚠️ Giao lại cho cơ quan khác (${reassigned.length}) — kiểm tra trước khi nạp:`);
    for (const r of reassigned) lines.push(`  🔀 ${r.code}: ${name(r.from)} → ${name(r.to)}`);
  }
  if (conflicts.length) {
    lines.push("", `⚠️ Kế hoạch mới đổi chỗ quản trị viên đã sửa (${conflicts.length}) — lấy theo kế hoạch; sửa lại bằng /sua nếu cần:`);
    for (const c of conflicts.slice(0, 10)) lines.push(`  ${c.code} ${MERGED_FIELDS[c.field]}: kế hoạch «${shorten(c.plan, 60)}», đã sửa «${shorten(c.admin, 60)}»`);
    if (conflicts.length > 10) lines.push(`  … và ${conflicts.length - 10} chỗ khác.`);
  }
  const fresh = newAgencies(preview, directory);
  if (fresh.length) {
    const how = via === "cli" ? "chạy lại với --add-agencies" : `bấm «➕ Nạp và thêm ${fresh.length} cơ quan»`;
    lines.push("", `Cơ quan chưa có trong danh mục (${fresh.length}) — ${how} để thêm tất cả, hoặc gán từng tên vào cơ quan đã có bằng /bidanh <tên> = <mã>:`);
    for (const a of fresh.slice(0, 12)) lines.push(`• «${a.name}» → mã mới ${a.id} (dòng ${rowsOf(preview, a.name)})`);
    if (fresh.length > 12) lines.push(`… và ${fresh.length - 12} tên khác.`);
  }
  const compound = compoundNames(preview, directory);
  if (compound.length) {
    lines.push("", `Tên gộp nhiều cơ quan (${compound.length}) — chưa giao cho ai; gán bằng /bidanh <tên> = <mã> hoặc sửa bằng /sua <mã nv> chutri …:`);
    for (const c of compound.slice(0, 8)) lines.push(`• «${c.name}» (có: ${c.mentions.join(", ")}; dòng ${c.rows.slice(0, 5).join(", ")})`);
  }
  if (preview.warnings.length) {
    lines.push("", `Cảnh báo (${preview.warnings.length}):`);
    // The same message on many rows reads as one line with the rows.
    const groups = new Map<string, typeof preview.warnings>();
    for (const w of preview.warnings) groups.set(w.message, [...(groups.get(w.message) ?? []), w]);
    let shown = 0;
    for (const [message, rows] of groups) {
      if (shown++ >= maxWarnings) break;
      if (rows.length === 1) lines.push(`• dòng ${rows[0].row}: ${message}${rows[0].text ? ` — «${rows[0].text.slice(0, 80)}»` : ""}`);
      else lines.push(`• ${message} — ${rows.length} dòng: ${rows.slice(0, 12).map((r) => r.row).join(", ")}${rows.length > 12 ? "…" : ""}`);
    }
    if (groups.size > maxWarnings) lines.push(`… và ${groups.size - maxWarnings} loại cảnh báo khác.`);
  }
  return lines.join("\n");
}
