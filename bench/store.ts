/**
 * Store growth: one progress update (as /tiendo makes it: the assignment changed, one audit
 * event) on a registry of 10,000 tasks with an audit trail of 0 … 1,000,000 events. The
 * audit trail is written straight to events.jsonl (valid events, consecutive seq, eventSeq
 * set in store.json) instead of through a million updates.
 *
 * Also: what the update's time is made of, how it grows with the registry and with the
 * send-log, and the two reads that do walk the audit trail (/lichsu,
 * and the digest's whole-trail read).
 */
import { open, rename as fsRename, stat } from "node:fs/promises";
import path from "node:path";
import { createDirectory } from "../src/core/agencies.ts";
import { reportProgress } from "../src/domain/assignments.ts";
import { openFileStore, STORE_FILE } from "../src/store/file.ts";
import { JOURNAL_FILE } from "../src/store/journal.ts";
import { deepFreeze, parseStoreData } from "../src/store/memory.ts";
import { StoreData as StoreDataSchema, type Store, type StoreData } from "../src/store/types.ts";
import { copyStore } from "../src/store/copy.ts";
import { openPostgresStore } from "../src/store/postgres.ts";
import { emptyDatabase, stopPgServer } from "../test/support/postgres.ts";
import {
  exponent,
  gc,
  steadySendLog,
  groupChatId,
  makeRegistry,
  mb,
  median,
  nowMs,
  p99,
  progress,
  progressEvent,
  round,
  sample,
  tempDir,
  timed,
  writeDataDir,
  type Row,
  type SectionOptions,
} from "./lib.ts";

const fmt = (n: number) => n.toLocaleString("en");
const caller = { userId: "tg:1001", userName: "Nguyễn Văn A", chatId: groupChatId(0) };

/** `count` progress updates through the real code path on the store `openStore` opens; their latencies in ms. */
async function updates(openStore: () => Promise<Store>, data: StoreData, count: number): Promise<{ latencies: number[]; openMs: number }> {
  const { ms: openMs, result: store } = await timed(openStore);
  const directory = createDirectory([]);
  const open = data.assignments.filter((a) => a.status !== "done");
  const tasks = new Map(data.tasks.map((t) => [t.code, t]));
  const latencies: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const assignment = open[(i * 7919) % open.length];
      const percent = (i * 13) % 101;
      const now = new Date(Date.UTC(2021, 5, 15, 2, 0, i));
      const target = { task: tasks.get(assignment.taskCode)!, assignment };
      const t0 = nowMs();
      await reportProgress({ store, directory, now }, caller, target, percent, "", `/tiendo ${assignment.taskCode} ${percent}`);
      latencies.push(nowMs() - t0);
    }
  } finally {
    await store.close();
  }
  return { latencies, openMs };
}

/**
 * The steps of writing a checkpoint (src/store/file.ts: what a JSON-store update cost before
 * the journal, and what a compaction costs now — at start, at close, and once the journal has
 * grown; an update itself appends its change to journal.jsonl), timed apart, with the
 * update's own in-memory steps: a new array of the touched collection (`assignments`, its
 * elements shared), validation and freezing of the element it replaced.
 */
