/**
 * Issue 13, input that is misread or echoed badly (items 11, 16, 17, 18): what people type is
 * cleaned once at the router (no control or bidi-override characters, NFC), arguments that
 * are wrong say what is wrong (and change nothing), no English library text or raw error code
 * reaches a user, and /chitiet takes the share form the bot prints. Real command files, an
 * in-memory store, no network.
 */
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { localPathArgs, readYears } from "../../commands/nap.ts";
import { loadCommands } from "../../src/bot/registry.ts";
import { Router } from "../../src/bot/router.ts";
import { Runtime } from "../../src/bot/runtime.ts";
import type { ChatKind, Incoming } from "../../src/chat/types.ts";
import { parseConfig } from "../../src/config.ts";
import { splitMessage } from "../../src/core/text.ts";
import { Refusal } from "../../src/domain/context.ts";
import { readRequest } from "../../src/digest/request.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { emptyStoreData } from "../../src/store/types.ts";
import { tempDir } from "../support/env.ts";
import { planPath } from "../support/plans.ts";
import { FakeResponder, RecordingChat } from "../digest/fixtures.ts";
import { agencies, assignment, at, binding, calendar, dated, task } from "../reminders/fixtures.ts";

const ADMIN = "tg:1";
const OFFICER = "tg:7";
const COORD_GROUP = "tg:-100";
const TUPHAP_GROUP = "tg:-200";

