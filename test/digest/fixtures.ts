/**
 * Real plans from ../shared/plans imported with the importer into an empty store, then
 * progress scripted the way the bot's commands leave it: `markDone` for /xong, extension
 * requests decided as /duyet does, condition dates, blockers — each change with the audit
 * event `changeAssignment` would write (only the fields that changed, before and after).
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { App } from "../../src/bot/app.ts";
import { loadAgencyDirectory } from "../../src/boot/reference.ts";
import type { ChatAdapter, OutgoingFile, OutgoingMessage } from "../../src/chat/types.ts";
import { CommandRegistry, type CommandDefinition } from "../../src/bot/registry.ts";
import { parseConfig } from "../../src/config.ts";
import { createDirectory } from "../../src/core/agencies.ts";
import { createCalendar, vnInstant } from "../../src/core/calendar.ts";
import { markDone } from "../../src/core/progress.ts";
import type { Assignment, Event, ExtensionRequest, Task } from "../../src/core/schemas.ts";
import type { DigestInput } from "../../src/digest/figures.ts";
import { loadHolidays } from "../../src/boot/reference.ts";
import { applyImport, draftFromRaw, previewImport } from "../../src/import/importer.ts";
import { readPlan } from "../../src/import/read.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { emptyStoreData, type StoreData } from "../../src/store/types.ts";

const repo = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
export const PLANS = fileURLToPath(new URL("../../../shared/plans/", import.meta.url));

export const calendar = createCalendar(loadHolidays(repo("data/holidays.json")));
export const agencies = loadAgencyDirectory(repo("data/agencies.json"));
export const directory = createDirectory(agencies);
export const agencyNames: Record<string, string> = Object.fromEntries(agencies.map((a) => [a.id, a.name]));

/** A plan from ../shared/plans in a fresh store, as `npm run import` leaves it. */
export async function importedPlan(file: string): Promise<StoreData> {
  const raw = await readPlan({ name: file, data: await readFile(PLANS + file) });
  const data = emptyStoreData();
  const preview = previewImport(draftFromRaw(raw, { directory }), data);
  applyImport(data, preview, { directory, now: new Date("2021-01-04T01:00:00Z"), removeMissing: false });
  return data;
}

function diff(before: Assignment, after: Assignment, side: "before" | "after"): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof Assignment>) {
    if (key === "updatedAt") continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = (side === "before" ? before : after)[key] ?? null;
  }
  return out;
}

/** Progress scripted on a plan's store; `events` is the audit trail it would leave. */
export class Script {
  readonly events: Event[] = [];
  constructor(readonly data: StoreData) {}

  task(code: string): Task {
    const t = this.data.tasks.find((x) => x.code === code);
    if (!t) throw new Error(`no task ${code}`);
    return t;
  }

  /** The assignment of `code` (of `agencyId` when there are several). */
  private index(code: string, agencyId?: string): number {
    const i = this.data.assignments.findIndex((a) => a.taskCode === code && (!agencyId || a.agencyId === agencyId));
    if (i < 0) throw new Error(`no assignment ${code}@${agencyId ?? "?"}`);
    return i;
  }

  change(code: string, instant: Date, action: string, fn: (a: Assignment, t: Task) => Assignment, agencyId?: string): this {
    const i = this.index(code, agencyId);
    const before = this.data.assignments[i];
    const after = { ...fn(before, this.task(code)), updatedAt: instant.toISOString() };
    this.data.assignments[i] = after;
    this.events.push({
      seq: this.events.length + 1,
      at: instant.toISOString(),
      actor: { id: "tg:1", name: "Cán bộ" },
      chatId: null,
      action,
      taskCode: code,
      agencyId: before.agencyId,
      before: diff(before, after, "before"),
      after: diff(before, after, "after"),
    });
    return this;
  }

  /** `/xong <code>` on `day` at 09:00 (one milestone; a continuous task's report). */
  done(code: string, day: string, agencyId?: string): this {
    const at = vnInstant(day, "09:00");
    const evidence = { documentNumber: `${code.slice(1)}/KH-UBND`, documentDate: day, at: at.toISOString(), by: "tg:1" };
    return this.change(code, at, "done", (a, t) => markDone(t, a, day, at, evidence).assignment, agencyId);
  }

