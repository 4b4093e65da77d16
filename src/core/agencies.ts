/**
 * The agency directory: resolving the names plans give to lead agencies ("Sở TT&TT",
 * "VP. UBND tỉnh", "Công an tỉnh Kiên Giang", "Các sở, ban ngành") to directory entries,
 * splitting cells that name several agencies, expanding collectives, and finding the
 * agencies a free-text sentence names.
 *
 * Pure: the data comes from data/agencies.json (see ../agencies-file.ts) plus what admins
 * add at run time.
 *
 * Matching works on a *key*: folded (no case, no diacritics), punctuation dropped, "&" and
 * "và" dropped, "Ủy ban nhân dân" → "ubnd", "Văn phòng" → "vp", "thủ tục hành chính" →
 * "tthc", a leading "Các" dropped. So "Sở VH,TT&DL", "Sở VH-TT và DL" and "sở vh tt dl"
 * share a key; so do "Các sở, ban ngành" and "Sở, ban, ngành". A name ending in "tỉnh"
 * also answers without it ("Công an"), except a trade association's ("Hiệp hội …"): those
 * exist nationally and per trade, so a bare "Hiệp hội doanh nghiệp" is not the province's.
 *
 * An alias ending in " *" ("Ban Quản lý Khu kinh tế *") matches that prefix followed by a
 * proper name ("Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp tỉnh"): the rest
 * must start with a capital letter or digit, hold no "," or ";", name no other agency (no
 * "Sở", "UBND"…, no lower-case "sở", "ngành", "xã"…, no other agency's name or alias such as
 * "STP" in it) and not end in "Việt Nam" (a national body: "Bưu điện Việt Nam" is not the
 * province's post office).
 *
 * Abbreviations need no alias: a name written as its head word and capital initials ("Sở
 * KH&CN", "Đài PT-TH", "Ban QL KKT", "Sở Nông nghiệp và PTNT") resolves to the one agency
 * whose name (or a spelled-out alias) has the same head word and initials — "và" and "các"
 * dropped, đ → d, a trailing "tỉnh" ignored. Initials two agencies share resolve to nothing
 * (an explicit alias still decides).
 *
 * Splitting a lead cell (`splitLeads`) returns the names *as written*: always at ";" and
 * bullets, never at "và" or "&", and at "," (or a line break, or " - " before a new head
 * word) only between complete, distinct names. A comma stays inside one name when
 * - the directory knows the longer name ("Sở Văn hóa, Thể thao và Du lịch");
 * - it enumerates kinds of unit: the text before it ends with a kind ("sở", "huyện", "cấp
 *   huyện", "Đại học", "Khu công nghiệp", "điểm d"…) and the text after it starts with one
 *   ("ban", "thị xã", "cấp xã", "Cao đẳng…", "khu kinh tế", "khoản 1"…) without being a new
 *   head word followed by a proper name ("Sở Tư pháp", "Ban Quản lý …");
 * - an unknown name goes on in capitals ("Phòng Văn hóa, Thể thao huyện").
 * A segment starting with a head word ("Sở", "UBND", "Ban", "Báo", "Đài"…, "Các") or with a
 * known agency, or in lower case without being a kind ("nhà đầu tư"), starts a new name.
 * A clause after a name ("… phối hợp với …", "… tiến hành rà soát …", "… theo chức năng …")
 * is cut. A name can therefore hold several agencies ("Sở Nội vụ và các cơ quan có liên
 * quan"); it resolves to nothing, and `mentions` finds the agencies inside it.
 */
import type { Agency, LeadRef } from "./schemas.ts";
import { fold, squash } from "./text.ts";

/** An agency named inside a sentence; `start`/`end` are offsets into the text (in NFC). */
export type Mention = { text: string; agencyId: string; start: number; end: number };

export type Directory = {
  /** The agency a name stands for, or null. */
  resolve(name: string): Agency | null;
  /** A lead cell naming one or several agencies → the names as written, in order. */
  splitLeads(cell: string): string[];
  /** `splitLeads`, each name resolved (null when not in the directory). */
  resolveLeads(cell: string): LeadRef[];
  /**
   * The directory agencies named inside a free-text sentence, left to right, not
   * overlapping, the longest match winning: "…, các sở, ban, ngành tỉnh xây dựng …" →
   * "các sở, ban, ngành tỉnh". A match starts at a capitalised word or at "các".
   */
  mentions(text: string): Mention[];
  /** A collective → its member ids (recursively); an agency, or a collective without members → itself. */
  expand(agencyId: string): string[];
  get(id: string): Agency | null;
  /** The agency's name, or the id itself when it is not in the directory (never throws). */
  nameOf(id: string): string;
  all(): Agency[];
  /** Candidates for what an admin typed ("tu phap", "tttt", "so-noi-vu"), best first. */
  search(text: string, limit?: number): Agency[];
};

// ---------------------------------------------------------------- keys