/** What must never reach a user: English library text, raw error codes, leaked JS values. */
const ENGLISH = /Too small|Too big|expected|Invalid|ENOENT|EEXIST|EISDIR|ENOTDIR|EACCES|Error:|undefined|NaN|\[object|task\.edit/;
/** What must never be stored or echoed: C0/C1 controls but tab and line feed, bidi embeddings/overrides/isolates. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NFD_E = "e\u0302\u0301"; // ế typed as e + circumflex + acute

let runtime: Runtime;
let router: Router;
let chat: RecordingChat;

beforeEach(async () => {
  const store = createMemoryStore({
    ...emptyStoreData(),
    tasks: [task("A1", dated("2021-03-31")), task("A2", dated("2021-06-30"))],
    assignments: [assignment("A1", "so-tu-phap"), assignment("A2", "so-tu-phap"), assignment("A2", "so-y-te")],
    bindings: [binding(COORD_GROUP, "so-noi-vu"), binding(TUPHAP_GROUP, "so-tu-phap")],
  });
  const config = parseConfig({ LOG_LEVEL: "silent", ADMIN_IDS: "1" });
  runtime = new Runtime({ config, store, agencies, calendar, log: pino({ level: "silent" }), clock: () => at("2021-03-10") });
  chat = new RecordingChat();
  runtime.outbox.attach(chat);
  router = new Router(runtime, await loadCommands());
});

type Where = { chatId: string; chatKind: ChatKind; from: string; name?: string };
const inGroup = (chatId: string, from = OFFICER): Where => ({ chatId, chatKind: "group", from });
const adminPrivate: Where = { chatId: ADMIN, chatKind: "private", from: ADMIN };

/** A command as a platform gives it: the name, then the rest of the text as typed. */
async function command(text: string, where: Where, extra: Partial<Incoming> = {}) {
  const respond = new FakeResponder();
  const m = /^\/(\S+)\s?([\s\S]*)$/.exec(text)!;
  await router.handlers().onCommand(
    {
      chatId: where.chatId,
      chatKind: where.chatKind,
      from: { id: where.from, name: where.name ?? "Người dùng" },
      text,
      command: m[1],
      args: m[2],
      ...extra,
    },
    respond,
  );
  return respond;
}

async function message(text: string, where: Where, extra: Partial<Incoming> = {}) {
  const respond = new FakeResponder();
  await router
    .handlers()
    .onMessage(
      { chatId: where.chatId, chatKind: where.chatKind, from: { id: where.from, name: where.name ?? "Người dùng" }, text, ...extra },
      respond,
    );
  return respond;
}

/** `text` without the words of `typed` it quotes back. */
function scrub(text: string, typed: string): string {
  const words = typed.split(/\s+/).filter((w) => w.length > 1);
  return words.sort((a, b) => b.length - a.length).reduce((t, word) => t.split(word).join("…"), text);
}

async function events() {
  return runtime.store.events({});
}

/**
 * Every text the bot produced — replies, pop-ups, captions, what it sent to other groups —
 * without the words of `typed` it quotes back («NaN»), so only the bot's own words are checked.
 */
function everything(r: FakeResponder, typed = ""): string {
  const all = [r.text, ...r.notices, ...r.files.map((f) => `${f.name} ${f.caption ?? ""}`), ...chat.sent.map((s) => s.text ?? "")];
  return scrub(all.join("\n"), typed);
}

describe("item 11/18: typed text is cleaned once at the router", () => {
  it("a note with ESC[2J, bidi overrides and NFD letters is stored and echoed clean, in NFC", async () => {
    const note = `Ti${NFD_E}n \u001b[2Jđộ\u202e gỡ\u202c xong\u2066!\u2069\u0007`;
    const r = await command(`/vuongmac A1 ${note}`, inGroup(TUPHAP_GROUP));
    expect(r.text).toContain("Đã ghi nhận vướng mắc của A1");
    const [event] = await events();
    expect(event.action).toBe("blocker");
    for (const stored of [JSON.stringify(runtime.store.read()), JSON.stringify(event), chat.sent[0].text!]) {
      expect(stored).not.toMatch(UNSAFE);
      expect(stored).toContain("Tiến [2Jđộ gỡ xong!");
      expect(stored).not.toContain(NFD_E);
    }
  });

  it("a reply to the bot's question, a display name and a group title are cleaned too", async () => {
    const evil = { ...inGroup(TUPHAP_GROUP), name: "Nguy\u202eễn\u001b]0;x\u0007 Văn A" };
    const asked = { messageId: "9", text: "⚠️ Vướng mắc — Mã: A1@so-tu-phap\nNhập nội dung vướng mắc bằng cách trả lời tin nhắn này." };
    await message(`Chờ \u001b[31mý kiến\r\ncủa Bộ ${NFD_E}`, evil, { replyTo: asked, chatTitle: "Nhóm\u202e Tư pháp" });
    const [event] = await events();
    expect(event.text).toBe("Chờ [31mý kiến\ncủa Bộ ế");
    expect(event.actor.name).toBe("Nguyễn]0;x Văn A");
    expect(chat.sent[0].text).not.toMatch(UNSAFE);
  });

  it("4094 × «a» + «😀» as a blocker: forwarded whole, and Telegram's parts have no lone surrogate", async () => {
    const blocker = `${"a".repeat(4094)}😀`;
    await command(`/vuongmac A1 ${blocker}`, inGroup(TUPHAP_GROUP));
    const forwarded = chat.sent[0].text!;
    expect(forwarded).toContain(blocker);
    const parts = splitMessage(forwarded); // what the Telegram adapter sends
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(part).not.toMatch(LONE_SURROGATE);
      expect(part).not.toMatch(/^\p{M}/u);
    }
  });

  it("an NFD «ế» at the limit reaches the store as one character", async () => {
    await command(`/vuongmac A1 ${"a".repeat(4090)}${NFD_E}`, inGroup(TUPHAP_GROUP));
    const [event] = await events();
    expect(event.text!.endsWith("aế")).toBe(true);
    for (const part of splitMessage(chat.sent[0].text!)) expect(part).not.toMatch(/^\p{M}/u);
  });
});

