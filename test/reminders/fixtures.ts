/** Builders shared by the reminder tests. */
import { fileURLToPath } from "node:url";
import pino from "pino";
import { Runtime } from "../../src/bot/runtime.ts";
import { loadAgencyDirectory } from "../../src/boot/reference.ts";
import { SendError, type ChatAdapter, type OutgoingMessage } from "../../src/chat/types.ts";
import { parseConfig } from "../../src/config.ts";
import { addDays, createCalendar, vnInstant } from "../../src/core/calendar.ts";
import { Assignment, ChatBinding, SendLogEntry, Task, type Deadline } from "../../src/core/schemas.ts";
import { loadHolidays } from "../../src/boot/reference.ts";
import type { PlannedMessage } from "../../src/reminders/message.ts";
import type { ReminderState } from "../../src/reminders/planner.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { emptyStoreData, type StoreData } from "../../src/store/types.ts";

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
  return { tasks: [], assignments: [], bindings: [], sendLog: [], agencyNames, coordinatorAgencyId: COORD, ...parts };
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
 * A chat adapter that records what it sends. `script(n, chatId)` decides the n-th call
 * (1-based): "ok", "transient"/"permanent" (a SendError), "crash-after" (delivered, then the
 * process "dies" before dondoc records it), "crash-before" (dies while sending: not delivered).
 */
export class FakeChat implements ChatAdapter {
  readonly platform = "fake";
  readonly sent: Sent[] = [];
  calls = 0;
  constructor(
    public script: (n: number, chatId: string) => "ok" | "transient" | "permanent" | "crash-after" | "crash-before" = () => "ok",
  ) {}
  async start() {}
  async stop() {}
  async send(chatId: string, message: OutgoingMessage): Promise<string> {
    const what = this.script(++this.calls, chatId);
    if (what === "transient") throw new SendError("Telegram không trả lời: timeout", false);
    if (what === "permanent") throw new SendError("Telegram 403: Forbidden: bot was kicked from the group chat", true);
    if (what === "crash-before") throw new Crash("crash while sending");
    this.sent.push({ chatId, text: message.text, buttons: message.buttons });
    if (what === "crash-after") throw new Crash("crash after sending");
    return String(this.sent.length);
  }
  async sendFile(): Promise<string> {
    throw new Error("not used");
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
  options: { clock?: () => Date; env?: Record<string, string> } = {},
): { runtime: Runtime; chat: FakeChat } {
  const store = createMemoryStore({ ...emptyStoreData(), ...data });
  const runtime = new Runtime({
    config: parseConfig({ LOG_LEVEL: "silent", ...options.env }),
    store,
    agencies,
    calendar,
    log: pino({ level: "silent" }),
    clock: options.clock,
  });
  const chat = new FakeChat();
  runtime.outbox.attach(chat);
  return { runtime, chat };
}