const PHRASES: Record<string, string> = {
  "uy ban nhan dan": "ubnd",
  "hoi dong nhan dan": "hdnd",
  "van phong": "vp",
  "thu tuc hanh chinh": "tthc",
};
const PHRASE = new RegExp(`(?<= )(?:${Object.keys(PHRASES).join("|")}|va)(?= )`, "g");

/** The matching key of a name (see the file comment). */
export function agencyKey(text: string): string {
  const k = ` ${fold(text).replace(/[^a-z0-9]+/g, " ")} `
    .replace(PHRASE, (m) => PHRASES[m] ?? "")
    .replace(/ {2,}/g, " ")
    .trim();
  return k.startsWith("cac ") ? k.slice(4) : k;
}

/** An id for a new agency: `Sở Tư pháp` → `so-tu-phap`. */
export function slugId(name: string): string {
  return fold(name)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const WILDCARD = /\s*\*$/;

/** Whether an alias is a prefix pattern ("Báo *"). */
export function isWildcardAlias(alias: string): boolean {
  return WILDCARD.test(alias.trim());
}

/**
 * Names (and aliases) of different agencies that share a key, so one of them could never
 * be resolved. Empty when the directory is consistent.
 */
export function findKeyConflicts(agencies: Agency[]): { key: string; a: { id: string; name: string }; b: { id: string; name: string } }[] {
  const seen = new Map<string, { id: string; name: string }>();
  const conflicts: { key: string; a: { id: string; name: string }; b: { id: string; name: string } }[] = [];
  for (const agency of agencies) {
    for (const name of [agency.name, ...agency.aliases]) {
      const wildcard = isWildcardAlias(name);
      const key = (wildcard ? "*" : "") + agencyKey(name.replace(WILDCARD, ""));
      if (key === "" || key === "*") continue;
      const other = seen.get(key);
      if (!other) seen.set(key, { id: agency.id, name });
      else if (other.id !== agency.id) conflicts.push({ key, a: other, b: { id: agency.id, name } });
    }
  }
  return conflicts;
}

// ---------------------------------------------------------------- abbreviations

const WORD = /[\p{L}\p{N}]+/gu;
/** A word written as capital initials: "KH", "ĐT", "PTNT", "KKT". */
const ABBR = /^[A-ZĐ]{2,6}$/u;
const words = (text: string): string[] => text.normalize("NFC").match(WORD) ?? [];
const initialOf = (word: string): string => fold(word).charAt(0);

/**
 * "Sở Khoa học và Công nghệ" → "so khcn": the head word, folded, and the initials of the
 * following words ("và", "các" dropped, a trailing "tỉnh" ignored). Null for names already
 * abbreviated ("Văn phòng UBND tỉnh") or too short to abbreviate.
 */
export function nameInitials(name: string): string | null {
  let ws = words(name);
  if (ws.length > 0 && fold(ws[0]) === "cac") ws = ws.slice(1);
  if (ws.length > 0 && fold(ws[ws.length - 1]) === "tinh") ws = ws.slice(0, -1);
  if (ws.length < 3 || ws.some((w) => /^\p{Lu}{2,}$/u.test(w))) return null;
  const rest = ws.slice(1).filter((w) => !SKIP_IN_INITIALS.has(fold(w)));
  return rest.length >= 2 ? `${fold(ws[0])} ${rest.map(initialOf).join("")}` : null;
}
const SKIP_IN_INITIALS = new Set(["va", "cac"]);

/**
 * "Sở KH&CN" → "so khcn", "Sở Nông nghiệp và PTNT" → "so nnptnt": the initials of a name
 * written with abbreviations (a spelled-out head word, then at least one capital-initials
 * word); null for anything else.
 */
export function writtenInitials(text: string): string | null {
  let ws = words(text);
  if (ws.length > 0 && fold(ws[ws.length - 1]) === "tinh") ws = ws.slice(0, -1);
  if (ws.length < 2 || ABBR.test(ws[0]) || !/^\p{Lu}/u.test(ws[0])) return null;
  const rest = ws.slice(1).filter((w) => !SKIP_IN_INITIALS.has(fold(w)));
  if (!rest.some((w) => ABBR.test(w))) return null;
  return `${fold(ws[0])} ${rest.map((w) => (ABBR.test(w) ? fold(w) : initialOf(w))).join("")}`;
}

// ---------------------------------------------------------------- text clean-up

const BULLET = /^\s*(?:[-–—+•*·]+|\d{1,2}[.)]|[a-zđ]\))\s*/iu;
const TRAILING = /[\s.,;:!?…/\\\-–—]+$/u;
const QUOTES = /^["“”'‘’«»]+|["“”'‘’«»]+$/gu;

/**
 * Lower-case words that start a clause after the agency's name: "Văn phòng UBND tỉnh phối
 * hợp với …", "Sở Khoa học và Công nghệ tiến hành rà soát …", "Các sở, ngành có liên quan
 * theo chức năng …". Case matters: "Sở Xây dựng", "Trung tâm Hướng dẫn …" are names.
 */
const CLAUSE = new RegExp(
  `\\s(?:${[
    // "phối hợp với …" is a clause; "Hội đồng phối hợp phổ biến, giáo dục pháp luật" a name.
    "phối hợp(?=\\s+(?:với|cùng)\\s|\\s*[,.;:]|\\s*$)",
    "chủ trì",
    "thực hiện",
    "tham mưu",
    "theo",
    "để",
    "có trách nhiệm",
    "chịu trách nhiệm",
    "triển khai",
    "hướng dẫn",
    "tiến hành",
    "rà soát",
    "tiếp tục",
    "nghiên cứu",
    "đề xuất",
    "kiểm tra",
    "đôn đốc",
    "cập nhật",
    "tập trung",
    "đẩy mạnh",
    "tăng cường",
    "khẩn trương",
    "làm đầu mối",
    "là cơ quan",
    "căn cứ",
  ].join("|")})(?=[\\s,.;:]|$)`,
  "u",
);

/** Capitalised words that start an agency's name (used to tell names apart). */
const HEADS = [
  "Sở",
  "UBND",
  "Ủy ban",
  "Uỷ ban",
  "Văn phòng",
  "VP",
  "Công an",
  "Thanh tra",
  "Đài",
  "Báo",
  "Trung tâm",
  "Kho bạc",
  "Cục",
  "Chi cục",
  "Bảo hiểm",
  "BHXH",
  "Bộ",
  "Ban",
  "Hội",
  "Hiệp hội",
  "Liên đoàn",
  "Liên minh",
  "Mặt trận",
  "Tỉnh đoàn",
  "Đoàn",
  "Phòng",
  "Cơ quan",
  "Đơn vị",
  "Bưu điện",
  "Viễn thông",
  "VNPT",
  "Viettel",
  "Thuế",
  "Ngân hàng",
  "Trường",
  "Học viện",
  "Viện",
  "Tòa án",
  "Tập đoàn",
  "Tổng công ty",
  "Công ty",
  "Quỹ",
];
const HEAD_ALT = HEADS.join("|");
const HEAD_WORD = new RegExp(`(?:^|\\s)(?:${HEAD_ALT})(?=\\s|$)`, "u");
const STARTS_WITH_HEAD = new RegExp(`^(?:${HEAD_ALT}|[Cc]ác)(?=\\s|$)`, "u");
/** A head word in either case followed by a proper name: "Sở Tư pháp", "sở Tư pháp", "Ban QL KKT". */
const NEW_AGENCY = new RegExp(
  `^(?:${HEADS.map((h) => `[${h[0].toUpperCase()}${h[0].toLowerCase()}]${h.slice(1)}`).join("|")})\\s+[\\p{Lu}\\d]|^[Cc]ác\\s`,
  "u",
);

/** Lower-case words in a wildcard's proper name that show another agency follows. */
const TAIL_AGENCY = /(?:^|\s)(?:sở|ngành|ban|ubnd|ủy ban|uỷ ban|cơ quan|đơn vị|xã|phường|huyện|quận|thị xã|thị trấn)(?=\s|$)/u;
const NATIONAL = /(?:^|\s)Việt\s+Nam$/iu;

/** A trailing province or city name: "Công an tỉnh Kiên Giang", "UBND tỉnh Bà Rịa - Vũng Tàu". */
const PROVINCE = /^(.+?)\s+([Tt]ỉnh|[Tt]hành phố|T[Pp]\.?)\s+(\p{Lu}\p{L}*(?:(?:\s+|\s*[-–]\s*)\p{Lu}\p{L}*){0,4})$/u;

function clean(name: string): string {
  let s = squash(name).replace(/\([^()]*\)|\[[^\][]*\]/g, " ");
  for (let prev = ""; prev !== s; ) {
    prev = s;
    s = s.replace(BULLET, "").replace(QUOTES, "").replace(TRAILING, "").trim();
  }
  return squash(s);
}

/** Drops a clause following the name, when something is left before it. */
function cutClause(s: string): string {
  const m = CLAUSE.exec(s);
  return m && m.index > 0 ? s.slice(0, m.index).replace(TRAILING, "") : s;
}

function stripProvince(s: string): string[] {
  const m = PROVINCE.exec(s);
  if (!m || HEAD_WORD.test(m[3])) return [];
  const level = /^[Tt]ỉnh$/.test(m[2]) ? "tỉnh" : "thành phố";
  return [`${m[1]} ${level}`, m[1]];
}

// ---------------------------------------------------------------- kinds of unit

/**
 * Kinds of unit a name enumerates ("UBND các huyện, thị xã, thành phố", "Các Trường Đại
 * học, Cao đẳng", "tại điểm d, khoản 1, mục III"), folded.
 */
const KINDS = [
  // administrative units and levels
  "tinh",
  "thanh pho",
  "tp",
  "huyen",
  "quan",
  "thi xa",
  "thi tran",
  "xa",
  "phuong",
  "dac khu",
  "thon",
  "ap",
  "khu pho",
  "to dan pho",
  "dia phuong",
  "cap tinh",
  "cap huyen",
  "cap xa",
  "cac cap",
  // bodies
  "so",
  "ban",
  "nganh",
  "co quan",
  "don vi",
  "doan the",
  "to chuc",
  "hoi",
  "hiep hoi",
  "phong",
  "trung tam",
  "cuc",
  "chi cuc",
  "doanh nghiep",
  "hop tac xa",
  "ca nhan",
  "cong ty",
  "tong cong ty",
  "tap doan",
  "chi nhanh",
  "luc luong",
  "lien doan",
  // zones
  "khu",
  "khu kinh te",
  "khu cong nghiep",
  "khu cong nghe cao",
  "khu che xuat",
  "cum cong nghiep",
  // schools
  "truong",
  "dai hoc",
  "cao dang",
  "trung cap",
  "so cap",
  "hoc vien",
  "vien",
  "co so",
  "mam non",
  "tieu hoc",
  "trung hoc",
  // parts of a text
  "diem",
  "khoan",
  "muc",
  "dieu",
  "chuong",
  "phan",
  "phu luc",
  "tiet",
];
const KIND_SET = new Set(KINDS);
const KIND_MAX_WORDS = Math.max(...KINDS.map((k) => k.split(" ").length));
/** "d", "1", "2a", "III": what follows a part of a text ("điểm d"). */
const LABEL = /^(?:[a-z]|\d+[a-z]?|[ivxlc]+)$/;

const foldedWords = (text: string): string[] => words(text).map((w) => fold(w));

function startsWithKind(text: string): boolean {
  const ws = foldedWords(text);
  for (let n = Math.min(KIND_MAX_WORDS, ws.length); n >= 1; n--) if (KIND_SET.has(ws.slice(0, n).join(" "))) return true;
  return false;
}

function endsWithKind(text: string): boolean {
  const ws = foldedWords(text);
  const ends = (list: string[]) => {
    for (let n = Math.min(KIND_MAX_WORDS, list.length); n >= 1; n--) if (KIND_SET.has(list.slice(-n).join(" "))) return true;
    return false;
  };
  return ends(ws) || (ws.length >= 2 && LABEL.test(ws[ws.length - 1]) && ends(ws.slice(0, -1)));
}

// ---------------------------------------------------------------- the directory

type Wildcard = { prefix: string; agency: Agency };

const PRIORITY = { derived: 0, alias: 1, name: 2, extra: 3 } as const;
const MEMO_LIMIT = 100_000;
/** Sentences are longer than names: fewer of them are kept. */
const MENTION_MEMO_LIMIT = 10_000;

/** Names whose bare form (without "tỉnh") is not the province's: trade associations. */
const LEVEL_REQUIRED = /^hiep hoi /;

/**
 * The agency directory over `agencies` and the admins' extra aliases: resolving names as plans
 * write them, splitting lead cells, finding agencies named in sentences (see Directory).
 */
export function createDirectory(agencies: Agency[], extraAliases: Record<string, string> = {}): Directory {
  // Later entries with the same id (admins' own) replace earlier ones, keeping the order.
  const byId = new Map<string, Agency>();
  for (const agency of agencies) byId.set(agency.id, agency);
  const list = [...byId.values()];

  const exact = new Map<string, { agency: Agency; priority: number }>();
  const wildcards: Wildcard[] = [];
  /** Computed initials ("so khcn") → the one agency having them, or null when several do. */
  const initials = new Map<string, Agency | null>();
  const put = (key: string, agency: Agency, priority: number) => {
    if (!key) return;
    const had = exact.get(key);
    if (!had || had.priority < priority) exact.set(key, { agency, priority });
  };
  const add = (text: string, agency: Agency, priority: number) => {
    if (isWildcardAlias(text)) {
      const prefix = agencyKey(text.trim().replace(WILDCARD, ""));
      if (prefix) wildcards.push({ prefix, agency });
      return;
    }
    const key = agencyKey(text);
    put(key, agency, priority);
    // "Công an tỉnh" also answers to "Công an" — but "UBND tỉnh" not to "UBND".
    if (key.endsWith(" tinh")) {
      const short = key.slice(0, -5);
      if (short.includes(" ") && !short.endsWith(" cap") && !LEVEL_REQUIRED.test(short)) put(short, agency, PRIORITY.derived);
    }
    const abbreviated = nameInitials(text);
    if (abbreviated) {
      const had = initials.get(abbreviated);
      if (had === undefined) initials.set(abbreviated, agency);
      else if (had !== null && had.id !== agency.id) initials.set(abbreviated, null);
    }
  };
  for (const agency of list) {
    add(agency.name, agency, PRIORITY.name);
    for (const alias of agency.aliases) add(alias, agency, PRIORITY.alias);
  }
  for (const [alias, id] of Object.entries(extraAliases)) {
    const agency = byId.get(id);
    if (agency) add(alias, agency, PRIORITY.extra);
  }
  wildcards.sort((a, b) => b.prefix.length - a.prefix.length);

  const keys = new Map<string, string>();
  const keyOf = (text: string): string => {
    let k = keys.get(text);
    if (k === undefined) {
      if (keys.size >= MEMO_LIMIT) keys.clear();
      k = agencyKey(text);
      keys.set(text, k);
    }
    return k;
  };

  const lookup = (key: string): Agency | null => {
    const hit = exact.get(key) ?? (key.endsWith(" tinh") ? exact.get(key.slice(0, -5)) : undefined);
    return hit?.agency ?? null;
  };

  /** Whether some words of a wildcard's tail name another agency ("… Đồng Nai và STP"). */
  const namesOther = (tail: string, agency: Agency): boolean => {
    const ws = tail.split(" ");
    for (let i = 0; i < ws.length; i++) {
      for (let j = i + 1; j <= ws.length; j++) {
        const other = lookup(keyOf(ws.slice(i, j).join(" ")));
        if (other && other.id !== agency.id) return true;
      }
    }
    return false;
  };

  const properTail = (tail: string, agency: Agency): boolean =>
    /^[\p{Lu}\d]/u.test(tail) &&
    !/[,;]/.test(tail) &&
    !HEAD_WORD.test(tail) &&
    !TAIL_AGENCY.test(tail) &&
    !NATIONAL.test(tail) &&
    !namesOther(tail, agency);

  const wildcardTail = (s: string, w: Wildcard): string | null => {
    const ws = s.split(" ");
    for (let i = 1; i < ws.length; i++) {
      // "Báo và Phát thanh" is not "Báo" + "Phát thanh": the prefix ends with a word of its own.
      if (keyOf(ws[i - 1]) === "" || fold(ws[i - 1]) === "va") continue;
      if (keyOf(ws.slice(0, i).join(" ")) !== w.prefix) continue;
      const tail = ws.slice(i).join(" ");
      if (properTail(tail, w.agency)) return tail;
    }
    return null;
  };

  const matchWildcard = (s: string): Agency | null => {
    const key = keyOf(s);
    for (const w of wildcards) {
      if (key.startsWith(w.prefix + " ") && wildcardTail(s, w) !== null) return w.agency;
    }
    return null;
  };

  const matchInitials = (s: string): Agency | null => {
    const k = writtenInitials(s);
    return k ? (initials.get(k) ?? null) : null;
  };

  const memo = new Map<string, Agency | null>();
  const resolve = (name: string): Agency | null => {
    const cached = memo.get(name);
    if (cached !== undefined) return cached;
    const base = clean(name);
    let found: Agency | null = null;
    if (base) {
      const variants = [...new Set([base, cutClause(base)].flatMap((v) => [v, ...stripProvince(v)]))];
      for (const v of variants) if ((found = lookup(keyOf(v)))) break;
      if (!found) for (const v of variants) if ((found = matchWildcard(v))) break;
      if (!found) for (const v of variants) if ((found = matchInitials(v))) break;
    }
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(name, found);
    return found;
  };

  // ------------------------------------------------------------ splitting

  const splits = new Map<string, string[]>();
  const splitLeads = (cell: string): string[] => {
    let names = splits.get(cell);
    if (names === undefined) {
      if (splits.size >= MEMO_LIMIT) splits.clear();
      names = splitUncached(cell);
      splits.set(cell, names);
    }
    return [...names];
  };

  /** The end of the longest run of segments from `i` naming one directory agency, or `i`. */
  const resolvedUntil = (segments: Segment[], i: number): number => {
    for (let j = segments.length; j > i; j--) if (resolve(joinSegments(segments, i, j))) return j;
    return i;
  };

  type Group = { from: number; to: number; resolved: boolean };

  /** Whether segment `i` goes on with the name `group` ends in (see the file comment). */
  const continues = (segments: Segment[], group: Group, i: number): boolean => {
    const seg = segments[i].text;
    const sep = segments[i - 1].sep;
    if (NEW_AGENCY.test(seg)) return false;
    // An enumeration of kinds: "UBND cấp huyện, cấp xã", "Các Trường Đại học, Cao đẳng …".
    if (endsWithKind(segments[i - 1].text) && startsWithKind(seg) && (/^\p{Ll}/u.test(seg) || !resolve(seg))) return true;
    if (resolvedUntil(segments, i) > i) return false;
    if (sep === " - ") return true;
    const lower = /^\p{Ll}/u.test(seg);
    if (sep === " ") return lower || (!group.resolved && !STARTS_WITH_HEAD.test(seg)); // a line break inside a name
    return !group.resolved && !lower && !STARTS_WITH_HEAD.test(seg); // "Phòng Văn hóa, Thể thao huyện"
  };

  const splitUncached = (cell: string): string[] => {
    const out: string[] = [];
    for (const piece of hardPieces(cell)) {
      const segments = softSegments(piece);
      const groups: Group[] = [];
      for (let i = 0; i < segments.length; ) {
        const last = groups[groups.length - 1];
        if (last && continues(segments, last, i)) {
          last.to = i + 1;
          last.resolved = resolve(joinSegments(segments, last.from, last.to)) !== null;
          i++;
          continue;
        }
        const j = resolvedUntil(segments, i);
        groups.push({ from: i, to: Math.max(j, i + 1), resolved: j > i });
        i = Math.max(j, i + 1);
      }
      for (const g of groups) out.push(squash(joinSegments(segments, g.from, g.to)));
    }
    const seen = new Set<string>();
    return out
      .map((t) => t.replace(TRAILING, ""))
      .filter((t) => {
        const k = keyOf(t);
        if (!k || seen.has(k)) return false;
        seen.add(k);
        return true;
      });
  };

  // ------------------------------------------------------------ mentions

  type Node = { next: Map<string, Node>; agency?: Agency; wild?: Agency };
  let trie: Node | null = null;
  const buildTrie = (): Node => {
    const root: Node = { next: new Map() };
    const insert = (key: string): Node => {
      let node = root;
      for (const t of key.split(" ")) {
        let n = node.next.get(t);
        if (!n) node.next.set(t, (n = { next: new Map() }));
        node = n;
      }
      return node;
    };
    for (const [key, { agency }] of exact) insert(key).agency = agency;
    for (const w of wildcards) insert(w.prefix).wild ??= w.agency;
    return root;
  };

  const wordKeys = new Map<string, string>();
  const wordKey = (word: string): string => {
    let k = wordKeys.get(word);
    if (k === undefined) {
      if (wordKeys.size >= MEMO_LIMIT) wordKeys.clear();
      k = fold(word).replace(/[^a-z0-9]+/g, "");
      wordKeys.set(word, k);
    }
    return k;
  };

  const mentionMemo = new Map<string, Mention[]>();
  const mentions = (input: string): Mention[] => {
    const cached = mentionMemo.get(input);
    if (cached) return cached.map((m) => ({ ...m }));
    trie ??= buildTrie();
    const found = findMentions(input.normalize("NFC"), trie, wordKey, initials);
    if (mentionMemo.size >= MENTION_MEMO_LIMIT) mentionMemo.clear();
    mentionMemo.set(input, found);
    return found.map((m) => ({ ...m }));
  };

  // ------------------------------------------------------------ collectives and search

  const expand = (agencyId: string): string[] => {
    const out: string[] = [];
    const seen = new Set<string>();
    const visit = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      const agency = byId.get(id);
      if (!agency) return;
      if (agency.collective && agency.members.length > 0) agency.members.forEach(visit);
      else out.push(id);
    };
    visit(agencyId);
    return out;
  };

  const searchKeys = list.map((agency) => ({
    agency,
    keys: [agencyKey(agency.name), agencyKey(agency.id), ...agency.aliases.map((a) => agencyKey(a.replace(WILDCARD, "")))].filter(Boolean),
  }));

  const search = (text: string, limit = 10): Agency[] => {
    const q = agencyKey(text);
    if (!q) return [];
    const qTokens = q.split(" ");
    const direct = resolve(text) ?? byId.get(text.trim().toLowerCase()) ?? null;
    const scored: { agency: Agency; score: number }[] = [];
    for (const { agency, keys } of searchKeys) {
      let best = agency === direct ? 1000 : 0;
      keys.forEach((k, index) => {
        let s = 0;
        if (k === q) s = 100;
        else if (k.startsWith(q + " ")) s = 80;
        else if (` ${k} `.includes(` ${q} `)) s = 70;
        else {
          const tokens = k.split(" ");
          const hits = qTokens.filter((t) => tokens.some((w) => w.startsWith(t))).length;
          if (hits === qTokens.length) s = 50;
          else if (k.includes(q)) s = 30;
          else if (hits > 0) s = (20 * hits) / qTokens.length;
        }
        if (s > 0 && index === 0) s += 1; // the name itself beats an alias
        best = Math.max(best, s);
      });
      if (best > 0) scored.push({ agency, score: best });
    }
    scored.sort((a, b) => b.score - a.score || a.agency.name.length - b.agency.name.length);
    // Once some agency matches every word typed, agencies matching only some are noise.
    const floor = scored.length > 0 && scored[0].score >= 50 ? 50 : 0;
    return scored
      .filter((s) => s.score >= floor)
      .slice(0, limit)
      .map((s) => s.agency);
  };

  return {
    resolve,
    splitLeads,
    resolveLeads: (cell) => splitLeads(cell).map((raw) => ({ raw, agencyId: resolve(raw)?.id ?? null })),
    expand,
    get: (id) => byId.get(id) ?? null,
    nameOf: (id) => byId.get(id)?.name ?? id,
    all: () => [...list],
    search,
    mentions,
  };
}

