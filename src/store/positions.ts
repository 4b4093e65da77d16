/**
 * Positions for a list stored element by element (rows of a PostgreSQL table, ./postgres.ts;
 * lines of the JSON store's journal, ./journal.ts): each element keeps a number that orders it,
 * so an update writes only the elements it added, replaced or removed.
 */

/** What to write for one array collection. */
export type ArrayPlan = { rewrite: boolean; upserts: [number, unknown][]; deletes: number[]; positions: number[] };

/**
 * The rows to write so that a table holding `prev` (at `prevPos`, increasing) holds `next`.
 * Elements are matched by identity (the draft keeps the state's frozen elements): the common
 * prefix and suffix in O(n) pointer comparisons, the middle with a map. Kept elements keep
 * their `pos` when their order is unchanged; new ones get a `pos` between their neighbours'
 * (after the last: last + 1). A reordering, or positions too close to split, gives
 * `rewrite: true` (all rows, pos = index).
 */
export function planArray(prev: readonly unknown[], prevPos: readonly number[], next: readonly unknown[]): ArrayPlan {
  const n = next.length;
  let start = 0;
  while (start < prev.length && start < n && prev[start] === next[start]) start++;
  let endP = prev.length;
  let endN = n;
  while (endP > start && endN > start && prev[endP - 1] === next[endN - 1]) {
    endP--;
    endN--;
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
  const positions: number[] = new Array(n);
  for (let i = 0; i < start; i++) positions[i] = prevPos[i];
  for (let k = 0; k < n - endN; k++) positions[endN + k] = prevPos[endP + k];
  const suffixFirst = endN < n ? positions[endN] : undefined;
  let ok = true;
  let last = start > 0 ? positions[start - 1] : Number.NEGATIVE_INFINITY;
  for (let j = start; j < endN && ok; ) {
    if (kept[j - start] >= 0) {
      const p = prevPos[kept[j - start]];
      if (!(p > last)) ok = false;
      positions[j] = last = p;
      j++;
      continue;
    }
    let e = j;
    while (e < endN && kept[e - start] < 0) e++;
    const count = e - j;
    const lo = j > 0 ? positions[j - 1] : undefined;
    const hi = e < endN ? prevPos[kept[e - start]] : suffixFirst;
    for (let t = 0; t < count; t++) {
      let p: number;
      if (lo === undefined && hi === undefined) p = t;
      else if (hi === undefined) p = (lo as number) + t + 1;
      else if (lo === undefined) p = hi - count + t;
      else p = lo + ((hi - lo) * (t + 1)) / (count + 1);
      if (!(p > last) || (hi !== undefined && !(p < hi)) || !Number.isFinite(p)) ok = false;
      positions[j + t] = last = p;
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
      upserts.push([positions[j], next[j]]);
      taken.add(positions[j]);
    }
  }
  const deletes: number[] = [];
  for (let i = start; i < endP; i++) if (!used.has(i) && !taken.has(prevPos[i])) deletes.push(prevPos[i]);
  return { rewrite: false, upserts, deletes, positions };
}
