/**
 * The Zalo pieces without a server: every button has a typed form that reads back as the
 * command owning the button (or is listed as having none, with why); the update shapes the
 * notes describe; mentions; the configuration keys.
 */
import { describe, expect, it } from "vitest";
import { BUTTONS } from "../../src/bot/buttons.ts";
import { loadCommands } from "../../src/bot/registry.ts";
import { typedFooter, typedForm, UNTYPED_CODES } from "../../src/bot/typed.ts";
import { ZaloAdapter } from "../../src/chat/zalo.ts";
import { zaloMentionCandidates, zaloUpdateKey, zaloUpdates } from "../../src/chat/zalo-platform.ts";
import { type ConfigError, parseConfig } from "../../src/config.ts";
import { silentLog, TEST_TOKEN } from "../support/env.ts";

/** A sample payload per code, as the commands build them. */
const SAMPLES: Record<string, string> = {
  [BUTTONS.done]: "A12@so-tu-phap:20210331",
  [BUTTONS.progressMenu]: "A12@so-tu-phap",
  [BUTTONS.progressSet]: "A12@so-tu-phap:75",
  [BUTTONS.blocker]: "A12@so-tu-phap",
  [BUTTONS.conditionDate]: "A12@so-tu-phap",
  [BUTTONS.extensionApprove]: "3",
  [BUTTONS.extensionReject]: "3",
  [BUTTONS.bindingApprove]: "4",
  [BUTTONS.bindingReject]: "4",
  [BUTTONS.digestDetail]: "q2/2021",
  [BUTTONS.digestChart]: "q2/2021",
  [BUTTONS.digestReport]: "q2/2021",
};

/** Buttons whose typed form is another command than the one owning the button (same use case). */
const DECIDERS: Record<string, string> = {
  [BUTTONS.extensionApprove]: "duyet",
  [BUTTONS.extensionReject]: "tuchoi",
  [BUTTONS.bindingApprove]: "duyetnhom",
  [BUTTONS.bindingReject]: "tuchoinhom",
};

/** What a user types for the placeholders of a typed form. */
const fill = (text: string) =>
  text.replace("<số>", "50").replace("<nội dung>", "chờ ý kiến").replace("<dd/mm/yyyy>", "30/06/2021").replace("<lý do>", "không lùi hạn");

describe("typed forms of buttons (Zalo has none)", () => {
  it("every button code has a typed form that reads back as its own command, except the plan-loading ones", async () => {
    const registry = await loadCommands();
    const adapter = new ZaloAdapter({
      token: "1:abc",
      apiRoot: "http://127.0.0.1:1",
      log: silentLog,
      commands: registry.list().map((c) => c.name),
    });
    const codes = Object.values(BUTTONS);
    const untyped = codes.filter((code) => typedForm(`${code}:${SAMPLES[code] ?? "x"}`) === null);
    expect(untyped.sort()).toEqual([...UNTYPED_CODES].sort());
    for (const code of codes.filter((c) => !UNTYPED_CODES.has(c))) {
      const form = typedForm(`${code}:${SAMPLES[code]}`)!;
      const read = adapter.readCommand(fill(form.text));
      // A decision's buttons belong to the command that asked; its typed form is the command that decides.
      const expected = DECIDERS[code] ?? registry.button(code)!.command.name;
      expect(read?.command, `${code} → ${form.text}`).toBe(expected);
      expect(registry.get(expected), expected).toBeDefined();
    }
    expect(adapter.readCommand("A12 60%")).toEqual({ command: "tiendo", args: "A12 60" });
    expect(adapter.readCommand("@dondoc /tiendo A12 60")).toEqual({ command: "tiendo", args: "A12 60" });
    expect(adapter.readCommand("/XONG@dondoc A12")).toEqual({ command: "xong", args: "A12" });
    expect(adapter.readCommand("cảm ơn bot")).toBeNull();
    expect(adapter.readCommand("@dondoc cảm ơn")).toBeNull();
  });

  it("a footer lists one line per row, files left out where they cannot be sent", () => {
    const footer = typedFooter(
      [
        [{ text: "📋", data: "tkct:q2/2021" }],
        [
          { text: "📊", data: "tkbd:q2/2021" },
          { text: "📥", data: "tkxl:q2/2021" },
        ],
        [{ text: "✖️ Hủy", data: "napno:1" }],
      ],
      { files: false },
    );
    expect(footer.split("\n").slice(1)).toEqual(["• tongket q2/2021 chitiet"]);
    expect(typedFooter([[{ text: "✖️ Hủy", data: "napno:1" }]], { files: false })).toBe("");
  });
});