// ---------------------------------------------------------------- splitting

type Segment = { text: string /** separator after it: ", ", " " (a line break) or " - " */; sep: string };

/**
 * Splits where a cell certainly changes agency: ";", bullets ("+ …", a line starting with
 * "-"), and drops what follows a clause word ("Văn phòng UBND tỉnh phối hợp với …").
 */
function hardPieces(cell: string): string[] {
  const text = cell
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(/[\u00a0\u200b]/g, " ");
  return text
    .split(/;|\n(?=[ \t]*[-–—+•·*])|(?:^|[ \t])[+•·](?=[ \t])/u)
    .map((piece) => {
      let s = piece.replace(/\([^()]*\)|\[[^\][]*\]/g, " ");
      for (let prev = ""; prev !== s; ) {
        prev = s;
        s = s.replace(BULLET, "").replace(QUOTES, "").replace(TRAILING, "").trim();
      }
      return cutClause(s).trim();
    })
    .filter((s) => s.length > 0);
}

/** Places a name *may* end: ",", line breaks, " - ". Never "và" or "&". */
function softSegments(piece: string): Segment[] {
  const parts = piece.split(/(\s*,\s*|\s*\n\s*|\s+[-–—]\s+)/u);
  const segments: Segment[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const text = parts[i].trim();
    const raw = parts[i + 1] ?? "";
    const sep = raw.includes(",") ? ", " : /[-–—]/.test(raw) ? " - " : " ";
    if (text) segments.push({ text, sep });
    else if (segments.length > 0 && raw) segments[segments.length - 1].sep = sep;
  }
  return segments;
}

