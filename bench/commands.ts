/**
 * Commands: round trip of `/tiendo` through the Telegram emulator (telegram-test-api over
 * HTTP on 127.0.0.1), for dondoc and, in the same run and through the same emulator, a
 * minimal grammY bot that answers the same command with "ok". Calls alternate between the
 * two so both see the same machine load. The round trip is: emulator POSTs the update to
 * the bot's webhook → the bot handles it and calls sendMessage on the emulator. dondoc
 * answers its webhook once the update is in its durable inbox and handles it after, so its
 * round trip also waits until the bot is idle (its extra cost: the inbox's two writes per
 * update, which the "store" breakdown does not count). The emulator does not throttle, so
 * dondoc's throttler is off here.
 */
import http from "node:http";
import { Bot, webhookCallback } from "grammy";
import pino from "pino";
import { parseConfig } from "../src/config.ts";
import { vnInstant } from "../src/core/calendar.ts";
import { startBot } from "../src/boot/runtime.ts";
import { freePort } from "../test/support/net.ts";
import { emptyDatabase, stopPgServer } from "../test/support/postgres.ts";
import { copyStore } from "../src/store/copy.ts";
import { openFileStore } from "../src/store/file.ts";
import { openPostgresStore } from "../src/store/postgres.ts";
import { TEST_WEBHOOK_SECRET, TelegramServerClass, deliverWithSecret } from "../test/support/emulator.ts";
import {
  TOKEN_A,
  TOKEN_B,
  makeRegistry,
  median,
  nowMs,
  p99,
  progress,
  round,
  tempDir,
  writeDataDir,
  type Row,
  type SectionOptions,
} from "./lib.ts";

const SUNDAY = vnInstant("2021-06-13", "10:00"); // no reminder catch-up on start
const fmt = (n: number) => n.toLocaleString("en");

type Scale = { tasks: number; agencies: number; groups: number; rounds: number; postgres?: boolean };

/**
 * Where dondoc's time goes, summed over the measured commands: the store update (of which
 * `draft`: the use case's own work on the draft), the inbox's writes (accept before the
 * webhook answers, done after), the reply's send.
 */
type Breakdown = { store: number; draft: number; inbox: number; send: number; commands: number };

