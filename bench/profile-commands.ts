/**
 * In-process per-command cost, for profiling (`node --cpu-prof --import tsx bench/profile-commands.ts 10000`):
 * the router → `/tiendo`, `/chitiet`, `/xong`… on an in-memory store holding a synthetic registry, so
 * what is left is dondoc's own work per command (no store write, no network). Prints the mean per
 * command. Not part of `npm run bench`.
 */
import path from "node:path";
import pino from "pino";
import { loadHolidays } from "../src/boot/reference.ts";
import { loadCommands } from "../src/bot/registry.ts";
import { Router } from "../src/bot/router.ts";
import { Runtime } from "../src/bot/runtime.ts";
import type { Responder } from "../src/chat/types.ts";
import { parseConfig } from "../src/config.ts";
import { createCalendar, vnInstant } from "../src/core/calendar.ts";
import { createMemoryStore } from "../src/store/memory.ts";
import { ROOT, benchAgencies, makeRegistry, nowMs } from "./lib.ts";

const tasks = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 200);
const agencies = tasks >= 5_000 ? 500 : 50;
const data = makeRegistry({ tasks, agencies, groups: agencies });
const { reference } = benchAgencies(agencies);
const store = createMemoryStore(data);
const calendar = createCalendar(loadHolidays(path.join(ROOT, "data/holidays.json")));
const runtime = new Runtime({
  config: parseConfig({ LOG_LEVEL: "silent" }),
  store,
  agencies: reference,
  calendar,
  log: pino({ level: "silent" }),
  clock: () => vnInstant("2021-06-15", "10:00"),
});
const router = new Router(runtime, await loadCommands());
const handlers = router.handlers();
const binding = data.bindings[0];
const open = data.assignments.filter((a) => a.agencyId === binding.agencyId && a.status === "open");
let replies = 0;
const respond: Responder = {
  reply: async () => {
    replies++;
    return undefined;
  },
  notice: async () => undefined,
  replyFile: async () => undefined,
} as unknown as Responder;

async function command(text: string) {
  const m = /^\/(\S+)\s?([\s\S]*)$/.exec(text)!;
  await handlers.onCommand(
    { chatId: binding.chatId, chatKind: "group", from: { id: "tg:1001", name: "Nguyễn Văn A" }, text, command: m[1], args: m[2] },
    respond,
  );
}

for (const name of (process.argv[4] ?? "tiendo,chitiet").split(",")) {
  const texts = (i: number) => {
    const code = open[i % open.length].taskCode;
    if (name === "tiendo") return `/tiendo ${code} ${i % 101}`;
    if (name === "vuongmac") return `/vuongmac ${code} chờ ý kiến`;
    return `/${name} ${code}`;
  };
  for (let i = 0; i < 20; i++) await command(texts(i));
  const t = nowMs();
  for (let i = 0; i < rounds; i++) await command(texts(i));
  console.log(`${name}: ${((nowMs() - t) / rounds).toFixed(3)} ms/command at ${tasks} tasks (${replies} replies)`);
}
