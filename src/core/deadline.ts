/**
 * Deadline phrase → Deadline. The contract is ../shared/spec/deadline-phrases.md; this
 * module is pure (no clock, no files, no network).
 *
 * How it reads a phrase:
 *  1. prepare: strip HTML tags / `**`, mark a line break that starts a new bullet ("\n- ")
 *     as a separator, fold whitespace (`squash`) and build a same-length matching key
 *     (lower case, no diacritics, `fold` per character) so spans found in the key cut the
 *     original text exactly (labels and conditions keep their Vietnamese spelling);
 *  2. scan: at each word, try the phrase families (quarter list, quarter range, month, month
 *     range, date, year, year range, recurrence, continuous, …) — one small reader per
 *     family; then a day, month or quarter without a year next to "hằng năm" becomes one
 *     yearly expression;
 *  3. split into parts at `;`, `.`, `+`, bullet line breaks and `và` (a `và` splits only
 *     between two time expressions), never inside a time expression (so `Tháng 3 - đến
 *     tháng 11/2022` and `Quý I và quý II` stay whole);
 *  4. per part: conditional (starts with "sau khi", "khi", "theo", "đúng tiến độ" …) or its
 *     time expressions plus the words around them as labels;
 *  5. lend years (nearest expression with a year, else the first year of the plan's period
 *     — a yearly plan's period is its plan year), build milestones, sort and de-duplicate,
 *     pick kind/recurrence/condition, collect warnings.
 * It runs in time linear in the cell's length (no backtracking regex, no pairwise search),
 * so a pasted 5,000-character cell costs milliseconds.
 *
 * Phrases beyond the contract (real phrases from ../shared/plans) and the choice made:
 *  - "Tháng 1/2021", "Tháng 01/2021", "Tháng 02/2021": month without a leading zero or
 *    with one; February ends on its real last day (28/29).
 *  - "Xây dựng, trình kế hoạch trong tháng 01/2021", "Trình trong tháng 12/2020": the words
 *    around the time expression become the label ("Xây dựng, trình kế hoạch", "Trình") —
 *    also for a phrase of one part; "trong"/"vào" before a time expression belong to it.
 *  - "Thực hiện trong năm." → {plan-year-end, label "Thực hiện"} (same label rule).
 *  - "tháng 12 năm 2022 báo cáo …" (Quảng Ngãi): "tháng M năm Y" read like "Tháng M/Y".
 *  - "Quý I, Quý II năm 2022", "Quý III, Quý IV năm 2022", "Quý I, IV năm 2021",
 *    "Quý II, III": a quarter list may repeat "Quý" and join with ",", "+", "và".
 *  - "Quý I ban hành Kế hoạch; báo cáo kết quả thực hiện vào Quý IV năm 2022": Quý I takes
 *    2022 from the later part (nearest part with a year; on a tie the earlier one wins).
 *  - "Quý I năm 2022 ban hành kế hoạch; báo cáo kết quả thực hiện.",
 *    "… (trừ kiểm tra đột xuất); báo cáo kết quả thực hiện.",
 *    "Định kỳ báo cáo …; UBND cấp huyện (qua Phòng Tư pháp …).": a part with no time
 *    expression (an activity without its own date) adds nothing and is not an error; the
 *    phrase is still read from its other parts. The kind "of the first part" means the
 *    first part that was understood. If such a leftover looks like a broken date
 *    ("quý V", "tháng 13/2021", "ngày 31/02/2021") a warning says which part was not read.
 *  - "Quý I năm 2022 ban hành Kế hoạch và triển khai thực hiện theo kế hoạch; …",
 *    "Quý II năm 2022 lập và trình phê duyệt dự án; …": `và` with no time expression after
 *    it joins words, it does not split; the label keeps "và …".
 *  - "Quý I năm 2022 ban hành kế hoạch và triển khai trong năm; …": split at `và`, giving
 *    {Q1 end, "ban hành kế hoạch"} and {year end, "triển khai"}.
 *  - "Quý I năm 2022 ban hành kế hoạch; định kỳ theo quy định báo cáo …": "định kỳ" with
 *    no cycle → recurrence quarterly (the "theo quy định" after it is only a label).
 *  - "Thường xuyên trong năm; định kỳ báo cáo kết quả thực hiện." → continuous, quarterly.
 *  - "Thường xuyên trong năm. Trong năm 2022 hoàn thành phê duyệt lại Đề án …" → period
 *    {2022-12-31, "hoàn thành phê duyệt lại Đề án …"} (the only dated part decides).
 *  - "Thường xuyên, định kỳ" (Cà Mau bullets) → continuous, recurrence quarterly.
 *  - "Hằng quý và báo cáo kết quả thực hiện." → the four quarter ends, each labelled
 *    "báo cáo kết quả thực hiện".
 *  - "Theo Kế hoạch số 169/KH-UBND ngày 09/12/2021 … thực hiện trong năm 2022.",
 *    "Theo giai đoạn ổn định", "Đúng tiến độ đã được cấp có thẩm quyền giao.": a part that
 *    starts with a condition word is conditional as a whole — dates inside it are part of
 *    the condition, not milestones; `condition` is the part without trailing punctuation.
 *  - "Quý I/2021 ban hành các Kế hoạch; …" in the 2022 plan signed 23/12/2021: read as
 *    written (2021-03-31), with the "before the signing date" warning.
 *  - "… gửi kế hoạch về UBND tỉnh (qua Sở Nội vụ) chậm nhất ngày 15/5/2025" (Cà Mau):
 *    date 2025-05-15, label = the words before.
 *  - Scraped cells: a line break inside a phrase ("Quý I năm\n2022.", "- Ban\nhành tháng
 *    12/2020;") is word wrapping, so only a line break followed by a bullet ("-", "+",
 *    "•") separates parts; `<b>` tags and `**` are ignored.
 *  - "Tháng 11/2021 - tháng 2/2022", "từ tháng 3 đến tháng 11/2022": ranges may carry a
 *    year on both ends; a range without years that wraps (11 → 2) starts the year before.
 *  - "ngày 15/02" (no year) takes the lent year like any other part.
 *  - Two milestones on the same day are merged; their labels are joined with "; ".
 *
 * Plans that span several years (contract section of that name; Đồng Nai, Hà Nội, Lai Châu):
 *  - `ctx.period` absent means a yearly plan (period planYear..planYear), so a yearly plan
 *    reads as before except for the phrases below (e.g. "Tháng 12 hằng năm" is now period,
 *    "Hằng năm, trước ngày 15/12" only 12-14, "Quý IV - 2025" is 2025, not the plan year's
 *    Q4 labelled "2025"); a period written backwards is turned round. Where the
 *    contract says "plan year" the parser uses the period: a part without a year takes its
 *    first year, and a written year fits when first-1 <= year <= last+1 (the warning then
 *    names "giai đoạn kế hoạch 2026–2030").
 *  - Year ranges "2026 - 2030", "2026–2030", "Năm 2025 - 2026", "Giai đoạn 2026-2030",
 *    "Thời kỳ …", "từ năm 2026 đến năm 2030", "2026 đến 2030": one milestone {start Y1-01-01,
 *    due Y2-12-31}, recurrence annual. Without "trong"/"từ" before it a range counts only
 *    where a part starts: "Quý I/2026 ban hành Kế hoạch giai đoạn 2026-2030" is one
 *    milestone whose label keeps "Kế hoạch giai đoạn 2026-2030" (the "2030" after the dash
 *    is no year alone), while "Thực hiện trong giai đoạn 2026 - 2030" is the range
 *    labelled "Thực hiện". A range lends no year (parts without one take the period's first
 *    year); "2026-2026" is the year 2026; "2030-2026" is not read (reported).
 *  - A year written alone ("2026", "**2025**", "2026.") is a deadline only as a whole part
 *    (or before "và các năm tiếp theo"), and only 1900–2199: "2026 ban hành", "Báo cáo 2020"
 *    and "báo cáo năm 2020" are unknown and reported, never a guessed year.
 *  - Quarter ranges "Quý IV/2025 - Quý II/2026", "Quý III/2025 đến Quý I/2026", "từ Quý II
 *    đến Quý IV", "Quý I - II/2026": {start of the first quarter, end of the last}, read like
 *    month ranges (a range without years that wraps, "Quý IV - Quý I/2022", starts the year
 *    before). A dash across a bullet line break separates ("- Quý I\n- Quý IV" is two parts).
 *  - "Quí" is "Quý"; a dash may stand before the year of a quarter or a month ("Quí IV-2025",
 *    "Quý IV - 2025", "Tháng 12-2025"); "Quý III Năm 2026" is "Quý III năm 2026".
 *  - "… và các năm tiếp theo" ("những năm tiếp theo", "các năm sau"): recurrence annual and no
 *    milestone of its own, so the first year stays the only milestone. Only as a part of its
 *    own (after "và" or a separator): "lập kế hoạch cho các năm tiếp theo" is just a label.
 *  - A plain "Hằng năm"/"Hàng năm"/"Định kỳ hằng năm" gives 12-31 of every year of the period;
 *    when a year is written next to it (in its part or the nearest one) it covers that year
 *    to the period's end — "Quý I/2026 ban hành kế hoạch; hằng năm báo cáo" (2026-2030) is
 *    03-31-2026 plus 12-31 of 2026…2030 labelled "báo cáo" — and a written year outside the
 *    period gives that year only (so a yearly plan keeps exactly its one 12-31, as before).
 *  - "Tháng 12 hằng năm", "Hằng năm, trước ngày 15/12", also "Quý IV hằng năm", "trước ngày
 *    15/11 hằng năm": a day, month or quarter without a year joined to "hằng năm" by spaces,
 *    a comma or a colon is that day in each of those years, recurrence annual.
 *  - "Hằng quý", "Hằng tháng", "6 tháng một lần" in a multi-year plan list the year they take
 *    (the period's first year) only: the contract spreads only "Hằng năm" over the period;
 *    the recurrence carries the cycle on.
 *  - "Thường xuyên" followed (after a space, a comma or "và") by a cycle is continuous with
 *    that cycle: "Thường xuyên, định kỳ hằng quý báo cáo …" quarterly, "Thường xuyên, hằng
 *    năm" annual, "Thường xuyên, định kỳ 6 tháng" semiannual, "… định kỳ" quarterly. With
 *    ";" between them they are two parts ("Thường xuyên; hằng năm" has the 12-31 milestones).
 *  - "Khi có phát sinh", "Theo tiến độ xây dựng dự thảo …", "Theo lộ trình, hướng dẫn của
 *    Bộ": the condition words as before; the comma does not split a part.
 *
 * More phrases beyond the contract (2024 plans: Thạch Thất, Lạng Sơn, Gia Lai, Hải Dương,
 * Nghệ An) and the choice made — each read like the contract phrase it resolves to:
 *  - "Cuối năm 2024", "cuối năm", "vào cuối năm nay": the year's end, period (like "Năm
 *    2024"); also inside words ("Kỳ họp thường lệ cuối năm 2024 của HĐND tỉnh" → 2024-12-31
 *    labelled "Kỳ họp thường lệ của HĐND tỉnh"). "Cuối năm học …" is no calendar year: not read.
 *  - "Cuối quý II/2024" → the quarter's end (period, as "Quý II/2024"); "cuối tháng 6/2024"
 *    → the month's end (date); "cuối" belongs to the expression, so it is no label.
 *  - "Đầu …" = within the first month of what it names, due that month's last day, read like
 *    "Tháng M" (kind date): "Đầu quý II/2024" → 2024-04-30 (a list "Đầu quý I, III" → 01-31,
 *    07-31), "Đầu năm 2024" → 2024-01-31. "Đầu tháng 5/2024" is too vague to name a day
 *    (the 5th? the 10th?): it stays the month's end, 2024-05-31, like "Tháng 5/2024".
 *    Before or inside a range ("từ đầu tháng 3 đến cuối tháng 5/2024", "Cuối quý II-III")
 *    "đầu"/"cuối" change nothing: the range is read as written.
 *  - "6 tháng đầu năm 2024" → 2024-06-30, "9 tháng đầu năm" → 09-30 ("N tháng đầu năm": the
 *    end of month N, N 1–12; also "sáu", "ba", "chín"); "6 tháng cuối năm 2024" → 12-31.
 *    Period, no start (like "Năm 2024"; the key for Thạch Thất has none). Not "6 tháng một
 *    lần" (semiannual), not "… năm học"; "15 tháng đầu năm", "quý đầu năm", "tuần đầu năm"
 *    are not read (reported), never "đầu năm".
 *  - "đầu", "cuối", "sáu", "chín" must be written so: the key folds "phấn đấu năm 2025" to
 *    the same letters as "đầu năm 2025", which is no deadline (`spelt`).
 *  - "Trước 30/6/2024", "trước 15/02", "chậm nhất 31/3" (no "ngày"): like "Trước ngày …" (the
 *    day before) / "Chậm nhất ngày …". A bare "31/12/2024" is that day (date); a bare "15/02"
 *    without a year or a "trước"/"chậm nhất"/"hạn" is not read (a number, not a deadline).
 *  - Month lists "Tháng 10, 11/2024", "tháng 6 và tháng 12/2024", "Tháng 6 và 12/2024",
 *    "tháng 6, 9 và 12/2024": one milestone per month (period), the year written after the
 *    last month lent to all; a list that wraps ("tháng 11, 12, 1/2025") starts the year
 *    before. "Tháng 6/2024, tháng 12/2024" is two month expressions, same result. A number
 *    that is no month ("tháng 10, 15") or a list running into a range ("Tháng 3, 4-5/2024")
 *    is no list.
 *  - Quarter ranges with one year, "Quý II-III/2024", "Quý I - Quý II/2024": the contract's
 *    range (start of the first, end of the last); "Quý I, II/2024" stays a list.
 *  - "Tháng 3-4/2024 và tháng 7-8/2024", "Tháng 3-4 và tháng 7-8/2024": two range
 *    milestones (the `và` splits between them; the first takes the written year).
 *  - "Trước ngày 10/15 của tháng cuối quý" (the 10th or the 15th?) is not read: unknown and
 *    reported, never a guessed day nor "10/15" read as a date.
 *
 * Phrases of 2025 plans (Sóc Trăng, Bạc Liêu, Đắk Lắk), read like the contract phrase they resolve to:
 *  - "6 tháng, năm", "Báo cáo quý, 6 tháng, năm", "định kỳ tháng, quý, năm": a list of report
 *    periods is each period's report — the half-year's 06-30, the year's 12-31, the quarter
 *    ends, the month ends — like "6 tháng một lần" / "Hằng quý"; the shortest cycle named is
 *    the recurrence ("6 tháng, năm": 06-30 and 12-31, semiannual). Two periods or more: "6
 *    tháng" alone is a span (not read), "ngày, tháng, năm" is no deadline.
 *  - "Trong vòng 5 ngày sau khi có quyết định của Bộ", "Trong thời hạn 10 ngày làm việc kể từ
 *    ngày nhận đủ hồ sơ": a span counted from an event is conditional as a whole, like "Sau khi
 *    có Quyết định của Bộ Nội vụ" (condition = the phrase). Counted from a written date ("kể từ
 *    ngày 01/7/2025") it is not a condition.
 */
