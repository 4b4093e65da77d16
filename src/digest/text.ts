/** The digest in words: a summary that fits one phone screen, and the detail on request. */
import { toVnDay } from "../core/calendar.ts";
import type { ReformArea } from "../core/schemas.ts";
import { shorten, viDate } from "../core/text.ts";
import { AREA_NAMES } from "../core/labels.ts";
import { completion, dated, done, type Counters, type Digest, type DigestState } from "./figures.ts";

/** Vietnamese names of the states, as the report and the task sheet write them. */
export const STATE_NAMES: Record<DigestState, string> = {
  doneOnTime: "Hoàn thành đúng hạn",
  doneLate: "Hoàn thành quá hạn",
  openOnTime: "Chưa hoàn thành – trong hạn",
  openOverdue: "Chưa hoàn thành – quá hạn",
  continuousReported: "Thường xuyên – đã báo cáo",
  continuousMissing: "Thường xuyên – chưa báo cáo",
  conditional: "Chờ điều kiện",
};

/** A reform area's name as people read it. */
export const areaName = (area: ReformArea): string => AREA_NAMES[area];

/** `48%`; rounded to a whole percent. */
export const pct = (value: number | null): string => (value === null ? "—" : `${Math.round(value)}%`);

/** What the completion rate counts (figures.ts `completion`), in the words every output uses. */
export const COMPLETION_BASIS =
  "số hoàn thành / số phải hoàn thành trong kỳ (đã hoàn thành + chưa hoàn thành; không tính nhiệm vụ thường xuyên và nhiệm vụ chờ điều kiện; tiến độ 100% chưa báo /xong là chưa hoàn thành)";

/** The completion rate as every output writes it: `36% (5/14)`; `—` when nothing is done or open. */
export function completionText(c: Counters): string {
  return dated(c) === 0 ? "—" : `${pct(completion(c))} (${done(c)}/${dated(c)})`;
}

/** How an open share at 100 % progress reads: one /xong away, not plain work in progress. */
export const AWAITING_DONE = "100% — chờ báo hoàn thành";

/** `trễ 3 ngày làm việc` — lateness is always in working days (figures.ts). */
export const lateText = (workingDays: number): string => `trễ ${workingDays} ngày làm việc`;

/** `01/04–30/06/2021` */
export function spanText(from: string, to: string): string {
  return from.slice(0, 4) === to.slice(0, 4) ? `${viDate(from).slice(0, 5)}–${viDate(to)}` : `${viDate(from)}–${viDate(to)}`;
}

/** Who the figures are about: "Toàn tỉnh", "Sở Tư pháp", "… · Cải cách thể chế". */
export function scopeLabel(d: Digest, agencyName?: string): string {
  const who = d.filter.agencyId ? (agencyName ?? d.byAgency[0]?.name ?? d.filter.agencyId) : "Toàn tỉnh";
  return d.filter.area ? `${who} · ${areaName(d.filter.area)}` : who;
}

/** The counts by state; no percentage of their own (the one rate is `completionText`'s). */
function countLines(c: Counters, indent = ""): string[] {
  const waiting = c.awaitingDone ? ` (${c.awaitingDone} đã đạt 100%, chờ báo hoàn thành)` : "";
  const lines = [
    `${indent}✅ Hoàn thành: ${done(c)} — đúng hạn ${c.doneOnTime}, quá hạn ${c.doneLate}`,
    `${indent}⏳ Chưa hoàn thành: ${c.openOnTime + c.openOverdue} — trong hạn ${c.openOnTime}, quá hạn ${c.openOverdue}${waiting}`,
  ];
  if (c.continuousReported + c.continuousMissing)
    lines.push(`${indent}🔁 Thường xuyên: đã báo cáo ${c.continuousReported}, chưa báo cáo ${c.continuousMissing}`);
  if (c.conditional) lines.push(`${indent}⏸ Chờ điều kiện: ${c.conditional}`);
  return lines;
}

/**
 * The short summary: about 10 lines, ≤ ~700 characters whatever the plan's size.
 * `more` is the command that shows the detail (`/tongket quy 2 chitiet`).
 */
