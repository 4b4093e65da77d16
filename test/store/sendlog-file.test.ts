/**
 * The JSON file store's send-log in its own append-only file (src/store/sendlog-file.ts,
 * src/store/file.ts; issue 14 item 4): what each update writes, recovery from crashes at
 * every step, the move from an older store.json, compaction, and a property: any sequence of
 * updates, then a reopen, gives back the state in memory.
 */
import fc from "fast-check";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { SendLogEntry } from "../../src/core/schemas.ts";
import { openFileStore, readFileStoreSnapshot, StoreError, type FileStoreOptions } from "../../src/store/file.ts";
import { emptyStoreData, type Store, type StoreData } from "../../src/store/types.ts";
import { ev } from "./contract.ts";
import { sendLogStep } from "./fixtures/sendlog-steps.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "dondoc-sendlog-"));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function open(dir: string, opts: FileStoreOptions = {}): Promise<{ store: Store; warnings: string[] }> {
  const warnings: string[] = [];
  const store = await openFileStore(dir, { ...opts, onWarning: (m) => warnings.push(m) });
  return { store, warnings };
}

function entry(key: string, extra: Partial<SendLogEntry> = {}): SendLogEntry {
  return {
    key,
    day: "2026-03-02",
    kind: "reminder",
    chatId: "tg:-100",
    items: [`${key}@so-tu-phap#2026-03-31#due`],
    status: "sending",
    partsDelivered: 0,
    parts: 1,
    wirePart: 0,
    updatedAt: "2026-03-02T01:00:00.000Z",
    ...extra,
  };
}

const addEntry = (e: SendLogEntry) => (d: StoreData) => {
  d.sendLog = [...d.sendLog, e];
  return { result: null };
};

const fileLines = async (path: string) => (await readFile(path, "utf8")).split("\n").filter((l) => l !== "");
const commits = (lines: string[]) => lines.filter((l) => l.startsWith('{"c":')).map((l) => JSON.parse(l));

/** The state as a plain value (deep-frozen arrays compare fine, but this strips identity). */
const plain = (d: StoreData) => JSON.parse(JSON.stringify(d));

