/**
 * The agency directory: resolving the names plans give to lead agencies ("Sở TT&TT",
 * "VP. UBND tỉnh", "Công an tỉnh Kiên Giang", "Các sở, ban ngành") to directory entries,
 * splitting cells that name several agencies, and expanding collectives.
 *
 * Pure: the data comes from data/agencies.json (see ../agencies-file.ts) plus what admins
 * add at run time.
 *
 * Matching works on a *key*: folded (no case, no diacritics), punctuation dropped, "&" and
 * "và" dropped, "Ủy ban nhân dân" → "ubnd", "Văn phòng" → "vp", "thủ tục hành chính" →
 * "tthc", a leading "Các" dropped. So "Sở VH,TT&DL", "Sở VH-TT và DL" and "sở vh tt dl"
 * share a key; so do "Các sở, ban ngành" and "Sở, ban, ngành".
 *
 * An alias ending in " *" ("Ban Quản lý Khu kinh tế *") matches that prefix followed by a
 * proper name ("Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp tỉnh"): the rest
 * must start with a capital letter or digit, hold no "," or ";", and name no other agency
 * (no "Sở", "UBND"… in it).
 */
import type { Agency, LeadRef } from "./schemas.ts";
import { fold, squash } from "./text.ts";

export type Directory = {
  /** The agency a name stands for, or null. */
  resolve(name: string): Agency | null;
  /** A lead cell naming one or several agencies → the names, in order. */
  splitLeads(cell: string): string[];
  /** `splitLeads`, each name resolved (null when not in the directory). */
  resolveLeads(cell: string): LeadRef[];
  /** A collective → its member ids (recursively); an agency, or a collective without members → itself. */
  expand(agencyId: string): string[];
  get(id: string): Agency | null;
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

// ---------------------------------------------------------------- text clean-up

const BULLET = /^\s*(?:[-–—+•*·]+|\d{1,2}[.)]|[a-zđ]\))\s*/iu;
const TRAILING = /[\s.,;:!?…/\\\-–—]+$/u;
const QUOTES = /^["“”'‘’«»]+|["“”'‘’«»]+$/gu;

/** Words that start a clause after the agency's name: "Văn phòng UBND tỉnh phối hợp với …". */
const CLAUSE =
  /\s(?:phối hợp|chủ trì|thực hiện|tham mưu|theo|để|có trách nhiệm|triển khai|hướng dẫn)(?=[\s,.;:]|$)/iu;

/** Capitalised words that start an agency's name (used to tell names apart). */
const HEADS = [
  "Sở", "UBND", "Ủy ban", "Uỷ ban", "Văn phòng", "VP", "Công an", "Thanh tra", "Đài", "Báo", "Trung tâm",
  "Kho bạc", "Cục", "Chi cục", "Bảo hiểm", "BHXH", "Bộ", "Ban", "Hội", "Liên đoàn", "Mặt trận", "Tỉnh đoàn",
  "Phòng", "Cơ quan", "Đơn vị", "Bưu điện",
];
const HEAD_WORD = new RegExp(`(?:^|\\s)(?:${HEADS.join("|")})(?=\\s|$)`, "u");
const STARTS_WITH_HEAD = new RegExp(`^(?:${HEADS.join("|")}|[Cc]ác)(?=\\s|$)`, "u");

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

// ---------------------------------------------------------------- the directory

type Wildcard = { prefix: string; agency: Agency };

const PRIORITY = { derived: 0, alias: 1, name: 2, extra: 3 } as const;
const MEMO_LIMIT = 100_000;

export function createDirectory(agencies: Agency[], extraAliases: Record<string, string> = {}): Directory {
  // Later entries with the same id (admins' own) replace earlier ones, keeping the order.
  const byId = new Map<string, Agency>();
  for (const agency of agencies) byId.set(agency.id, agency);
  const list = [...byId.values()];

  const exact = new Map<string, { agency: Agency; priority: number }>();
  const wildcards: Wildcard[] = [];
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
      if (short.includes(" ") && !short.endsWith(" cap")) put(short, agency, PRIORITY.derived);
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

  const wildcardTail = (s: string, prefix: string): string | null => {
    const words = s.split(" ");
    for (let i = 1; i < words.length; i++) {
      if (keyOf(words.slice(0, i).join(" ")) !== prefix) continue;
      const tail = words.slice(i).join(" ");
      if (/^[\p{Lu}\d]/u.test(tail) && !/[,;]/.test(tail) && !HEAD_WORD.test(tail)) return tail;
    }
    return null;
  };

  const matchWildcard = (s: string): Agency | null => {
    const key = keyOf(s);
    for (const w of wildcards) {
      if (key.startsWith(w.prefix + " ") && wildcardTail(s, w.prefix) !== null) return w.agency;
    }
    return null;
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
    }
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(name, found);
    return found;
  };

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

  const splitUncached = (cell: string): string[] => {
    const out: { text: string; resolved: boolean }[] = [];
    for (const piece of hardPieces(cell)) {
      const segments = softSegments(piece);
      const n = segments.length;
      let run: string | null = null; // unresolved words waiting to be pushed
      const flush = () => {
        if (run !== null) out.push({ text: squash(run), resolved: false });
        run = null;
      };
      for (let i = 0; i < n; ) {
        let j = n;
        for (; j > i; j--) if (resolve(joinSegments(segments, i, j))) break;
        if (j > i) {
          flush();
          out.push({ text: squash(joinSegments(segments, i, j)), resolved: true });
          i = j;
          continue;
        }
        // Not an agency: keep it with the previous unknown words, unless it starts a new name.
        const seg = segments[i];
        if (run !== null && !STARTS_WITH_HEAD.test(seg.text)) run += (segments[i - 1].sep || " ") + seg.text;
        else {
          flush();
          run = seg.text;
        }
        i++;
      }
      flush();
    }
    const seen = new Set<string>();
    return out
      .map((o) => o.text.replace(TRAILING, ""))
      .filter((t) => {
        const k = keyOf(t);
        if (!k || seen.has(k)) return false;
        seen.add(k);
        return true;
      });
  };

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
    keys: [
      agencyKey(agency.name),
      agencyKey(agency.id),
      ...agency.aliases.map((a) => agencyKey(a.replace(WILDCARD, ""))),
    ].filter(Boolean),
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
    all: () => [...list],
    search,
  };
}

