/**
 * What /tongket, /xuatbaocao and /bieudo share: reading `[kỳ] [cơ quan | lĩnh vực]`, the
 * scope rules, and computing the digest from the app's store and audit trail.
 *
 * Scope: the Sở Nội vụ group and a manager's (or admin's) private chat see the whole
 * province, or one agency or area they name; an agency's group sees its own figures only
 * (an area may narrow them; naming another agency is refused).
 */
import type { Directory } from "../core/agencies.ts";
import { toVnDay, vnInstant, type WorkCalendar } from "../core/calendar.ts";
import { AREA_NAMES } from "../core/labels.ts";
import { ReformArea, type IsoDay } from "../core/schemas.ts";
import { fold } from "../core/text.ts";
import { allows, type Caller } from "../domain/access.ts";
import { Refusal } from "../domain/context.ts";
import { scopeOf } from "../domain/lists.ts";
import type { Store } from "../store/types.ts";
import {
  computeDigest,
  PeriodError,
  quarterPeriod,
  readPeriod,
  type Digest,
  type DigestFilter,
  type DigestInput,
  type Period,
} from "./figures.ts";

export type DigestRequest = {
  period: Period;
  filter: DigestFilter;
  /** `chitiet` was asked for. */
  detail: boolean;
  /** The arguments written back in a canonical form (for buttons and hints), without `chitiet`. */
  args: string;
  /** The agency's name when the figures are one agency's. */
  agencyName?: string;
};

const AREA_WORDS: Record<ReformArea, string[]> = {
  "chi-dao-dieu-hanh": ["chi dao", "chi dao dieu hanh", "cddh"],
  "the-che": ["the che"],
  "thu-tuc-hanh-chinh": ["thu tuc hanh chinh", "tthc", "thu tuc"],
  "to-chuc-bo-may": ["to chuc bo may", "bo may"],
  "cong-vu": ["cong vu", "che do cong vu"],
  "tai-chinh-cong": ["tai chinh cong"],
  "chinh-quyen-so": ["chinh quyen so", "chinh quyen dien tu", "chuyen doi so", "cqs"],
  khac: ["khac"],
};

/** A reform area from its id (`the-che`) or its name, with or without diacritics. */
export function parseArea(text: string): ReformArea | null {
  const key = fold(text)
    .replace(/[-_,.]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!key) return null;
  for (const area of ReformArea.options) {
    const names = [
      area.replace(/-/g, " "),
      fold(AREA_NAMES[area])
        .replace(/[-_,.]+/g, " ")
        .replace(/\s+/g, " "),
      ...AREA_WORDS[area],
    ];
    if (names.some((n) => n === key || `cai cach ${n}` === key)) return area;
  }
  return null;
}

/** The period written so `readPeriod` reads it back: `q2/2021`, `t5/2021`, `nam 2021`, `tu … den …`. */
export function periodArgs(period: Period): string {
  const y = period.from.slice(0, 4);
  const quarter = /^Quý ([IV]+)\//.exec(period.label);
  if (quarter) return `q${["I", "II", "III", "IV"].indexOf(quarter[1]) + 1}/${y}`;
  if (period.label.startsWith("Tháng ")) return `t${Number(period.from.slice(5, 7))}/${y}`;
  if (period.label.startsWith("Năm ")) return `nam ${y}`;
  return `tu ${period.from} den ${period.to}`;
}

/** The years a period may be in (the digest's own bounds, src/digest/figures.ts). */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

/**
 * Something typed as a number (`-1`, `99999`, `2.5`, `1e3`): never an agency's id or an
 * area, so left over after the period it is a period written wrong, not an unknown agency.
 */
const NUMBERISH = /^[-+−]?[.,]?\d/;

/** Refuses (Refusal, input) a year outside FIRST_YEAR–LAST_YEAR written as `2021`, `q2/2021` or `t5/2021`. */
export function checkYears(tokens: string[]): void {
  for (const token of tokens) {
    const year = /^(?:(?:quy|q|thang|t)?[0-9ivx]{1,4}\/)?(\d{4})$/.exec(fold(token))?.[1];
    if (year && (Number(year) < FIRST_YEAR || Number(year) > LAST_YEAR))
      throw new Refusal(`Năm ${year} ngoài khoảng ${FIRST_YEAR}–${LAST_YEAR}.`, true);
  }
}

