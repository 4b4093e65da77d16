/**
 * What the tests' fake chat platforms (./fake-bot-api.ts, ./fake-zalo-api.ts) share: an HTTP
 * server on 127.0.0.1 at a free port, and the long polls waiting on it, woken at stop.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export abstract class LocalHttpServer {
  port = 0;
  private server!: http.Server;
  /** Long polls waiting for an update: each wakes its poll (when one comes, and at stop). */
  protected waiters: (() => void)[] = [];

  /** The root URL of the fake API (the adapter's TELEGRAM_API_ROOT / ZALO_API_ROOT). */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const wake of this.waiters) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answers one request. */
  protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
}
