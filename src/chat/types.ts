/**
 * The narrow interface between dondoc and a chat platform (Telegram, Zalo).
 * Chat ids carry their platform as a prefix: `tg:-1001234`, `zl:8412…`, `local:so-tu-phap`.
 */
export type Button = {
  text: string;
  /** Callback data, ≤ 64 bytes (Telegram's limit). */
  data: string;
};

export type OutgoingMessage = {
  text: string;
  /** Rows of buttons under the message. */
  buttons?: Button[][];
  /** Ask the user's client to answer with a reply to this message (Telegram force_reply). */
  forceReply?: boolean;
};

export type OutgoingFile = { name: string; data: Buffer; caption?: string; kind?: "document" | "photo" };

export type Sender = { id: string; name: string };

/** A file a user sent, by reference (never downloaded unless needed). */
export type FileRef = { platform: string; fileId: string; name?: string; size?: number; mime?: string };

export type ChatKind = "private" | "group";

export type Incoming = {
  chatId: string;
  chatKind: ChatKind;
  chatTitle?: string;
  from: Sender;
  messageId?: string;
  /** Whole text of the message (or the caption of a file). */
  text: string;
  /** The message this one replies to, if it replies to one of the bot's. */
  replyTo?: { messageId: string; text: string };
  file?: FileRef;
};

export type IncomingCommand = Incoming & {
  /** Command name, lower case, without `/` and `@botname`. */
  command: string;
  /** Text after the command. */
  args: string;
};

export type IncomingButton = {
  chatId: string;
  chatKind: ChatKind;
  from: Sender;
  messageId?: string;
  data: string;
};

/** How a handler answers the one who wrote or pressed. */
export type Responder = {
  reply(message: OutgoingMessage | string): Promise<void>;
  replyFile(file: OutgoingFile): Promise<void>;
  /** For a button press: a short toast, or an alert that must be dismissed. */
  notice(text: string, alert?: boolean): Promise<void>;
};

export type ChatHandlers = {
  onCommand(message: IncomingCommand, respond: Responder): Promise<void>;
  onButton(press: IncomingButton, respond: Responder): Promise<void>;
  /** Plain text or files (e.g. a reply to the bot's question, a plan upload). */
  onMessage(message: Incoming, respond: Responder): Promise<void>;
  /** The platform gave a chat a new id (a Telegram group upgraded to a supergroup). */
  onChatMoved(from: string, to: string): Promise<void>;
};

export type CommandMenuEntry = { command: string; description: string };

/** An update waiting in the inbox: its key, its chat (for ordering), the platform's payload. */
export type InboxItem = { key: string; chat: string; payload: unknown; applied: boolean };

/**
 * Where an adapter keeps the updates it receives until they are handled (src/bot/inbox.ts):
 * an update is confirmed to the platform only after `accept` resolved, so a crash loses
 * nothing; a change saved while handling is marked in the same write, so a restart never
 * applies a command twice.
 */
export interface UpdateInbox {
  /**
   * Durably records the updates not seen before (by key); resolves with those, in order, once
   * durable. `written`: called with them as soon as they are written (not yet durable), so
   * their handling may start while the write is being made durable (src/chat/lifecycle.ts).
   */
  accept(items: { key: string; chat: string; payload: unknown }[], written?: (fresh: InboxItem[]) => void): Promise<InboxItem[]>;
  /** Updates accepted and not handled yet (after a restart: what the crash left), oldest first. */
  pending(): InboxItem[];
  /**
   * Where several instances share the inbox (PostgreSQL): the updates of this platform
   * (`prefix`, e.g. "tg:") another instance accepted and left unhandled past its lease (it
   * died), now this instance's to handle; oldest first. An adapter calls it at start
   * (`atStart`: also what this instance itself held before it restarted) and every minute.
   */
  takeOver?(prefix: string, atStart?: boolean): Promise<InboxItem[]>;
  /** Runs `work` as the handling of `key`: a store change made inside marks the update applied. */
  handling<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** The update has been handled (its reply sent or given up); durable soon after. */
  done(key: string): Promise<void>;
}

/**
 * How one send is watched by whoever records it (the reminder send-log).
 * `onWire` is awaited right before a request for this message leaves for the platform —
 * after any throttling queue, once per HTTP attempt — so "sending" can be recorded when the
 * outcome really becomes uncertain, not while the part still waits in a queue.
 */
export type SendOptions = {
  onWire?: () => Promise<void>;
  /**
   * Awaited when a request for this message was answered with an error (the platform did not
   * take it: 429, 5xx, 4xx), before the adapter waits to retry or throws — the message is off
   * the wire again, so a crash during a retry's wait does not leave it "maybe delivered".
   */
  onRefused?: () => Promise<void>;
};

export interface ChatAdapter {
  readonly platform: string;
  start(handlers: ChatHandlers, menu: CommandMenuEntry[]): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once every update received so far has been handled (tests, a clean stop). */
  idle?(): Promise<void>;
  /** Send to a chat; returns the platform's message id. Throws SendError on failure. */
  send(chatId: string, message: OutgoingMessage, options?: SendOptions): Promise<string>;
  sendFile(chatId: string, file: OutgoingFile): Promise<string>;
  download(file: FileRef): Promise<Buffer>;
}

/**
 * A send that failed.
 * - `permanent`: retrying cannot help (chat gone, bot removed, message refused).
 * - `uncertain`: the request may have reached the platform (connection dropped after it was
 *   written, or no answer within the timeout): the message may or may not have been
 *   delivered. The adapter never retries such a send itself; the caller decides (reminders
 *   count it as delivered: at most once).
 * - `movedTo`: the chat has a new id (a Telegram group upgraded to a supergroup: error 400
 *   with `migrate_to_chat_id`); the send can be repeated there.
 */
export class SendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly details: { uncertain?: boolean; movedTo?: string } = {},
  ) {
    super(message);
  }

  get uncertain(): boolean {
    return this.details.uncertain === true;
  }

  get movedTo(): string | undefined {
    return this.details.movedTo;
  }
}

/** The platform a chat id belongs to, by its prefix, as people call it: "Telegram", "Zalo" (for texts such as «Zalo trả lời: …»). */
export function platformName(chatId: string): string {
  if (chatId.startsWith("tg:")) return "Telegram";
  if (chatId.startsWith("zl:")) return "Zalo";
  return "Nền tảng chat";
}