import type { Deadline, DeadlineKind, Milestone, Recurrence } from "./schemas.ts";
import { fold, squash } from "./text.ts";
import { quarterEnd, quarterStart } from "./calendar.ts";

export type DeadlineWarning = { message: string }; // Vietnamese message for the admin
export type DeadlineContext = {
  /** The year the plan is for (from its title, or set by the admin). */
  planYear: number;
  /**
   * A multi-year plan's period, first..last year ("giai đoạn 2026-2030"). Absent: a yearly
   * plan, whose period is planYear..planYear.
   */
  period?: { first: number; last: number };
  signed?: string | null /* YYYY-MM-DD */;
};

// ---------------------------------------------------------------- calendar helpers

const pad = (n: number) => String(n).padStart(2, "0");
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const monthEnd = (y: number, m: number) => iso(y, m, lastDay(y, m));

/** The day before y-m-d (d may be one past the month's end: "before the 31st" of June). */
function dayBefore(y: number, m: number, d: number): string {
  const t = new Date(Date.UTC(y, m - 1, d - 1));
  return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

const validMonth = (m: number) => m >= 1 && m <= 12;
const validDay = (y: number, m: number, d: number) => validMonth(m) && d >= 1 && d <= lastDay(y, m);

/** `2020-12-31` → `31/12/2020`. */
const vnDate = (day: string) => day.split("-").reverse().join("/");

// ---------------------------------------------------------------- text preparation

const BULLET_BREAK = "\u2063"; // invisible separator: stands for "line break + bullet"

type Prepared = {
  /** NFC, whitespace folded, tags removed, bullet breaks marked. */
  text: string;
  /** Same length as `text`: lower case, no diacritics. Matching runs on this. */
  key: string;
};

function prepare(phrase: string): Prepared {
  const marked = phrase
    .replace(/<[^>]*>/g, " ")
    .replace(/\*\*/g, " ")
    .replace(/\r?\n[ \t]*(?=[-–+•*][ \t])/g, ` ${BULLET_BREAK} `);
  const text = squash(marked);
  const key = text
    .split("")
    .map((ch) => {
      const f = fold(ch);
      return f.length === 1 ? f : ch.toLowerCase().slice(0, 1) || ch;
    })
    .join("");
  return { text, key };
}

// ---------------------------------------------------------------- phrase families

type Dated = { due: string; start?: string };

/** Where an expression's year came from, and the plan's period (first..last year). */
type YearAt = {
  /** The year was written: in the expression itself or in a neighbouring one. */
  written: boolean;
  first: number;
  last: number;
};

/** One time expression found in the phrase. */
type Reading = {
  start: number;
  end: number;
  /** date / period: adds milestones; continuous: adds none. */
  kind: "date" | "period" | "continuous";
  /** Years written in the expression (for the plan-year check). */
  years: number[];
  /** The year this expression lends to parts without one. */
  year?: number;
  recurrence?: Recurrence;
  /** A plain "hằng năm": its days repeat in every year of the period (see `everyYear`). */
  annual?: boolean;
  /** Milestone days, given the expression's own year or the one lent to it. */
  dates: (year: number, at: YearAt) => Dated[];
};

type Found = Omit<Reading, "start" | "end">;

type Family = {
  name: string;
  re: RegExp;
  /** Only at the start of a part ("Năm 2021", not "báo cáo năm 2020"). */
  partStartOnly?: boolean;
  /**
   * Only at the start of a part when this says so of the match (a prefix may lift it);
   * `text` is the original phrase, for words the key folds together ("từ" / "tử").
   */
  partStartIf?: (m: RegExpExecArray, text: string) => boolean;
  read: (m: RegExpExecArray) => Found | null;
  /**
   * Words the key folds together must be written as meant: "đầu" (not "phấn đấu"), "cuối",
   * "sáu", "chín" — see `spelt`.
   */
  spelling?: true;
};

const END = "(?![a-z0-9])";
const Q = "(?:iv|iii|ii|i|[1-4])(?![a-z0-9])";
/** A quarter number, captured. */
const QN = "(iv|iii|ii|i|[1-4])(?![a-z0-9])";
/** "Quý", also spelt "Quí". */
const QUY = "qu[yi]";
/** "/2021", "-2021", " - 2021" or " năm 2021". */
const YR = String.raw`(?:\s*[\/\-–]\s*|\s+nam\s+)(\d{4})`;
/** A plausible year written alone (not any four digits: "5000" is no year). */
const YEAR = String.raw`((?:19|20|21)\d\d)(?![a-z0-9])`;
/** Between the two ends of a range: "-", "–", "đến", "tới", "- đến". */
const RANGE = String.raw`(?:\s*[-–—]\s*(?:den\s+)?|\s+(?:den|toi)\s+)`;
/** "… và các năm tiếp theo": the first year is a milestone, later years come by the cycle. */
const FOLLOWING = String.raw`(?:cac|nhung)\s+nam\s+(?:tiep\s+theo|ke\s+tiep|sau(?:\s+do)?)${END}`;
/** What may follow a year that stands alone: the end of its part (or "và các năm tiếp theo"). */
const PART_END = String.raw`(?=\s*(?:[;+\u2063]|\.(?:\s|$)|$)|\s*,?\s*va\s+${FOLLOWING})`;
/** A repeating cycle written after "Thường xuyên": "định kỳ hằng quý", "hằng năm", "định kỳ". */
const CYCLE = String.raw`((?:dinh\s+ky\s+)?hang\s+(?:thang|quy|nam)|dinh\s+ky\s+(?:0?6|sau)\s+thang(?:\s*(?:\/|mot|1)\s*lan)?|(?:0?6|sau)\s+thang\s*(?:\/|mot|1)\s*lan|dinh\s+ky)${END}`;
/** "trong", "vào" before a time expression belong to it. */
const IN = String.raw`(?:(?:trong|vao)\s+)?`;
/** "cuối", "đầu" before a month, a quarter or a range ("cuối tháng 6/2024", "Đầu quý II"). */
const EDGE = String.raw`(?:(cuoi|dau)\s+)`;
/** "năm", "năm 2024", "năm nay" — never "năm học" (a school year is no calendar year). */
const OF_YEAR = String.raw`nam(?:\s+(\d{4})|\s+nay|(?!\s+hoc${END}))${END}`;
/** Between two months of a list: ",", "+", "&", "và", then maybe "tháng" again. */
const MONTH_SEP = String.raw`(?:\s*[,+&]\s*|\s+va\s+)(?:thang\s+)?`;
/** "6", "06", "sáu" … months counted in "6 tháng đầu năm". */
const COUNT_WORDS: Record<string, number> = { ba: 3, sau: 6, chin: 9 };
const SP = String.raw`[\s${BULLET_BREAK}]*`;

const re = (src: string) => new RegExp(src, "y");
const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
const yearsOf = (...ys: (number | undefined)[]) => ys.filter((y): y is number => y !== undefined);

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };
const quarterNumber = (s: string) => ROMAN[s] ?? Number(s);

