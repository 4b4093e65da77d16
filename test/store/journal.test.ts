/**
 * The JSON file store's journal (src/store/journal.ts, src/store/file.ts; issue 14 item 4):
 * every update is one appended batch, store.json a checkpoint written at compaction. What
 * each update writes, recovery from crashes at every step (torn batches, lost checkpoint
 * renames, leftover temp files, events without their batch and batches without their
 * events), the move from older data directories (a send-log inside
 * store.json), compaction, and a property: any sequence of updates of every kind, with
 * reopens, torn tails and compactions, then a reopen, gives back what a memory store holds.
 */
import fc from "fast-check";
import { runWriterAndKill } from "./fixtures/kill.ts";
import { existsSync } from "node:fs";
import { appendFile, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { SendLogEntry } from "../../src/core/schemas.ts";
import { openFileStore, readFileStoreSnapshot, StoreError, type FileStoreOptions } from "../../src/store/file.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { emptyStoreData, type Mutation, type Store, type StoreData } from "../../src/store/types.ts";
import { ev } from "./contract.ts";
import { sendLogStep } from "./fixtures/sendlog-steps.ts";

const here = dirname(fileURLToPath(import.meta.url));

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

/** The state as a plain value (deep-frozen arrays compare fine, but this strips identity). */
const plain = (d: StoreData) => JSON.parse(JSON.stringify(d));

const journalPath = (dir: string) => join(dir, "journal.jsonl");
/** The journal's batches: their op lines (parsed) and commit lines. */
async function batches(dir: string): Promise<{ ops: any[]; commit: any }[]> {
  const out: { ops: any[]; commit: any }[] = [];
  let ops: any[] = [];
  for (const l of await fileLines(journalPath(dir))) {
    const v = JSON.parse(l);
    if ("c" in v) {
      out.push({ ops, commit: v });
      ops = [];
    } else ops.push(v);
  }
  return out;
}
/** store.json as the state it holds (without its generation). */
async function checkpointState(dir: string): Promise<unknown> {
  const { journalGen: _g, ...rest } = JSON.parse(await readFile(join(dir, "store.json"), "utf8"));
  return rest;
}
const never = { compactJournalAfter: 1e9, compactJournalBytes: 1e12 };

describe("file store journal: what an update writes", () => {
  it("an update of any kind appends ONE batch and leaves store.json untouched (bytes and mtime)", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    await store.update((d) => {
      d.counters.n = 1;
      d.extraAliases.gone = "x";
      d.sendLog = [entry("s0"), entry("s1")];
      return { result: null, events: [ev("a")] };
    });
    const storePath = join(dir, "store.json");
    const before = { bytes: await readFile(storePath), mtime: (await stat(storePath)).mtimeMs };
    const batchesBefore = await batches(dir);
    expect(batchesBefore).toHaveLength(1);

    await store.update((d) => {
      d.counters.n = 2; // a record key set
      delete d.extraAliases.gone; // a record key removed
      d.sendLog = [entry("s1", { status: "delivered" }), entry("s2")]; // an element removed, one replaced, one added
      d.appliedUpdates = [...d.appliedUpdates, { key: "tg:1", at: "2026-03-02T01:00:00.000Z" }];
      return { result: null, events: [ev("b"), ev("c")] };
    });

    expect(await readFile(storePath)).toEqual(before.bytes);
    expect((await stat(storePath)).mtimeMs).toBe(before.mtime);
    const after = await batches(dir);
    expect(after.slice(0, 1)).toEqual(batchesBefore);
    expect(after).toHaveLength(2);
    const { ops, commit } = after[1];
    expect(commit).toMatchObject({ c: 2, n: ops.length });
    expect(ops).toEqual(
      expect.arrayContaining([
        { f: "counters", k: "n", v: 2 },
        { f: "extraAliases", dk: ["gone"] },
        // positions 0 and 1 reused by the two new elements (planArray)
        { f: "sendLog", p: 0, e: entry("s1", { status: "delivered" }) },
        { f: "sendLog", p: 1, e: entry("s2") },
        { f: "appliedUpdates", p: 0, e: { key: "tg:1", at: "2026-03-02T01:00:00.000Z" } },
        { f: "eventSeq", v: 3 },
        // the events, committed with the change
        { ev: expect.objectContaining({ seq: 2, action: "b" }) },
        { ev: expect.objectContaining({ seq: 3, action: "c" }) },
      ]),
    );
    expect(ops).toHaveLength(8); // nothing else: O(change)
    const want = plain(store.read());
    const killed = await filesNow(dir);
    await store.close();
    // close checkpoints: store.json holds the state, the journal is empty
    expect(await checkpointState(dir)).toEqual(want);
    expect(JSON.parse(await readFile(storePath, "utf8")).journalGen).toBe(2);
    expect(await readFile(journalPath(dir), "utf8")).toBe("");
    const { store: again, warnings } = await open(dir);
    expect(plain(again.read())).toEqual(want);
    expect(warnings).toEqual([]);
    await again.close();
    // killed instead of closed: the old checkpoint and the two batches give the same state
    await reopensAs(dir, killed, want);
  });

  it("killed after removals, a reordering, key removals and scalar changes, the journal replays to exactly the state", async () => {
    const dir = await tempDir();
    const { store } = await open(dir, never);
    await store.update((d) => {
      d.sendLog = ["c", "a", "d", "b"].map((k) => entry(k));
      d.extraAliases = { x: "1", y: "2" };
      d.pendingImports = { p: { rows: 1 } };
      return { result: null, events: [ev("one")] };
    });
    await store.update((d) => {
      d.sendLog = d.sendLog.slice(1); // positions 1, 2, 3
      delete d.extraAliases.x;
      delete d.pendingImports.p;
      return { result: null };
    });
    await store.update((d) => {
      d.sendLog = [...d.sendLog].sort((p, q) => p.key.localeCompare(q.key)); // a reordering: the array rewritten
      return { result: null, events: [ev("two")] };
    });
    expect((await batches(dir))[2].ops[0]).toEqual({ f: "sendLog", clr: 1 });
    const want = plain(store.read());
    expect(want.sendLog.map((e: SendLogEntry) => e.key)).toEqual(["a", "b", "d"]);
    const files = await filesNow(dir);
    await store.close();
    await reopensAs(dir, files, want);
  });

  it("a no-op update (collections read, nothing changed) writes nothing", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    await store.update(addEntry(entry("k1")));
    const size = (await stat(journalPath(dir))).size;
    const mtime = (await stat(join(dir, "store.json"))).mtimeMs;
    await store.update((d) => ({ result: d.sendLog.length + d.tasks.length + Object.keys(d.counters).length }));
    await store.update((d) => {
      d.counters = { ...d.counters };
      d.sendLog = [...d.sendLog];
      return { result: null };
    });
    expect((await stat(journalPath(dir))).size).toBe(size);
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

/** The data directory's files as they are now (the store still open): what a kill would leave. */
async function filesNow(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const name of await readdir(dir)) if (name !== ".lock") out.set(name, await readFile(join(dir, name)));
  return out;
}
/** Puts back `files` (after the store was closed), as if the process had been killed then. */
async function restore(dir: string, files: Map<string, Buffer>): Promise<void> {
  for (const name of await readdir(dir)) if (!files.has(name)) await rm(join(dir, name));
  for (const [name, buf] of files) await writeFile(join(dir, name), buf);
}

/** The directory as a kill left it (`files`) reopens to `want`, with no warning. */
async function reopensAs(dir: string, files: Map<string, Buffer>, want: unknown): Promise<void> {
  await restore(dir, files);
  const { store, warnings } = await open(dir);
  expect(plain(store.read())).toEqual(want);
  expect(warnings).toEqual([]);
  await store.close();
}

describe("file store journal: crashes", () => {
  /** Three updates of different kinds; the files after each (the store never closed in between). */
  async function history(dir: string) {
    const { store } = await open(dir, never);
    const states: unknown[] = [plain(store.read())];
    const files: Map<string, Buffer>[] = [await filesNow(dir)];
    const steps: ((d: StoreData) => Mutation<null>)[] = [
      (d) => {
        d.sendLog = [entry("k1"), entry("k2"), entry("k3")];
        d.counters.n = 1;
        return { result: null, events: [ev("one")] };
      },
      (d) => {
        d.sendLog = [d.sendLog[2], entry("k4")]; // removals shift what positions name
        d.extraAliases.a = "b";
        return { result: null, events: [ev("two"), ev("two-b")] };
      },
      (d) => {
        d.sendLog = [...d.sendLog.map((e) => ({ ...e, status: "delivered" as const })), entry("k5")];
        delete d.extraAliases.a;
        d.counters.n = 3;
        return { result: null, events: [ev("three")] };
      },
    ];
    for (const step of steps) {
      await store.update(step);
      states.push(plain(store.read()));
      files.push(await filesNow(dir));
    }
    await store.close();
    return { states, files };
  }

  it("a batch cut anywhere (crash mid-append) is dropped, with its events: the state before it", async () => {
    const dir = await tempDir();
    const { states, files } = await history(dir);
    const end2 = files[2].get("journal.jsonl")?.length as number;
    const whole = files[3].get("journal.jsonl") as Buffer;
    const end1 = files[1].get("journal.jsonl")?.length as number;
    const first = files[1].get("journal.jsonl") as Buffer;
    // the first batch cut (nothing committed in the journal at all)
    for (const cut of [1, 30, end1 - 1]) {
      await restore(dir, files[1]);
      await writeFile(journalPath(dir), first.subarray(0, cut));
      const { store } = await open(dir);
      expect(plain(store.read()), `first batch cut at ${cut}`).toEqual(states[0]);
      await store.update(addEntry(entry("after")));
      const want = plain(store.read());
      const killed = await filesNow(dir);
      await store.close();
      await restore(dir, killed);
      const { store: again } = await open(dir);
      expect(plain(again.read())).toEqual(want);
      await again.close();
    }
    for (const cut of [end2 + 1, end2 + 17, Math.floor((end2 + whole.length) / 2), whole.length - 2, whole.length - 1]) {
      await restore(dir, files[3]);
      await writeFile(journalPath(dir), whole.subarray(0, cut));
      const { store, warnings } = await open(dir);
      expect(plain(store.read()), `cut at ${cut}`).toEqual(states[2]);
      expect(warnings.join("\n")).toMatch(/torn last batch/);
      expect(warnings.join("\n")).toMatch(/Dropped 1 event/); // "three": its batch never committed
      expect((await store.events()).map((e) => e.action)).toEqual(["two-b", "two", "one"]);
      // the next update appends after what was kept; killed again, it reopens with it
      await store.update(addEntry(entry("after")));
      const want = plain(store.read());
      const killed = await filesNow(dir);
      await store.close();
      await reopensAs(dir, killed, want);
    }
  });

  it("a last batch whose bytes do not match its commit line is dropped; damage earlier is a clear error, nothing overwritten", async () => {
    const dir = await tempDir();
    const { states, files } = await history(dir);
    const end2 = files[2].get("journal.jsonl")?.length as number;
    const whole = files[3].get("journal.jsonl") as Buffer;
    const bad = Buffer.from(whole);
    bad.fill(0x20, end2 + 10, end2 + 20); // inside the last batch's first op line
    await restore(dir, files[3]);
    await writeFile(journalPath(dir), bad);
    let { store } = await open(dir);
    expect(plain(store.read())).toEqual(states[2]);
    await store.close();

    await restore(dir, files[3]);
    const early = Buffer.from(whole);
    early.fill(0x20, 10, 20); // inside the first batch: not a torn tail
    await writeFile(journalPath(dir), early);
    const storeJson = await readFile(join(dir, "store.json"));
    const err = await openFileStore(dir).then(
      (s) => s.close().then(() => null),
      (e) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect(err.code).toBe("CORRUPT");
    expect(err.message).toMatch(/journal\.jsonl/);
    expect(await readFile(journalPath(dir))).toEqual(early);
    expect(await readFile(join(dir, "store.json"))).toEqual(storeJson);
    await writeFile(journalPath(dir), whole);
    ({ store } = await open(dir));
    expect(plain(store.read())).toEqual(states[3]);
    await store.close();
  });

  it("events committed with their batch but missing from events.jsonl are written again; events without their batch are dropped", async () => {
    const dir = await tempDir();
    const { states, files } = await history(dir);
    // a crash between the batch and the events' append: events.jsonl lacks the last event,
    // the journal has it — written again, no warning, and durable before the open's checkpoint
    await restore(dir, files[3]);
    const events = files[3].get("events.jsonl") as Buffer;
    const withoutLast = events.subarray(0, events.lastIndexOf(0x0a, events.length - 2) + 1);
    await writeFile(join(dir, "events.jsonl"), withoutLast);
    let { store, warnings } = await open(dir);
    expect(plain(store.read())).toEqual(states[3]);
    expect(warnings).toEqual([]);
    expect((await store.events()).map((e) => [e.seq, e.action])).toEqual([
      [4, "three"],
      [3, "two-b"],
      [2, "two"],
      [1, "one"],
    ]);
    expect(await readFile(join(dir, "events.jsonl"))).toEqual(events);
    await store.close();
    // the same loss once the journal was emptied by a checkpoint (a disk that lied): the state
    // stays, with a warning
    await writeFile(join(dir, "events.jsonl"), withoutLast);
    ({ store, warnings } = await open(dir));
    expect(plain(store.read())).toEqual(states[3]);
    expect(warnings.join("\n")).toMatch(/Audit trail is missing events: last event is 3, store.json says 4/);
    await store.close();
    // events appended, the journal batch never written (data directories of earlier versions
    // appended the events first): the events are set aside
    await restore(dir, files[2]);
    await writeFile(join(dir, "events.jsonl"), files[3].get("events.jsonl") as Buffer);
    ({ store, warnings } = await open(dir));
    expect(plain(store.read())).toEqual(states[2]);
    expect(warnings.join("\n")).toMatch(/Dropped 1 event/);
    expect((await store.events()).map((e) => e.seq)).toEqual([3, 2, 1]);
    expect(await fileLines(join(dir, "events.dropped.jsonl"))).toHaveLength(1);
    await store.close();
  });

  it("a checkpoint whose rename was lost, or whose journal was not truncated yet, reopens to the same state", async () => {
    const dir = await tempDir();
    const { states, files } = await history(dir);
    // closing wrote the checkpoint (generation 3) and emptied the journal
    const checkpoint = await readFile(join(dir, "store.json"));
    expect(JSON.parse(checkpoint.toString()).journalGen).toBe(3);
    // 1. the rename never reached the disk: the old store.json and the whole journal (the
    //    journal is truncated only once the rename is durable)
    await restore(dir, files[3]);
    let { store, warnings } = await open(dir);
    expect(plain(store.read())).toEqual(states[3]);
    expect(warnings).toEqual([]);
    await store.close();
    // 2. renamed, crash before the truncation: batches 1–3 are in store.json and skipped
    //    (applied again they would remove the wrong positions)
    await restore(dir, files[3]);
    await writeFile(join(dir, "store.json"), checkpoint);
    ({ store, warnings } = await open(dir));
    expect(plain(store.read())).toEqual(states[3]);
    expect(warnings).toEqual([]);
    // and it carries on from generation 4
    await store.update(addEntry(entry("k6")));
    expect((await batches(dir)).map((b) => b.commit.c)).toEqual([4]);
    const want = plain(store.read());
    await store.close();
    ({ store } = await open(dir));
    expect(plain(store.read())).toEqual(want);
    await store.close();
  });

  it("removes temp files left by a crash during a checkpoint (or an older compaction), keeping the live files", async () => {
    const dir = await tempDir();
    const { states } = await history(dir);
    for (const name of [".store.json.99.1.tmp", ".journal.jsonl.99.2.tmp", `.journal.jsonl.${process.pid}.3.tmp`]) {
      await writeFile(join(dir, name), '{"version":1,"half');
    }
    const { store } = await open(dir);
    expect(plain(store.read())).toEqual(states[3]);
    expect((await readdir(dir)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    await store.close();
  });

  it("a journal append that fails midway is undone with its events: nothing changes, the next update and a reopen are right", async () => {
    const dir = await tempDir();
    const { store } = await open(dir, never);
    await store.update((d) => {
      d.sendLog = [entry("k1")];
      return { result: null, events: [ev("one")] };
    });
    const before = plain(store.read());
    // the disk fills up during the journal's append: half the batch is written, then ENOSPC
    const fh = await (await import("node:fs/promises")).open(join(dir, "probe"), "w");
    const proto = Object.getPrototypeOf(fh);
    await fh.close();
    await rm(join(dir, "probe"));
    const write = proto.write;
    let failures = 0;
    proto.write = async function (this: unknown, buf: unknown, ...rest: unknown[]) {
      if (Buffer.isBuffer(buf) && buf.includes('{"c":') && failures === 0) {
        failures += 1;
        await write.call(this, buf.subarray(0, buf.length >> 1), 0, buf.length >> 1);
        throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
      }
      return write.call(this, buf, ...rest);
    };
    try {
      await expect(
        store.update((d) => {
          d.sendLog = [...d.sendLog, entry("k2")];
          d.counters.n = 2;
          return { result: null, events: [ev("two")] };
        }),
      ).rejects.toThrow(/no space/);
    } finally {
      proto.write = write;
    }
    expect(failures).toBe(1);
    expect(plain(store.read())).toEqual(before);
    expect((await store.events()).map((e) => e.action)).toEqual(["one"]);
    expect(store.problem?.()).toBeNull();
    await store.update(addEntry(entry("k3")));
    const want = plain(store.read());
    const files = await filesNow(dir);
    await store.close();
    await restore(dir, files);
    const { store: again, warnings } = await open(dir);
    expect(plain(again.read())).toEqual(want);
    expect(warnings).toEqual([]);
    expect((await again.events()).map((e) => e.action)).toEqual(["one"]);
    await again.close();
  });

  it("store.json missing while journal.jsonl has data → refuses rather than starting empty", async () => {
    const dir = await tempDir();
    const { files } = await history(dir);
    await restore(dir, files[3]);
    await rm(join(dir, "store.json"));
    await rm(join(dir, "events.jsonl"));
    const code = await openFileStore(dir).then(
      (s) => s.close().then(() => "opened"),
      (e) => (e instanceof StoreError ? e.code : String(e)),
    );
    expect(code).toBe("INCONSISTENT");
    expect(existsSync(journalPath(dir))).toBe(true);
  });

  it("a gap before the first batch after the checkpoint (an older store.json restored) is refused, nothing written", async () => {
    const dir = await tempDir();
    const { files } = await history(dir);
    await restore(dir, files[3]);
    const ls = (await fileLines(journalPath(dir))).join("\n") + "\n";
    const firstEnd = ls.indexOf('{"c":1');
    const second = ls.indexOf("\n", firstEnd) + 1;
    await writeFile(journalPath(dir), ls.slice(second)); // batch 1 lost
    const before = await filesNow(dir);
    const error = await open(dir).then(
      () => null,
      (e) => e,
    );
    expect(error?.code).toBe("INCONSISTENT");
    expect(error?.message).toMatch(/đến lô 0 nhưng .* bắt đầu ở lô 2: thiếu các thay đổi ở giữa/);
    expect(await filesNow(dir)).toEqual(before);
  });

  it("journal.jsonl deleted after updates (a clean close leaves it empty, never absent): refused, nothing written", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    for (let i = 0; i < 3; i++) await store.update(addEntry(entry(`k${i}`)));
    await store.close(); // checkpoint with journalGen 3
    const { store: again } = await open(dir);
    await again.update(addEntry(entry("k9")));
    await again.close();
    await unlink(journalPath(dir));
    const before = await filesNow(dir);
    const error = await open(dir).then(
      () => null,
      (e) => e,
    );
    expect(error?.code).toBe("INCONSISTENT");
    expect(error?.message).toMatch(/Thiếu .*journal.jsonl/);
    expect(await filesNow(dir)).toEqual(before);
    await writeFile(journalPath(dir), ""); // what the message says to do to go on without it
    const { store: after } = await open(dir);
    expect(after.read().sendLog.map((e) => e.key)).toEqual(["k0", "k1", "k2", "k9"]);
    await after.close();
  });
});

describe("file store journal: the move from older data directories", () => {
  const legacy = (sendLog: SendLogEntry[]) => JSON.stringify({ version: 1, eventSeq: 0, counters: { n: 3 }, sendLog }, null, 2) + "\n";

  it("a store.json with the send-log inside: moved into a checkpoint once", async () => {
    const dir = await tempDir();
    const entries = [entry("a"), entry("b", { status: "delivered" }), entry("c")];
    await writeFile(join(dir, "store.json"), legacy(entries));
    const { store, warnings } = await open(dir);
    expect(store.read().sendLog).toEqual(entries);
    expect(store.read().counters.n).toBe(3);
    expect(warnings).toEqual([]);
    const onDisk = JSON.parse(await readFile(join(dir, "store.json"), "utf8"));
    expect(onDisk).toMatchObject({ journalGen: 0, sendLog: entries });
    await store.update(addEntry(entry("d")));
    await store.close();
    const { store: again, warnings: w2 } = await open(dir);
    expect(again.read().sendLog.map((e) => e.key)).toEqual(["a", "b", "c", "d"]);
    expect(w2).toEqual([]);
    await again.close();
  });

  it("an older store.json beside a journal with data (an old backup restored?) is refused, nothing written", async () => {
    const dir = await tempDir();
    const { store } = await open(dir);
    await store.update(addEntry(entry("k1")));
    const files = await filesNow(dir);
    await store.close();
    await restore(dir, files);
    const text = legacy([entry("a")]);
    await writeFile(join(dir, "store.json"), text);
    const code = await openFileStore(dir).then(
      (s) => s.close().then(() => "opened"),
      (e) => (e instanceof StoreError ? e.code : String(e)),
    );
    expect(code).toBe("INCONSISTENT");
    expect(await readFile(join(dir, "store.json"), "utf8")).toBe(text);
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
    expect(existsSync(journalPath(dir))).toBe(false);
  });
});

describe("file store journal: compaction", () => {
  it("after N lines: store.json becomes exactly the state, the journal empty, and appending carries on", async () => {
    const dir = await tempDir();
    const { store } = await open(dir, { compactJournalAfter: 20 });
    const mtime0 = (await stat(join(dir, "store.json"))).mtimeMs;
    let compactedAt = -1;
    for (let i = 0; i < 10; i++) {
      await store.update((d) => {
        d.sendLog = [...d.sendLog.filter((e) => e.key !== `k${i - 3}`), entry(`k${i}`)];
        d.counters.n = i;
        return { result: null, events: [ev("x")] };
      });
      const size = (await stat(journalPath(dir))).size;
      if (size === 0 && compactedAt < 0) {
        compactedAt = i;
        expect(await checkpointState(dir)).toEqual(plain(store.read()));
        expect((await stat(join(dir, "store.json"))).mtimeMs).not.toBe(mtime0);
      }
    }
    expect(compactedAt).toBeGreaterThan(0);
    expect(compactedAt).toBeLessThan(8); // ≥ 5 lines per update (4 ops, the event, the commit): 20 lines within 4 updates
    const want = plain(store.read());
    const gen = JSON.parse(await readFile(join(dir, "store.json"), "utf8")).journalGen;
    expect((await batches(dir))[0].commit.c).toBe(gen + 1);
    await store.close();
    const { store: again } = await open(dir);
    expect(plain(again.read())).toEqual(want);
    await again.close();
  });

  it("after the journal outgrows store.json (bytes), and at open a journal left by a crash", async () => {
    const dir = await tempDir();
    const { store } = await open(dir, { compactJournalAfter: 1e9, compactJournalBytes: 1 });
    await store.update(addEntry(entry("k0", { items: ["x".repeat(2000)] }))); // bigger than store.json: compacted at once
    expect((await stat(journalPath(dir))).size).toBe(0);
    expect(await checkpointState(dir)).toEqual(plain(store.read()));
    await store.update((d) => {
      d.counters.small = 1;
      return { result: null };
    });
    expect((await batches(dir)).length).toBe(1); // smaller than store.json: appended
    const files = await filesNow(dir);
    const want = plain(store.read());
    await store.close();
    await restore(dir, files); // killed: the journal holds a batch
    const { store: again } = await open(dir, never);
    expect(await readFile(journalPath(dir), "utf8")).toBe(""); // checkpointed at open
    expect(await checkpointState(dir)).toEqual(want);
    expect(plain(again.read())).toEqual(want);
    await again.close();
  });
});

describe("file store journal: read-only snapshot (CLI previews while the bot runs)", () => {
  it("reads store.json with the journal's committed batches, without the lock, ignoring a torn tail", async () => {
    const dir = await tempDir();
    const { store } = await open(dir, never);
    await store.update(addEntry(entry("k1")));
    await store.update((d) => {
      d.sendLog = [...d.sendLog, entry("k2")];
      d.counters.n = 1;
      return { result: null };
    });
    expect(plain(await readFileStoreSnapshot(dir))).toEqual(plain(store.read()));
    await appendFile(journalPath(dir), '{"f":"counters","k":"n","v":9}\n{"c":3,"n":1,"h":"0');
    expect((await readFileStoreSnapshot(dir)).counters.n).toBe(1);
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
  | { t: "alias"; k: number; del: boolean }
  | { t: "counter"; k: number; v: number }
  | { t: "applied"; k: number; prune: boolean }
  | { t: "pending"; k: number; del: boolean }
  | { t: "mixed"; k: number; events: number }
  | { t: "reopen"; killed: boolean }
  | { t: "tornTail"; cut: number; events: boolean }
  | { t: "lostCheckpoint"; truncated: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("add" as const), k: fc.nat(1000) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("replace" as const), i: fc.nat(), s: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("move" as const), i: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("remove" as const), i: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("insert" as const), i: fc.nat(), k: fc.nat(1000) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("prune" as const), m: fc.integer({ min: 2, max: 4 }) }) },
  { weight: 1, arbitrary: fc.constant({ t: "sort" as const }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("alias" as const), k: fc.nat(2), del: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("counter" as const), k: fc.nat(3), v: fc.integer() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("applied" as const), k: fc.nat(1000), prune: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("pending" as const), k: fc.nat(1), del: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("mixed" as const), k: fc.nat(1000), events: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("reopen" as const), killed: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("tornTail" as const), cut: fc.integer({ min: 1, max: 200 }), events: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("lostCheckpoint" as const), truncated: fc.boolean() }) },
);

/** The update `op` stands for (n: a number unique to this step), or null for a crash/reopen op. */
function mutation(op: Op, n: number): ((d: StoreData) => Mutation<null>) | null {
  const at = (len: number, i: number) => (len === 0 ? -1 : i % len);
  const none = { result: null };
  switch (op.t) {
    case "add":
      return addEntry(entry(`k${op.k}`, { updatedAt: `#${n}` }));
    case "replace":
      return (d) => {
        const i = at(d.sendLog.length, op.i);
        if (i >= 0) d.sendLog = d.sendLog.map((e, j) => (j === i ? { ...e, partsDelivered: op.s, updatedAt: `#${n}` } : e));
        return none;
      };
    case "move":
      return (d) => {
        const i = at(d.sendLog.length, op.i);
        if (i >= 0) d.sendLog = [...d.sendLog.filter((_, j) => j !== i), { ...d.sendLog[i], status: "delivered", updatedAt: `#${n}` }];
        return none;
      };
    case "remove":
      return (d) => {
        const i = at(d.sendLog.length, op.i);
        if (i >= 0) d.sendLog = d.sendLog.filter((_, j) => j !== i);
        return none;
      };
    case "insert":
      return (d) => {
        const i = d.sendLog.length === 0 ? 0 : op.i % (d.sendLog.length + 1);
        d.sendLog = [...d.sendLog.slice(0, i), entry(`k${op.k}`, { updatedAt: `#${n}` }), ...d.sendLog.slice(i)];
        return none;
      };
    case "prune":
      return (d) => {
        d.sendLog = d.sendLog.filter((e) => Number(e.key.slice(1)) % op.m !== 0);
        return none;
      };
    case "sort":
      return (d) => {
        d.sendLog = [...d.sendLog].sort((p, q) => (p.key < q.key ? 1 : p.key > q.key ? -1 : 0));
        return none;
      };
    case "alias":
      return (d) => {
        if (op.del) delete d.extraAliases[`Sở ${op.k}`];
        else d.extraAliases[`Sở ${op.k}`] = `so-${n}`;
        return none;
      };
    case "counter":
      return (d) => {
        d.counters[`c${op.k}`] = op.v;
        return { result: null, events: [ev("counter")] };
      };
    case "applied":
      return (d) => {
        d.appliedUpdates = op.prune
          ? d.appliedUpdates.filter((u) => Number(u.key.slice(3)) % 2 === 0)
          : [...d.appliedUpdates, { key: `tg:${op.k}`, at: `#${n}` }];
        return none;
      };
    case "pending":
      return (d) => {
        if (op.del) delete d.pendingImports[`p${op.k}`];
        else d.pendingImports[`p${op.k}`] = { rows: [n, "ư"], nested: { n } };
        return none;
      };
    case "mixed":
      return (d) => {
        d.sendLog = [...d.sendLog.slice(1), entry(`k${op.k}`, { updatedAt: `#${n}` })];
        d.counters.n = n;
        d.extraAliases[`m${n % 3}`] = "x";
        return { result: null, events: Array.from({ length: op.events }, () => ev("mixed")) };
      };
    default:
      return null;
  }
}

describe("file store journal: property", () => {
  it("any sequence of updates of every kind (with reopens, torn tails, lost checkpoints, compactions), then reopen == a memory store given the same updates", async () => {
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 20 }),
        fc.constantFrom(4, 25, 1e9),
        fc.constantFrom(2000, 1e12),
        async (ops, lines, bytes) => {
          const dir = await tempDir();
          const opts = { compactJournalAfter: lines, compactJournalBytes: bytes, onWarning: () => undefined };
          let store = await openFileStore(dir, opts);
          const memory = createMemoryStore();
          try {
            for (const op of ops) {
              const n = ++counter;
              const fn = mutation(op, n);
              if (fn) {
                await store.update(fn);
                await memory.update(fn);
                continue;
              }
              const want = plain(memory.read());
              if (op.t === "reopen") {
                // closed (a checkpoint), or killed (the journal replayed)
                const files = await filesNow(dir);
                await store.close();
                if (op.killed) await restore(dir, files);
                store = await openFileStore(dir, opts);
              } else if (op.t === "tornTail") {
                // killed while appending the next update: its events (maybe) and part of its batch
                const files = await filesNow(dir);
                await store.close();
                await restore(dir, files);
                if (op.events)
                  await appendFile(join(dir, "events.jsonl"), `${JSON.stringify({ ...ev("torn"), seq: want.eventSeq + 1 })}\n`);
                await appendFile(journalPath(dir), `{"f":"sendLog","p":${op.cut},"e":{"key":"t`);
                store = await openFileStore(dir, opts);
                expect((await store.events()).length).toBe((await memory.events()).length);
              } else if (op.t === "lostCheckpoint") {
                // killed during a checkpoint: the rename lost (old store.json, whole journal), or
                // renamed but the journal not yet truncated
                const files = await filesNow(dir);
                await store.close();
                const checkpoint = await readFile(join(dir, "store.json"));
                await restore(dir, files);
                if (op.truncated) await writeFile(join(dir, "store.json"), checkpoint);
                store = await openFileStore(dir, opts);
              }
              expect(plain(store.read())).toEqual(want);
            }
            expect(plain(store.read())).toEqual(plain(memory.read()));
            // killed: what the journal holds since the last checkpoint is replayed
            const files = await filesNow(dir);
            await store.close();
            await restore(dir, files);
            store = await openFileStore(dir, opts);
            expect(plain(store.read())).toEqual(plain(memory.read()));
            // and closed
            await store.close();
            store = await openFileStore(dir, opts);
            expect(plain(store.read())).toEqual(plain(memory.read()));
            expect((await store.events()).map((e) => e.action)).toEqual((await memory.events()).map((e) => e.action));
          } finally {
            await store.close();
            await rm(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 100 },
    );
  }, 120_000);
});

// ------------------------------------------------------------------ SIGKILL

const runAndKill = (dir: string, extraMs: number) => runWriterAndKill(join(here, "fixtures", "sendlog-crash-writer.ts"), [dir], extraMs);

describe("file store send-log: SIGKILL", () => {
  it("killed at random moments (send-log-only and mixed updates, compactions), reopens to exactly steps 1..n with n ≥ the last acknowledged", async () => {
    const dir = await tempDir();
    let previous = 0;
    for (let round = 0; round < 6; round++) {
      const { start, acked } = await runAndKill(dir, Math.floor(Math.random() * 250));
      expect(start).toBe(previous);
      const { store } = await open(dir, { compactJournalAfter: 25 });
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
