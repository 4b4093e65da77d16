/**
 * The HTTP server a chat adapter receives webhooks on (Telegram, Zalo), with `/healthz`.
 * Every request gets an answer and none can stop the process: other paths 404, other methods
 * 405, a request without the platform's secret header (compared in constant time) 401, a body
 * over `bodyLimit` 413 (by Content-Length, or while reading), a body that is not JSON, or that
 * `accept` does not take, 400. A taken update is answered 200 only once `receive` resolved —
 * for dondoc, once the update is in the durable inbox — so the platform delivers it again when
 * the process dies before.
 */
import http from "node:http";
import { timingSafeEqual } from "node:crypto";
import type { Logger } from "../logger.ts";

/** Does `given` equal `expected`, compared in constant time (a secret token)? */
export function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A webhook endpoint: where, the header and secret it must carry, and what to do with a body. */
export type WebhookEndpoint = {
  /** The URL path the platform posts to (the path of the public webhook URL). */
  path: string;
  /** The request header carrying the secret, lower case (Node lowercases header names). */
  secretHeader: string;
  secret: string;
  /** Largest body accepted, in bytes. */
  bodyLimit: number;
  /** The parsed JSON body as updates to receive, or a reason (answered 400). */
  accept(body: unknown): { updates: unknown[] } | { refuse: string };
  /** Keeps the updates (durably); the request is answered 200 once it resolves. */
  receive(updates: unknown[]): Promise<void>;
};

export type WebhookServerOptions = {
  port: number;
  host: string;
  log: Logger;
  /** The body of `GET /healthz` and its status (200, or 503 while the store refuses updates). */
  health(): { status: number; body: unknown };
  /** Absent: only `/healthz` is served (long polling with a health port). */
  webhook?: WebhookEndpoint;
  /** How the log names the platform ("telegram", "zalo"). */
  name?: string;
};

/** Starts the server (see the file comment); resolves once it listens. `close()` stops it. */
export async function startWebhookServer(options: WebhookServerOptions): Promise<{ close(): Promise<void> }> {
  const { log } = options;
  const server = http.createServer((req, res) => {
    onRequest(options, req, res).catch((error: unknown) => {
      log.error({ err: error }, "http: request failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.on("clientError", (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  return {
    close: async () => {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function onRequest(options: WebhookServerOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const answer = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
    const { status, body } = options.health();
    return answer(status, body);
  }
  const webhook = options.webhook;
  if (!webhook || url.pathname !== webhook.path) return answer(404, { ok: false });
  if (req.method !== "POST") return answer(405, { ok: false });
  if (!sameSecret(req.headers[webhook.secretHeader], webhook.secret)) {
    req.resume();
    options.log.warn(
      { from: req.socket.remoteAddress, platform: options.name },
      "webhook: refused a request without the right secret token",
    );
    return answer(401, { ok: false });
  }
  if (options.health().status === 503) {
    // The store refuses updates: keeping this one would fail, and handling it would lose it.
    // 503 makes the platform deliver it again later (Telegram retries a webhook that failed).
    req.resume();
    return answer(503, { ok: false, description: "store unavailable" });
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > webhook.bodyLimit) {
    req.resume();
    return answer(413, { ok: false });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > webhook.bodyLimit) {
      answer(413, { ok: false });
      req.destroy();
      return;
    }
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return answer(400, { ok: false, description: "not JSON" });
  }
  const taken = webhook.accept(body);
  if ("refuse" in taken) return answer(400, { ok: false, description: taken.refuse });
  await webhook.receive(taken.updates);
  answer(200, { ok: true });
}