function recurring(recurrence: Recurrence, dates: (y: number) => Dated[]) {
  return (m: RegExpExecArray): Found => {
    const year = num(m[1]);
    return { kind: "period", recurrence, years: yearsOf(year), year, dates };
  };
}

/** The recurrence a CYCLE names ("định kỳ" alone: the quarterly status cycle). */
function cycleOf(text: string): Recurrence {
  if (/hang\s+thang/.test(text)) return "monthly";
  if (/hang\s+quy/.test(text)) return "quarterly";
  if (/hang\s+nam/.test(text)) return "annual";
  if (/thang/.test(text)) return "semiannual";
  return "quarterly";
}

/**
 * The years a plain "hằng năm" covers: every year of the period — from the year written
 * next to it when that year lies in the period, else just that year. A yearly plan: its year.
 */
function everyYear(year: number, at: YearAt): number[] {
  if (!at.written) return range(at.first, at.last);
  if (year < at.first || year > at.last) return [year];
  return range(year, at.last);
}
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

const allMonths = (y: number) => Array.from({ length: 12 }, (_, i) => ({ due: monthEnd(y, i + 1) }));
const allQuarters = (y: number) => [1, 2, 3, 4].map((q) => ({ due: quarterEnd(y, q) }));
const RECUR_YEAR = String.raw`(?:\s+(?:cua\s+|trong\s+)?nam\s+(\d{4}))?`;

