/**
 * Local mode: a terminal chat on the same core, for trying dondoc without a Telegram
 * token. You speak in one chat at a time (`:nhom so-tu-phap`), type the same
 * slash-commands, press buttons by number, and see replies and scheduled messages
 * printed. Works with piped stdin (tests drive it that way).
 *
 * Nothing reaches the terminal raw: every line printed goes through `stripUnsafe`, so a note
 * stored with an escape sequence (ESC[2J) or a bidi override cannot clear or reorder the screen.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import readline from "node:readline";
import { stripUnsafe } from "../core/text.ts";
import type {
  Button,
  ChatAdapter,
  ChatHandlers,
  CommandMenuEntry,
  FileRef,
  Incoming,
  OutgoingFile,
  OutgoingMessage,
  Responder,
  SendOptions,
} from "./types.ts";

/** Extra `:commands` of the terminal chat, given by the application (clock, reminders…). */
export type LocalCommand = {
  name: string;
  usage: string;
  description: string;
  run(args: string, chat: LocalChat): Promise<string | undefined>;
};

export type LocalChat = { chatId: string; name: string };

export type LocalOptions = {
  /** Where files the bot sends (reports, charts, templates) are written; unset: not written. */
  filesDir?: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Called when the user switches to a chat named after an agency. */
  onEnterChat?: (chat: LocalChat) => Promise<string | undefined>;
  commands?: LocalCommand[];
  /** Print a prompt (interactive terminal). */
  prompt?: boolean;
};

const USER = { id: "local:admin", name: "Bạn (quản trị)" };

/** Why a file could not be read, by Node's error code, in plain Vietnamese. */
const READ_ERRORS: Record<string, string> = {
  EISDIR: "đó là một thư mục, hãy chỉ một tệp",
  ENOENT: "không có tệp này",
  ENOTDIR: "đường dẫn đi qua một tệp như thể đó là thư mục",
  EACCES: "không có quyền đọc tệp này",
  EPERM: "không có quyền đọc tệp này",
};

/**
 * A typed line's first word and the rest as typed (inner spaces kept: a path may hold
 * several), e.g. `tep ~/Kế hoạch  2021.docx` → `tep`, `~/Kế hoạch  2021.docx`.
 */
function splitHead(line: string): { head: string; args: string } {
  const m = /^(\S*)\s*([\s\S]*)$/.exec(line)!;
  return { head: m[1], args: m[2].trim() };
}
const PRIVATE: LocalChat = { chatId: "local:rieng", name: "rieng" };

/** Local mode: a chat in the terminal, rooms per agency (`:nhom`), `:commands` of the jobs. */
export class LocalAdapter implements ChatAdapter {
  readonly platform = "local";
  private chat: LocalChat = PRIVATE;
  private nextId = 1;
  private readonly messages = new Map<string, { chatId: string; text: string; buttons: Button[] }>();
  private readonly files = new Map<string, Buffer>();
  private lastWithButtons = new Map<string, string>();
  private lastFromBot = new Map<string, string>();
  private rl: readline.Interface | null = null;
  private done: Promise<void> = Promise.resolve();

  constructor(private readonly options: LocalOptions) {}

  /** Resolves when the input ends (EOF or `:thoat`). */
  finished(): Promise<void> {
    return this.done;
  }

  /** Print `text` as a line, without control or bidi-override characters (tabs and line breaks stay). */
  print(text: string): void {
    const safe = stripUnsafe(text);
    this.options.output.write(safe.endsWith("\n") ? safe : `${safe}\n`);
  }

  async start(handlers: ChatHandlers, _menu: CommandMenuEntry[]): Promise<void> {
    this.rl = readline.createInterface({ input: this.options.input, terminal: false });
    this.done = (async () => {
      this.showPrompt();
      for await (const line of this.rl!) {
        const keepGoing = await this.handleLine(line.trim(), handlers).catch(() => {
          // The router answers every handler's error itself; this is the terminal's own fault.
          this.print("(Có lỗi khi xử lý dòng này; hãy thử lại.)");
          return true;
        });
        if (!keepGoing) break;
        this.showPrompt();
      }
      this.rl?.close();
    })();
  }