describe("item 18: arguments say what is wrong, and nothing changes", () => {
  const coordinator = () => inGroup(COORD_GROUP, ADMIN);
  it.each([
    ["/tongket nam 99999", /Năm «99999» không hợp lệ: ghi năm bằng 4 chữ số, từ 2000 đến 2100/],
    ["/tongket quy -1", /Quý «-1» không hợp lệ: quý là I–IV hoặc 1–4/],
    ["/tongket quy 2.5", /Quý «2\.5» không hợp lệ/],
    ["/tongket thang -3", /Tháng «-3» không hợp lệ: tháng là 1–12/],
    ["/tongket nam 1999", /Năm 1999 ngoài khoảng 2000–2100/],
    ["/tongket q2/1999", /Năm 1999 ngoài khoảng 2000–2100/],
    ["/tongket 5", /«5» không phải kỳ, cơ quan hay lĩnh vực/],
    ["/xuatbaocao nam 99999", /Năm «99999» không hợp lệ/],
    ["/bieudo quy -1", /Quý «-1» không hợp lệ/],
    ["/nhiemvu 1e3", /Số trang «1e3» không hợp lệ: cần số nguyên từ 1/],
    ["/nhiemvu 0", /Số trang «0» không hợp lệ/],
    ["/nhiemvu -1", /Số trang «-1» không hợp lệ/],
    ["/nhiemvu 2 3", /Chỉ ghi một số trang/],
    ["/sapden 1e2", /Số ngày «1e2» không hợp lệ: cần số nguyên từ 1 đến 366/],
    ["/sapden 0x1f", /Số ngày «0x1f» không hợp lệ/],
    ["/sapden 30 abc", /Thừa «abc»: \/sapden chỉ nhận số ngày/],
    ["/quahan abc", /Thừa «abc»: \/quahan không nhận tham số/],
  ])("%s", async (text, expected) => {
    const before = runtime.store.read();
    const r = await command(text, coordinator());
    expect(r.text).toMatch(expected);
    expect(r.text).toContain("Cách dùng: /"); // the usage follows
    expect(r.text).not.toContain("Không tìm thấy cơ quan");
    expect(r.files).toEqual([]);
    expect(runtime.store.read()).toBe(before);
    expect(await events()).toEqual([]);
  });

  it.each([
    ["/nap abc", /Không hiểu «abc»: sau \/nap chỉ ghi năm kế hoạch/],
    ["/nap 1999", /Năm 1999 ngoài khoảng 2000–2100/],
    ["/nap -5", /Năm «-5» không hợp lệ/],
    ["/nap 2030-2026", /năm đầu phải trước năm cuối/],
    ["/nap 2022 abc", /Không hiểu «2022 abc»/],
  ])("%s is refused with the usage (it used to ask for the file, the year ignored)", async (text, expected) => {
    const before = runtime.store.read();
    const r = await command(text, adminPrivate);
    expect(r.text).toMatch(expected);
    expect(r.text).toContain("Cách dùng: /nap");
    expect(r.text).not.toContain("📥 Nạp kế hoạch");
    expect(runtime.store.read()).toBe(before);
  });

  it("/nap abc as a file's caption is refused before the file is downloaded", async () => {
    const before = runtime.store.read();
    const file = { platform: "tg", fileId: "F1", name: "kh.docx", size: 100 };
    const r = await command("/nap abc", adminPrivate, { file });
    expect(r.text).toMatch(/Không hiểu «abc»/);
    expect(runtime.store.read()).toBe(before);
  });

  it("/nap with a year or a period still asks for the file", async () => {
    expect((await command("/nap 2022", adminPrivate)).text).toContain("Năm kế hoạch: 2022");
    expect((await command("/nap năm 2023", adminPrivate)).text).toContain("Năm kế hoạch: 2023");
    expect((await command("/nap giai đoạn 2026–2030", adminPrivate)).text).toContain("Giai đoạn kế hoạch: 2026–2030");
    expect((await command("/nap", adminPrivate)).text).toMatch(/^📥 Nạp kế hoạch/);
  });

  it("good arguments still work", async () => {
    expect((await command("/nhiemvu 1", inGroup(COORD_GROUP, ADMIN))).text).toContain("📋 Nhiệm vụ chưa hoàn thành");
    expect((await command("/sapden 30", inGroup(TUPHAP_GROUP))).text).toContain("Sắp đến hạn");
    expect((await command("/tongket quy 1 2021", inGroup(COORD_GROUP, ADMIN))).text).toContain("Quý I/2021");
    expect((await command("/tongket nam 2021 so-tu-phap", inGroup(COORD_GROUP, ADMIN))).text).toContain("Sở Tư pháp");
  });
});