/** What is wrong with a number left over after the period: `before` is the token before it. */
function numberProblem(token: string, before: string | undefined, hadPeriod: boolean): string {
  const head = fold(before ?? "");
  if (head === "quy" || head === "q") return `Quý «${token}» không hợp lệ: quý là I–IV hoặc 1–4, ví dụ quy 2.`;
  if (head === "thang" || head === "t") return `Tháng «${token}» không hợp lệ: tháng là 1–12, ví dụ thang 5.`;
  if (hadPeriod) return `Năm «${token}» không hợp lệ: ghi năm bằng 4 chữ số, từ ${FIRST_YEAR} đến ${LAST_YEAR}, ví dụ nam 2021.`;
  return `«${token}» không phải kỳ, cơ quan hay lĩnh vực: kỳ ghi quy 2, thang 5 hoặc nam 2021.`;
}

/**
 * Reads `[kỳ] [cơ quan | lĩnh vực | cơ quan lĩnh vực] [chitiet]` for `caller`. The period
 * defaults to the quarter `today` is in. Refuses (Refusal; `input` when the arguments are
 * malformed) a period not understood (a quarter not 1–4, a month not 1–12, a year not
 * 2000–2100, a number left over such as `nam 99999`), an unknown agency, and a scope the
 * caller may not see.
 */
export function readRequest(directory: Directory, caller: Caller, args: string, today: IsoDay): DigestRequest {
  let tokens: string[] = [];
  let detail = false;
  for (const token of args.trim() ? args.trim().split(/\s+/) : []) {
    const key = fold(token);
    if (key === "chitiet" || key === "chi-tiet") detail = true;
    else if (key === "tiet" && fold(tokens[tokens.length - 1] ?? "") === "chi") {
      tokens.pop();
      detail = true;
    } else tokens.push(token);
  }

  let period: Period;
  try {
    checkYears(tokens);
    const read = readPeriod(tokens, today);
    period = read.period ?? quarterPeriod(today);
    const before = tokens[tokens.length - read.rest.length - 1];
    tokens = read.rest;
    if (tokens.length && NUMBERISH.test(tokens[0])) throw new Refusal(numberProblem(tokens[0], before, read.period !== null), true);
  } catch (error) {
    if (error instanceof PeriodError) throw new Refusal(error.message, true);
    throw error;
  }

  const rest = tokens.join(" ");
  let area: ReformArea | null = null;
  let agencyArg: string | undefined;
  if (rest) {
    area = parseArea(rest);
    if (!area && tokens.length > 1) {
      const tail = parseArea(tokens.slice(1).join(" "));
      if (tail && directory.get(tokens[0].toLowerCase())) {
        area = tail;
        agencyArg = tokens[0];
      }
    }
    if (!area) agencyArg = rest;
  }

  if (caller.chatKind === "private" && !allows(caller, "view-all")) {
    throw new Refusal(
      "⛔ Tổng hợp trong tin nhắn riêng chỉ dành cho lãnh đạo và cán bộ Sở Nội vụ được cấp quyền. Hãy gõ lệnh trong nhóm của cơ quan mình hoặc nhóm Sở Nội vụ.",
    );
  }
  const scope = scopeOf(directory, caller, agencyArg);
  const agencyId = scope.agencyIds?.[0];
  const filter: DigestFilter = { ...(agencyId ? { agencyId } : {}), ...(area ? { area } : {}) };
  // An agency named explicitly is written back by its id; a group's own is implied.
  const canonical = [periodArgs(period), agencyArg && agencyId ? agencyId : "", area ?? ""].filter(Boolean).join(" ");
  return { period, filter, detail, args: canonical, agencyName: agencyId ? scope.label : undefined };
}

/** The digest's input: the store's current state, its audit trail, agency names. */
export async function digestInput(store: Store, directory: Directory): Promise<DigestInput> {
  const data = store.read();
  // Only the active plans' years matter (from the year before the earliest: a 2021 plan's
  // work starts in December 2020), not years of older history.
  const years = data.plans.filter((p) => p.active).map((p) => p.period?.first ?? p.year);
  const since = years.length ? vnInstant(`${Math.min(...years) - 1}-01-01`).toISOString() : undefined;
  const events = await store.events({ since });
  const agencyNames = Object.fromEntries(directory.all().map((a) => [a.id, a.name]));
  return {
    tasks: data.tasks,
    assignments: data.assignments,
    extensionRequests: data.extensionRequests,
    plans: data.plans,
    events,
    agencyNames,
  };
}

/** The digest as of `now` (its Vietnam day) for a request. */
export async function digestFor(
  deps: { store: Store; directory: Directory; calendar: WorkCalendar },
  request: Pick<DigestRequest, "period" | "filter">,
  now: Date,
): Promise<Digest> {
  return computeDigest(await digestInput(deps.store, deps.directory), request.period, toVnDay(now), deps.calendar, request.filter);
}
