/**
 * The command registry. Each file in `commands/` exports `command`, made with
 * `defineCommand`: its name (Latin, no diacritics), Vietnamese description, usage,
 * examples, handler, and optionally the buttons it answers. The bot registers what is
 * there; `/giup` and the Telegram menu are generated from the registry.
 */
import { readdir } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import type { App } from "./app.ts";
import type { Incoming, IncomingButton, IncomingCommand, Responder } from "../chat/types.ts";

export type Caller = {
  chatId: string;
  chatKind: "private" | "group";
  /** Agency the chat is bound to, if any. */
  chatAgencyId: string | null;
  /** The chat is bound to the coordinating agency (Sở Nội vụ). */
  isCoordinatorChat: boolean;
  userId: string;
  userName: string;
  isAdmin: boolean;
  isManager: boolean;
};

export type CommandContext = {
  app: App;
  message: IncomingCommand;
  /** Arguments, NFC-normalised, whitespace folded. */
  args: string;
  caller: Caller;
  respond: Responder;
  now: Date;
};

export type ButtonContext = {
  app: App;
  press: IncomingButton;
  /** What follows `action:` in the callback data. */
  payload: string;
  caller: Caller;
  respond: Responder;
  now: Date;
};

export type ReplyContext = {
  app: App;
  message: Incoming;
  caller: Caller;
  respond: Responder;
  now: Date;
};

export type Audience = "everyone" | "admin";

export type CommandDefinition = {
  name: string;
  description: string;
  usage: string;
  examples: string[];
  /** Shown in /giup under this heading. */
  group: "chung" | "cơ quan" | "tổng hợp" | "quản trị";
  audience?: Audience;
  handler(ctx: CommandContext): Promise<void>;
  /** Button actions this command answers: callback data `action:payload`. */
  buttons?: Record<string, (ctx: ButtonContext) => Promise<void>>;
  /**
   * Answers to a question this command asked (a reply to the bot's message, a file).
   * Returns true when the message was for it.
   */
  reply?(ctx: ReplyContext): Promise<boolean>;
};

export function defineCommand(definition: CommandDefinition): CommandDefinition {
  return definition;
}

export class CommandRegistry {
  private readonly byName = new Map<string, CommandDefinition>();
  private readonly byButton = new Map<string, (ctx: ButtonContext) => Promise<void>>();

  constructor(commands: CommandDefinition[]) {
    for (const command of commands) this.add(command);
  }

  private add(command: CommandDefinition): void {
    if (!/^[a-z][a-z0-9_]{0,31}$/.test(command.name)) {
      throw new Error(`Command name "${command.name}" must be Latin lower case without diacritics`);
    }
    if (this.byName.has(command.name)) throw new Error(`Duplicate command /${command.name}`);
    this.byName.set(command.name, command);
    for (const [action, handler] of Object.entries(command.buttons ?? {})) {
      if (this.byButton.has(action)) throw new Error(`Duplicate button action "${action}" in /${command.name}`);
      this.byButton.set(action, handler);
    }
  }

  get(name: string): CommandDefinition | undefined {
    return this.byName.get(name.toLowerCase());
  }

  button(action: string): ((ctx: ButtonContext) => Promise<void>) | undefined {
    return this.byButton.get(action);
  }

  list(): CommandDefinition[] {
    return [...this.byName.values()];
  }

  /** Entries for the platform's command menu (Telegram setMyCommands). */
  menu(): { command: string; description: string }[] {
    return this.list()
      .filter((c) => c.audience !== "admin")
      .map((c) => ({ command: c.name, description: c.description.slice(0, 256) }));
  }
}

export const COMMANDS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../commands");

/** Import every command file in `dir` (default: the project's `commands/`). */
export async function loadCommands(dir = COMMANDS_DIR): Promise<CommandRegistry> {
  const files = (await readdir(dir)).filter((f) => /\.ts$/.test(f) && !f.endsWith(".d.ts")).sort();
  const commands: CommandDefinition[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { command?: CommandDefinition };
    if (!mod.command) throw new Error(`commands/${file} does not export \`command\``);
    commands.push(mod.command);
  }
  return new CommandRegistry(commands);
}

/** The usage block shown when a command is malformed. */
export function usageText(command: CommandDefinition): string {
  const examples = command.examples.map((e) => `  ${e}`).join("\n");
  return `Cách dùng: ${command.usage}\nVí dụ:\n${examples}`;
}
