/**
 * Logging: pino JSON lines, with anything shaped like a Telegram bot token masked and errors
 * written out in full.
 *
 * Why errors need care: pino runs `formatters.log` *before* its serializers, and our formatter
 * masks tokens by stringifying the whole object. `JSON.stringify(new Error("x"))` is `{}` (an
 * Error's message and stack are not enumerable), so before this, `log.error({ err })` printed
 * `"err":{}`. The formatter therefore turns every Error it meets, at any depth, into pino's
 * standard shape (`pino.stdSerializers.err`: type, message, stack, code and the other own
 * fields, causes appended) before masking; the `err`/`error` serializers then leave the
 * already-serialised object as it is. Pass errors as they are: `log.error({ err }, "…")`.
 */
import pino from "pino";

/**
 * Anything that looks like a Telegram bot token is masked in every log line: the same shape
 * the configuration accepts for TELEGRAM_BOT_TOKEN (digits, a colon, 20 or more of [A-Za-z0-9_-]).
 */
const TOKEN = /\d+:[\w-]{20,}/g;

/** Secrets given to `createLogger` (the Zalo token, whose shape is not known well enough for a pattern; webhook secrets). */
const secrets = new Set<string>();

/**
 * `text` with every secret given to `createLogger` and everything shaped like a Telegram bot
 * token (`123456789:AA…`) replaced by `<token>`.
 */
export function redactTokens(text: string): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join("<token>");
  return out.replace(TOKEN, "<token>");
}

export type Logger = pino.Logger;

/** An Error as pino's standard serializer writes it; anything else as it is. */
function serializeError(value: unknown): unknown {
  return value instanceof Error ? pino.stdSerializers.err(value) : value;
}

/**
 * `obj` as plain JSON data with every Error serialised (see the file comment), every token
 * masked, and a cycle written as "[Circular]" instead of throwing.
 */
function loggable(obj: Record<string, unknown>): Record<string, unknown> {
  const ancestors: object[] = [];
  const json = JSON.stringify(obj, function (this: unknown, _key, value: unknown) {
    const v = serializeError(value);
    if (typeof v !== "object" || v === null) return v;
    // `this` is the object holding the value: drop the ancestors we have left.
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(v)) return "[Circular]";
    ancestors.push(v);
    return v;
  });
  return JSON.parse(redactTokens(json)) as Record<string, unknown>;
}

/**
 * A pino logger at `level` writing JSON lines to `destination`, with tokens redacted and errors
 * serialised. `mask`: secret values (tokens, webhook secrets) never to be written, by any logger
 * or `redactTokens`, from now on; values under 8 characters are ignored (they would mask words).
 */
export function createLogger(
  level: string,
  destination: NodeJS.WritableStream = process.stderr,
  mask: (string | undefined)[] = [],
): Logger {
  for (const value of mask) if (value && value.length >= 8) secrets.add(value);
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ["token", "*.token", "config.TELEGRAM_BOT_TOKEN"], censor: "<token>" },
      serializers: {
        err: serializeError,
        error: serializeError,
        // The message, also when pino takes it from an Error (`log.error(err)`) or interpolates arguments.
        msg: (msg: unknown) => (typeof msg === "string" ? redactTokens(msg) : msg),
      },
      formatters: {
        log: loggable,
      },
    },
    destination as pino.DestinationStream,
  );
}
