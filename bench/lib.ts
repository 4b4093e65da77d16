/**
 * Shared helpers for the benchmarks: timing and statistics, child processes (for peak
 * memory and isolation), the machine description, and synthetic registries at provincial
 * and national scale (written straight to a data directory, as the file store keeps them).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createWriteStream, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { once } from "node:events";
import { loadAgencyDirectory } from "../src/boot/reference.ts";
import { createCalendar } from "../src/core/calendar.ts";
import type { Agency, Assignment, ChatBinding, Deadline, Event, Plan, SendLogEntry, Task } from "../src/core/schemas.ts";
import { STORE_VERSION, StoreData } from "../src/store/types.ts";
import { mulberry32 } from "../test/support/random.ts";
import { newAssignment } from "../src/import/importer.ts";
import { EVENTS_FILE, STORE_FILE } from "../src/store/file.ts";
import { SEND_LOG_ARCHIVE_FILE } from "../src/store/sendlog-archive.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const BENCH_DIR = path.join(ROOT, "bench");
export const PLANS_DIR = path.resolve(ROOT, "../shared/plans");
export const TOKEN_A = "123456789:AAHbenchTOKENbenchTOKENbenchTOKEN_a";
export const TOKEN_B = "987654321:AAHbenchTOKENbenchTOKENbenchTOKEN_b";

// ---------------------------------------------------------------- rows

/** One line of the result table. */
export type Row = { section: string; case: string; value: number | string; unit: string; note?: string };

export type SectionOptions = { quick: boolean };
export type Section = (options: SectionOptions) => Promise<Row[]>;

/** Progress for the reader while a section runs (stderr, so stdout stays the table). */
export function progress(message: string): void {
  process.stderr.write(`  · ${message}\n`);
}

// ---------------------------------------------------------------- timing and statistics

export const nowMs = (): number => performance.now();

/** Milliseconds `fn` takes (awaited). */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; result: T }> {
  const start = nowMs();
  const result = await fn();
  return { ms: nowMs() - start, result };
}

/** `runs` timings of `fn` after `warmup` untimed calls. */
export async function sample(fn: () => unknown, runs: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = nowMs();
    await fn();
    out.push(nowMs() - start);
  }
  return out;
}

/** The q-quantile (0..1) of `values`, nearest-rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}
export const median = (values: number[]): number => quantile(values, 0.5);
export const p99 = (values: number[]): number => quantile(values, 0.99);

/** Growth exponent between two sizes: 1 = linear, 2 = quadratic. */
export function exponent(size1: number, cost1: number, size2: number, cost2: number): number {
  return Math.log(cost2 / cost1) / Math.log(size2 / size1);
}

export const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
export const mb = (bytes: number): number => round(bytes / 1024 / 1024, 1);

/** Peak RSS of this process so far, in bytes (Linux reports maxRSS in KiB). */
export const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

// ---------------------------------------------------------------- child processes

export type ChildResult<T> = { result: T; wallMs: number; stderr: string };
const MARK = "BENCH_RESULT ";

/** Called by a child script: hands its result to the parent (one stdout line). */
export function reply(result: unknown): void {
  process.stdout.write(`\n${MARK}${JSON.stringify(result)}\n`);
}

/**
 * Runs `node --import tsx <script> …args` and returns the JSON it passed to `reply`.
 * `onLine` sees every stdout line as it arrives (with the wall time since spawn).
 * Killed after `timeoutMs`.
 */