// ---------------------------------------------------------------- splitting

type Segment = { text: string; /** separator after it, line breaks as spaces */ sep: string };

/**
 * Splits where a cell certainly changes agency: ";", bullets ("+ …", a line starting with
 * "-"), and drops what follows a clause word ("Văn phòng UBND tỉnh phối hợp với …").
 */
function hardPieces(cell: string): string[] {
  const text = cell.normalize("NFC").replace(/\r\n?/g, "\n").replace(/[\u00a0\u200b]/g, " ");
  return text
    .split(/;|\n(?=[ \t]*[-–—+•·*])|(?:^|[ \t])[+•·](?=[ \t])/u)
    .map((piece) => {
      let s = piece.replace(/\([^()]*\)|\[[^\][]*\]/g, " ");
      for (let prev = ""; prev !== s; ) {
        prev = s;
        s = s.replace(BULLET, "").replace(QUOTES, "").replace(TRAILING, "").trim();
      }
      const m = CLAUSE.exec(s);
      if (m && m.index > 0) s = s.slice(0, m.index).replace(TRAILING, "");
      return s.trim();
    })
    .filter((s) => s.length > 0);
}

/** Places a cell *may* change agency: ",", line breaks, "và", "&", " - ". */
function softSegments(piece: string): Segment[] {
  const parts = piece.split(/(\s*,\s*|\s*\n\s*|\s+(?:và|va|&)\s+|\s+[-–—]\s+)/iu);
  const segments: Segment[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const text = parts[i].trim();
    const sep = squash(parts[i + 1] ?? "");
    const shown = sep === "" ? " " : sep === "," ? ", " : ` ${sep} `;
    if (text) segments.push({ text, sep: shown });
    else if (segments.length > 0) segments[segments.length - 1].sep = shown;
  }
  return segments;
}

function joinSegments(segments: Segment[], from: number, to: number): string {
  let s = segments[from].text;
  for (let i = from + 1; i < to; i++) s += segments[i - 1].sep + segments[i].text;
  return s;
}
