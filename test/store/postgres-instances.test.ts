/**
 * Several processes on one PostgreSQL database (issue 14, item 2): each store keeps its state
 * in memory; an update is written only if no other process wrote since its state (else it
 * catches up and runs again), `refresh()` catches up between updates, `exclusive(name)`
 * lets one process at a time run, `sharedSecret` gives every process the same secret.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { webhookSecret, zaloWebhookSecret } from "../../src/boot/runtime.ts";
import { tempDir, testConfig } from "../support/env.ts";
import { afterAll, describe, expect, it } from "vitest";
import { ALREADY_APPLIED, StoreInbox } from "../../src/bot/inbox.ts";
import { Refusal } from "../../src/core/refusal.ts";
import { LEASE_MS, openPgInbox } from "../../src/store/inbox-pg.ts";
import { openPostgresStore, type PostgresStore } from "../../src/store/postgres.ts";
import type { StoreData } from "../../src/store/types.ts";
import { emptyDatabase, freshDatabase, migrationNames, queryDb, stopPgServer } from "../support/postgres.ts";
import { ev, task } from "./contract.ts";

afterAll(stopPgServer, 60_000);

/** What a process sees, comparable across processes (plain JSON). */
const view = (d: StoreData) => JSON.parse(JSON.stringify(d));

