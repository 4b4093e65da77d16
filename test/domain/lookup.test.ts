/**
 * Issue 14 item 4: commands find tasks and shares through indexes of the snapshot
 * (src/domain/lookup.ts) instead of scans. Every lookup must answer what the scan it replaced
 * answered — the first match, in order — also when codes or ids repeat, tasks are removed, and
 * the index is carried over from the snapshot before (same keys at every place) or rebuilt
 * (elements added, removed, reordered, a key changed). And the store's update keeps the
 * state's own elements (not revalidated) wherever the draft put them.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Assignment, Task } from "../../src/core/schemas.ts";
import {
  activeTaskByCode,
  anyTaskByCode,
  assignmentById,
  assignmentPosition,
  assignmentsOfAgency,
  draftPosition,
  lastActiveTaskByCode,
  sharesOf,
} from "../../src/domain/lookup.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { emptyStoreData } from "../../src/store/types.ts";
import { assignment, dated, task } from "../reminders/fixtures.ts";

const CODES = ["A1", "A2", "A3", "B1"];
const AGENCIES = ["so-tu-phap", "vp-ubnd", "so-y-te"];

const arbTask = fc
  .record({ code: fc.constantFrom(...CODES), removed: fc.boolean(), n: fc.nat(5) })
  .map(({ code, removed, n }) => Object.freeze(task(code, dated("2021-03-31"), { removed, title: `t${n}` })));
const arbAssignment = fc
  .record({ code: fc.constantFrom(...CODES), agency: fc.constantFrom(...AGENCIES), progress: fc.nat(100), dupId: fc.boolean() })
  .map(({ code, agency, progress, dupId }) => Object.freeze(assignment(code, agency, { progress, ...(dupId ? { id: "dup" } : {}) })));

/** Each lookup against the scan it replaced. */
function checkTasks(list: readonly Task[]) {
  for (const code of [...CODES, "Z9"]) {
    expect(activeTaskByCode(list, code)).toBe(list.filter((t) => !t.removed).find((t) => t.code === code));
    expect(anyTaskByCode(list, code)).toBe(list.find((t) => t.code === code));
    expect(lastActiveTaskByCode(list, code)).toBe(new Map(list.filter((t) => !t.removed).map((t) => [t.code, t])).get(code));
  }
}
function checkAssignments(list: readonly Assignment[]) {
  for (const code of [...CODES, "Z9"]) expect(sharesOf(list, code)).toEqual(list.filter((a) => a.taskCode === code));
  for (const agency of [...AGENCIES, "none"]) expect(assignmentsOfAgency(list, agency)).toEqual(list.filter((a) => a.agencyId === agency));
  for (const id of [...list.map((a) => a.id), "missing"]) {
    expect(assignmentPosition(list, id)).toBe(list.findIndex((a) => a.id === id));
    expect(assignmentById(list, id)).toBe(list.find((a) => a.id === id));
    expect(draftPosition(Array.from(list), list, id)).toBe(list.findIndex((a) => a.id === id));
  }
}

