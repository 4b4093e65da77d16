/**
 * Configuration, parsed once from the environment (and `.env` if present) with zod.
 * Invalid configuration is reported in one Vietnamese message naming every bad key, the value
 * found and what is expected (`EXPECTED`); the process exits with code 1. What needs the
 * agency directory (COORDINATOR_AGENCY must name an agency in it) is checked at start, in
 * boot/runtime.ts, with the same kind of message.
 */
import { hidePassword } from "./core/text.ts";
import { existsSync } from "node:fs";
import { z } from "zod";
import { quarterSetting, weeklySetting } from "./digest/settings.ts";
import { ZALO_DEFAULT_API_ROOT, ZALO_TOKEN, ZALO_WEBHOOK_SECRET } from "./chat/zalo-platform.ts";

export const TIMEZONE = "Asia/Ho_Chi_Minh";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/);

/** A user id in ADMIN_IDS / MANAGER_IDS: a bare number (Telegram) or `platform:id` (see domain/access.ts `listed`). */
const USER_ID = /^(-?\d+|[a-z][a-z0-9]*:[^\s,]+)$/;

const idList = z
  .string()
  .default("")
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(USER_ID)));

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** A whole number of working days in [min, max] (given as text in the environment). */
const days = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

/** A schedule key checked by its own parser (digest/settings.ts), each key on its own so both can be named. */
const schedule = (parse: (text: string) => unknown, fallback: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default(fallback)
      .superRefine((text, ctx) => {
        try {
          parse(text);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
        }
      }),
  );

export const ConfigSchema = z.object({
  TELEGRAM_BOT_TOKEN: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\d+:[\w-]{20,}$/)
      .optional(),
  ),
  TELEGRAM_API_ROOT: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).default("https://api.telegram.org")),
  /** Run the Telegram adapter in webhook mode on this port instead of long polling (tests, emulators). */
  TELEGRAM_WEBHOOK_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  TELEGRAM_WEBHOOK_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).optional()),
  /**
   * The secret Telegram sends with each webhook request (X-Telegram-Bot-Api-Secret-Token);
   * when unset, one is generated and kept in DATA_DIR/webhook-secret.
   */
  TELEGRAM_WEBHOOK_SECRET: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/)
      .optional(),
  ),
  /** The Zalo bot's token (alone, or beside Telegram's in the same process); chat/zalo-platform.ts says what is known of it. */
  ZALO_BOT_TOKEN: z.preprocess(emptyAsUndefined, z.string().regex(ZALO_TOKEN).optional()),
  ZALO_API_ROOT: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).default(ZALO_DEFAULT_API_ROOT)),
  /** Zalo in webhook mode (production) on this port instead of long polling (development). */
  ZALO_WEBHOOK_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  ZALO_WEBHOOK_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).optional()),
  /** The secret Zalo sends with each webhook request (X-Bot-Api-Secret-Token); unset: generated, kept in DATA_DIR/zalo-webhook-secret. */
  ZALO_WEBHOOK_SECRET: z.preprocess(emptyAsUndefined, z.string().regex(ZALO_WEBHOOK_SECRET).optional()),
  /** Long polling: a local port (127.0.0.1) serving GET /healthz; webhook mode serves it on the webhook port. */
  HEALTH_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).optional()),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./data")),
  /**
   * A PostgreSQL database (postgres://user:password@host:port/db): when set, the store lives
   * there instead of DATA_DIR/store.json (src/store/postgres.ts). Its password is never repeated.
   */
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/)
      .refine((s) => URL.canParse(s))
      .optional(),
  ),
  /** `file` (DATA_DIR/store.json) or `postgres` (DATABASE_URL, required then); unset: postgres when DATABASE_URL is set. */
  STORE: z.preprocess(emptyAsUndefined, z.enum(["file", "postgres"]).optional()),
  ADMIN_IDS: idList,
  /** Managers who may ask for /tongket in a private chat. */
  MANAGER_IDS: idList,
  /** Agency id of the coordinating agency (digests, escalations, extension requests); checked against the directory at start. */
  COORDINATOR_AGENCY: z.preprocess(emptyAsUndefined, z.string().trim().default("so-noi-vu")),
  REMINDER_TIME: z.preprocess(emptyAsUndefined, hhmm.default("08:00")),
  /** Working days before a due when notices go out, largest first. */
  REMINDER_NOTICE_DAYS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default("7,3,1")
      .transform((s) => s.split(",").map((x) => Number(x.trim())))
      .pipe(z.array(z.number().int().min(1).max(60)).min(1)),
  ),
  /** Overdue reminders every N working days after the first. */
  REMINDER_OVERDUE_EVERY: days(1, 60, 3),
  /** Escalate to the coordinator after N working days late, then every M. */
  REMINDER_ESCALATE_AFTER: days(1, 60, 5),
  REMINDER_ESCALATE_EVERY: days(1, 60, 5),
  /** Continuous tasks: check-in this many working days before the quarter ends. */
  REMINDER_CHECKIN_DAYS: days(0, 60, 10),
  /** Groups sent to at once by a reminder run (parts to one group stay in order). */
  REMINDER_CONCURRENCY: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(32).default(8)),
  DIGEST_WEEKLY: schedule(weeklySetting, "MON 08:30"),
  /** Quarter digest: working days before the quarter ends, and the time (or `off`). */
  DIGEST_QUARTER: schedule((text) => quarterSetting(text), "5 08:30"),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
});
export type Config = z.infer<typeof ConfigSchema>;