async function pair(): Promise<{ url: string; a: PostgresStore; b: PostgresStore; close: () => Promise<void> }> {
  const url = await freshDatabase();
  const a = await openPostgresStore(url);
  const b = await openPostgresStore(url);
  return { url, a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
}

describe("two processes on one PostgreSQL database", () => {
  it("starting together on an empty database, both open it: the schema is migrated once, the second waits", async () => {
    const url = await emptyDatabase();
    const stores = await Promise.all(Array.from({ length: 3 }, () => openPostgresStore(url)));
    const migrations = await queryDb(url, (c) => c.query("SELECT name FROM pgmigrations ORDER BY id"));
    expect(migrations.rows.map((r) => r.name)).toEqual(migrationNames());
    await Promise.all(stores.map((s) => s.close()));
  });

  it("both open it; one sees the other's change after refresh(), and an update never loses the other's", async () => {
    const { a, b, close } = await pair();
    try {
      await a.update((d) => {
        d.tasks = [task("T1"), task("T2")];
        d.counters = { ...d.counters, n: 1 };
        return { result: null, events: [ev("import", { taskCode: "T1" })] };
      });
      expect(b.read().tasks).toEqual([]); // its snapshot: not refreshed yet
      await b.refresh();
      expect(b.read().tasks.map((t) => t.code)).toEqual(["T1", "T2"]);
      // b's update runs on the latest state even without a refresh: a's next change is kept
      await a.update((d) => {
        d.tasks = [d.tasks[0], task("T15"), d.tasks[1]];
        return { result: null, events: [ev("add", { taskCode: "T15" })] };
      });
      const seen = await b.update((d) => {
        d.counters = { ...d.counters, n: (d.counters.n ?? 0) + 1 };
        return { result: d.tasks.map((t) => t.code), events: [ev("bump")] };
      });
      expect(seen).toEqual(["T1", "T15", "T2"]);
      await a.refresh();
      expect(view(a.read())).toEqual(view(b.read()));
      expect(a.read().counters.n).toBe(2);
      expect(a.read().eventSeq).toBe(3);
      expect((await a.events()).map((e) => [e.seq, e.action])).toEqual([
        [3, "bump"],
        [2, "add"],
        [1, "import"],
      ]);
    } finally {
      await close();
    }
  });

  it("updates racing from both processes are serialised: none lost, audit seq 1…n without a gap", async () => {
    const { a, b, close } = await pair();
    try {
      const bump = (s: PostgresStore, who: string) =>
        s.update((d) => {
          d.counters = { ...d.counters, n: (d.counters.n ?? 0) + 1 };
          d.runLog = [
            ...d.runLog,
            { key: `${who}${d.counters.n}`, day: "2026-03-02", kind: "reminder", startedAt: "2026-03-02T01:00:00.000Z" },
          ];
          return { result: null, events: [ev(who)] };
        });
      await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 ? a : b, i % 2 ? "a" : "b")));
      await Promise.all([a.refresh(), b.refresh()]);
      expect(a.read().counters.n).toBe(40);
      expect(view(a.read())).toEqual(view(b.read()));
      expect(a.read().runLog).toHaveLength(40);
      const seqs = (await a.events()).map((e) => e.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    } finally {
      await close();
    }
  });

  it("catching up from the changed rows gives what a fresh open reads, for any edits by either process (fast-check)", async () => {
    const { url, a, b, close } = await pair();
    type Op = { by: 0 | 1; kind: "add" | "insert" | "replace" | "remove" | "sort" | "alias" | "unalias"; at: number; name: string };
    const op = fc.record({
      by: fc.constantFrom(0 as const, 1 as const),
      kind: fc.constantFrom("add", "insert", "replace", "remove", "sort", "alias", "unalias"),
      at: fc.nat(50),
      name: fc.stringMatching(/^[A-Z][0-9]{1,2}$/),
    }) as fc.Arbitrary<Op>;
    const apply = (s: PostgresStore, o: Op) =>
      s.update((d) => {
        const list = d.tasks;
        const i = list.length ? o.at % list.length : 0;
        if (o.kind === "add") d.tasks = [...list, task(o.name)];
        else if (o.kind === "insert") d.tasks = [...list.slice(0, i), task(o.name), ...list.slice(i)];
        else if (o.kind === "replace" && list.length) d.tasks = list.map((t, j) => (j === i ? { ...t, title: `${t.title}*` } : t));
        else if (o.kind === "remove" && list.length) d.tasks = list.filter((_, j) => j !== i);
        else if (o.kind === "sort") d.tasks = [...list].sort((x, y) => y.code.localeCompare(x.code));
        else if (o.kind === "alias") d.extraAliases = { ...d.extraAliases, [o.name]: "so-noi-vu" };
        else if (o.kind === "unalias") d.extraAliases = Object.fromEntries(Object.entries(d.extraAliases).filter(([k]) => k !== o.name));
        return { result: null, events: [ev(o.kind)] };
      });
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
          for (const o of ops) {
            const s = o.by ? b : a;
            if (o.at % 3 === 0) await s.refresh(); // sometimes caught up before, sometimes inside the update
            await apply(s, o);
          }
          await Promise.all([a.refresh(), b.refresh()]);
          const fresh = await openPostgresStore(url);
          try {
            expect(view(a.read())).toEqual(view(fresh.read()));
            expect(view(b.read())).toEqual(view(fresh.read()));
          } finally {
            await fresh.close();
          }
        }),
        { numRuns: 25 },
      );
    } finally {
      await close();
    }
  });

  it("a process further behind than the kept change history reloads everything", async () => {
    const { url, a, b, close } = await pair();
    try {
      for (let i = 0; i < 3; i++) {
        await a.update((d) => {
          d.tasks = [...d.tasks, task(`T${i}`)];
          return { result: null };
        });
      }
      await queryDb(url, (c) => c.query("DELETE FROM store_changes"));
      await b.refresh();
      expect(b.read().tasks.map((t) => t.code)).toEqual(["T0", "T1", "T2"]);
      await b.update((d) => {
        d.tasks = d.tasks.filter((t) => t.code !== "T1");
        return { result: null };
      });
      await a.refresh();
      expect(a.read().tasks.map((t) => t.code)).toEqual(["T0", "T2"]);
    } finally {
      await close();
    }
  });

  it("exclusive(name): one process at a time, the other waits; a dead holder's lock is released", async () => {
    const { url, a, b, close } = await pair();
    try {
      const trace: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let entered!: () => void;
      const inside = new Promise<void>((r) => {
        entered = r;
      });
      const first = a.exclusive("reminders", async () => {
        trace.push("a in");
        entered();
        await held;
        await a.update((d) => {
          d.counters = { ...d.counters, ran: 1 };
          return { result: null };
        });
        trace.push("a out");
      });
      await inside;
      const second = b.exclusive("reminders", async () => {
        trace.push(`b in, sees ran=${b.read().counters.ran}`); // refreshed under the lock
      });
      const other = b.exclusive("digest", async () => trace.push("b digest")); // another name: not blocked
      await other;
      release();
      await Promise.all([first, second]);
      expect(trace).toEqual(["a in", "b digest", "a out", "b in, sees ran=1"]);

      // A holder whose connection dies (the process was killed) loses the lock.
      const c = await openPostgresStore(url);
      let stuck!: () => void;
      const cIn = new Promise<void>((r) => {
        stuck = r;
      });
      void c.exclusive("reminders", () => {
        stuck();
        return new Promise(() => undefined); // never finishes
      });
      await cIn;
      await queryDb(url, (q) =>
        q.query(
          "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = hashtext('reminders')::oid",
        ),
      );
      expect(await b.exclusive("reminders", async () => "got it")).toBe("got it");
      await c.close().catch(() => undefined);
    } finally {
      await close();
    }
  });

  it("sharedSecret: the first process makes it, every other one gets the same", async () => {
    const { a, b, close } = await pair();
    const dirs = [await tempDir(), await tempDir()];
    try {
      const one = await a.sharedSecret("webhook", () => "s1");
      const two = await b.sharedSecret("webhook", () => "s2");
      expect([one, two]).toEqual(["s1", "s1"]);
      // The generated webhook secrets of two instances (their own DATA_DIRs) are the same, and in no file.
      const [ta, tb] = [
        await webhookSecret(testConfig({ DATA_DIR: dirs[0].dir }), a),
        await webhookSecret(testConfig({ DATA_DIR: dirs[1].dir }), b),
      ];
      expect(ta).toMatch(/^[\w-]{43}$/);
      expect(tb).toBe(ta);
      expect(await zaloWebhookSecret(testConfig({ DATA_DIR: dirs[1].dir }), b)).not.toBe(ta);
      expect(existsSync(join(dirs[0].dir, "webhook-secret"))).toBe(false);
    } finally {
      await close();
      for (const d of dirs) await d.cleanup();
    }
  });
});