/**
 * One period of a list of reports ("quý, 6 tháng, năm"): the month, the quarter, the first 6
 * or 9 months, the year — never a month or quarter named by its number ("tháng 6", "quý II").
 */
const REPORT_ITEM = String.raw`(?:(?:0?6|sau|0?9|chin)\s+thang(?!\s*\d)|thang(?!\s*\d)|qu[yi](?!\s+(?:iv|iii|ii|i|\d))|nam)(?![a-z0-9])`;
/** Between the periods of such a list: ",", "&", "/", "và". */
const REPORT_SEP = String.raw`(?:\s*[,&\/]\s*(?:va\s+)?|\s+va\s+)`;

/** The milestones and the cycle of each report period ("6 tháng": the half-year report, 06-30). */
function reportPeriod(item: string): { dates: (y: number) => Dated[]; recurrence?: Recurrence } {
  const n = /^(\d+|sau|chin)\s/.exec(item);
  if (n) {
    const months = COUNT_WORDS[n[1]] ?? Number(n[1]);
    return { dates: (y) => [{ due: monthEnd(y, months) }], recurrence: months === 6 ? "semiannual" : undefined };
  }
  if (item.startsWith("thang")) return { dates: allMonths, recurrence: "monthly" };
  if (item.startsWith("qu")) return { dates: allQuarters, recurrence: "quarterly" };
  return { dates: (y) => [{ due: iso(y, 12, 31) }], recurrence: "annual" };
}
const CYCLES: Recurrence[] = ["monthly", "quarterly", "semiannual", "annual"];

