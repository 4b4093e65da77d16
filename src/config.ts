/**
 * Configuration, parsed once from the environment (and `.env` if present) with zod.
 * Invalid configuration is reported key by key; the process exits with code 1.
 */
import { existsSync } from "node:fs";
import { z } from "zod";
import { digestSettings } from "./digest/settings.ts";

export const TIMEZONE = "Asia/Ho_Chi_Minh";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, "phải có dạng HH:MM, ví dụ 08:00");

const idList = z
  .string()
  .default("")
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^-?\d+$/, "mỗi id phải là một số (id người dùng Telegram)")));

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const ConfigSchema = z
  .object({
    TELEGRAM_BOT_TOKEN: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^\d+:[\w-]{20,}$/, "không đúng dạng token của BotFather (123456:ABC…)")
        .optional(),
    ),
    TELEGRAM_API_ROOT: z.preprocess(emptyAsUndefined, z.url().default("https://api.telegram.org")),
    /** Run the Telegram adapter in webhook mode on this port instead of long polling (tests, emulators). */
    TELEGRAM_WEBHOOK_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
    TELEGRAM_WEBHOOK_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).optional()),
    /**
     * The secret Telegram sends with each webhook request (X-Telegram-Bot-Api-Secret-Token);
     * when unset, one is generated and kept in DATA_DIR/webhook-secret.
     */
    TELEGRAM_WEBHOOK_SECRET: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{16,256}$/, "16–256 ký tự, chỉ gồm chữ cái Latinh, số, _ và - (quy định của Telegram)")
        .optional(),
    ),
    DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./data")),
    ADMIN_IDS: idList,
    /** Managers who may ask for /tongket in a private chat. */
    MANAGER_IDS: idList,
    /** Agency id of the coordinating agency (digests, escalations, extension requests). */
    COORDINATOR_AGENCY: z.preprocess(emptyAsUndefined, z.string().default("so-noi-vu")),
    REMINDER_TIME: z.preprocess(emptyAsUndefined, hhmm.default("08:00")),
    /** Working days before a due when notices go out, largest first. */
    REMINDER_NOTICE_DAYS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .default("7,3,1")
        .transform((s) => s.split(",").map((x) => Number(x.trim())))
        .pipe(z.array(z.number().int().min(1).max(60, "tối đa 60 ngày")).min(1)),
    ),
    /** Overdue reminders every N working days after the first. */
    REMINDER_OVERDUE_EVERY: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).default(3)),
    /** Escalate to the coordinator after N working days late, then every M. */
    REMINDER_ESCALATE_AFTER: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).default(5)),
    REMINDER_ESCALATE_EVERY: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).default(5)),
    /** Continuous tasks: check-in this many working days before the quarter ends. */
    REMINDER_CHECKIN_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).default(10)),
    /** Groups sent to at once during a reminder run (parts to one group stay in order). */
    REMINDER_CONCURRENCY: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(32).default(8)),
    DIGEST_WEEKLY: z.preprocess(emptyAsUndefined, z.string().default("MON 08:30")),
    /** Quarter digest: working days before the quarter ends, and the time (or `off`). */
    DIGEST_QUARTER: z.preprocess(emptyAsUndefined, z.string().default("5 08:30")),
    LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
  })
  .superRefine((config, ctx) => {
    try {
      digestSettings(config);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.addIssue({ code: "custom", path: [message.startsWith("DIGEST_QUARTER") ? "DIGEST_QUARTER" : "DIGEST_WEEKLY"], message });
    }
  });
export type Config = z.infer<typeof ConfigSchema>;

/** A configuration value is wrong: its message says which variable and why, in Vietnamese. */
export class ConfigError extends Error {}

/** Parse a config from an environment-like object. Throws ConfigError naming each bad key. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
  throw new ConfigError(`Cấu hình không hợp lệ (xem .env.example):\n${lines.join("\n")}`);
}

/** Load `.env` if present (the real environment wins) and parse `process.env`. */
export function loadConfig(): Config {
  if (existsSync(".env")) process.loadEnvFile(".env");
  return parseConfig(process.env);
}