/** One update to a frozen array: a replace that keeps the keys (the index is carried over), or one that does not. */
const arbEdit = fc.oneof(
  fc.record({ kind: fc.constant("progress" as const), at: fc.nat(), progress: fc.nat(100) }),
  fc.record({ kind: fc.constant("agency" as const), at: fc.nat(), agency: fc.constantFrom(...AGENCIES) }),
  fc.record({ kind: fc.constant("remove" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("reverse" as const) }),
  fc.record({ kind: fc.constant("add" as const), a: arbAssignment }),
);

describe("snapshot indexes answer what the scans answered", () => {
  it("tasks: first active, first of any, last active — with repeated codes and removed tasks", () => {
    fc.assert(
      fc.property(fc.array(arbTask, { maxLength: 12 }), (tasks) => {
        checkTasks(Object.freeze(tasks)); // cached
        checkTasks(tasks); // not frozen: indexed afresh
      }),
    );
  });

  it("assignments, through a chain of snapshots whose index is carried over or rebuilt", () => {
    fc.assert(
      fc.property(fc.array(arbAssignment, { maxLength: 12 }), fc.array(arbEdit, { maxLength: 8 }), (start, edits) => {
        let list: readonly Assignment[] = Object.freeze(start);
        checkAssignments(list);
        for (const edit of edits) {
          const next = Array.from(list);
          if (edit.kind === "reverse") next.reverse();
          else if (edit.kind === "add") next.splice(next.length ? edit.a.progress % (next.length + 1) : 0, 0, edit.a);
          else if (next.length) {
            const i = edit.at % next.length;
            if (edit.kind === "remove") next.splice(i, 1);
            else if (edit.kind === "progress") next[i] = Object.freeze({ ...next[i], progress: edit.progress });
            else next[i] = Object.freeze({ ...next[i], agencyId: edit.agency });
          }
          list = Object.freeze(next);
          checkAssignments(list);
        }
      }),
    );
  });

  it("the same chain made by the store's updates (the index checked in the range each update changed only)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbAssignment, { maxLength: 12 }), fc.array(arbEdit, { maxLength: 8 }), async (start, edits) => {
        const store = createMemoryStore({ ...emptyStoreData(), assignments: start });
        checkAssignments(store.read().assignments);
        for (const edit of edits) {
          await store.update((d) => {
            const next = d.assignments;
            if (edit.kind === "reverse") next.reverse();
            else if (edit.kind === "add") next.splice(next.length ? edit.a.progress % (next.length + 1) : 0, 0, edit.a);
            else if (next.length) {
              const i = edit.at % next.length;
              if (edit.kind === "remove") next.splice(i, 1);
              else if (edit.kind === "progress") next[i] = { ...next[i], progress: edit.progress };
              else next[i] = { ...next[i], agencyId: edit.agency };
            }
            return { result: null };
          });
          checkAssignments(store.read().assignments);
        }
      }),
    );
  });

  it("a draft changed before the lookup is scanned, not read through the committed index", () => {
    const committed = Object.freeze([assignment("A1", "so-tu-phap"), assignment("A2", "so-tu-phap")]);
    const draft = Array.from(committed);
    draft.unshift(assignment("A2", "so-tu-phap", { progress: 5 }));
    expect(draftPosition(draft, committed, "A2@so-tu-phap")).toBe(0);
  });
});

describe("the store's update keeps the state's own elements wherever the draft puts them", () => {
  it("a replace validates the new element only; moved and kept elements stay the same objects", async () => {
    const store = createMemoryStore({
      ...emptyStoreData(),
      assignments: [assignment("A1", "so-tu-phap"), assignment("A2", "so-tu-phap"), assignment("A3", "vp-ubnd")],
    });
    const [a1, a2, a3] = store.read().assignments;
    await store.update((data) => {
      data.assignments[1] = { ...data.assignments[1], progress: 40, unknownKey: 1 } as Assignment;
      data.assignments.reverse();
      return { result: null };
    });
    const after = store.read().assignments;
    expect(after[0]).toBe(a3);
    expect(after[2]).toBe(a1);
    expect(after[1]).not.toBe(a2);
    expect(after[1]).toEqual({ ...a2, progress: 40 }); // validated: the unknown key dropped
    expect(Object.isFrozen(after[1]) && Object.isFrozen(after)).toBe(true);
  });

  it("an invalid new element is refused and nothing changes", async () => {
    const store = createMemoryStore({ ...emptyStoreData(), assignments: [assignment("A1", "so-tu-phap")] });
    const before = store.read();
    await expect(
      store.update((data) => {
        data.assignments[0] = { ...data.assignments[0], progress: 150 };
        return { result: null };
      }),
    ).rejects.toThrow(/assignments\[0\]/);
    expect(store.read()).toBe(before);
  });
});
