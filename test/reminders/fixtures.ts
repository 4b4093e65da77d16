/** Builders shared by the reminder tests. */
import { fileURLToPath } from "node:url";
import pino from "pino";
import { Runtime } from "../../src/bot/runtime.ts";
import { loadAgencyDirectory } from "../../src/boot/reference.ts";
import { SendError, type ChatAdapter, type OutgoingMessage, type SendOptions } from "../../src/chat/types.ts";
import { parseConfig } from "../../src/config.ts";
import { addDays, createCalendar, vnInstant } from "../../src/core/calendar.ts";
import { Assignment, ChatBinding, SendLogEntry, Task, type Deadline } from "../../src/core/schemas.ts";
import { loadHolidays } from "../../src/boot/reference.ts";
import type { PlannedMessage } from "../../src/reminders/message.ts";
import type { ReminderState } from "../../src/reminders/planner.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { emptyStoreData, type Store, type StoreData } from "../../src/store/types.ts";

const repo = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

export const calendar = createCalendar(loadHolidays(repo("data/holidays.json")));
export const agencies = loadAgencyDirectory(repo("data/agencies.json"));
export const agencyNames: Record<string, string> = Object.fromEntries(agencies.map((a) => [a.id, a.name]));
export const COORD = "so-noi-vu";

/** The instant it is `time` on `day` in Vietnam. */
export const at = (day: string, time = "08:00"): Date => vnInstant(day, time);

export function dated(...dues: string[]): Deadline {
  return { raw: dues.join("; "), kind: dues.length > 1 ? "period" : "date", milestones: dues.map((due) => ({ due })) };
}
export const continuous: Deadline = { raw: "Thường xuyên", kind: "continuous", milestones: [] };
export const conditional: Deadline = {
  raw: "Sau khi có Quyết định của Bộ Nội vụ",
  kind: "conditional",
  milestones: [],
  condition: "Sau khi có Quyết định của Bộ Nội vụ",
};
export const unknownDeadline: Deadline = { raw: "", kind: "unknown", milestones: [] };

export function task(code: string, deadline: Deadline, extra: Partial<Task> = {}): Task {
  return Task.parse({
    code,
    planId: "p1",
    area: "khac",
    title: `Nhiệm vụ ${code}`,
    content: `Nội dung ${code}`,
    leads: [],
    deadline,
    ...extra,
  });
}

export function assignment(code: string, agencyId: string, extra: Partial<Assignment> = {}): Assignment {
  return Assignment.parse({ id: `${code}@${agencyId}`, taskCode: code, agencyId, ...extra });
}

export function binding(chatId: string, agencyId: string): ChatBinding {
  return ChatBinding.parse({ chatId, platform: "tg", agencyId, boundBy: "tg:1", boundAt: "2021-01-01T00:00:00.000Z" });
}

export function state(parts: Partial<ReminderState>): ReminderState {
  return { tasks: [], assignments: [], bindings: [], sendLog: [], sendLogArchive: [], agencyNames, coordinatorAgencyId: COORD, ...parts };
}

/** What a successful dispatch would record for planned messages. */
export function delivered(messages: PlannedMessage[]): SendLogEntry[] {
  return messages
    .filter((m) => m.chatId)
    .map((m) =>
      SendLogEntry.parse({
        key: m.key,
        day: m.day,
        kind: "reminder",
        chatId: m.chatId,
        items: m.items.map((i) => i.key),
        status: "delivered",
        parts: m.parts.length,
        partsDelivered: m.parts.length,
        updatedAt: "x",
      }),
    );
}

/** Every calendar day from `from` to `to` inclusive. */
export function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

// ---------------------------------------------------------------- dispatcher fixtures

export type Sent = { chatId: string; text: string; buttons?: OutgoingMessage["buttons"] };

/** Thrown by the fake chat to simulate the process dying. */
export class Crash extends Error {}

