import { existsSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { buildRuntime } from "../../src/boot/runtime.ts";
import { openForReading } from "../../src/cli/open.ts";
import { StoreError, openPostgresStore, planArray, unmappedFields } from "../../src/store/postgres.ts";
import { hidePassword } from "../../src/core/text.ts";
import { recordDerivation } from "../../src/core/derivation.ts";
import type { Store } from "../../src/store/types.ts";
import { silentLog, tempDir, testConfig } from "../support/env.ts";
import { startOnPostgres } from "../support/pg-e2e.ts";
import { emptyDatabase, freshDatabase, migrationNames, queryDb, stopPgServer } from "../support/postgres.ts";
import { ev, sent, storeContract, task } from "./contract.ts";

afterAll(stopPgServer, 60_000);

storeContract("postgres", async () => {
  const url = await freshDatabase();
  let current: Store = await openPostgresStore(url);
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = await openPostgresStore(url);
      return current;
    },
    cleanup: () => current.close(),
  };
});

function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "resolved",
    (e) => (e instanceof StoreError ? e.code : `other: ${e}`),
  );
}

describe("planArray", () => {
  it("keeps positions of kept elements, appends after the last, replaces in place", () => {
    const a = { a: 1 };
    const b = { b: 1 };
    const c = { c: 1 };
    const b2 = { b: 2 };
    const d = { d: 1 };
    expect(planArray([a, b, c], [0, 1, 2], [a, b, c, d])).toEqual({
      rewrite: false,
      upserts: [[3, d]],
      deletes: [],
      positions: [0, 1, 2, 3],
    });
    expect(planArray([a, b, c], [0, 1, 2], [a, b2, c])).toEqual({ rewrite: false, upserts: [[1, b2]], deletes: [], positions: [0, 1, 2] });
    expect(planArray([a, b, c], [0, 1, 2], [a, c])).toEqual({ rewrite: false, upserts: [], deletes: [1], positions: [0, 2] });
    expect(planArray([a, c], [0, 2], [d, a, b, c])).toEqual({
      rewrite: false,
      upserts: [
        [-1, d],
        [1, b],
      ],
      deletes: [],
      positions: [-1, 0, 1, 2],
    });
    expect(planArray([a, b], [0, 1], [b, a]).rewrite).toBe(true);
  });

  it("applied to the rows of any array, gives the rows of any edit of it (fast-check)", () => {
    const objects = Array.from({ length: 12 }, (_, i) => ({ i }));
    const edit = fc.oneof(
      fc.record({ op: fc.constant("push" as const), n: fc.nat(11) }),
      fc.record({ op: fc.constant("insert" as const), at: fc.nat(20), n: fc.nat(11) }),
      fc.record({ op: fc.constant("remove" as const), at: fc.nat(20) }),
      fc.record({ op: fc.constant("replace" as const), at: fc.nat(20) }),
      fc.record({ op: fc.constant("reverse" as const) }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(edit, { maxLength: 6 }), { minLength: 1, maxLength: 8 }), (updates) => {
        let arr: object[] = [];
        let pos: number[] = [];
        const rows = new Map<number, unknown>();
        for (const edits of updates) {
          const next = arr.slice();
          for (const e of edits) {
            if (e.op === "push") next.push(objects[e.n]);
            else if (e.op === "insert") next.splice(e.at % (next.length + 1), 0, objects[e.n]);
            else if (e.op === "remove" && next.length) next.splice(e.at % next.length, 1);
            else if (e.op === "replace" && next.length) next[e.at % next.length] = { ...next[e.at % next.length] };
            else if (e.op === "reverse") next.reverse();
          }
          const plan = planArray(arr, pos, next);
          // the same plan when the update that made `next` says which range it changed
          let start = 0;
          while (start < arr.length && start < next.length && arr[start] === next[start]) start++;
          let [end, fromEnd] = [next.length, arr.length];
          while (end > start && fromEnd > start && arr[fromEnd - 1] === next[end - 1]) [end, fromEnd] = [end - 1, fromEnd - 1];
          const derived = next.slice();
          recordDerivation(derived, { from: arr, start, end, fromEnd });
          expect(planArray(arr, pos, derived)).toEqual(plan);
          if (plan.rewrite) rows.clear();
          for (const p of plan.deletes) rows.delete(p);
          for (const [p, e] of plan.upserts) rows.set(p, e);
          const stored = [...rows.entries()].sort((x, y) => x[0] - y[0]);
          expect(stored.map(([, e]) => e)).toEqual(next);
          for (const [i, [, e]] of stored.entries()) expect(e).toBe(next[i]);
          expect(stored.map(([p]) => p)).toEqual(plan.positions);
          arr = next;
          pos = plan.positions;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("postgres store", () => {
  it("every StoreData field has a place in the schema", () => {
    expect(unmappedFields()).toEqual([]);
  });

  it("a database of the previous schema (no send-log archive table) is upgraded at open, its data kept", async () => {
    const url = await emptyDatabase();
    const entry = (day: string) => sent(day, "tg:-1");
    const first = await openPostgresStore(url);
    await first.update((d) => {
      d.tasks.push(task("T1"));
      d.sendLog.push(entry("2021-03-30"), entry("2021-03-31"));
      return { result: null };
    });
    await first.close();
    // As the dondoc before the archive left it: no table, no record of its migration.
    await queryDb(url, async (c) => {
      await c.query("DROP TABLE send_log_archive");
      await c.query("DELETE FROM pgmigrations WHERE name = '1764600000000_send-log-archive'");
    });
    const upgraded = await openPostgresStore(url);
    try {
      expect(upgraded.read().sendLog.map((e) => e.day)).toEqual(["2021-03-30", "2021-03-31"]);
      expect(await upgraded.sendLogArchive.entries()).toEqual([]);
      await upgraded.sendLogArchive.append([upgraded.read().sendLog[0]]);
    } finally {
      await upgraded.close();
    }
    const reopened = await openPostgresStore(url);
    try {
      expect((await reopened.sendLogArchive.entries()).map((e) => e.day)).toEqual(["2021-03-30"]);
      const migrations = await queryDb(url, (c) => c.query("SELECT name FROM pgmigrations ORDER BY id"));
      expect(migrations.rows.map((r) => r.name)).toEqual(migrationNames());
    } finally {
      await reopened.close();
    }
  });

  it("creates its schema on an empty database, then writes one row per element and only what changed", async () => {
    const url = await emptyDatabase();
    const store = await openPostgresStore(url);
    try {
      await store.update((d) => {
        d.tasks.push(task("T1"), task("T2"), task("T3"));
        d.counters.extension = 1;
        return { result: null, events: [ev("import", { taskCode: "T1", agencyId: "so-tu-phap" })] };
      });
      const ctidsBefore = await queryDb(url, (c) => c.query("SELECT code, ctid::text FROM tasks ORDER BY pos"));
      await store.update((d) => {
        d.tasks[1] = { ...d.tasks[1], title: "Đã sửa tên" };
        return { result: null };
      });
      const ctidsAfter = await queryDb(url, (c) => c.query("SELECT code, ctid::text, data->>'title' AS title FROM tasks ORDER BY pos"));
      expect(ctidsAfter.rows.map((r) => r.code)).toEqual(["T1", "T2", "T3"]);
      // T1 and T3 were not rewritten (same physical row); T2 was
      expect(ctidsAfter.rows[0].ctid).toBe(ctidsBefore.rows[0].ctid);
      expect(ctidsAfter.rows[2].ctid).toBe(ctidsBefore.rows[2].ctid);
      expect(ctidsAfter.rows[1].ctid).not.toBe(ctidsBefore.rows[1].ctid);
      expect(ctidsAfter.rows[1].title).toBe("Đã sửa tên");
      const events = await queryDb(url, (c) => c.query("SELECT seq, task_code, agency_id, action FROM events"));
      expect(events.rows).toEqual([{ seq: "1", task_code: "T1", agency_id: "so-tu-phap", action: "import" }]);
      const kv = await queryDb(url, (c) => c.query("SELECT coll, key, value FROM kv"));
      expect(kv.rows).toEqual([{ coll: "counters", key: "extension", value: 1 }]);
      const migrations = await queryDb(url, (c) => c.query("SELECT name FROM pgmigrations"));
      expect(migrations.rows.map((r) => r.name)).toEqual(migrationNames());
    } finally {
      await store.close();
    }
  });

  it("close and reopen keeps every collection, in order, and the events", async () => {
    const url = await freshDatabase();
    let store = await openPostgresStore(url);
    await store.update((d) => {
      d.tasks.push(task("A"), task("B"), task("C"), task("D"));
      d.extraAliases["Sở TT&TT"] = "so-tttt";
      d.extraAliases["VP. UBND"] = "vp-ubnd";
      d.pendingImports.x = { any: ["thing", 1] };
      d.sendLog.push({
        key: "2026-03-02|reminder|tg:-1",
        day: "2026-03-02",
        kind: "reminder",
        chatId: "tg:-1",
        items: ["A@so-tu-phap#2026-03-05#notice"],
        status: "delivered",
        partsDelivered: 1,
        parts: 1,
        updatedAt: "2026-03-02T01:00:00.000Z",
      });
      d.appliedUpdates.push({ key: "tg:1", at: "2026-03-02T01:00:00.000Z" });
      return { result: null, events: [ev("a"), ev("b", { taskCode: "A" })] };
    });
    // removal, insertion in the middle, replacement, reorder of another collection
    await store.update((d) => {
      d.tasks.splice(1, 1);
      d.tasks.splice(1, 0, task("X"), task("Y"));
      d.tasks[0] = { ...d.tasks[0], title: "A mới" };
      delete d.extraAliases["Sở TT&TT"];
      d.extraAliases["Sở Y tế"] = "so-y-te";
      return { result: null, events: [ev("c")] };
    });
    const before = store.read();
    expect(before.tasks.map((t) => t.code)).toEqual(["A", "X", "Y", "C", "D"]);
    await store.close();
    store = await openPostgresStore(url);
    try {
      expect(store.read()).toEqual(before);
      expect(Object.keys(store.read().extraAliases)).toEqual(["VP. UBND", "Sở Y tế"]);
      await store.update((d) => {
        d.tasks.sort((a, b) => b.code.localeCompare(a.code));
        return { result: null };
      });
      const sorted = store.read();
      await store.close();
      store = await openPostgresStore(url);
      expect(store.read().tasks.map((t) => t.code)).toEqual(["Y", "X", "D", "C", "A"]);
      expect(store.read()).toEqual(sorted);
      expect((await store.events()).map((e) => e.action)).toEqual(["c", "b", "a"]);
      expect((await store.events({ since: "2026-03-01T08:00:00.000Z", taskCode: "A" })).map((e) => e.seq)).toEqual([2]);
      expect(await store.events({ since: "2026-03-02T00:00:00.000Z" })).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("a transaction that fails in the database changes nothing, in memory or in the tables", async () => {
    const url = await freshDatabase();
    const store = await openPostgresStore(url);
    try {
      await store.update((d) => {
        d.tasks.push(task("T1"));
        d.counters.n = 1;
        return { result: null, events: [ev("a")] };
      });
      const before = store.read();
      // A NUL character is valid in JS and JSON text but refused by PostgreSQL's text: the
      // INSERT of the event fails after the task and counter rows were written in the transaction.
      const err = await store
        .update((d) => {
          d.tasks.push(task("T2"));
          d.counters.n = 2;
          return { result: null, events: [ev("b", { taskCode: "T2" }), ev("c", { action: "x\u0000y" } as any)] };
        })
        .catch((e) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect(err.code).toBe("FAILED");
      expect(store.read()).toBe(before);
      const tasks = await queryDb(url, (c) => c.query("SELECT code FROM tasks"));
      expect(tasks.rows).toEqual([{ code: "T1" }]);
      const kv = await queryDb(url, (c) => c.query("SELECT value FROM kv WHERE key = 'n'"));
      expect(kv.rows).toEqual([{ value: 1 }]);
      expect((await store.events()).map((e) => e.seq)).toEqual([1]);
      // the store carries on, with the next seq
      await store.update((d) => {
        d.counters.n = 3;
        return { result: null, events: [ev("d")] };
      });
      expect((await store.events()).map((e) => e.seq)).toEqual([2, 1]);
    } finally {
      await store.close();
    }
  });

  it("a lost connection: the update fails and changes nothing, later ones are refused until reopened", async () => {
    const url = await freshDatabase();
    let store = await openPostgresStore(url);
    try {
      await store.update((d) => {
        d.counters.n = 1;
        return { result: null, events: [ev("a")] };
      });
      const before = store.read();
      const db = new URL(url).pathname.slice(1);
      await queryDb(url, (c) =>
        c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [db]),
      );
      const failed = (fn: () => Promise<unknown>) => codeOf(fn());
      const bump = () =>
        store.update((d) => {
          d.counters.n = 2;
          return { result: null, events: [ev("b")] };
        });
      expect(await failed(bump)).toBe("FAILED");
      expect(store.read()).toBe(before);
      expect(await failed(bump)).toBe("FAILED");
      await store.close();
      store = await openPostgresStore(url);
      expect(store.read().counters.n).toBe(1);
      expect((await store.events()).map((e) => e.action)).toEqual(["a"]);
      await bump();
      expect(store.read().counters.n).toBe(2);
    } finally {
      await store.close();
    }
  });

  it("sslmode=require against a server without SSL: said in Vietnamese, with what to change", async () => {
    const url = new URL(await freshDatabase());
    url.searchParams.set("sslmode", "require");
    url.searchParams.set("uselibpqcompat", "true"); // libpq's meaning of require (and no pg warning about the other)
    const err = await openPostgresStore(url.toString()).catch((e) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err.message).toMatch(/máy chủ không dùng SSL: bỏ sslmode khỏi DATABASE_URL/);
    expect(err.message).not.toMatch(/does not support/);
  });

  it("a server that does not answer gives a clear error without the password", async () => {
    const url = "postgres://dondoc:s3cr3t-pass@127.0.0.1:1/dondoc";
    const err = await openPostgresStore(url).catch((e) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err.code).toBe("FAILED");
    expect(err.message).toMatch(/Không kết nối được cơ sở dữ liệu PostgreSQL/);
    expect(err.message).not.toContain("s3cr3t-pass");
    expect(hidePassword(url)).toBe("postgres://dondoc:***@127.0.0.1:1/dondoc");
  });
});

describe("DATABASE_URL switches the bot to PostgreSQL", () => {
  it("buildRuntime opens the database (the inbox too: nothing in DATA_DIR); previews open it beside the bot", async () => {
    const url = await freshDatabase();
    const { dir, cleanup } = await tempDir();
    try {
      const config = testConfig({ DATA_DIR: dir, DATABASE_URL: url });
      const runtime = await buildRuntime(config, silentLog);
      await runtime.store.update((d) => {
        d.extraAliases["Sở Nội vụ tỉnh"] = "so-noi-vu";
        return { result: null, events: [ev("alias")] };
      });
      expect(existsSync(join(dir, "store.json"))).toBe(false);
      expect(existsSync(join(dir, "inbox.jsonl"))).toBe(false);
      await runtime.inbox!.accept([{ key: "tg:1", chat: "tg:-1", payload: { update_id: 1 } }]);
      expect((await queryDb(url, (c) => c.query("SELECT key FROM inbox WHERE done_at IS NULL"))).rows).toEqual([{ key: "tg:1" }]);
      // a preview opens the database beside the bot (no inbox: it would take the bot's updates)
      const preview = await openForReading(config, silentLog);
      expect(preview.inbox).toBeUndefined();
      expect(preview.store.read().extraAliases).toEqual({ "Sở Nội vụ tỉnh": "so-noi-vu" });
      expect((await preview.store.events()).map((e) => e.action)).toEqual(["alias"]);
      await preview.store.close();
      await runtime.store.close();
      const store = await openPostgresStore(url);
      expect(store.read().extraAliases).toEqual({ "Sở Nội vụ tỉnh": "so-noi-vu" });
      await store.close();
      // STORE=file keeps the JSON file even with DATABASE_URL set
      const fileRuntime = await buildRuntime(testConfig({ DATA_DIR: dir, DATABASE_URL: url, STORE: "file" }), silentLog);
      expect(fileRuntime.store.read().extraAliases).toEqual({});
      await fileRuntime.store.close();
      expect(existsSync(join(dir, "store.json"))).toBe(true);
    } finally {
      await cleanup();
    }
  });
});

describe("e2e on PostgreSQL: the Telegram bot over the emulator", () => {
  it("the database drops the bot's connections: the webhook answers 503 (Telegram retries), nothing is lost; after a restart the command is handled", async () => {
    const { url, h, group, officer } = await startOnPostgres();
    try {
      await queryDb(url, (c) =>
        c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"),
      );
      const start = Date.now();
      while (!h.runtime.store.problem?.() && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 20));
      expect(h.runtime.store.problem?.()).toMatch(/PostgreSQL/);
      const health = await fetch(`http://127.0.0.1:${h.runtime.config.TELEGRAM_WEBHOOK_PORT}/healthz`);
      expect(health.status).toBe(503);
      // Telegram delivers the command; the bot cannot keep it: 503, so Telegram will deliver it again.
      await expect(group.command(officer, "/tiendo a4 60 đã có dự thảo")).rejects.toThrow(/HTTP 503/);
      expect(await group.messages()).toEqual([]);
      await h.restart(); // what the 503 on /healthz asks of the operator (or the supervisor)
      await group.command(officer, "/tiendo a4 60 đã có dự thảo"); // Telegram's next delivery
      expect(await group.text()).toContain("tiến độ 0% → 60%");
    } finally {
      await h.stop();
    }
  });
  it("/tiendo writes its change and audit event to the database; a restart finds them", async () => {
    const { url, h, group, officer } = await startOnPostgres();
    try {
      await group.command(officer, "/tiendo a4 60 đã có dự thảo");
      expect(await group.text()).toContain("A4 — Sở Tư pháp: tiến độ 0% → 60% (đã có dự thảo)");
      const row = await queryDb(url, (c) => c.query("SELECT data->>'progress' AS progress FROM assignments WHERE id = 'A4@so-tu-phap'"));
      expect(row.rows).toEqual([{ progress: "60" }]);
      await h.restart();
      expect(h.runtime.store.read().assignments.find((a) => a.id === "A4@so-tu-phap")?.progress).toBe(60);
      const [event] = await h.runtime.store.events({ taskCode: "A4", agencyId: "so-tu-phap", limit: 1 });
      expect(event).toMatchObject({
        action: "progress",
        actor: { id: "tg:3003" },
        after: { progress: 60 },
        text: "/tiendo a4 60 đã có dự thảo",
      });
      expect(existsSync(join(h.dataDir, "store.json"))).toBe(false);
    } finally {
      await h.stop();
    }
  });
});
