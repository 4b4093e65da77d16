/**
 * The command registry. Each file in `commands/` exports `command`, made with
 * `defineCommand`: its name (Latin, no diacritics), Vietnamese description, usage,
 * examples, handler, and optionally the buttons it answers. The bot registers what is
 * there; `/giup` and the Telegram menu are generated from the registry.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Incoming, IncomingButton, IncomingCommand, Responder } from "../chat/types.ts";
import type { Config } from "../config.ts";
import type { Directory } from "../core/agencies.ts";
import type { WorkCalendar } from "../core/calendar.ts";
import { shortenQuotes } from "../core/text.ts";
import type { Caller, Permission } from "../domain/access.ts";
import type { Store } from "../store/types.ts";
import type { Outbox } from "./outbox.ts";

/**
 * What every handler gets: who asks from where (`caller`), how to answer (`respond`), and
 * the dependencies of the use cases it calls (`store`, `directory`, `now` — pass the context
 * itself as their `deps`, and `caller` as their actor).
 */
export type HandlerContext = {
  caller: Caller;
  respond: Responder;
  now: Date;
  store: Store;
  directory: Directory;
  calendar: WorkCalendar;
  config: Config;
  outbox: Outbox;
  registry: CommandRegistry;
};

export type CommandContext = HandlerContext & {
  message: IncomingCommand;
  /** Arguments, NFC-normalised, whitespace folded. */
  args: string;
  /** Answer with this command's usage, after `problem` when given (malformed input). */
  usage(problem?: string): Promise<void>;
};

export type ButtonContext = HandlerContext & {
  press: IncomingButton;
  /** What follows `code:` in the callback data. */
  payload: string;
};

export type ReplyContext = HandlerContext & {
  message: Incoming;
  /** What the reply's `match` found in the message (e.g. the assignment a question was about). */
  match: string;
};

export type ButtonDefinition = {
  /** Who may press it (the access policy); default: the command's. */
  access?: Permission;
  run(ctx: ButtonContext): Promise<void>;
};

/** Answers to a question the command asked: a reply to the bot's message, or a file. */
export type ReplyDefinition = {
  /** Who may answer (the access policy); default: the command's. */
  access?: Permission;
  /** Is the message for this command? What it found (non-null), or null to let others look. */
  match(message: Incoming): string | null;
  run(ctx: ReplyContext): Promise<void>;
};

export type CommandDefinition = {
  name: string;
  description: string;
  usage: string;
  examples: string[];
  /** Shown in /giup under this heading. */
  group: "chung" | "cơ quan" | "tổng hợp" | "quản trị";
  /** Who may use it (the access policy, domain/access.ts); default `everyone`. */
  access?: Permission;
  handler(ctx: CommandContext): Promise<void>;
  /** Buttons this command answers, by callback code (bot/buttons.ts): data `code:payload`. */
  buttons?: Record<string, ButtonDefinition>;
  reply?: ReplyDefinition;
};

/** A command file's one export (typed, so the file reads as a definition). */
export function defineCommand(definition: CommandDefinition): CommandDefinition {
  return definition;
}

/** The commands by name and their buttons by callback code; refuses duplicates and non-Latin names. */
export class CommandRegistry {
  private readonly byName = new Map<string, CommandDefinition>();
  private readonly byButton = new Map<string, { command: CommandDefinition; button: ButtonDefinition }>();

  constructor(commands: CommandDefinition[]) {
    for (const command of commands) this.add(command);
  }

  private add(command: CommandDefinition): void {
    if (!/^[a-z][a-z0-9_]{0,31}$/.test(command.name)) {
      throw new Error(`Command name "${command.name}" must be Latin lower case without diacritics`);
    }
    if (this.byName.has(command.name)) throw new Error(`Duplicate command /${command.name}`);
    this.byName.set(command.name, command);
    for (const [code, button] of Object.entries(command.buttons ?? {})) {
      if (this.byButton.has(code)) throw new Error(`Duplicate button code "${code}" in /${command.name}`);
      this.byButton.set(code, { command, button });
    }
  }

  get(name: string): CommandDefinition | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The button with callback code `code`, and the command it belongs to. */
  button(code: string): { command: CommandDefinition; button: ButtonDefinition } | undefined {
    return this.byButton.get(code);
  }

  list(): CommandDefinition[] {
    return [...this.byName.values()];
  }

  /** Entries for the platform's command menu (Telegram setMyCommands). */
  menu(): { command: string; description: string }[] {
    return this.list()
      .filter((c) => c.access !== "admin" && c.access !== "import")
      .map((c) => ({ command: c.name, description: c.description.slice(0, 256) }));
  }
}

export const COMMANDS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../commands");

/** Import every command file in `dir` (default: the project's `commands/`; in the build, its .js files: src/cli/build.ts). */
export async function loadCommands(dir = COMMANDS_DIR): Promise<CommandRegistry> {
  const files = (await readdir(dir)).filter((f) => /\.[jt]s$/.test(f) && !f.endsWith(".d.ts")).sort();
  const commands: CommandDefinition[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { command?: CommandDefinition };
    if (!mod.command) throw new Error(`commands/${file} does not export \`command\``);
    commands.push(mod.command);
  }
  return new CommandRegistry(commands);
}

/** The answer to malformed input: "⚠️ <problem>" (when given), then the command's usage. */
export function usageReply(command: CommandDefinition, problem?: string): string {
  // A problem that already opens with ⚠️ (a use case's refusal) gets no second one.
  return (problem ? `⚠️ ${shortenQuotes(problem.replace(/^⚠️\s*/u, ""))}\n` : "") + usageText(command);
}

/** The usage block shown when a command is malformed. */
export function usageText(command: CommandDefinition): string {
  const examples = command.examples.map((e) => `  ${e}`).join("\n");
  return `Cách dùng: ${command.usage}\nVí dụ:\n${examples}`;
}
