import { z } from "zod";
import type { SendLogArchive } from "./sendlog-archive.ts";
import {
  Agency,
  Assignment,
  ChatBinding,
  ExtensionRequest,
  PendingBinding,
  Plan,
  RunLogEntry,
  SendLogEntry,
  Task,
  type Event,
  type EventInput,
} from "../core/schemas.ts";

export const STORE_VERSION = 1;

/** An update whose change was saved (src/bot/inbox.ts): its key, when; kept a day. */
export const AppliedUpdate = z.object({ key: z.string().min(1), at: z.string() });
export type AppliedUpdate = z.infer<typeof AppliedUpdate>;

/** Everything dondoc keeps, except the audit trail (append-only, kept apart). */
export const StoreData = z.object({
  version: z.number().int(),
  plans: z.array(Plan).default([]),
  tasks: z.array(Task).default([]),
  assignments: z.array(Assignment).default([]),
  /** Agencies added by admins at run time, on top of data/agencies.json. */
  extraAgencies: z.array(Agency).default([]),
  /** Aliases added by admins: name as written in a plan → agency id. */
  extraAliases: z.record(z.string(), z.string()).default({}),
  bindings: z.array(ChatBinding).default([]),
  pendingBindings: z.array(PendingBinding).default([]),
  extensionRequests: z.array(ExtensionRequest).default([]),
  /**
   * The send-log of messages still being written: the day's, and any earlier one a run left
   * unfinished (`isUnfinishedSend`, src/core/sendlog.ts). Settled entries of earlier days move
   * to `Store.sendLogArchive` (outside this state) at the day's first reminder run.
   */
  sendLog: z.array(SendLogEntry).default([]),
  runLog: z.array(RunLogEntry).default([]),
  /** Imports previewed but not yet confirmed, by id. */
  pendingImports: z.record(z.string(), z.unknown()).default({}),
  /** Next number for human-facing counters (`extension`, `binding`). */
  counters: z.record(z.string(), z.number().int()).default({}),
  /** Chat updates whose change is saved here, for a day: a restart never applies one twice. */
  appliedUpdates: z.array(AppliedUpdate).default([]),
  /** Sequence number of the last audit event whose change is in this file. */
  eventSeq: z.number().int().default(0),
});
export type StoreData = z.infer<typeof StoreData>;

/** A new, empty store state of the current version. */
export function emptyStoreData(): StoreData {
  return StoreData.parse({ version: STORE_VERSION });
}

export type EventFilter = {
  taskCode?: string;
  agencyId?: string;
  /**
   * Only events at or after this instant (ISO). The trail is in time order, so a reader
   * stops at the first older event instead of reading the whole history.
   */
  since?: string;
  /** Newest first, at most this many. */
  limit?: number;
};

/** What an update returns: its result, and the audit events describing the change. */
export type Mutation<T> = { result: T; events?: EventInput[] };

/**
 * The one storage interface. Implementations: a JSON checkpoint plus an append-only journal (./file.ts, default)
 * and in memory (./memory.ts). The same contract suite (test/store/contract.ts) runs on both.
 *
 * `update` is the only way to change data: calls are serialised (a queue, in call order),
 * `fn` works on a draft and must return synchronously: each collection it touches is a new
 * array (or record) of the state's frozen elements, so `fn` adds, removes and *replaces*
 * elements (`data.tasks[i] = { ...task, … }`) — changing one in place throws. New elements
 * are validated with the `StoreData` schema, and the draft replaces the state only once it is durably
 * written together with its audit events (which get consecutive `seq` numbers; `eventSeq`
 * becomes the last one). If `fn` throws, or the result is invalid, or the write fails,
 * nothing changes and the error propagates.
 */
export interface Store {
  /**
   * The current state, deep-frozen: mutating it throws a TypeError. Cheap (no copy). A
   * snapshot never changes afterwards: each update installs a new object.
   */
  read(): StoreData;
  /** Resolves with `fn`'s `result` once the change and its events are durable. */
  update<T>(fn: (draft: StoreData) => Mutation<T>): Promise<T>;
  /** Audit events of completed updates, newest first. */
  events(filter?: EventFilter): Promise<Event[]>;
  /** The send-log's settled entries of earlier days, kept outside the state (./sendlog-archive.ts). */
  readonly sendLogArchive: SendLogArchive;
  /** Waits for queued updates, then releases the store (and its lock). Later updates reject. */
  close(): Promise<void>;
  /**
   * Why the store refuses updates now — closed, or a write that failed and left it unsafe
   * (reopen to recover) — in Vietnamese; null while it works. For /healthz.
   */
  problem?(): string | null;
  /**
   * A store several processes share (PostgreSQL): brings `read()` up to what the others have
   * saved. Called before each chat update is handled and before each scheduled run. Absent on
   * stores one process owns (the JSON file, memory): their `read()` is always current.
   * `seen`: a revision the shared state was known to have reached when the work arrived (read
   * in the statement that accepted a chat update, src/store/inbox-pg.ts); a process already
   * there reads nothing — its state is as new as the request.
   */
  refresh?(seen?: number): Promise<void>;
  /**
   * Runs `work` while no other process sharing this store runs work under the same `name`
   * (waiting for it), after `refresh()`. Absent where one process owns the store. The lock goes
   * with the process: if it dies, the next one gets the lock.
   */
  exclusive?<T>(name: string, work: () => Promise<T>): Promise<T>;
  /**
   * The secret named `name` every process sharing the store uses, made with `make()` by the
   * first to ask. Absent where one process owns the store (it keeps its secrets in DATA_DIR).
   */
  sharedSecret?(name: string, make: () => string): Promise<string>;
}
