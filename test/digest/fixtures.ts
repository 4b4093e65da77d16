/**
 * Real plans from ../shared/plans imported with the importer into an empty store, then
 * progress scripted through the same use cases the bot's commands call (`reportDone` for
 * /xong, `requestExtension` + `decideExtension` for /giahan and /duyet, `setConditionDate`,
 * `reportBlocker`), so the data and the audit trail are exactly what the bot would leave.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { Router } from "../../src/bot/router.ts";
import { Runtime } from "../../src/bot/runtime.ts";
import { loadAgencyDirectory, loadHolidays } from "../../src/boot/reference.ts";
import { SendError, type ChatAdapter, type OutgoingFile, type OutgoingMessage } from "../../src/chat/types.ts";
import { CommandRegistry, type CommandDefinition } from "../../src/bot/registry.ts";
import { parseConfig } from "../../src/config.ts";
import { createDirectory } from "../../src/core/agencies.ts";
import { createCalendar, vnInstant } from "../../src/core/calendar.ts";
import type { Event, Task } from "../../src/core/schemas.ts";
import { viDate } from "../../src/core/text.ts";
import type { DigestInput } from "../../src/digest/figures.ts";
import { reportBlocker, reportDone, reportProgress, setConditionDate, type Target } from "../../src/domain/assignments.ts";
import type { ActingUser } from "../../src/domain/context.ts";
import { decideExtension, requestExtension } from "../../src/domain/extensions.ts";
import { applyImport, draftFromRaw, previewImport } from "../../src/import/importer.ts";
import { readPlan } from "../../src/import/read.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { emptyStoreData, type Store, type StoreData } from "../../src/store/types.ts";

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

const OFFICER: ActingUser = { userId: "tg:1", userName: "Cán bộ", chatId: null };
const COORDINATOR: ActingUser = { userId: "tg:2", userName: "Sở Nội vụ", chatId: null };

/**
 * Progress scripted on a plan's store. Steps are queued in call order (chain them); `await
 * s.settled()` before reading `data`, `events` or `input()`.
 */
export class Script {
  /** The audit trail, in time order (seq renumbered), as of the last `settled()`. */
  events: Event[] = [];
  private readonly store: Store;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(data: StoreData) {
    this.store = createMemoryStore(data);
  }

  get data(): StoreData {
    return this.store.read();
  }

  task(code: string): Task {
    const t = this.data.tasks.find((x) => x.code === code);
    if (!t) throw new Error(`no task ${code}`);
    return t;
  }

  /** The share of `code` (of `agencyId` when there are several), as the command would resolve it. */
  private target(code: string, agencyId?: string): Target {
    const assignment = this.data.assignments.find((a) => a.taskCode === code && (!agencyId || a.agencyId === agencyId));
    if (!assignment) throw new Error(`no assignment ${code}@${agencyId ?? "?"}`);
    return { task: this.task(code), assignment };
  }

  private step(work: () => Promise<unknown>): this {
    this.queue = this.queue.then(work);
    return this;
  }

  private deps(instant: Date) {
    return { store: this.store, directory, now: instant };
  }

  /** `/xong <code> <n>/KH-UBND ngày <day>` on `day` at 09:00 (one milestone; a continuous task's report). */
  done(code: string, day: string, agencyId?: string): this {
    const at = vnInstant(day, "09:00");
    const evidence = `${code.slice(1)}/KH-UBND ngày ${viDate(day)}`;
    return this.step(() => reportDone(this.deps(at), OFFICER, this.target(code, agencyId), evidence, `/xong ${code} ${evidence}`));
  }

  /** `/giahan` at 08:00 and `/duyet` at 10:00 on `decidedDay`: the milestone due `originalDue` moves to `newDue`. */
  extend(code: string, originalDue: string, newDue: string, decidedDay: string): this {
    return this.step(async () => {
      const { request } = await requestExtension(
        this.deps(vnInstant(decidedDay, "08:00")),
        OFFICER,
        this.target(code),
        newDue,
        "Chờ ý kiến của Bộ",
        "",
      );
      if (request.originalDue !== originalDue) throw new Error(`${code}: the milestone due is ${request.originalDue}, not ${originalDue}`);
      await decideExtension(this.deps(vnInstant(decidedDay, "10:00")), COORDINATOR, request.id, true, "");
    });
  }

  /** `/dieukien <code> <due>` on `day`. */
  condition(code: string, due: string, day: string): this {
    return this.step(() => setConditionDate(this.deps(vnInstant(day, "09:00")), OFFICER, this.target(code), due, ""));
  }

  /** `/tiendo <code> <percent>` on `day` at 09:00. */
  progress(code: string, percent: number, day: string, agencyId?: string): this {
    const at = vnInstant(day, "09:00");
    return this.step(() => reportProgress(this.deps(at), OFFICER, this.target(code, agencyId), percent, "", `/tiendo ${code} ${percent}`));
  }

  /** `/vuongmac <code> <text>` on `day`. */
  blocker(code: string, text: string, day: string): this {
    return this.step(() => reportBlocker(this.deps(vnInstant(day, "14:00")), OFFICER, this.target(code), text, ""));
  }

  /** Waits for the queued steps; the audit trail is then in `events`, in time order. */
  async settled(): Promise<this> {
    await this.queue;
    const events = (await this.store.events()).sort((a, b) => a.at.localeCompare(b.at) || a.seq - b.seq);
    this.events = events.map((e, i) => ({ ...e, seq: i + 1 }));
    return this;
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
  return s.settled();
}

// ---------------------------------------------------------------- a bot around a store

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
  /** Texts to these chats fail (a group the bot was removed from). */
  failTextsTo = new Set<string>();
  async start() {}
  async stop() {}
  async send(chatId: string, message: OutgoingMessage) {
    if (this.failTextsTo.has(chatId)) throw new SendError("Telegram 403: Forbidden: bot was kicked from the group chat", true);
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
 * The bot's router on an in-memory store holding `script`'s data and audit trail, the Sở Nội
 * vụ group and Sở Tư pháp's group bound, user 42 a manager, the clock at `now`.
 */
export async function botWith(
  script: Script,
  now: Date,
  commands: CommandDefinition[] = [],
): Promise<{ runtime: Runtime; router: Router; chat: RecordingChat }> {
  const data: StoreData = structuredClone(script.data);
  data.bindings = [
    { chatId: COORD_CHAT, platform: "tg", agencyId: "so-noi-vu", title: "Sở Nội vụ", boundBy: "test", boundAt: "2021-01-01T00:00:00.000Z" },
    {
      chatId: TUPHAP_CHAT,
      platform: "tg",
      agencyId: "so-tu-phap",
      title: "Sở Tư pháp",
      boundBy: "test",
      boundAt: "2021-01-01T00:00:00.000Z",
    },
  ];
  const store = createMemoryStore(data);
  await store.update(() => ({ result: null, events: script.events.map(({ seq: _seq, ...e }) => e) }));
  const runtime = new Runtime({
    config: parseConfig({ LOG_LEVEL: "silent", MANAGER_IDS: "42" }),
    store,
    agencies,
    calendar,
    log: pino({ level: "silent" }),
    clock: () => now,
  });
  const chat = new RecordingChat();
  runtime.outbox.attach(chat);
  return { runtime, router: new Router(runtime, new CommandRegistry(commands)), chat };
}
