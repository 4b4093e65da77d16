/**
 * Importing a plan, shared by the CLI (`npm run import`) and the chat (`/nap`):
 * read the document → draft → preview against the registry → (after confirmation) commit.
 */
import path from "node:path";
import type { Directory } from "../core/agencies.ts";
import { shorten, squash, viDate } from "../core/text.ts";
import type { Actor, EventInput, Task } from "../core/schemas.ts";
import { AREA_NAMES, DEADLINE_KIND_NAMES } from "../core/labels.ts";
import type { Store } from "../store/types.ts";
import { readPlan } from "./read.ts";
import { draftFromExport } from "./export.ts";
import {
  ADMIN_YEARS,
  applyImport,
  compoundNames,
  draftFromRaw,
  hasReports,
  MERGED_FIELDS,
  newAgencies,
  previewImport,
  withLeadsResolved,
  ImportError,
  type ImportDraft,
  type ImportPreview,
  type YearsOverride,
} from "./importer.ts";
import { PlanReadError, UnmappedColumnsError, type RawPlan } from "./types.ts";
import type { ColumnMap } from "./table.ts";
import { createDirectory } from "../core/agencies.ts";

export { ImportError, PlanReadError, UnmappedColumnsError };

/**
 * What the admin may say about the plan's years and its table's columns, and today (for a
 * document that names no year); `replaces`: load it as a revision of this registry plan (id or
 * number, see findPlan).
 */
export type ImportOptions = YearsOverride & { now?: Date; columns?: ColumnMap; replaces?: string };

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
      throw new PlanReadError(
        "Tệp .json không đọc được. dondoc nhận tệp .json do chính dondoc xuất ra (npm run import -- … --dry-run --json).",
      );
    }
    const draft = draftFromExport(json);
    if (!draft) throw new PlanReadError("Tệp .json không đúng định dạng kế hoạch xuất từ dondoc.");
    return { draft };
  }
  const raw = await readPlan(file, { columns });
  if (raw.rows.length === 0) {
    throw new PlanReadError(
      "Không tìm thấy nhiệm vụ nào trong tài liệu: cần bảng phụ lục (STT, Nội dung, Cơ quan chủ trì, Thời gian…) hoặc các mục có «Cơ quan chủ trì», «Thời gian hoàn thành».",
    );
  }
  return { raw };
}

/** A document's draft for the given years (the admin's, else as read). Throws ImportError (Vietnamese). */
export function draftOf(doc: PlanDocument, directory: Directory, options: ImportOptions = {}): ImportDraft {
  if ("raw" in doc) return draftFromRaw(doc.raw, { directory, ...options });
  const draft = structuredClone(doc.draft);
  if (options.year) draft.plan.year = options.year;
  if (options.period) draft.plan.period = options.period;
  if (options.year || options.period) draft.plan.yearSource = ADMIN_YEARS;
  return draft;
}

/** Read an uploaded or local document into a draft. Throws PlanReadError / ImportError (Vietnamese). */
export async function draftFromFile(
  file: { name: string; data: Buffer },
  directory: Directory,
  options: ImportOptions = {},
): Promise<ImportDraft> {
  return draftOf(await readDocument(file, options.columns), directory, options);
}

