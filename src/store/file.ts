/**
 * The default store: the state in `<dir>/store.json` (a checkpoint) plus `<dir>/journal.jsonl`
 * (every update since, appended; format in ./journal.ts), an append-only audit trail in
 * `<dir>/events.jsonl`, the send-log archive `<dir>/sendlog-archive.jsonl` (./sendlog-archive.ts),
 * and a lock file.
 *
 * Durability and consistency (see also ./memory.ts for the update semantics):
 * - An update compares the next state with the current one by identity (the draft keeps what
 *   it did not touch) and appends what changed — elements of arrays by position, keys of
 *   records, scalar fields such as `eventSeq` — as ONE batch to journal.jsonl, ending with a
 *   commit line (generation = previous + 1, a hash of the batch), in one write, then
 *   fdatasync. It costs what it changed, not the size of the registry.
 * - An update's audit events are lines of its journal batch too, so ONE fdatasync commits the
 *   change and its events. They are then appended to events.jsonl (what /lichsu and the digest
 *   read) without an fsync of their own: events.jsonl is fsynced before every checkpoint (which
 *   empties the journal), and on open the events of the journal's batches that events.jsonl
 *   lacks (a crash between the two appends) are written to it again. Events with seq >
 *   eventSeq (left by a write that never committed, in directories of earlier versions, which
 *   appended events first) are dropped on open (copied aside to `events.dropped.jsonl`, then
 *   events.jsonl is truncated), as is a torn last line. Only the tail of events.jsonl is read
 *   on open.
 * - store.json is a checkpoint: the whole state plus `journalGen`, the generation of the last
 *   batch it includes. It is written (temp file, fsync, rename, fsync of the directory: a crash
 *   leaves the old or the new file, never a torn one) only at a compaction — at open when the
 *   journal holds batches, at close, and after an update once the journal holds
 *   `compactJournalAfter` lines or more bytes than max(`compactJournalBytes`, store.json) —
 *   and only then is the journal truncated (fsynced). A crash between the rename and the
 *   truncation leaves batches the checkpoint includes: replay skips generations ≤ journalGen.
 * - Open: store.json, then the journal's batches above its generation in order. A batch
 *   without a valid commit line at the end of the file (crash mid-append) is dropped (the file
 *   truncated); damage anywhere else is a CORRUPT error and nothing is overwritten.
 * - Older data directories (a store.json without `journalGen`, the whole state in it) are
 *   written as a checkpoint at once.
 * - A migration (`migrations`) sees the raw state (journal replayed), and the result is
 *   written as a checkpoint at once (a backup of the old store.json is kept).
 * - When `update` resolves, the change and its events are on disk (fsynced).
 * - If a write fails (disk full…), what was already appended of the journal batch is
 *   truncated away and nothing changes. If even that fails, or the events could not be
 *   appended to events.jsonl after the commit, or a checkpoint was renamed but its directory
 *   could not be fsynced, the store refuses further updates (code FAILED): close and reopen
 *   it, the open-time recovery reconciles the files. A compaction that
 *   fails before its rename is a warning (the journal still holds everything).
 * - One process per data directory: `<dir>/.lock` holds the owner's pid (created with the
 *   `wx` flag). A lock left by a dead process is taken over. Caveat: if the pid was reused
 *   by an unrelated live process, delete `.lock` by hand.
 */
import { Low, type Adapter } from "lowdb";
import { constants } from "node:fs";
import { copyFile, mkdir, open, readdir, readFile, realpath, rename, stat, unlink, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Event } from "../core/schemas.ts";
import { STORE_VERSION, emptyStoreData, type EventFilter, type Store, type StoreData } from "./types.ts";
import { StoreError, createStoreCore, matchesFilter, parseStoreData } from "./memory.ts";
import { fileSendLogArchive } from "./sendlog-archive.ts";
import {
  JOURNAL_FILE,
  JournalCorrupt,
  diffState,
  encodeBatch,
  eventLine,
  replayJournal,
  shouldCompact,
  type Positions,
} from "./journal.ts";

export { StoreError } from "./memory.ts";
export { JOURNAL_FILE } from "./journal.ts";

