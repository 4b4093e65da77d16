import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { buildRuntime } from "../../src/boot/runtime.ts";
import { compareStores, copyStore } from "../../src/store/copy.ts";
import { SEND_LOG_ARCHIVE_FILE } from "../../src/store/sendlog-archive.ts";
import { openFileStore } from "../../src/store/file.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { openPostgresStore } from "../../src/store/postgres.ts";
import { emptyStoreData } from "../../src/store/types.ts";
import { silentLog, tempDir, testConfig } from "../support/env.ts";
import { bindChat, loadPlan } from "../support/plans.ts";
import { freshDatabase, stopPgServer } from "../support/postgres.ts";
import { ev, sent as sentEntry } from "./contract.ts";

afterAll(stopPgServer, 60_000);

const ROOT = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

/** `npm run migrate-store -- …` as a child process: exit code and output. */
async function migrateStore(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "src/cli/migrate-store.ts", ...args], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e: any) {
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** A data directory as the bot leaves it: a real plan imported, a group bound, a send-log entry, an archived one. */
async function populatedDataDir(dir: string): Promise<void> {
  const runtime = await buildRuntime(testConfig({ DATA_DIR: dir }), silentLog);
  await loadPlan(runtime, "ben-tre-2021.md");
  await bindChat(runtime, "tg:-1001", "so-tu-phap", "Nhóm Sở Tư pháp");
  const sent = (day: string) => sentEntry(day, "tg:-1001", { items: ["1@so-tu-phap#2021-01-31#notice"] });
  await runtime.store.sendLogArchive.append([sent("2021-01-04")]);
  await runtime.store.update((d) => {
    d.sendLog.push(sent("2021-01-05"));
    d.extraAliases["Sở TP"] = "so-tu-phap";
    return {
      result: null,
      events: [ev("progress", { taskCode: "1", agencyId: "so-tu-phap", after: 50, text: "/tiendo 1 50% đã xong dự thảo" })],
    };
  });
  await runtime.store.close();
}

describe("npm run migrate-store", () => {
  it("moves a JSON data directory into PostgreSQL and back; both copies compare equal to the source", async () => {
    const src = await tempDir();
    const back = await tempDir();
    try {
      await populatedDataDir(src.dir);
      const url = await freshDatabase();

      const there = await migrateStore("--from", src.dir, "--to", url);
      expect(there.stderr).toBe("");
      expect(there.code).toBe(0);
      expect(there.stdout).toMatch(/so sánh: khớp/);
      expect(there.stdout).not.toContain(":test@"); // the URL's password is hidden
      expect(there.stdout).toContain(":***@");

      const again = await migrateStore("--from", url, "--to", back.dir);
      expect(again.stderr).toBe("");
      expect(again.code).toBe(0);

      const a = await openFileStore(src.dir);
      const b = await openPostgresStore(url);
      const c = await openFileStore(back.dir);
      try {
        expect(a.read().tasks.length).toBeGreaterThan(10);
        expect(a.read().assignments.length).toBeGreaterThan(10);
        expect(a.read().eventSeq).toBeGreaterThan(2);
        expect(await compareStores(a, b)).toBeNull();
        expect(await compareStores(a, c)).toBeNull();
        expect(b.read()).toEqual(a.read());
        expect(await b.events({ taskCode: "1", agencyId: "so-tu-phap", limit: 1 })).toEqual(
          await a.events({ taskCode: "1", agencyId: "so-tu-phap", limit: 1 }),
        );
        // the files written back hold the same data as the originals
        const json = async (dir: string, f: string) => readFile(join(dir, f), "utf8");
        // (the checkpoints' journal generations count the updates each directory saw)
        const state = async (dir: string) => ({ ...JSON.parse(await json(dir, "store.json")), journalGen: undefined });
        expect(await state(back.dir)).toEqual(await state(src.dir));
        expect(await json(back.dir, "events.jsonl")).toBe(await json(src.dir, "events.jsonl"));
        expect((await b.sendLogArchive.entries()).map((e) => e.day)).toEqual(["2021-01-04"]);
        expect(await json(back.dir, SEND_LOG_ARCHIVE_FILE)).toBe(await json(src.dir, SEND_LOG_ARCHIVE_FILE));

        // a destination that is not empty is refused, and keeps what it had
        const before = b.read();
        await expect(copyStore(a, b)).rejects.toThrow(/Nơi nhận đã có dữ liệu/);
        expect(b.read()).toBe(before);
      } finally {
        await Promise.all([a.close(), b.close(), c.close()]);
      }
    } finally {
      await src.cleanup();
      await back.cleanup();
    }
  }, 90_000);

  it("refuses a source whose audit trail has a gap, writing nothing", async () => {
    const initial = emptyStoreData();
    initial.eventSeq = 3;
    initial.counters.n = 1;
    const events = [1, 3].map((seq) => ({ ...ev("a"), seq }));
    const source = createMemoryStore(initial, events);
    const dest = createMemoryStore();
    await expect(copyStore(source, dest)).rejects.toThrow(/không liền mạch/);
    expect(dest.read()).toEqual(emptyStoreData());
    expect(await dest.events()).toEqual([]);
  });

  it("compareStores names the first difference", async () => {
    const a = createMemoryStore();
    const b = createMemoryStore();
    expect(await compareStores(a, b)).toBeNull();
    await b.update((d) => {
      d.counters.n = 1;
      return { result: null };
    });
    expect(await compareStores(a, b)).toMatch(/counters/);
    await a.update((d) => {
      d.counters.n = 1;
      return { result: null, events: [ev("x")] };
    });
    await b.update(() => ({ result: null, events: [ev("y")] }));
    expect(await compareStores(a, b)).toMatch(/sự kiện số 1 khác nhau/);
    const [c, d] = [createMemoryStore(), createMemoryStore()];
    await c.sendLogArchive.append([sentEntry("2021-01-04", "tg:-1")]);
    expect(await compareStores(c, d)).toMatch(/kho lưu nhật ký gửi khác nhau/);
  });

  it("refuses two directories, naming what it needs", async () => {
    const r = await migrateStore("--from", "/tmp/a", "--to", "/tmp/b");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Một bên phải là thư mục dữ liệu, bên kia là địa chỉ postgres/);
  });
});
