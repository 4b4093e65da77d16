/**
 * Issue 13, items 19 (configuration), 20 (logging) and 21 (files in local mode): each item's
 * smallest reproduction.
 */
import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { PassThrough, Writable } from "node:stream";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { coordinatorProblem, startBot } from "../../src/boot/runtime.ts";
import { loadAgencyDirectory } from "../../src/boot/reference.ts";
import { ConfigError, EXPECTED, parseConfig } from "../../src/config.ts";
import { LocalAdapter } from "../../src/chat/local.ts";
import { createDirectory } from "../../src/core/agencies.ts";
import { createLogger } from "../../src/logger.ts";
import { silentLog, tempDir, testConfig } from "../support/env.ts";

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

describe("secrets given to the logger (a Zalo token has no pattern to find it by) are masked everywhere", () => {
  it("in messages, fields and errors; short values are not taken (they would mask words)", () => {
    const zalo = "12345689:abc-xyz";
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const log = createLogger("debug", out, [zalo, "ab", undefined]);
    log.warn({ url: `https://bot-api.zaloplatforms.com/bot${zalo}/getMe` }, `POST bot${zalo}/sendMessage`);
    log.error({ err: new Error(`401 for ${zalo}`) }, "zalo: send failed");
    log.info("ab là hai chữ cái");
    const text = chunks.join("");
    expect(text).not.toContain(zalo);
    expect(text.match(/<token>/g)?.length).toBe(4); // the URL, the message, the error's message and its stack
    expect(text).toContain("ab là hai chữ cái");
  });
});

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

function configError(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("item 19: configuration names every bad key, in Vietnamese, with what is expected", () => {
  it("both digest schedules bad (with another key): all three named (DIGEST_QUARTER used to be dropped)", () => {
    const e = configError({ REMINDER_TIME: "8h", DIGEST_WEEKLY: "xyz", DIGEST_QUARTER: "abc" });
    expect(e.keys).toEqual(["REMINDER_TIME", "DIGEST_WEEKLY", "DIGEST_QUARTER"]);
    expect(e.message).toContain("REMINDER_TIME = «8h»: giờ dạng HH:MM");
    expect(e.message).toContain("DIGEST_WEEKLY = «xyz»: thứ (MON…SUN hoặc T2…T7, CN) và giờ, ví dụ MON 08:30");
    expect(e.message).toContain("DIGEST_QUARTER = «abc»: số ngày làm việc trước khi hết quý (0–40) và giờ, ví dụ 5 08:30");
    expect(configError({ DIGEST_WEEKLY: "xyz", DIGEST_QUARTER: "99" }).keys).toEqual(["DIGEST_WEEKLY", "DIGEST_QUARTER"]);
  });

  it("every key wrong at once: each named once, one line each, in plain Vietnamese (no zod English), the token not echoed", () => {
    const env = {
      TELEGRAM_BOT_TOKEN: "123:secretish",
      TELEGRAM_API_ROOT: "nope",
      TELEGRAM_WEBHOOK_URL: "ftp://x.vn",
      TELEGRAM_WEBHOOK_PORT: "99999",
      ADMIN_IDS: "12, a b",
      MANAGER_IDS: "x",
      REMINDER_TIME: "25:00",
      REMINDER_NOTICE_DAYS: "7,x",
      REMINDER_OVERDUE_EVERY: "0",
      REMINDER_ESCALATE_AFTER: "1.5",
      REMINDER_ESCALATE_EVERY: "abc",
      REMINDER_CHECKIN_DAYS: "-1",
      DIGEST_WEEKLY: "someday",
      DIGEST_QUARTER: "x",
      LOG_LEVEL: "loud",
    };
    const e = configError(env);
    expect(e.keys).toEqual(Object.keys(env));
    const lines = e.message.split("\n");
    expect(lines[0]).toBe(`Cấu hình không hợp lệ (${Object.keys(env).length} khóa; xem .env.example):`);
    expect(lines).toHaveLength(1 + Object.keys(env).length);
    for (const [i, key] of Object.keys(env).entries()) {
      expect(lines[i + 1]).toMatch(new RegExp(`^  - ${key}\\b`));
      expect(lines[i + 1]).toContain(EXPECTED[key as keyof typeof EXPECTED]);
    }
    expect(e.message).not.toMatch(/Invalid|expected|Too (small|big)|received|NaN/);
    expect(e.message).not.toContain("secretish");
    expect(e.message).toContain("TELEGRAM_BOT_TOKEN (giá trị đã đặt)");
  });

  it("accepts ids with a platform prefix, as the README and access policy describe", () => {
    expect(parseConfig({ ADMIN_IDS: "123, zalo:8412abc, -100" }).ADMIN_IDS).toEqual(["123", "zalo:8412abc", "-100"]);
  });

  const directory = createDirectory(loadAgencyDirectory(path.resolve(import.meta.dirname, "../../data/agencies.json")));

  it("an unknown coordinator agency: named with the key, close ids and a few valid ones", () => {
    expect(coordinatorProblem("so-noi-vu", directory)).toBeNull();
    const unknown = coordinatorProblem("xyz", directory)!;
    expect(unknown).toMatch(/^ {2}- COORDINATOR_AGENCY = «xyz»: không có cơ quan nào mang mã này trong danh mục/);
    expect(unknown).toContain("Ví dụ mã hợp lệ: so-noi-vu, vp-ubnd, so-tu-phap");
    expect(coordinatorProblem("so-noi-v", directory)).toContain("Mã gần giống: so-noi-vu (Sở Nội vụ)");
    expect(coordinatorProblem("Sở Nội vụ", directory)).toContain("đây là tên, không phải mã; mã của Sở Nội vụ là so-noi-vu.");
    const collective = directory.all().find((a) => a.collective)!;
    expect(coordinatorProblem(collective.id, directory)).toContain(`«${collective.name}» là một nhóm cơ quan`);
    // An agency admins added (store's extra agencies) counts.
    const extended = createDirectory([
      ...directory.all(),
      { id: "quy-ptd", name: "Quỹ Phát triển đất tỉnh", aliases: [], collective: false, members: [] },
    ]);
    expect(coordinatorProblem("quy-ptd", extended)).toBeNull();
  });

  it("the bot refuses to start with COORDINATOR_AGENCY=xyz, and releases its data directory", async () => {
    const { dir, cleanup } = await tempDir("dondoc-coord-");
    try {
      const start = startBot({
        config: testConfig({ DATA_DIR: dir, COORDINATOR_AGENCY: "xyz" }),
        log: silentLog,
        input: new PassThrough(),
        output: new PassThrough(),
      });
      await expect(start).rejects.toBeInstanceOf(ConfigError);
      await expect(start).rejects.toThrow(/COORDINATOR_AGENCY = «xyz»/);
      // The lock was released: the same directory opens with a valid coordinator.
      const input = new PassThrough();
      const running = await startBot({ config: testConfig({ DATA_DIR: dir }), log: silentLog, input, output: new PassThrough() });
      input.end();
      await running.finished;
      await running.stop();
    } finally {
      await cleanup();
    }
  });
});

/** Everything written to a stream, as text. */
function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString("utf8");
}