describe("file store send-log: what an update writes", () => {
  it("a send-log-only update appends one batch and leaves store.json untouched (bytes and mtime)", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    await store.update((d) => {
      d.counters.n = 1;
      return { result: null, events: [ev("a")] };
    });
    const storePath = join(dir, "store.json");
    const before = { bytes: await readFile(storePath), mtime: (await stat(storePath)).mtimeMs };
    const slBefore = await fileLines(join(dir, "sendlog.jsonl"));
    const eventsBefore = await readFile(join(dir, "events.jsonl"));

    await store.update(addEntry(entry("2026-03-02|reminder|tg:-100")));

    expect(await readFile(storePath)).toEqual(before.bytes);
    expect((await stat(storePath)).mtimeMs).toBe(before.mtime);
    expect(await readFile(join(dir, "events.jsonl"))).toEqual(eventsBefore);
    const after = await fileLines(join(dir, "sendlog.jsonl"));
    expect(after.slice(0, slBefore.length)).toEqual(slBefore);
    const added = after.slice(slBefore.length);
    expect(added).toHaveLength(2); // one put, one commit line
    expect(JSON.parse(added[0])).toEqual({ p: 0, e: entry("2026-03-02|reminder|tg:-100") });
    expect(JSON.parse(added[1])).toMatchObject({ c: 1, n: 1 });
    expect(JSON.parse(added[1]).m).toBeUndefined();
    // store.json never holds the send-log
    expect(JSON.parse(before.bytes.toString())).not.toHaveProperty("sendLog");
    await store.close();
    const { store: again, warnings } = await open(dir);
    expect(again.read().sendLog).toEqual([entry("2026-03-02|reminder|tg:-100")]);
    expect(warnings).toEqual([]);
    await again.close();
  });

  it("a mixed update writes a mixed batch, then store.json with its generation; a no-op update writes nothing", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    await store.update(addEntry(entry("k1")));
    await store.update((d) => {
      d.sendLog = [...d.sendLog, entry("k2")];
      d.counters.n = 5;
      return { result: null, events: [ev("sent")] };
    });
    const onDisk = JSON.parse(await readFile(join(dir, "store.json"), "utf8"));
    expect(onDisk).toMatchObject({ sendLogGen: 2, eventSeq: 1, counters: { n: 5 } });
    expect(onDisk).not.toHaveProperty("sendLog");
    const cs = commits(await fileLines(join(dir, "sendlog.jsonl")));
    expect(cs.map((c) => [c.c, c.m ?? 0])).toEqual([
      [1, 0],
      [2, 1],
    ]);
    const size = (await stat(join(dir, "sendlog.jsonl"))).size;
    const mtime = (await stat(join(dir, "store.json"))).mtimeMs;
    // reading collections without changing them is not a change
    await store.update((d) => ({ result: d.sendLog.length + d.tasks.length + Object.keys(d.counters).length }));
    expect((await stat(join(dir, "sendlog.jsonl"))).size).toBe(size);
    expect((await stat(join(dir, "store.json"))).mtimeMs).toBe(mtime);
    await store.close();
  });

  it("keeps the order exactly: replaced in place, moved to the end, removed, inserted, sorted", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    for (const k of ["a", "b", "c", "d"]) await store.update(addEntry(entry(k)));
    // replace b in place (as dispatch's `map` does)
    await store.update((d) => {
      d.sendLog = d.sendLog.map((e) => (e.key === "b" ? { ...e, status: "delivered", partsDelivered: 1 } : e));
      return { result: null };
    });
    // replace a and move it to the end (as dispatch's `[...filter, entry]` does)
    await store.update((d) => {
      d.sendLog = [...d.sendLog.filter((e) => e.key !== "a"), entry("a", { status: "failed", error: "x" })];
      return { result: null };
    });
    // remove c, insert x between b and d
    await store.update((d) => {
      const rest = d.sendLog.filter((e) => e.key !== "c");
      d.sendLog = [rest[0], entry("x"), ...rest.slice(1)];
      return { result: null };
    });
    expect(store.read().sendLog.map((e) => e.key)).toEqual(["b", "x", "d", "a"]);
    const mid = plain(store.read());
    await store.close();
    let { store: s2 } = await open(dir);
    expect(plain(s2.read())).toEqual(mid);
    // a reordering rewrites the send-log in one batch
    await s2.update((d) => {
      d.sendLog = [...d.sendLog].sort((p, q) => q.key.localeCompare(p.key));
      return { result: null };
    });
    const sorted = plain(s2.read());
    expect(sorted.sendLog.map((e: SendLogEntry) => e.key)).toEqual(["x", "d", "b", "a"]);
    await s2.close();
    ({ store: s2 } = await open(dir));
    expect(plain(s2.read())).toEqual(sorted);
    await s2.close();
  });

  it("duplicate keys survive a reopen as they are in memory (positions, not keys, name the elements)", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    await store.update((d) => {
      d.sendLog = [entry("k"), entry("k", { status: "delivered" }), entry("j")];
      return { result: null };
    });
    await store.update((d) => {
      d.sendLog = d.sendLog.slice(1);
      return { result: null };
    });
    const want = plain(store.read());
    await store.close();
    const { store: again } = await open(dir);
    expect(plain(again.read())).toEqual(want);
    await again.close();
  });
});