describe("Zalo updates, as the notes describe them", () => {
  const update = { event_name: "message.text.received", message: { message_id: "m1", text: "hi", from: { id: "u1" }, chat: { id: "g1" } } };

  it("accepts an update bare or wrapped, one or an array; refuses what holds none", () => {
    expect(zaloUpdates(update)).toHaveLength(1);
    expect(zaloUpdates({ ok: true, result: update })).toHaveLength(1);
    expect(zaloUpdates({ ok: true, result: [update, { ...update, message: { ...update.message, message_id: 2 } }] })).toHaveLength(2);
    expect(zaloUpdates([update])).toHaveLength(1);
    expect(zaloUpdates({ ok: true, result: [] })).toEqual([]);
    expect(zaloUpdates({ hello: 1 })).toBeNull();
    expect(zaloUpdates(null)).toBeNull();
    expect(zaloUpdates("text")).toBeNull();
  });

  it("keys a delivery by event name and message id (a repeat is the same key)", () => {
    const [a] = zaloUpdates(update)!;
    const [b] = zaloUpdates({ ok: true, result: update })!;
    expect(zaloUpdateKey(a)).toBe("zl:message.text.received:m1");
    expect(zaloUpdateKey(b)).toBe(zaloUpdateKey(a));
  });

  it("reads what follows a mention, by the bot's name or by position", () => {
    expect(zaloMentionCandidates("@dondoc /tiendo A1 5", ["dondoc"])[0]).toBe("/tiendo A1 5");
    expect(zaloMentionCandidates("@Đôn Đốc xong A1", [])).toContain("xong A1");
    expect(zaloMentionCandidates("xong A1", ["dondoc"])).toEqual(["xong A1"]);
  });

  it("never reads a command from chatter after a mention: only the mention is skipped, not the words people say", () => {
    const adapter = new ZaloAdapter({ token: "1:abc", apiRoot: "http://127.0.0.1:1", log: silentLog, commands: ["xong", "tiendo"] });
    // The bot's name is known (getMe): what follows it is the whole message.
    expect(zaloMentionCandidates("@dondoc nhắc anh Bình xong A5 trước thứ Sáu", ["dondoc"])).toEqual([
      "nhắc anh Bình xong A5 trước thứ Sáu",
    ]);
    expect(zaloMentionCandidates("@dondoc Bình xong A5 chưa?", ["dondoc"])).toEqual(["Bình xong A5 chưa?"]);
    // Unknown name: only words that look like a name (capitalised) are skipped.
    for (const chatter of ["@dondoc nhắc anh Bình xong A5 trước thứ Sáu", "@dondoc cho hỏi A5 60% là đúng chưa", "@Lan ơi tiendo A5 60"])
      expect(adapter.readCommand(chatter), chatter).toBeNull();
    expect(adapter.readCommand("@Đôn Đốc CCHC xong A5")).toEqual({ command: "xong", args: "A5" });
    expect(adapter.readCommand("@Đôn Đốc CCHC /tiendo A5 60")).toEqual({ command: "tiendo", args: "A5 60" });
  });
});

describe("Zalo configuration", () => {
  it("takes the Zalo keys, alone or beside Telegram's", () => {
    const config = parseConfig({ ZALO_BOT_TOKEN: "12345689:abc-xyz", TELEGRAM_BOT_TOKEN: "123456789:AAHtestTOKENtestTOKENtestTOKEN_abc" });
    expect(config.ZALO_BOT_TOKEN).toBe("12345689:abc-xyz");
    expect(config.ZALO_API_ROOT).toBe("https://bot-api.zaloplatforms.com");
  });

  it("names every bad Zalo key in one Vietnamese message, never repeating a secret", () => {
    let error: ConfigError | null = null;
    try {
      parseConfig({
        ZALO_BOT_TOKEN: "not a token",
        ZALO_WEBHOOK_URL: "http://bot.example.vn/zalo",
        ZALO_WEBHOOK_SECRET: "short",
        TELEGRAM_BOT_TOKEN: TEST_TOKEN,
        TELEGRAM_WEBHOOK_URL: "https://bot.example.vn/tg",
        TELEGRAM_WEBHOOK_PORT: "8443",
        ZALO_WEBHOOK_PORT: "8443",
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.keys).toEqual(["ZALO_BOT_TOKEN", "ZALO_WEBHOOK_URL", "ZALO_WEBHOOK_PORT", "ZALO_WEBHOOK_SECRET"]);
    expect(error?.message).toContain("Zalo chỉ gửi tới https://");
    expect(error?.message).toContain("trùng cổng với TELEGRAM_WEBHOOK_PORT");
    expect(error?.message).not.toContain("not a token");
    expect(error?.message).not.toContain("short");
  });
});
