/**
 * The send-log of the JSON file store, kept apart from store.json in the append-only file
 * `<dir>/sendlog.jsonl` (see ./file.ts for how it is written together with store.json).
 *
 * Format — batches of lines, each batch ending with its commit line:
 * - `{"p":<pos>,"e":<entry>}`: the element at position `pos` is now `entry` (added or replaced);
 * - `{"d":[<pos>,…]}`: the elements at these positions are removed;
 * - `{"clr":1}`: every element is removed (a batch that rewrites the whole send-log);
 * - commit `{"c":<gen>,"n":<op lines>,"h":<hash of the op lines' bytes>}` (the first 8 hex
 *   digits of their SHA-1: node:crypto in every Node 20; zlib.crc32 only from 20.15), with `"m":1`
 *   when the update also changed store.json (a *mixed* batch, see ./file.ts).
 * A position is a number; the send-log is its elements in increasing position (last state per
 * position wins). Positions, not the entries' `key`, name the elements: keys are not unique by
 * the schema, and callers both replace an entry in place (`map`) and move it to the end
 * (`[...filter, entry]`), so the order after a reopen is exactly the order in memory. A batch
 * whose commit line is missing or does not match its op lines (a torn append) is dropped when
 * it is the last thing in the file; anywhere else it is corruption. Generations increase
 * strictly from batch to batch. A compacted file is one batch holding the live elements at
 * positions 0…n−1 with the generation of the last batch it replaces.
 */
import { createHash } from "node:crypto";
import type { ArrayPlan } from "./positions.ts";

export const SENDLOG_FILE = "sendlog.jsonl";

const NL = 0x0a;

/** The check of a batch's op lines its commit line carries. */
function digest(bytes: Buffer): string {
  return createHash("sha1").update(bytes).digest("hex").slice(0, 8);
}

/** What to append for one update of the send-log: `planArray` (./positions.ts) of the old and new log. */
export type SendLogPlan = ArrayPlan;

/** One batch (its op lines then its commit line) as bytes to append; `lines` counts both. */
export function encodeBatch(plan: SendLogPlan, gen: number, mixed: boolean): { buf: Buffer; lines: number } {
  const ops: string[] = [];
  if (plan.rewrite) ops.push(`{"clr":1}`);
  if (plan.deletes.length > 0) ops.push(JSON.stringify({ d: plan.deletes }));
  for (const [p, e] of plan.upserts) ops.push(`{"p":${JSON.stringify(p)},"e":${JSON.stringify(e)}}`);
  return withCommit(ops, gen, mixed);
}

/** The compacted file: `entries` at positions 0…n−1, one batch of generation `gen`. */
export function encodeSnapshot(entries: readonly unknown[], gen: number): { buf: Buffer; lines: number } {
  return withCommit(
    entries.map((e, i) => `{"p":${i},"e":${JSON.stringify(e)}}`),
    gen,
    false,
  );
}

function withCommit(ops: string[], gen: number, mixed: boolean): { buf: Buffer; lines: number } {
  const body = Buffer.from(ops.length > 0 ? ops.join("\n") + "\n" : "", "utf8");
  const commit = { c: gen, n: ops.length, h: digest(body), ...(mixed ? { m: 1 } : {}) };
  return { buf: Buffer.concat([body, Buffer.from(JSON.stringify(commit) + "\n", "utf8")]), lines: ops.length + 1 };
}

/** What a send-log file holds once its committed batches are replayed. */
export type SendLogReplay = {
  /** The elements (raw JSON, not validated yet), in order. */
  entries: unknown[];
  positions: number[];
  /** Generation of the last batch kept (0: none). */
  gen: number;
  /** Bytes of the file that hold the batches kept; what follows is to be dropped. */
  keepBytes: number;
  /** Lines in [0, keepBytes). */
  lines: number;
  /** A torn last batch was found (no valid commit line). */
  torn: boolean;
  /** Mixed batches (with what followed them) dropped: their store.json write never happened. */
  uncommitted: number;
};

/** Thrown for a file that is damaged other than at its end. */
export class SendLogCorrupt extends Error {}

