/**
 * Issue 13, items 19 (configuration), 20 (logging) and 21 (files in local mode): each item's
 * smallest reproduction.
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";

const TOKEN = "123456789:AAHtestTOKENtestTOKENtestTOKEN_abc";

/** A logger writing into memory; `lines()` parses what it wrote. */
function memoryLogger(level = "debug") {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const log = createLogger(level, out);
  const lines = () =>
    chunks
      .join("")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const raw = () => chunks.join("");
  return { log, lines, raw };
}

describe("item 20: an error in a log line keeps its message, stack and code; tokens stay masked", () => {
  it('log.error({ err }) writes the error (it used to print "err":{})', () => {
    const { log, lines, raw } = memoryLogger();
    const err = Object.assign(new Error(`POST https://api.telegram.org/bot${TOKEN}/sendMessage failed`), { code: "ENOSPC" });
    log.error({ err, chat: "tg:-1" }, "digest: text not sent");
    const [line] = lines();
    const logged = line.err as Record<string, unknown>;
    expect(logged.type).toBe("Error");
    expect(logged.message).toBe("POST https://api.telegram.org/bot<token>/sendMessage failed");
    expect(logged.code).toBe("ENOSPC");
    expect(String(logged.stack)).toMatch(/^Error: POST https:\/\/api\.telegram\.org\/bot<token>\/sendMessage failed\n\s+at /);
    expect(line.chat).toBe("tg:-1");
    expect(raw()).not.toContain(TOKEN);
    expect(raw()).not.toContain("AAHtest");
  });

  it("an Error as the only argument, under `error`, nested or with a cause: all written out, the message masked too", () => {
    const { log, lines, raw } = memoryLogger();
    log.error(new Error(`token ${TOKEN} rejected`));
    log.warn({ error: new TypeError("bad value") }, "w");
    log.warn({ run: { attempt: 2, failure: new RangeError("too far") } }, "nested");
    log.error({ err: new Error("outer", { cause: new Error("inner cause") }) }, "c");
    const [first, second, third, fourth] = lines();
    expect(first.msg).toBe("token <token> rejected");
    expect((first.err as Record<string, unknown>).message).toBe("token <token> rejected");
    expect(second.error).toMatchObject({ type: "TypeError", message: "bad value" });
    expect(String((second.error as Record<string, unknown>).stack)).toContain("TypeError: bad value");
    expect((third.run as Record<string, unknown>).failure).toMatchObject({ type: "RangeError", message: "too far" });
    expect(fourth.err).toMatchObject({ message: "outer: inner cause" });
    expect(String((fourth.err as Record<string, unknown>).stack)).toContain("caused by: Error: inner cause");
    expect(raw()).not.toContain(TOKEN);
  });

  it("masks tokens in fields, interpolated messages and `token` keys; a cycle does not throw", () => {
    const { log, lines, raw } = memoryLogger();
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic.self = cyclic;
    log.info({ url: `https://api.telegram.org/bot${TOKEN}/getMe`, token: "anything", cyclic }, "x");
    log.info("retrying %s", TOKEN);
    const [a, b] = lines();
    expect(a.url).toBe("https://api.telegram.org/bot<token>/getMe");
    expect(a.token).toBe("<token>");
    expect(a.cyclic).toEqual({ n: 1, self: "[Circular]" });
    expect(b.msg).toBe("retrying <token>");
    expect(raw()).not.toContain(TOKEN);
  });
});
