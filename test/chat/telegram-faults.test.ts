/**
 * What the Telegram adapter does when the Bot API misbehaves (issue 13, items 5, 7, 9):
 * a connection dropped after the request was written is never retried (no duplicate — the
 * send is reported `uncertain`); a request that never answers is abandoned after the
 * timeout (also `uncertain`); a refused connection (nothing was sent) is retried; a group
 * upgraded to a supergroup is reported with its new id. A raw HTTP server on 127.0.0.1
 * plays the Bot API, counting every request it receives.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { TelegramAdapter } from "../../src/chat/telegram.ts";
import { SendError } from "../../src/chat/types.ts";
import { TEST_TOKEN, silentLog } from "../support/env.ts";
import { freePort } from "../support/net.ts";

type Behaviour = "drop" | "hang" | "ok" | "migrated" | "unauthorized";

class RawApi {
  readonly received: string[] = [];
  private server!: http.Server;
  private readonly sockets = new Set<import("node:net").Socket>();
  port = 0;
  constructor(private behaviour: (method: string, n: number) => Behaviour) {}

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      const method = (req.url ?? "").split("/").pop() ?? "";
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.received.push(method);
        const what = this.behaviour(method, this.received.filter((m) => m === method).length);
        if (what === "drop") return req.socket.destroy();
        if (what === "hang") return;
        if (what === "unauthorized")
          return res
            .writeHead(401, { "content-type": "application/json" })
            .end(JSON.stringify({ ok: false, error_code: 401, description: "Unauthorized" }));
        if (what === "migrated")
          return res.writeHead(400, { "content-type": "application/json" }).end(
            JSON.stringify({
              ok: false,
              error_code: 400,
              description: "Bad Request: group chat was upgraded to a supergroup chat",
              parameters: { migrate_to_chat_id: -1009876 },
            }),
          );
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ ok: true, result: { message_id: this.received.length, date: 1, chat: { id: -1, type: "group" } } }));
      });
    });
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(port, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get root(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let api: RawApi | null = null;
afterEach(async () => {
  await api?.stop();
  api = null;
});

const adapter = (root: string, options: { timeoutSeconds?: number; maxRetries?: number } = {}) =>
  new TelegramAdapter({ token: TEST_TOKEN, apiRoot: root, log: silentLog, throttle: false, ...options });

async function sendError(work: Promise<unknown>): Promise<SendError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SendError);
  return error as SendError;
}

describe("Telegram adapter under a failing Bot API", () => {
  it("never resends a message whose connection dropped after it was written: 20 drops, 0 duplicates", async () => {
    api = await new RawApi(() => "drop").start();
    const chat = adapter(api.root);
    for (let i = 0; i < 20; i++) {
      const error = await sendError(chat.send("tg:-1", { text: `nhắc việc ${i}` }));
      expect(error.uncertain).toBe(true);
      expect(error.permanent).toBe(false);
    }
    expect(api.received.filter((m) => m === "sendMessage")).toHaveLength(20);
  });

  it("gives up on a request that never answers after the timeout, as uncertain", async () => {
    api = await new RawApi(() => "hang").start();
    const chat = adapter(api.root, { timeoutSeconds: 1 });
    const error = await sendError(chat.send("tg:-1", { text: "xin chào" }));
    expect(error.uncertain).toBe(true);
    expect(api.received).toEqual(["sendMessage"]);
  });

  it("retries a send whose connection was refused (it surely did not arrive), within a budget", async () => {
    const port = await freePort(); // nothing listens there: connection refused
    const chat = adapter(`http://127.0.0.1:${port}`, { maxRetries: 2 });
    let attempts = 0;
    const error = await sendError(chat.send("tg:-1", { text: "xin chào" }, { onWire: async () => void attempts++ }));
    expect(error.uncertain).toBe(false);
    expect(attempts).toBe(3); // the first attempt and two retries
  });

  it("delivers once the API comes back after refused connections", async () => {
    const port = await freePort();
    const chat = adapter(`http://127.0.0.1:${port}`, { maxRetries: 5 });
    const sending = chat.send("tg:-1", { text: "xin chào" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    api = await new RawApi(() => "ok").start(port);
    await expect(sending).resolves.toBeTruthy();
    expect(api.received).toEqual(["sendMessage"]);
  });

  it("reports a group upgraded to a supergroup with its new id", async () => {
    api = await new RawApi(() => "migrated").start();
    const error = await sendError(adapter(api.root).send("tg:-1", { text: "xin chào" }));
    expect(error.movedTo).toBe("tg:-1009876");
    expect(error.permanent).toBe(false);
  });

  it("calls onWire once per HTTP attempt, right before it leaves", async () => {
    api = await new RawApi(() => "ok").start();
    const chat = adapter(api.root);
    const seen: number[] = [];
    await chat.send("tg:-1", { text: "a".repeat(5000) }, { onWire: async () => void seen.push(api!.received.length) });
    // Two parts (4096 + rest): the hook ran before each request reached the server.
    expect(seen).toEqual([0, 1]);
  });

  it("a wrong token stops the start with a Vietnamese message (no endless retry, no English)", async () => {
    api = await new RawApi(() => "unauthorized").start();
    const inbox = {
      pending: () => [],
      accept: async () => [],
      handling: <T>(_k: string, w: () => Promise<T>) => w(),
      done: async () => {},
    };
    const chat = new TelegramAdapter({ token: TEST_TOKEN, apiRoot: api.root, log: silentLog, throttle: false, inbox });
    const handlers = { onCommand: async () => {}, onButton: async () => {}, onMessage: async () => {}, onChatMoved: async () => {} };
    await expect(chat.start(handlers, [])).rejects.toThrow("Telegram từ chối TELEGRAM_BOT_TOKEN (401 Unauthorized)");
    expect(api.received).toEqual(["getMe"]);
  });
});