function joinSegments(segments: Segment[], from: number, to: number): string {
  let s = segments[from].text;
  for (let i = from + 1; i < to; i++) s += segments[i - 1].sep + segments[i].text;
  return s;
}

// ---------------------------------------------------------------- mentions

type Token = {
  /** Folded word, or the short form of a phrase ("ubnd" for "Ủy ban nhân dân"). */
  key: string;
  start: number;
  end: number;
  /** Written with a capital letter. */
  upper: boolean;
  /** Capital initials ("KH", "ĐT"). */
  abbr: boolean;
  /** A sentence or clause boundary (";", ":", "(", "…", a full stop) before it. */
  hard: boolean;
  comma: boolean;
  /** Starts an agency's head word ("Sở", "Ban", "Ủy ban"…). */
  head: boolean;
};

type TrieNode = { next: Map<string, TrieNode>; agency?: Agency; wild?: Agency };

const PHRASE_TOKENS = Object.entries(PHRASES).map(([phrase, short]) => ({ words: phrase.split(" "), short }));
const HARD_GAP = /[;:!?()[\]{}"“”«»…]/u;

function tokenize(text: string, wordKey: (w: string) => string): Token[] {
  const raw: Token[] = [];
  let prevEnd = 0;
  let prevWord = "";
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    const start = m.index;
    const gap = text.slice(prevEnd, start);
    prevEnd = start + word.length;
    const key = wordKey(word);
    const hard = HARD_GAP.test(gap) || (gap.includes(".") && !/^\p{Lu}{1,6}$/u.test(prevWord)) || raw.length === 0;
    prevWord = word;
    if (!key) continue;
    raw.push({
      key,
      start,
      end: prevEnd,
      upper: /^\p{Lu}/u.test(word),
      abbr: ABBR.test(word),
      hard,
      comma: gap.includes(","),
      head: STARTS_WITH_HEAD.test(text.slice(start, start + 16)),
    });
  }
  // "Ủy ban nhân dân" → one token "ubnd", as in keys.
  const tokens: Token[] = [];
  for (let i = 0; i < raw.length; i++) {
    const phrase = PHRASE_TOKENS.find((p) => p.words.every((w, k) => raw[i + k]?.key === w && (k === 0 || !raw[i + k].hard)));
    if (!phrase) {
      tokens.push(raw[i]);
      continue;
    }
    const last = raw[i + phrase.words.length - 1];
    tokens.push({ ...raw[i], key: phrase.short, end: last.end, abbr: false, head: raw[i].head || raw[i].upper });
    i += phrase.words.length - 1;
  }
  return tokens;
}