const FAMILIES: Family[] = [
  {
    // "Trước ngày 22 của tháng cuối quý"
    name: "quarter-day",
    re: re(String.raw`(truoc\s+)?ngay\s+(\d{1,2})\s+(?:cua\s+)?thang\s+cuoi\s+(?:cua\s+)?(?:moi\s+|hang\s+)?quy${END}`),
    read: (m) => {
      const before = Boolean(m[1]);
      const n = Number(m[2]);
      if (n < 1 || n > 31) return null;
      return {
        kind: "period",
        recurrence: "quarterly",
        years: [],
        dates: (y) =>
          [3, 6, 9, 12].map((mo) => ({
            due: before ? dayBefore(y, mo, n) : iso(y, mo, Math.min(n, lastDay(y, mo))),
          })),
      };
    },
  },
  {
    // "Trước ngày 15/02/2021", "Chậm nhất ngày 15/5/2025", "ngày 15/5/2025", "hạn 15/5/2025",
    // "ngày 15 tháng 5 năm 2025"
    name: "date",
    re: re(
      String.raw`(?:(truoc)\s+|(?:cham\s+nhat|han\s+chot|thoi\s+han|han)\s*:?\s*(?:(?:la|vao)\s+)?)?(?:(?:vao\s+)?ngay\s+)?` +
        String.raw`(?:(\d{1,2})\s*\/\s*(\d{1,2})\s*\/\s*(\d{4})|(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4}))${END}`,
    ),
    read: (m) => {
      const d = Number(m[2] ?? m[5]);
      const mo = Number(m[3] ?? m[6]);
      const y = Number(m[4] ?? m[7]);
      if (!validDay(y, mo, d)) return null;
      const due = m[1] ? dayBefore(y, mo, d) : iso(y, mo, d);
      return { kind: "date", years: [y], year: y, dates: () => [{ due }] };
    },
  },
  {
    // "trước ngày 15/02", "trước 15/02", "chậm nhất 15/02" (no year: the lent year). Without
    // "ngày" only after "trước"/"chậm nhất"/"hạn": a bare "15/02" is no deadline.
    name: "day-month",
    re: re(
      String.raw`(?:(?:(truoc)\s+|(?:cham\s+nhat|han\s+chot|thoi\s+han|han)\s*:?\s*)(?:(?:vao\s+)?ngay\s+)?|(?:vao\s+)?ngay\s+)` +
        String.raw`(\d{1,2})\s*\/\s*(\d{1,2})(?![\d\/])`,
    ),
    read: (m) => {
      const d = Number(m[2]);
      const mo = Number(m[3]);
      if (!validDay(2000, mo, d)) return null; // 2000: a leap year, so 29/2 is allowed
      const before = Boolean(m[1]);
      return {
        kind: "date",
        years: [],
        dates: (y) => {
          const day = Math.min(d, lastDay(y, mo));
          return [{ due: before ? dayBefore(y, mo, day) : iso(y, mo, day) }];
        },
      };
    },
  },
  {
    // "6 tháng, năm", "quý, 6 tháng, năm", "định kỳ tháng, quý, năm", "6 tháng và năm 2025": the
    // reports of each period named — the half-year report on 06-30, the year's on 12-31, each
    // quarter's, each month's — the shortest cycle named is the recurrence. A list of two or
    // more (one alone, "6 tháng", is a span, not a report); not after "ngày" ("ngày, tháng, năm").
    name: "reports",
    spelling: true,
    re: re(String.raw`(?<!ngay\s*[,\/]?\s*)(?:(?:dinh\s+ky|hang)\s+)?${REPORT_ITEM}(?:${REPORT_SEP}${REPORT_ITEM})+(?:\s+(\d{4}))?${END}`),
    read: (m) => {
      const year = num(m[1]);
      const list = year === undefined ? m[0] : m[0].slice(0, m[0].lastIndexOf(String(year)));
      const items = [...list.matchAll(/(?:(?:0?6|sau|0?9|chin)\s+thang|thang|qu[yi]|nam)(?![a-z0-9])/g)].map((x) => reportPeriod(x[0]));
      const cycles = items.flatMap((i) => (i.recurrence ? [i.recurrence] : []));
      const recurrence = CYCLES.find((c) => cycles.includes(c));
      return {
        kind: "period",
        recurrence,
        years: yearsOf(year),
        year,
        dates: (y) => items.flatMap((i) => i.dates(y)),
      };
    },
  },
  {
    name: "monthly",
    re: re(String.raw`(?:dinh\s+ky\s+)?hang\s+thang${RECUR_YEAR}${END}`),
    read: recurring("monthly", allMonths),
  },
  {
    // "Hằng quý", "Hàng quý", "Định kỳ hằng quý"
    name: "quarterly",
    re: re(String.raw`(?:dinh\s+ky\s+)?hang\s+quy${RECUR_YEAR}${END}`),
    read: recurring("quarterly", allQuarters),
  },
  {
    // "6 tháng một lần", "06 tháng/lần", "định kỳ 6 tháng"
    name: "semiannual",
    re: re(
      String.raw`(?:dinh\s+ky\s+(?:0?6|sau)\s+thang(?:\s*(?:\/|mot|1)\s*lan)?|(?:(?:dinh\s+ky\s+)?hang\s+)?(?:0?6|sau)\s+thang\s*(?:\/|mot|1)\s*lan)${RECUR_YEAR}${END}`,
    ),
    read: recurring("semiannual", (y) => [{ due: iso(y, 6, 30) }, { due: iso(y, 12, 31) }]),
  },
  {
    // "Hằng năm", "Hàng năm", "Định kỳ hằng năm": 12-31 of every year of the period
    name: "annual",
    re: re(String.raw`(?:dinh\s+ky\s+)?hang\s+nam${END}`),
    read: () => ({
      kind: "period",
      recurrence: "annual",
      annual: true,
      years: [],
      dates: (y, at) => everyYear(y, at).map((yy) => ({ due: iso(yy, 12, 31) })),
    }),
  },
  {
    // "… và các năm tiếp theo": no milestone of its own, the yearly cycle. Only as a part
    // (after "và", a separator): "kế hoạch cho các năm tiếp theo" is a label.
    name: "following-years",
    partStartOnly: true,
    re: re(FOLLOWING),
    read: () => ({ kind: "continuous", recurrence: "annual", years: [], dates: () => [] }),
  },
  {
    // "Thường xuyên", "Thường xuyên trong năm", "Thường xuyên trong năm 2022", "Thường xuyên, định kỳ",
    // "Thường xuyên, định kỳ hằng quý", "Thường xuyên, hằng năm": continuous, the cycle is the recurrence
    name: "continuous",
    re: re(
      String.raw`thuong\s+xuyen(?:\s*,?\s*lien\s+tuc)?(?:\s*,?\s*(?:va\s+)?${CYCLE})?` +
        String.raw`(?:\s+(?:trong\s+)?(?:ca\s+)?nam(?:\s+(\d{4}))?${END})?(?:\s*,?\s*(?:va\s+)?${CYCLE})?${END}`,
    ),
    read: (m) => {
      const year = num(m[2]);
      const cycle = m[1] ?? m[3];
      return {
        kind: "continuous",
        recurrence: cycle ? cycleOf(cycle) : undefined,
        years: yearsOf(year),
        year,
        dates: () => [],
      };
    },
  },
  {
    // "Định kỳ", "định kỳ báo cáo kết quả thực hiện": no cycle named → quarterly status
    name: "periodic",
    re: re(String.raw`dinh\s+ky${END}`),
    read: () => ({ kind: "continuous", recurrence: "quarterly", years: [], dates: () => [] }),
  },
  {
    // "Tháng 04-10/2021", "Tháng 3 - đến tháng 11/2022", "từ tháng 3 đến tháng 11/2022"
    name: "month-range",
    spelling: true,
    re: re(
      String.raw`(?:(?:trong|vao|tu)\s+)?(?:(?:cuoi|dau)\s+)?thang\s+(\d{1,2})(?:${YR})?${SP}(?:-|–|den|toi)${SP}(?:den\s+)?` +
        String.raw`(?:(?:cuoi|dau)\s+)?(?:thang\s+)?(\d{1,2})(?:${YR})?(?![a-z0-9]|\s*\/)`,
    ),
    read: (m) => {
      const m1 = Number(m[1]);
      const y1 = num(m[2]);
      const m2 = Number(m[3]);
      const y2 = num(m[4]);
      if (!validMonth(m1) || !validMonth(m2)) return null;
      const wraps = m2 < m1;
      if (y1 !== undefined && y2 !== undefined && (y2 < y1 || (y2 === y1 && wraps))) return null;
      return {
        kind: "period",
        years: yearsOf(y1, y2),
        year: y2 ?? y1,
        dates: (y) => {
          const endYear = y2 ?? (y1 !== undefined ? (wraps ? y1 + 1 : y1) : y);
          const startYear = y1 ?? (wraps ? endYear - 1 : endYear);
          return [{ start: iso(startYear, m1, 1), due: monthEnd(endYear, m2) }];
        },
      };
    },
  },
  {
    // "Tháng 10, 11/2024", "tháng 6 và tháng 12/2024", "tháng 6, 9 và 12/2024": one milestone
    // per month, the year written after the last lent to all (a list that wraps, "tháng 11,
    // 12, 1/2025", starts in the year before, like a range)
    name: "months",
    spelling: true,
    re: re(
      // The list is taken whole (an atomic group: lookahead + backreference), never a shorter
      // one, and has at most 12 months (so each try is bounded and a long cell stays linear).
      String.raw`${IN}(?:(?:cuoi|dau)\s+)?thang\s+\d{1,2}(?=((?:${MONTH_SEP}\d{1,2}(?![0-9])){1,11}))\1` +
        String.raw`(?:${YR}${END}|(?![a-z0-9]|\s*[\/\-–]|${MONTH_SEP}\d))`,
    ),
    read: (m) => {
      const year = num(m[2]);
      const list = year === undefined ? m[0] : m[0].slice(0, m[0].lastIndexOf(String(year)));
      const months = [...list.matchAll(/\d{1,2}/g)].map((d) => Number(d[0]));
      if (!months.every(validMonth)) return null;
      return {
        kind: "period",
        years: yearsOf(year),
        year,
        dates: (y) => {
          // walk back from the last month: a later month smaller than an earlier one wraps
          const out: Dated[] = [];
          for (let i = months.length - 1, yy = y; i >= 0; i--) {
            if (i < months.length - 1 && months[i] > months[i + 1]) yy--;
            out.push({ due: monthEnd(yy, months[i]) });
          }
          return out.reverse();
        },
      };
    },
  },
  {
    // "Tháng 12/2020", "Trình trong tháng 12/2020", "tháng 8/2021", "tháng 12 năm 2022",
    // "cuối tháng 6/2024", "đầu tháng 5/2024" (both: the month's last day)
    name: "month",
    spelling: true,
    re: re(String.raw`${IN}(?:(?:cuoi|dau)\s+)?thang\s+(\d{1,2})(?:${YR})?(?![a-z0-9]|\s*\/)`),
    read: (m) => {
      const mo = Number(m[1]);
      const year = num(m[2]);
      if (!validMonth(mo)) return null;
      return { kind: "date", years: yearsOf(year), year, dates: (y) => [{ due: monthEnd(y, mo) }] };
    },
  },
  {
    // "Quý IV/2025 - Quý II/2026", "Quý IV/2025- Quý II/2026", "Quý III/2025 đến Quý I/2026",
    // "từ Quý II đến Quý IV": start of the first quarter, end of the last
    name: "quarter-range",
    spelling: true,
    re: re(
      String.raw`(?:(?:trong|vao|tu)\s+)?(?:(?:cuoi|dau)\s+)?${QUY}\s+${QN}(?:${YR})?${RANGE}(?:(?:cuoi|dau)\s+)?(?:${QUY}\s+)?${QN}(?:${YR})?${END}`,
    ),
    read: (m) => {
      const q1 = quarterNumber(m[1]);
      const y1 = num(m[2]);
      const q2 = quarterNumber(m[3]);
      const y2 = num(m[4]);
      const wraps = q2 < q1;
      if (y1 !== undefined && y2 !== undefined && (y2 < y1 || (y2 === y1 && q2 <= q1))) return null;
      if (y1 === undefined && y2 === undefined && q1 === q2) return null;
      return {
        kind: "period",
        years: yearsOf(y1, y2),
        year: y2 ?? y1,
        dates: (y) => {
          const endYear = y2 ?? (y1 !== undefined ? (wraps ? y1 + 1 : y1) : y);
          const startYear = y1 ?? (wraps ? endYear - 1 : endYear);
          return [{ start: quarterStart(startYear, q1), due: quarterEnd(endYear, q2) }];
        },
      };
    },
  },
  {
    // "Quý I/2021", "Quý I năm 2021", "quý II", "Quý I, II năm 2021", "Quý I, Quý II năm 2022",
    // "Quý III + Quý IV năm 2022", "Quý I, II, III, IV/2021", "Quý 1/2021", "Quí IV-2025",
    // "Cuối quý II/2024" (the quarter's end), "Đầu quý II/2024" (end of its first month: a date)
    name: "quarters",
    spelling: true,
    re: re(String.raw`${IN}${EDGE}?${QUY}\s+${Q}(?:(?:\s*[,+&]\s*|\s+va\s+)(?:${QUY}\s+)?${Q})*(?:${YR})?${END}`),
    read: (m) => {
      const early = m[1] === "dau";
      const year = num(m[2]);
      const list = year === undefined ? m[0] : m[0].slice(0, m[0].lastIndexOf(String(year)));
      const quarters = [
        ...new Set([...list.matchAll(/(?<![a-z0-9])(iv|iii|ii|i|[1-4])(?![a-z0-9])/g)].map((q) => quarterNumber(q[1]))),
      ].sort();
      if (early) {
        return {
          kind: "date",
          years: yearsOf(year),
          year,
          dates: (y) => quarters.map((q) => ({ due: monthEnd(y, 3 * q - 2) })),
        };
      }
      return {
        kind: "period",
        recurrence: quarters.length === 4 ? "quarterly" : undefined,
        years: yearsOf(year),
        year,
        dates: (y) => quarters.map((q) => ({ due: quarterEnd(y, q) })),
      };
    },
  },
  {
    // "2026 - 2030", "2026-2030", "Năm 2025 - 2026", "Giai đoạn 2026-2030", "từ năm 2026 đến năm 2030",
    // "trong giai đoạn 2026 - 2030": the whole span, one milestone, the yearly cycle asks for status.
    // Without "trong"/"từ" only where a part starts ("Kế hoạch giai đoạn 2026-2030" names a plan).
    name: "year-range",
    // "trong", or "từ" as written ("điện tử giai đoạn 2019-2020" folds to the same key)
    partStartIf: (m, text) => !m[1] || (m[1].startsWith("tu") && text.slice(m.index, m.index + 2).toLowerCase() !== "từ"),
    re: re(
      String.raw`(?:((?:trong|tu)\s+)(?:ca\s+)?)?(?:(?:giai\s+doan|thoi\s+ky|cac\s+nam)\s+)?(?:tu\s+)?(?:nam\s+)?` +
        String.raw`${YEAR}${RANGE}(?:nam\s+)?${YEAR}`,
    ),
    read: (m) => {
      const y1 = Number(m[2]);
      const y2 = Number(m[3]);
      if (y2 < y1) return null;
      if (y2 === y1) return yearEnd(y1);
      return {
        kind: "period",
        recurrence: "annual",
        years: [y1, y2],
        dates: () => [{ start: iso(y1, 1, 1), due: iso(y2, 12, 31) }],
      };
    },
  },
  {
    // "6 tháng đầu năm 2024" → 06-30, "9 tháng đầu năm" → 09-30, "6 tháng cuối năm 2024" → 12-31:
    // the part of the year it names, due at its end (no start, like "Năm 2024")
    name: "months-of-year",
    spelling: true,
    re: re(String.raw`${IN}(\d{1,2}|ba|sau|chin)\s+thang\s+(dau|cuoi)\s+(?:cua\s+)?${OF_YEAR}`),
    read: (m) => {
      const n = COUNT_WORDS[m[1]] ?? Number(m[1]);
      if (n < 1 || n > 12) return null;
      const year = num(m[3]);
      const month = m[2] === "dau" ? n : 12;
      return { kind: "period", years: yearsOf(year), year, dates: (y) => [{ due: monthEnd(y, month) }] };
    },
  },
  {
    // "Cuối năm 2024", "cuối năm" → the year's end (period, like "Năm 2024"); "Đầu năm 2024" →
    // the end of its first month (date, like "Tháng 01/2024"). Not "… tháng / quý / tuần đầu
    // năm" (a span counted from the start: read above, or not at all), not "cuối năm học".
    name: "year-edge",
    spelling: true,
    re: re(String.raw`(?<!(?:thang|qu[yi]|tuan)\s+)${IN}(cuoi|dau)\s+${OF_YEAR}`),
    read: (m) => {
      const year = num(m[2]);
      if (m[1] === "cuoi") return yearEnd(year);
      return { kind: "date", years: yearsOf(year), year, dates: (y) => [{ due: monthEnd(y, 1) }] };
    },
  },
  {
    // "Trong năm 2021", "Thực hiện trong năm", "trong cả năm"
    name: "year",
    re: re(String.raw`(?:trong|vao|ca)\s+(?:ca\s+)?nam(?:\s+(\d{4}))?${END}`),
    read: (m) => yearEnd(num(m[1])),
  },
  {
    // "Năm 2021" — only where a part starts, so "kế hoạch năm 2021" in a label is no deadline
    name: "bare-year",
    partStartOnly: true,
    re: re(String.raw`nam\s+(\d{4})${END}`),
    read: (m) => yearEnd(Number(m[1])),
  },
  {
    // "2026", "**2025**": a year alone is a deadline only as a whole part, never inside words
    // nor as the end of a range that was not read ("Kế hoạch giai đoạn 2026-2030") or of a
    // code ("ISO 9001: 2015")
    name: "lone-year",
    partStartOnly: true,
    re: re(String.raw`(?<![0-9]\s?[-–—:]\s?)${YEAR}${PART_END}`),
    read: (m) => yearEnd(Number(m[1])),
  },
];

