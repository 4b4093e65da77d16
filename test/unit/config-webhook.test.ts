/**
 * Webhook keys that only make sense together (found by a newcomer: a URL without a port was
 * accepted and the bot silently fell back to long polling), named in the same message as every
 * other bad key.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config.ts";
import { TEST_TOKEN as TOKEN } from "../support/env.ts";

function problems(env: Record<string, string>): { keys: string[]; message: string } {
  try {
    parseConfig({ LOG_LEVEL: "silent", TELEGRAM_BOT_TOKEN: TOKEN, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return { keys: error.keys, message: error.message };
    throw error;
  }
  return { keys: [], message: "" };
}

describe("webhook configuration", () => {
  it("a URL without a port, and a port without a URL, are refused", () => {
    expect(problems({ TELEGRAM_WEBHOOK_URL: "https://bot.example.vn/hook" }).keys).toEqual(["TELEGRAM_WEBHOOK_PORT"]);
    expect(problems({ TELEGRAM_WEBHOOK_PORT: "8443" }).keys).toEqual(["TELEGRAM_WEBHOOK_URL"]);
  });

  it("plain http is refused but for an emulator on this machine", () => {
    const http = problems({ TELEGRAM_WEBHOOK_URL: "http://bot.example.vn/hook", TELEGRAM_WEBHOOK_PORT: "8443" });
    expect(http.keys).toEqual(["TELEGRAM_WEBHOOK_URL"]);
    expect(http.message).toContain("Telegram chỉ gửi tới https://");
    expect(problems({ TELEGRAM_WEBHOOK_URL: "http://127.0.0.1:9000/hook", TELEGRAM_WEBHOOK_PORT: "9000" }).keys).toEqual([]);
    expect(problems({ TELEGRAM_WEBHOOK_URL: "https://bot.example.vn/hook", TELEGRAM_WEBHOOK_PORT: "8443" }).keys).toEqual([]);
  });

  it("webhook keys without the platform's token are refused (they would be ignored without a word)", () => {
    const none = problems({ TELEGRAM_BOT_TOKEN: "", TELEGRAM_WEBHOOK_URL: "https://bot.example.vn/hook", TELEGRAM_WEBHOOK_PORT: "8443" });
    expect(none.keys).toEqual(["TELEGRAM_BOT_TOKEN"]);
    expect(none.message).toContain("cần khi đã đặt TELEGRAM_WEBHOOK_URL");
    const zalo = problems({ ZALO_WEBHOOK_PORT: "8444" });
    expect(zalo.keys).toEqual(["ZALO_BOT_TOKEN", "ZALO_WEBHOOK_URL"]);
  });

  it("is named together with the other bad keys, in one message", () => {
    const both = problems({ TELEGRAM_WEBHOOK_URL: "https://bot.example.vn/hook", REMINDER_TIME: "25:00" });
    expect(both.keys).toEqual(["TELEGRAM_WEBHOOK_PORT", "REMINDER_TIME"]);
  });
});

describe("npm start with several bad keys, COORDINATOR_AGENCY among them (found by a newcomer: two rounds)", () => {
  it("names them all in one Vietnamese message and exits 1", async () => {
    const { spawnSync } = await import("node:child_process");
    const { tempDir } = await import("../support/env.ts");
    const { dir, cleanup } = await tempDir();
    try {
      const run = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: new URL("../..", import.meta.url).pathname,
        env: { ...process.env, DATA_DIR: dir, TELEGRAM_BOT_TOKEN: "", REMINDER_TIME: "25:00", COORDINATOR_AGENCY: "xyz" },
        encoding: "utf8",
        input: "",
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("Cấu hình không hợp lệ (2 khóa; xem .env.example):");
      expect(run.stderr).toContain("REMINDER_TIME = «25:00»");
      expect(run.stderr).toContain("COORDINATOR_AGENCY = «xyz»");
    } finally {
      await cleanup();
    }
  });
});
