/**
 * The registry by task code, for the reminder planner and the digest (pure: no clock, no I/O):
 * the task of each code, and where each code's shares are in the assignments array. Both are
 * made once per array of the store's state and reused while it lives; a run after an update
 * that replaced a few shares (same tasks and agencies at the same places) reuses the positions
 * found for the array before it, after checking that nothing they depend on moved.
 *
 * Store state is immutable (src/store/memory.ts freezes it deeply; an update replaces a changed
 * task or assignment and keeps every other object, and makes a new array when it changes one),
 * so what is derived from a frozen array, or from frozen elements at given places, stays right
 * while they live. Unfrozen arrays are indexed afresh each time.
 */
import type { Assignment, Task } from "./schemas.ts";

const KEY_SEPARATORS = /[@#]/;

/** The tasks by code. */
export type TaskIndex = {
  /** The task of each code (the last listed, as a Map by code keeps). Read it, never change it. */
  byCode: ReadonlyMap<string, Task>;
  /** No code repeats. */
  codesUnique: boolean;
  /** No code repeats and none holds `@` or `#` (item keys `${code}@${agency}#…` then name one task). */
  codesPlain: boolean;
};

const taskIndexes = new WeakMap<readonly Task[], TaskIndex>();

/** `tasks` by code (see TaskIndex), memoised per frozen array. */
export function taskIndex(tasks: readonly Task[]): TaskIndex {
  let index = taskIndexes.get(tasks);
  if (index !== undefined) return index;
  const byCode = new Map<string, Task>();
  let codesUnique = true;
  let separators = false;
  // (Indexed loops: a for…of makes an iterator result per element before the optimiser runs.)
  for (let i = 0; i < tasks.length; i++) {
    const { code } = tasks[i];
    if (codesUnique && byCode.has(code)) codesUnique = false;
    if (!separators && KEY_SEPARATORS.test(code)) separators = true;
    byCode.set(code, tasks[i]);
  }
  index = { byCode, codesUnique, codesPlain: codesUnique && !separators };
  if (Object.isFrozen(tasks)) taskIndexes.set(tasks, index); // only the store's (immutable) arrays
  return index;
}

/** Where each task code's shares are in one assignments array. */
export type ShareIndex = {
  /** The array indexed. */
  assignments: readonly Assignment[];
  /** The positions in `assignments` of each code's shares, in order. Read it, never change it. */
  byCode: ReadonlyMap<string, readonly number[]>;
  /** No agency id holds `@` or `#`, and no (code, agency) pair repeats. */
  pairsPlain: boolean;
  /** Every element was frozen when indexed (then the positions stay right for as long as they live). */
  frozen: boolean;
};

const shareIndexes = new WeakMap<readonly Assignment[], ShareIndex>();
/** The index of the last frozen array asked for: the next one is most likely that array after an update. */
let lastShareIndex: WeakRef<ShareIndex> | null = null;

/**
 * Where each code's shares are in `assignments` (see ShareIndex), memoised per frozen array.
 * For a frozen array not seen yet, the positions of the last one are reused when it has the
 * same length and, at every place, the same frozen share or one with the same task code and
 * agency (what the positions and `pairsPlain` are made of): an update that replaced shares in
 * place. Anything else is indexed afresh.
 */
export function shareIndex(assignments: readonly Assignment[]): ShareIndex {
  const hit = shareIndexes.get(assignments);
  if (hit !== undefined) return hit;
  const frozenArray = Object.isFrozen(assignments);
  const last = frozenArray ? lastShareIndex?.deref() : undefined;
  const index = (last !== undefined && sameShape(last, assignments)) || indexShares(assignments);
  if (frozenArray) {
    shareIndexes.set(assignments, index);
    lastShareIndex = new WeakRef(index);
  }
  return index;
}

/**
 * `last`'s positions for `now` when every place holds the same share (frozen when indexed: it
 * cannot have changed) or a frozen one with the same task code and agency; else null.
 */
function sameShape(last: ShareIndex, now: readonly Assignment[]): ShareIndex | null {
  const before = last.assignments;
  if (!last.frozen || before.length !== now.length) return null;
  for (let i = 0; i < now.length; i++) {
    const a = now[i];
    const b = before[i];
    if (a === b) continue;
    if (a.taskCode !== b.taskCode || a.agencyId !== b.agencyId || !Object.isFrozen(a)) return null;
  }
  return { assignments: now, byCode: last.byCode, pairsPlain: last.pairsPlain, frozen: true };
}

function indexShares(assignments: readonly Assignment[]): ShareIndex {
  const byCode = new Map<string, number[]>();
  let pairsPlain = true;
  let frozen = true;
  for (let i = 0; i < assignments.length; i++) {
    const a = assignments[i];
    if (frozen && !Object.isFrozen(a)) frozen = false;
    if (pairsPlain && KEY_SEPARATORS.test(a.agencyId)) pairsPlain = false;
    const list = byCode.get(a.taskCode);
    if (!list) byCode.set(a.taskCode, [i]);
    else {
      for (let j = 0; pairsPlain && j < list.length; j++) if (assignments[list[j]].agencyId === a.agencyId) pairsPlain = false;
      list.push(i);
    }
  }
  return { assignments, byCode, pairsPlain, frozen };
}
