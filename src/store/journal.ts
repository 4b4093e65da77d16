/**
 * The journal of the JSON file store: `<dir>/journal.jsonl`, every update since the last
 * checkpoint (store.json), appended (see ./file.ts for when it is written and compacted).
 *
 * Format — one batch per update: op lines naming their field (`f`), then a commit line.
 * - array fields (tasks, assignments, sendLog…), element by element, by position
 *   (./positions.ts, as PostgreSQL's rows): `{"f":F,"p":<pos>,"e":<element>}` puts `element` at
 *   `pos` (added or replaced); `{"f":F,"d":[<pos>,…]}` removes; `{"f":F,"clr":1}` empties the
 *   array (a batch that rewrites it whole: a reordering). The array is its elements in
 *   increasing position. A checkpoint's arrays are at positions 0…n−1.
 * - record fields (counters, extraAliases, pendingImports), by key: `{"f":F,"k":<key>,"v":<value>}`
 *   sets, `{"f":F,"dk":[<key>,…]}` removes.
 * - scalar fields (eventSeq…): `{"f":F,"v":<value>}`.
 * - the update's audit events, each `{"ev":<event>}`: the batch is their commit point too
 *   (events.jsonl gets them after it, and is repaired from here on open).
 * - commit `{"c":<gen>,"n":<op lines>,"h":<first 8 hex digits of the SHA-1 of the op lines' bytes>}`.
 * Generations increase strictly from batch to batch. store.json records the generation it
 * includes (`journalGen`): batches up to it are already in it and skipped (a compaction that
 * stopped between store.json's rename and the journal's truncation leaves them). A batch whose
 * commit line is missing or does not match (a torn append) is dropped when it is the last
 * thing in the file; anywhere else it is corruption.
 */
import { createHash } from "node:crypto";
import { planArray } from "./positions.ts";

export const JOURNAL_FILE = "journal.jsonl";

const NL = 0x0a;

function digest(bytes: Buffer): string {
  return createHash("sha1").update(bytes).digest("hex").slice(0, 8);
}

/** Positions of the elements of each array field (absent: 0…n−1, a checkpoint's). */
export type Positions = Map<string, number[]>;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `positions`' entry for `field` of length `n`. */
function positionsOf(positions: Positions, field: string, n: number): number[] {
  return positions.get(field) ?? Array.from({ length: n }, (_, i) => i);
}

/**
 * The op lines turning state `prev` into `next` (fields compared by identity: the store's
 * draft keeps untouched fields and elements as they are), and the positions after them.
 * Cost: the changed fields' lengths in pointer comparisons, plus the changed elements' JSON.
 */
export function diffState(
  prev: Readonly<Record<string, unknown>>,
  next: Readonly<Record<string, unknown>>,
  positions: Positions,
): { ops: string[]; positions: Positions } {
  const ops: string[] = [];
  let outPos = positions;
  for (const f of new Set([...Object.keys(prev), ...Object.keys(next)])) {
    const a = prev[f];
    const b = next[f];
    if (a === b) continue;
    const F = `{"f":${JSON.stringify(f)},`;
    if (Array.isArray(b)) {
      const before = Array.isArray(a) ? a : [];
      const plan = planArray(before, positionsOf(positions, f, before.length), b);
      if (!plan.rewrite && plan.upserts.length === 0 && plan.deletes.length === 0) continue;
      if (plan.rewrite) ops.push(`${F}"clr":1}`);
      if (plan.deletes.length > 0) ops.push(`${F}"d":${JSON.stringify(plan.deletes)}}`);
      for (const [p, e] of plan.upserts) ops.push(`${F}"p":${JSON.stringify(p)},"e":${JSON.stringify(e)}}`);
      if (outPos === positions) outPos = new Map(positions);
      outPos.set(f, plan.positions);
    } else if (isRecord(b)) {
      const before = isRecord(a) ? a : {};
      const gone = Object.keys(before).filter((k) => !Object.hasOwn(b, k));
      if (gone.length > 0) ops.push(`${F}"dk":${JSON.stringify(gone)}}`);
      for (const [k, v] of Object.entries(b)) {
        if (!Object.hasOwn(before, k) || before[k] !== v) ops.push(`${F}"k":${JSON.stringify(k)},"v":${JSON.stringify(v)}}`);
      }
    } else if (b !== undefined) {
      ops.push(`${F}"v":${JSON.stringify(b)}}`);
    }
  }
  return { ops, positions: outPos };
}

/** The op line carrying one audit event (already JSON). */
export const eventLine = (eventJson: string): string => `{"ev":${eventJson}}`;

/** One batch (op lines, then the commit line) as bytes to append; `lines` counts both. */
export function encodeBatch(ops: readonly string[], gen: number): { buf: Buffer; lines: number } {
  const body = Buffer.from(ops.length > 0 ? ops.join("\n") + "\n" : "", "utf8");
  const commit = JSON.stringify({ c: gen, n: ops.length, h: digest(body) });
  return { buf: Buffer.concat([body, Buffer.from(commit + "\n", "utf8")]), lines: ops.length + 1 };
}

/** Thrown for a journal that is damaged other than at its end. */
export class JournalCorrupt extends Error {}

/** What replaying a journal over a checkpoint gives. */
export type JournalReplay = {
  /** The checkpoint (raw JSON object, changed in place) with the batches applied. */
  state: Record<string, unknown>;
  /** Positions of the array fields the batches touched. */
  positions: Positions;
  /** Generation of the last batch in the file (the checkpoint's when none is newer). */
  gen: number;
  /** Batches applied (generation above the checkpoint's). */
  applied: number;
  /** The audit events of the batches applied, in order (raw JSON values, not validated). */
  events: unknown[];
  /** Generation of the first batch applied (null: none). */
  firstApplied: number | null;
  /** Bytes of the file holding whole batches; what follows is a torn tail to drop. */
  keepBytes: number;
  /** Lines in [0, keepBytes). */
  lines: number;
  /** A torn last batch was found. */
  torn: boolean;
};