  /** An extension request approved on `decidedDay` (as /duyet does). */
  extend(code: string, originalDue: string, newDue: string, decidedDay: string): this {
    const i = this.index(code);
    const a = this.data.assignments[i];
    const id = this.data.extensionRequests.length + 1;
    const decidedAt = vnInstant(decidedDay, "10:00").toISOString();
    const request: ExtensionRequest = {
      id,
      assignmentId: a.id,
      taskCode: code,
      agencyId: a.agencyId,
      originalDue,
      requestedDue: newDue,
      reason: "Chờ ý kiến của Bộ",
      status: "approved",
      requestedBy: "tg:1",
      requestedAt: vnInstant(decidedDay, "08:00").toISOString(),
      decidedBy: "tg:2",
      decidedAt,
    };
    this.data.extensionRequests.push(request);
    return this.change(code, new Date(decidedAt), "deadline.move", (x) => ({ ...x, extensions: [...x.extensions, { originalDue, newDue, requestId: id }] }));
  }

  /** `/dieukien <code> <due>` on `day`. */
  condition(code: string, due: string, day: string): this {
    return this.change(code, vnInstant(day, "09:00"), "condition.date", (a) => ({ ...a, conditionDue: due }));
  }

  /** `/vuongmac <code> <text>` on `day`. */
  blocker(code: string, text: string, day: string): this {
    return this.change(code, vnInstant(day, "14:00"), "blocker", (a) => ({ ...a, status: a.status === "done" ? "done" : "blocked", blocker: text }));
  }

  input(withEvents = true): DigestInput {
    return {
      tasks: this.data.tasks,
      assignments: this.data.assignments,
      extensionRequests: this.data.extensionRequests,
      plans: this.data.plans,
      agencyNames,
      ...(withEvents ? { events: this.events } : {}),
    };
  }
}

/**
 * Kế hoạch 189/KH-UBND (Kiên Giang, 2021): 31 tasks A1–A31, one lead agency each. The
 * scripted progress (due dates as the importer reads them):
 *   A1  (31/12/2020, Sở Tư pháp)   done 20/12/2020, on time
 *   A2  (28/02/2021, Sở Tư pháp)   done 10/03/2021, late
 *   A3  (31/01/2021, Sở Tư pháp)   open
 *   A4  (31/12/2021, Sở Tư pháp)   done 20/05/2021, early
 *   A5  (31/01/2021, VP UBND)      done 25/01/2021
 *   A6  (31/01/2021, VP UBND)      done 15/04/2021, late
 *   A7  (31/03/2021, VP UBND)      done 30/03/2021
 *   A8  (31/03/2021, VP UBND)      open
 *   A9  (31/03/2021, VP UBND)      done 30/06/2021, late
 *   A10 (31/12/2020, Sở Nội vụ)    open
 *   A11 (31/03/2021, Sở Nội vụ)    done 05/07/2021, late
 *   A12 (31/01/2021, Sở Nội vụ)    done 20/01/2021
 *   A13 (31/12/2021, Sở Nội vụ)    open
 *   A14 (31/03/2021, Sở Tài chính) extended to 31/05 on 25/03, done 25/05/2021 (on time)
 *   A15 (conditional, Cơ quan chủ quản) waiting
 *   A16 (conditional, Sở KH&CN)    date 15/06/2021 given on 01/05, done 10/06/2021
 *   A17, A18 (31/12/2021, Sở Tài chính) open
 *   A19 (31/12/2020, Sở TT&TT)     done 10/01/2021, late
 *   A20 (31/12/2020, Sở TT&TT)     open
 *   A21 (31/12/2020, Sở TT&TT)     done 02/04/2021, late
 *   A22 (31/03/2021, Sở TT&TT)     open, blocker reported 10/05/2021
 *   A23 (31/03/2021, Sở TT&TT)     done 31/03/2021
 *   A24 (31/03/2021, Sở KH&CN)     extended to 31/07 on 20/03, open
 *   A25 (30/09/2021, Sở KH&CN)     open
 *   A26 (31/12/2020, Sở Nội vụ)    open
 *   A27 (31/03/2021, Sở Nội vụ)    done 01/02/2021
 *   A28 (31/03 and 31/12/2021, Sở Nội vụ) first milestone done 15/03/2021, second open
 *   A29 (31/03 and 31/12/2021, Sở Nội vụ) open
 *   A30 (14/02/2021, Sở Nội vụ)    done 10/02/2021
 *   A31 (30/06/2021, Sở Nội vụ)    open
 */
