/**
 * Issue 14 item 4: the planner and the digest find tasks by code and each code's shares through
 * src/core/registry.ts, memoised per array of the store's state, and — for an array after an
 * update — reusing the positions found for the array before it when no share moved. Whatever
 * sequence of arrays it is given, each index must equal the one made afresh.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shareIndex, taskIndex } from "../../src/core/registry.ts";
import type { Assignment } from "../../src/core/schemas.ts";
import { deepFreeze } from "../../src/store/memory.ts";
import { assignment, dated, task } from "./fixtures.ts";

/** The positions of each code's shares and whether pairs are plain, computed naively. */
function expected(list: readonly Assignment[]) {
  const byCode = new Map<string, number[]>();
  for (const [i, a] of list.entries()) byCode.set(a.taskCode, [...(byCode.get(a.taskCode) ?? []), i]);
  const pairs = list.map((a) => `${a.taskCode}\u0000${a.agencyId}`);
  const pairsPlain = new Set(pairs).size === pairs.length && list.every((a) => !/[@#]/.test(a.agencyId));
  return { byCode, pairsPlain };
}

const actual = (list: readonly Assignment[]) => {
  const index = shareIndex(list);
  expect(index.assignments).toBe(list);
  return { byCode: new Map([...index.byCode].map(([k, v]) => [k, [...v]])), pairsPlain: index.pairsPlain };
};

const base = () =>
  deepFreeze([
    assignment("A1", "so-tu-phap"),
    assignment("A1", "so-tai-chinh"),
    assignment("A2", "so-tu-phap"),
    assignment("A3", "so-noi-vu"),
  ]);

describe("the shares by task code (src/core/registry.ts)", () => {
  it("an update replacing shares in place reuses the positions; one that moves a share does not", () => {
    const first = base();
    const index = shareIndex(first);
    const replaced = deepFreeze(first.map((a, i) => (i === 1 ? { ...a, progress: 50 } : a)));
    expect(shareIndex(replaced).byCode).toBe(index.byCode);
    expect(actual(replaced)).toEqual(expected(replaced));
    // The share of index 1 now for another task: positions made afresh.
    const moved = deepFreeze(replaced.map((a, i) => (i === 1 ? { ...a, taskCode: "A3" } : a)));
    expect(shareIndex(moved).byCode).not.toBe(index.byCode);
    expect(actual(moved)).toEqual(expected(moved));
    // To another agency: a pair repeats now.
    const twice = deepFreeze(moved.map((a, i) => (i === 2 ? { ...a, agencyId: "so-noi-vu", taskCode: "A3" } : a)));
    expect(actual(twice)).toEqual(expected(twice));
    expect(shareIndex(twice).pairsPlain).toBe(false);
  });

  it("an array or a share not frozen is never taken as unchanged", () => {
    const first = base();
    shareIndex(first);
    const loose = first.map((a) => a); // not frozen: indexed afresh, not kept
    expect(actual(loose)).toEqual(expected(loose));
    // A frozen array holding an unfrozen share, then that share changed in place.
    const holder = { ...first[0] };
    const withLoose = Object.freeze([holder, ...first.slice(1)]);
    expect(actual(withLoose)).toEqual(expected(withLoose));
    holder.taskCode = "A2";
    const next = Object.freeze([holder, ...first.slice(1)]);
    expect(actual(next)).toEqual(expected(next));
  });

  it("any sequence of arrays, each from the one before by replacing, moving, adding or removing shares, indexes as afresh", () => {
    const codes = ["A1", "A2", "A3", "B1"];
    const agencies = ["so-tu-phap", "so-tai-chinh", "so-noi-vu", "so@x"];
    const step = fc.record({
      kind: fc.constantFrom("replace", "recode", "reagency", "add", "remove", "same", "unfrozen"),
      at: fc.nat(),
      code: fc.constantFrom(...codes),
      agency: fc.constantFrom(...agencies),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        let list: readonly Assignment[] = base();
        for (const s of steps) {
          const i = list.length ? s.at % list.length : 0;
          const next = [...list];
          if (s.kind === "replace" && list.length) next[i] = { ...list[i], progress: (list[i].progress + 1) % 100 };
          if (s.kind === "recode" && list.length) next[i] = { ...list[i], taskCode: s.code };
          if (s.kind === "reagency" && list.length) next[i] = { ...list[i], agencyId: s.agency };
          if (s.kind === "add") next.splice(i, 0, assignment(s.code, s.agency));
          if (s.kind === "remove" && list.length) next.splice(i, 1);
          list = s.kind === "same" ? list : s.kind === "unfrozen" ? next : deepFreeze(next);
          expect(actual(list)).toEqual(expected(list));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("the tasks by code", () => {
  it("the last task of a code; codes unique, and plain (no @ or #)", () => {
    const tasks = deepFreeze([task("A1", dated("2021-06-01")), task("A2", dated("2021-06-01")), task("A1", dated("2021-07-01"))]);
    const index = taskIndex(tasks);
    expect(index.byCode.get("A1")).toBe(tasks[2]);
    expect([index.codesUnique, index.codesPlain]).toEqual([false, false]);
    expect(taskIndex(tasks)).toBe(index);
    const odd = taskIndex(deepFreeze([task("A1", dated("2021-06-01")), { ...task("A2", dated("2021-06-01")), code: "A#2" }]));
    expect([odd.codesUnique, odd.codesPlain]).toEqual([true, false]);
  });
});