export function summaryText(d: Digest, options: { title?: string; agencyName?: string; more?: string } = {}): string {
  const t = d.totals;
  const lines = [
    `📊 ${options.title ?? "TỔNG KẾT CCHC"} — ${d.period.label} (${spanText(d.period.from, d.period.to)})`,
    `${scopeLabel(d, options.agencyName)} · số liệu đến ${viDate(d.at)}`,
  ];
  if (t.tasks === 0) {
    lines.push("Không có nhiệm vụ nào trong kỳ này.");
    return lines.join("\n");
  }
  lines.push(`Tổng số nhiệm vụ: ${t.tasks} · tỷ lệ hoàn thành ${completionText(t)}`, ...countLines(t));
  if (!d.filter.agencyId) {
    const worst = d.byAgency.filter((r) => r.openOverdue > 0).slice(0, 3);
    if (worst.length) lines.push(`🔴 Quá hạn nhiều nhất: ${worst.map((r) => `${shorten(r.name, 32)} (${r.openOverdue})`).join(", ")}`);
  } else if (d.overdue.length) {
    lines.push(
      `🔴 Quá hạn: ${d.overdue
        .slice(0, 5)
        .map((o) => o.code)
        .join(", ")}${d.overdue.length > 5 ? "…" : ""}`,
    );
  }
  const extra = [
    d.blockers.length ? `⚠️ Vướng mắc trong kỳ: ${d.blockers.length}` : "",
    d.extensionsGranted.length ? `🗓 Gia hạn đã duyệt: ${d.extensionsGranted.length}` : "",
  ].filter(Boolean);
  if (extra.length) lines.push(extra.join(" · "));
  if (options.more) lines.push(`Xem chi tiết: ${options.more}`);
  return lines.join("\n");
}

function agencyLine(i: number, r: Counters & { name: string }): string {
  const parts = [`${i}. ${r.name}: ${r.tasks} nhiệm vụ`];
  if (dated(r)) parts.push(`hoàn thành ${completionText(r)}`);
  if (r.openOverdue) parts.push(`quá hạn ${r.openOverdue}`);
  if (r.doneLate) parts.push(`xong trễ ${r.doneLate}`);
  if (r.continuousMissing) parts.push(`chưa báo cáo ${r.continuousMissing}`);
  if (r.conditional) parts.push(`chờ điều kiện ${r.conditional}`);
  return parts.join(" · ");
}

/** Everything: by agency, by area, overdue items, blockers, extensions (may need splitting). */
export function detailText(d: Digest, options: { agencyName?: string } = {}): string {
  const lines = [
    `📋 CHI TIẾT — ${d.period.label} (${spanText(d.period.from, d.period.to)}) — ${scopeLabel(d, options.agencyName)}`,
    `Số liệu đến ${viDate(d.at)}.`,
  ];
  if (d.totals.tasks === 0) return [...lines, "Không có nhiệm vụ nào trong kỳ này."].join("\n");
  lines.push(
    "",
    `Tổng: ${d.totals.tasks} nhiệm vụ · tỷ lệ hoàn thành ${completionText(d.totals)}`,
    ...countLines(d.totals, "  "),
    `  (Tỷ lệ hoàn thành = ${COMPLETION_BASIS}.)`,
  );
  if (!d.filter.agencyId) {
    lines.push("", "THEO CƠ QUAN (quá hạn nhiều trước):");
    lines.push(...d.byAgency.map((r, i) => agencyLine(i + 1, r)));
  }
  lines.push("", "THEO LĨNH VỰC:");
  lines.push(...d.byArea.map((r, i) => agencyLine(i + 1, { ...r, name: areaName(r.area) })));
  lines.push("", `QUÁ HẠN (${d.overdue.length}):`);
  if (d.overdue.length === 0) lines.push("Không có.");
  for (const o of d.overdue) {
    const waiting = o.awaitingDone ? ` — ${AWAITING_DONE}` : "";
    lines.push(`• ${o.code} — ${o.name} — hạn ${viDate(o.due)}, ${lateText(o.workingDaysLate)}${waiting} — ${shorten(o.title, 70)}`);
  }
  lines.push("", `VƯỚNG MẮC ĐÃ BÁO TRONG KỲ (${d.blockers.length}):`);
  if (d.blockers.length === 0) lines.push("Không có.");
  for (const b of d.blockers) lines.push(`• ${b.code} — ${b.name} (${viDate(toVnDay(new Date(b.at)))}): «${shorten(b.text, 120)}»`);
  lines.push("", `GIA HẠN ĐÃ DUYỆT TRONG KỲ (${d.extensionsGranted.length}):`);
  if (d.extensionsGranted.length === 0) lines.push("Không có.");
  for (const x of d.extensionsGranted) lines.push(`• ${x.code} — ${x.name}: ${viDate(x.originalDue)} → ${viDate(x.newDue)}`);
  return lines.join("\n");
}