export async function runChild<T>(
  script: string,
  args: string[] = [],
  options: {
    env?: Record<string, string>;
    timeoutMs?: number;
    onLine?: (line: string, atMs: number) => void;
    inheritStderr?: boolean;
    /** Node's options before the script (default: `--expose-gc --import tsx`; a built .js script needs no tsx). */
    execArgv?: string[];
  } = {},
): Promise<ChildResult<T>> {
  const start = nowMs();
  const child = spawn(process.execPath, [...(options.execArgv ?? ["--expose-gc", "--import", "tsx"]), script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", options.inheritStderr ? "inherit" : "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let pending = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      options.onLine?.(line, nowMs() - start);
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 10 * 60_000);
  const [code] = (await once(child, "close")) as [number | null];
  clearTimeout(timer);
  const wallMs = nowMs() - start;
  const line = stdout.split("\n").find((l) => l.startsWith(MARK));
  if (code !== 0 || !line) {
    throw new Error(
      `${path.relative(ROOT, script)} ${args.join(" ")} failed (exit ${code}):\n${stderr.slice(-3000)}\n${stdout.slice(-1000)}`,
    );
  }
  return { result: JSON.parse(line.slice(MARK.length)) as T, wallMs, stderr };
}

// ---------------------------------------------------------------- machine

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "?",
    cores: cpus.length,
    ramGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
  };
}

// ---------------------------------------------------------------- temp dirs

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------- synthetic registries

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same data. */
export const prng = mulberry32;

const LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";
function prefixFor(index: number): string {
  let s = "";
  let n = index;
  do {
    s = LETTERS[n % LETTERS.length] + s;
    n = Math.floor(n / LETTERS.length) - 1;
  } while (n >= 0);
  return s;
}

const AREAS = [
  "chi-dao-dieu-hanh",
  "the-che",
  "thu-tuc-hanh-chinh",
  "to-chuc-bo-may",
  "cong-vu",
  "tai-chinh-cong",
  "chinh-quyen-so",
] as const;
const VERBS = [
  "Rà soát, đánh giá",
  "Xây dựng và triển khai",
  "Tổ chức kiểm tra",
  "Tham mưu ban hành",
  "Triển khai thực hiện",
  "Báo cáo kết quả",
];
const OBJECTS = [
  "quy định, thủ tục hành chính thuộc phạm vi quản lý",
  "kế hoạch cải cách hành chính của cơ quan, đơn vị",
  "cơ chế một cửa, một cửa liên thông tại bộ phận tiếp nhận và trả kết quả",
  "văn bản quy phạm pháp luật do Hội đồng nhân dân, Ủy ban nhân dân tỉnh ban hành",
  "chế độ tự chủ, tự chịu trách nhiệm về sử dụng biên chế và kinh phí",
  "nền tảng chính quyền số, dịch vụ công trực tuyến toàn trình",
];

/** Agencies: the real directory first, then synthetic ones up to `count`. */
export function benchAgencies(count: number): { reference: Agency[]; extra: Agency[]; ids: string[] } {
  const reference = loadAgencyDirectory(path.join(ROOT, "data/agencies.json"));
  const usable = reference.filter((a) => !a.collective).map((a) => a.id);
  const extra: Agency[] = [];
  for (let i = usable.length; i < count; i++) {
    const n = String(i + 1).padStart(4, "0");
    extra.push({ id: `cq-thu-${n}`, name: `Cơ quan thử nghiệm ${n}`, aliases: [], collective: false, members: [] });
  }
  const ids = [...usable, ...extra.map((a) => a.id)].slice(0, count);
  return { reference, extra, ids };
}

export type RegistryOptions = {
  tasks: number;
  assignmentsPerTask?: number;
  agencies: number;
  /** Groups bound to agencies (one per agency, in order), ≤ agencies. */
  groups: number;
  tasksPerPlan?: number;
  year?: number;
  seed?: number;
};

export const groupChatId = (i: number): string => `tg:${-1_000_000 - i}`;

/**
 * The send-log of `days` working days of daily runs before `day` (steady state, issue 14): one
 * delivered reminder of 8 items to each of `groups` groups a day, as `day`'s first run finds it
 * — the last day in the state's `sendLog`, the days before in the archive
 * (src/store/sendlog-archive.ts; `writeDataDir` writes it).
 */
export function steadySendLog(day: string, groups: number, days: number): { sendLog: SendLogEntry[]; archive: SendLogEntry[] } {
  const calendar = createCalendar({ version: 1, years: {} }); // weekends only: near enough for a history
  const dayList = Array.from({ length: days }, (_, i) => calendar.addWorkingDays(day, i - days));
  const log = deliveredReminders(dayList, groups, (g, d) => Array.from({ length: 8 }, (_, i) => `H${g}-${i}@cq#${d}#overdue${i}`));
  const last = dayList.at(-1);
  return { sendLog: log.filter((e) => e.day === last), archive: log.filter((e) => e.day !== last) };
}

