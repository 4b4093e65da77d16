/**
 * Builds and starts the whole bot from a config: store, reference data, command registry,
 * chat adapters (Telegram, Zalo or both on one store; else the local chat), scheduler. Used by `npm start` and by the tests.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { readFileSync } from "node:fs";
import { type Config, ConfigError, configProblem, storeKind } from "../config.ts";
import { hidePassword } from "../core/text.ts";
import { createDirectory, type Directory } from "../core/agencies.ts";
import type { Agency } from "../core/schemas.ts";
import type { Logger } from "../logger.ts";
import { loadCommands } from "../bot/registry.ts";
import { Router } from "../bot/router.ts";
import { Runtime } from "../bot/runtime.ts";
import { StoreInbox } from "../bot/inbox.ts";
import { openInboxFile } from "../store/inbox-file.ts";
import { openFileStore } from "../store/file.ts";
import type { Store } from "../store/types.ts";
import { loadAgencyDirectory, loadHolidays, referenceFile } from "./reference.ts";
import { createCalendar } from "../core/calendar.ts";
import { TelegramAdapter } from "../chat/telegram.ts";
import { LocalAdapter } from "../chat/local.ts";
import { MultiChat } from "../chat/multi.ts";
import { ZaloAdapter, type ZaloOptions } from "../chat/zalo.ts";
import { typedFooter } from "../bot/typed.ts";
import type { ChatAdapter } from "../chat/types.ts";
import { agencyOfChat, bindChat } from "../domain/bindings.ts";
import type { Job } from "../jobs/job.ts";
import { createJobs } from "../jobs/scheduler.ts";
export type StartOptions = {
  config: Config;
  log: Logger;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  clock?: () => Date;
  /** Telegram's outgoing throttling (on unless a test turns it off). */
  throttle?: boolean;
  /** Zalo's send pacing and 429 back-off (tests shorten it; default zalo-platform.ts ZALO_PACING). */
  zaloPacing?: ZaloOptions["pacing"];
};

export type Running = {
  runtime: Runtime;
  router: Router;
  chat: ChatAdapter;
  /** Resolves when the local chat's input ends; never for Telegram or Zalo. */
  finished: Promise<void>;
  stop(): Promise<void>;
  jobs: Job[];
};

/**
 * The store the config selects (src/config.ts `storeKind`): PostgreSQL at DATABASE_URL (which
 * several instances may share), else the JSON file in DATA_DIR (locked to this process while
 * open: StoreError LOCKED). The PostgreSQL driver is loaded only when used.
 */
export async function openStore(config: Config, log: Logger): Promise<Store> {
  if (storeKind(config) === "postgres") {
    const { openPostgresStore } = await import("../store/postgres.ts");
    return openPostgresStore(config.DATABASE_URL!, { onWarning: (m) => log.warn(m) });
  }
  // Recoveries on open (a torn last batch dropped, events set aside) go to the operator's log.
  return openFileStore(config.DATA_DIR, { onWarning: (m) => log.warn(m) });
}

/**
 * The store (`openStore`), the reference data, the clock: what the bot and the CLI share. The
 * chat inbox goes with the store: DATA_DIR/inbox.jsonl beside store.json, the `inbox` table in
 * PostgreSQL (every instance's). The reference files stay in DATA_DIR with either store.
 * `chat: false` (the CLI): no inbox at all — it would take over a stopped bot's updates.
 */
export async function buildRuntime(config: Config, log: Logger, clock?: () => Date, options: { chat?: boolean } = {}): Promise<Runtime> {
  const files = await openStore(config, log);
  try {
    const agencies = loadAgencyDirectory(referenceFile(config.DATA_DIR, "agencies.json"));
    const calendar = createCalendar(loadHolidays(referenceFile(config.DATA_DIR, "holidays.json")));
    if (options.chat === false) return new Runtime({ config, store: files, agencies, calendar, log, clock });
    const at = clock?.() ?? new Date();
    const kept =
      storeKind(config) === "postgres"
        ? await (await import("../store/inbox-pg.ts")).openPgInbox(config.DATABASE_URL!, at, await instanceId(config.DATA_DIR))
        : await openInboxFile(config.DATA_DIR, at);
    const inbox = new StoreInbox(files, kept, () => runtime.now());
    const runtime: Runtime = new Runtime({ config, store: inbox.store, inbox, agencies, calendar, log, clock });
    return runtime;
  } catch (error) {
    await files.close(); // a bad agencies.json must not leave the data directory locked
    throw error;
  }
}

/**
 * This instance's id among those sharing a database, kept in DATA_DIR/instance-id, so a
 * restarted instance knows the inbox updates it held (src/store/inbox-pg.ts).
 */
function instanceId(dataDir: string): Promise<string> {
  return keptInFile(path.join(dataDir, "instance-id"), 16);
}

/**
 * The webhook's secret token: TELEGRAM_WEBHOOK_SECRET, else a generated one (32 random bytes,
 * base64url) kept where every instance finds it: in the database when the store is shared
 * (`store.sharedSecret`), else in DATA_DIR/webhook-secret (file mode 0600).
 */