export async function kienGiang(): Promise<Script> {
  const s = new Script(await importedPlan("kien-giang-2021.txt"));
  // In time order, as they would happen.
  s.done("A1", "2020-12-20")
    .done("A12", "2021-01-20")
    .done("A5", "2021-01-25")
    .done("A19", "2021-01-10")
    .done("A27", "2021-02-01")
    .done("A30", "2021-02-10")
    .done("A2", "2021-03-10")
    .done("A28", "2021-03-15")
    .extend("A24", "2021-03-31", "2021-07-31", "2021-03-20")
    .extend("A14", "2021-03-31", "2021-05-31", "2021-03-25")
    .done("A7", "2021-03-30")
    .done("A23", "2021-03-31")
    .done("A21", "2021-04-02")
    .done("A6", "2021-04-15")
    .condition("A16", "2021-06-15", "2021-05-01")
    .blocker("A22", "Chờ ý kiến thẩm định của Sở Tài chính", "2021-05-10")
    .done("A4", "2021-05-20")
    .done("A14", "2021-05-25")
    .done("A16", "2021-06-10")
    .done("A9", "2021-06-30")
    .done("A11", "2021-07-05");
  s.events.sort((a, b) => a.at.localeCompare(b.at)).forEach((e, i) => (e.seq = i + 1));
  return s;
}

// ---------------------------------------------------------------- an app around a store

export type Reply = { text: string; buttons?: OutgoingMessage["buttons"] };

/** Records what a handler answers. */
export class FakeResponder {
  readonly replies: Reply[] = [];
  readonly files: OutgoingFile[] = [];
  readonly notices: string[] = [];
  async reply(message: OutgoingMessage | string) {
    this.replies.push(typeof message === "string" ? { text: message } : { text: message.text, buttons: message.buttons });
  }
  async replyFile(file: OutgoingFile) {
    this.files.push(file);
  }
  async notice(text: string) {
    this.notices.push(text);
  }
  get text(): string {
    return this.replies.map((r) => r.text).join("\n---\n");
  }
}

/** A chat that records sends; `failFiles` makes every sendFile throw. */
export class RecordingChat implements ChatAdapter {
  readonly platform = "tg";
  readonly sent: { chatId: string; text?: string; file?: OutgoingFile }[] = [];
  failFiles = false;
  async start() {}
  async stop() {}
  async send(chatId: string, message: OutgoingMessage) {
    this.sent.push({ chatId, text: message.text });
    return String(this.sent.length);
  }
  async sendFile(chatId: string, file: OutgoingFile) {
    if (this.failFiles) throw new Error("Telegram 500: sendPhoto failed");
    this.sent.push({ chatId, file });
    return String(this.sent.length);
  }
  async download(): Promise<Buffer> {
    throw new Error("not used");
  }
}

export const MANAGER = "tg:42";
export const COORD_CHAT = "tg:-100";
export const TUPHAP_CHAT = "tg:-200";

/**
 * An App with an in-memory store holding `script`'s data and audit trail, the Sở Nội vụ
 * group and Sở Tư pháp's group bound, user 42 a manager, the clock at `now`.
 */
export async function appWith(script: Script, now: Date, commands: CommandDefinition[] = []): Promise<{ app: App; chat: RecordingChat }> {
  const data: StoreData = structuredClone(script.data);
  data.bindings = [
    { chatId: COORD_CHAT, platform: "tg", agencyId: "so-noi-vu", title: "Sở Nội vụ", boundBy: "test", boundAt: "2021-01-01T00:00:00.000Z" },
    { chatId: TUPHAP_CHAT, platform: "tg", agencyId: "so-tu-phap", title: "Sở Tư pháp", boundBy: "test", boundAt: "2021-01-01T00:00:00.000Z" },
  ];
  const store = createMemoryStore(data);
  await store.update(() => ({ result: null, events: script.events.map(({ seq: _seq, ...e }) => e) }));
  const app = new App({
    config: parseConfig({ LOG_LEVEL: "silent", MANAGER_IDS: "42" }),
    store,
    agencies,
    calendar,
    registry: new CommandRegistry(commands),
    log: pino({ level: "silent" }),
    clock: () => now,
  });
  const chat = new RecordingChat();
  app.attach(chat);
  return { app, chat };
}