/** `migrations[v]` turns a raw store of version v into version v + 1. */
export type Migrations = Record<number, (raw: any) => any>;

export type FileStoreOptions = {
  migrations?: Migrations;
  /** Called with recoveries and oddities found on open (dropped events, torn line…). */
  onWarning?: (message: string) => void;
  /** journal.jsonl is compacted into store.json once it holds this many lines. Default 20,000. */
  compactJournalAfter?: number;
  /** …or this many bytes, and at least store.json's size. Default 4 MiB. */
  compactJournalBytes?: number;
};

export const STORE_FILE = "store.json";
export const EVENTS_FILE = "events.jsonl";
export const DROPPED_EVENTS_FILE = "events.dropped.jsonl";
export const LOCK_FILE = ".lock";

const TMP_RE = /^\.(store\.json|journal\.jsonl)\.\d+\.\d+\.tmp$/;
const CHUNK = 64 * 1024;
const NL = 0x0a;

// ------------------------------------------------------------------ low-level file helpers

async function fsyncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, constants.O_RDONLY);
    await fh.sync();
  } catch (e: any) {
    // Some platforms/filesystems cannot fsync a directory; nothing more we can do there.
    if (!["EISDIR", "EINVAL", "EPERM", "EBADF", "ENOTSUP"].includes(e?.code)) throw e;
  } finally {
    await fh?.close();
  }
}

async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

let tmpCounter = 0;

/** Thrown by `replaceFile`; `renamed` says whether the file was already replaced (then only the directory fsync failed). */
class DurableWriteError extends Error {
  constructor(
    readonly renamed: boolean,
    cause: unknown,
  ) {
    super(`Ghi tệp thất bại / Write failed: ${(cause as Error)?.message ?? cause}`, { cause });
  }
}

/**
 * Lines of `fh` in [0, end), last first, with their start offsets. The last line is
 * `terminated: false` when the region does not end with a newline (a torn append).
 * Reads backwards in chunks: cost depends on how many lines are consumed, not file size.
 */
async function* linesBackward(fh: FileHandle, end: number): AsyncGenerator<{ start: number; line: Buffer; terminated: boolean }> {
  if (end <= 0) return;
  const last = Buffer.alloc(1);
  await fh.read(last, 0, 1, end - 1);
  let terminated = last[0] === NL; // status of the first (last in file) segment only
  let pos = terminated ? end - 1 : end; // exclusive end of the unread region, newline excluded
  let rest: Buffer = Buffer.alloc(0); // bytes from `pos` on, of a line whose start is not read yet
  while (pos > 0) {
    const n = Math.min(CHUNK, pos);
    pos -= n;
    const chunk = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await fh.read(chunk, got, n - got, pos + got);
      if (bytesRead === 0) throw new Error("unexpected end of file");
      got += bytesRead;
    }
    const buf = rest.length ? Buffer.concat([chunk, rest]) : chunk;
    let i = buf.length;
    while (i > 0) {
      const j = buf.lastIndexOf(NL, i - 1);
      if (j < 0) break;
      yield { start: pos + j + 1, line: buf.subarray(j + 1, i), terminated };
      terminated = true;
      i = j;
    }
    rest = buf.subarray(0, i);
  }
  yield { start: 0, line: rest, terminated };
}

