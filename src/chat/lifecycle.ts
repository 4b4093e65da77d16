/**
 * The life of a chat adapter that receives updates (Telegram, Zalo), shared by both: connecting
 * (the bot's getMe, retried while the platform is unreachable), the updates a crash left in
 * the durable inbox (only this platform's, by their key prefix), receiving (into the inbox,
 * then the per-chat queue of chat-queue.ts), the long-polling loop with its back-off, the
 * HTTP server (webhook-server.ts) with `/healthz`, and stopping. What differs between the
 * platforms — the API calls, how an update is keyed and handled, which errors are fatal — is
 * given by the adapter.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "../logger.ts";
import { ChatQueue } from "./chat-queue.ts";
import type { InboxItem, UpdateInbox } from "./types.ts";
import { startWebhookServer, type WebhookEndpoint } from "./webhook-server.ts";

/** Network errors raised before a request could be written: it surely did not arrive. */

/** How often a running instance looks for updates a dead instance left (src/store/inbox-pg.ts leases). */
const TAKE_OVER_EVERY_MS = 60_000;
export const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
]);

/**
 * Resolves after `ms`, or at once when `signal` is (or gets) aborted. Node's own
 * `timers/promises` timer: it takes its listener off `signal` when the time is up, so an
 * adapter's long-lived stop signal does not gather one per back-off (ours did: 11 after a 429
 * storm, found by Node's MaxListeners warning).
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch((error: unknown) => {
    if ((error as Error)?.name !== "AbortError") throw error;
  });
}

/** What both adapters are configured with (each adds its own). */
export type AdapterOptions = {
  token: string;
  apiRoot: string;
  log: Logger;
  /** Where received updates wait until handled (durable); needed to `start` (not to only send). */
  inbox?: UpdateInbox;
  /**
   * Webhook mode: the public URL the platform posts to, the local port to listen on (dondoc
   * listens on `host`, 127.0.0.1 by default), and the secret the platform sends in its header.
   */
  webhook?: { url: string; port: number; secret: string; host?: string };
  /** Long polling: a local port serving only `/healthz` (webhook mode serves it on the webhook port). */
  healthPort?: number;
  /** Why the store refuses updates now, or null (for /healthz: 503 while it says something). */
  storeProblem?: () => string | null;
  /** Retry budget for 429/5xx and for network failures that are safe to retry. */
  maxRetries?: number;
  /** Seconds before an API request with no answer is abandoned. */
  timeoutSeconds?: number;
  /** Updates handled at once, across chats (one at a time within a chat). */
  concurrency?: number;
};

export type LifecycleOptions = {
  /** How the log and `/healthz` name the platform. */
  name: "telegram" | "zalo";
  /** The prefix of the platform's chat ids and inbox keys (`tg:`, `zl:`). */
  prefix: string;
  log: Logger;
  /** Where received updates wait until handled (durable); needed to receive. */
  inbox?: UpdateInbox;
  /** Why the store refuses updates now, or null (for /healthz: 503 while it says something). */
  storeProblem?: () => string | null;
  /** For /healthz: how updates arrive. */
  mode: "webhook" | "polling";
};

/** One adapter's receiving side (see the file comment); the adapter holds one and calls it. */
export class ChatLifecycle {
  private server: { close(): Promise<void> } | null = null;
  private polling: Promise<void> | null = null;
  private takeOverTimer: NodeJS.Timeout | null = null;
  private queue: ChatQueue | null = null;
  private readonly stopController = new AbortController();
  /** The platform answered getMe (for /healthz). */
  private ready = false;
  /** When the last poll succeeded (ISO), for /healthz. */
  private lastPollAt: string | null = null;

  constructor(private readonly options: LifecycleOptions) {}

  /** The lifecycle of an adapter configured with `options`. */
  static of(name: LifecycleOptions["name"], prefix: string, options: AdapterOptions): ChatLifecycle {
    const { log, inbox, storeProblem } = options;
    return new ChatLifecycle({ name, prefix, log, inbox, storeProblem, mode: options.webhook ? "webhook" : "polling" });
  }

  /** `stop()` was called. */
  get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  /** Aborted by `stop()`: for the waits of retries. */
  get signal(): AbortSignal {
    return this.stopController.signal;
  }

  /** The inbox, which receiving needs (an adapter built only to send has none). */
  get inbox(): UpdateInbox {
    if (!this.options.inbox) throw new Error(`${this.options.name}: receiving updates needs an inbox`);
    return this.options.inbox;
  }

  /** Handle the inbox's entries with `handle` (in order per chat, `concurrency` at once); `tellApplied` for one applied before a crash. */
  handleWith(handle: (entry: InboxItem) => Promise<void>, tellApplied: (entry: InboxItem) => Promise<void>, concurrency: number): void {
    this.queue = new ChatQueue({ inbox: this.inbox, log: this.options.log, name: this.options.name, concurrency, handle, tellApplied });
  }