describe("the inbox in PostgreSQL, shared by the instances", () => {
  const T0 = new Date("2026-03-02T01:00:00.000Z");
  const later = (ms: number) => new Date(T0.getTime() + ms);
  const update = (n: number) => ({ key: `tg:${n}`, chat: "tg:-100", payload: { update_id: n } });

  it("a re-delivery to another instance is dropped; an update left by a dead instance is taken over once its lease ran out", async () => {
    const { url, a, b, close } = await pair();
    /** Time passes beyond every lease held now (leases are on the database's clock). */
    const leasesRunOut = () =>
      queryDb(url, (c) => c.query("UPDATE inbox SET lease_until = now() - interval '1 second' WHERE done_at IS NULL"));
    const first = await openPgInbox(url, T0);
    try {
      const inA = new StoreInbox(a, first, () => T0);
      expect((await inA.accept([update(1), update(2), update(2)])).map((i) => i.key)).toEqual(["tg:1", "tg:2"]);
      await inA.done("tg:1");
      // the same update re-sent to the second instance
      const second = await openPgInbox(url, later(60_000));
      const inB = new StoreInbox(b, second, () => later(60_000));
      expect(await inB.accept([update(2), update(3)])).toEqual([expect.objectContaining({ key: "tg:3" })]);
      expect(inB.pending().map((i) => i.key)).toEqual(["tg:3"]); // tg:2 is the first one's
      expect(await inB.takeOver("tg:")).toEqual([]); // still leased to it
      await second.close();
      // both die with tg:2 and tg:3 not handled; after their leases an instance takes them — its own platform's only
      await leasesRunOut();
      const third = await openPgInbox(url, later(LEASE_MS + 1));
      expect(third.pending()).toEqual([]); // opening takes nothing: each adapter takes its own platform's
      expect(await third.takeOver!("zl:")).toEqual([]);
      expect((await third.takeOver!("tg:")).map((r) => r.key)).toEqual(["tg:2", "tg:3"]);
      expect(third.pending().map((r) => r.key)).toEqual(["tg:2", "tg:3"]);
      await third.close();
      const fourth = await openPgInbox(url, later(LEASE_MS + 2));
      expect(await fourth.takeOver!("tg:")).toEqual([]); // taken by the third: leased again
      await fourth.close();
      // A running instance takes over, every minute, what a dead one left — of its platform only.
      const running = new StoreInbox(b, await openPgInbox(url, T0), () => later(120_000));
      await running.accept([update(4), { key: "zl:e:9", chat: "zl:g", payload: {} }]);
      await leasesRunOut(); // it "died" without handling them; another instance runs on
      const other = new StoreInbox(a, await openPgInbox(url, T0), () => T0);
      expect((await other.takeOver("tg:")).map((i) => [i.key, i.applied])).toEqual([
        ["tg:2", false],
        ["tg:3", false],
        ["tg:4", false],
      ]);
      expect((await other.takeOver("zl:")).map((i) => i.key)).toEqual(["zl:e:9"]);
      expect(await other.takeOver("tg:")).toEqual([]);
      await running.store.close();
      await other.store.close();
    } finally {
      await first.close();
      await close();
    }
  });

  it("a restarted instance takes back at once what it held (same id), leased or not; another instance does not", async () => {
    const { url, a, b, close } = await pair();
    try {
      const before = new StoreInbox(a, await openPgInbox(url, T0, "inst-a"), () => T0);
      await before.accept([update(1), update(2)]);
      await before.done("tg:1");
      await before.store.close(); // killed with tg:2 not handled, its lease still running
      const other = new StoreInbox(b, await openPgInbox(url, T0, "inst-b"), () => T0);
      expect(await other.takeOver("tg:", true)).toEqual([]);
      const after = new StoreInbox(await openPostgresStore(url), await openPgInbox(url, T0, "inst-a"), () => T0);
      expect((await after.takeOver("tg:", true)).map((i) => i.key)).toEqual(["tg:2"]);
      expect(await after.takeOver("tg:")).toEqual([]); // the minute's sweep: not again
      await other.store.close();
      await after.store.close();
    } finally {
      await close();
    }
  });

  /** Two instances on one database, each with its inbox; `bump` adds 1 to counters.n (and returns it). */
  async function twoInstances() {
    const { url, a, b, close } = await pair();
    const [fa, fb] = [await openPgInbox(url, T0), await openPgInbox(url, T0)];
    return {
      a,
      b,
      inA: new StoreInbox(a, fa, () => T0),
      inB: new StoreInbox(b, fb, () => T0),
      close: async () => {
        await Promise.all([fa.close(), fb.close()]);
        await close();
      },
    };
  }
  const bump = (store: Pick<PostgresStore, "update">) =>
    store.update((d) => {
      d.counters = { ...d.counters, n: (d.counters.n ?? 0) + 1 };
      return { result: d.counters.n, events: [ev("bump")] };
    });

  it("an update applied by one instance is refused, changing nothing, when another handles it again", async () => {
    const { b, inA, inB, close } = await twoInstances();
    try {
      // one handling may save twice; both writes go through
      await inA.handling("tg:7", async () => {
        await bump(inA.store);
        await bump(inA.store);
      });
      const error = await inB.handling("tg:7", () => bump(inB.store)).catch((e) => e);
      expect(error).toBeInstanceOf(Refusal);
      expect(error.message).toBe(ALREADY_APPLIED);
      await b.refresh();
      expect(b.read().counters.n).toBe(2);
      expect(b.read().eventSeq).toBe(2);
    } finally {
      await close();
    }
  });

  it("the same update handled by both at once (the other applies it between this one's refresh and write): applied once", async () => {
    const { a, b, inA, inB, close } = await twoInstances();
    try {
      // b has refreshed (handling) and prepares its write on a state without a's mark
      const error = await inB
        .handling("tg:8", async () => {
          await inA.handling("tg:8", () => bump(inA.store));
          return bump(inB.store);
        })
        .catch((e) => e);
      expect(error).toBeInstanceOf(Refusal);
      expect(error.message).toBe(ALREADY_APPLIED);
      await Promise.all([a.refresh(), b.refresh()]);
      expect(b.read().counters.n).toBe(1);
      expect(view(a.read())).toEqual(view(b.read()));
    } finally {
      await close();
    }
  });

  it("an update is handled on a state at least as new as when it was accepted, and reads nothing more if the instance is there", async () => {
    const { a, b, inB, close } = await twoInstances();
    try {
      await bump(a); // revision 1, which b has not read
      await inB.accept([update(1)]);
      expect(await inB.handling("tg:1", async () => b.read().counters.n)).toBe(1); // caught up
      // accepted at revision 1; a writes revision 2 before b handles it: b's read is as of the
      // request (no query), and b's write is computed again on revision 2 — nothing lost
      await inB.accept([update(2)]);
      await bump(a);
      const [readThen, written] = await inB.handling("tg:2", async () => [b.read().counters.n, await bump(inB.store)]);
      expect([readThen, written]).toEqual([1, 3]);
      await a.refresh();
      expect(a.read().counters.n).toBe(3);
    } finally {
      await close();
    }
  });
});

