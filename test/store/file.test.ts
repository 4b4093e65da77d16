import { runWriterAndKill } from "./fixtures/kill.ts";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, mkdtemp, open as openFh, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { Event } from "../../src/core/schemas.ts";
import { migrateRaw, openFileStore, StoreError, type FileStoreOptions } from "../../src/store/file.ts";
import { SEND_LOG_ARCHIVE_FILE } from "../../src/store/sendlog-archive.ts";
import { openForReading } from "../../src/cli/open.ts";
import { silentLog, testConfig } from "../support/env.ts";
import type { Store } from "../../src/store/types.ts";
import { ev, sent, storeContract } from "./contract.ts";

const here = dirname(fileURLToPath(import.meta.url));
const writer = join(here, "fixtures", "crash-writer.ts");

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "dondoc-store-"));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

storeContract("file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dondoc-store-"));
  let current: Store = await openFileStore(dir);
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = await openFileStore(dir);
      return current;
    },
    cleanup: async () => {
      await current.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

async function lines(path: string): Promise<string[]> {
  const text = await readFile(path, "utf8");
  return text.split("\n").filter((l) => l !== "");
}

async function open(dir: string, opts: FileStoreOptions = {}): Promise<{ store: Store; warnings: string[] }> {
  const warnings: string[] = [];
  const store = await openFileStore(dir, { ...opts, onWarning: (m) => warnings.push(m) });
  return { store, warnings };
}

function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "resolved",
    (e) => (e instanceof StoreError ? e.code : `other: ${e}`),
  );
}

describe("file store: layout and reopen", () => {
  it("creates store.json on open, and keeps state and events in their files", async () => {
    const dir = await tempDir();
    const store = await openFileStore(dir);
    expect(JSON.parse(await readFile(join(dir, "store.json"), "utf8"))).toMatchObject({ version: 1, eventSeq: 0 });
    expect(await readFile(join(dir, ".lock"), "utf8")).toBe(`${process.pid}\n`);
    await store.update((d) => {
      d.counters.extension = 3;
      return { result: null, events: [ev("a", { taskCode: "T1" }), ev("b")] };
    });
    // the update is one journal batch, with its events; store.json (the checkpoint) is written at close
    const batch = await lines(join(dir, "journal.jsonl"));
    expect(batch.map((l) => JSON.parse(l))).toEqual([
      { f: "counters", k: "extension", v: 3 },
      { f: "eventSeq", v: 2 },
      { ev: expect.objectContaining({ seq: 1, action: "a" }) },
      { ev: expect.objectContaining({ seq: 2, action: "b" }) },
      expect.objectContaining({ c: 1, n: 4 }),
    ]);
    const ls = await lines(join(dir, "events.jsonl"));
    expect(ls.map((l) => JSON.parse(l).seq)).toEqual([1, 2]);
    expect(JSON.parse(ls[0])).toMatchObject({ action: "a", taskCode: "T1" });
    await store.close();
    expect(existsSync(join(dir, ".lock"))).toBe(false);
    expect(JSON.parse(await readFile(join(dir, "store.json"), "utf8"))).toMatchObject({
      version: 1,
      eventSeq: 2,
      counters: { extension: 3 },
      journalGen: 1,
    });
    expect(await readFile(join(dir, "journal.jsonl"), "utf8")).toBe("");
    // no temp files left behind
    expect((await readdir(dir)).sort()).toEqual(["events.jsonl", "journal.jsonl", "store.json"]);
  });

  it("reads events backwards correctly across chunk boundaries, with multi-byte text", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    const expected: { seq: number; taskCode?: string; text: string }[] = [];
    let seq = 0;
    for (let u = 0; u < 20; u++) {
      const batch = Array.from({ length: 100 }, (_, i) => {
        const k = u * 100 + i;
        // lengths vary, some lines much longer than the 64 KiB read chunk
        const text = k % 497 === 0 ? "ữ".repeat(40_000) : `Việc ${k} ` + "ả".repeat((k * 7919) % 600);
        return ev("progress", { taskCode: `T${k % 7}`, agencyId: `a${k % 3}`, text });
      });
      await store.update(() => ({ result: null, events: batch }));
      for (const e of batch) expected.push({ seq: ++seq, taskCode: e.taskCode, text: e.text! });
    }
    const all = await store.events();
    expect(all.map((e) => e.seq)).toEqual(expected.map((e) => e.seq).reverse());
    expect(all.map((e) => e.text)).toEqual(expected.map((e) => e.text).reverse());
    const t3 = await store.events({ taskCode: "T3", agencyId: "a1", limit: 25 });
    const want = expected
      .filter((_, k) => k % 7 === 3 && k % 3 === 1)
      .reverse()
      .slice(0, 25)
      .map((e) => e.seq);
    expect(t3.map((e) => e.seq)).toEqual(want);
    await store.close();
  });

  it("opens a store with a huge audit trail by reading only its tail", async () => {
    const dir = await tempDir();
    // 1 GiB of (sparse, free) padding before the last 1000 events: reading and splitting
    // the whole file on open would take seconds and a gigabyte of memory.
    const line = (seq: number) =>
      JSON.stringify({ seq, at: "2026-01-01T00:00:00.000Z", actor: { id: "x", name: "X" }, chatId: null, action: "a" });
    const file = join(dir, "events.jsonl");
    const fh = await openFh(file, "w");
    await fh.truncate(1024 ** 3);
    await fh.close();
    const tail = Array.from({ length: 1000 }, (_, i) => line(i + 1) + "\n").join("");
    await appendFile(file, "\n" + tail);
    await writeFile(join(dir, "store.json"), JSON.stringify({ version: 1, eventSeq: 1000 }));
    const t0 = performance.now();
    const { store, warnings } = await open(dir);
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(warnings).toEqual([]);
    expect((await store.events({ limit: 3 })).map((e) => e.seq)).toEqual([1000, 999, 998]);
    await store.update(() => ({ result: null, events: [ev("next")] }));
    expect((await store.events({ limit: 2 })).map((e) => e.seq)).toEqual([1001, 1000]);
    await store.close();
  });
});