describe("file store send-log: crashes", () => {
  async function twoBatches(dir: string): Promise<{ afterFirst: unknown; firstEnd: number; fileEnd: number }> {
    const { store } = await open(dir);
    await store.update(addEntry(entry("k1")));
    const afterFirst = plain(store.read());
    const firstEnd = (await stat(join(dir, "sendlog.jsonl"))).size;
    await store.update((d) => {
      d.sendLog = [...d.sendLog.map((e) => ({ ...e, status: "delivered" as const })), entry("k2"), entry("k3")];
      return { result: null };
    });
    await store.close();
    return { afterFirst, firstEnd, fileEnd: (await stat(join(dir, "sendlog.jsonl"))).size };
  }

  it("a batch cut anywhere (crash mid-append) is dropped: the state before it, the file truncated", async () => {
    const dir = await tempDir();
    const { afterFirst, firstEnd, fileEnd } = await twoBatches(dir);
    const whole = await readFile(join(dir, "sendlog.jsonl"));
    const cuts = [firstEnd + 1, firstEnd + 40, Math.floor((firstEnd + fileEnd) / 2), fileEnd - 2, fileEnd - 1];
    for (const cut of cuts) {
      await writeFile(join(dir, "sendlog.jsonl"), whole.subarray(0, cut));
      const { store, warnings } = await open(dir);
      expect(plain(store.read()), `cut at ${cut}`).toEqual(afterFirst);
      expect(warnings.join("\n")).toMatch(/torn last batch/);
      await store.close();
      expect((await stat(join(dir, "sendlog.jsonl"))).size).toBe(firstEnd);
    }
  });

  it("a last batch whose bytes do not match its commit line (a page lost) is dropped; damage earlier is a clear error", async () => {
    const dir = await tempDir();
    const { afterFirst, firstEnd } = await twoBatches(dir);
    const whole = await readFile(join(dir, "sendlog.jsonl"));
    const bad = Buffer.from(whole);
    bad.fill(0x20, firstEnd + 10, firstEnd + 20); // inside the last batch's first op line
    await writeFile(join(dir, "sendlog.jsonl"), bad);
    let { store } = await open(dir);
    expect(plain(store.read())).toEqual(afterFirst);
    await store.close();

    const early = Buffer.from(whole);
    early.fill(0x20, 10, 20); // inside the first batch: not a torn tail
    await writeFile(join(dir, "sendlog.jsonl"), early);
    const err = await openFileStore(dir).then(
      (s) => s.close().then(() => null),
      (e) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect(err.code).toBe("CORRUPT");
    expect(err.message).toMatch(/sendlog\.jsonl/);
    expect(await readFile(join(dir, "sendlog.jsonl"))).toEqual(early); // not overwritten
    await writeFile(join(dir, "sendlog.jsonl"), whole);
    ({ store } = await open(dir));
    expect(store.read().sendLog.map((e) => e.key)).toEqual(["k1", "k2", "k3"]);
    await store.close();
  });

  it("a mixed batch whose store.json write never happened is dropped, with its events; batches before it stay", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    await store.update((d) => {
      d.counters.n = 1;
      d.sendLog = [entry("k1")];
      return { result: null, events: [ev("one")] };
    });
    await store.update(addEntry(entry("k2"))); // send-log only, generation 2 > store.json's 1
    const good = plain(store.read());
    const storeJson = await readFile(join(dir, "store.json"));
    await store.update((d) => {
      d.counters.n = 2;
      d.sendLog = [...d.sendLog, entry("k3")];
      return { result: null, events: [ev("two")] };
    });
    await store.close();
    // the crash: events and the send-log batch are on disk, store.json's rename never happened
    await writeFile(join(dir, "store.json"), storeJson);
    const { store: again, warnings } = await open(dir);
    expect(plain(again.read())).toEqual(good);
    expect((await again.events()).map((e) => e.action)).toEqual(["one"]);
    expect(warnings.join("\n")).toMatch(/Dropped 1 send-log batch/);
    expect(warnings.join("\n")).toMatch(/Dropped 1 event/);
    // the next update carries on from there
    await again.update(addEntry(entry("k4")));
    await again.close();
    const { store: third, warnings: w3 } = await open(dir);
    expect(third.read().sendLog.map((e) => e.key)).toEqual(["k1", "k2", "k4"]);
    expect(third.read().counters.n).toBe(1);
    expect(w3).toEqual([]);
    await third.close();
  });

  it("removes a temp file left by a crash during a compaction, keeping the live file", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    await store.update(addEntry(entry("k1")));
    await store.close();
    await writeFile(join(dir, `.sendlog.jsonl.${process.pid}.99.tmp`), '{"p":0,"e":{"half":');
    const { store: again } = await open(dir);
    expect(again.read().sendLog.map((e) => e.key)).toEqual(["k1"]);
    expect((await readdir(dir)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    await again.close();
  });

  it("store.json missing while sendlog.jsonl has data → refuses rather than starting empty", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    await store.update(addEntry(entry("k1")));
    await store.close();
    await rm(join(dir, "store.json"));
    await rm(join(dir, "events.jsonl"));
    const code = await openFileStore(dir).then(
      (s) => s.close().then(() => "opened"),
      (e) => (e instanceof StoreError ? e.code : String(e)),
    );
    expect(code).toBe("INCONSISTENT");
    expect(existsSync(join(dir, "sendlog.jsonl"))).toBe(true);
  });

  it("sendlog.jsonl missing while store.json names a generation → a warning, an empty send-log", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    await store.update((d) => {
      d.sendLog = [entry("k1")];
      d.counters.n = 1;
      return { result: null };
    });
    await store.close();
    await rm(join(dir, "sendlog.jsonl"));
    const { store: again, warnings } = await open(dir);
    expect(again.read().sendLog).toEqual([]);
    expect(again.read().counters.n).toBe(1);
    expect(warnings.join("\n")).toMatch(/send-log is missing batches/);
    // new batches get generations above store.json's
    await again.update(addEntry(entry("k2")));
    await again.close();
    const { store: third } = await open(dir);
    expect(third.read().sendLog.map((e) => e.key)).toEqual(["k2"]);
    await third.close();
  });
});

