/**
 * Builds and starts the whole bot from a config: store, reference data, command registry,
 * chat adapter (Telegram or local), scheduler. Used by `npm start` and by the tests.
 */
import path from "node:path";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import { App } from "../bot/app.ts";
import { loadCommands } from "../bot/registry.ts";
import { openFileStore } from "../store/file.ts";
import { loadAgencyDirectory, loadHolidays, referenceFile } from "./reference.ts";
import { createCalendar } from "../core/calendar.ts";
import { TelegramAdapter } from "../chat/telegram.ts";
import { LocalAdapter } from "../chat/local.ts";
import type { ChatAdapter } from "../chat/types.ts";
import { bindChat } from "../domain/bindings.ts";
import { createServices, type Service } from "../jobs/scheduler.ts";


export type StartOptions = {
  config: Config;
  log: Logger;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  clock?: () => Date;
  /** Telegram's outgoing throttling (on unless a test turns it off). */
  throttle?: boolean;
};

export type Running = {
  app: App;
  chat: ChatAdapter;
  /** Resolves when the local chat's input ends; never for Telegram. */
  finished: Promise<void>;
  stop(): Promise<void>;
  services: Service[];
};

export async function buildApp(config: Config, log: Logger, clock?: () => Date): Promise<App> {
  const store = await openFileStore(config.DATA_DIR);
  const agencies = loadAgencyDirectory(referenceFile(config.DATA_DIR, "agencies.json"));
  const calendar = createCalendar(loadHolidays(referenceFile(config.DATA_DIR, "holidays.json")));
  const registry = await loadCommands();
  return new App({ config, store, agencies, calendar, registry, log, clock });
}

export async function startApp(options: StartOptions): Promise<Running> {
  const { config, log } = options;
  const app = await buildApp(config, log, options.clock);
  let chat: ChatAdapter;
  const services = createServices(app);

  if (config.TELEGRAM_BOT_TOKEN) {
    chat = new TelegramAdapter({
      token: config.TELEGRAM_BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      log,
      throttle: options.throttle,
      webhook:
        config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_PORT
          ? { url: config.TELEGRAM_WEBHOOK_URL, port: config.TELEGRAM_WEBHOOK_PORT }
          : undefined,
    });
  } else {
    chat = localChat(app, config, services, options);
  }

  app.attach(chat);
  await chat.start(app.handlers(), app.registry.menu());
  for (const service of services) await service.start?.();
  const finished = chat instanceof LocalAdapter ? chat.finished() : new Promise<void>(() => undefined);

  return {
    app,
    chat,
    finished,
    services,
    async stop() {
      for (const service of services) await service.stop?.();
      await chat.stop();
      await app.store.close();
    },
  };
}

/** The terminal chat: `:nhom <agency id>` binds that group on first use, so trying is one step. */
function localChat(app: App, config: Config, services: Service[], options: StartOptions): LocalAdapter {
  const input = options.input ?? process.stdin;
  const local = new LocalAdapter({
    input,
    output: options.output ?? process.stdout,
    prompt: input === process.stdin && Boolean(process.stdin.isTTY),
    commands: services.flatMap((s) => s.localCommands ?? []),
    onEnterChat: async (room) => {
      const bound = app.agencyOfChat(room.chatId);
      if (bound) return `gắn với ${app.agencyName(bound)}`;
      const agency = app.directory().get(room.name);
      if (!agency) return "chưa gắn cơ quan; gõ /dangky <tên cơ quan> hoặc /coquan để xem mã";
      const localAdmin = { userId: "local:admin", userName: "Chế độ thử", chatId: room.chatId };
      await bindChat(app, localAdmin, room.chatId, agency.id, app.now(), { title: `Nhóm ${agency.id}` });
      return `đã gắn với ${agency.name}`;
    },
  });
  local.print(
    [
      "════════════════════════════════════════════════════════════",
      " dondoc — CHẾ ĐỘ THỬ TRÊN MÁY (không có TELEGRAM_BOT_TOKEN)",
      ` Dữ liệu: ${path.resolve(config.DATA_DIR)}`,
      " Bạn là quản trị viên. Gõ /giup để xem các lệnh, :giup cho lệnh của chế độ thử.",
      " Chọn nhóm để nói: :nhom so-noi-vu, :nhom so-tu-phap … ; nạp kế hoạch: /nap <đường dẫn>",
      " Để chạy với Telegram: đặt TELEGRAM_BOT_TOKEN (xem .env.example).",
      "════════════════════════════════════════════════════════════",
    ].join("\n"),
  );
  return local;
}
