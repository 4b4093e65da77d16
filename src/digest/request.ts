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

/**
 * Reads `[kỳ] [cơ quan | lĩnh vực | cơ quan lĩnh vực] [chitiet]` for `caller`. The period
 * defaults to the quarter `today` is in. Refuses (Refusal; `input` when the arguments are
 * malformed) a period not understood, an unknown agency, and a scope the caller may not see.
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
    const read = readPeriod(tokens, today);
    period = read.period ?? quarterPeriod(today);
    tokens = read.rest;
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