function parseEventLine(line: Buffer): Event | null {
  if (line.length === 0) return null;
  try {
    const parsed = Event.safeParse(JSON.parse(line.toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ decoding and migrations

/** Applies `migrations` from `raw.version` up to `target`, in order. Pure; exported for tests. */
export function migrateRaw(raw: any, migrations: Migrations = {}, target = STORE_VERSION, file = STORE_FILE): any {
  let v: number = raw.version;
  while (v < target) {
    const step = migrations[v];
    if (!step) {
      throw new StoreError(
        "MIGRATION",
        `Không có bước chuyển đổi dữ liệu từ phiên bản ${v} lên ${v + 1} cho ${file} / ` +
          `No migration from version ${v} to ${v + 1} for ${file}`,
      );
    }
    try {
      raw = step(structuredClone(raw));
    } catch (e) {
      throw new StoreError(
        "MIGRATION",
        `Chuyển đổi ${file} từ phiên bản ${v} lên ${v + 1} thất bại / Migrating ${file} from version ${v} to ${v + 1} failed: ${(e as Error)?.message ?? e}`,
        { cause: e },
      );
    }
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      throw new StoreError(
        "MIGRATION",
        `Bước chuyển đổi ${v}→${v + 1} không trả về một đối tượng / Migration ${v}→${v + 1} did not return an object (${file})`,
      );
    }
    v += 1;
    raw.version = v;
  }
  return raw;
}

function corrupt(file: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    "CORRUPT",
    `Tệp dữ liệu hỏng, không đọc được: ${file} (${detail}). Tệp KHÔNG bị ghi đè; hãy sửa tay hoặc khôi phục từ bản sao lưu. / ` +
      `Store file is corrupt and cannot be loaded: ${file} (${detail}). It was NOT overwritten; fix it or restore it from a backup.`,
    { cause },
  );
}

/** store.json's text as a raw object of a version this code reads (not migrated or validated yet). */
function parseRawStore(text: string, file: string): any {
  let raw: any;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw corrupt(file, `JSON không hợp lệ / invalid JSON: ${(e as Error).message}`, e);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw corrupt(file, "không phải một đối tượng JSON / not a JSON object");
  }
  const fromVersion = raw.version;
  if (!Number.isInteger(fromVersion)) {
    throw corrupt(file, "thiếu số phiên bản / missing or invalid `version`");
  }
  if (fromVersion > STORE_VERSION) {
    throw new StoreError(
      "TOO_NEW",
      `${file} có phiên bản ${fromVersion}, mới hơn phiên bản mà chương trình này hỗ trợ (${STORE_VERSION}); hãy cập nhật dondoc. / ` +
        `${file} is version ${fromVersion}, newer than this code supports (${STORE_VERSION}); upgrade dondoc.`,
    );
  }
  return raw;
}

/** Migrates and validates a raw state (store.json with the journal replayed over it). */
function finishDecode(raw: any, file: string, migrations: Migrations | undefined): StoreData {
  raw = migrateRaw(raw, migrations, STORE_VERSION, file);
  try {
    return parseStoreData(raw, file);
  } catch (e) {
    throw corrupt(file, (e as Error).message, e);
  }
}

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (e: any) {
    if (e?.code === "ENOENT") return null;
    throw e;
  }
}

