import { z } from "zod";
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
  sendLog: z.array(SendLogEntry).default([]),
  runLog: z.array(RunLogEntry).default([]),
  /** Imports previewed but not yet confirmed, by id. */
  pendingImports: z.record(z.string(), z.unknown()).default({}),
  /** Next number for human-facing counters (`extension`, `binding`). */
  counters: z.record(z.string(), z.number().int()).default({}),
  /** Sequence number of the last audit event whose change is in this file. */
  eventSeq: z.number().int().default(0),
});
export type StoreData = z.infer<typeof StoreData>;

export function emptyStoreData(): StoreData {
  return StoreData.parse({ version: STORE_VERSION });
}

export type EventFilter = {
  taskCode?: string;
  agencyId?: string;
  /** Newest first, at most this many. */
  limit?: number;
};

/** What an update returns: its result, and the audit events describing the change. */
export type Mutation<T> = { result: T; events?: EventInput[] };

/**
 * The one storage interface. Implementations: lowdb on a JSON file (default) and in memory.
 *
 * `update` is the only way to change data: calls are serialised, `fn` works on a private
 * copy, and the copy replaces the state only once it is durably written together with its
 * audit events. If `fn` throws, nothing changes.
 */
export interface Store {
  /** The current state. Treat as read-only. */
  read(): StoreData;
  update<T>(fn: (draft: StoreData) => Mutation<T>): Promise<T>;
  /** Audit events, newest first. */
  events(filter?: EventFilter): Promise<Event[]>;
  close(): Promise<void>;
}
