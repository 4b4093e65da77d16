/**
 * Indexes over a store snapshot, so a command finds its task and shares without scanning,
 * filtering or copying the whole registry.
 *
 * A snapshot's collections are frozen and never change: each update installs new arrays
 * (src/store/memory.ts). An index holds POSITIONS, by the fields it looks up (a task's code
 * and `removed`; an assignment's id, task code and agency), and is kept in a WeakMap keyed by
 * the array (it goes when the snapshot goes). An update that only replaces elements keeping
 * those fields (a progress report, a blocker, a done report: the same length, the same keys
 * at every changed place) leaves the positions valid: the next snapshot's index is the same
 * object, found by comparing the two arrays element by element (a pointer comparison per
 * element, no allocation; only in the range the update changed, when the store says which:
 * `derivationOf`) instead of rebuilt. Anything else (added, removed, reordered
 * elements, a changed key) builds a fresh index once for that snapshot.
 *
 * An array that is not frozen (an update's draft) is never cached: it is indexed afresh, so a
 * lookup on a draft is still correct, only not cheaper than a scan.
 *
 * Every lookup answers exactly what the scan it replaces answered (the FIRST match in the
 * array's order unless said otherwise), so callers keep their behaviour.
 */
import type { Assignment, Task } from "../core/schemas.ts";
import { derivationOf } from "../core/derivation.ts";

type TaskIndex = {
  /** Code → position of the first task with that code, removed or not. */
  any: Map<string, number>;
  /** Code → position of the first task with that code that is not removed. */
  active: Map<string, number>;
  /** Code → position of the LAST task with that code not removed (what `new Map(entries)` keeps). */
  activeLast: Map<string, number>;
};

type AssignmentIndex = {
  /** Task code → positions of its shares, in order. */
  byTask: Map<string, number[]>;
  /** Agency id → positions of its assignments, in order. */
  byAgency: Map<string, number[]>;
  /** Assignment id → position of the first assignment with that id. */
  position: Map<string, number>;
};

/** Builds an index of `list`, or reuses the one of an earlier array with the same keys at every place. */
class Indexer<T, I> {
  private readonly cache = new WeakMap<readonly T[], I>();
  /** The array indexed last, and its index: the likely ancestor of the next snapshot's array. */
  private last: { list: readonly T[]; index: I } | null = null;

  constructor(
    private readonly build: (list: readonly T[]) => I,
    private readonly sameKeys: (a: T, b: T) => boolean,
  ) {}

  of(list: readonly T[]): I {
    if (!Object.isFrozen(list)) return this.build(list);
    let index = this.cache.get(list);
    if (index) return index;
    index = this.inherited(list) ?? this.build(list);
    this.cache.set(list, index);
    this.last = { list, index };
    return index;
  }

  private inherited(list: readonly T[]): I | null {
    const last = this.last;
    if (!last || last.list.length !== list.length) return null;
    const before = last.list;
    // An update's array says which range it changed: only that range is compared.
    const d = derivationOf(list);
    const [from, to] = d && d.from === before && d.end === d.fromEnd ? [d.start, d.end] : [0, list.length];
    for (let i = from; i < to; i++) {
      if (list[i] !== before[i] && !this.sameKeys(list[i], before[i])) return null;
    }
    return last.index;
  }
}

const tasks = new Indexer<Task, TaskIndex>(
  (list) => {
    const any = new Map<string, number>();
    const active = new Map<string, number>();
    const activeLast = new Map<string, number>();
    for (let i = 0; i < list.length; i++) {
      const t = list[i];
      if (!any.has(t.code)) any.set(t.code, i);
      if (t.removed) continue;
      if (!active.has(t.code)) active.set(t.code, i);
      activeLast.set(t.code, i);
    }
    return { any, active, activeLast };
  },
  (a, b) => a.code === b.code && Boolean(a.removed) === Boolean(b.removed),
);

const assignments = new Indexer<Assignment, AssignmentIndex>(
  (list) => {
    const byTask = new Map<string, number[]>();
    const byAgency = new Map<string, number[]>();
    const position = new Map<string, number>();
    for (let i = 0; i < list.length; i++) {
      const a = list[i];
      const shares = byTask.get(a.taskCode);
      if (shares) shares.push(i);
      else byTask.set(a.taskCode, [i]);
      const own = byAgency.get(a.agencyId);
      if (own) own.push(i);
      else byAgency.set(a.agencyId, [i]);
      if (!position.has(a.id)) position.set(a.id, i);
    }
    return { byTask, byAgency, position };
  },
  (a, b) => a.id === b.id && a.taskCode === b.taskCode && a.agencyId === b.agencyId,
);

const at = <T>(list: readonly T[], i: number | undefined): T | undefined => (i === undefined ? undefined : list[i]);

/** The tasks of `list` not removed, in order (a new array). */
export function activeTaskList(list: readonly Task[]): Task[] {
  return list.filter((t) => !t.removed);
}

/** The first task not removed with exactly `code` (already normalised), or undefined. */
export function activeTaskByCode(list: readonly Task[], code: string): Task | undefined {
  return at(list, tasks.of(list).active.get(code));
}

/** The last task not removed with exactly `code` (as a Map built from the active tasks keeps), or undefined. */
export function lastActiveTaskByCode(list: readonly Task[], code: string): Task | undefined {
  return at(list, tasks.of(list).activeLast.get(code));
}

/** The first task with exactly `code`, removed or not, or undefined. */
export function anyTaskByCode(list: readonly Task[], code: string): Task | undefined {
  return at(list, tasks.of(list).any.get(code));
}

/** The shares of task `code`, in the array's order (a new array, empty when none). */
export function sharesOf(list: readonly Assignment[], code: string): Assignment[] {
  return (assignments.of(list).byTask.get(code) ?? []).map((i) => list[i]);
}

/** The assignments of agency `agencyId`, in the array's order (a new array, empty when none). */
export function assignmentsOfAgency(list: readonly Assignment[], agencyId: string): Assignment[] {
  return (assignments.of(list).byAgency.get(agencyId) ?? []).map((i) => list[i]);
}

/** The index of the first assignment with `id`, or -1 (as `findIndex`). */
export function assignmentPosition(list: readonly Assignment[], id: string): number {
  return assignments.of(list).position.get(id) ?? -1;
}

/** The first assignment with `id`, or undefined (as `find`). */
export function assignmentById(list: readonly Assignment[], id: string): Assignment | undefined {
  return at(list, assignments.of(list).position.get(id));
}

/**
 * The index in `draft` of the first assignment with `id`, or -1 (as `findIndex`), where
 * `draft` is an update's copy of `committed` not changed yet: found through `committed`'s
 * index and checked on the draft (the same element at the same place), else by a scan.
 */
export function draftPosition(draft: readonly Assignment[], committed: readonly Assignment[], id: string): number {
  const i = assignmentPosition(committed, id);
  if (i >= 0 && draft.length === committed.length && draft[i] === committed[i]) return i;
  return draft.findIndex((a) => a.id === id);
}
