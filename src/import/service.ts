/**
 * Importing a plan, shared by the CLI (`npm run import`) and the chat (`/nap`):
 * read the document → draft → preview against the registry → (after confirmation) commit.
 */
import path from "node:path";
import type { Directory } from "../core/agencies.ts";
import type { Actor, ReformArea, Task } from "../core/schemas.ts";
import type { Store } from "../store/types.ts";
import { readPlan } from "./read.ts";
import { draftFromExport } from "./export.ts";
import { applyImport, draftFromRaw, previewImport, ImportError, type ImportDraft, type ImportPreview, type YearsOverride } from "./importer.ts";
import { PlanReadError } from "./types.ts";

export { ImportError, PlanReadError };

export const AREA_NAMES: Record<ReformArea, string> = {
  "chi-dao-dieu-hanh": "Chỉ đạo, điều hành",
  "the-che": "Cải cách thể chế",
  "thu-tuc-hanh-chinh": "Cải cách thủ tục hành chính",
  "to-chuc-bo-may": "Cải cách tổ chức bộ máy",
  "cong-vu": "Cải cách chế độ công vụ",
  "tai-chinh-cong": "Cải cách tài chính công",
  "chinh-quyen-so": "Chính quyền điện tử, chính quyền số",
  khac: "Khác",
};

const KIND_NAMES: Record<Task["deadline"]["kind"], string> = {
  date: "có ngày cụ thể",
  period: "theo kỳ (tháng, quý, năm)",
  continuous: "thường xuyên",
  conditional: "có điều kiện",
  unknown: "không đọc được thời hạn",
};

/** What the admin may say about the plan's years, and today (for a document that names none). */
export type ImportOptions = YearsOverride & { now?: Date };

/** Read an uploaded or local document into a draft. Throws PlanReadError / ImportError (Vietnamese). */
export async function draftFromFile(file: { name: string; data: Buffer }, directory: Directory, options: ImportOptions = {}): Promise<ImportDraft> {
  if (path.extname(file.name).toLowerCase() === ".json") {
    let json: unknown;
    try {
      json = JSON.parse(file.data.toString("utf8"));
    } catch {
      throw new PlanReadError("Tệp .json không đọc được. dondoc nhận tệp .json do chính dondoc xuất ra (npm run import -- … --dry-run --json).");
    }
    const draft = draftFromExport(json);
    if (!draft) throw new PlanReadError("Tệp .json không đúng định dạng kế hoạch xuất từ dondoc.");
    if (options.year) draft.plan.year = options.year;
    if (options.period) draft.plan.period = options.period;
    return draft;
  }
  const raw = await readPlan(file);
  if (raw.rows.length === 0) {
    throw new PlanReadError("Không tìm thấy nhiệm vụ nào trong tài liệu: cần bảng phụ lục (STT, Nội dung, Cơ quan chủ trì, Thời gian…) hoặc các mục có «Cơ quan chủ trì», «Thời gian hoàn thành».");
  }
  return draftFromRaw(raw, { directory, ...options });
}

/** Read a document and preview it against the registry (nothing written). */
export async function prepareImport(store: Store, directory: Directory, file: { name: string; data: Buffer }, options: ImportOptions = {}): Promise<ImportPreview> {
  const draft = await draftFromFile(file, directory, options);
  return previewImport(draft, store.read());
}

/** Write a confirmed preview, with one audit event describing every task it touched. */
export async function commitImport(
  store: Store,
  preview: ImportPreview,
  options: { directory: Directory; actor: Actor; chatId: string | null; now: Date; source?: string; removeMissing: boolean },
): Promise<{ added: number; changed: number; removed: number }> {
  return store.update((data) => {
    // The registry may have moved since the preview: preview again on the current state
    // (codes the admin saw are kept while they are still free).
    const fresh = previewImport(preview, data);
    const counts = applyImport(data, fresh, options);
    return {
      result: counts,
      events: [
        {
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
          },
        },
      ],
    };
  });
}

/** "kế hoạch năm 2022 (theo tiêu đề «…»)", "kế hoạch giai đoạn 2026–2030, năm đầu 2026 (theo …)". */
export function yearsText(p: ImportPreview["plan"]): string {
  const span = p.period && p.period.last > p.period.first ? `kế hoạch giai đoạn ${p.period.first}–${p.period.last}` : `kế hoạch năm ${p.year}`;
  return p.yearSource ? `${span} (theo ${p.yearSource})` : span;
}

function countBy<T>(items: T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** A preview an admin can read on a phone. */
export function previewText(preview: ImportPreview, maxWarnings = 15): string {
  const p = preview.plan;
  const lines = [
    `📄 ${p.title}`,
    `Số ${p.number ?? "?"}${p.signed ? `, ký ngày ${p.signed.split("-").reverse().join("/")}` : ""} — ${yearsText(p)}`,
    `Tổng số nhiệm vụ: ${preview.tasks.length}`,
    "",
    "Theo lĩnh vực:",
    ...countBy(preview.tasks, (t) => AREA_NAMES[t.area]).map(([name, n]) => `• ${name}: ${n}`),
    "Theo loại thời hạn:",
    ...countBy(preview.tasks, (t) => KIND_NAMES[t.deadline.kind]).map(([name, n]) => `• ${name}: ${n}`),
  ];
  const { added, changed, removed, unchanged } = preview.diff;
  if (changed.length || removed.length || unchanged) {
    lines.push("", `So với dữ liệu đang có: thêm ${added.length}, sửa ${changed.length}, bỏ ${removed.length}, giữ nguyên ${unchanged}.`);
    for (const c of changed.slice(0, 10)) lines.push(`  ✏️ ${c.after.code}: đổi ${c.fields.join(", ")}`);
    for (const t of removed.slice(0, 10)) lines.push(`  🗑 ${t.code}: ${t.title}`);
  }
  if (preview.unresolved.length) {
    lines.push("", `Cơ quan chưa có trong danh mục (${preview.unresolved.length}) — thêm hoặc gán bằng /bidanh:`);
    for (const u of preview.unresolved.slice(0, 10)) lines.push(`• «${u.name}» (dòng ${u.rows.slice(0, 5).join(", ")})`);
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