describe("item 18: local mode's /nap reads a path with spaces", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir("dondoc-nap-")));
  afterAll(async () => cleanup?.());

  it("localPathArgs keeps the spaces, takes the year before or after, unquotes", () => {
    expect(localPathArgs("/tmp/Kế hoạch  CCHC/kh 2021.docx 2022")).toEqual({
      path: "/tmp/Kế hoạch  CCHC/kh 2021.docx",
      years: { year: 2022 },
    });
    expect(localPathArgs("2026-2030 ./a b.txt")).toEqual({ path: "./a b.txt", years: { period: { first: 2026, last: 2030 } } });
    expect(localPathArgs('"./a b.txt" năm 2022')).toEqual({ path: "./a b.txt", years: { year: 2022 } });
    expect(localPathArgs("2022")).toBeNull();
    expect(localPathArgs("abc")).toBeNull();
  });

  it("/nap <a file in a folder whose name has two spaces> 2021 gives the preview; a folder is refused in Vietnamese", async () => {
    const folder = path.join(dir, "Kế hoạch  CCHC");
    await mkdir(folder);
    const file = path.join(folder, "kien giang 2021.txt");
    await copyFile(planPath("kien-giang-2021.txt"), file);
    const local: Where = { chatId: "local:rieng", chatKind: "private", from: ADMIN };
    const before = runtime.store.read();
    const preview = await command(`/nap ${file} 2021`, local);
    expect(preview.text).toContain("Chưa ghi gì");
    const refused = await command(`/nap ${folder}`, local);
    expect(refused.text).toContain("là một thư mục, không phải tệp kế hoạch");
    const missing = await command(`/nap ${path.join(dir, "khong co.docx")}`, local);
    expect(missing.text).toContain("không có tệp này");
    // A device has no size and would be read forever (the bot hung on /dev/zero).
    const device = await command("/nap /dev/zero", local);
    expect(device.text).toContain("không phải một tệp thường");
    for (const r of [refused, missing, device]) expect(r.text).not.toMatch(ENGLISH);
    expect(runtime.store.read().tasks).toEqual(before.tasks);
  });
});

describe("item 16: /chitiet and /lichsu take the share form the bot prints", () => {
  it("/chitiet A2@so-tu-phap in the Sở Nội vụ group shows the task", async () => {
    const r = await command("/chitiet A2@so-tu-phap", inGroup(COORD_GROUP));
    expect(r.text).toMatch(/^📋 A2 — /);
    expect(r.text).toContain("Sở Tư pháp");
    expect(r.text).not.toMatch(/^⚠️|^⛔/);
    const upper = await command("/chitiet a2@SO-TU-PHAP", inGroup(COORD_GROUP));
    expect(upper.text).toMatch(/^📋 A2 — /);
  });

  it("/lichsu A2@so-tu-phap answers for task A2", async () => {
    expect((await command("/lichsu A2@so-tu-phap", inGroup(COORD_GROUP))).text).toContain("A2: chưa có thay đổi nào");
  });
});