function yearEnd(year: number | undefined): Found {
  return { kind: "period", years: yearsOf(year), year, dates: (y) => [{ due: iso(y, 12, 31) }] };
}

// ---------------------------------------------------------------- tokenizer

const isWordChar = (c: string | undefined) => c !== undefined && /[a-z0-9]/.test(c);

/** Nothing but spaces since the phrase's start, a separator, a dash, "(" or a `và`. */
function atPartStart(key: string, pos: number): boolean {
  let i = pos;
  while (i > 0 && /\s/.test(key[i - 1])) i--;
  if (i === 0) return true;
  const c = key[i - 1];
  if (";.+:(-–\u2063".includes(c)) return true;
  return i >= 2 && key[i - 2] === "v" && c === "a" && !isWordChar(key[i - 3]);
}

/** All time expressions, left to right, at word starts. */
function scan({ key, text }: Prepared): Reading[] {
  const out: Reading[] = [];
  let pos = 0;
  while (pos < key.length) {
    if (isWordChar(key[pos]) && !isWordChar(key[pos - 1])) {
      const found = readAt(key, text, pos);
      if (found) {
        out.push(found);
        pos = found.end;
        continue;
      }
    }
    pos++;
  }
  return joinAnnual(key, out);
}

/** What the key folds together, as it must be written: "phấn đấu năm 2025" is no "đầu năm". */
const SPELLING: Record<string, string> = { dau: "đầu", cuoi: "cuối", sau: "sáu", chin: "chín" };

