/**
 * The runtime for the read-only CLI commands (`remind --dry-run`, `digest`): the store in
 * DATA_DIR or PostgreSQL (which the bot shares), or — while the bot holds the data directory's
 * lock — a snapshot of store.json (with journal.jsonl) and events.jsonl in memory, so a preview never waits for or
 * disturbs the running bot.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import { Runtime } from "../bot/runtime.ts";
import { Event } from "../core/schemas.ts";
import { createCalendar } from "../core/calendar.ts";
import { loadAgencyDirectory, loadHolidays, referenceFile } from "../boot/reference.ts";
import { buildRuntime } from "../boot/runtime.ts";
import { createMemoryStore } from "../store/memory.ts";
import { EVENTS_FILE, StoreError, readFileStoreSnapshot } from "../store/file.ts";
import { fileSendLogArchive } from "../store/sendlog-archive.ts";

/** The snapshot's archive is only read: a write would race the bot that holds the directory. */
const refuseWrite = async (): Promise<void> => {
  throw new StoreError("LOCKED", "Bản chụp chỉ để đọc");
};

/** The runtime on DATA_DIR, or on a read-only snapshot of it while the bot holds its lock. */
export async function openForReading(config: Config, log: Logger, clock?: () => Date): Promise<Runtime> {
  try {
    return await buildRuntime(config, log, clock, { chat: false });
  } catch (error) {
    if (!(error instanceof StoreError) || error.code !== "LOCKED") throw error;
  }
  const reference = {
    agencies: loadAgencyDirectory(referenceFile(config.DATA_DIR, "agencies.json")),
    calendar: createCalendar(loadHolidays(referenceFile(config.DATA_DIR, "holidays.json"))),
  };
  process.stderr.write(
    "(Bot đang chạy trên thư mục dữ liệu này: đọc bản chụp store.json, journal.jsonl, events.jsonl và sendlog-archive.jsonl, không ghi gì.)\n",
  );
  const data = await readFileStoreSnapshot(config.DATA_DIR);
  const lines = (await readFile(path.join(config.DATA_DIR, EVENTS_FILE), "utf8").catch(() => "")).split("\n");
  const events = lines.flatMap((line) => {
    try {
      const parsed = Event.safeParse(JSON.parse(line));
      return parsed.success && parsed.data.seq <= data.eventSeq ? [parsed.data] : [];
    } catch {
      return []; // a line being written right now
    }
  });
  // The send-log archive too (the planner reads it: a preview must not list what was sent).
  const archived = await fileSendLogArchive(config.DATA_DIR, { replaceFile: refuseWrite, warn: () => undefined }).entries();
  return new Runtime({
    config,
    store: createMemoryStore(data, events, archived),
    ...reference,
    log,
    clock,
  });
}