/**
 * A send-log as daily reminder runs leave it: on each of `days`, one delivered single-part
 * reminder to each of `groups` groups (chat `groupChatId(g)`), its items `items(g, day)`.
 */
function deliveredReminders(days: readonly string[], groups: number, items: (group: number, day: string) => string[]): SendLogEntry[] {
  const out: SendLogEntry[] = [];
  for (const day of days) {
    for (let g = 0; g < groups; g++) {
      const chatId = groupChatId(g);
      out.push({
        key: `${day}|reminder|${chatId}`,
        day,
        kind: "reminder",
        chatId,
        items: items(g, day),
        status: "delivered",
        partsDelivered: 1,
        parts: 1,
        wirePart: 0,
        updatedAt: `${day}T01:00:05.000Z`,
      });
    }
  }
  return out;
}

/**
 * A registry like an imported one: plans of ~300 tasks, 3 lead agencies per task, deadlines
 * mixed as in real plans (single dates, quarterly periods, continuous, conditional, a few
 * unreadable), some progress reported, one group per agency. Deterministic.
 */
export function makeRegistry(options: RegistryOptions): StoreData {
  const { tasks: taskCount, groups } = options;
  const perTask = options.assignmentsPerTask ?? 3;
  const perPlan = options.tasksPerPlan ?? 300;
  const year = options.year ?? 2021;
  const rand = prng(options.seed ?? 42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const { extra, ids } = benchAgencies(options.agencies);
  const day = (month: number, d: number) => `${year}-${String(month).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

  const plans: Plan[] = [];
  const tasks: Task[] = [];
  const assignments: Assignment[] = [];
  for (let i = 0; i < taskCount; i++) {
    const planIndex = Math.floor(i / perPlan);
    if (i % perPlan === 0) {
      plans.push({
        id: `${year}-bench-${planIndex + 1}`,
        number: `${planIndex + 1}/KH-UBND`,
        issuer: "UBND tỉnh",
        signed: `${year - 1}-12-28`,
        title: `Kế hoạch cải cách hành chính năm ${year} (thử nghiệm ${planIndex + 1})`,
        year,
        importedAt: `${year}-01-04T01:00:00.000Z`,
        active: true,
      });
    }
    const code = `${prefixFor(planIndex)}${(i % perPlan) + 1}`;
    const r = rand();
    let deadline: Deadline;
    if (r < 0.6) {
      const due = day(1 + Math.floor(rand() * 12), 1 + Math.floor(rand() * 28));
      deadline = { raw: `Ngày ${due.slice(8)}/${due.slice(5, 7)}/${year}`, kind: "date", milestones: [{ due }] };
    } else if (r < 0.75) {
      deadline = {
        raw: `Hằng quý năm ${year}`,
        kind: "period",
        recurrence: "quarterly",
        milestones: [day(3, 31), day(6, 30), day(9, 30), day(12, 31)].map((due, q) => ({ due, label: `Quý ${q + 1}` })),
      };
    } else if (r < 0.9) {
      deadline = { raw: "Thường xuyên", kind: "continuous", milestones: [] };
    } else if (r < 0.96) {
      deadline = {
        raw: "Sau khi có Quyết định của Bộ Nội vụ",
        kind: "conditional",
        milestones: [],
        condition: "Sau khi có Quyết định của Bộ Nội vụ",
      };
    } else {
      deadline = { raw: "Theo chỉ đạo", kind: "unknown", milestones: [] };
    }
    const leads = new Set<string>();
    while (leads.size < Math.min(perTask, ids.length)) leads.add(pick(ids));
    const content = `${pick(VERBS)} ${pick(OBJECTS)} (nhiệm vụ ${code}, đợt ${1 + (i % 7)})`;
    tasks.push({
      code,
      planId: plans[plans.length - 1].id,
      stt: String((i % perPlan) + 1),
      section: `${["I", "II", "III", "IV", "V", "VI", "VII"][i % 7]}. Nhiệm vụ trọng tâm`,
      area: AREAS[i % AREAS.length],
      title: content.slice(0, 90),
      content,
      product: pick(["Kế hoạch", "Báo cáo", "Quyết định", "Văn bản"]),
      leads: [...leads].map((agencyId) => ({ raw: agencyId, agencyId })),
      coordinating: "Các sở, ban, ngành tỉnh",
      deadline,
      row: i + 1,
      removed: false,
    });
    for (const agencyId of leads) {
      const s = rand();
      const done = s < 0.25;
      assignments.push({
        ...newAssignment(code, agencyId),
        progress: done ? 100 : Math.floor(rand() * 10) * 10,
        status: done ? "done" : s < 0.3 ? "blocked" : "open",
        ...(done ? { doneAt: `${year}-03-15T02:00:00.000Z` } : {}),
        ...(s < 0.5 ? { lastReportAt: `${year}-02-10T02:00:00.000Z`, updatedAt: `${year}-02-10T02:00:00.000Z` } : {}),
        evidence: done
          ? [{ documentNumber: `${i + 1}/BC-${agencyId.slice(0, 6).toUpperCase()}`, at: `${year}-03-15T02:00:00.000Z`, by: "tg:1001" }]
          : [],
        ...(s >= 0.25 && s < 0.3 ? { blocker: "Chưa có hướng dẫn của Bộ" } : {}),
      });
    }
  }
  const bindings: ChatBinding[] = ids.slice(0, groups).map((agencyId, i) => ({
    chatId: groupChatId(i),
    platform: "tg",
    agencyId,
    title: `Nhóm ${agencyId}`,
    boundBy: "tg:1001",
    boundAt: `${year}-01-05T02:00:00.000Z`,
  }));
  return StoreData.parse({ version: STORE_VERSION, plans, tasks, assignments, extraAgencies: extra, bindings });
}

/** A progress event as `/tiendo` records it (about 250 bytes of JSON). */
export function progressEvent(seq: number, data: Pick<StoreData, "assignments">, year = 2021): Event {
  const a = data.assignments[seq % data.assignments.length];
  const p = (seq * 7) % 100;
  const at = new Date(Date.UTC(year, 0, 4) + seq * 1000).toISOString();
  return {
    seq,
    at,
    actor: { id: `tg:${1000 + (seq % 300)}`, name: "Nguyễn Văn A" },
    chatId: groupChatId(seq % 500),
    action: "progress",
    taskCode: a.taskCode,
    agencyId: a.agencyId,
    before: { progress: p, lastReportAt: null },
    after: { progress: (p + 10) % 100, lastReportAt: at },
    text: `/tiendo ${a.taskCode} ${(p + 10) % 100}`,
  };
}

/**
 * Writes a data directory as the file store leaves it: store.json (pretty JSON, as the
 * durable adapter writes it) and an audit trail of `events` progress events with
 * consecutive seq (eventSeq set accordingly). Streams the audit trail in chunks.
 */
export async function writeDataDir(
  dir: string,
  data: StoreData,
  events: number,
  archive: readonly SendLogEntry[] = [],
): Promise<{ storeBytes: number }> {
  const json = JSON.stringify({ ...data, eventSeq: events }, null, 2) + "\n";
  writeFileSync(path.join(dir, STORE_FILE), json);
  if (archive.length) writeFileSync(path.join(dir, SEND_LOG_ARCHIVE_FILE), archive.map((e) => `${JSON.stringify(e)}\n`).join(""));
  const out = createWriteStream(path.join(dir, EVENTS_FILE));
  const CHUNK = 10_000;
  for (let start = 1; start <= events; start += CHUNK) {
    const lines: string[] = [];
    for (let seq = start; seq < start + CHUNK && seq <= events; seq++) lines.push(JSON.stringify(progressEvent(seq, data)));
    if (!out.write(lines.join("\n") + "\n")) await once(out, "drain");
  }
  out.end();
  await once(out, "close");
  return { storeBytes: Buffer.byteLength(json) };
}