/** Every folded word of SPELLING in the match is written as meant (key and text align). */
function spelt(m: RegExpExecArray, text: string): boolean {
  for (const w of m[0].matchAll(/(?<![a-z0-9])(dau|cuoi|sau|chin)(?![a-z0-9])/g)) {
    const at = m.index + w.index;
    if (text.slice(at, at + w[0].length).toLowerCase() !== SPELLING[w[1]]) return false;
  }
  return true;
}

function readAt(key: string, text: string, pos: number): Reading | null {
  for (const family of FAMILIES) {
    if (family.partStartOnly && !atPartStart(key, pos)) continue;
    family.re.lastIndex = pos;
    const m = family.re.exec(key);
    if (!m) continue;
    if (family.partStartIf?.(m, text) && !atPartStart(key, pos)) continue;
    if (family.spelling && !spelt(m, text)) continue;
    const found = family.read(m);
    if (found) return { ...found, start: pos, end: pos + m[0].length };
  }
  return null;
}

/**
 * "Tháng 12 hằng năm", "Hằng năm, trước ngày 15/12", "Quý IV hằng năm": a day, month or
 * quarter without a year next to a plain "hằng năm" is one expression, that day in every
 * year the "hằng năm" covers.
 */
function joinAnnual(key: string, rs: Reading[]): Reading[] {
  const dated = (r: Reading) => (r.kind === "date" || r.kind === "period") && !r.annual && !r.recurrence && r.years.length === 0;
  const close = (a: Reading, b: Reading) => /^[\s,:]*$/.test(key.slice(a.end, b.start));
  const out: Reading[] = [];
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i];
    const next = rs[i + 1];
    if (next && close(r, next) && ((r.annual && dated(next)) || (dated(r) && next.annual))) {
      const day = r.annual ? next : r;
      out.push({
        start: r.start,
        end: next.end,
        kind: "period",
        recurrence: "annual",
        annual: true,
        years: [],
        dates: (y, at) => everyYear(y, at).flatMap((yy) => day.dates(yy, at)),
      });
      i++;
      continue;
    }
    out.push(r);
  }
  return out;
}

// ---------------------------------------------------------------- parts

type Part = {
  start: number;
  end: number;
  readings: Reading[];
  /** Set for a part that is a condition as a whole ("Sau khi có …"). */
  condition?: string;
};

/** "Trong vòng 5 ngày", "trong thời hạn 10 ngày làm việc", "chậm nhất 30 ngày", "15 ngày": a span, then what it counts from. */
const SPAN =
  String.raw`(?:(?:trong\s+(?:vong|thoi\s+han|khoang)|trong|cham\s+nhat(?:\s+la)?|khong\s+qua|toi\s+da)\s+)?` +
  String.raw`\d{1,3}\s+(?:ngay|tuan|thang)(?:\s+lam\s+viec)?\s*,?\s*`;
/**
 * A part that starts with one of these waits for something (or follows another document); so
 * does a span counted from an event ("Trong vòng 5 ngày sau khi có quyết định của Bộ",
 * "Trong thời hạn 10 ngày kể từ ngày nhận được …", "30 ngày làm việc sau khi …"): its day
 * depends on when the event happens. Counted from a written date ("kể từ ngày 01/7/2025")
 * it is not one.
 */
const CONDITIONAL_START = new RegExp(
  String.raw`^(?:${SPAN}(?:(?:ke|tinh)\s+tu|tu\s+khi|sau)(?!\s+ngay\s+\d)|(?:${SPAN})?` +
    String.raw`(?:ngay\s+sau\s+khi|sau\s+khi|khi|theo|tuy\s+theo|tuy\s+thuoc|dung\s+tien\s+do|can\s+cu))(?![a-z0-9])`,
);
/** Words after a time expression that make them a condition, not a label. */
const TRAILING_CONDITION = /^(?:ngay\s+sau\s+khi|sau\s+khi|khi|tuy\s+theo|tuy\s+thuoc)(?![a-z0-9])/;

const HARD_SEPARATOR = /[;+\u2063]|\.(?=\s|$)/g;
const VA = /(?<![a-z0-9])va(?![a-z0-9])/g;

function splitParts(p: Prepared, readings: Reading[]): Part[] {
  // Readings are sorted and do not overlap: walk them alongside (linear in long cells).
  const cuts: [number, number][] = [];
  let k = 0;
  for (const m of p.key.matchAll(HARD_SEPARATOR)) {
    while (k < readings.length && readings[k].end <= m.index) k++;
    const inside = k < readings.length && readings[k].start <= m.index;
    if (!inside) cuts.push([m.index, m.index + m[0].length]);
  }
  const chunks: [number, number][] = [];
  let from = 0;
  for (const [a, b] of cuts) {
    chunks.push([from, a]);
    from = b;
  }
  chunks.push([from, p.key.length]);

  const parts: Part[] = [];
  let next = 0;
  for (const [a0, b] of chunks) {
    const a = skipJunk(p.key, a0, b);
    if (a >= b) continue;
    const own: Reading[] = [];
    while (next < readings.length && readings[next].start < a) next++;
    for (; next < readings.length && readings[next].start < b; next++) {
      if (readings[next].end <= b) own.push(readings[next]);
    }
    if (CONDITIONAL_START.test(p.key.slice(a, b))) {
      parts.push({ start: a, end: b, readings: [], condition: clean(p, a, b).text });
      continue;
    }
    // `và` splits only between two time expressions (at the last `và` between them).
    let start = a;
    let current: Reading[] = [];
    own.forEach((r, i) => {
      current.push(r);
      const next = own[i + 1];
      if (!next) return;
      const between = [...p.key.slice(r.end, next.start).matchAll(VA)].pop();
      if (!between) return;
      const at = r.end + between.index;
      parts.push({ start, end: at, readings: current });
      start = at + between[0].length;
      current = [];
    });
    parts.push({ start, end: b, readings: current });
  }
  return parts;
}

/** Skip leading bullets, punctuation and spaces. */
function skipJunk(key: string, a: number, b: number): number {
  while (a < b && /[\s\-–+•*,:;./]/.test(key[a])) a++;
  return a;
}

