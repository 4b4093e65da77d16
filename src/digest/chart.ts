/**
 * The completion chart (PNG): one horizontal bar per agency (or per area for one agency's
 * figures), split into done on time / done late / open on time / overdue, over what is
 * done or open in the period; the figure at its end is the completion rate (figures.ts
 * `completion`, written by text.ts `completionText`, as everywhere else). Drawn as SVG and rendered by resvg with the DejaVu Sans font shipped
 * in the `dejavu-fonts-ttf` package (full Vietnamese coverage; no system font is used, so
 * every machine draws the same picture).
 */
import { createRequire } from "node:module";
import path from "node:path";
import { viDate, shorten } from "../core/text.ts";
import { completion, dated, emptyCounters, type Counters, type Digest } from "./figures.ts";
import { areaName, completionText, scopeLabel } from "./text.ts";

const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
const FONTS = [path.join(FONT_DIR, "DejaVuSans.ttf"), path.join(FONT_DIR, "DejaVuSans-Bold.ttf")];

export type ChartRow = { label: string; counters: Counters };

const WIDTH = 1000;
const TOP = 124;
const ROW = 30;
const BAR = 18;
const BOTTOM = 44;
const LABEL_END = 340;
const BAR_X = 350;
const BAR_W = 520;
/** More rows than this are summed into the last one. */
export const MAX_ROWS = 60;

const SEGMENTS = [
  { key: "doneOnTime", color: "#2e7d32", label: "Hoàn thành đúng hạn" },
  { key: "doneLate", color: "#9ccc65", label: "Hoàn thành quá hạn" },
  { key: "openOnTime", color: "#b0bec5", label: "Chưa hoàn thành – trong hạn" },
  { key: "openOverdue", color: "#d32f2f", label: "Chưa hoàn thành – quá hạn" },
] as const;

/** Size in pixels of a chart of `rows` bars. */
export function chartSize(rows: number): { width: number; height: number } {
  return { width: WIDTH, height: TOP + Math.max(1, Math.min(rows, MAX_ROWS)) * ROW + BOTTOM };
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The SVG source (exported for tests and debugging). */
export function chartSvg(title: string, subtitle: string, rows: ChartRow[]): string {
  const { width, height } = chartSize(rows.length);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="24" y="38" font-size="20" font-weight="bold" fill="#1a237e">${esc(title)}</text>`,
    `<text x="24" y="64" font-size="13" fill="#555555">${esc(subtitle)}</text>`,
  ];
  let lx = 24;
  for (const s of SEGMENTS) {
    out.push(
      `<rect x="${lx}" y="82" width="14" height="14" fill="${s.color}"/>`,
      `<text x="${lx + 20}" y="94" font-size="13" fill="#333333">${esc(s.label)}</text>`,
    );
    lx += 40 + s.label.length * 7.4;
  }
  const bottom = TOP + Math.max(1, rows.length) * ROW;
  for (const p of [0, 25, 50, 75, 100]) {
    const x = BAR_X + (BAR_W * p) / 100;
    out.push(
      `<line x1="${x}" y1="${TOP - 6}" x2="${x}" y2="${bottom}" stroke="#e0e0e0"/>`,
      `<text x="${x}" y="${bottom + 18}" font-size="12" fill="#777777" text-anchor="middle">${p}%</text>`,
    );
  }
  if (rows.length === 0)
    out.push(`<text x="${BAR_X}" y="${TOP + 20}" font-size="14" fill="#777777">Không có nhiệm vụ nào trong kỳ này.</text>`);
  rows.forEach((row, i) => {
    const y = TOP + i * ROW;
    const c = row.counters;
    out.push(`<text x="${LABEL_END}" y="${y + 14}" font-size="13" fill="#212121" text-anchor="end">${esc(shorten(row.label, 42))}</text>`);
    const total = dated(c);
    if (total === 0) {
      out.push(`<text x="${BAR_X + 4}" y="${y + 14}" font-size="12" fill="#9e9e9e">không có nhiệm vụ có thời hạn</text>`);
      return;
    }
    let x = BAR_X;
    for (const s of SEGMENTS) {
      const w = (BAR_W * c[s.key]) / total;
      if (w > 0) out.push(`<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${BAR}" fill="${s.color}"/>`);
      x += w;
    }
    out.push(
      `<text x="${BAR_X + BAR_W + 10}" y="${y + 14}" font-size="13" font-weight="bold" fill="#212121">${esc(completionText(c))}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n");
}

/** The chart as PNG. resvg (a native module) is loaded on the first chart, not at start-up. */
export async function renderChart(title: string, subtitle: string, rows: ChartRow[]): Promise<Buffer> {
  const svg = chartSvg(title, subtitle, rows);
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, { font: { fontFiles: FONTS, loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" } });
  return Buffer.from(resvg.render().asPng());
}

/**
 * The digest's chart: by agency (best completion first) for the province, by area for one
 * agency's figures. Returns the PNG and its size.
 */
export async function digestChart(
  d: Digest,
  options: { agencyName?: string } = {},
): Promise<{ png: Buffer; width: number; height: number; rows: ChartRow[] }> {
  const byAgency = !d.filter.agencyId;
  let rows: ChartRow[] = byAgency
    ? d.byAgency
        .map((r) => ({ label: r.name, counters: r as Counters }))
        .sort(
          (a, b) =>
            (completion(b.counters) ?? -1) - (completion(a.counters) ?? -1) ||
            a.counters.openOverdue - b.counters.openOverdue ||
            a.label.localeCompare(b.label, "vi"),
        )
    : d.byArea.map((r) => ({ label: areaName(r.area), counters: r as Counters }));
  if (rows.length > MAX_ROWS) {
    const rest = rows.slice(MAX_ROWS - 1);
    const sum = rest.reduce((acc, r) => {
      for (const k of Object.keys(acc) as (keyof Counters)[]) acc[k] += r.counters[k];
      return acc;
    }, emptyCounters());
    rows = [...rows.slice(0, MAX_ROWS - 1), { label: `${rest.length} cơ quan khác`, counters: sum }];
  }
  const title = `Tỷ lệ hoàn thành theo ${byAgency ? "cơ quan" : "lĩnh vực"} — ${d.period.label}`;
  const subtitle = `${scopeLabel(d, options.agencyName)} · số liệu đến ${viDate(d.at)} · tỷ lệ hoàn thành = số hoàn thành / số phải hoàn thành trong kỳ`;
  return { png: await renderChart(title, subtitle, rows), ...chartSize(rows.length), rows };
}