describe("file store send-log: the move from an older store.json", () => {
  const legacy = (sendLog: SendLogEntry[]) => JSON.stringify({ version: 1, eventSeq: 0, counters: { n: 3 }, sendLog }, null, 2) + "\n";

  it("moves the send-log out of store.json once: sendlog.jsonl first, then store.json without it", async () => {
    const dir = await tempDir();
    const entries = [entry("a"), entry("b", { status: "delivered" }), entry("c")];
    await writeFile(join(dir, "store.json"), legacy(entries));
    const { store, warnings } = await open(dir);
    expect(store.read().sendLog).toEqual(entries);
    expect(store.read().counters.n).toBe(3);
    expect(warnings.join("\n")).toMatch(/Moved 3 send-log entries/);
    const onDisk = JSON.parse(await readFile(join(dir, "store.json"), "utf8"));
    expect(onDisk).not.toHaveProperty("sendLog");
    expect(onDisk.sendLogGen).toBe(1);
    expect(await fileLines(join(dir, "sendlog.jsonl"))).toHaveLength(4);
    await store.close();
    const { store: again, warnings: w2 } = await open(dir);
    expect(again.read().sendLog).toEqual(entries);
    expect(w2).toEqual([]);
    await again.close();
  });

  it("a crash after sendlog.jsonl was written but before store.json: the move is done again from store.json", async () => {
    const dir = await tempDir();
    const entries = [entry("a"), entry("b")];
    await writeFile(join(dir, "store.json"), legacy(entries));
    // what an interrupted earlier move (or anything else) left: another send-log
    await writeFile(join(dir, "sendlog.jsonl"), '{"p":0,"e":{"key":"stale"}}\n{"c":7,"n":1,"h":"00000000"}\n');
    const { store, warnings } = await open(dir);
    expect(store.read().sendLog).toEqual(entries);
    expect(warnings.join("\n")).toMatch(/interrupted move/);
    await store.close();
    const { store: again } = await open(dir);
    expect(again.read().sendLog).toEqual(entries);
    await again.close();
  });

  it("an older store.json with an invalid send-log entry is refused before anything is written", async () => {
    const dir = await tempDir();
    const text = legacy([{ ...entry("a"), day: "hôm qua" } as SendLogEntry]);
    await writeFile(join(dir, "store.json"), text);
    const code = await openFileStore(dir).then(
      (s) => s.close().then(() => "opened"),
      (e) => (e instanceof StoreError ? e.code : String(e)),
    );
    expect(code).toBe("CORRUPT");
    expect(await readFile(join(dir, "store.json"), "utf8")).toBe(text);
    expect(existsSync(join(dir, "sendlog.jsonl"))).toBe(false);
  });
});

