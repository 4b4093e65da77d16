/**
 * Positions for a list stored element by element (rows of a PostgreSQL table, ./postgres.ts;
 * lines of the JSON store's journal, ./journal.ts): each element keeps a number that orders it,
 * so an update writes only the elements it added, replaced or removed.
 */

import { derivationOf } from "../core/derivation.ts";

/** What to write for one array collection. */
export type ArrayPlan = { rewrite: boolean; upserts: [number, unknown][]; deletes: number[]; positions: number[] };

/**
 * The rows to write so that a table holding `prev` (at `prevPos`, increasing) holds `next`.
 * Elements are matched by identity (the draft keeps the state's frozen elements): the common
 * prefix and suffix from the update's derivation (or in O(n) pointer comparisons), the middle
 * with a map. `positions` is `prevPos` itself (not a copy) when nothing moved. Kept elements keep
 * their `pos` when their order is unchanged; new ones get a `pos` between their neighbours'
 * (after the last: last + 1). A reordering, or positions too close to split, gives
 * `rewrite: true` (all rows, pos = index).
 */
export function planArray(prev: readonly unknown[], prevPos: readonly number[], next: readonly unknown[]): ArrayPlan {
  const n = next.length;
  // The common prefix and suffix: given by the update that made `next` from `prev` (the range
  // it validated, src/core/derivation.ts), else found by pointer comparisons.
  const d = derivationOf(next);
  let start = 0;
  let endP = prev.length;
  let endN = n;
  if (d && d.from === prev) [start, endN, endP] = [d.start, d.end, d.fromEnd];
  else {
    while (start < prev.length && start < n && prev[start] === next[start]) start++;
    while (endP > start && endN > start && prev[endP - 1] === next[endN - 1]) {
      endP--;
      endN--;
    }
  }
  // The middle: prev[start, endP) became next[start, endN).
  const index = new Map<unknown, number>();
  for (let i = start; i < endP; i++) if (!index.has(prev[i])) index.set(prev[i], i);
  const used = new Set<number>();
  const kept: number[] = new Array(endN - start);
  for (let j = start; j < endN; j++) {
    const i = index.get(next[j]);
    if (i === undefined || used.has(i)) kept[j - start] = -1;
    else {
      used.add(i);
      kept[j - start] = i;
    }
  }
  // Positions of the middle (the prefix keeps prevPos[0, start), the suffix prevPos[endP…]).
  const mid: number[] = new Array(endN - start);
  const posAt = (j: number) => (j < start ? prevPos[j] : mid[j - start]);
  const suffixFirst = endN < n ? prevPos[endP] : undefined;
  let ok = true;
  let last = start > 0 ? prevPos[start - 1] : Number.NEGATIVE_INFINITY;
  for (let j = start; j < endN && ok; ) {
    if (kept[j - start] >= 0) {
      const p = prevPos[kept[j - start]];
      if (!(p > last)) ok = false;
      mid[j - start] = last = p;
      j++;
      continue;
    }
    let e = j;
    while (e < endN && kept[e - start] < 0) e++;
    const count = e - j;
    const lo = j > 0 ? posAt(j - 1) : undefined;
    const hi = e < endN ? prevPos[kept[e - start]] : suffixFirst;
    for (let t = 0; t < count; t++) {
      let p: number;
      if (lo === undefined && hi === undefined) p = t;
      else if (hi === undefined) p = (lo as number) + t + 1;
      else if (lo === undefined) p = hi - count + t;
      else p = lo + ((hi - lo) * (t + 1)) / (count + 1);
      if (!(p > last) || (hi !== undefined && !(p < hi)) || !Number.isFinite(p)) ok = false;
      mid[j + t - start] = last = p;
    }
    j = e;
  }
  if (ok && suffixFirst !== undefined && !(suffixFirst > last)) ok = false;
  if (!ok) {
    return { rewrite: true, upserts: next.map((e, i) => [i, e]), deletes: [], positions: next.map((_, i) => i) };
  }
  const upserts: [number, unknown][] = [];
  const taken = new Set<number>();
  for (let j = start; j < endN; j++) {
    if (kept[j - start] < 0) {
      upserts.push([mid[j - start], next[j]]);
      taken.add(mid[j - start]);
    }
  }
  const deletes: number[] = [];
  for (let i = start; i < endP; i++) if (!used.has(i) && !taken.has(prevPos[i])) deletes.push(prevPos[i]);
  // Same length and the middle at the same positions (elements replaced in place, the usual
  // update): the positions are `prevPos` itself, not a copy of a national registry's 30,000.
  let same = n === prev.length;
  for (let k = 0; same && k < mid.length; k++) same = mid[k] === prevPos[start + k];
  if (same) return { rewrite: false, upserts, deletes, positions: prevPos as number[] };
  const positions: number[] = new Array(n);
  for (let i = 0; i < start; i++) positions[i] = prevPos[i];
  for (let k = 0; k < mid.length; k++) positions[start + k] = mid[k];
  for (let k = 0; k < n - endN; k++) positions[endN + k] = prevPos[endP + k];
  return { rewrite: false, upserts, deletes, positions };
}