async function scenario(scale: Scale): Promise<Row[]> {
  const { dir, cleanup } = await tempDir("dondoc-bench-cmd-");
  const data = makeRegistry(scale);
  await writeDataDir(dir, data, 0);
  let DATABASE_URL: string | undefined;
  if (scale.postgres) {
    // The same registry copied into a fresh database of an embedded server (127.0.0.1).
    DATABASE_URL = await emptyDatabase();
    const [from, to] = [await openFileStore(dir), await openPostgresStore(DATABASE_URL)];
    await copyStore(from, to);
    await Promise.all([from.close(), to.close()]);
  }
  const server = new TelegramServerClass({ port: await freePort(), host: "127.0.0.1", storeTimeout: 3600 });
  deliverWithSecret(server);
  await server.start();
  const [dondocPort, minimalPort] = [await freePort(), await freePort()];
  const apiRoot = server.config.apiURL;

  const running = await startBot({
    config: parseConfig({
      TELEGRAM_BOT_TOKEN: TOKEN_A,
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${dondocPort}/hook`,
      TELEGRAM_WEBHOOK_PORT: String(dondocPort),
      TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      DATA_DIR: dir,
      LOG_LEVEL: "silent",
      DATABASE_URL,
    }),
    log: pino({ level: "silent" }),
    clock: () => SUNDAY,
    throttle: false,
  });
  server.setWebhook({ url: `http://127.0.0.1:${dondocPort}/hook` }, TOKEN_A);

  const minimal = new Bot(TOKEN_B, { client: { apiRoot } });
  minimal.command("tiendo", (ctx) => ctx.reply("ok"));
  await minimal.init();
  const hook = http.createServer(webhookCallback(minimal, "http"));
  await new Promise<void>((resolve) => hook.listen(minimalPort, "127.0.0.1", resolve));
  server.setWebhook({ url: `http://127.0.0.1:${minimalPort}/hook` }, TOKEN_B);

  // Time spent in the store and in sending, per dondoc command.
  const breakdown: Breakdown = { store: 0, draft: 0, inbox: 0, send: 0, commands: 0 };
  let measuring = false;
  const store = running.runtime.store;
  const update = store.update.bind(store);
  store.update = (async (fn: (draft: never) => unknown) => {
    const t = nowMs();
    try {
      return await update(((draft: never) => {
        const d = nowMs();
        try {
          return fn(draft);
        } finally {
          if (measuring) breakdown.draft += nowMs() - d;
        }
      }) as never);
    } finally {
      if (measuring) breakdown.store += nowMs() - t;
    }
  }) as typeof store.update;
  const inbox = running.runtime.inbox;
  if (inbox) {
    for (const method of ["accept", "done"] as const) {
      const original = inbox[method].bind(inbox) as (...args: unknown[]) => Promise<unknown>;
      (inbox as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
        const t = nowMs();
        try {
          return await original(...args);
        } finally {
          if (measuring) breakdown.inbox += nowMs() - t;
        }
      };
    }
  }
  const chat = running.chat as unknown as { send: (...args: unknown[]) => Promise<string> };
  const send = chat.send.bind(chat);
  /** When the Bot API last answered one of dondoc's sends: the reply has arrived. */
  let repliedAt = 0;
  chat.send = async (...args: unknown[]) => {
    const t = nowMs();
    try {
      return await send(...args);
    } finally {
      repliedAt = nowMs();
      if (measuring) breakdown.send += repliedAt - t;
    }
  };

  // A group bound to an agency, and an open assignment of that agency.
  const binding = data.bindings[0];
  const assignment = data.assignments.find((a) => a.agencyId === binding.agencyId && a.status === "open")!;
  const chatId = Number(binding.chatId.slice(3));
  const command = async (token: string, text: string) => {
    const client = server.getClient(token, {
      userId: 1001,
      firstName: "Nguyễn Văn A",
      userName: "nva",
      chatId,
      type: "group",
      chatTitle: binding.title,
    });
    const message = client.makeCommand(text);
    message.entities = [{ type: "bot_command", offset: 0, length: text.split(" ")[0].length }];
    const t = nowMs();
    repliedAt = 0;
    await server.addUserCommand({ ...message, botToken: token } as never);
    if (token === TOKEN_B) return { reply: nowMs() - t, idle: nowMs() - t }; // its webhook answers after its reply
    await running.chat.idle?.();
    if (repliedAt === 0) throw new Error("dondoc sent no reply");
    return { reply: repliedAt - t, idle: nowMs() - t };
  };
  // The round trip is to the reply (what the officer waits for); dondoc's work after it (the
  // inbox's done mark) is in the "to idle" figure.
  const idle: number[] = [];
  const dondoc = async (i: number) => {
    const trip = await command(TOKEN_A, `/tiendo ${assignment.taskCode} ${i % 101}`);
    if (measuring) idle.push(trip.idle);
    return trip.reply;
  };
  const plain = async (i: number) => (await command(TOKEN_B, `/tiendo ${assignment.taskCode} ${i % 101}`)).reply;

  const rows: Row[] = [];
  try {
    for (let i = 0; i < 10; i++) {
      await dondoc(i);
      await plain(i);
    }
    const reply = server.storage.botMessages.filter((m) => m.botToken === TOKEN_A).pop()?.message.text ?? "";
    if (!reply.startsWith("📈")) throw new Error(`dondoc did not update the progress: «${reply}»`);

    progress(`commands: ${scale.rounds} rounds of /tiendo, ${fmt(scale.tasks)} tasks`);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < scale.rounds; i++) {
      // Alternate which bot goes first.
      if (i % 2 === 0) {
        measuring = true;
        a.push(await dondoc(i));
        measuring = false;
        b.push(await plain(i));
      } else {
        b.push(await plain(i));
        measuring = true;
        a.push(await dondoc(i));
        measuring = false;
      }
      breakdown.commands++;
    }
    const label = `${fmt(scale.tasks)} tasks, ${scale.groups} groups${scale.postgres ? ", PostgreSQL" : ""}`;
    const ratio = median(a) / median(b);
    rows.push({
      section: "commands",
      case: `/tiendo round trip, dondoc (${label})`,
      value: round(median(a), 1),
      unit: "ms median",
      note:
        `command → reply accepted by the Bot API; p99 ${round(p99(a), 1)} ms; to idle (incl. the inbox's done mark) ` +
        `${round(median(idle), 1)} ms median; ${scale.rounds} commands; throttler off (the emulator does not throttle)`,
    });
    rows.push({
      section: "commands",
      case: `/tiendo round trip, minimal grammY bot (same run)`,
      value: round(median(b), 1),
      unit: "ms median",
      note: `p99 ${round(p99(b), 1)} ms`,
    });
    rows.push({
      section: "commands",
      case: `dondoc overhead ratio (${label})`,
      value: round(ratio, 2),
      unit: "×",
      note: `p99 ratio ${round(p99(a) / p99(b), 2)}×`,
    });
    const per = (x: number) => x / breakdown.commands;
    const mean = idle.reduce((s, x) => s + x, 0) / idle.length; // to idle: the breakdown includes the done mark
    const rest = mean - per(breakdown.store) - per(breakdown.inbox) - per(breakdown.send);
    rows.push({
      section: "commands",
      case: `  dondoc mean per command: store update / inbox / reply send / rest`,
      value: `${round(per(breakdown.store), 1)} / ${round(per(breakdown.inbox), 1)} / ${round(per(breakdown.send), 1)} / ${round(rest, 1)}`,
      unit: "ms",
      note:
        `mean to idle ${round(mean, 1)} ms; store update = the use case on the draft (${round(per(breakdown.draft), 2)} ms) + validate + ` +
        (scale.postgres
          ? "one statement writing the changed rows and events; inbox = accept + done (rows of the inbox table, may overlap the rest); "
          : "one fdatasync'd journal append with the events; inbox = accept (fdatasync'd) + done (written), may overlap the rest; ") +
        `rest = emulator, webhook, lookup, rendering (minimal bot's whole trip: ${round(b.reduce((s, x) => s + x, 0) / b.length, 1)} ms)`,
    });
  } finally {
    await running.stop();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
    await server.stop();
    await cleanup();
  }
  return rows;
}

export async function run({ quick }: SectionOptions): Promise<Row[]> {
  const scales: Scale[] = quick
    ? [{ tasks: 300, agencies: 50, groups: 50, rounds: 40 }]
    : [
        { tasks: 300, agencies: 50, groups: 50, rounds: 200 },
        { tasks: 10_000, agencies: 500, groups: 500, rounds: 40 },
      ];
  scales.push({ tasks: 10_000, agencies: 500, groups: 500, rounds: quick ? 40 : 200, postgres: true });
  const rows: Row[] = [];
  try {
    for (const scale of scales) rows.push(...(await scenario(scale)));
  } finally {
    await stopPgServer();
  }
  return rows;
}
