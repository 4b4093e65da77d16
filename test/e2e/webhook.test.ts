/**
 * The webhook under misuse and attack (issue 13, items 1–3), against the real bot in webhook
 * mode with the fake Bot API: a forged update without Telegram's secret token header is
 * refused (401) and changes nothing; garbage, oversize bodies and wrong methods get a 4xx and
 * never stop the process; /healthz answers; the webhook answers before a slow handler
 * finishes (so Telegram's 60 s timeout can never be reached); the secret is generated,
 * kept in the data directory and given to setWebhook.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../support/fake-bot-api.ts";
import { TEST_TOKEN, dataOf, silentLog, tempDir, testConfig } from "../support/env.ts";
import { freePort } from "../support/net.ts";
import { startBot, type Running } from "../../src/boot/runtime.ts";
import { WEBHOOK_BODY_LIMIT, type TelegramAdapter } from "../../src/chat/telegram.ts";
import { agencyOfChat } from "../../src/domain/bindings.ts";
import { INBOX_FILE } from "../../src/store/inbox-file.ts";

const ADMIN = { id: 1001, is_bot: false, first_name: "Lan" };
const OUTSIDER_GROUP = { id: -6666, type: "group", title: "Nhóm lạ" };
const GROUP = { id: -2001, type: "group", title: "Sở Tư pháp" };

let nextUpdate = 1;
function command(from: object, chat: object, text: string) {
  const id = nextUpdate++;
  return {
    update_id: id,
    message: {
      message_id: id,
      date: 1616634000,
      from,
      chat,
      text,
      entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0].length }],
    },
  };
}

describe("webhook: secret token, garbage, oversize, slow handlers, /healthz", () => {
  let api: FakeBotApi;
  let running: Running;
  let cleanup: () => Promise<void>;
  let hook: string;
  let base: string;
  let secret: string;
  let dir: string;

  beforeAll(async () => {
    api = await new FakeBotApi().start();
    const temp = await tempDir("dondoc-webhook-");
    dir = temp.dir;
    cleanup = temp.cleanup;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    hook = `${base}/telegram/hook`;
    const config = testConfig({
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_WEBHOOK_URL: hook,
      TELEGRAM_WEBHOOK_PORT: String(port),
      DATA_DIR: dir,
      ADMIN_IDS: "1001",
    });
    running = await startBot({ config, log: silentLog, clock: () => new Date("2021-03-25T01:00:00Z"), throttle: false });
    secret = (await readFile(path.join(dir, "webhook-secret"), "utf8")).trim();
  });
  afterAll(async () => {
    await running?.stop();
    await api?.stop();
    await cleanup?.();
  });

  const post = (body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
    fetch(hook, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const withSecret = (s = secret) => ({ "x-telegram-bot-api-secret-token": s });

  it("generates a secret, keeps it (mode 0600) and gives it to setWebhook", async () => {
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect((await stat(path.join(dir, "webhook-secret"))).mode & 0o777).toBe(0o600);
    const call = api.calls.find((c) => c.method === "setWebhook");
    expect(call?.params.secret_token).toBe(secret);
    expect(call?.params.url).toBe(hook);
  });

  it("refuses a forged update (no secret, wrong secret) with 401, and it changes nothing", async () => {
    const before = dataOf(running.runtime.store);
    const forged = JSON.stringify(command(ADMIN, OUTSIDER_GROUP, "/dangky so-noi-vu"));
    expect((await post(forged)).status).toBe(401);
    expect((await post(forged, withSecret("wrong-secret-wrong-secret-wrong"))).status).toBe(401);
    expect((await post(forged, withSecret(`${secret}x`))).status).toBe(401);
    await running.chat.idle?.();
    expect(agencyOfChat(running.runtime.store.read(), "tg:-6666")).toBeNull();
    expect(dataOf(running.runtime.store)).toBe(before);
    expect(await readFile(path.join(dir, INBOX_FILE), "utf8")).toBe("");
  });

  it("answers garbage with a 4xx and goes on working", async () => {
    expect((await fetch(hook)).status).toBe(405);
    expect((await fetch(`${base}/other`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await post("", withSecret())).status).toBe(400);
    expect((await post("{not json", withSecret())).status).toBe(400);
    expect((await post("[1,2,3]", withSecret())).status).toBe(400);
    expect((await post('{"update_id":"1"}', withSecret())).status).toBe(400);
    expect((await post(new Uint8Array(5 * 1024 * 1024).fill(0x20), withSecret())).status).toBe(413);
    expect(WEBHOOK_BODY_LIMIT).toBeLessThan(5 * 1024 * 1024);
    expect(await readFile(path.join(dir, INBOX_FILE), "utf8")).toBe("");

    // Still alive and handling: the real admin binds a group.
    const ok = await post(JSON.stringify(command(ADMIN, GROUP, "/dangky so-tu-phap")), withSecret());
    expect(ok.status).toBe(200);
    await running.chat.idle?.();
    expect(agencyOfChat(running.runtime.store.read(), "tg:-2001")).toBe("so-tu-phap");
  });

  it("/healthz reports liveness and the inbox", async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, pending: 0 });
  });

  it("answers the webhook before a slow handler finishes, then handles it", async () => {
    // Hold every sendMessage until released: the handler's reply cannot finish.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    (running.chat as TelegramAdapter).bot.api.config.use(async (prev, method, payload, signal) => {
      if (method === "sendMessage") {
        held++;
        await gate;
      }
      return prev(method, payload, signal);
    });
    const sentBefore = api.sentTo(-2001).length;
    const response = await post(JSON.stringify(command(ADMIN, GROUP, "/giup")), withSecret());
    expect(response.status).toBe(200);
    // The 200 came back while the handler still waits on its reply.
    await api.until(() => held > 0);
    expect(api.sentTo(-2001).length).toBe(sentBefore);
    const health = (await (await fetch(`${base}/healthz`)).json()) as { handling: number };
    expect(health.handling).toBeGreaterThan(0);
    release();
    await running.chat.idle?.();
    expect(api.sentTo(-2001).length).toBeGreaterThan(sentBefore);
  });

  it("a re-delivered update (same update_id) is handled once", async () => {
    const update = JSON.stringify(command(ADMIN, GROUP, "/coquan"));
    const before = api.sentTo(-2001).length;
    expect((await post(update, withSecret())).status).toBe(200);
    await running.chat.idle?.();
    const once = api.sentTo(-2001).length;
    expect(once).toBeGreaterThan(before);
    expect((await post(update, withSecret())).status).toBe(200);
    await running.chat.idle?.();
    expect(api.sentTo(-2001).length).toBe(once);
  });

  // Last: it closes the store under the running bot.
  it("/healthz answers 503 with the reason once the store refuses updates", async () => {
    await running.runtime.store.close();
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ ok: false, store: "Kho dữ liệu đã đóng" });
  });
});