/** Replaces `path` with `buf` durably: temp file, fsync, rename, fsync of the directory. */
async function replaceFile(path: string, buf: Buffer): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${++tmpCounter}.tmp`);
  try {
    const fh = await open(tmp, "w");
    try {
      await writeAll(fh, buf);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new DurableWriteError(false, e);
  }
  try {
    await fsyncDir(dir);
  } catch (e) {
    throw new DurableWriteError(true, e);
  }
}

/** Replays journal.jsonl (`buf`) over store.json's raw object; damage is a CORRUPT error. */
function replayJournalOrThrow(buf: Buffer | null, raw: Record<string, unknown>, baseGen: number, file: string) {
  try {
    return replayJournal(buf ?? Buffer.alloc(0), raw, baseGen);
  } catch (e) {
    if (e instanceof JournalCorrupt) throw corrupt(file, e.message, e);
    throw e;
  }
}

/** The generation a checkpoint store.json includes (`journalGen`), or null for a store.json from before the journal. */
function journalGenOf(raw: any): number | null {
  return Number.isInteger(raw.journalGen) && raw.journalGen >= 0 ? raw.journalGen : null;
}

/**
 * store.json, the checkpoint, through lowdb (`Low` over this adapter): read as raw JSON (not
 * yet migrated or validated: the journal is replayed over it first), written durably — temp
 * file, fsync, rename, directory fsync (`replaceFile`; lowdb's own text file does not fsync).
 * `bytes` is the size last read or written (the compaction threshold compares the journal
 * with it). A missing file reads as null.
 */
class CheckpointFile implements Adapter<Record<string, any> | null> {
  bytes = 0;
  constructor(readonly path: string) {}

  async read(): Promise<Record<string, any> | null> {
    const buf = await readOrNull(this.path);
    if (buf === null) return null;
    this.bytes = buf.length;
    return parseRawStore(buf.toString("utf8"), this.path);
  }

  async write(data: Record<string, any> | null): Promise<void> {
    const buf = Buffer.from(`${JSON.stringify(data)}\n`, "utf8");
    await replaceFile(this.path, buf);
    this.bytes = buf.length;
  }
}

/** Writes `state` as the checkpoint of journal generation `gen` (see CheckpointFile). */
function writeCheckpoint(low: Low<Record<string, any> | null>, state: StoreData, gen: number): Promise<void> {
  low.data = { ...state, journalGen: gen };
  return low.write();
}

/**
 * The state in data directory `dir` as its files hold it now, read without the lock and
 * without writing anything (for read-only previews while the bot runs): store.json with the
 * journal's committed batches.
 * Not migrated. A compaction between reading the two files is detected (store.json replaced)
 * and the read done again.
 */
export async function readFileStoreSnapshot(dir: string): Promise<StoreData> {
  const storePath = join(dir, STORE_FILE);
  for (let attempt = 0; ; attempt++) {
    const fh = await open(storePath, "r");
    let text: string;
    let ino: number;
    try {
      ino = (await fh.stat()).ino;
      text = await fh.readFile("utf8");
    } finally {
      await fh.close();
    }
    const raw = parseRawStore(text, storePath);
    const jGen = journalGenOf(raw);
    if (jGen !== null) {
      const journalPath = join(dir, JOURNAL_FILE);
      replayJournalOrThrow(await readOrNull(journalPath), raw, jGen, journalPath);
      if ((await stat(storePath)).ino !== ino && attempt < 5) continue;
    }
    delete raw.journalGen;
    try {
      return parseStoreData(raw, storePath);
    } catch (e) {
      throw corrupt(storePath, (e as Error).message, e);
    }
  }
}

// ------------------------------------------------------------------ lock

/** Data dirs opened by this process (by real path), so a second open here fails too. */
const openHere = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e?.code === "EPERM";
  }
}

function lockedError(lockPath: string, pid: number | string): StoreError {
  return new StoreError(
    "LOCKED",
    `Thư mục dữ liệu đang được tiến trình khác sử dụng (pid ${pid}, tệp khoá ${lockPath}). ` +
      `Chỉ một tiến trình dondoc được mở một thư mục dữ liệu; nếu chắc chắn không còn tiến trình nào, hãy xoá tệp khoá.`,
  );
}

async function acquireLock(lockPath: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fh = await open(lockPath, "wx");
      try {
        await fh.writeFile(`${process.pid}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      return;
    } catch (e: any) {
      if (e?.code !== "EEXIST") throw e;
    }
    let text: string;
    try {
      text = await readFile(lockPath, "utf8");
    } catch (e: any) {
      if (e?.code === "ENOENT") continue;
      throw e;
    }
    const pid = Number.parseInt(text.trim(), 10);
    if (Number.isInteger(pid) && pid > 0) {
      // Our own pid here means a previous incarnation (pid reuse after a container restart):
      // opens within this process are caught by `openHere` before we get here.
      if (pid !== process.pid && pidAlive(pid)) throw lockedError(lockPath, pid);
    } else {
      // Empty or garbage: either being written right now by another process, or left by a
      // crash between create and write. Give a fresh one the benefit of the doubt.
      const st = await stat(lockPath).catch(() => null);
      if (st && Date.now() - st.mtimeMs < 5_000) throw lockedError(lockPath, "?");
    }
    await unlink(lockPath).catch((e: any) => {
      if (e?.code !== "ENOENT") throw e;
    });
  }
  throw lockedError(lockPath, "?");
}

async function releaseLock(lockPath: string): Promise<void> {
  try {
    const text = await readFile(lockPath, "utf8");
    if (Number.parseInt(text.trim(), 10) === process.pid) await unlink(lockPath);
  } catch (e: any) {
    if (e?.code !== "ENOENT") throw e;
  }
}

// ------------------------------------------------------------------ open