describe("file store: migrations and validation", () => {
  it("runs the migration hook from the file's version, writes the result and keeps a backup", async () => {
    const dir = await tempDir();
    const old = JSON.stringify({ version: 0, counter: 5, aliases: { "Sở TP": "so-tu-phap" } });
    await writeFile(join(dir, "store.json"), old);
    const seen: number[] = [];
    const { store, warnings } = await open(dir, {
      migrations: {
        0: (raw) => {
          seen.push(raw.version);
          return { version: 1, counters: { n: raw.counter }, extraAliases: raw.aliases };
        },
      },
    });
    expect(seen).toEqual([0]);
    expect(store.read()).toMatchObject({ version: 1, counters: { n: 5 }, extraAliases: { "Sở TP": "so-tu-phap" } });
    expect(JSON.parse(await readFile(join(dir, "store.json"), "utf8"))).toMatchObject({ version: 1, counters: { n: 5 } });
    expect(await readFile(join(dir, "store.json.v0.bak"), "utf8")).toBe(old);
    expect(warnings.join()).toMatch(/migrated/);
    await store.close();
    // second open: nothing to migrate
    const again = await open(dir, {
      migrations: {
        0: () => {
          throw new Error("must not run");
        },
      },
    });
    expect(again.store.read().counters.n).toBe(5);
    await again.store.close();
  });

  it("applies migrations in order up to the target version", () => {
    const order: string[] = [];
    const out = migrateRaw(
      { version: 1, a: 1 },
      {
        0: () => {
          throw new Error("not this one");
        },
        1: (r) => {
          order.push(`1:${r.version}`);
          return { ...r, b: r.a + 1 };
        },
        2: (r) => {
          order.push(`2:${r.version}`);
          return { ...r, c: r.b + 1 };
        },
      },
      3,
    );
    expect(order).toEqual(["1:1", "2:2"]);
    expect(out).toEqual({ version: 3, a: 1, b: 2, c: 3 });
  });

  it("a missing migration step is a clear error and leaves the file untouched", async () => {
    const dir = await tempDir();
    const old = JSON.stringify({ version: 0 });
    await writeFile(join(dir, "store.json"), old);
    await expect(openFileStore(dir)).rejects.toThrow(/No migration from version 0 to 1/);
    expect(await readFile(join(dir, "store.json"), "utf8")).toBe(old);
  });

  it("a file newer than the code is a clear error", async () => {
    const dir = await tempDir();
    const text = JSON.stringify({ version: 99 });
    await writeFile(join(dir, "store.json"), text);
    const p = openFileStore(dir);
    await expect(p).rejects.toThrow(/version 99, newer than this code supports \(1\)/);
    expect(await codeOf(openFileStore(dir))).toBe("TOO_NEW");
    expect(await readFile(join(dir, "store.json"), "utf8")).toBe(text);
  });

  it.each([
    ["unparseable JSON", '{"version": 1, "tasks": ['],
    ["an empty file", ""],
    ["not an object", "[1,2,3]"],
    ["no version", '{"tasks": []}'],
    ["schema violation", '{"version": 1, "tasks": "nope", "counters": {"n": "x"}}'],
  ])("a corrupt store.json (%s) → clear bilingual error naming the file; file untouched", async (_what, text) => {
    const dir = await tempDir();
    const file = join(dir, "store.json");
    await writeFile(file, text);
    await appendFile(join(dir, "events.jsonl"), "");
    const err = await openFileStore(dir).then(
      () => null,
      (e) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect(err.code).toBe("CORRUPT");
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/Tệp dữ liệu hỏng/);
    expect(err.message).toMatch(/Store file is corrupt/);
    expect(await readFile(file, "utf8")).toBe(text);
    // the failed open released the lock
    expect(existsSync(join(dir, ".lock"))).toBe(false);
  });

  it("store.json missing while events.jsonl has events → refuses rather than dropping the trail", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    await store.update(() => ({ result: null, events: [ev("a")] }));
    await store.close();
    await rm(join(dir, "store.json"));
    expect(await codeOf(openFileStore(dir))).toBe("INCONSISTENT");
    expect(await lines(join(dir, "events.jsonl"))).toHaveLength(1);
  });

  it("removes temp files left by a crash during a store.json write", async () => {
    const dir = await tempDir();
    await (await openFileStore(dir)).close();
    await writeFile(join(dir, ".store.json.12345.7.tmp"), '{"half');
    const store = await openFileStore(dir);
    expect(await readdir(dir)).not.toContain(".store.json.12345.7.tmp");
    await store.close();
  });
});