  async stop(): Promise<void> {
    this.rl?.close();
  }

  private showPrompt(): void {
    if (this.options.prompt) this.options.output.write(stripUnsafe(`[${this.chat.name}] > `));
  }

  private incoming(text: string, extra: Partial<Incoming> = {}): Incoming {
    return {
      chatId: this.chat.chatId,
      chatKind: this.chat === PRIVATE ? "private" : "group",
      chatTitle: this.chat === PRIVATE ? undefined : `Nhóm ${this.chat.name}`,
      from: USER,
      messageId: String(this.nextId++),
      text,
      ...extra,
    };
  }

  private responder(): Responder {
    const chatId = this.chat.chatId;
    return {
      reply: async (message) => {
        await this.send(chatId, typeof message === "string" ? { text: message } : message);
      },
      replyFile: async (file) => {
        await this.sendFile(chatId, file);
      },
      notice: async (text) => {
        this.print(`  (thông báo: ${text})`);
      },
    };
  }

  /** Returns false to stop reading. */
  private async handleLine(line: string, handlers: ChatHandlers): Promise<boolean> {
    if (!line) return true;
    if (line.startsWith(":")) return this.handleMeta(line, handlers);
    if (line.startsWith("/")) {
      const { head, args } = splitHead(line.slice(1));
      const name = head.split("@")[0].toLowerCase();
      await handlers.onCommand({ ...this.incoming(line), command: name, args }, this.responder());
      return true;
    }
    await handlers.onMessage(this.incoming(line), this.responder());
    return true;
  }

  private async handleMeta(line: string, handlers: ChatHandlers): Promise<boolean> {
    const { head, args } = splitHead(line.slice(1));
    switch (head) {
      case "thoat":
        return false;
      case "rieng":
        this.chat = PRIVATE;
        this.print("(đang ở chat riêng với bot)");
        return true;
      case "nhom": {
        if (!args) {
          this.print("Cách dùng: :nhom <mã cơ quan>, ví dụ :nhom so-tu-phap");
          return true;
        }
        this.chat = { chatId: `local:${args}`, name: args };
        const note = await this.options.onEnterChat?.(this.chat);
        this.print(`(đang ở nhóm ${args}${note ? ` — ${note}` : ""})`);
        return true;
      }
      case "bam": {
        const messageId = this.lastWithButtons.get(this.chat.chatId);
        const message = messageId ? this.messages.get(messageId) : undefined;
        const button = message?.buttons[Number(args) - 1];
        if (!button) {
          this.print("Không có nút số đó trong tin nhắn gần nhất của nhóm này.");
          return true;
        }
        await handlers.onButton(
          { chatId: this.chat.chatId, chatKind: this.chat === PRIVATE ? "private" : "group", from: USER, messageId, data: button.data },
          this.responder(),
        );
        return true;
      }
      case "traloi":
      case "tep": {
        const repliedId = this.lastFromBot.get(this.chat.chatId);
        const replied = repliedId ? this.messages.get(repliedId) : undefined;
        const replyTo = replied && repliedId ? { messageId: repliedId, text: replied.text } : undefined;
        if (head === "traloi") {
          await handlers.onMessage(this.incoming(args, { replyTo }), this.responder());
          return true;
        }
        if (!args) {
          this.print("Cách dùng: :tep <đường dẫn tới tệp>, ví dụ :tep ../shared/plans/kien-giang-2021.txt");
          return true;
        }
        const data = await readFile(args).catch((error: NodeJS.ErrnoException) => {
          this.print(`(Không gửi được tệp «${args}»: ${READ_ERRORS[error.code ?? ""] ?? "không đọc được tệp này"}.)`);
          return null;
        });
        if (!data) return true;
        const fileId = `local-file-${this.nextId}`;
        this.files.set(fileId, data);
        const file: FileRef = { platform: "local", fileId, name: path.basename(args), size: data.length };
        await handlers.onMessage(this.incoming("", { replyTo, file }), this.responder());
        return true;
      }
      default: {
        const command = this.options.commands?.find((c) => c.name === head);
        if (!command) {
          this.print(this.metaHelp());
          return true;
        }
        const out = await command.run(args, this.chat);
        if (out) this.print(out);
        return true;
      }
    }
  }