  /**
   * `getMe` until it answers, waiting 2, 4 … 60 s between attempts and logging each failure
   * (`describe` gives the log fields); an error `fatal` turns into an Error (a wrong token) is
   * thrown. Resolves with the answer, or undefined when stopped meanwhile.
   */
  async connect<T>(
    getMe: () => Promise<T>,
    fatal: (error: unknown) => Error | null,
    describe: (error: unknown, attempt: number) => Record<string, unknown>,
  ): Promise<T | undefined> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        const me = await getMe();
        this.ready = true;
        return me;
      } catch (error) {
        const stop = fatal(error);
        if (stop) throw stop;
        const wait = Math.min(60_000, 1000 * 2 ** Math.min(attempt, 6));
        this.options.log.warn(
          { attempt, retryInSeconds: wait / 1000, ...describe(error, attempt) },
          `${this.options.name}: cannot reach the Bot API (getMe); retrying`,
        );
        await sleep(wait, this.signal);
      }
    }
    return undefined;
  }

  /**
   * The platform's entries a crash left in the inbox, handled first (in order per chat);
   * another platform's stay for its adapter. Where several instances share the inbox
   * (PostgreSQL), also those a dead instance left past their lease — now, and every minute
   * while running (`UpdateInbox.takeOver`).
   */
  async resume(): Promise<void> {
    const { prefix, name, log } = this.options;
    const left = this.inbox.pending().filter((entry) => entry.key.startsWith(prefix));
    const taken = (await this.inbox.takeOver?.(prefix, true)) ?? [];
    if (left.length + taken.length) log.warn({ updates: left.length + taken.length }, `${name}: handling updates left by the last run`);
    for (const entry of [...left, ...taken]) this.queue!.schedule(entry);
    if (!this.inbox.takeOver) return;
    this.takeOverTimer = setInterval(() => {
      this.inbox.takeOver!(prefix).then(
        (more) => {
          if (more.length) log.warn({ updates: more.length }, `${name}: taking over updates another instance left unhandled`);
          for (const entry of more) this.queue!.schedule(entry);
        },
        (error: unknown) => log.warn({ err: error }, `${name}: could not look for updates other instances left`),
      );
    }, TAKE_OVER_EVERY_MS);
    this.takeOverTimer.unref();
  }

  /**
   * Keep the updates in the inbox (a key seen before is dropped) and queue the new ones;
   * resolves once they are durable (then the platform may be told). They are queued as soon as
   * they are written, while the inbox file is being fsynced: handling may save a change before
   * the inbox line is on disk, which is safe — until this resolves the platform has not been
   * told, so a crash makes it send the update again, and the change's "applied" mark (saved
   * with it) keeps it from being applied twice.
   */
  async receive(items: { key: string; chat: string; payload: unknown }[]): Promise<void> {
    const queued = new Set<string>();
    const queue = (entries: InboxItem[]) => {
      for (const entry of entries) {
        if (queued.has(entry.key)) continue;
        queued.add(entry.key);
        this.queue!.schedule(entry);
      }
    };
    queue(await this.inbox.accept(items, queue));
  }

  /**
   * Long polling: `once` (one poll, its updates received) again and again until stopped; after
   * a failure (`onError` logs it) wait 2, 4 … 30 s.
   */
  poll(once: (signal: AbortSignal) => Promise<void>, onError: (error: unknown, failures: number) => void): void {
    const signal = this.signal;
    const loop = async () => {
      let failures = 0;
      while (!signal.aborted) {
        if (this.health().status === 503) {
          // The store refuses updates: do not take updates that could not be kept (Telegram
          // keeps them until confirmed; Zalo has no confirmation, so any taken now would be lost).
          await sleep(5000, signal);
          continue;
        }
        try {
          await once(signal);
          failures = 0;
          this.lastPollAt = new Date().toISOString();
        } catch (error) {
          if (signal.aborted) break;
          failures++;
          onError(error, failures);
          await sleep(Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)), signal);
        }
      }
    };
    this.polling = loop();
  }

  /** Our own HTTP server (webhook-server.ts): `/healthz` always, the webhook too when given. */
  async serve(port: number, host: string, webhook?: WebhookEndpoint): Promise<void> {
    this.server = await startWebhookServer({
      port,
      host,
      log: this.options.log,
      name: this.options.name,
      health: () => this.health(),
      webhook,
    });
  }

  /**
   * `/healthz`: 200 with the mode, the platform ("connecting" until getMe answered), updates of
   * this platform waiting in the inbox and being handled, and the last successful poll; 503
   * while the store refuses updates (closed, or a write that failed), with its reason.
   */
  health(): { status: number; body: unknown } {
    const problem = this.options.storeProblem?.() ?? null;
    const body = {
      ok: problem === null,
      mode: this.options.mode,
      [this.options.name]: this.ready ? "ready" : "connecting",
      store: problem ?? "ok",
      pending: this.inbox.pending().filter((entry) => entry.key.startsWith(this.options.prefix)).length,
      handling: this.queue?.size ?? 0,
      lastPollAt: this.lastPollAt,
    };
    return { status: problem === null ? 200 : 503, body };
  }

  /** Stop polling and serving, then wait for the updates being handled. */
  async stop(): Promise<void> {
    this.stopController.abort();
    if (this.takeOverTimer) clearInterval(this.takeOverTimer);
    if (this.polling) {
      await this.polling;
      this.polling = null;
    }
    if (this.server) {
      const server = this.server;
      this.server = null;
      await server.close();
    }
    await this.idle();
  }

  /** Resolves once every update received so far has been handled. */
  async idle(): Promise<void> {
    await this.queue?.idle();
  }
}