async function breakdown(data: StoreData, label: string): Promise<Row[]> {
  const frozen = deepFreeze(structuredClone(data));
  const copy = await sample(() => frozen.assignments.slice(), 5);
  const draft = structuredClone(data);
  const element = StoreDataSchema.shape.assignments.unwrap().element;
  const parse = await sample(() => element.parse({ ...draft.assignments[0], progress: 50 }), 5);
  const stringify = await sample(() => JSON.stringify(draft), 5);
  const json = JSON.stringify(draft) + "\n";
  const event = JSON.stringify(progressEvent(1, data)) + "\n";
  const write: number[] = [];
  const sync: number[] = [];
  const rename: number[] = [];
  const append: number[] = [];
  const { dir, cleanup } = await tempDir("dondoc-bench-write-");
  try {
    const events = await open(path.join(dir, "events.jsonl"), "a+");
    for (let i = 0; i < 5; i++) {
      let t = nowMs();
      await events.write(event);
      await events.datasync();
      append.push(nowMs() - t);
      const tmp = path.join(dir, `store.json.${i}.tmp`);
      t = nowMs();
      const fh = await open(tmp, "w");
      await fh.writeFile(json);
      write.push(nowMs() - t);
      t = nowMs();
      await fh.sync();
      sync.push(nowMs() - t);
      await fh.close();
      t = nowMs();
      await fsRename(tmp, path.join(dir, "store.json"));
      const d = await open(dir, "r");
      await d.sync();
      await d.close();
      rename.push(nowMs() - t);
    }
    await events.close();
  } finally {
    await cleanup();
  }
  const freeze: number[] = [];
  for (let i = 0; i < 3; i++) {
    const fresh = parseStoreData(draft, "bench");
    freeze.push((await timed(() => deepFreeze(fresh.assignments[0]))).ms);
  }
  const parts: [string, number[]][] = [
    ["new array of assignments", copy],
    ["validation of the changed assignment (zod)", parse],
    ["audit append + datasync", append],
    [`JSON.stringify (whole state, ${mb(json.length)} MB)`, stringify],
    ["write store.json (temp file)", write],
    ["fsync store.json", sync],
    ["rename + fsync directory", rename],
    ["freeze of the changed assignment", freeze],
  ];
  const total = parts.reduce((s, [, t]) => s + median(t), 0);
  return [
    {
      section: "store",
      case: `checkpoint steps at ${label} (sum; at compaction, not per update)`,
      value: round(total, 1),
      unit: "ms",
      note: parts.map(([name, t]) => `${name} ${round(median(t), 1)}`).join("; "),
    },
  ];
}