  metaHelp(): string {
    const lines = [
      "Lệnh của chế độ thử (gõ trong terminal):",
      "  :nhom <mã cơ quan>  — nói trong nhóm của cơ quan đó, ví dụ :nhom so-tu-phap, :nhom so-noi-vu",
      "  :rieng              — chat riêng với bot",
      "  :bam <số>           — bấm nút số <số> của tin nhắn gần nhất có nút",
      "  :traloi <nội dung>  — trả lời tin nhắn gần nhất của bot",
      "  :tep <đường dẫn>    — gửi một tệp, trả lời tin nhắn gần nhất của bot",
      ...(this.options.commands ?? []).map((c) => `  :${c.usage.padEnd(18)} — ${c.description}`),
      "  :thoat              — thoát",
    ];
    return lines.join("\n");
  }

  async send(chatId: string, message: OutgoingMessage, options: SendOptions = {}): Promise<string> {
    await options.onWire?.();
    const id = String(this.nextId++);
    const buttons = (message.buttons ?? []).flat();
    this.messages.set(id, { chatId, text: message.text, buttons });
    this.lastFromBot.set(chatId, id);
    if (buttons.length) this.lastWithButtons.set(chatId, id);
    const label = chatId.replace(/^local:/, "");
    const body = message.text
      .split("\n")
      .map((l) => `  ${l}`)
      .join("\n");
    const keys = buttons.length ? `\n  ${buttons.map((b, i) => `[${i + 1}] ${b.text}`).join("  ")}  (gõ :bam <số>)` : "";
    const hint = message.forceReply ? "\n  (trả lời bằng :traloi <nội dung>)" : "";
    this.print(`[${label}] dondoc:\n${body}${keys}${hint}`);
    return id;
  }

  /**
   * "Sends" a file: kept for `download`, written to `filesDir` (DATA_DIR/tep-gui) under its
   * own name (the same name again replaces it), and announced with its absolute path. A file
   * that cannot be written is announced as not saved, with why in Vietnamese (never thrown:
   * the message itself was shown).
   */
  async sendFile(chatId: string, file: OutgoingFile): Promise<string> {
    const id = String(this.nextId++);
    this.files.set(id, file.data);
    let where = "";
    if (this.options.filesDir) {
      const target = path.resolve(this.options.filesDir, path.basename(file.name));
      try {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, file.data);
        where = ` → ${target}`;
      } catch (error) {
        where = ` (không lưu được vào ${path.dirname(target)}: ${writeFailure(error)})`;
      }
    }
    const caption = file.caption ? `: ${file.caption}` : "";
    this.print(`[${chatId.replace(/^local:/, "")}] dondoc gửi tệp ${file.name} (${file.data.length} byte)${where}${caption}`);
    return id;
  }

  async download(file: FileRef): Promise<Buffer> {
    const data = this.files.get(file.fileId);
    if (!data) throw new Error(`Không có tệp ${file.fileId}`);
    return data;
  }
}

/** Why a file could not be written, in plain Vietnamese (no raw error codes). */
function writeFailure(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOSPC":
      return "ổ đĩa đã đầy";
    case "EACCES":
    case "EPERM":
      return "không có quyền ghi";
    case "EROFS":
      return "ổ đĩa chỉ cho đọc";
    case "ENOTDIR":
    case "EEXIST":
      return "đường dẫn có một tệp trùng tên thư mục";
    case "EISDIR":
      return "đã có một thư mục trùng tên tệp";
    default:
      return "lỗi khi ghi tệp";
  }
}