describe("file store: recovery of the audit trail", () => {
  async function seeded(dir: string): Promise<void> {
    const store = await openFileStore(dir);
    await store.update(() => ({ result: null, events: [ev("a"), ev("b")] }));
    await store.close();
  }
  const raw = (seq: number, action = "orphan") =>
    JSON.stringify({ seq, at: "2026-01-01T00:00:00.000Z", actor: { id: "x", name: "X" }, chatId: null, action });

  it("drops events with seq > eventSeq (a write that never completed) and sets them aside", async () => {
    const dir = await tempDir();
    await seeded(dir);
    const orphans = [raw(3), raw(4), raw(5)].join("\n") + "\n";
    await appendFile(join(dir, "events.jsonl"), orphans);
    const { store, warnings } = await open(dir);
    expect(warnings.join()).toMatch(/Dropped 3 event/);
    expect(store.read().eventSeq).toBe(2);
    expect((await store.events()).map((e) => e.action)).toEqual(["b", "a"]);
    expect(await lines(join(dir, "events.jsonl"))).toHaveLength(2);
    expect(await readFile(join(dir, "events.dropped.jsonl"), "utf8")).toBe(orphans);
    await store.update(() => ({ result: null, events: [ev("c")] }));
    expect((await store.events()).map((e) => [e.seq, e.action])).toEqual([
      [3, "c"],
      [2, "b"],
      [1, "a"],
    ]);
    await store.close();
  });

  it("tolerates a torn last line (crash mid-append)", async () => {
    const dir = await tempDir();
    await seeded(dir);
    await appendFile(join(dir, "events.jsonl"), raw(3) + "\n" + raw(4).slice(0, 30));
    const { store, warnings } = await open(dir);
    expect(warnings.join()).toMatch(/torn last line/);
    expect((await store.events()).map((e) => e.seq)).toEqual([2, 1]);
    const text = await readFile(join(dir, "events.jsonl"), "utf8");
    expect(text.endsWith("\n")).toBe(true);
    await store.update(() => ({ result: null, events: [ev("c")] }));
    await store.close();
    const again = await open(dir);
    expect(again.warnings).toEqual([]);
    expect((await again.store.events()).map((e) => e.seq)).toEqual([3, 2, 1]);
    await again.store.close();
  });

  it("a torn line alone (no complete orphan) is dropped too", async () => {
    const dir = await tempDir();
    await seeded(dir);
    await appendFile(join(dir, "events.jsonl"), '{"seq":3,"at":"2026');
    const { store } = await open(dir);
    expect((await store.events()).map((e) => e.seq)).toEqual([2, 1]);
    await store.close();
  });

  it("a torn line on a fresh store (first write crashed) leaves an empty trail", async () => {
    const dir = await tempDir();
    await (await openFileStore(dir)).close();
    await appendFile(join(dir, "events.jsonl"), raw(1) + "\n" + '{"seq":2');
    const { store } = await open(dir);
    expect(await store.events()).toEqual([]);
    expect((await stat(join(dir, "events.jsonl"))).size).toBe(0);
    await store.update(() => ({ result: null, events: [ev("a")] }));
    expect((await store.events())[0].seq).toBe(1);
    await store.close();
  });

  it("warns when the trail lacks events store.json claims", async () => {
    const dir = await tempDir();
    await seeded(dir);
    await writeFile(join(dir, "events.jsonl"), raw(1, "a") + "\n");
    const { store, warnings } = await open(dir);
    expect(warnings.join()).toMatch(/missing events/);
    await store.update(() => ({ result: null, events: [ev("c")] }));
    expect((await store.events())[0].seq).toBe(3);
    await store.close();
  });
});