/** Keys whose value is never repeated in a message (it may be a secret). */
const SECRET = new Set(["TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "ZALO_BOT_TOKEN", "ZALO_WEBHOOK_SECRET"]);

/** What each key expects, in the words of the error message (Vietnamese, with an example). */
export const EXPECTED: Record<keyof Config, string> = {
  TELEGRAM_BOT_TOKEN: "token do @BotFather cấp, dạng 123456789:AA… (để trống: chạy chế độ thử trên máy)",
  TELEGRAM_API_ROOT: "một địa chỉ http(s), ví dụ https://api.telegram.org",
  TELEGRAM_WEBHOOK_URL: "địa chỉ http(s) công khai mà Telegram gửi cập nhật tới, ví dụ https://bot.example.vn/telegram",
  TELEGRAM_WEBHOOK_PORT: "số cổng từ 1 đến 65535, ví dụ 8443",
  TELEGRAM_WEBHOOK_SECRET:
    "16–256 ký tự, chỉ gồm chữ cái Latinh, số, _ và - (quy định của Telegram); để trống: bot tự tạo và giữ trong thư mục dữ liệu",
  ZALO_BOT_TOKEN: "token của bot Zalo (Zalo Bot Platform), dạng 12345689:abc-xyz (để trống: không chạy Zalo)",
  ZALO_API_ROOT: `một địa chỉ http(s), ví dụ ${ZALO_DEFAULT_API_ROOT}`,
  ZALO_WEBHOOK_URL: "địa chỉ https công khai mà Zalo gửi cập nhật tới, ví dụ https://bot.example.vn/zalo",
  ZALO_WEBHOOK_PORT: "số cổng từ 1 đến 65535, khác cổng của Telegram và HEALTH_PORT, ví dụ 8444",
  ZALO_WEBHOOK_SECRET: "8–256 ký tự, chỉ gồm chữ cái Latinh, số, _ và -; để trống: bot tự tạo và giữ trong thư mục dữ liệu",
  HEALTH_PORT: "số cổng từ 1 đến 65535 cho GET /healthz khi chạy long polling, ví dụ 8080",
  DATA_DIR: "đường dẫn thư mục dữ liệu, ví dụ ./data",
  DATABASE_URL:
    "địa chỉ cơ sở dữ liệu PostgreSQL dạng postgres://người-dùng:mật-khẩu@máy:cổng/tên-csdl, ví dụ postgres://dondoc:…@127.0.0.1:5432/dondoc",
  STORE:
    "file (tệp store.json trong DATA_DIR) hoặc postgres (cần đặt DATABASE_URL); để trống: postgres nếu có DATABASE_URL, nếu không thì file",
  ADMIN_IDS:
    "các id người dùng cách nhau bởi dấu phẩy: một số (id Telegram, ví dụ 123456789) hoặc id có tiền tố nền tảng (ví dụ zl:8412… cho Zalo)",
  MANAGER_IDS:
    "các id người dùng cách nhau bởi dấu phẩy: một số (id Telegram, ví dụ 123456789) hoặc id có tiền tố nền tảng (ví dụ zl:8412… cho Zalo)",
  COORDINATOR_AGENCY: "mã một cơ quan trong danh mục (xem /coquan), ví dụ so-noi-vu",
  REMINDER_TIME: "giờ dạng HH:MM (giờ Việt Nam), ví dụ 08:00",
  REMINDER_NOTICE_DAYS: "các số ngày làm việc từ 1 đến 60, cách nhau bởi dấu phẩy, ví dụ 7,3,1",
  REMINDER_OVERDUE_EVERY: "một số nguyên ngày làm việc từ 1 đến 60, ví dụ 3",
  REMINDER_ESCALATE_AFTER: "một số nguyên ngày làm việc từ 1 đến 60, ví dụ 5",
  REMINDER_ESCALATE_EVERY: "một số nguyên ngày làm việc từ 1 đến 60, ví dụ 5",
  REMINDER_CHECKIN_DAYS: "một số nguyên ngày làm việc từ 0 đến 60, ví dụ 10",
  REMINDER_CONCURRENCY: "số nhóm được gửi nhắc việc cùng lúc, một số nguyên từ 1 đến 32, ví dụ 8",
  DIGEST_WEEKLY: "thứ (MON…SUN hoặc T2…T7, CN) và giờ, ví dụ MON 08:30 (thứ Hai 8 giờ 30), FRI 16:00, hoặc off",
  DIGEST_QUARTER: "số ngày làm việc trước khi hết quý (0–40) và giờ, ví dụ 5 08:30 (5 ngày làm việc trước khi hết quý, 8 giờ 30), hoặc off",
  LOG_LEVEL: "một trong: fatal, error, warn, info, debug, trace, silent",
};

/** A configuration value is wrong: its message says which variable and why, in Vietnamese. */
export class ConfigError extends Error {
  /** The keys found wrong, in the order of the schema. */
  readonly keys: string[];
  /** One line per key (`configProblem`), so more can be added to the same message. */
  readonly problems: string[];
  constructor(problems: string[], keys: string[] = []) {
    super(configErrorMessage(problems));
    this.name = "ConfigError";
    this.keys = keys;
    this.problems = problems;
  }
}

/** Which store the config selects: STORE, else postgres when DATABASE_URL is set, else the JSON file. */
export function storeKind(config: Pick<Config, "STORE" | "DATABASE_URL">): "file" | "postgres" {
  return config.STORE ?? (config.DATABASE_URL ? "postgres" : "file");
}

/** `  - KEY = «value»: what is expected` (a secret's value is not repeated; a URL's password neither). */
export function configProblem(key: string, value: string | undefined, expected: string): string {
  if (value !== undefined && key === "DATABASE_URL") value = hidePassword(value);
  const shown =
    value === undefined ? "" : SECRET.has(key) ? " (giá trị đã đặt)" : ` = «${value.length > 80 ? `${value.slice(0, 80)}…` : value}»`;
  return `  - ${key}${shown}: ${expected}`;
}

/** The one message for a list of problems (lines from `configProblem`). */
export function configErrorMessage(lines: string[]): string {
  return `Cấu hình không hợp lệ (${lines.length} khóa; xem .env.example):\n${lines.join("\n")}`;
}

/**
 * Parse a config from an environment-like object. Throws ConfigError whose one message names
 * every bad key with the value found and what is expected.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  const problems = new Map<string, string>();
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const key = String(issue.path[0] ?? "");
    if (problems.has(key)) continue;
    const expected = EXPECTED[key as keyof Config] ?? issue.message;
    problems.set(key, configProblem(key, env[key], expected));
  }
  // Keys that only make sense together, checked on the raw values so they are named in the same
  // message as every other bad key.
  for (const platform of ["TELEGRAM", "ZALO"] as const) webhookPairProblems(env, platform, problems);
  // One port, one listener: the two webhooks and the health port must differ.
  const ports = (["TELEGRAM_WEBHOOK_PORT", "ZALO_WEBHOOK_PORT", "HEALTH_PORT"] as const).filter((k) => env[k]?.trim());
  for (const [i, key] of ports.entries()) {
    const same = ports.slice(0, i).find((other) => env[other]!.trim() === env[key]!.trim());
    if (same && !problems.has(key)) problems.set(key, configProblem(key, env[key], `${EXPECTED[key]} — trùng cổng với ${same}`));
  }
  if (parsed.success && parsed.data.STORE === "postgres" && !parsed.data.DATABASE_URL) {
    problems.set("STORE", configProblem("STORE", env.STORE, `${EXPECTED.STORE} — STORE=postgres nhưng chưa đặt DATABASE_URL`));
  }
  if (problems.size === 0 && parsed.success) return parsed.data;
  const order = Object.keys(ConfigSchema.shape);
  const keys = [...problems.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  throw new ConfigError(
    keys.map((k) => problems.get(k)!),
    keys,
  );
}

/**
 * The webhook keys of one platform (TELEGRAM_ or ZALO_): URL and port both or neither, only
 * with the platform's token (else they would be ignored without a word), and an https URL
 * (plain http only for an emulator on this machine: both platforms post to HTTPS only).
 */
function webhookPairProblems(env: Record<string, string | undefined>, platform: "TELEGRAM" | "ZALO", problems: Map<string, string>): void {
  const urlKey = `${platform}_WEBHOOK_URL` as const;
  const portKey = `${platform}_WEBHOOK_PORT` as const;
  const name = platform === "TELEGRAM" ? "Telegram" : "Zalo";
  const hookUrl = env[urlKey]?.trim();
  const hookPort = env[portKey]?.trim();
  const tokenKey = `${platform}_BOT_TOKEN` as const;
  if ((hookUrl || hookPort) && !env[tokenKey]?.trim() && !problems.has(tokenKey))
    problems.set(tokenKey, configProblem(tokenKey, undefined, `${EXPECTED[tokenKey]} — cần khi đã đặt ${hookUrl ? urlKey : portKey}`));
  if (hookUrl && !hookPort && !problems.has(portKey))
    problems.set(portKey, configProblem(portKey, hookPort, `${EXPECTED[portKey]} — cần khi đã đặt ${urlKey}`));
  if (hookPort && !hookUrl && !problems.has(urlKey))
    problems.set(urlKey, configProblem(urlKey, hookUrl, `${EXPECTED[urlKey]} — cần khi đã đặt ${portKey}`));
  if (hookUrl && URL.canParse(hookUrl) && !problems.has(urlKey)) {
    const url = new URL(hookUrl);
    if (url.protocol !== "https:" && !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname))
      problems.set(
        urlKey,
        configProblem(urlKey, hookUrl, `${EXPECTED[urlKey]} — ${name} chỉ gửi tới https:// (http:// chỉ cho máy thử 127.0.0.1)`),
      );
  }
}

/** Load `.env` if present (the real environment wins) and parse `process.env`. */
export function loadConfig(): Config {
  if (existsSync(".env")) process.loadEnvFile(".env");
  return parseConfig(process.env);
}
