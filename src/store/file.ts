/**
 * The default store: lowdb on `<dir>/store.json`, with a durable adapter, an append-only
 * audit trail in `<dir>/events.jsonl` and the send-log in its own append-only file
 * `<dir>/sendlog.jsonl` (format in ./sendlog-file.ts).
 *
 * Durability and consistency (see also ./memory.ts for the update semantics):
 * - store.json is written to a temp file in the same directory, fsynced, renamed over
 *   store.json, then the directory is fsynced. A crash leaves either the old or the new
 *   file, never a torn one. It holds the whole state but `sendLog`, plus `sendLogGen` (below).
 * - An update appends its events to events.jsonl and fsyncs it FIRST, then writes
 *   store.json with `eventSeq` = the last event's seq. So every change in store.json has
 *   its events on disk; the reverse may not hold after a crash: events with
 *   seq > eventSeq belong to a write that never completed. On open they are dropped
 *   (copied aside to `events.dropped.jsonl`, then events.jsonl is truncated), as is a torn
 *   last line. Only the tail of events.jsonl is read on open.
 * - The send-log. `persist` compares the next send-log with the current one by element
 *   identity and appends what changed (elements added or replaced, positions removed) as ONE
 *   batch ending with a commit line carrying a generation number (previous + 1) and a hash of
 *   the batch, in one write, then fdatasync. Order within an update: events.jsonl, then
 *   sendlog.jsonl, then store.json — each fsynced before the next starts.
 *   - An update that changes only the send-log (no events, every other field the same) is
 *     that append alone: store.json is not rewritten. Its commit line commits it.
 *   - An update that changes the send-log and anything else (a *mixed* batch, marked `m` in
 *     its commit line) also writes store.json, with `sendLogGen` = the batch's generation.
 *     store.json's rename is the commit point of the whole update: on open, the first mixed
 *     batch whose generation is above store.json's `sendLogGen` belongs to an update whose
 *     store.json write never happened; it is dropped with everything after it (nothing can
 *     follow it: updates are serialised and a failed one is undone or stops the store), as
 *     are its events (seq > eventSeq, above). Batches up to `sendLogGen`, and send-log-only
 *     batches after it, are committed. Every store.json write records the last committed
 *     generation, and a new batch gets max(that, the file's last) + 1: always above store.json's.
 *   - A batch without a valid commit line (crash mid-append) is dropped on open: the file is
 *     truncated to the last committed batch.
 *   - Compaction rewrites the file as the live elements only (one batch, same generation):
 *     temp file, fsync, rename, fsync of the directory — at open and after an update, when
 *     the file holds more dead lines than max(`compactSendLogAfter`, live elements). Either the
 *     old or the new file survives a crash; both hold the same state.
 *   - Moving from an older store.json (one without `sendLogGen`, its send-log inside): on
 *     open, sendlog.jsonl is written from it (compacted form, replacing any file left by an
 *     interrupted move), then store.json without it. A crash between the two leaves the old
 *     store.json, and the move is done again.
 *   - A migration (`migrations`) sees the raw state with its `sendLog`, as before; it is then
 *     written back the same way (sendlog.jsonl, then store.json), so a migration that changes
 *     send-log entries must accept entries it already changed (a crash between the writes).
 * - When `update` resolves, the change and its events are on disk (fsynced).
 * - If a write fails (disk full…), what was already appended (events, send-log batch) is
 *   truncated away and nothing changes. If even that fails, the store refuses further updates
 *   (code FAILED): close and reopen it, the open-time recovery reconciles the files.
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
import { planArray } from "./positions.ts";
import { SENDLOG_FILE, SendLogCorrupt, encodeBatch, encodeSnapshot, replaySendLog, shouldCompact } from "./sendlog-file.ts";

export { StoreError } from "./memory.ts";
export { SENDLOG_FILE } from "./sendlog-file.ts";

/** `migrations[v]` turns a raw store of version v into version v + 1. */
export type Migrations = Record<number, (raw: any) => any>;