describe("item 21: local mode saves every file it announces under DATA_DIR/tep-gui, and prints where", () => {
  const PLAN = path.resolve(import.meta.dirname, "../../../shared/plans/kien-giang-2021.txt");

  it("/xuatbaocao, /bieudo and :tongket quy (the scheduled digest's path) each write their file; the path printed is absolute", async () => {
    const { dir, cleanup } = await tempDir("dondoc-files-");
    try {
      const input = new PassThrough();
      const output = new PassThrough();
      const printed = collect(output);
      // A relative DATA_DIR (as the default ./data is): the printed path must still be usable from anywhere.
      const relative = path.relative(process.cwd(), dir);
      const running = await startBot({
        config: testConfig({ DATA_DIR: relative }),
        log: silentLog,
        input,
        output,
        clock: () => new Date("2021-06-25T03:00:00Z"),
      });
      const before = printed().length;
      input.end([`/nap ${PLAN}`, ":bam 1", ":nhom so-noi-vu", "/xuatbaocao quy 2", "/bieudo quy 2", ":tongket quy", ""].join("\n"));
      await running.finished;
      await running.stop();
      const out = printed().slice(before);

      const files = path.join(dir, "tep-gui");
      const xlsx = path.join(files, "tong-ket-cchc-quy-ii-2021.xlsx");
      const png = path.join(files, "bieu-do-cchc-quy-ii-2021.png");
      // /xuatbaocao, /bieudo, then :tongket quy's chart and .xlsx: four announcements, each with its saved path.
      const announced = out.split("\n").filter((l) => l.includes("dondoc gửi tệp"));
      expect(announced).toHaveLength(4);
      expect(announced[0]).toContain(`tong-ket-cchc-quy-ii-2021.xlsx (`);
      expect(announced[0]).toContain(`→ ${xlsx}:`);
      expect(announced[1]).toContain(`→ ${png}:`);
      expect(announced[2]).toContain(`→ ${png}:`);
      expect(announced[3]).toContain(`→ ${xlsx}:`);
      expect(out).toContain("Đã gửi bản tổng hợp quý tới 1 nhóm.");
      expect(path.isAbsolute(xlsx)).toBe(true);
      expect(readFileSync(xlsx).subarray(0, 2).toString()).toBe("PK");
      expect(readFileSync(png).subarray(1, 4).toString()).toBe("PNG");
    } finally {
      await cleanup();
    }
  });

  it("a file that cannot be written is announced as not saved, in Vietnamese, and nothing throws", async () => {
    const { dir, cleanup } = await tempDir("dondoc-files-");
    try {
      // tep-gui exists as a file: the folder cannot be made.
      const blocked = path.join(dir, "tep-gui");
      await writeFile(blocked, "x");
      const output = new PassThrough();
      const printed = collect(output);
      const chat = new LocalAdapter({ input: new PassThrough(), output, filesDir: blocked });
      await chat.sendFile("local:so-noi-vu", { name: "bao-cao.xlsx", data: Buffer.from("PK"), kind: "document", caption: "📥 Báo cáo" });
      expect(printed()).toContain(
        `[so-noi-vu] dondoc gửi tệp bao-cao.xlsx (2 byte) (không lưu được vào ${blocked}: đường dẫn có một tệp trùng tên thư mục): 📥 Báo cáo`,
      );
      expect(printed()).not.toMatch(/EEXIST|ENOTDIR|Error/);
      expect(existsSync(path.join(blocked, "bao-cao.xlsx"))).toBe(false);
    } finally {
      await cleanup();
    }
  });
});
