/**
 * Several chat platforms in one process (Telegram and Zalo on one store): one ChatAdapter that
 * starts and stops them all and routes each send to the adapter of the chat id's platform
 * (`tg:…`, `zl:…`), each download to the adapter of the file's platform. Each adapter keeps its
 * own receiving, send queue and pacing.
 */
import {
  SendError,
  type ChatAdapter,
  type ChatHandlers,
  type CommandMenuEntry,
  type FileRef,
  type OutgoingFile,
  type OutgoingMessage,
  type SendOptions,
} from "./types.ts";

/** The adapters of several platforms as one (see the file comment). */
export class MultiChat implements ChatAdapter {
  readonly platform = "multi";

  constructor(readonly adapters: ChatAdapter[]) {}

  /** The adapter of `platform` (`tg`, `zl`), if running. */
  get(platform: string): ChatAdapter | undefined {
    return this.adapters.find((a) => a.platform === platform);
  }

  private of(platform: string, what: string): ChatAdapter {
    const adapter = this.get(platform);
    if (!adapter) throw new SendError(`No chat adapter for ${what}`, true);
    return adapter;
  }

  /** Starts every adapter at once (one that waits for its platform does not hold the others). */
  async start(handlers: ChatHandlers, menu: CommandMenuEntry[]): Promise<void> {
    await Promise.all(this.adapters.map((a) => a.start(handlers, menu)));
  }

  async stop(): Promise<void> {
    await Promise.all(this.adapters.map((a) => a.stop()));
  }

  async idle(): Promise<void> {
    await Promise.all(this.adapters.map((a) => a.idle?.()));
  }

  send(chatId: string, message: OutgoingMessage, options?: SendOptions): Promise<string> {
    return this.of(chatId.split(":")[0], chatId).send(chatId, message, options);
  }

  sendFile(chatId: string, file: OutgoingFile): Promise<string> {
    return this.of(chatId.split(":")[0], chatId).sendFile(chatId, file);
  }

  download(file: FileRef): Promise<Buffer> {
    return this.of(file.platform, `files of ${file.platform}`).download(file);
  }
}
