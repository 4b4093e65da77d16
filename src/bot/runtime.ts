/**
 * What a running bot shares between its router and its jobs, built once at start
 * (boot/runtime.ts): the configuration, the store, the calendar, the log, the clock, the
 * agency directory (reference agencies plus those admins added) and the outbox.
 */
import type { Config } from "../config.ts";
import { createDirectory, type Directory } from "../core/agencies.ts";
import type { WorkCalendar } from "../core/calendar.ts";
import type { Agency } from "../core/schemas.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/types.ts";
import type { UpdateInbox } from "../chat/types.ts";
import { Outbox } from "./outbox.ts";

export type RuntimeOptions = {
  config: Config;
  store: Store;
  /** Reference agencies from data/agencies.json. */
  agencies: Agency[];
  calendar: WorkCalendar;
  log: Logger;
  /** The clock; tests and local mode move it. */
  clock?: () => Date;
  /** The durable inbox of chat updates (its `store` is the one to pass as `store`). */
  inbox?: UpdateInbox;
};

/** The shared pieces of a running bot (see the file comment). */
export class Runtime {
  readonly config: Config;
  readonly store: Store;
  readonly calendar: WorkCalendar;
  readonly log: Logger;
  readonly outbox: Outbox;
  readonly inbox: UpdateInbox | undefined;
  private readonly agencies: Agency[];
  private clock: () => Date;
  private cache: { extra: unknown; aliases: unknown; directory: Directory } | null = null;

  constructor(options: RuntimeOptions) {
    this.config = options.config;
    this.store = options.store;
    this.calendar = options.calendar;
    this.log = options.log;
    this.agencies = options.agencies;
    this.clock = options.clock ?? (() => new Date());
    this.inbox = options.inbox;
    this.outbox = new Outbox(options.store, options.config.COORDINATOR_AGENCY, options.log, () => this.now());
  }

  now(): Date {
    return this.clock();
  }

  /** Move the clock (local mode's `:homnay`). */
  setClock(clock: () => Date): void {
    this.clock = clock;
  }

  /** The directory as of the store's current state (rebuilt only when admins changed agencies or aliases). */
  directory(): Directory {
    const data = this.store.read();
    const cached = this.cache;
    if (cached && cached.extra === data.extraAgencies && cached.aliases === data.extraAliases) return cached.directory;
    const directory = createDirectory([...this.agencies, ...data.extraAgencies], data.extraAliases);
    this.cache = { extra: data.extraAgencies, aliases: data.extraAliases, directory };
    return directory;
  }

  /** The use cases' dependencies as of now. */
  deps(): { store: Store; directory: Directory; now: Date } {
    return { store: this.store, directory: this.directory(), now: this.now() };
  }
}
