/**
 * The send-log's archive: settled entries of earlier days (delivered, or given up), kept
 * OUTSIDE the store's in-memory snapshot, like the audit trail. The snapshot's `sendLog` holds
 * only what is still written — the day's messages and any a run left unfinished — so a send
 * copies a short array, and months of history (42,500 entries at 500 groups after four
 * months) cost no memory between runs. The reminder run moves settled entries here at the start
 * of each day (src/reminders/dispatch.ts; which ones: src/core/sendlog.ts `entriesToArchive`)
 * and reads them back to plan (what each chat was sent stays sent).
 *
 * Moving is two steps, each durable: append here, then remove from the snapshot. A crash
 * between them leaves an entry in both, which is harmless — the planner takes the union, and
 * `append` ignores a key already archived — and the next day's move finishes it. So nothing is
 * lost and nothing is planned twice.
 *
 * Three implementations, one contract (test/store/contract.ts): in memory, a JSON-lines file
 * in the data directory (./file.ts), a table in PostgreSQL (./postgres.ts).
 */
import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { SendLogEntry } from "../core/schemas.ts";
import { moveSendLog } from "../core/sendlog.ts";
import { serialQueue } from "./serial.ts";

export interface SendLogArchive {
  /**
   * Adds settled entries (in order). An entry whose key is already archived is ignored, so a
   * move repeated after a crash adds nothing. Durable when it resolves.
   */
  append(entries: readonly SendLogEntry[]): Promise<void>;
  /** Every archived entry, in the order they were added. */
  entries(): Promise<SendLogEntry[]>;
  /** Drops the entries of days before `day` (ISO); resolves with how many. */
  prune(day: string): Promise<number>;
  /**
   * A chat changed id (`from` → `to`, a group upgraded to a supergroup): its entries name the
   * new chat, their keys too (src/core/sendlog.ts `movedKey`), except one whose new key is
   * archived already.
   */
  moveChat(from: string, to: string): Promise<void>;
}

/** Of `entries`, those whose key is neither in `archived` nor earlier in `entries` (what `append` adds). */
function notArchived(archived: readonly SendLogEntry[], entries: readonly SendLogEntry[]): SendLogEntry[] {
  const keys = new Set(archived.map((e) => e.key));
  const fresh: SendLogEntry[] = [];
  for (const e of entries) {
    if (keys.has(e.key)) continue;
    keys.add(e.key);
    fresh.push(e);
  }
  return fresh;
}

/** An archive in memory (the memory store: tests, dry runs). */
export function memorySendLogArchive(initial: readonly SendLogEntry[] = []): SendLogArchive {
  let list: SendLogEntry[] = [];
  const add = (entries: readonly SendLogEntry[]) => {
    for (const e of notArchived(list, entries)) list.push(SendLogEntry.parse(e));
  };
  add(initial);
  return {
    append: async (entries) => add(entries),
    entries: async () => list.slice(),
    async prune(day) {
      const before = list.length;
      list = list.filter((e) => e.day >= day);
      return before - list.length;
    },
    async moveChat(from, to) {
      list = moveSendLog(list, from, to);
    },
  };
}

export const SEND_LOG_ARCHIVE_FILE = "sendlog-archive.jsonl";

/**
 * The archive as `<dir>/sendlog-archive.jsonl`, one entry per line, for the file store (which
 * holds the directory's lock). `append` writes the new lines and fdatasyncs; a torn last line
 * (a crash mid-append) is skipped when read and cut off by the next append. `prune` and
 * `moveChat` rewrite the file with `replaceFile` (temp file, fsync, rename: the old or the new
 * file, never a torn one) — once a day at most. Lines that do not parse are skipped, with a
 * warning. `append` reads the file's keys to skip those archived; the archive is never held in
 * memory between calls.
 */
export function fileSendLogArchive(
  dir: string,
  io: { replaceFile: (path: string, buf: Buffer) => Promise<void>; warn: (message: string) => void },
): SendLogArchive {
  const path = join(dir, SEND_LOG_ARCHIVE_FILE);
  const { run } = serialQueue(); // a rewrite never interleaves with an append

  /** The file's entries, and the length of its whole lines (a torn tail is not counted). */
  async function load(): Promise<{ entries: SendLogEntry[]; whole: number }> {
    const buf = await readFile(path).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return Buffer.alloc(0);
      throw e;
    });
    const whole = buf.lastIndexOf(0x0a) + 1;
    const entries: SendLogEntry[] = [];
    let skipped = 0;
    for (const line of buf.subarray(0, whole).toString("utf8").split("\n")) {
      if (!line) continue;
      let parsed: ReturnType<typeof SendLogEntry.safeParse> | null = null;
      try {
        parsed = SendLogEntry.safeParse(JSON.parse(line));
      } catch {
        parsed = null;
      }
      if (parsed?.success) entries.push(parsed.data);
      else skipped++;
    }
    if (skipped > 0) io.warn(`Bỏ qua ${skipped} dòng hỏng trong ${path} / Skipping ${skipped} corrupt line(s) in ${path}`);
    return { entries, whole };
  }

  const lines = (entries: readonly SendLogEntry[]) => Buffer.from(entries.map((e) => `${JSON.stringify(e)}\n`).join(""), "utf8");

  return {
    append: (entries) =>
      run(async () => {
        if (entries.length === 0) return;
        const { entries: archived, whole } = await load();
        const fresh = notArchived(archived, entries);
        if (fresh.length === 0) return;
        const fh = await open(path, "a+");
        try {
          const { size } = await fh.stat();
          if (size > whole) await fh.truncate(whole); // a torn line left by a crash mid-append
          await fh.write(lines(fresh));
          await fh.datasync();
        } finally {
          await fh.close();
        }
      }),
    entries: () => run(async () => (await load()).entries),
    prune: (day) =>
      run(async () => {
        const { entries } = await load();
        const kept = entries.filter((e) => e.day >= day);
        if (kept.length < entries.length) await io.replaceFile(path, lines(kept));
        return entries.length - kept.length;
      }),
    moveChat: (from, to) =>
      run(async () => {
        const { entries } = await load();
        if (entries.some((e) => e.chatId === from)) await io.replaceFile(path, lines(moveSendLog(entries, from, to)));
      }),
  };
}