export async function run({ quick }: SectionOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const count = quick ? 8 : 20;
  progress("store: building a registry of 10,000 tasks");
  const data = makeRegistry({ tasks: 10_000, agencies: 500, groups: 500 });
  const sizes = quick ? [0, 10_000, 100_000] : [0, 10_000, 100_000, 1_000_000];
  const medians: { events: number; ms: number }[] = [];
  for (const events of sizes) {
    const { dir, cleanup } = await tempDir("dondoc-bench-store-");
    try {
      progress(`store: audit trail of ${fmt(events)} events`);
      const { storeBytes } = await writeDataDir(dir, data, events);
      const { latencies, openMs } = await updates(() => openFileStore(dir), data, count);
      medians.push({ events, ms: median(latencies) });
      rows.push({
        section: "store",
        case: `progress update, 10,000 tasks, audit trail ${fmt(events)} events`,
        value: round(median(latencies)),
        unit: "ms",
        note: `p99 ${round(p99(latencies))} ms over ${count}; open ${round(openMs)} ms; store.json ${mb(storeBytes)} MB`,
      });
      if (events > 0) {
        const store = await openFileStore(dir);
        try {
          // /lichsu: the 10 newest events of one task, read backwards until 10 are found. For
          // a task with fewer (a new one, a quiet one) the whole file is read and parsed.
          const read = await sample(() => store.events({ taskCode: "ZZ1", limit: 10 }), events >= 1_000_000 ? 1 : 3, 0);
          rows.push({
            section: "store",
            case: `  /lichsu of a task with no event yet, ${fmt(events)} events`,
            value: round(median(read)),
            unit: "ms",
            note: "reads back until 10 events of the task are found: here, the whole trail",
          });
          if (events <= 100_000 || !quick) {
            gc();
            const heapBefore = process.memoryUsage().heapUsed;
            const all = await timed(() => store.events());
            const heapAfter = process.memoryUsage().heapUsed;
            rows.push({
              section: "store",
              case: `  whole-trail read (digestInput, every /tongket), ${fmt(events)} events`,
              value: round(all.ms),
              unit: "ms",
              note: `${fmt(all.result.length)} events parsed; heap +${mb(heapAfter - heapBefore)} MB`,
            });
          }
        } finally {
          await store.close();
        }
      }
    } finally {
      await cleanup();
    }
  }
  const first = medians[0];
  const last = medians[medians.length - 1];
  rows.push({
    section: "store",
    case: `update latency, ${fmt(last.events)} vs 0 events`,
    value: round(last.ms / first.ms, 2),
    unit: "×",
    note: "1 = the write does not grow with the audit trail",
  });

  // What one update costs: every update copies, validates, serialises and rewrites the
  // whole state (store.json) durably, appends its event durably, then freezes the new state.
  progress("store: update breakdown");
  rows.push(...(await breakdown(makeRegistry({ tasks: 300, agencies: 50, groups: 50 }), "300 tasks")));
  rows.push(...(await breakdown(data, "10,000 tasks")));

  // Growth with the registry (store.json is rewritten whole) and with the send-log.
  const smallData = makeRegistry({ tasks: 1_000, agencies: 50, groups: 50 });
  const { dir: smallDir, cleanup: smallCleanup } = await tempDir("dondoc-bench-store-");
  try {
    progress("store: registry of 1,000 tasks");
    await writeDataDir(smallDir, smallData, 0);
    const { latencies } = await updates(() => openFileStore(smallDir), smallData, count);
    rows.push({
      section: "store",
      case: "progress update, 1,000 tasks, no audit trail",
      value: round(median(latencies)),
      unit: "ms",
      note: `growth 1k → 10k tasks: exponent ${round(exponent(1_000, median(latencies), 10_000, first.ms), 2)} (an update appends its change to journal.jsonl)`,
    });
  } finally {
    await smallCleanup();
  }
  // The steady state: 85 working days of daily runs to 500 groups (four months, as the send-log
  // is kept 120 days): the day's entries in the registry, the rest in sendlog-archive.jsonl.
  const days = quick ? 20 : 85;
  const history = steadySendLog("2021-06-15", 500, days);
  const withLog = { ...data, sendLog: history.sendLog };
  const { dir: logDir, cleanup: logCleanup } = await tempDir("dondoc-bench-store-");
  try {
    progress(`store: 10,000 tasks + ${days} days of send-log`);
    const { storeBytes } = await writeDataDir(logDir, withLog, 0, history.archive);
    const { latencies } = await updates(() => openFileStore(logDir), withLog, Math.min(count, 8));
    const sizeOf = async (name: string) => (await stat(path.join(logDir, name)).catch(() => null))?.size ?? 0;
    const [storeAfter, journalAfter] = [await sizeOf(STORE_FILE), await sizeOf(JOURNAL_FILE)];
    rows.push({
      section: "store",
      case: `progress update, 10,000 tasks + ${days} working days of send-log (${fmt(history.sendLog.length + history.archive.length)} entries, ${fmt(history.archive.length)} archived)`,
      value: round(median(latencies)),
      unit: "ms",
      note: `an update appends its change to journal.jsonl (${mb(journalAfter)} MB after the updates); store.json ${mb(storeAfter)} MB is the checkpoint (written ${mb(storeBytes)} MB)`,
    });
  } finally {
    await logCleanup();
  }
  // The same update on PostgreSQL (issue 14): the registry and a 10,000-event trail copied in,
  // then `count` updates, each one statement writing only the changed rows.
  {
    const { dir, cleanup } = await tempDir("dondoc-bench-pg-");
    try {
      progress("store: the same on PostgreSQL (embedded server, 127.0.0.1)");
      await writeDataDir(dir, data, 10_000);
      const url = await emptyDatabase();
      const [source, target] = [await openFileStore(dir), await openPostgresStore(url)];
      await copyStore(source, target);
      await Promise.all([source.close(), target.close()]);
      const { latencies, openMs } = await updates(() => openPostgresStore(url), data, count);
      rows.push({
        section: "store",
        case: "progress update, 10,000 tasks, audit trail 10,000 events — PostgreSQL",
        value: round(median(latencies)),
        unit: "ms",
        note: `p99 ${round(p99(latencies))} ms over ${count}; open ${round(openMs)} ms; one statement per update, changed rows only`,
      });
    } finally {
      await stopPgServer();
      await cleanup();
    }
  }
  return rows;
}
