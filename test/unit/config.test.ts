import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config.ts";
import { redactTokens } from "../../src/logger.ts";

describe("config", () => {
  it("has working defaults with an empty environment (local mode)", () => {
    const config = parseConfig({});
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(config.TELEGRAM_API_ROOT).toBe("https://api.telegram.org");
    expect(config.DATA_DIR).toBe("./data");
    expect(config.ADMIN_IDS).toEqual([]);
    expect(config.REMINDER_TIME).toBe("08:00");
    expect(config.LOG_LEVEL).toBe("info");
    expect(config.COORDINATOR_AGENCY).toBe("so-noi-vu");
  });

  it("parses admin ids and treats empty values as unset", () => {
    const config = parseConfig({ ADMIN_IDS: " 123, 456 ,", TELEGRAM_BOT_TOKEN: "", REMINDER_TIME: "" });
    expect(config.ADMIN_IDS).toEqual(["123", "456"]);
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(config.REMINDER_TIME).toBe("08:00");
  });

  it("names every bad key in one message", () => {
    let error: unknown;
    try {
      parseConfig({
        REMINDER_TIME: "25:00",
        LOG_LEVEL: "loud",
        ADMIN_IDS: "abc",
        TELEGRAM_API_ROOT: "not a url",
        TELEGRAM_BOT_TOKEN: "oops",
        REMINDER_NOTICE_DAYS: "7,x",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const key of ["REMINDER_TIME", "LOG_LEVEL", "ADMIN_IDS", "TELEGRAM_API_ROOT", "TELEGRAM_BOT_TOKEN", "REMINDER_NOTICE_DAYS"]) {
      expect(message).toContain(key);
    }
    expect(message).toContain("HH:MM");
  });

  it("checks the digest schedule when loading", () => {
    expect(() => parseConfig({ DIGEST_WEEKLY: "someday 25:00" })).toThrow(/DIGEST_WEEKLY/);
    expect(() => parseConfig({ DIGEST_QUARTER: "x" })).toThrow(/DIGEST_QUARTER/);
    expect(parseConfig({ DIGEST_WEEKLY: "off", DIGEST_QUARTER: "3 16:00" }).DIGEST_QUARTER).toBe("3 16:00");
  });

  it("never lets a token into a log line", () => {
    const token = "123456789:AAHtestTOKENtestTOKENtestTOKEN_abc";
    expect(redactTokens(`GET https://api.telegram.org/bot${token}/getMe failed`)).toBe(
      "GET https://api.telegram.org/bot<token>/getMe failed",
    );
  });

  it("masks every token the configuration accepts, the shortest too (a newcomer's test token leaked)", () => {
    const short = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    expect(() => parseConfig({ TELEGRAM_BOT_TOKEN: short })).not.toThrow();
    expect(redactTokens(`request to http://127.0.0.1:9/bot${short}/getMe failed`)).toBe(
      "request to http://127.0.0.1:9/bot<token>/getMe failed",
    );
    expect(redactTokens("họp lúc 08:30, hạn 31/03/2021")).toBe("họp lúc 08:30, hạn 31/03/2021");
  });
});
