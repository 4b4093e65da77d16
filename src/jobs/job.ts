import type { LocalCommand } from "../chat/local.ts";

/**
 * A background job around the chat (the reminder and digest schedulers, local mode's clock):
 * started after the chat, stopped before it; each may add `:commands` to local mode's terminal.
 */
export type Job = {
  localCommands?: LocalCommand[];
  start?(): Promise<void>;
  stop?(): Promise<void>;
};