describe("item 17: no English library text, raw error code or leaked value in any answer to bad input", () => {
  const BAD = [
    "/tongket nam 99999",
    "/tongket quy -1",
    "/tongket nam 1999",
    "/tongket thang 13",
    "/tongket q9",
    "/tongket tu 31/02/2021 den 01/03/2021",
    "/tongket tu 01/03/2021 den 01/01/2021",
    "/tongket so-khong-co",
    "/xuatbaocao nam 1999",
    "/bieudo quy 2/1999",
    "/nhiemvu 1e3",
    "/nhiemvu NaN",
    "/nhiemvu undefined",
    "/sapden Infinity",
    "/sapden -0",
    "/sapden 99999999999999999999",
    "/quahan x",
    "/chitiet",
    "/chitiet A999",
    "/chitiet A1@khong-co",
    "/lichsu",
    "/lichsu A999",
    "/coquan \u001b[2J",
    "/nap abc",
    "/nap 1999",
    "/nap 2100-2000",
    "/sua A1 thoihan 30/06/9999",
    "/sua A1 thoihan",
    "/sua A1 khong-co-truong x",
    "/tiendo A1 150",
    "/tiendo A1 -5",
    "/tiendo A1 1e2",
    "/tiendo",
    "/xong A999",
    "/giahan A1 31/02/2021 lý do",
    "/giahan A1 abc",
    "/dieukien A1 99/99/9999",
    "/duyet abc",
    "/duyet 99999",
    "/tuchoi",
    "/vuongmac A1",
    "/bidanh",
    "/themcoquan",
    "/dangky",
    "/maunhap 1999",
    "/maunhap abc",
    "/giup khong-co",
    "/khongcolenh",
  ];

  it.each(BAD)("%s (as an admin in the Sở Nội vụ group, and as an officer in an agency's group)", async (text) => {
    for (const where of [inGroup(COORD_GROUP, ADMIN), inGroup(TUPHAP_GROUP), adminPrivate]) {
      const r = await command(text, where);
      const all = everything(r, text);
      expect(r.text + r.notices.join(""), `${text} gave no answer`).not.toBe("");
      expect(all, text).not.toMatch(ENGLISH);
      expect(all).not.toMatch(UNSAFE);
    }
  });

  it("a plan's history never shows an action's code or [object Object]", async () => {
    const admin = inGroup(COORD_GROUP, ADMIN);
    await command("/sua A1 chutri Sở Tư pháp", admin);
    await command("/sua A1 thoihan Quý II/2021", admin);
    await command("/tiendo A1 40 đang làm", inGroup(TUPHAP_GROUP));
    const history = (await command("/lichsu A1", admin)).text;
    expect(history).toContain("sửa nhiệm vụ");
    expect(history).not.toMatch(ENGLISH);
  });
});

// ---------------------------------------------------------------- properties

/** Arguments people might type: numbers in every shape, words, signs, controls, bidi, NFD. */
const typed = fc
  .array(
    fc.oneof(
      fc.constantFrom("quy", "thang", "nam", "q2", "t5/2021", "ii", "chitiet", "so-tu-phap", "tthc", "1e3", "-1", "0", "2.5", "99999"),
      fc.constantFrom("2021", "1999", "2026-2030", "\u001b[2J", "\u202e", NFD_E, "năm", "giai đoạn", "NaN", "Infinity", "0x1f", "~/a b"),
      fc.integer({ min: -100000, max: 100000 }).map(String),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 5 },
  )
  .map((words) => words.join(" "));

