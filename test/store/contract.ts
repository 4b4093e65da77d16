/**
 * The behaviour every Store implementation must have. Run from memory.test.ts and
 * file.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventInput, SendLogEntry } from "../../src/core/schemas.ts";
import type { Store, StoreData } from "../../src/store/types.ts";

export type StoreFixture = {
  store: Store;
  /** Closes the store (if the implementation persists) and opens it again. */
  reopen?: () => Promise<Store>;
  cleanup: () => Promise<void>;
};

/** A task element with only `code` (and `title`) chosen: for store tests that write tasks. */
export const task = (code: string, title = `Nhiệm vụ ${code}`) => ({
  code,
  planId: "p1",
  section: "",
  area: "khac" as const,
  title,
  content: title,
  product: "",
  leads: [],
  coordinating: "",
  deadline: { kind: "unknown" as const, raw: "", milestones: [] },
  removed: false,
});

export function ev(action: string, extra: Partial<EventInput> = {}): EventInput {
  return {
    at: "2026-03-01T08:00:00.000Z",
    actor: { id: "tg:1", name: "Cán bộ A" },
    chatId: "tg:-100",
    action,
    ...extra,
  };
}

export function storeContract(name: string, make: () => Promise<StoreFixture>): void {
  describe(`Store contract: ${name}`, () => {
    let fx: StoreFixture;
    let store: Store;

    beforeEach(async () => {
      fx = await make();
      store = fx.store;
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it("starts empty at the current version", async () => {
      const data = store.read();
      expect(data.tasks).toEqual([]);
      expect(data.eventSeq).toBe(0);
      expect(await store.events()).toEqual([]);
    });

    it("update changes the state and returns fn's result", async () => {
      const r = await store.update((d) => {
        d.counters.extension = 7;
        d.extraAliases["Sở TT&TT"] = "so-tttt";
        return { result: "ok" };
      });
      expect(r).toBe("ok");
      expect(store.read().counters.extension).toBe(7);
      expect(store.read().extraAliases).toEqual({ "Sở TT&TT": "so-tttt" });
    });

    it("fn that throws changes nothing and the error propagates", async () => {
      await store.update((d) => {
        d.counters.n = 1;
        return { result: null, events: [ev("a")] };
      });
      const before = store.read();
      await expect(
        store.update((d) => {
          d.counters.n = 99;
          d.extraAliases.x = "y";
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(store.read()).toEqual(before);
      expect(store.read().counters.n).toBe(1);
      expect((await store.events()).map((e) => e.seq)).toEqual([1]);
      // and the queue keeps working
      await store.update((d) => {
        d.counters.n = 2;
        return { result: null, events: [ev("b")] };
      });
      expect(store.read().counters.n).toBe(2);
      expect((await store.events()).map((e) => e.seq)).toEqual([2, 1]);
    });

    it("an update producing invalid data is rejected and changes nothing", async () => {
      await expect(
        store.update((d) => {
          (d.counters as any).n = "not a number";
          return { result: null, events: [ev("bad")] };
        }),
      ).rejects.toThrow(/Invalid store data/);
      expect(store.read().counters).toEqual({});
      expect(store.read().eventSeq).toBe(0);
      expect(await store.events()).toEqual([]);
    });

    it("an invalid element is caught wherever it is put in a long array (first, middle, last, replacing one, after a valid change)", async () => {
      const entry = (n: number) => ({ key: `k${n}`, day: "2026-03-02", kind: "x", startedAt: "2026-03-02T01:00:00.000Z" });
      await store.update((d) => {
        d.runLog = Array.from({ length: 50 }, (_, i) => entry(i));
        return { result: null };
      });
      const before = store.read().runLog;
      const bad = { key: "bad", day: "không phải ngày" } as never;
      const edits: ((list: StoreData["runLog"]) => void)[] = [
        (l) => l.unshift(bad),
        (l) => l.splice(25, 0, bad),
        (l) => l.push(bad),
        (l) => {
          l[10] = { ...l[10], day: "31/02" } as never;
        },
        (l) => {
          l.splice(30, 0, bad); // after a valid new one: not the first change
          l.splice(5, 0, entry(99));
        },
      ];
      for (const edit of edits) {
        await expect(
          store.update((d) => {
            edit(d.runLog);
            return { result: null };
          }),
        ).rejects.toThrow(/Invalid store data/);
        expect(store.read().runLog).toBe(before);
      }
    });

    it("concurrent updates are serialised: 50 parallel increments, none lost", async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.update((d) => {
            const n = (d.counters.n ?? 0) + 1;
            d.counters.n = n;
            return { result: n, events: [ev("inc", { after: n, text: `call ${i}` })] };
          }),
        ),
      );
      expect(store.read().counters.n).toBe(50);
      expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      // run in call order
      expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const events = await store.events();
      expect(events).toHaveLength(50);
      expect(store.read().eventSeq).toBe(50);
    });

    it("a failing update among concurrent ones loses none of the others", async () => {
      const calls = Array.from({ length: 10 }, (_, i) =>
        store.update((d) => {
          if (i === 4) throw new Error("nope");
          d.counters.n = (d.counters.n ?? 0) + 1;
          return { result: i };
        }),
      );
      const settled = await Promise.allSettled(calls);
      expect(settled.filter((s) => s.status === "rejected")).toHaveLength(1);
      expect(store.read().counters.n).toBe(9);
    });

    it("events get consecutive seq numbers and eventSeq follows the last one", async () => {
      await store.update(() => ({ result: 1, events: [ev("a"), ev("b"), ev("c")] }));
      await store.update(() => ({ result: 2 }));
      await store.update(() => ({ result: 3, events: [ev("d")] }));
      const events = await store.events();
      expect(events.map((e) => [e.seq, e.action])).toEqual([
        [4, "d"],
        [3, "c"],
        [2, "b"],
        [1, "a"],
      ]);
      expect(store.read().eventSeq).toBe(4);
      expect(events[0]).toMatchObject({ actor: { id: "tg:1", name: "Cán bộ A" }, chatId: "tg:-100" });
    });

    it("events filter by taskCode and agencyId, newest first, with a limit", async () => {
      await store.update(() => ({
        result: null,
        events: [
          ev("progress", { taskCode: "T1", agencyId: "so-tu-phap", after: 10 }),
          ev("progress", { taskCode: "T2", agencyId: "so-tu-phap", after: 20 }),
          ev("progress", { taskCode: "T1", agencyId: "ubnd-huyen", after: 30 }),
        ],
      }));
      await store.update(() => ({
        result: null,
        events: [ev("done", { taskCode: "T1", agencyId: "so-tu-phap", after: 100 }), ev("bind")],
      }));
      expect((await store.events({ taskCode: "T1" })).map((e) => e.seq)).toEqual([4, 3, 1]);
      expect((await store.events({ agencyId: "so-tu-phap" })).map((e) => e.seq)).toEqual([4, 2, 1]);
      expect((await store.events({ taskCode: "T1", agencyId: "so-tu-phap" })).map((e) => e.seq)).toEqual([4, 1]);
      expect((await store.events({ taskCode: "T1", limit: 2 })).map((e) => e.seq)).toEqual([4, 3]);
      expect((await store.events({ limit: 1 })).map((e) => e.action)).toEqual(["bind"]);
      expect(await store.events({ limit: 0 })).toEqual([]);
      expect(await store.events({ taskCode: "NOPE" })).toEqual([]);
      expect((await store.events({ taskCode: "T1" }))[0].after).toBe(100);
    });

    it("keeps Vietnamese text intact", async () => {
      const text = "Đã hoàn thành báo cáo số 189/KH-UBND — ổn định, tiến độ 100%";
      await store.update((d) => {
        d.extraAliases[text] = "so-noi-vu";
        return { result: null, events: [ev("note", { text })] };
      });
      expect(store.read().extraAliases[text]).toBe("so-noi-vu");
      expect((await store.events())[0].text).toBe(text);
    });

    it("read() is read-only: outside mutation throws and cannot corrupt the store", async () => {
      await store.update((d) => {
        d.counters.n = 1;
        d.extraAliases.a = "b";
        return { result: null };
      });
      const snap = store.read();
      expect(() => {
        (snap.counters as any).n = 1000;
      }).toThrow(TypeError);
      expect(() => {
        (snap.tasks as any).push({});
      }).toThrow(TypeError);
      expect(() => {
        delete (snap.extraAliases as any).a;
      }).toThrow(TypeError);
      expect(store.read().counters.n).toBe(1);
      expect(store.read().extraAliases).toEqual({ a: "b" });
    });

    it("fn works on a private copy: keeping and mutating the draft later changes nothing", async () => {
      let kept: any;
      await store.update((d) => {
        d.counters.n = 5;
        kept = d;
        return { result: null };
      });
      kept.counters.n = 666;
      kept.extraAliases.evil = "yes";
      expect(store.read().counters.n).toBe(5);
      expect(store.read().extraAliases).toEqual({});
      // a snapshot taken before an update does not change under the reader's feet
      const before = store.read();
      await store.update((d) => {
        d.counters.n = 6;
        return { result: null };
      });
      expect(before.counters.n).toBe(5);
      expect(store.read().counters.n).toBe(6);
    });

    it("elements are replaced, not changed in place: an in-place change throws and changes nothing", async () => {
      const binding = {
        chatId: "tg:-1",
        platform: "tg" as const,
        agencyId: "so-tu-phap",
        boundBy: "u",
        boundAt: "2021-01-01T00:00:00.000Z",
      };
      await store.update((d) => {
        d.bindings.push(binding);
        return { result: null };
      });
      await expect(
        store.update((d) => {
          d.bindings[0].agencyId = "so-y-te";
          return { result: null, events: [ev("in place")] };
        }),
      ).rejects.toThrow(TypeError);
      expect(store.read().bindings[0].agencyId).toBe("so-tu-phap");
      await store.update((d) => {
        d.bindings[0] = { ...d.bindings[0], agencyId: "so-y-te" };
        return { result: null };
      });
      expect(store.read().bindings[0].agencyId).toBe("so-y-te");
      expect(await store.events()).toEqual([]);
    });

    it("fn must return synchronously", async () => {
      await expect(store.update((async () => ({ result: 1 })) as any)).rejects.toThrow(/synchronously/);
      expect(store.read().eventSeq).toBe(0);
    });

    it("close waits for queued updates, later updates are refused", async () => {
      const pending = Array.from({ length: 5 }, () =>
        store.update((d) => {
          d.counters.n = (d.counters.n ?? 0) + 1;
          return { result: null, events: [ev("inc")] };
        }),
      );
      await store.close();
      await Promise.all(pending);
      expect(store.read().counters.n).toBe(5);
      await expect(store.update(() => ({ result: null }))).rejects.toMatchObject({ code: "CLOSED", message: "Kho dữ liệu đã đóng" });
      if (fx.reopen) {
        store = await fx.reopen();
        fx.store = store;
        expect(store.read().counters.n).toBe(5);
        expect((await store.events()).map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
      }
    });

    it("reopen (when persistent) sees data and events", async () => {
      if (!fx.reopen) return;
      await store.update((d) => {
        d.counters.n = 42;
        return { result: null, events: [ev("a", { taskCode: "T1" }), ev("b")] };
      });
      store = await fx.reopen();
      fx.store = store;
      expect(store.read().counters.n).toBe(42);
      expect(store.read().eventSeq).toBe(2);
      expect((await store.events()).map((e) => e.action)).toEqual(["b", "a"]);
      await store.update(() => ({ result: null, events: [ev("c")] }));
      expect((await store.events()).map((e) => e.seq)).toEqual([3, 2, 1]);
    });

    describe("the send-log archive", () => {
      it("keeps entries in the order added, once per key; outside the state; across a reopen", async () => {
        const archive = () => store.sendLogArchive;
        await archive().append([sent("2021-03-29", "tg:-1"), sent("2021-03-30", "tg:-1")]);
        await archive().append([sent("2021-03-30", "tg:-1", { items: ["lặp lại: bỏ qua"] }), sent("2021-03-30", "tg:-2")]);
        await archive().append([]);
        const expected = [
          ["2021-03-29|reminder|tg:-1", "A1@so-tu-phap#2021-03-29#due"],
          ["2021-03-30|reminder|tg:-1", "A1@so-tu-phap#2021-03-30#due"],
          ["2021-03-30|reminder|tg:-2", "A1@so-tu-phap#2021-03-30#due"],
        ];
        expect((await archive().entries()).map((e) => [e.key, e.items[0]])).toEqual(expected);
        expect(store.read().sendLog).toEqual([]);
        if (!fx.reopen) return;
        store = await fx.reopen();
        fx.store = store;
        expect((await archive().entries()).map((e) => [e.key, e.items[0]])).toEqual(expected);
      });

      it("prune drops the days before one; moveChat renames a chat (keys too) unless the new key is taken", async () => {
        const archive = store.sendLogArchive;
        await archive.append([
          sent("2021-03-29", "tg:-1"),
          sent("2021-03-30", "tg:-1"),
          sent("2021-03-31", "tg:-1"),
          sent("2021-03-31", "tg:-100"),
        ]);
        expect(await archive.prune("2021-03-30")).toBe(1);
        expect(await archive.prune("2021-03-30")).toBe(0);
        await archive.moveChat("tg:-1", "tg:-100");
        expect((await archive.entries()).map((e) => [e.key, e.chatId])).toEqual([
          ["2021-03-30|reminder|tg:-100", "tg:-100"],
          ["2021-03-31|reminder|tg:-1", "tg:-1"], // 2021-03-31|reminder|tg:-100 exists: left as it was
          ["2021-03-31|reminder|tg:-100", "tg:-100"],
        ]);
        await archive.moveChat("tg:-404", "tg:-405"); // nothing of that chat: nothing changes
        expect(await archive.entries()).toHaveLength(3);
      });
    });
  });
}

/** A delivered reminder of `day` to `chatId` (a send-log entry), with `more` on top. */
export function sent(day: string, chatId: string, more: Partial<SendLogEntry> = {}): SendLogEntry {
  return {
    key: `${day}|reminder|${chatId}`,
    day,
    kind: "reminder",
    chatId,
    items: [`A1@so-tu-phap#${day}#due`],
    status: "delivered",
    partsDelivered: 1,
    parts: 1,
    updatedAt: `${day}T01:00:00.000Z`,
    ...more,
  };
}