function missingStore(storePath: string, other: string, bytes: number): StoreError {
  const name = basename(other);
  return new StoreError(
    "INCONSISTENT",
    `Không có ${storePath} nhưng ${other} có dữ liệu (${bytes} byte): có thể store.json đã bị xoá hoặc di chuyển. ` +
      `Hãy khôi phục store.json, hoặc chuyển ${name} đi chỗ khác để bắt đầu lại. / ` +
      `${storePath} is missing but ${other} holds ${bytes} bytes: store.json was probably deleted or moved. ` +
      `Restore it, or move ${name} away to start afresh.`,
  );
}

/**
 * Opens (creating if needed) the data directory `dir`: takes the lock, loads store.json and
 * replays the journal (running migrations, moving an older directory over), checkpoints if
 * the journal held anything, and drops events of writes that never committed.
 */
export async function openFileStore(dir: string, opts: FileStoreOptions = {}): Promise<Store> {
  const warn = opts.onWarning ?? (() => undefined);
  await mkdir(dir, { recursive: true });
  const key = await realpath(dir);
  const lockPath = join(dir, LOCK_FILE);
  if (openHere.has(key)) throw lockedError(lockPath, process.pid);
  openHere.add(key);
  try {
    await acquireLock(lockPath);
  } catch (e) {
    openHere.delete(key);
    throw e;
  }
  let eventsFh: FileHandle | undefined;
  let journalFh: FileHandle | undefined;
  try {
    const storePath = join(dir, STORE_FILE);
    const eventsPath = join(dir, EVENTS_FILE);
    const journalPath = join(dir, JOURNAL_FILE);
    const limits = {
      lines: opts.compactJournalAfter ?? 20_000,
      bytes: opts.compactJournalBytes ?? 4 * 1024 * 1024,
    };

    // Leftovers of a crash during a checkpoint.
    for (const name of await readdir(dir)) {
      if (TMP_RE.test(name)) await unlink(join(dir, name)).catch(() => undefined);
    }

    const checkpointFile = new CheckpointFile(storePath);
    const low = new Low<Record<string, any> | null>(checkpointFile, null);
    await low.read();
    const journalBuf = await readOrNull(journalPath);
    const eventsSizeOnDisk = (await stat(eventsPath).catch(() => null))?.size ?? 0;

    let state: StoreData;
    let gen = 0;
    let positions: Positions = new Map();
    let journal = { size: 0, lines: 0 };
    let checkpointNow = false;
    let truncateTo: number | null = null;
    /** Audit events of the journal's batches (committed with them; events.jsonl may lack the last). */
    let journalEvents: unknown[] = [];
    if (low.data === null) {
      if (eventsSizeOnDisk > 0) throw missingStore(storePath, eventsPath, eventsSizeOnDisk);
      if (journalBuf && journalBuf.length > 0) throw missingStore(storePath, journalPath, journalBuf.length);
      state = emptyStoreData();
      checkpointNow = true;
    } else {
      const raw = low.data;
      const fromVersion: number = raw.version;
      const baseGen = journalGenOf(raw);
      if (baseGen !== null) {
        delete raw.journalGen;
        if (journalBuf === null && baseGen > 0) {
          // A clean close leaves an empty journal, never none: this one was deleted or moved.
          throw new StoreError(
            "INCONSISTENT",
            `Thiếu ${journalPath} (store.json đến lô ${baseGen}): nhật ký thay đổi đã bị xoá hoặc di chuyển, các thay đổi sau lần lưu cuối của store.json sẽ mất. ` +
              `Hãy khôi phục ${JOURNAL_FILE}; nếu chắc chắn muốn bỏ các thay đổi đó, tạo một tệp ${JOURNAL_FILE} rỗng. Không có gì bị ghi. / ` +
              `${journalPath} is missing (store.json includes up to batch ${baseGen}): the changes since store.json was last written would be lost. ` +
              `Restore ${JOURNAL_FILE}; to drop those changes on purpose, create an empty ${JOURNAL_FILE}. Nothing was written.`,
          );
        }
        const r = replayJournalOrThrow(journalBuf, raw, baseGen, journalPath);
        state = finishDecode(raw, journalBuf?.length ? `${storePath} + ${JOURNAL_FILE}` : storePath, opts.migrations);
        gen = r.gen;
        positions = r.positions;
        journalEvents = r.events;
        journal = { size: r.keepBytes, lines: r.lines };
        if (r.torn) {
          truncateTo = r.keepBytes;
          warn(
            `Đã bỏ một lô ghi dở ở cuối ${journalPath} / Dropped a torn last batch from ${journalPath} (${(journalBuf?.length ?? 0) - r.keepBytes} bytes)`,
          );
        }
        if (r.firstApplied !== null && r.firstApplied !== baseGen + 1) {
          // Batches between the checkpoint and the journal are gone (an older store.json restored
          // over a newer journal?): replaying the rest would build a state that never existed.
          throw new StoreError(
            "INCONSISTENT",
            `${storePath} đến lô ${baseGen} nhưng ${journalPath} bắt đầu ở lô ${r.firstApplied}: thiếu các thay đổi ở giữa ` +
              `(có thể store.json được khôi phục từ bản sao lưu cũ hơn nhật ký). Hãy khôi phục store.json, journal.jsonl và events.jsonl của cùng một lần sao lưu. Không có gì bị ghi. / ` +
              `${storePath} includes batches up to ${baseGen} but ${journalPath} starts at ${r.firstApplied}: the changes between are missing ` +
              "(an older store.json restored over a newer journal?). Restore store.json, journal.jsonl and events.jsonl of one backup. Nothing was written.",
          );
        }
        checkpointNow = r.lines > 0 || fromVersion !== STORE_VERSION;
      } else {
        // A data directory from before the journal.
        if (journalBuf && journalBuf.length > 0) {
          throw new StoreError(
            "INCONSISTENT",
            `${storePath} là bản cũ (không có journalGen) nhưng ${journalPath} có dữ liệu (${journalBuf.length} byte): có thể store.json đã được khôi phục từ bản sao lưu cũ. ` +
              `Hãy chuyển ${JOURNAL_FILE} đi chỗ khác nếu muốn dùng store.json này. / ` +
              `${storePath} is from before the journal but ${journalPath} holds ${journalBuf.length} bytes (an old store.json restored?). Move ${JOURNAL_FILE} away to use this store.json.`,
          );
        }
        state = finishDecode(raw, storePath, opts.migrations);
        checkpointNow = true; // the same state, now with its journal generation
      }
      if (fromVersion !== STORE_VERSION) {
        const backup = `${storePath}.v${fromVersion}.bak`;
        await copyFile(storePath, backup);
        warn(`store.json đã chuyển từ phiên bản ${fromVersion} lên ${STORE_VERSION}; bản cũ: ${backup} / migrated, backup at ${backup}`);
      }
    }

    // ---- reconcile the audit trail with the committed state
    eventsFh = await open(eventsPath, "a+");
    if (eventsSizeOnDisk === 0) await fsyncDir(dir);
    const storeSeq = state.eventSeq;
    const size = (await eventsFh.stat()).size;
    let keep = size;
    let dropped = 0;
    let torn = false;
    let lastKept: number | null = null;
    for await (const { start, line, terminated } of linesBackward(eventsFh, size)) {
      if (!terminated) {
        torn = true;
        keep = start;
        continue;
      }
      const ev = parseEventLine(line);
      if (ev && ev.seq <= storeSeq) {
        lastKept = ev.seq;
        break;
      }
      dropped += 1;
      keep = start;
    }
    if (keep < size) {
      const tail = Buffer.alloc(size - keep);
      await eventsFh.read(tail, 0, tail.length, keep);
      const aside = join(dir, DROPPED_EVENTS_FILE);
      const afh = await open(aside, "a");
      try {
        await writeAll(afh, tail[tail.length - 1] === NL ? tail : Buffer.concat([tail, Buffer.from("\n")]));
        await afh.sync();
      } finally {
        await afh.close();
      }
      await eventsFh.truncate(keep);
      await eventsFh.sync();
      warn(
        `Đã bỏ ${dropped} sự kiện của lần ghi chưa hoàn tất${torn ? " và một dòng ghi dở" : ""} khỏi ${eventsPath} (lưu lại ở ${aside}) / ` +
          `Dropped ${dropped} event(s) of an unfinished write${torn ? " and a torn last line" : ""} from ${eventsPath} (kept in ${aside})`,
      );
    }
    // Events committed with a journal batch whose append to events.jsonl did not happen (a
    // crash after the batch): written now, from the batch, before a checkpoint empties it.
    const missing = journalEvents
      .map((raw) => Event.safeParse(raw))
      .flatMap((p) => (p.success && p.data.seq > (lastKept ?? 0) && p.data.seq <= storeSeq ? [p.data] : []));
    if (missing.length > 0) {
      await writeAll(eventsFh, Buffer.from(missing.map((e) => JSON.stringify(e) + "\n").join(""), "utf8"));
      await eventsFh.datasync();
      keep = (await eventsFh.stat()).size;
      lastKept = missing[missing.length - 1].seq;
    }
    if (storeSeq > 0 && lastKept !== storeSeq) {
      warn(
        `Nhật ký sự kiện thiếu: sự kiện cuối là ${lastKept ?? "không có"}, store.json ghi ${storeSeq} / ` +
          `Audit trail is missing events: last event is ${lastKept ?? "none"}, store.json says ${storeSeq}`,
      );
    }

    journalFh = await open(journalPath, "a");
    if (journalBuf === null) await fsyncDir(dir);
    if (truncateTo !== null) {
      await journalFh.truncate(truncateTo);
      await journalFh.sync();
    }
    if (checkpointNow) {
      // The journal emptied only once the checkpoint holding it is durable.
      await writeCheckpoint(low, state, gen);
      await journalFh.truncate(0);
      await journalFh.sync();
      journal = { size: 0, lines: 0 };
      positions = new Map();
    }

    return makeFileStore({
      state,
      eventsFh,
      eventsPath,
      eventsSize: keep,
      storePath,
      lockPath,
      key,
      warn,
      journal: { fh: journalFh, path: journalPath, gen, positions, checkpoint: checkpointFile, low, limits, ...journal },
    });
  } catch (e) {
    await eventsFh?.close().catch(() => undefined);
    await journalFh?.close().catch(() => undefined);
    openHere.delete(key);
    await releaseLock(lockPath).catch(() => undefined);
    throw e;
  }
}