/** A span of the phrase without leading/trailing punctuation and dangling connectives. */
function clean(p: Prepared, a: number, b: number): { text: string; key: string } {
  for (;;) {
    const before = [a, b];
    a = skipJunk(p.key, a, b);
    while (b > a && /[\s\-–+•*,:;./]/.test(p.key[b - 1])) b--;
    const lead = /^va\s+/.exec(p.key.slice(a, b));
    if (lead) a += lead[0].length;
    const trail = /\s(?:va|trong|vao)$/.exec(p.key.slice(a, b));
    if (trail) b -= trail[0].length;
    if (before[0] === a && before[1] === b) break;
  }
  return { text: p.text.slice(a, b), key: p.key.slice(a, b) };
}

/** Words in a label that look like a date the parser did not understand. */
const DATE_LIKE = /(?<![a-z0-9])(?:qu[yi]\s+[ivx\d]|thang\s+\d|ngay\s+\d|\d{1,2}\s*\/\s*\d{1,2}\s*\/\s*\d{4}|\d{1,2}\s*\/\s*\d{4})/;

type Labelled = { reading: Reading; label?: string };
type PartReading = { labelled: Labelled[]; condition?: string; unread: string[] };

/**
 * The words around a part's time expressions. If the part starts with words
 * ("XD kế hoạch Quý I") each expression takes the words before it; otherwise
 * ("Quý I năm 2022 ban hành kế hoạch") the words after it. Words after the last
 * expression that start with "sau khi"/"khi" are the condition.
 */
function readPart(p: Prepared, part: Part): PartReading {
  const rs = part.readings;
  if (rs.length === 0) {
    const words = clean(p, part.start, part.end);
    return { labelled: [], unread: DATE_LIKE.test(words.key) ? [words.text] : [] };
  }
  const gaps = [clean(p, part.start, rs[0].start), ...rs.map((r, i) => clean(p, r.end, i + 1 < rs.length ? rs[i + 1].start : part.end))];
  const unread = gaps.filter((g) => DATE_LIKE.test(g.key)).map((g) => g.text);
  const trailing = gaps[rs.length];
  let condition: string | undefined;
  if (TRAILING_CONDITION.test(trailing.key)) {
    condition = trailing.text;
    gaps[rs.length] = { text: "", key: "" };
  }
  const beforeMode = gaps[0].text !== "";
  const labelled = rs.map((reading, i) => {
    const label = beforeMode ? [gaps[i].text, i === rs.length - 1 ? gaps[rs.length].text : ""].filter(Boolean).join(" ") : gaps[i + 1].text;
    return label ? { reading, label } : { reading };
  });
  return { labelled, condition, unread };
}

// ---------------------------------------------------------------- the parser

/** The plan's period; a yearly plan (or an unusable period) is planYear..planYear. */
function periodOf(ctx: DeadlineContext): { first: number; last: number } {
  const p = ctx.period;
  if (!p || !Number.isInteger(p.first) || !Number.isInteger(p.last)) return { first: ctx.planYear, last: ctx.planYear };
  return { first: Math.min(p.first, p.last), last: Math.max(p.first, p.last) };
}

export function parseDeadline(
  phrase: string | undefined | null,
  ctx: DeadlineContext,
): { deadline: Deadline; warnings: DeadlineWarning[] } {
  const raw = squash(phrase ?? "");
  const warnings: DeadlineWarning[] = [];
  const p = prepare(phrase ?? "");
  const parts = splitParts(p, scan(p));
  const read = parts.map((part) => (part.condition !== undefined ? null : readPart(p, part)));

  // The plan's period: a yearly plan's is its year.
  const { first, last } = periodOf(ctx);

  // Years: each expression without one takes the nearest expression's, else the period's
  // first year (a yearly plan: the plan year).
  const all = read.flatMap((r) => r?.labelled ?? []);
  // Nearest expression with a year on each side (on a tie the earlier one wins).
  const before: (number | undefined)[] = [];
  const after: (number | undefined)[] = [];
  for (let i = 0, seen: number | undefined; i < all.length; i++) {
    before[i] = seen;
    if (all[i].reading.year !== undefined) seen = i;
  }
  for (let i = all.length - 1, seen: number | undefined; i >= 0; i--) {
    after[i] = seen;
    if (all[i].reading.year !== undefined) seen = i;
  }
  const yearOf = (i: number): [number, YearAt] => {
    const l = before[i];
    const r = after[i];
    const from = all[i].reading.year !== undefined ? i : l !== undefined && (r === undefined || i - l <= r - i) ? l : r;
    if (from === undefined) return [first, { written: false, first, last }];
    return [all[from].reading.year!, { written: true, first, last }];
  };

  type Built = Milestone & { kind: DeadlineKind };
  const built: Built[] = all.flatMap(({ reading, label }, i) =>
    reading.dates(...yearOf(i)).map((d) => ({
      due: d.due,
      ...(d.start ? { start: d.start } : {}),
      ...(label ? { label } : {}),
      kind: reading.kind,
    })),
  );
  built.sort((x, y) => (x.due < y.due ? -1 : x.due > y.due ? 1 : 0));
  const merged: Built[] = [];
  const byDue = new Map<string, Built>();
  for (const m of built) {
    const same = byDue.get(m.due);
    if (!same) {
      const copy = { ...m };
      merged.push(copy);
      byDue.set(m.due, copy);
    } else if (m.label && m.label !== same.label) same.label = same.label ? `${same.label}; ${m.label}` : m.label;
  }
  const milestones: Milestone[] = merged.map(({ kind: _kind, ...m }) => m);

  // Kind: period for two or more milestones, else the kind of the one dated part, else
  // the kind of the first part that was understood.
  let kind: DeadlineKind = "unknown";
  if (merged.length >= 2) kind = "period";
  else if (merged.length === 1) kind = merged[0].kind;
  else {
    const first = parts.find((part, i) => part.condition !== undefined || (read[i]?.labelled.length ?? 0) > 0);
    if (first) kind = first.condition !== undefined ? "conditional" : "continuous";
  }

  const recurrence = all.find((l) => l.reading.recurrence)?.reading.recurrence;
  const condition = parts.find((part) => part.condition !== undefined)?.condition ?? read.find((r) => r?.condition)?.condition;

  const deadline: Deadline = {
    raw,
    kind,
    milestones,
    ...(recurrence ? { recurrence } : {}),
    ...(condition ? { condition } : {}),
  };

  // Warnings, never silence.
  if (kind === "unknown") {
    warnings.push({ message: raw ? `Không đọc được thời hạn «${raw}»` : "Không đọc được thời hạn: ô thời hạn trống" });
  } else {
    for (const text of read.flatMap((r) => r?.unread ?? [])) {
      warnings.push({ message: `Không đọc được phần «${text}» của thời hạn «${raw}»` });
    }
  }
  const years = [...new Set(all.flatMap((l) => l.reading.years))];
  for (const y of years) {
    if (y < first - 1 || y > last + 1) {
      const plan = first === last ? `năm kế hoạch ${first}` : `giai đoạn kế hoạch ${first}–${last}`;
      warnings.push({ message: `Năm ${y} lệch quá một năm so với ${plan}` });
    }
  }
  const signed = ctx.signed && /^\d{4}-\d{2}-\d{2}$/.test(ctx.signed) ? ctx.signed : null;
  if (signed) {
    for (const m of milestones) {
      if (m.due < signed) {
        warnings.push({
          message: `Mốc ${vnDate(m.due)} trước ngày ký kế hoạch ${vnDate(signed)} — coi như đã đến hạn`,
        });
      }
    }
  }
  return { deadline, warnings };
}