export function webhookSecret(config: Config, store?: Store): Promise<string> {
  return keptSecret(config.TELEGRAM_WEBHOOK_SECRET, "telegram-webhook", path.join(config.DATA_DIR, "webhook-secret"), store);
}

/** Zalo's webhook secret: ZALO_WEBHOOK_SECRET, else generated and kept (as `webhookSecret`: the database or DATA_DIR/zalo-webhook-secret). */
export function zaloWebhookSecret(config: Config, store?: Store): Promise<string> {
  return keptSecret(config.ZALO_WEBHOOK_SECRET, "zalo-webhook", path.join(config.DATA_DIR, "zalo-webhook-secret"), store);
}

async function keptSecret(given: string | undefined, name: string, file: string, store?: Store): Promise<string> {
  if (given) return given;
  if (store?.sharedSecret) return store.sharedSecret(name, () => randomBytes(32).toString("base64url"));
  return keptInFile(file, 32);
}

/** The token kept in `file` (base64url, 16–256 characters), else a new one of `bytes` random bytes written there (mode 0600). */
async function keptInFile(file: string, bytes: number): Promise<string> {
  try {
    const kept = (await readFile(file, "utf8")).trim();
    if (/^[A-Za-z0-9_-]{16,256}$/.test(kept)) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const token = randomBytes(bytes).toString("base64url");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/**
 * What is wrong with COORDINATOR_AGENCY against the agency directory (data/agencies.json or
 * DATA_DIR's own, plus the agencies admins added in the store), or null when it names one
 * agency (not a collective such as "UBND cấp huyện"). The text names the key, the value,
 * what it may have meant (a name → its id, close ids) and a few valid ids; Vietnamese.
 */
export function coordinatorProblem(id: string, directory: Directory): string | null {
  const agency = directory.get(id);
  if (agency && !agency.collective) return null;
  const named = agency ? null : directory.resolve(id);
  const notes: string[] = [];
  if (agency) notes.push(`«${agency.name}» là một nhóm cơ quan, không phải một cơ quan có nhóm chat riêng.`);
  else if (named && !named.collective) notes.push(`đây là tên, không phải mã; mã của ${named.name} là ${named.id}.`);
  else {
    notes.push("không có cơ quan nào mang mã này trong danh mục (data/agencies.json và các cơ quan quản trị viên đã thêm).");
    const close = directory.search(id, 3).filter((a) => !a.collective);
    if (close.length) notes.push(`Mã gần giống: ${close.map((a) => `${a.id} (${a.name})`).join(", ")}.`);
  }
  const single = (a: Agency | null): a is Agency => a !== null && !a.collective;
  const candidates = [...["so-noi-vu", "vp-ubnd", "so-tu-phap"].map((x) => directory.get(x)), ...directory.all()].filter(single);
  const examples = [...new Set(candidates.map((a) => a.id))].slice(0, 4);
  if (examples.length) notes.push(`Ví dụ mã hợp lệ: ${examples.join(", ")}.`);
  notes.push("Danh sách đầy đủ: data/agencies.json (hoặc lệnh /coquan khi bot chạy).");
  return configProblem("COORDINATOR_AGENCY", id, notes.join(" "));
}

/**
 * COORDINATOR_AGENCY checked before any store is opened — when other keys are wrong, so that
 * one message names them all: against DATA_DIR's (or the committed) agencies.json plus, for
 * the JSON store, the agencies admins added in store.json. null when it names one agency, or
 * when it cannot be told here (PostgreSQL: `startBot` checks it against the store).
 */
export function coordinatorProblemAtRest(env: Record<string, string | undefined>): string | null {
  if (env.DATABASE_URL?.trim() || env.STORE?.trim() === "postgres") return null;
  const dataDir = env.DATA_DIR?.trim() || "./data";
  try {
    const reference = loadAgencyDirectory(referenceFile(dataDir, "agencies.json"));
    let extra: Agency[] = [];
    let aliases: Record<string, string> = {};
    try {
      const stored = JSON.parse(readFileSync(path.join(dataDir, "store.json"), "utf8")) as {
        extraAgencies?: Agency[];
        extraAliases?: Record<string, string>;
      };
      extra = stored.extraAgencies ?? [];
      aliases = stored.extraAliases ?? {};
    } catch {
      // No store yet (or unreadable): the reference directory alone.
    }
    return coordinatorProblem(env.COORDINATOR_AGENCY?.trim() || "so-noi-vu", createDirectory([...reference, ...extra], aliases));
  } catch {
    return null; // the directory itself cannot be read: startBot says so
  }
}

/**
 * Build and start the whole bot: runtime, commands, chat (Telegram with its token, Zalo with its
 * token — both in one process on one store when both are set — else the local chat), jobs.
 */
export async function startBot(options: StartOptions): Promise<Running> {
  const { config, log } = options;
  // The commands load while the store opens (their modules are read while the database answers).
  const commands = loadCommands();
  commands.catch(() => undefined); // awaited below; a start that fails first must not leave it unhandled
  const runtime = await buildRuntime(config, log, options.clock);
  // The digests, escalations and extension requests go to the coordinator's group: an id the
  // directory does not know would silently send them nowhere. Refuse to start instead.
  const problem = coordinatorProblem(config.COORDINATOR_AGENCY, runtime.directory());
  if (problem) {
    await runtime.store.close();
    throw new ConfigError([problem], ["COORDINATOR_AGENCY"]);
  }
  const router = new Router(runtime, await commands);
  let chat: ChatAdapter;
  const jobs = createJobs(runtime);
  const adapters: ChatAdapter[] = [];

  if (config.TELEGRAM_BOT_TOKEN) {
    adapters.push(
      new TelegramAdapter({
        token: config.TELEGRAM_BOT_TOKEN,
        apiRoot: config.TELEGRAM_API_ROOT,
        log,
        throttle: options.throttle,
        inbox: runtime.inbox,
        healthPort: config.HEALTH_PORT,
        storeProblem: () => runtime.store.problem?.() ?? null,
        webhook:
          config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_PORT
            ? { url: config.TELEGRAM_WEBHOOK_URL, port: config.TELEGRAM_WEBHOOK_PORT, secret: await webhookSecret(config, runtime.store) }
            : undefined,
      }),
    );
  }
  if (config.ZALO_BOT_TOKEN) {
    adapters.push(
      new ZaloAdapter({
        token: config.ZALO_BOT_TOKEN,
        apiRoot: config.ZALO_API_ROOT,
        log,
        inbox: runtime.inbox,
        pacing: options.zaloPacing,
        // With Telegram polling too, Telegram serves HEALTH_PORT (by webhook it serves its webhook port only).
        healthPort: config.TELEGRAM_BOT_TOKEN && !config.TELEGRAM_WEBHOOK_URL ? undefined : config.HEALTH_PORT,
        storeProblem: () => runtime.store.problem?.() ?? null,
        renderButtons: (buttons) => typedFooter(buttons, { files: false }),
        commands: router.registry.list().map((c) => c.name),
        webhook:
          config.ZALO_WEBHOOK_URL && config.ZALO_WEBHOOK_PORT
            ? { url: config.ZALO_WEBHOOK_URL, port: config.ZALO_WEBHOOK_PORT, secret: await zaloWebhookSecret(config, runtime.store) }
            : undefined,
      }),
    );
  }
  chat = adapters.length === 0 ? localChat(runtime, jobs, options) : adapters.length === 1 ? adapters[0] : new MultiChat(adapters);

  runtime.outbox.attach(chat);
  await chat.start(router.handlers(), router.registry.menu());
  for (const job of jobs) await job.start?.();
  const finished = chat instanceof LocalAdapter ? chat.finished() : new Promise<void>(() => undefined);

  return {
    runtime,
    router,
    chat,
    finished,
    jobs,
    async stop() {
      for (const job of jobs) await job.stop?.();
      await chat.stop();
      await runtime.store.close();
    },
  };
}

/** The terminal chat: `:nhom <agency id>` binds that group on first use, so trying is one step. */
function localChat(runtime: Runtime, jobs: Job[], options: StartOptions): LocalAdapter {
  const { config } = runtime;
  const input = options.input ?? process.stdin;
  const local = new LocalAdapter({
    input,
    output: options.output ?? process.stdout,
    prompt: input === process.stdin && Boolean(process.stdin.isTTY),
    filesDir: path.join(config.DATA_DIR, "tep-gui"),
    commands: jobs.flatMap((j) => j.localCommands ?? []),
    onEnterChat: async (room) => {
      const bound = agencyOfChat(runtime.store.read(), room.chatId);
      if (bound) return `gắn với ${runtime.directory().nameOf(bound)}`;
      const agency = runtime.directory().get(room.name);
      if (!agency) return "chưa gắn cơ quan; gõ /dangky <tên cơ quan> hoặc /coquan để xem mã";
      const localAdmin = { userId: "local:admin", userName: "Chế độ thử", chatId: room.chatId };
      await bindChat(runtime.deps(), localAdmin, room.chatId, agency.id, { title: `Nhóm ${agency.id}` });
      return `đã gắn với ${agency.name}`;
    },
  });
  local.print(
    [
      "════════════════════════════════════════════════════════════",
      " dondoc — CHẾ ĐỘ THỬ TRÊN MÁY (không có TELEGRAM_BOT_TOKEN, ZALO_BOT_TOKEN)",
      storeKind(config) === "postgres"
        ? ` Dữ liệu: PostgreSQL ${hidePassword(config.DATABASE_URL!)} (tệp: ${path.resolve(config.DATA_DIR)})`
        : ` Dữ liệu: ${path.resolve(config.DATA_DIR)}`,
      " Bạn là quản trị viên. Gõ /giup để xem các lệnh, :giup cho lệnh của chế độ thử.",
      " Chọn nhóm để nói: :nhom so-noi-vu, :nhom so-tu-phap … ; nạp kế hoạch: /nap <đường dẫn>",
      " Để chạy với Telegram hoặc Zalo: đặt TELEGRAM_BOT_TOKEN hoặc ZALO_BOT_TOKEN (xem .env.example).",
      "════════════════════════════════════════════════════════════",
    ].join("\n"),
  );
  return local;
}