describe("file store: the send-log archive file", () => {
  const entry = (day: string) => sent(day, "tg:-1");

  it("a torn last line (a crash mid-append) is not read, and the next append cuts it off; a damaged line is skipped with a warning", async () => {
    const dir = await tempDir();
    const { store, warnings } = await open(dir);
    try {
      await store.sendLogArchive.append([entry("2021-03-29")]);
      const path = join(dir, SEND_LOG_ARCHIVE_FILE);
      await appendFile(path, `${JSON.stringify(entry("2021-03-30")).slice(0, 40)}`); // the crash
      expect((await store.sendLogArchive.entries()).map((e) => e.day)).toEqual(["2021-03-29"]);
      await store.sendLogArchive.append([entry("2021-03-30")]);
      expect(await lines(path)).toEqual([JSON.stringify(entry("2021-03-29")), JSON.stringify(entry("2021-03-30"))]);
      expect(warnings).toEqual([]);

      await appendFile(path, "{không phải JSON}\n");
      await store.sendLogArchive.append([entry("2021-03-31")]);
      expect((await store.sendLogArchive.entries()).map((e) => e.day)).toEqual(["2021-03-29", "2021-03-30", "2021-03-31"]);
      expect(warnings.some((w) => w.includes("Bỏ qua 1 dòng hỏng"))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("a preview while the bot holds the directory (a snapshot) reads the archive too, and writes nothing", async () => {
    const dir = await tempDir();
    const held = await openFileStore(dir); // the running bot
    try {
      await held.sendLogArchive.append([entry("2021-03-29")]);
      const preview = await openForReading(testConfig({ DATA_DIR: dir }), silentLog);
      expect((await preview.store.sendLogArchive.entries()).map((e) => e.key)).toEqual(["2021-03-29|reminder|tg:-1"]);
      await expect(preview.store.sendLogArchive.prune("2021-04-01")).resolves.toBe(1); // its own copy in memory
      expect(await held.sendLogArchive.entries()).toHaveLength(1);
    } finally {
      await held.close();
    }
  });

  it("is not written until something is archived; prune rewrites it whole", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    try {
      await store.update((d) => {
        d.counters.n = 1;
        return { result: null };
      });
      expect(existsSync(join(dir, SEND_LOG_ARCHIVE_FILE))).toBe(false);
      await store.sendLogArchive.append([entry("2021-03-29"), entry("2021-03-30")]);
      expect(await store.sendLogArchive.prune("2021-03-30")).toBe(1);
      expect(await lines(join(dir, SEND_LOG_ARCHIVE_FILE))).toEqual([JSON.stringify(entry("2021-03-30"))]);
      expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe("file store: lock", () => {
  it("a second open of the same dir in this process is refused", async () => {
    const dir = await tempDir();
    const store = await openFileStore(dir);
    await expect(openFileStore(dir)).rejects.toMatchObject({
      code: "LOCKED",
      message: expect.stringContaining("Thư mục dữ liệu đang được tiến trình khác sử dụng"),
    });
    await store.close();
    const again = await openFileStore(dir);
    await again.close();
  });

  it("a lock held by another live process is refused with a clear message", async () => {
    const dir = await tempDir();
    const other = process.ppid; // alive: it runs this test worker
    await writeFile(join(dir, ".lock"), `${other}\n`);
    const err = await openFileStore(dir).then(
      () => null,
      (e) => e,
    );
    expect(err?.code).toBe("LOCKED");
    expect(err.message).toContain(`pid ${other}`);
    expect(err.message).toMatch(/đang được tiến trình khác sử dụng/);
    expect(await readFile(join(dir, ".lock"), "utf8")).toBe(`${other}\n`);
  });

  it("a stale lock (dead pid, our own pid from a previous run, old garbage) is taken over", async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ["-e", ""]);
    const deadPid = await new Promise<number>((res) => child.on("exit", () => res(child.pid!)));
    for (const content of [`${deadPid}\n`, `${process.pid}\n`, "garbage"]) {
      await writeFile(join(dir, ".lock"), content);
      if (content === "garbage") {
        const old = new Date(Date.now() - 60_000);
        await utimes(join(dir, ".lock"), old, old);
      }
      const store = await openFileStore(dir);
      expect(await readFile(join(dir, ".lock"), "utf8")).toBe(`${process.pid}\n`);
      await store.close();
      expect(existsSync(join(dir, ".lock"))).toBe(false);
    }
  });

  it("a fresh, still-empty lock file is respected (another process is creating it)", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, ".lock"), "");
    expect(await codeOf(openFileStore(dir))).toBe("LOCKED");
  });
});

// ------------------------------------------------------------------ crash safety

function expectedSeq(n: number): number {
  let s = 0;
  for (let i = 1; i <= n; i++) s += (i % 3) + 1;
  return s;
}

const runAndKill = (dir: string, extraMs: number, compactAfter?: number) =>
  runWriterAndKill(writer, [dir, ...(compactAfter ? [String(compactAfter)] : [])], extraMs);

describe("file store: crash safety", () => {
  it("after SIGKILL at random moments (appends, and checkpoints every 12 lines), the store reopens valid, with a prefix of the writes and matching events", async () => {
    const dir = await tempDir();
    let previous = 0;
    let journalSeen = 0;
    for (let round = 0; round < 6; round++) {
      // even rounds: the default thresholds (the kill lands in an append); odd: a checkpoint every ~2 updates
      const { start, acked } = await runAndKill(dir, Math.floor(Math.random() * 250), round % 2 === 1 ? 12 : undefined);
      // what the kill left: a journal holding batches (even rounds) beside the last checkpoint
      const journal = await readFile(join(dir, "journal.jsonl"), "utf8");
      if (round % 2 === 0) expect(journal.length).toBeGreaterThan(0);
      journalSeen += journal.split("\n").filter((l) => l.startsWith('{"c":')).length;
      expect(start).toBe(previous);
      expect(acked).toBeGreaterThan(start);

      const { store } = await open(dir);
      const data = store.read();
      const n = data.counters.n ?? 0;
      // every acknowledged write survived; at most the one in flight went through unacknowledged
      expect(n).toBeGreaterThanOrEqual(acked);
      expect(n).toBeLessThanOrEqual(acked + 1);
      // state = exactly writes 1..n
      expect(Object.keys(data.extraAliases).length).toBe(n);
      expect(data.extraAliases[`w${n}`]).toBe(String(n));
      expect(data.eventSeq).toBe(expectedSeq(n));
      // events agree with eventSeq: seq eventSeq..1, in batches matching the writes
      const events: Event[] = await store.events();
      expect(events.length).toBe(data.eventSeq);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: data.eventSeq }, (_, i) => data.eventSeq - i));
      const afters = events.map((e) => e.after as number).reverse();
      const want: number[] = [];
      for (let i = 1; i <= n; i++) for (let k = 0; k <= i % 3; k++) want.push(i);
      expect(afters).toEqual(want);
      // the events file now holds exactly the committed events
      expect(await lines(join(dir, "events.jsonl"))).toHaveLength(data.eventSeq);
      // opening checkpointed what the journal held: store.json is exactly the state, the journal empty
      const { journalGen: _gen, ...checkpoint } = JSON.parse(await readFile(join(dir, "store.json"), "utf8"));
      expect(checkpoint).toEqual(JSON.parse(JSON.stringify(data)));
      expect(await readFile(join(dir, "journal.jsonl"), "utf8")).toBe("");
      await store.close();
      previous = n;
    }
    expect(journalSeen).toBeGreaterThan(3);
  }, 30_000);
});

describe("audit trail reads", () => {
  it("`since` stops at the first older event; filters skip lines that cannot match", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dondoc-since-"));
    const store = await openFileStore(dir);
    const at = (d: string) => `${d}T01:00:00.000Z`;
    for (const [day, code] of [
      ["2020-06-01", "A1"],
      ["2021-01-05", "A2"],
      ["2021-02-01", "A1"],
      ["2021-03-01", "A2"],
    ]) {
      await store.update(() => ({
        result: null,
        events: [
          {
            at: at(day),
            actor: { id: "u", name: "U" },
            chatId: null,
            action: "progress",
            taskCode: code,
            text: `"taskCode":"A1" in a message`,
          },
        ],
      }));
    }
    expect((await store.events({ since: at("2021-01-01") })).map((e) => e.taskCode)).toEqual(["A2", "A1", "A2"]);
    expect((await store.events({ taskCode: "A1" })).map((e) => e.at)).toEqual([at("2021-02-01"), at("2020-06-01")]);
    expect((await store.events({ taskCode: "A1", since: at("2021-01-01") })).map((e) => e.at)).toEqual([at("2021-02-01")]);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
});
