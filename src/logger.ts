import pino from "pino";

/** Anything that looks like a Telegram bot token is masked in every log line. */
const TOKEN = /\d{6,}:[\w-]{30,}/g;

/** `text` with everything shaped like a Telegram bot token (`123456789:AA…`) replaced by `<token>`. */
export function redactTokens(text: string): string {
  return text.replace(TOKEN, "<token>");
}

export type Logger = pino.Logger;

/** A pino logger at `level` writing JSON lines to `destination`, with tokens redacted from every message. */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ["token", "*.token", "config.TELEGRAM_BOT_TOKEN"], censor: "<token>" },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === "string" ? redactTokens(a) : a)) as Parameters<typeof method>);
        },
      },
      formatters: {
        log(obj) {
          return JSON.parse(redactTokens(JSON.stringify(obj)));
        },
      },
    },
    destination as pino.DestinationStream,
  );
}