/**
 * Replays `buf` (journal.jsonl) over `state` (store.json's raw object, at generation
 * `baseGen`; modified in place): batches with a generation above `baseGen` are applied in
 * order, a torn tail is left out. Throws JournalCorrupt for damage elsewhere (a bad batch
 * followed by more data, an op line that does not parse, generations that do not increase).
 */
export function replayJournal(buf: Buffer, state: Record<string, unknown>, baseGen: number): JournalReplay {
  const arrays = new Map<string, Map<number, unknown>>();
  let pos = 0;
  let batchStart = 0;
  let ops: Buffer[] = [];
  let lastGen: number | null = null;
  let keepBytes = 0;
  let lines = 0;
  let applied = 0;
  let firstApplied: number | null = null;
  const events: unknown[] = [];
  while (pos < buf.length) {
    const nl = buf.indexOf(NL, pos);
    if (nl < 0) break; // an unterminated last line: torn
    const line = buf.subarray(pos, nl);
    const commit = parseCommit(line);
    if (commit) {
      const ok = commit.n === ops.length && commit.h === digest(buf.subarray(batchStart, pos)) && (lastGen === null || commit.c > lastGen);
      if (!ok) {
        if (nl + 1 < buf.length) throw new JournalCorrupt(`lô ghi hỏng ở byte ${batchStart} / bad batch at byte ${batchStart}`);
        break; // the last batch, torn
      }
      if (commit.c > baseGen) {
        for (const raw of ops) {
          if (isEventLine(raw)) events.push(parseLine(raw, batchStart).ev);
          else applyOp(state, arrays, raw, batchStart);
        }
        applied += 1;
        firstApplied ??= commit.c;
      }
      lastGen = commit.c;
      lines += ops.length + 1;
      ops = [];
      batchStart = nl + 1;
      keepBytes = nl + 1;
    } else {
      ops.push(line);
    }
    pos = nl + 1;
  }
  const positions: Positions = new Map();
  for (const [f, live] of arrays) {
    const ps = [...live.keys()].sort((a, b) => a - b);
    positions.set(f, ps);
    state[f] = ps.map((p) => live.get(p));
  }
  return {
    state,
    positions,
    gen: Math.max(baseGen, lastGen ?? 0),
    applied,
    events,
    firstApplied,
    keepBytes,
    lines,
    torn: keepBytes < buf.length,
  };
}

function parseCommit(line: Buffer): { c: number; n: number; h: string } | null {
  // Op lines start with {"f"; only a commit starts with {"c":
  if (line.length < 6 || line[2] !== 0x63 || line[3] !== 0x22) return null;
  try {
    const v = JSON.parse(line.toString("utf8"));
    return v && Number.isInteger(v.c) && Number.isInteger(v.n) && typeof v.h === "string" ? v : null;
  } catch {
    return null;
  }
}

/** Does this op line carry an event (`{"ev":`)? */
function isEventLine(line: Buffer): boolean {
  return line.length > 6 && line[2] === 0x65 && line[3] === 0x76 && line[4] === 0x22; // e v "
}

function parseLine(raw: Buffer, at: number): any {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new JournalCorrupt(`dòng không đọc được trong lô ở byte ${at} / unreadable line in the batch at byte ${at}`);
  }
}

function applyOp(state: Record<string, unknown>, arrays: Map<string, Map<number, unknown>>, raw: Buffer, at: number): void {
  const op = parseLine(raw, at);
  const f = op?.f;
  if (typeof f !== "string" || f === "__proto__") {
    throw new JournalCorrupt(`dòng lạ trong lô ở byte ${at} / unknown line in the batch at byte ${at}`);
  }
  const array = () => {
    let live = arrays.get(f);
    if (!live) {
      const cur = state[f];
      live = new Map(Array.isArray(cur) ? cur.map((e, i) => [i, e] as const) : []);
      arrays.set(f, live);
    }
    return live;
  };
  const record = () => {
    const cur = state[f];
    if (isRecord(cur)) return cur;
    const fresh: Record<string, unknown> = {};
    state[f] = fresh;
    return fresh;
  };
  if (typeof op.p === "number" && Number.isFinite(op.p) && op.e !== undefined) array().set(op.p, op.e);
  else if (Array.isArray(op.d)) for (const p of op.d) array().delete(p);
  else if (op.clr === 1) array().clear();
  else if (typeof op.k === "string" && op.v !== undefined) defineKey(record(), op.k, op.v);
  else if (Array.isArray(op.dk)) for (const k of op.dk) delete record()[k];
  else if (op.v !== undefined && !("k" in op)) state[f] = op.v;
  else throw new JournalCorrupt(`dòng lạ trong lô ở byte ${at} / unknown line in the batch at byte ${at}`);
}

/** `rec[k] = v`, also for a key such as "__proto__" (a plain assignment would not add it). */
function defineKey(rec: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(rec, k, { value: v, writable: true, enumerable: true, configurable: true });
  else rec[k] = v;
}

/** Is it time to compact a journal of `lines` lines and `bytes` bytes, the checkpoint being `checkpointBytes`? */
export function shouldCompact(lines: number, bytes: number, checkpointBytes: number, opts: { lines: number; bytes: number }): boolean {
  return lines >= opts.lines || bytes >= Math.max(opts.bytes, checkpointBytes);
}