/** Whether token `i` goes on without a comma or a boundary before it. */
const joined = (tokens: Token[], i: number): boolean => i < tokens.length && !tokens[i].hard && !tokens[i].comma;
const NUMBER = /^(?:\d+|[ivxlc]+)$/;

/**
 * The end of a proper name starting at token `k` ("Kiên Giang", "Bà Rịa - Vũng Tàu", "Khu
 * vực II"), or `k` when there is none or it is a national body's ("… Việt Nam").
 */
function properNameEnd(tokens: Token[], k: number, namesAgency: (i: number) => boolean = () => false): number {
  let e = k;
  while (joined(tokens, e) && e - k < 6) {
    const t = tokens[e];
    if (t.head || namesAgency(e)) break;
    if (!t.upper && !(e > k && joined(tokens, e + 1) && tokens[e + 1].upper && NUMBER.test(tokens[e + 1].key))) break;
    e++;
  }
  const name = tokens
    .slice(k, e)
    .map((t) => t.key)
    .join(" ");
  return name === "viet nam" || name.endsWith(" viet nam") ? k : e;
}

/** After a name: "tỉnh", "thành phố" and the province's or city's name. */
function provinceEnd(tokens: Token[], e: number, namesAgency: (i: number) => boolean): number {
  const at = (i: number, key: string) =>
    i < tokens.length && tokens[i].key === key && !tokens[i].upper && !tokens[i].hard && !tokens[i].comma;
  let f = e;
  if (at(f, "tinh")) f++;
  else if (at(f, "thanh") && at(f + 1, "pho")) f += 2;
  else if (tokens[e - 1].key !== "tinh") return e;
  const name = properNameEnd(tokens, f, namesAgency);
  if (name > f) return name;
  return f > e && tokens[e].key === "tinh" ? f : e;
}