/**
 * What the fake chat does with one send:
 * - "ok": delivered;
 * - "transient" / "permanent": a SendError answered by the platform (not delivered);
 * - "crash-queued": the process dies while the part waits in the throttler, before `onWire`;
 * - "crash-before": dies with the request on the wire (after `onWire`), not delivered;
 * - "crash-after": delivered, then the process dies before dondoc records it;
 * - "uncertain" / "uncertain-delivered": an uncertain SendError (connection dropped after the
 *   request was written, or a timeout), the message lost / delivered;
 * - "hang": the request never answers until `release()` is called (then delivered).
 */
export type FakeOutcome =
  | "ok"
  | "transient"
  | "permanent"
  | "crash-queued"
  | "crash-after"
  | "crash-before"
  | "uncertain"
  | "uncertain-delivered"
  | "hang";

/**
 * A chat adapter that records what it sends. `script(n, chatId)` decides the n-th call
 * (1-based), see FakeOutcome. Like Telegram it refuses a text over 4096 characters and
 * callback data over 64 bytes (400, permanent), and a chat migrated with `migrate(from, to)`
 * answers 400 with `movedTo`. `onWire` is awaited before the "request" leaves, as the
 * Telegram adapter does after its throttler.
 */
export class FakeChat implements ChatAdapter {
  readonly platform = "fake";
  readonly sent: Sent[] = [];
  /** Every call, with its outcome, in call order. */
  readonly log: { chatId: string; outcome: FakeOutcome | "refused" | "moved" }[] = [];
  calls = 0;
  private readonly migrated = new Map<string, string>();
  private readonly hung: (() => void)[] = [];
  constructor(public script: (n: number, chatId: string) => FakeOutcome = () => "ok") {}
  async start() {}
  async stop() {}
  /** From now on a send to `from` fails with Telegram's 400 "group chat was upgraded to a supergroup chat", migrate_to_chat_id `to`. */
  migrate(from: string, to: string): void {
    this.migrated.set(from, to);
  }
  /** Let every hung request answer (delivered). */
  release(): void {
    for (const wake of this.hung.splice(0)) wake();
  }
  get hanging(): number {
    return this.hung.length;
  }
  /** Called after each delivered message (tests await progress with it instead of sleeping). */
  onSent: ((sent: Sent) => void) | null = null;
  async send(chatId: string, message: OutgoingMessage, options: SendOptions = {}): Promise<string> {
    const what = this.script(++this.calls, chatId);
    if (what === "crash-queued") {
      this.log.push({ chatId, outcome: what });
      throw new Crash("crash while the part waits in the queue");
    }
    await options.onWire?.();
    const to = this.migrated.get(chatId);
    if (to) {
      await options.onRefused?.();
      this.log.push({ chatId, outcome: "moved" });
      throw new SendError("Telegram 400: Bad Request: group chat was upgraded to a supergroup chat", true, { movedTo: to });
    }
    const tooLong = message.text.length > 4096;
    const badData = (message.buttons ?? []).flat().find((b) => Buffer.byteLength(b.data, "utf8") > 64 || b.data.length === 0);
    if (tooLong || badData) {
      await options.onRefused?.();
      this.log.push({ chatId, outcome: "refused" });
      throw new SendError(`Telegram 400: Bad Request: ${tooLong ? "message is too long" : "BUTTON_DATA_INVALID"}`, true);
    }
    this.log.push({ chatId, outcome: what });
    if (what === "transient" || what === "permanent") await options.onRefused?.();
    if (what === "transient") throw new SendError("Telegram không trả lời: timeout", false);
    if (what === "permanent") throw new SendError("Telegram 403: Forbidden: bot was kicked from the group chat", true);
    if (what === "crash-before") throw new Crash("crash while sending");
    if (what === "uncertain") throw new SendError("Telegram không trả lời: connection reset", false, { uncertain: true });
    if (what === "hang") await new Promise<void>((resolve) => this.hung.push(resolve));
    this.sent.push({ chatId, text: message.text, buttons: message.buttons });
    this.onSent?.(this.sent[this.sent.length - 1]);
    if (what === "crash-after") throw new Crash("crash after sending");
    if (what === "uncertain-delivered") throw new SendError("Telegram không trả lời: timeout", false, { uncertain: true });
    return String(this.sent.length);
  }
  async sendFile(chatId: string): Promise<string> {
    const to = this.migrated.get(chatId);
    if (to) throw new SendError("Telegram 400: Bad Request: group chat was upgraded to a supergroup chat", true, { movedTo: to });
    this.sent.push({ chatId, text: "(file)" });
    return String(this.sent.length);
  }
  async download(): Promise<Buffer> {
    throw new Error("not used");
  }
  to(chatId: string): Sent[] {
    return this.sent.filter((s) => s.chatId === chatId);
  }
}