type Batch = { gen: number; mixed: boolean; ops: Buffer[]; start: number; end: number };

/**
 * Replays `buf` (the contents of sendlog.jsonl) against store.json's `storeGen` (the
 * generation it recorded): committed batches are those up to the first mixed batch with a
 * generation above `storeGen` (its store.json write never happened), which is dropped with
 * everything after it; a torn tail is dropped too. Throws SendLogCorrupt for damage elsewhere
 * (a bad batch followed by more data, an op line that does not parse, generations that do not
 * increase). Pure.
 */
export function replaySendLog(buf: Buffer, storeGen: number): SendLogReplay {
  const batches: Batch[] = [];
  let pos = 0;
  let batchStart = 0;
  let ops: Buffer[] = [];
  let torn = false;
  while (pos < buf.length) {
    const nl = buf.indexOf(NL, pos);
    if (nl < 0) break; // an unterminated last line: torn
    const line = buf.subarray(pos, nl);
    const commit = parseCommit(line);
    if (commit) {
      const ok =
        commit.n === ops.length &&
        commit.h === digest(buf.subarray(batchStart, pos)) &&
        (batches.length === 0 || commit.c > batches[batches.length - 1].gen);
      if (!ok) {
        if (nl + 1 < buf.length) throw new SendLogCorrupt(`lô ghi hỏng ở byte ${batchStart} / bad batch at byte ${batchStart}`);
        break; // the last batch, torn
      }
      batches.push({ gen: commit.c, mixed: commit.m === 1, ops, start: batchStart, end: nl + 1 });
      ops = [];
      batchStart = nl + 1;
    } else {
      ops.push(line);
    }
    pos = nl + 1;
  }
  const lastEnd = batches.length > 0 ? batches[batches.length - 1].end : 0;
  if (lastEnd < buf.length) torn = true;
  let kept = batches.length;
  const firstUncommitted = batches.findIndex((b) => b.mixed && b.gen > storeGen);
  if (firstUncommitted >= 0) kept = firstUncommitted;
  const live = new Map<number, unknown>();
  let lines = 0;
  for (let b = 0; b < kept; b++) {
    for (const raw of batches[b].ops) applyOp(live, raw, batches[b].start);
    lines += batches[b].ops.length + 1;
  }
  const positions = [...live.keys()].sort((a, b) => a - b);
  return {
    entries: positions.map((p) => live.get(p)),
    positions,
    gen: kept > 0 ? batches[kept - 1].gen : 0,
    keepBytes: kept > 0 ? batches[kept - 1].end : 0,
    lines,
    torn,
    uncommitted: batches.length - kept,
  };
}

function parseCommit(line: Buffer): { c: number; n: number; h: string; m?: number } | null {
  // Op lines start with {"p", {"d" or {"clr"; only a commit starts with {"c":
  if (line.length < 6 || line[2] !== 0x63 || line[3] !== 0x22) return null;
  try {
    const v = JSON.parse(line.toString("utf8"));
    return v && Number.isInteger(v.c) && Number.isInteger(v.n) && typeof v.h === "string" ? v : null;
  } catch {
    return null;
  }
}

function applyOp(live: Map<number, unknown>, raw: Buffer, at: number): void {
  let op: any;
  try {
    op = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new SendLogCorrupt(`dòng không đọc được trong lô ở byte ${at} / unreadable line in the batch at byte ${at}`);
  }
  if (op && typeof op.p === "number" && Number.isFinite(op.p) && op.e !== undefined) live.set(op.p, op.e);
  else if (op && Array.isArray(op.d)) for (const p of op.d) live.delete(p);
  else if (op && op.clr === 1) live.clear();
  else throw new SendLogCorrupt(`dòng lạ trong lô ở byte ${at} / unknown line in the batch at byte ${at}`);
}

/** Is it time to compact a file of `lines` lines holding `live` elements (`min`: fewest dead lines worth it)? */
export function shouldCompact(lines: number, live: number, min: number): boolean {
  return lines - live - 1 >= Math.max(min, live);
}