describe("file store send-log: compaction and pruning", () => {
  it("compacts after N lines: the file then holds exactly the live entries, pruned ones gone for good", async () => {
    const dir = await tempDir();
    const { store } = await open(dir, { compactSendLogAfter: 20 });
    for (let i = 0; i < 8; i++) await store.update(addEntry(entry(`old${i}`, { day: "2025-10-01", status: "delivered" })));
    for (let i = 0; i < 4; i++) await store.update(addEntry(entry(`new${i}`)));
    // pruning, as pruneSendLog does it: one update filtering out old entries → one delete line
    const linesBefore = (await fileLines(join(dir, "sendlog.jsonl"))).length;
    await store.update((d) => {
      d.sendLog = d.sendLog.filter((e) => e.day >= "2026-01-01");
      return { result: null };
    });
    const afterPrune = await fileLines(join(dir, "sendlog.jsonl"));
    if (afterPrune.length > linesBefore) {
      // not compacted yet: the prune is one delete line and a commit line
      expect(afterPrune.slice(linesBefore).map((l) => Object.keys(JSON.parse(l))[0])).toEqual(["d", "c"]);
    }
    // keep updating entries until compaction must have happened
    for (let r = 0; r < 12; r++) {
      await store.update((d) => {
        d.sendLog = d.sendLog.map((e, i) => (i === r % 4 ? { ...e, partsDelivered: r } : e));
        return { result: null };
      });
    }
    const text = await readFile(join(dir, "sendlog.jsonl"), "utf8");
    expect(text).not.toMatch(/old\d/);
    const ls = text.split("\n").filter(Boolean);
    expect(ls.length).toBeLessThan(4 + 1 + 20 + 2);
    const want = plain(store.read());
    await store.close();
    const { store: again } = await open(dir, { compactSendLogAfter: 20 });
    expect(plain(again.read())).toEqual(want);
    await again.close();
  });

  it("compacts at open a file that has grown: exactly the live entries and one commit line", async () => {
    const dir = await tempDir();
    const { store } = await open(dir, { compactSendLogAfter: 1_000_000 });
    for (let i = 0; i < 30; i++) await store.update(addEntry(entry(`k${i}`)));
    await store.update((d) => {
      d.sendLog = d.sendLog.filter((_, i) => i % 3 === 0);
      return { result: null };
    });
    const want = plain(store.read());
    const gen = JSON.parse((await fileLines(join(dir, "sendlog.jsonl"))).at(-1) as string).c;
    await store.close();
    const { store: again, warnings } = await open(dir, { compactSendLogAfter: 10 });
    expect(warnings).toEqual([]);
    const ls = await fileLines(join(dir, "sendlog.jsonl"));
    expect(ls).toHaveLength(10 + 1);
    expect(ls.slice(0, 10).map((l) => JSON.parse(l).e.key)).toEqual(want.sendLog.map((e: SendLogEntry) => e.key));
    expect(JSON.parse(ls[10])).toMatchObject({ c: gen, n: 10 });
    expect(plain(again.read())).toEqual(want);
    // and appending carries on after the compacted file
    await again.update(addEntry(entry("z")));
    await again.close();
    const { store: third } = await open(dir);
    expect(third.read().sendLog.map((e) => e.key)).toEqual([...want.sendLog.map((e: SendLogEntry) => e.key), "z"]);
    await third.close();
  });
});

describe("file store send-log: read-only snapshot (CLI previews while the bot runs)", () => {
  it("reads the committed send-log without the lock, ignoring an unfinished mixed batch", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    await store.update(addEntry(entry("k1")));
    const storeJson = await readFile(join(dir, "store.json"));
    await store.update((d) => {
      d.sendLog = [...d.sendLog, entry("k2")];
      d.counters.n = 1;
      return { result: null };
    });
    expect((await readFileStoreSnapshot(dir)).sendLog.map((e) => e.key)).toEqual(["k1", "k2"]);
    await writeFile(join(dir, "store.json"), storeJson); // as if read before the mixed write's rename
    expect((await readFileStoreSnapshot(dir)).sendLog.map((e) => e.key)).toEqual(["k1"]);
    await store.close();
  });
});