export type FileStoreOptions = {
  migrations?: Migrations;
  /** Called with recoveries and oddities found on open (dropped events, torn line…). */
  onWarning?: (message: string) => void;
  /**
   * sendlog.jsonl is compacted once it holds more dead lines (replaced or removed elements,
   * commit lines) than this many, and than live elements. Default 1000.
   */
  compactSendLogAfter?: number;
};

export const STORE_FILE = "store.json";
export const EVENTS_FILE = "events.jsonl";
export const DROPPED_EVENTS_FILE = "events.dropped.jsonl";
export const LOCK_FILE = ".lock";

const TMP_RE = /^\.(store\.json|sendlog\.jsonl)\.\d+\.\d+\.tmp$/;
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

/** Thrown by the adapter's write; `renamed` says whether store.json was already replaced. */
class DurableWriteError extends Error {
  constructor(
    readonly renamed: boolean,
    cause: unknown,
  ) {
    super(`Ghi tệp thất bại / Write failed: ${(cause as Error)?.message ?? cause}`, { cause });
  }
}

/**
 * lowdb adapter: reads through `decode` (parse, migrate, validate) and writes durably:
 * temp file in the same directory → fsync → rename → fsync directory.
 */
export class DurableJSONFile<T> implements Adapter<T> {
  constructor(
    readonly path: string,
    private readonly decode: (text: string) => T,
    private readonly encode: (data: T) => string = (data) => JSON.stringify(data),
  ) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (e: any) {
      if (e?.code === "ENOENT") return null;
      throw e;
    }
    return this.decode(text);
  }

  async write(data: T): Promise<void> {
    const dir = dirname(this.path);
    const tmp = join(dir, `.${basename(this.path)}.${process.pid}.${++tmpCounter}.tmp`);
    try {
      const fh = await open(tmp, "w");
      try {
        await fh.writeFile(this.encode(data) + "\n");
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.path);
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

/** Migrates and validates a raw state (with its `sendLog` put back). */
function finishDecode(raw: any, file: string, migrations: Migrations | undefined): StoreData {
  raw = migrateRaw(raw, migrations, STORE_VERSION, file);
  try {
    return parseStoreData(raw, file);
  } catch (e) {
    throw corrupt(file, (e as Error).message, e);
  }
}

/** The generation store.json records (`sendLogGen`), or null for a store.json from before sendlog.jsonl. */
function storeGenOf(raw: any): number | null {
  return Number.isInteger(raw.sendLogGen) && raw.sendLogGen >= 0 ? raw.sendLogGen : null;
}

/** Replays sendlog.jsonl (`buf`) against store.json's generation; damage is a CORRUPT error. */
function replayOrThrow(buf: Buffer | null, storeGen: number, file: string) {
  try {
    return replaySendLog(buf ?? Buffer.alloc(0), storeGen);
  } catch (e) {
    if (e instanceof SendLogCorrupt) throw corrupt(file, e.message, e);
    throw e;
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

/** Are `a` and `b` the same value, or arrays/records of the same elements (a collection the draft copied but did not change)? */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object" || Array.isArray(a) || Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

/** Does `next` differ from `prev` in anything but the send-log? */
function otherFieldsChanged(prev: StoreData, next: StoreData): boolean {
  const p = prev as unknown as Record<string, unknown>;
  const n = next as unknown as Record<string, unknown>;
  for (const k of new Set([...Object.keys(p), ...Object.keys(n)])) {
    if (k !== "sendLog" && !sameValue(p[k], n[k])) return true;
  }
  return false;
}

/**
 * The state in data directory `dir` as its files hold it now, read without the lock and
 * without writing anything (for read-only previews while the bot runs): store.json with its
 * send-log from sendlog.jsonl (committed batches only). Not migrated.
 */
export async function readFileStoreSnapshot(dir: string): Promise<StoreData> {
  const storePath = join(dir, STORE_FILE);
  const raw = parseRawStore(await readFile(storePath, "utf8"), storePath);
  const gen = storeGenOf(raw);
  if (gen !== null) {
    const sendLogPath = join(dir, SENDLOG_FILE);
    raw.sendLog = replayOrThrow(await readOrNull(sendLogPath), gen, sendLogPath).entries;
  }
  delete raw.sendLogGen;
  try {
    return parseStoreData(raw, storePath);
  } catch (e) {
    throw corrupt(storePath, (e as Error).message, e);
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

/**
 * Opens (creating if needed) the data directory `dir`: takes the lock, loads and validates
 * store.json (running migrations), and drops events of writes that never completed.
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
  let slFh: FileHandle | undefined;
  try {
    const storePath = join(dir, STORE_FILE);
    const eventsPath = join(dir, EVENTS_FILE);

    const sendLogPath = join(dir, SENDLOG_FILE);
    const compactMin = opts.compactSendLogAfter ?? 1000;

    // Leftovers of a crash during a store.json write or a compaction of sendlog.jsonl.
    for (const name of await readdir(dir)) {
      if (TMP_RE.test(name)) await unlink(join(dir, name)).catch(() => undefined);
    }

    // ---- store.json, with its send-log from sendlog.jsonl
    const slBuf = await readOrNull(sendLogPath);
    let found = false;
    let fromVersion = STORE_VERSION;
    let storeGen: number | null = null;
    let replay: ReturnType<typeof replaySendLog> | null = null;
    /** The generation store.json records when written: the last committed batch's. */
    const genRef = { gen: 0 };
    const adapter = new DurableJSONFile<StoreData>(
      storePath,
      (text) => {
        found = true;
        const raw = parseRawStore(text, storePath);
        fromVersion = raw.version;
        storeGen = storeGenOf(raw);
        if (storeGen !== null) {
          replay = replayOrThrow(slBuf, storeGen, sendLogPath);
          raw.sendLog = replay.entries;
        }
        delete raw.sendLogGen;
        return finishDecode(raw, storeGen === null ? storePath : `${storePath} + ${SENDLOG_FILE}`, opts.migrations);
      },
      (data) => {
        const { sendLog: _inItsOwnFile, ...rest } = data;
        return JSON.stringify({ ...rest, sendLogGen: genRef.gen });
      },
    );
    const low = new Low<StoreData>(adapter, emptyStoreData());
    await low.read();

    const eventsSizeOnDisk = (await stat(eventsPath).catch(() => null))?.size ?? 0;
    /** sendlog.jsonl as the store starts with it. */
    let sl: { size: number; lines: number; positions: number[] } = { size: 0, lines: 0, positions: [] };
    const rewriteSendLog = async () => {
      const snap = encodeSnapshot(low.data.sendLog, genRef.gen);
      await replaceFile(sendLogPath, snap.buf);
      sl = { size: snap.buf.length, lines: snap.lines, positions: low.data.sendLog.map((_, i) => i) };
    };
    if (!found) {
      if (eventsSizeOnDisk > 0) {
        throw new StoreError(
          "INCONSISTENT",
          `Không có ${storePath} nhưng ${eventsPath} có dữ liệu (${eventsSizeOnDisk} byte): có thể store.json đã bị xoá hoặc di chuyển. ` +
            `Hãy khôi phục store.json, hoặc chuyển events.jsonl đi chỗ khác để bắt đầu lại. / ` +
            `${storePath} is missing but ${eventsPath} holds ${eventsSizeOnDisk} bytes: store.json was probably deleted or moved. ` +
            `Restore it, or move events.jsonl away to start afresh.`,
        );
      }
      if (slBuf && slBuf.length > 0) {
        throw new StoreError(
          "INCONSISTENT",
          `Không có ${storePath} nhưng ${sendLogPath} có dữ liệu (${slBuf.length} byte): có thể store.json đã bị xoá hoặc di chuyển. ` +
            `Hãy khôi phục store.json, hoặc chuyển sendlog.jsonl đi chỗ khác để bắt đầu lại. / ` +
            `${storePath} is missing but ${sendLogPath} holds ${slBuf.length} bytes: store.json was probably deleted or moved. ` +
            `Restore it, or move sendlog.jsonl away to start afresh.`,
        );
      }
      await low.write();
    } else if (storeGen === null || fromVersion !== STORE_VERSION) {
      // An older store.json (send-log inside) and/or a migration: sendlog.jsonl first, then store.json.
      if (fromVersion !== STORE_VERSION) {
        const backup = `${storePath}.v${fromVersion}.bak`;
        await copyFile(storePath, backup);
        warn(`store.json đã chuyển từ phiên bản ${fromVersion} lên ${STORE_VERSION}; bản cũ: ${backup} / migrated, backup at ${backup}`);
      }
      const r = replay as ReturnType<typeof replaySendLog> | null;
      genRef.gen = storeGen === null ? 1 : Math.max(storeGen, r?.gen ?? 0);
      if (storeGen === null && slBuf && slBuf.length > 0) {
        warn(
          `${sendLogPath} có sẵn nhưng store.json còn chứa nhật ký gửi: thay nó bằng nhật ký trong store.json / ` +
            `${sendLogPath} exists but store.json still holds the send-log (an interrupted move): replaced by store.json's`,
        );
      }
      await rewriteSendLog();
      await low.write();
      if (storeGen === null && low.data.sendLog.length > 0) {
        warn(
          `Đã chuyển ${low.data.sendLog.length} mục nhật ký gửi từ store.json sang ${sendLogPath} / ` +
            `Moved ${low.data.sendLog.length} send-log entries from store.json to ${sendLogPath}`,
        );
      }
    } else {
      const r = replay as unknown as ReturnType<typeof replaySendLog>;
      const onDisk = slBuf?.length ?? 0;
      genRef.gen = Math.max(storeGen, r.gen);
      sl = { size: r.keepBytes, lines: r.lines, positions: r.positions };
      if (r.keepBytes < onDisk) {
        const fh = await open(sendLogPath, "r+");
        try {
          await fh.truncate(r.keepBytes);
          await fh.sync();
        } finally {
          await fh.close();
        }
        warn(
          `Đã bỏ ${r.uncommitted} lô nhật ký gửi của lần ghi chưa hoàn tất${r.torn ? " và một lô ghi dở" : ""} khỏi ${sendLogPath} / ` +
            `Dropped ${r.uncommitted} send-log batch(es) of an unfinished write${r.torn ? " and a torn last batch" : ""} from ${sendLogPath}`,
        );
      }
      if (r.gen < storeGen) {
        warn(
          `Nhật ký gửi thiếu: ${slBuf === null ? `không có ${sendLogPath}` : `lô cuối là ${r.gen}`}, store.json ghi ${storeGen} / ` +
            `The send-log is missing batches: ${slBuf === null ? `no ${sendLogPath}` : `last batch is ${r.gen}`}, store.json says ${storeGen}`,
        );
      }
      if (shouldCompact(sl.lines, low.data.sendLog.length, compactMin)) await rewriteSendLog();
    }
    const slExisted = slBuf !== null || sl.size > 0;
    slFh = await open(sendLogPath, "a");
    if (!slExisted) await fsyncDir(dir);

    // ---- reconcile the audit trail with store.json
    eventsFh = await open(eventsPath, "a+");
    if (eventsSizeOnDisk === 0) await fsyncDir(dir);
    const storeSeq = low.data.eventSeq;
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
    if (storeSeq > 0 && lastKept !== storeSeq) {
      warn(
        `Nhật ký sự kiện thiếu: sự kiện cuối là ${lastKept ?? "không có"}, store.json ghi ${storeSeq} / ` +
          `Audit trail is missing events: last event is ${lastKept ?? "none"}, store.json says ${storeSeq}`,
      );
    }

    return makeFileStore({
      low,
      eventsFh,
      eventsPath,
      eventsSize: keep,
      lockPath,
      key,
      warn,
      genRef,
      sendLog: { fh: slFh, path: sendLogPath, compactMin, ...sl },
    });
  } catch (e) {
    await eventsFh?.close().catch(() => undefined);
    await slFh?.close().catch(() => undefined);
    openHere.delete(key);
    await releaseLock(lockPath).catch(() => undefined);
    throw e;
  }
}

function makeFileStore(ctx: {
  low: Low<StoreData>;
  eventsFh: FileHandle;
  eventsPath: string;
  eventsSize: number;
  lockPath: string;
  key: string;
  warn: (m: string) => void;
  /** The last committed send-log generation (what store.json records when written). */
  genRef: { gen: number };
  /** sendlog.jsonl: its append handle, committed size and lines, positions of the state's send-log. */
  sendLog: { fh: FileHandle; path: string; compactMin: number; size: number; lines: number; positions: number[] };
}): Store {
  const { low, eventsFh, eventsPath, lockPath, key, warn, genRef } = ctx;
  const sl = { ...ctx.sendLog };
  /** Bytes of events.jsonl whose events are committed (their change is in store.json). */
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

  const core = createStoreCore(low.data, async (next, events) => {
    if (failed) throw failed;
    const prev = low.data;
    const sendLogChanged = !sameValue(prev.sendLog, next.sendLog);
    const othersChanged = events.length > 0 || otherFieldsChanged(prev, next);
    if (!sendLogChanged && !othersChanged) {
      low.data = next;
      return;
    }
    const before = eventsSize;
    const slBefore = sl.size;
    let appended = 0;
    let slAppended = false;
    /** Truncates what this update appended; if that fails too, the store stops (FAILED). */
    const undo = async (cause: unknown) => {
      try {
        if (appended > 0) {
          await eventsFh.truncate(before);
          await eventsFh.sync();
        }
        if (slAppended) {
          await sl.fh.truncate(slBefore);
          await sl.fh.sync();
        }
      } catch {
        poison(cause);
      }
    };
    // 1. the audit events
    if (events.length > 0) {
      const buf = Buffer.from(events.map((e) => JSON.stringify(e) + "\n").join(""), "utf8");
      try {
        appended = buf.length; // possibly in part: undo truncates
        await writeAll(eventsFh, buf);
        await eventsFh.datasync();
      } catch (e) {
        await undo(e);
        throw e;
      }
    }
    // 2. the send-log batch
    let batch: { buf: Buffer; lines: number; positions: number[] } | null = null;
    const gen = genRef.gen + 1;
    if (sendLogChanged) {
      const plan = planArray(prev.sendLog, sl.positions, next.sendLog);
      batch = { ...encodeBatch(plan, gen, othersChanged), positions: plan.positions };
      try {
        slAppended = true;
        await writeAll(sl.fh, batch.buf);
        await sl.fh.datasync();
      } catch (e) {
        await undo(e);
        throw e;
      }
    }
    // 3. store.json: the commit point of a mixed update
    low.data = next;
    if (othersChanged) {
      const prevGen = genRef.gen;
      if (batch) genRef.gen = gen;
      try {
        await low.write();
      } catch (e) {
        low.data = prev;
        genRef.gen = prevGen;
        if (e instanceof DurableWriteError && e.renamed) poison(e);
        else await undo(e);
        throw e;
      }
    }
    eventsSize = before + appended;
    if (batch) {
      genRef.gen = gen;
      sl.size += batch.buf.length;
      sl.lines += batch.lines;
      sl.positions = batch.positions;
      if (shouldCompact(sl.lines, next.sendLog.length, sl.compactMin)) await compact(next.sendLog);
    }
  });

  /**
   * Rewrites sendlog.jsonl as the live entries only, after a committed update. A failure before
   * the rename leaves the old file (a warning); after it, the store stops (FAILED): the append
   * handle could write to a file the directory may not keep.
   */
  async function compact(entries: readonly unknown[]): Promise<void> {
    const snap = encodeSnapshot(entries, genRef.gen);
    try {
      await replaceFile(sl.path, snap.buf);
    } catch (e) {
      if (e instanceof DurableWriteError && e.renamed) poison(e);
      else warn(`Không nén được ${sl.path} / Could not compact ${sl.path}: ${(e as Error)?.message ?? e}`);
      return;
    }
    try {
      const fresh = await open(sl.path, "a");
      await sl.fh.close().catch(() => undefined);
      sl.fh = fresh;
    } catch (e) {
      poison(e);
      return;
    }
    sl.size = snap.buf.length;
    sl.lines = snap.lines;
    sl.positions = entries.map((_, i) => i);
  }

  return {
    read: core.read,
    update: core.update,
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
        await eventsFh.close();
        await sl.fh.close();
        openHere.delete(key);
        await releaseLock(lockPath);
      })();
      return closing;
    },
  };
}