describe("argument parsers (properties): never throw anything but a Vietnamese refusal; an error never changes the store", () => {
  const coordinatorCaller = {
    chatId: COORD_GROUP,
    chatKind: "group" as const,
    chatAgencyId: "so-noi-vu",
    isCoordinatorChat: true,
    userId: ADMIN,
    userName: "Quản trị",
    isAdmin: true,
    isManager: false,
  };

  it("readRequest (/tongket, /xuatbaocao, /bieudo)", () => {
    const directory = runtime.directory();
    fc.assert(
      fc.property(typed, (args) => {
        try {
          const request = readRequest(directory, coordinatorCaller, args, "2021-03-10");
          expect(request.period.from <= request.period.to).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(Refusal);
          expect(scrub((error as Error).message, args)).not.toMatch(ENGLISH);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("readYears and localPathArgs (/nap)", () => {
    fc.assert(
      fc.property(typed, (args) => {
        for (const parse of [readYears, localPathArgs]) {
          try {
            parse(args);
          } catch (error) {
            expect(error).toBeInstanceOf(Refusal);
            expect(scrub((error as Error).message, args)).not.toMatch(ENGLISH);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("the commands through the router: always an answer, never English, never a change to the store", async () => {
    const names = ["tongket", "nhiemvu", "sapden", "quahan", "nap", "lichsu", "coquan", "chitiet"];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), typed, async (name, args) => {
        chat.sent.length = 0;
        const before = runtime.store.read();
        const r = await command(`/${name} ${args}`, inGroup(COORD_GROUP, ADMIN));
        const all = everything(r, args);
        expect(r.text + r.notices.join("")).not.toBe("");
        expect(all).not.toMatch(ENGLISH);
        expect(all).not.toMatch(UNSAFE);
        expect(runtime.store.read()).toBe(before);
      }),
      { numRuns: 300 },
    );
    expect(await events()).toEqual([]);
  });
});

describe("the same progress reported again (found by a newcomer: «50% → 50%», and «?% → ?%» in the history)", () => {
  it("says the progress stays, and the history says «không đổi»", async () => {
    await command("/tiendo A1 50", inGroup(TUPHAP_GROUP));
    const again = await command("/tiendo A1 50", inGroup(TUPHAP_GROUP));
    expect(again.text).toContain("A1 — Sở Tư pháp: tiến độ vẫn 50% (đã ghi lần báo hôm nay)");
    const history = await command("/lichsu A1", inGroup(TUPHAP_GROUP));
    expect(history.text).toContain("0% → 50%");
    expect(history.text).toContain("(không đổi)");
    expect(history.text).not.toContain("?%");
  });
});

describe("an impossible date gets one wording in every command (found by a newcomer: three different messages)", () => {
  it.each([
    ["/giahan A1 31/02/2021 chờ hướng dẫn", inGroup(TUPHAP_GROUP)],
    ["/sua A1 thoihan 31/02/2021", adminPrivate],
  ])("%s", async (text, where) => {
    const before = JSON.stringify(runtime.store.read());
    const reply = await command(text, where);
    expect(reply.text).toContain("Ngày «31/02/2021» không có thật");
    expect(JSON.stringify(runtime.store.read())).toBe(before);
  });

  it("a date not in dd/mm/yyyy form says the form", async () => {
    const reply = await command("/giahan A1 mai chờ hướng dẫn", inGroup(TUPHAP_GROUP));
    expect(reply.text).toContain("Ngày «mai» không hợp lệ: cần dạng dd/mm/yyyy");
  });
});

describe("Telegram's «group upgraded» message moves the send-log with the binding (found in review)", () => {
  it("what was delivered to the old id stays delivered to the new one, in one write", async () => {
    const { sendingEntry } = await import("../../src/core/sendlog.ts");
    await runtime.store.update((d) => {
      d.sendLog = [
        {
          ...sendingEntry({
            key: `2021-03-10|reminder|${TUPHAP_GROUP}`,
            day: "2021-03-10",
            kind: "reminder",
            chatId: TUPHAP_GROUP,
            parts: 1,
            at: "2021-03-10T01:00:00.000Z",
          }),
          status: "delivered",
          partsDelivered: 1,
        },
      ];
      return { result: null };
    });
    await router.handlers().onChatMoved(TUPHAP_GROUP, "tg:-20099");
    const data = runtime.store.read();
    expect(data.bindings.find((b) => b.agencyId === "so-tu-phap")?.chatId).toBe("tg:-20099");
    expect(data.sendLog.map((e) => [e.key, e.chatId])).toEqual([["2021-03-10|reminder|tg:-20099", "tg:-20099"]]);
  });
});