// ------------------------------------------------------------------ property

type Op =
  | { t: "add"; k: number }
  | { t: "replace"; i: number; s: number }
  | { t: "move"; i: number }
  | { t: "remove"; i: number }
  | { t: "insert"; i: number; k: number }
  | { t: "prune"; m: number }
  | { t: "sort" }
  | { t: "mixed"; k: number; events: boolean }
  | { t: "other"; events: boolean }
  | { t: "reopen" }
  | { t: "tornTail"; cut: number }
  | { t: "lostMixed"; k: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("add" as const), k: fc.nat(1000) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("replace" as const), i: fc.nat(), s: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("move" as const), i: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("remove" as const), i: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("insert" as const), i: fc.nat(), k: fc.nat(1000) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("prune" as const), m: fc.integer({ min: 2, max: 4 }) }) },
  { weight: 1, arbitrary: fc.constant({ t: "sort" as const }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("mixed" as const), k: fc.nat(1000), events: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("other" as const), events: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ t: "reopen" as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("tornTail" as const), cut: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("lostMixed" as const), k: fc.nat(1000) }) },
);

describe("file store send-log: property", () => {
  it("any sequence of updates (send-log only, mixed, other only, with reopens, torn tails, lost mixed writes, compactions), then reopen == the state in memory", async () => {
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 18 }), fc.integer({ min: 1, max: 12 }), async (ops, compactAfter) => {
        const dir = await tempDir();
        const opts = { compactSendLogAfter: compactAfter, onWarning: () => undefined };
        let store = await openFileStore(dir, opts);
        try {
          for (const op of ops) {
            const n = ++counter;
            const at = (len: number, i: number) => (len === 0 ? -1 : i % len);
            switch (op.t) {
              case "add":
                await store.update(addEntry(entry(`k${op.k}`, { updatedAt: `#${n}` })));
                break;
              case "replace":
                await store.update((d) => {
                  const i = at(d.sendLog.length, op.i);
                  if (i >= 0) d.sendLog = d.sendLog.map((e, j) => (j === i ? { ...e, partsDelivered: op.s, updatedAt: `#${n}` } : e));
                  return { result: null };
                });
                break;
              case "move":
                await store.update((d) => {
                  const i = at(d.sendLog.length, op.i);
                  if (i >= 0) {
                    const e = d.sendLog[i];
                    d.sendLog = [...d.sendLog.filter((_, j) => j !== i), { ...e, status: "delivered", updatedAt: `#${n}` }];
                  }
                  return { result: null };
                });
                break;
              case "remove":
                await store.update((d) => {
                  const i = at(d.sendLog.length, op.i);
                  if (i >= 0) d.sendLog = d.sendLog.filter((_, j) => j !== i);
                  return { result: null };
                });
                break;
              case "insert":
                await store.update((d) => {
                  const i = d.sendLog.length === 0 ? 0 : op.i % (d.sendLog.length + 1);
                  d.sendLog = [...d.sendLog.slice(0, i), entry(`k${op.k}`, { updatedAt: `#${n}` }), ...d.sendLog.slice(i)];
                  return { result: null };
                });
                break;
              case "prune":
                await store.update((d) => {
                  d.sendLog = d.sendLog.filter((e) => Number(e.key.slice(1)) % op.m !== 0);
                  return { result: null };
                });
                break;
              case "sort":
                await store.update((d) => {
                  d.sendLog = [...d.sendLog].sort((p, q) => (p.key < q.key ? 1 : p.key > q.key ? -1 : 0));
                  return { result: null };
                });
                break;
              case "mixed":
                await store.update((d) => {
                  d.sendLog = [...d.sendLog, entry(`k${op.k}`, { updatedAt: `#${n}` })];
                  d.counters.n = n;
                  return { result: null, events: op.events ? [ev("mixed")] : [] };
                });
                break;
              case "other":
                await store.update((d) => {
                  d.extraAliases[`a${n}`] = "x";
                  return { result: null, events: op.events ? [ev("other")] : [] };
                });
                break;
              case "reopen":
                await store.close();
                store = await openFileStore(dir, opts);
                break;
              case "tornTail": {
                // a crash while appending the next batch: garbage after the last commit line
                const want = plain(store.read());
                await store.close();
                const path = join(dir, "sendlog.jsonl");
                const size = (await stat(path)).size;
                await writeFile(path, Buffer.concat([await readFile(path), Buffer.from(`{"p":${op.cut},"e":{"key":"t`)]));
                store = await openFileStore(dir, opts);
                expect(plain(store.read())).toEqual(want);
                expect((await stat(path)).size).toBeLessThanOrEqual(size);
                break;
              }
              case "lostMixed": {
                // a crash after a mixed update's events and send-log batch, before store.json's rename
                // (no compaction after it: a crash before the rename never gets that far)
                const want = plain(store.read());
                await store.close();
                store = await openFileStore(dir, { ...opts, compactSendLogAfter: 1e9 });
                const storeJson = await readFile(join(dir, "store.json"));
                await store.update((d) => {
                  d.sendLog = d.sendLog.length > 0 ? [...d.sendLog.slice(1), entry(`k${op.k}`)] : [entry(`k${op.k}`)];
                  d.counters.lost = n;
                  return { result: null, events: [ev("lost")] };
                });
                await store.close();
                await writeFile(join(dir, "store.json"), storeJson);
                store = await openFileStore(dir, opts);
                expect(plain(store.read())).toEqual(want);
                break;
              }
            }
          }
          const want = plain(store.read());
          await store.close();
          store = await openFileStore(dir, opts);
          expect(plain(store.read())).toEqual(want);
        } finally {
          await store.close();
          await rm(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});

// ------------------------------------------------------------------ SIGKILL

/** Runs the send-log writer until it has acknowledged a few steps, SIGKILLs it after `extraMs`. */
async function runAndKill(dir: string, extraMs: number): Promise<{ start: number; acked: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(here, "fixtures", "sendlog-crash-writer.ts"), dir], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (t: string) => (out += t));
  child.stderr.setEncoding("utf8").on("data", (t: string) => (err += t));
  const exited = new Promise<void>((res) => child.on("exit", () => res()));
  const t0 = Date.now();
  while (!/^ready \d+\n(\d+\n){3}/.test(out)) {
    if (child.exitCode !== null || Date.now() - t0 > 10_000) {
      child.kill("SIGKILL");
      throw new Error(`writer did not start: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, extraMs));
  child.kill("SIGKILL");
  await exited;
  const complete = out
    .slice(0, out.lastIndexOf("\n") + 1)
    .split("\n")
    .filter(Boolean);
  return { start: Number(complete[0].split(" ")[1]), acked: Number(complete[complete.length - 1]) };
}

describe("file store send-log: SIGKILL", () => {
  it("killed at random moments (send-log-only and mixed updates, compactions), reopens to exactly steps 1..n with n ≥ the last acknowledged", async () => {
    const dir = await tempDir();
    let previous = 0;
    for (let round = 0; round < 6; round++) {
      const { start, acked } = await runAndKill(dir, Math.floor(Math.random() * 250));
      expect(start).toBe(previous);
      const { store } = await open(dir, { compactSendLogAfter: 25 });
      const data = store.read();
      const last = data.sendLog.at(-1);
      const n = last ? Number(last.key.slice(1)) : 0;
      expect(n).toBeGreaterThanOrEqual(acked);
      expect(n).toBeLessThanOrEqual(acked + 1);
      const want = emptyStoreData();
      for (let i = 1; i <= n; i++) sendLogStep(want, i);
      expect(plain(data).sendLog).toEqual(plain(want).sendLog);
      expect(data.counters.n).toBe(want.counters.n);
      expect(data.eventSeq).toBe(Math.floor(n / 3));
      expect((await store.events()).map((e) => e.after).reverse()).toEqual(
        Array.from({ length: Math.floor(n / 3) }, (_, i) => 3 * (i + 1)),
      );
      await store.close();
      previous = n;
    }
  }, 40_000);
});