function findMentions(text: string, trie: TrieNode, wordKey: (w: string) => string, initials: Map<string, Agency | null>): Mention[] {
  const tokens = tokenize(text, wordKey);
  const n = tokens.length;

  /** Whether a directory name (not a wildcard's) starts at token `s`. */
  const namesAgency = (s: number): boolean => {
    let node = trie;
    for (let k = s; k < n; k++) {
      if (k > s && tokens[k].hard) return false;
      if (tokens[k].key === "va" && k > s) continue;
      const next = node.next.get(tokens[k].key);
      if (!next) return false;
      node = next;
      if (node.agency) return true;
    }
    return false;
  };

  const longestAt = (s: number): { end: number; agency: Agency; wild: boolean } | null => {
    let node = trie;
    let best: { end: number; agency: Agency; wild: boolean } | null = null;
    for (let k = s; k < n; k++) {
      const t = tokens[k];
      if (k > s && t.hard) break;
      if (t.key === "va") {
        if (k === s) break;
        continue;
      }
      const next = node.next.get(t.key);
      if (!next) break;
      node = next;
      if (node.agency && (!best || k + 1 >= best.end)) best = { end: k + 1, agency: node.agency, wild: false };
      if (node.wild) {
        const e = properNameEnd(tokens, k + 1, namesAgency);
        // One capitalised word going on in lower case is a common noun ("Bưu điện Văn hóa xã").
        const common = e === k + 2 && joined(tokens, e) && !tokens[e].upper && !NUMBER.test(tokens[k + 1].key);
        if (e > k + 1 && !common && (!best || e > best.end)) best = { end: e, agency: node.wild, wild: true };
      }
    }
    return best;
  };

  // "Sở KH&CN", "Đài PT-TH": a head word and capital initials.
  const initialsAt = (s: number): { end: number; agency: Agency } | null => {
    if (!tokens[s].upper || tokens[s].abbr) return null;
    let k = s + 1;
    const letters: string[] = [];
    const ends: { end: number; key: string }[] = [];
    while (k < n && !tokens[k].hard && k - s <= 6) {
      if (tokens[k].key === "va") {
        k++;
        continue;
      }
      if (!tokens[k].abbr) break;
      letters.push(tokens[k].key);
      ends.push({ end: k + 1, key: `${tokens[s].key} ${letters.join("")}` });
      k++;
    }
    for (let i = ends.length - 1; i >= 0; i--) {
      const agency = initials.get(ends[i].key);
      if (agency) return { end: ends[i].end, agency };
    }
    return null;
  };

  const candidates: { from: number; to: number; agency: Agency }[] = [];
  for (let s = 0; s < n; s++) {
    const t = tokens[s];
    if (t.key === "va" || t.key === "cac") continue;
    const afterCac = s > 0 && tokens[s - 1].key === "cac" && !t.hard;
    if (!t.upper && !afterCac) continue;
    const m = longestAt(s) ?? initialsAt(s);
    if (!m) continue;
    const end = "wild" in m && m.wild ? m.end : provinceEnd(tokens, m.end, namesAgency);
    // A name going on in capitals is another, longer one ("Bưu điện Việt Nam"), as in `resolve`.
    if (end === m.end && !("wild" in m && m.wild) && joined(tokens, end) && tokens[end].upper && !tokens[end].head) continue;
    candidates.push({ from: tokens[afterCac ? s - 1 : s].start, to: tokens[end - 1].end, agency: m.agency });
  }
  candidates.sort((a, b) => b.to - b.from - (a.to - a.from) || a.from - b.from);
  const chosen: typeof candidates = [];
  for (const c of candidates) if (chosen.every((o) => c.to <= o.from || c.from >= o.to)) chosen.push(c);
  chosen.sort((a, b) => a.from - b.from);
  return chosen.map((c) => ({ text: text.slice(c.from, c.to), agencyId: c.agency.id, start: c.from, end: c.to }));
}