describe("a write prepared on a state another process has changed since (optimistic concurrency)", () => {
  it("writes nothing, catches up and runs fn again on the newer state; a refusal there changes nothing", async () => {
    const { a, b, close } = await pair();
    try {
      await a.update((d) => {
        d.tasks = [task("T1")];
        return { result: null, events: [ev("import")] };
      });
      await b.refresh();
      await a.update((d) => {
        d.tasks = [...d.tasks, task("T2")];
        return { result: null, events: [ev("add", { taskCode: "T2" })] };
      });
      // b has not refreshed: its first attempt sees [T1] only
      const seen: string[][] = [];
      await b.update((d) => {
        seen.push(d.tasks.map((t) => t.code));
        d.tasks = [...d.tasks, task("T3")];
        return { result: null, events: [ev("add", { taskCode: "T3" })] };
      });
      expect(seen).toEqual([["T1"], ["T1", "T2"]]);
      await a.refresh();
      expect(a.read().tasks.map((t) => t.code)).toEqual(["T1", "T2", "T3"]);
      expect((await a.events()).map((e) => e.seq)).toEqual([3, 2, 1]);

      // a removes T3; b, stale, would rename it: its second attempt finds no T3 and refuses
      await a.update((d) => {
        d.tasks = d.tasks.filter((t) => t.code !== "T3");
        return { result: null, events: [ev("remove", { taskCode: "T3" })] };
      });
      const refusal = await b
        .update((d) => {
          if (!d.tasks.some((t) => t.code === "T3")) throw new Refusal("Không có nhiệm vụ T3");
          d.tasks = d.tasks.map((t) => (t.code === "T3" ? { ...t, title: "đổi" } : t));
          return { result: null, events: [ev("rename", { taskCode: "T3" })] };
        })
        .catch((e) => e);
      expect(refusal).toBeInstanceOf(Refusal);
      expect(view(b.read())).toEqual(view(a.read()));
      expect(b.read().eventSeq).toBe(4);
      expect((await b.events()).map((e) => e.action)).toEqual(["remove", "add", "add", "import"]);
    } finally {
      await close();
    }
  });
});