/** A runtime on an in-memory store holding `data`, its outbox sending to a scripted FakeChat. */
export function makeRuntime(
  data: Partial<StoreData>,
  options: { clock?: () => Date; env?: Record<string, string>; log?: pino.Logger } = {},
): { runtime: Runtime; chat: FakeChat } {
  const store = createMemoryStore({ ...emptyStoreData(), ...data });
  const runtime = new Runtime({
    config: parseConfig({ LOG_LEVEL: "silent", ...options.env }),
    store,
    agencies,
    calendar,
    log: options.log ?? pino({ level: "silent" }),
    clock: options.clock,
  });
  const chat = new FakeChat();
  runtime.outbox.attach(chat);
  return { runtime, chat };
}

/** A pino logger whose lines are kept (parsed), and a way to await a line whose `msg` matches. */
export function capturingLog(): {
  log: pino.Logger;
  lines: Record<string, unknown>[];
  when(match: RegExp): Promise<Record<string, unknown>>;
} {
  const lines: Record<string, unknown>[] = [];
  const waiting: { match: RegExp; resolve: (line: Record<string, unknown>) => void }[] = [];
  const stream = {
    write(chunk: string) {
      const line = JSON.parse(chunk) as Record<string, unknown>;
      lines.push(line);
      for (const w of [...waiting]) {
        if (w.match.test(String(line.msg))) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve(line);
        }
      }
    },
  };
  return {
    log: pino({ level: "debug" }, stream),
    lines,
    when(match) {
      const seen = lines.find((l) => match.test(String(l.msg)));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiting.push({ match, resolve }));
    },
  };
}

/** Writes a fan-out (`fanoutData`) into `store`: its tasks, assignments and bindings replace the store's. */
export async function writeFanout(store: Pick<Store, "update">, data: ReturnType<typeof fanoutData>): Promise<void> {
  await store.update((d) => {
    d.tasks = data.tasks;
    d.assignments = data.assignments;
    d.bindings = data.bindings;
    return { result: null };
  });
}

/**
 * A fan-out due on 31/03/2021: `groups` groups bound round-robin to 10 agencies, each agency
 * with `tasks` long-titled tasks due that day (a reminder of several parts per group). Chat ids
 * are `tg:-<firstChat + i>`. For the kill and multi-instance tests.
 */
export function fanoutData(groups: number, tasks: number, firstChat: number): Pick<StoreData, "tasks" | "assignments" | "bindings"> {
  const ids = agencies
    .filter((a) => !a.collective && a.id !== COORD)
    .slice(0, 10)
    .map((a) => a.id);
  const codes = Array.from({ length: tasks }, (_, i) => `K${i + 1}`);
  return {
    tasks: codes.map((c) =>
      task(c, dated("2021-03-31"), { title: `${"Rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý ".repeat(3)}${c}` }),
    ),
    assignments: ids.flatMap((a) => codes.map((c) => assignment(c, a))),
    bindings: Array.from({ length: groups }, (_, i) => binding(`tg:-${firstChat + i}`, ids[i % ids.length])),
  };
}
