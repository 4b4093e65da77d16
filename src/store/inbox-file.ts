/**
 * The chat inbox's own file, `<dir>/inbox.jsonl`: updates accepted from a chat platform and
 * not yet handled, kept apart from `store.json` so that keeping one costs an fsync'd append of
 * one line (≈ 0.1 ms), not a rewrite of the whole registry. The protocol around it (and the
 * "applied" mark, which lives in the store) is in src/bot/inbox.ts.
 *
 * Lines: `{"t":"in","key","chat","at","payload"}` when an update is accepted, `{"t":"done",
 * "key","at"}` when it has been handled. Appends are serialised; an "in" line is on disk
 * (fdatasync) before `accept` resolves, a "done" line only written to the OS (see `done`). A
 * torn last line (a crash mid-append) was never acknowledged, so it is ignored: the platform
 * sends that update again. On open the file is compacted (temp file, fsync, rename):
 * updates not handled stay; handled ones keep only their key for a day, to recognise a
 * re-delivery (Telegram keeps an unconfirmed update for 24 hours).
 */
import { constants } from "node:fs";
import { open, readFile, rename, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { serialQueue } from "./serial.ts";

export const INBOX_FILE = "inbox.jsonl";

/** How long the key of a handled update is kept. */
export const KEEP_DONE_MS = 24 * 60 * 60 * 1000;
/** Lines appended before the file is compacted again. */
const COMPACT_AFTER_LINES = 10_000;

/**
 * An update waiting to be handled: platform key (`tg:123`), its chat, when it came, as received;
 * `rev` (a table shared with the store, ./inbox-pg.ts): the store's revision when it was accepted.
 */
export type InboxRecord = { key: string; chat: string; at: string; payload: unknown; rev?: number };

const Line = z.discriminatedUnion("t", [
  z.object({ t: z.literal("in"), key: z.string().min(1), chat: z.string(), at: z.string(), payload: z.unknown() }),
  z.object({ t: z.literal("done"), key: z.string().min(1), at: z.string() }),
]);

/**
 * Where the inbox's updates are kept: this file (one data directory, the store's lock covers
 * it), or a table when the store is PostgreSQL (./inbox-pg.ts, shared by every instance).
 */
export interface InboxFile {
  /** Updates accepted and not handled, in arrival order. */
  pending(): InboxRecord[];
  /**
   * Keeps the records not accepted in the last day (by key: a re-delivery is dropped);
   * resolves once they are durable, with those records. `written` (optional) gets them as soon
   * as they are written, before they are durable (the file: between the write and its
   * fdatasync), so their handling can start meanwhile.
   */
  accept(records: InboxRecord[], written?: (fresh: InboxRecord[]) => void): Promise<InboxRecord[]>;
  /**
   * Where several instances share the inbox (./inbox-pg.ts): takes over the updates whose key
   * starts with `prefix` that another instance accepted and did not handle in time (its lease
   * ran out: it died), leasing them to this one; oldest first; `ownToo` (at start): also those
   * this instance held before it restarted. Absent for a file of one process.
   */
  takeOver?(prefix: string, ownToo?: boolean): Promise<InboxRecord[]>;
  /**
   * Records these keys handled; resolves once written (the file: to the OS, not fsynced — a
   * mark lost with the machine only makes the update handled again; the table: committed).
   */
  done(keys: string[], at: string): Promise<void>;
  close(): Promise<void>;
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY).catch(() => null);
  try {
    await fh?.sync();
  } catch {
    // Some filesystems cannot fsync a directory.
  } finally {
    await fh?.close();
  }
}

/** Opens (and compacts) `<dir>/inbox.jsonl`, creating it if missing. `now` dates the day kept for handled keys. */
export async function openInboxFile(dir: string, now: Date): Promise<InboxFile> {
  const path = join(dir, INBOX_FILE);
  const waiting = new Map<string, InboxRecord>();
  const handled = new Map<string, string>();
  let text = "";
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  for (const raw of text.split("\n")) {
    if (!raw.trim()) continue;
    let parsed: z.infer<typeof Line>;
    try {
      parsed = Line.parse(JSON.parse(raw));
    } catch {
      continue; // a torn last line: never acknowledged, the platform sends it again
    }
    if (parsed.t === "in") {
      if (!handled.has(parsed.key)) waiting.set(parsed.key, { key: parsed.key, chat: parsed.chat, at: parsed.at, payload: parsed.payload });
    } else {
      waiting.delete(parsed.key);
      handled.set(parsed.key, parsed.at);
    }
  }
  /** Rewrites the file with what is waiting and the handled keys of the last day (temp file, fsync, rename). */
  const compact = async (at: Date): Promise<void> => {
    const oldest = new Date(at.getTime() - KEEP_DONE_MS).toISOString();
    for (const [key, doneAt] of handled) if (doneAt < oldest) handled.delete(key);
    const lines = [
      ...[...handled].map(([key, doneAt]) => JSON.stringify({ t: "done", key, at: doneAt })),
      ...[...waiting.values()].map((r) => JSON.stringify({ t: "in", ...r })),
    ];
    const tmp = `${path}.${process.pid}.tmp`;
    const out = await open(tmp, "w");
    try {
      await out.writeFile(lines.length ? `${lines.join("\n")}\n` : "");
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(tmp, path);
    await fsyncDir(dir);
    appended = 0;
  };

  let appended = 0;
  await compact(now);
  let fh: FileHandle = await open(path, "a");
  const queue = serialQueue();
  /** Appends `records`; `durable`: resolves once on disk (fdatasync), else once written to the OS. */
  const append = (records: object[], at: string, durable: boolean, written?: () => void): Promise<void> => {
    return queue.run(async () => {
      await fh.appendFile(records.map((r) => `${JSON.stringify(r)}\n`).join(""));
      written?.();
      if (durable) await fh.datasync();
      appended += records.length;
      // A bot that runs for months: start the file afresh now and then.
      if (appended >= COMPACT_AFTER_LINES) {
        await fh.close();
        await compact(new Date(at));
        fh = await open(path, "a");
      }
    });
  };

  return {
    pending: () => [...waiting.values()],
    async accept(all, written) {
      const records = all.filter((r) => !waiting.has(r.key) && !handled.has(r.key));
      if (records.length === 0) return [];
      // Held in memory first, so a compaction in between keeps them; forgotten if the write fails
      // (the platform sends them again, and they must not read as known then).
      for (const r of records) waiting.set(r.key, r);
      try {
        await append(
          records.map((r) => ({ t: "in", ...r })),
          records[records.length - 1].at,
          true,
          written && (() => written(records)),
        );
      } catch (error) {
        for (const r of records) waiting.delete(r.key);
        throw error;
      }
      return records;
    },
    async done(keys, at) {
      if (keys.length === 0) return;
      for (const key of keys) {
        waiting.delete(key);
        handled.set(key, at);
      }
      // Not fsynced: a mark lost (only with the machine, not with the process: the OS has it)
      // makes the update handled again after the restart, which the store's "applied" mark
      // turns into a note to its sender (src/bot/inbox.ts); a read-only command is answered twice.
      await append(
        keys.map((key) => ({ t: "done", key, at })),
        at,
        false,
      );
    },
    async close() {
      await queue.idle();
      await fh.close();
    },
  };
}