function makeFileStore(ctx: {
  state: StoreData;
  eventsFh: FileHandle;
  eventsPath: string;
  eventsSize: number;
  storePath: string;
  lockPath: string;
  key: string;
  warn: (m: string) => void;
  /**
   * journal.jsonl: its append handle, committed size and lines, the last generation, the
   * positions of the state's array fields, store.json's size, when to compact.
   */
  journal: {
    fh: FileHandle;
    path: string;
    size: number;
    lines: number;
    gen: number;
    positions: Positions;
    /** store.json (lowdb over our durable adapter), and its size. */
    checkpoint: CheckpointFile;
    low: Low<Record<string, any> | null>;
    limits: { lines: number; bytes: number };
  };
}): Store {
  const { eventsFh, eventsPath, storePath, lockPath, key, warn } = ctx;
  const jl = { ...ctx.journal };
  /** The committed state (the core's, same object). */
  let current = ctx.state;
  /** Bytes of events.jsonl whose events are committed. */
  let eventsSize = ctx.eventsSize;
  let failed: StoreError | null = null;
  let closing: Promise<void> | null = null;

  const poison = (cause: unknown) => {
    failed = new StoreError(
      "FAILED",
      `Kho dữ liệu gặp lỗi ghi không khắc phục được; hãy đóng và mở lại / ` +
        `The store hit an unrecoverable write error; close and reopen it: ${(cause as Error)?.message ?? cause}`,
      { cause },
    );
  };

  const core = createStoreCore(current, async (next, events) => {
    if (failed) throw failed;
    const prev = current;
    const diff = diffState(prev as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>, jl.positions);
    if (diff.ops.length === 0 && events.length === 0) {
      current = next;
      return;
    }
    const jBefore = jl.size;
    // 1. the journal batch with the events: its commit line is the commit point
    const gen = jl.gen + 1;
    const eventLines = events.map((e) => JSON.stringify(e));
    const batch = encodeBatch([...diff.ops, ...eventLines.map(eventLine)], gen);
    try {
      await writeAll(jl.fh, batch.buf);
      await jl.fh.datasync();
    } catch (e) {
      // Take back what may have been written; if even that fails, the store stops (FAILED).
      try {
        await jl.fh.truncate(jBefore);
        await jl.fh.datasync();
      } catch {
        poison(e);
      }
      throw e;
    }
    // 2. the events, to events.jsonl (read by /lichsu, the digest): durable at the next
    // checkpoint, and until then in the batch (open writes them again if they are missing).
    const before = eventsSize;
    let appended = 0;
    if (events.length > 0) {
      const buf = Buffer.from(eventLines.map((line) => line + "\n").join(""), "utf8");
      try {
        await writeAll(eventsFh, buf);
        appended = buf.length;
      } catch (e) {
        poison(e); // committed, but the trail is behind until a reopen repairs it
      }
    }
    current = next;
    eventsSize = before + appended;
    jl.gen = gen;
    jl.size += batch.buf.length;
    jl.lines += batch.lines;
    jl.positions = diff.positions;
    if (shouldCompact(jl.lines, jl.size, jl.checkpoint.bytes, jl.limits)) await checkpoint(next);
  });

  /**
   * Writes `state` (committed, generation jl.gen) as the checkpoint store.json, then empties
   * the journal. A failure before the rename leaves the old checkpoint and the whole journal
   * (a warning); after it, the store stops (FAILED): the directory may not keep the rename.
   */
  async function checkpoint(state: StoreData): Promise<void> {
    try {
      await eventsFh.datasync(); // the journal about to be emptied holds the only durable copy of recent events
      await writeCheckpoint(jl.low, state, jl.gen);
    } catch (e) {
      if (e instanceof DurableWriteError && e.renamed) poison(e);
      else warn(`Không ghi được điểm lưu ${storePath} / Could not write the checkpoint ${storePath}: ${(e as Error)?.message ?? e}`);
      return;
    }
    jl.positions = new Map(); // replay after this checkpoint starts from its positions 0…n−1
    try {
      await jl.fh.truncate(0);
      await jl.fh.sync();
      jl.size = 0;
      jl.lines = 0;
    } catch (e) {
      // The batches left are ≤ journalGen (skipped on replay), but their size is now unknown.
      poison(e);
    }
  }

  return {
    read: core.read,
    update: core.update,
    sendLogArchive: fileSendLogArchive(dirname(storePath), { replaceFile, warn }),
    problem: () => (core.isClosed() ? "Kho dữ liệu đã đóng" : (failed?.message ?? null)),

    async events(filter?: EventFilter): Promise<Event[]> {
      if (core.isClosed()) throw new StoreError("CLOSED", "Kho dữ liệu đã đóng");
      const limit = filter?.limit ?? Infinity;
      const out: Event[] = [];
      if (limit <= 0) return out;
      const end = eventsSize; // only committed events
      // A substring test is far cheaper than JSON.parse: skip lines that cannot match.
      const needles = [
        filter?.taskCode !== undefined ? `"taskCode":${JSON.stringify(filter.taskCode)}` : null,
        filter?.agencyId !== undefined ? `"agencyId":${JSON.stringify(filter.agencyId)}` : null,
      ].filter((n): n is string => n !== null);
      const fh = await open(eventsPath, "r");
      try {
        for await (const { line } of linesBackward(fh, end)) {
          if (line.length === 0) continue;
          if (filter?.since === undefined && needles.some((n) => !line.includes(n))) continue;
          const ev = parseEventLine(line);
          if (!ev) {
            warn(`Bỏ qua một dòng hỏng trong ${eventsPath} / Skipping a corrupt line in ${eventsPath}`);
            continue;
          }
          if (filter?.since !== undefined && ev.at < filter.since) break;
          if (matchesFilter(ev, filter)) {
            out.push(ev);
            if (out.length >= limit) break;
          }
        }
      } finally {
        await fh.close();
      }
      return out;
    },

    close() {
      closing ??= (async () => {
        await core.close();
        if (jl.lines > 0 && !failed) await checkpoint(current);
        await eventsFh.close();
        await jl.fh.close();
        openHere.delete(key);
        await releaseLock(lockPath);
      })();
      return closing;
    },
  };
}