/** Read a document and preview it against the registry (nothing written). */
export async function prepareImport(
  store: Store,
  directory: Directory,
  file: { name: string; data: Buffer },
  options: ImportOptions = {},
): Promise<ImportPreview> {
  return previewImport(await draftFromFile(file, directory, options), store.read(), directory, { replaces: options.replaces });
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

/** What a commit wrote. */
export type CommitResult = {
  added: number;
  changed: number;
  removed: number;
  /** Ids of the agencies added. */
  agencies: string[];
  /** The plan written. */
  planId: string;
  /** Removed tasks that had reports (their reports stay in the data, out of follow-up). */
  removedWithReports: string[];
  /** Tasks some of whose earlier reports are kept (every kept task with a reported share). */
  keptWithReports: number;
};

/**
 * Write a confirmed preview, with one audit event describing every task it touched (and one
 * per agency it added).
 */
export async function commitImport(store: Store, preview: ImportPreview, options: CommitOptions): Promise<CommitResult> {
  return store.update((data) => {
    const events: EventInput[] = [];
    let directory = options.directory;
    const agencies = options.addAgencies ? newAgencies(preview, directory) : [];
    if (agencies.length) {
      data.extraAgencies = [...data.extraAgencies, ...agencies];
      directory = createDirectory([...directory.all(), ...agencies], data.extraAliases);
      for (const agency of agencies) {
        events.push({
          at: options.now.toISOString(),
          actor: options.actor,
          chatId: options.chatId,
          action: "agency.add",
          agencyId: agency.id,
          after: agency,
          text: `Thêm khi nạp ${options.source ?? "kế hoạch"}`,
        });
      }
    }
    // The registry may have moved since the preview: preview again on the current state
    // (codes the admin saw are kept while they are still free).
    const fresh = previewImport(agencies.length ? withLeadsResolved(preview, directory) : preview, data, directory);
    const kept = new Set(fresh.tasks.map((t) => t.code));
    const keptWithReports = new Set(data.assignments.filter((a) => kept.has(a.taskCode) && hasReports(a)).map((a) => a.taskCode)).size;
    const counts = applyImport(data, fresh, { ...options, directory });
    const removedWithReports = options.removeMissing ? (fresh.diff.removedWithReports ?? []).map((r) => r.code) : [];
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
        ...(removedWithReports.length ? { removedWithReports } : {}),
        ...(fresh.diff.reassigned.length ? { reassigned: fresh.diff.reassigned, handovers: fresh.diff.handovers } : {}),
        ...(fresh.diff.years ? { years: fresh.diff.years } : {}),
        ...(fresh.existing && fresh.existing.number !== fresh.plan.number ? { revises: { number: fresh.existing.number } } : {}),
        ...(agencies.length ? { agencies: agencies.map((a) => a.id) } : {}),
      },
    });
    const result = { ...counts, agencies: agencies.map((a) => a.id), planId: fresh.planId, removedWithReports, keptWithReports };
    return { result, events };
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
  const span =
    p.period && p.period.last > p.period.first ? `kế hoạch giai đoạn ${p.period.first}–${p.period.last}` : `kế hoạch năm ${p.year}`;
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

/** "12,3 MB", "10 MB": a size in binary megabytes as the admin reads it (MAX_PLAN_BYTES is 10 MB). */
export function sizeText(bytes: number): string {
  const mb = bytes / 2 ** 20;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1).replace(".", ",")} MB`;
}

/**
 * How a plan is named in a message, quotes included: «its title», else "kế hoạch số <number>",
 * else "kế hoạch không ghi tiêu đề" (`Đã nạp ${planLabel(plan)}`).
 */
export function planLabel(plan: { title: string; number: string | null }): string {
  const title = squash(plan.title);
  return title ? `«${title}»` : plan.number ? `kế hoạch số ${plan.number}` : "kế hoạch không ghi tiêu đề";
}

/** "Số 189/KH-UBND, ký ngày 30/12/2020", "Không ghi số; ký ngày …", "Không ghi số và ngày ký". */
function numberText(p: { number: string | null; signed: string | null }): string {
  const signed = p.signed ? `ký ngày ${viDate(p.signed)}` : "";
  if (p.number) return `Số ${p.number}${signed ? `, ${signed}` : ""}`;
  return signed ? `Không ghi số; ${signed}` : "Không ghi số và ngày ký";
}

/** " (30/06/2024 → 30/06/2025)": a changed deadline's first due, before and after. */
function dueChange(c: ImportPreview["diff"]["changed"][number]): string {
  const [was, now] = [c.before.deadline.milestones[0]?.due, c.after.deadline.milestones[0]?.due];
  return c.fields.includes("deadline") && was && now && was !== now ? ` (${viDate(was)} → ${viDate(now)})` : "";
}

/** A preview an admin can read on a phone. */
export function previewText(preview: ImportPreview, options: PreviewOptions): string {
  const { directory, maxWarnings = 15, via } = options;
  const p = preview.plan;
  const name = (ids: string[]) => (ids.length ? ids.map((id) => directory.get(id)?.name ?? id).join(", ") : "(chưa giao)");
  const lines = [`📄 ${squash(p.title) || "Kế hoạch không ghi tiêu đề"}`, `${numberText(p)} — ${yearsText(p)}`];
  if (preview.unfilled?.length) {
    lines.push("", "⚠️ Kế hoạch còn giá trị mẫu của tệp mẫu — sửa trang «Thông tin kế hoạch» / «Nhiệm vụ» rồi gửi lại:");
    for (const u of preview.unfilled) lines.push(`  • ${u}`);
  }
  const { added, changed, removed, unchanged, conflicts, reassigned, years, resembles } = preview.diff;
  const existing = preview.existing;
  if (existing) {
    lines.push("", `🔁 Kế hoạch đã có trong dữ liệu (mã ${existing.id}): cập nhật tại chỗ, giữ mã nhiệm vụ và báo cáo.`);
    if ((existing.number ?? "") !== (p.number ?? "") || (existing.signed ?? "") !== (p.signed ?? "")) {
      lines.push(`  Bản điều chỉnh của «${numberText(existing)}» → «${numberText(p)}».`);
    }
  }
  const span = (y: { year: number; period: { first: number; last: number } }) =>
    y.period.last > y.period.first ? `${y.period.first}–${y.period.last}` : `${y.year}`;
  if (preview.diff.keptYears) {
    const read = preview.diff.keptYears.read;
    const other = read.period.last > read.period.first ? `--period ${read.period.first}-${read.period.last}` : `--year ${read.year}`;
    const how = via === "cli" ? `chạy lại với ${other}` : `bấm 📅 hoặc gửi lại /nap ${span(read)} kèm tệp`;
    const kept = span({ year: p.year, period: p.period ?? { first: p.year, last: p.year } });
    lines.push(`📅 Giữ năm kế hoạch quản trị viên đã chọn lần trước: ${kept} (văn bản đọc ra ${span(read)}; muốn theo văn bản: ${how}).`);
  }
  if (years) {
    lines.push(
      `📅 Năm kế hoạch đổi: ${span(years.from)} → ${span(years.to)} — ` +
        "thời hạn không ghi năm được đọc lại theo năm mới (các dòng «đổi thời hạn»).",
    );
  }
  if (resembles) {
    const called = resembles.number ? `số ${resembles.number}` : `mã ${resembles.planId}`;
    const plan = `${called}${resembles.title ? ` «${shorten(resembles.title, 60)}»` : ""}`;
    const how =
      via === "cli"
        ? `chạy lại với --replaces ${resembles.planId}`
        : "bấm «🔁 Nạp thay kế hoạch …» để nạp thành bản sửa đổi của kế hoạch đó";
    lines.push(
      "",
      `🚨 CHÚ Ý: ${resembles.matched}/${resembles.total} nhiệm vụ trùng với kế hoạch đang có ${plan}.`,
      `Nạp như thế này sẽ tạo KẾ HOẠCH THỨ HAI: các nhiệm vụ đó có mã mới, mở lại từ đầu và được nhắc thêm lần nữa` +
        (resembles.withReports ? ` (${resembles.withReports} nhiệm vụ của kế hoạch cũ đã có báo cáo, kể cả đã xong).` : "."),
      `Nếu đây là bản điều chỉnh hoặc thay thế kế hoạch đó: ${how} (giữ mã, tiến độ và nhiệm vụ đã xong).`,
    );
  }
  if (lines.length > 2) lines.push("");
  lines.push(
    `Tổng số nhiệm vụ: ${preview.tasks.length}`,
    "",
    "Theo lĩnh vực:",
    ...countBy(preview.tasks, (t) => AREA_NAMES[t.area]).map(([name, n]) => `• ${name}: ${n}`),
    "Theo loại thời hạn:",
    ...countBy(preview.tasks, (t) => DEADLINE_KIND_NAMES[t.deadline.kind]).map(([name, n]) => `• ${name}: ${n}`),
  );
  const reported = new Map((preview.diff.removedWithReports ?? []).map((r) => [r.code, r]));
  if (existing || changed.length || removed.length || unchanged) {
    lines.push("", `So với dữ liệu đang có: thêm ${added.length}, sửa ${changed.length}, bỏ ${removed.length}, giữ nguyên ${unchanged}.`);
    for (const c of changed.slice(0, 10)) {
      lines.push(`  ✏️ ${c.after.code}: đổi ${c.fields.map((f) => FIELD_NAMES[f] ?? f).join(", ")}${dueChange(c)}`);
    }
    if (changed.length > 10) lines.push(`  … và ${changed.length - 10} nhiệm vụ khác.`);
    const plain = removed.filter((t) => !reported.has(t.code));
    for (const t of plain.slice(0, 10)) lines.push(`  🗑 ${t.code}: ${t.title}`);
    if (plain.length > 10) lines.push(`  … và ${plain.length - 10} nhiệm vụ khác.`);
  }
  if (reported.size) {
    // Every one: reports leaving follow-up are checked before anything is written.
    lines.push("", `⚠️ Bỏ nhiệm vụ ĐÃ CÓ BÁO CÁO (${reported.size}) — báo cáo vẫn lưu trong dữ liệu nhưng nhiệm vụ thôi được theo dõi:`);
    for (const r of reported.values()) {
      lines.push(`  🗑 ${r.code}: ${r.title} — ${r.reports.map((x) => `${name([x.agencyId])}: ${x.text}`).join("; ")}`);
    }
  }
  if (reassigned.length) {
    // Every one, however many: work moving between agencies is checked before it is written.
    const handovers = new Map((preview.diff.handovers ?? []).map((h) => [h.code, h]));
    lines.push("", `⚠️ Giao lại cho cơ quan khác (${reassigned.length}) — kiểm tra trước khi nạp:`);
    for (const r of reassigned) {
      const h = handovers.get(r.code);
      const newcomers = r.to.filter((id) => !r.from.includes(id));
      let what = "";
      if (h?.done) what = newcomers.length ? ` — đã xong: ${name(newcomers)} nhận phần ghi là đã xong, không nhắc` : " — đã xong";
      else if (h) {
        const parts = [
          ...h.kept.map((k) => `phần của ${name([k.agencyId])} (${k.text}) giữ lại`),
          ...(h.moved.length ? [`${name(h.moved)} chưa báo cáo: chuyển hẳn`] : []),
          ...(newcomers.length && h.kept.length ? [`${name(newcomers)} nhận phần mới, từ 0 %`] : []),
        ];
        if (parts.length) what = ` — ${parts.join("; ")}`;
      }
      lines.push(`  🔀 ${r.code}: ${name(r.from)} → ${name(r.to)}${what}`);
    }
  }
  if (conflicts.length) {
    lines.push("", `⚠️ Kế hoạch mới đổi chỗ quản trị viên đã sửa (${conflicts.length}) — lấy theo kế hoạch; sửa lại bằng /sua nếu cần:`);
    for (const c of conflicts.slice(0, 10))
      lines.push(`  ${c.code} ${MERGED_FIELDS[c.field]}: kế hoạch «${shorten(c.plan, 60)}», đã sửa «${shorten(c.admin, 60)}»`);
    if (conflicts.length > 10) lines.push(`  … và ${conflicts.length - 10} chỗ khác.`);
  }
  const fresh = newAgencies(preview, directory);
  if (fresh.length) {
    const how = via === "cli" ? "chạy lại với --add-agencies" : `bấm «➕ Nạp và thêm ${fresh.length} cơ quan»`;
    lines.push(
      "",
      `Cơ quan chưa có trong danh mục (${fresh.length}) — ${how} để thêm tất cả, hoặc gán từng tên vào cơ quan đã có bằng /bidanh <tên> = <mã>:`,
    );
    for (const a of fresh.slice(0, 12)) lines.push(`• «${a.name}» → mã mới ${a.id} (dòng ${rowsOf(preview, a.name)})`);
    if (fresh.length > 12) lines.push(`… và ${fresh.length - 12} tên khác.`);
  }
  const compound = compoundNames(preview, directory);
  if (compound.length) {
    lines.push(
      "",
      `Tên gộp nhiều cơ quan (${compound.length}) — chưa giao cho ai; gán bằng /bidanh <tên> = <mã> hoặc sửa bằng /sua <mã nv> chutri …:`,
    );
    for (const c of compound.slice(0, 8)) lines.push(`• «${c.name}» (có: ${c.mentions.join(", ")}; dòng ${c.rows.slice(0, 5).join(", ")})`);
  }
  if (preview.warnings.length) {
    // The same message on many rows reads as one line with the rows; a row is counted once per message.
    const groups = new Map<string, typeof preview.warnings>();
    const seen = new Set<string>();
    for (const w of preview.warnings) {
      const key = `${w.row}\u0000${w.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const group = groups.get(w.message);
      if (group) group.push(w);
      else groups.set(w.message, [w]);
    }
    lines.push("", `Cảnh báo (${seen.size}):`);
    let shown = 0;
    for (const [message, rows] of groups) {
      if (shown++ >= maxWarnings) break;
      if (rows.length === 1) lines.push(`• dòng ${rows[0].row}: ${message}${rows[0].text ? ` — «${rows[0].text.slice(0, 80)}»` : ""}`);
      else
        lines.push(
          `• ${message} — ${rows.length} dòng: ${rows
            .slice(0, 12)
            .map((r) => r.row)
            .join(", ")}${rows.length > 12 ? "…" : ""}`,
        );
    }
    if (groups.size > maxWarnings) lines.push(`… và ${groups.size - maxWarnings} loại cảnh báo khác.`);
  }
  return lines.join("\n");
}

/**
 * The message after a commit, true to what was written: the counts, whether the reports of the
 * tasks still in the plan were kept, and the removed tasks whose reports left follow-up.
 */
export function importDoneText(plan: { title: string; number: string | null }, result: Omit<CommitResult, "agencies" | "planId">): string {
  const lines = [`✅ Đã nạp ${planLabel(plan)}: thêm ${result.added}, sửa ${result.changed}, bỏ ${result.removed} nhiệm vụ.`];
  if (result.keptWithReports) lines.push(`Báo cáo đã có của ${result.keptWithReports} nhiệm vụ còn trong kế hoạch được giữ nguyên.`);
  const gone = result.removedWithReports;
  if (gone.length) {
    lines.push(
      `⚠️ ${gone.length} nhiệm vụ bị bỏ đã có báo cáo (${gone.join(", ")}): báo cáo vẫn lưu trong dữ liệu nhưng không còn được theo dõi.`,
    );
  }
  return lines.join(" ");
}
