/**
 * Issue 13's hostile corpus: every command × malformed arguments (long, control, bidi, NFD,
 * HTML/Markdown, huge numbers, impossible dates, other agencies' tasks…) from three seats — an
 * officer in a bound group, an outsider in an unbound group, an admin in private — plus forged
 * and outdated buttons, replies to the bot's old messages and plain chatter, run through the
 * real bot over the telegram-test-api emulator. After EACH input:
 *  (a) every message, pop-up and file caption the bot sent is Vietnamese — no English library or
 *      error text, no raw control/bidi character, no lone surrogate — or the bot stayed silent,
 *      which only inputs meant to be ignored may get (a command for another bot, chatter);
 *  (b) each text ≤ 4096 UTF-16 units, each button's callback data ≤ 64 bytes;
 *  (c) the store is unchanged (`dataOf`), unless the input is a legitimate change: then the
 *      audit trail gained exactly the expected actions, and what was stored is clean; the
 *      baseline is put back before the next input, so every input meets the same state;
 *  (d) nothing failed inside (no error logged, no apology) and the bot still answers: each
 *      answered input shows it alive after the one before; after silence, and every 20
 *      inputs, a plain /giup must be answered.
 * The table is generated, and the summary line per category is what README's Reliability table cites.
 * HOSTILE_TRANSCRIPT=<file> writes every input with what the bot answered, for reading.
 */
import { writeFileSync } from "node:fs";
import pino from "pino";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCommands } from "../../src/bot/registry.ts";
import { cleanText, squash } from "../../src/core/text.ts";
import type { StoreData } from "../../src/store/types.ts";
import { EmulatorHarness, type BotMessage, type GroupChat, type Person } from "../support/emulator.ts";
import { dataOf } from "../support/env.ts";
import { bindChat, loadPlan } from "../support/plans.ts";

const NOW = new Date("2021-03-25T01:00:00Z"); // Thursday 25/03/2021, 08:00 in Vietnam
const ADMIN: Person = { id: 1001, name: "Chị Lan (quản trị)" };
const OFFICER: Person = { id: 3003, name: "Anh Tư (Sở KH&CN)" };
const OUTSIDER: Person = { id: 7007, name: "Người lạ" };
const JUSTICE: Person = { id: 4004, name: "Chị Hà (Sở Tư pháp)" };

/** English library text, raw error codes and leaked JS values: never in an answer (unless echoing what was typed). */
const ENGLISH =
  /\b(Error|undefined|null|NaN|Infinity|Invalid|invalid|expected|Expected|Cannot|TypeError|RangeError|ENOENT|EEXIST|EISDIR|Too small|Too big|object Object|function|stack)\b/g;
/** C0/C1 controls but tab and line feed, bidi embeddings/overrides/isolates, invisible characters, lone surrogates. */
const UNSAFE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** A Vietnamese letter with its diacritics: every answer has at least one. */
const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;
/** The router's apology for an unexpected failure: a bug, whatever the input. */
const APOLOGY = "Có lỗi khi xử lý yêu cầu";

// ------------------------------------------------------------------ the hostile shapes

const NFD_NAME = "Sở Tư pháp".normalize("NFD");
/** Argument shapes, each named; `value` goes where an argument would. */
const SHAPES: Record<string, string> = {
  empty: "",
  spaces: "   \t  ",
  "long words": "Đôn đốc ".repeat(625),
  "long token": "x".repeat(5000),
  "ESC clear screen": "\u001b[2J\u001b[H xoá màn hình",
  NUL: "A24\u0000 50",
  bell: "\u0007\u0007",
  "bidi override": "\u202eA24 05\u202c",
  "zero width": "A\u200b24",
  "NFD name": NFD_NAME,
  HTML: "<b>x</b>",
  Markdown: "*_[x](y)_* `code`",
  "1e309": "1e309",
  "20 digits": "99999999999999999999",
  negative: "-1",
  NaN: "NaN",
  "other agency's task": "A4",
  "other agency's share": "A24@so-tu-phap",
  "unknown code": "Z999",
  "truncated share": "A24@",
  "unknown agency": "A1@unknown",
  "31/02/2021": "31/02/2021",
  "30/06/9999": "30/06/9999",
  emoji: "😀🇻🇳👍🏽",
  "lone surrogate": "\ud83d",
  "SQL-ish": "'; DROP TABLE tasks;--",
  "path-ish": "../../etc/passwd",
};
/** The shapes the officer tries on every command (the others are variants of these, tried in slots). */
const OFFICER_SHAPES = Object.keys(SHAPES).filter((n) => !["spaces", "bell", "Markdown", "negative", "unknown agency"].includes(n));
/** The shapes tried in a later argument slot and in replies. */
const SLOT = [
  "empty",
  "spaces",
  "long words",
  "long token",
  "ESC clear screen",
  "bidi override",
  "NFD name",
  "Markdown",
  "1e309",
  "30/06/9999",
  "lone surrogate",
];
/** The shapes the outsider and the admin try on every command. */
const SEAT_SHAPES: Record<"outsider" | "admin", string[]> = {
  outsider: ["empty", "ESC clear screen", "NFD name", "other agency's share"],
  admin: ["empty", "long words", "ESC clear screen", "NFD name", "30/06/9999", "lone surrogate"],
};
/** The forged buttons the outsider (an unbound group) presses: one of each kind. */
const OUTSIDER_BUTTONS =
  /^(xong:A24@so-khcn:20210331|xong:A24@so-khcn|xong:|td:A24@so-khcn|tdp:A24@so-khcn:75|vm:A24@so-khcn|dk:A16@so-khcn|ghok:1|ghno:1|gnok:1|gnno:1|dkok:1|napok:stale-import-id|napnam:x|napcot:stale:0:1|napthay:zzz|napno:nothing|tkct:quy 9|tkct:|tkxl:..\/..\/etc\/passwd|zz:1)$/;

// ------------------------------------------------------------------ the corpus

type Seat = "officer" | "outsider" | "admin" | "coordinator" | "named" | "titled";
/**
 * What an input must get: `answered` (a Vietnamese answer, store unchanged), `ignored`
 * (silence, store unchanged), or `changes` (a Vietnamese answer and exactly these audit actions).
 */
type Expect = { kind: "answered" } | { kind: "ignored" } | { kind: "changes"; actions: string[] };
type Input = {
  category: string;
  seat: Seat;
  label: string;
  expect: Expect;
} & ({ type: "command"; text: string } | { type: "press"; data: string } | { type: "say"; text: string; replyTo?: string; file?: string });

const answered: Expect = { kind: "answered" };
const ignored: Expect = { kind: "ignored" };
const changes = (...actions: string[]): Expect => ({ kind: "changes", actions });

/**
 * The whole-argument inputs that legitimately change state, by `seat /command shape`. The
 * router cleans what is typed first, so `A24\u0000 50` and `\u202eA24 05\u202c` are `A24 50`
 * and `A24 05` — valid requests of the officer's own share — `A\u200b24` is A24, and NFD «Sở Tư
 * pháp» names the agency (a binding request from a non-admin). An admin may add an agency whose
 * name has words, odd as it is.
 */
const WHOLE_ARG_CHANGES: Record<string, string[]> = {
  "officer /tiendo NUL": ["progress"],
  "officer /tiendo bidi override": ["progress"],
  "officer /vuongmac NUL": ["blocker"],
  "officer /vuongmac bidi override": ["blocker"],
  "officer /xong NUL": ["done"],
  "officer /xong bidi override": ["done"],
  "officer /xong zero width": ["done"],
  "officer /dangky NFD name": ["bind.request"],
  "outsider /dangky NFD name": ["bind.request"],
  "admin /themcoquan ESC clear screen": ["agency.add"],
};

/** Does `shape`, once the router has cleaned it, leave any text? */
const nonEmpty = (shape: string) => cleanText(shape).trim() !== "";
/** Has `shape`, once cleaned, a word (what an agency's name needs)? */
const hasWord = (shape: string) => /\p{L}{2,}/u.test(cleanText(shape)) && cleanText(shape).length <= 200;

/** Shapes in one argument slot of a command, with what each must get. */
function slot(seat: Seat, template: string, names: string[], expect: (shape: string, name: string) => Expect): Input[] {
  return names.map((name) => ({
    category: "argument slots",
    seat,
    label: `${seat} ${template} ← ${name}`,
    type: "command" as const,
    text: template.replace("{x}", SHAPES[name]),
    expect: expect(SHAPES[name], name),
  }));
}

async function corpus(): Promise<Input[]> {
  const commands = (await loadCommands()).list();
  const inputs: Input[] = [];

  // 1. Every command × the shapes as its whole argument, from each seat. A command the officer
  // may not use is refused before its arguments are read: the outsider's few shapes suffice.
  for (const seat of ["officer", "outsider", "admin"] as const) {
    for (const { name, access } of commands) {
      const refusedFirst = access === "admin" || access === "import" || access === "decide-extension";
      for (const shape of seat === "officer" && !refusedFirst ? OFFICER_SHAPES : SEAT_SHAPES[seat === "admin" ? "admin" : "outsider"]) {
        const key = `${seat} /${name} ${shape}`;
        const actions = WHOLE_ARG_CHANGES[key];
        inputs.push({
          category: `commands × shapes (${seat})`,
          seat,
          label: key,
          type: "command",
          text: `/${name} ${SHAPES[shape]}`,
          expect: actions?.length ? changes(...actions) : answered,
        });
      }
    }
  }

  // 2. Shapes in a later argument slot: the rest of the command is valid.
  inputs.push(
    ...slot("officer", "/tiendo A24 {x}", SLOT, () => answered),
    ...slot("officer", "/tiendo A24 50 {x}", SLOT, () => changes("progress")),
    ...slot("officer", "/vuongmac A24 {x}", SLOT, (s) => (nonEmpty(s) ? changes("blocker") : answered)),
    ...slot("officer", "/xong A24 {x}", SLOT, () => changes("done")),
    ...slot("officer", "/giahan A24 {x} chờ hướng dẫn", SLOT, () => answered),
    ...slot("officer", "/giahan A24 30/06/2021 {x}", SLOT, (s) => (nonEmpty(s) ? changes("extension.request") : answered)),
    ...slot("officer", "/dieukien A16 {x}", SLOT, () => answered),
    ...slot("coordinator", "/nhiemvu 1 {x}", SLOT, () => answered),
    ...slot("coordinator", "/tongket quy {x}", SLOT, () => answered),
    ...slot("coordinator", "/tuchoi 1 {x}", SLOT, (s) => (nonEmpty(s) ? changes("extension.reject") : answered)),
    ...slot("admin", "/sua A24 noidung {x}", SLOT, (s) => (nonEmpty(s) ? changes("task.edit") : answered)),
    ...slot("admin", "/sua A24 thoihan {x}", SLOT, () => answered),
    ...slot("admin", "/themcoquan {x}", SLOT, (s, n) => (hasWord(s) && n !== "NFD name" ? changes("agency.add") : answered)),
    // The agency's own name again (NFD «Sở Tư pháp»): a redundant alias, written like any other.
    ...slot("admin", "/bidanh {x} = so-tu-phap", SLOT, (s) => (hasWord(s) ? changes("alias") : answered)),
    ...slot(
      "admin",
      "/themcoquan Quỹ Phát triển đất = {x}",
      ["empty", "long token", "HTML", "1e309", "NFD name", "lone surrogate"],
      (_s, n) =>
        // No id once cleaned (empty, a lone surrogate): the name's slug; «1e309» is a valid id.
        n === "empty" || n === "1e309" || n === "lone surrogate" ? changes("agency.add") : answered,
    ),
  );

  // 2b. A display name and a group title with controls, bidi overrides and 300 characters.
  for (const [seat, text, expect] of [
    ["named", "/vuongmac A24 chờ ý kiến góp ý", changes("blocker")],
    ["named", "/tiendo A24 30", changes("progress")],
    ["named", "/nhiemvu", answered],
    ["titled", "/dangky Sở Y tế", changes("bind.request")],
    ["titled", "/coquan y tế", answered],
  ] as [Seat, string, Expect][])
    inputs.push({ category: "names and titles", seat, label: `${seat} ${text}`, type: "command", text, expect });

  // 3. Command names: mixed case, addressed to this bot or another, unknown, malformed.
  const nameInputs: [string, Expect][] = [
    ["/TienDo A24 50", changes("progress")],
    ["/XONG A24", changes("done")],
    ["/NhiemVu", answered],
    ["/giup@TestNameBot", answered],
    ["/GIUP@testnamebot tiendo", answered],
    ["/tiendo@otherbot A24 50", ignored],
    ["/xong@otherbot A24", ignored],
    ["/nap@some_other_bot", ignored],
    ["/khongco", answered],
    ["/tiendo_", answered],
    ["/x", answered],
  ];
  for (const seat of ["officer", "outsider", "admin"] as const)
    for (const [text, expect] of nameInputs)
      inputs.push({
        category: "command names",
        seat,
        label: `${seat} ${text}`,
        type: "command",
        text,
        // Elsewhere A24 is not the caller's own share (the admin is asked which agency's).
        expect: seat === "officer" || expect.kind !== "changes" ? expect : answered,
      });

  // 4. Forged and outdated buttons (callback data), from each seat. Admins report for any agency.
  const admin = (e: Expect) => ({ admin: e });
  const forged: [string, Partial<Record<Seat, Expect>>][] = [
    ["xong:Z999@so-khcn:20210331", {}],
    ["xong:A24@so-khcn:20210331", { officer: changes("done"), admin: changes("done") }],
    ["xong:A24@so-khcn", { officer: changes("done"), admin: changes("done") }], // an earlier version's ✅, due within the notice window
    ["xong:A25@so-khcn", {}], // an earlier version's ✅, due far ahead: asks for /xong
    ["xong:A24@so-khcn:20211231", {}], // names a milestone A24 does not have
    ["xong:A24@so-khcn:99999999", {}],
    ["xong:A24@so-khcn:20210230", {}],
    ["xong:A4@so-tu-phap:20211231", admin(changes("done"))],
    ["xong:A24@~zzzzzz:20210331", {}],
    ["xong:A24@", {}],
    ["xong:", {}],
    ["xong", {}],
    [":", {}],
    ["", {}],
    [`xong:${"A".repeat(80)}`, {}],
    [`xong:A24@so-khcn:20210331${"9".repeat(60)}`, {}],
    ["td:A4@so-tu-phap", admin(answered)],
    ["td:A24@so-khcn", { officer: answered }],
    ["tdp:A24@so-khcn:150", {}],
    ["tdp:A24@so-khcn:", {}],
    ["tdp:A24@so-khcn:NaN", {}],
    ["tdp:A24@so-khcn:-1", {}],
    ["tdp:A24@so-khcn:75", { officer: changes("progress"), admin: changes("progress") }],
    ["tdp:A4@so-tu-phap:75", admin(changes("progress"))],
    ["tdp::", {}],
    ["vm:A5@vp-ubnd", {}],
    ["vm:A24@so-khcn", {}],
    ["dk:A24@so-khcn", {}], // not a conditional task
    ["dk:A16@so-khcn", {}],
    ["ghok:999", {}],
    ["ghok:-1", {}],
    ["ghok:1e309", {}],
    ["ghok:", {}],
    ["ghok:1", admin(changes("extension.approve", "deadline.move"))],
    ["ghno:1", admin(changes("extension.reject"))],
    ["gnok:1", admin(changes("bind"))],
    ["gnno:1", admin(changes("bind.reject"))],
    ["gnok:1e0", {}],
    ["gnok:abc", {}],
    ["dkok:1", admin(changes("bind"))], // the legacy code of gnok
    ["dkno:zzz", {}],
    ["napok:stale-import-id", {}],
    ["napadd:stale-import-id", {}],
    ["napnam:stale:2022", {}],
    ["napnam:x", {}],
    ["napnam:", {}],
    ["napcot:stale:0:1", {}],
    ["napcot:", {}],
    ["napthay:zzz", {}],
    ["napno:nothing", {}],
    ["tkct:quy 9", {}],
    ["tkct:<script>", {}],
    ["tkbd:nam 99999", {}],
    ["tkxl:../../etc/passwd", {}],
    ["tkct:", {}],
    ["zz:1", {}],
    ["\u202exong:A24@so-khcn:20210331", { officer: changes("done"), admin: changes("done") }], // cleaned: a valid ✅
    ["xong:A24@so-khcn:2021\u00000331", { officer: changes("done"), admin: changes("done") }], // cleaned: a valid ✅
    [`xong:${NFD_NAME}`, {}],
    ["xong:A24@so-khcn:20210331:extra", {}],
  ];
  for (const seat of ["officer", "outsider", "admin"] as const)
    for (const [data, bySeat] of forged.filter(([data]) => seat !== "outsider" || OUTSIDER_BUTTONS.test(data)))
      inputs.push({
        category: "forged and old buttons",
        seat,
        label: `${seat} [${data}]`,
        type: "press",
        data,
        expect: bySeat[seat] ?? answered,
      });

  // 5. Replies to the bot's old messages, and chatter.
  const blockerPrompt = (key: string) => `⚠️ Vướng mắc — Mã: ${key}\nNhập nội dung vướng mắc bằng cách trả lời tin nhắn này.`;
  const datePrompt = (key: string) =>
    `🗓 Thời điểm thực hiện — Mã: ${key}\nĐiều kiện đã có? Trả lời tin nhắn này bằng hạn thực hiện, dạng dd/mm/yyyy.`;
  const donePrompt = (key: string) => `✅ A24 — x: hoàn thành.\nMã: ${key} — gửi tệp kiểm chứng (PDF, ảnh) bằng cách trả lời tin nhắn này.`;
  const say = (seat: Seat, label: string, text: string, expect: Expect, replyTo?: string, file?: string): Input => ({
    category: "replies and chatter",
    seat,
    label: `${seat} ${label}`,
    type: "say",
    text,
    replyTo,
    file,
    expect,
  });
  for (const name of SLOT) {
    inputs.push(
      say(
        "officer",
        `blocker reply ← ${name}`,
        SHAPES[name],
        nonEmpty(SHAPES[name]) ? changes("blocker") : answered,
        blockerPrompt("A24@so-khcn"),
      ),
    );
    inputs.push(say("officer", `date reply ← ${name}`, SHAPES[name], answered, datePrompt("A16@so-khcn")));
  }
  inputs.push(
    say("officer", "blocker reply for another agency", "không làm được", answered, blockerPrompt("A4@so-tu-phap")),
    say("outsider", "blocker reply from an unbound group", "không làm được", answered, blockerPrompt("A24@so-khcn")),
    say("officer", "blocker reply for a task gone", "không làm được", answered, blockerPrompt("Z999@so-khcn")),
    say("officer", "blocker reply with a long key", "không làm được", answered, blockerPrompt(`A24@${"x".repeat(300)}`)),
    say("officer", "date reply for another agency", "30/09/2021", answered, datePrompt("A16@so-tu-phap")),
    say("officer", "date reply for a task not conditional", "30/09/2021", answered, datePrompt("A24@so-khcn")),
    say("officer", "date reply, valid", "30/09/2021", changes("condition.date"), datePrompt("A16@so-khcn")),
    say("officer", "date reply, far future", "30/09/9999", answered, datePrompt("A16@so-khcn")),
    say("outsider", "date reply from an unbound group", "30/09/2021", answered, datePrompt("A16@so-khcn")),
    say("officer", "evidence file for another agency", "", answered, donePrompt("A4@so-tu-phap"), "bien-ban.pdf"),
    say("officer", "evidence file named with bidi", "", changes("evidence"), donePrompt("A24@so-khcn"), "\u202efdp.exe"),
    say("officer", "evidence file with a 5,000-char name", "", changes("evidence"), donePrompt("A24@so-khcn"), `${"x".repeat(5000)}.pdf`),
    say("officer", "evidence file with a control caption", "\u001b[2J biên bản", changes("evidence"), donePrompt("A24@so-khcn"), "bb.pdf"),
    say("outsider", "evidence file from an unbound group", "", answered, donePrompt("A24@so-khcn"), "bien-ban.pdf"),
    say("officer", "plan file from an officer", "", answered, "📥 Nạp kế hoạch: gửi tệp kế hoạch", "kehoach.docx"),
    say("admin", "plan file that cannot be downloaded", "", answered, "📥 Nạp kế hoạch: gửi tệp kế hoạch", "kehoach.docx"),
    say("admin", "plan file of 50 MB", "", answered, "📥 Nạp kế hoạch: gửi tệp kế hoạch", "kehoach-50mb.docx"),
    say("officer", "text reply to the plan question", "2022", ignored, "📥 Nạp kế hoạch: gửi tệp kế hoạch"),
    say("officer", "reply to an unrelated bot message", "ok", ignored, "dondoc — theo dõi, đôn đốc"),
    say("officer", "reply to a prompt without a key", "không làm được", ignored, "⚠️ Vướng mắc — Mã:"),
    say("officer", "chatter", "xin chào mọi người", ignored),
    say("officer", "a lone slash", "/", ignored),
    say("officer", "chatter with controls", "\u001b[2J\u0007", ignored),
    say("outsider", "chatter in an unbound group", "A24 xong rồi nhé", ignored),
    say("admin", "chatter in private", "🙂", ignored),
    say("officer", "a file without a caption", "", ignored, undefined, "anh.jpg"),
  );
  return inputs;
}

// ------------------------------------------------------------------ running it

/** Log lines at error level (pino JSON), to catch failures the user would see only as an apology. */
const errors: string[] = [];
const log = pino(
  { level: "error" },
  new Writable({
    write(chunk, _enc, done) {
      errors.push(String(chunk));
      done();
    },
  }),
);

type Outcome = { texts: string[]; notices: string[]; files: string[]; callbackData: string[] };

describe("e2e: a corpus of hostile inputs", () => {
  let h: EmulatorHarness;
  let seats: Record<Seat, { chat: GroupChat; person: Person }>;
  let baseline: StoreData;

  beforeAll(async () => {
    h = await EmulatorHarness.start({ admins: [ADMIN.id], clock: () => NOW, throttle: false, log });
    await loadPlan(h.runtime, "kien-giang-2021.txt");
    await bindChat(h.runtime, "tg:-3000", "so-noi-vu");
    await bindChat(h.runtime, "tg:-3001", "so-tu-phap");
    await bindChat(h.runtime, "tg:-3002", "so-khcn");
    seats = {
      officer: { chat: h.group(-3002, "Sở KH&CN — CCHC"), person: OFFICER },
      outsider: { chat: h.group(-3999, "Nhóm lạ"), person: OUTSIDER },
      admin: { chat: h.group(ADMIN.id, "riêng"), person: ADMIN },
      coordinator: { chat: h.group(-3000, "Sở Nội vụ — CCHC"), person: { id: 5005, name: "Anh Nam (Sở Nội vụ)" } },
      // A display name and a group title are typed by people too.
      named: { chat: h.group(-3002, "Sở KH&CN — CCHC"), person: { id: 3004, name: `\u202eAnh\u001b[2J Tư\u0000 ${"ư".repeat(300)}` } },
      titled: { chat: h.group(-3998, `\u202eNhóm\u0007 lạ\u200b ${"y".repeat(300)}`), person: OUTSIDER },
    };
    // A24 shared by Sở KH&CN and Sở Tư pháp; an extension request (số 1) and a group's binding request (số 1) waiting.
    await seats.admin.chat.command(ADMIN, "/sua A24 chutri Sở Khoa học và Công nghệ; Sở Tư pháp");
    await h.group(-3001, "Sở Tư pháp — CCHC").command(JUSTICE, "/giahan A4 30/06/2022 Chờ hướng dẫn của Bộ");
    await seats.outsider.chat.command(OUTSIDER, "/dangky Sở Y tế");
    const data = h.runtime.store.read();
    expect(data.assignments.map((a) => a.id)).toEqual(expect.arrayContaining(["A24@so-khcn", "A24@so-tu-phap"]));
    expect(data.extensionRequests.map((r) => r.id)).toEqual([1]);
    expect(data.pendingBindings.map((b) => b.id)).toEqual([1]);
    baseline = data;
    await unread();
  });
  afterAll(async () => h?.stop());

  /** Everything the bot sent since the last call: messages in any chat, pop-ups, files. */
  let callsSeen = 0;
  async function unread(): Promise<Outcome> {
    const updates = h.server.storage.botMessages.filter((u) => !u.isRead) as unknown as { message: BotMessage; isRead: boolean }[];
    for (const u of updates) u.isRead = true;
    const messages = updates.map((u) => ({
      ...u.message,
      reply_markup: typeof u.message.reply_markup === "string" ? JSON.parse(u.message.reply_markup) : u.message.reply_markup,
    })) as BotMessage[];
    const calls = h.calls.slice(callsSeen);
    callsSeen = h.calls.length;
    return {
      texts: messages.map((m) => m.text),
      callbackData: messages.flatMap((m) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data)),
      notices: calls.filter((c) => c.method === "answerCallbackQuery" && c.payload.text).map((c) => String(c.payload.text)),
      files: calls.filter((c) => c.method !== "answerCallbackQuery").map((c) => String(c.payload.caption ?? "")),
    };
  }

  /** Put the baseline back (all but the inbox and the audit sequence), after a legitimate change. */
  async function restore(): Promise<void> {
    await h.runtime.store.update((draft) => {
      const target = draft as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(baseline)) {
        if (key === "inbox" || key === "eventSeq") continue;
        target[key] = Array.isArray(value) ? [...value] : value !== null && typeof value === "object" ? { ...value } : value;
      }
      return { result: undefined };
    });
  }

  async function send(input: Input): Promise<void> {
    const { chat, person } = seats[input.seat];
    if (input.type === "command") return chat.command(person, input.text);
    if (input.type === "press") return chat.pressData(person, input.data);
    const replyTo = input.replyTo !== undefined ? { text: input.replyTo, chat_id: chat.chatId, message_id: 42 } : undefined;
    const size = input.file?.includes("50mb") ? 50 * 1024 * 1024 : 2048;
    if (input.file) return chat.file(person, { file_id: "f1", file_name: input.file, file_size: size }, replyTo, input.text || undefined);
    return chat.say(person, input.text, replyTo);
  }

  /** Every word typed so far: an answer may echo it (a note, a blocker in /chitiet), English or not. */
  const typedSoFar = new Set<string>();

  /** What is wrong with what the bot answered `input` (empty: nothing). */
  function problemsOf(input: Input, out: Outcome): string[] {
    const problems: string[] = [];
    for (const word of cleanText(input.type === "press" ? input.data : input.text).split(/[^\p{L}\p{N}]+/u)) typedSoFar.add(word);
    const all = [...out.texts, ...out.notices, ...out.files.filter(Boolean)];
    for (const text of all) {
      const english = [...text.matchAll(ENGLISH)].map((m) => m[0]).filter((word) => !typedSoFar.has(word));
      if (english.length) problems.push(`English ${JSON.stringify(english)} in «${text.slice(0, 300)}»`);
      if (UNSAFE.test(text)) problems.push(`unsafe character in «${JSON.stringify(text.slice(0, 200))}»`);
      if (text.includes(APOLOGY)) problems.push(`handler failed: «${text.slice(0, 200)}»`);
    }
    // A refusal quotes what was typed, cut (a 5,000-character argument never comes back whole).
    if (input.expect.kind !== "changes") {
      const typed = squash(cleanText(input.type === "press" ? input.data : input.text));
      for (let at = 0; at + 200 <= typed.length; at += 100)
        if (all.some((text) => squash(text).includes(typed.slice(at, at + 200)))) {
          problems.push(`echoes ${typed.length} typed characters back`);
          break;
        }
    }
    // A long echo may fill a whole part of a split message; the answer as a whole is Vietnamese.
    if (all.length && !all.some((text) => VIETNAMESE.test(text))) problems.push(`not Vietnamese: «${all[0].slice(0, 200)}»`);
    for (const text of out.texts) if (text.length > 4096) problems.push(`a message of ${text.length} characters`);
    for (const text of out.notices) if (text.length > 200) problems.push(`a pop-up of ${text.length} characters (Telegram shows 200)`);
    for (const data of out.callbackData)
      if (Buffer.byteLength(data) > 64) problems.push(`callback data of ${Buffer.byteLength(data)} bytes`);
    const silent = all.length === 0;
    if (input.expect.kind === "ignored" && !silent) problems.push(`answered what should be ignored: «${all[0].slice(0, 200)}»`);
    if (input.expect.kind !== "ignored" && silent) problems.push("no answer");
    return problems;
  }

  it("every input is answered in Vietnamese or ignored, within Telegram's limits, and changes only what it may", async () => {
    const inputs = await corpus();
    expect(inputs.length).toBeGreaterThanOrEqual(300);
    const failures: string[] = [];
    const stats = new Map<string, { tried: number; answered: number; ignored: number; unchanged: number; changed: number }>();
    let before = dataOf(h.runtime.store);
    const started = Date.now();
    let sinceGiup = 0;
    const transcript: string[] = [];
    for (const input of inputs) {
      const lastSeq = h.runtime.store.read().eventSeq;
      errors.length = 0;
      await send(input);
      const out = await unread();
      const problems = problemsOf(input, out);
      if (process.env.HOSTILE_TRANSCRIPT)
        transcript.push(
          `### ${input.label}\n${[...out.texts, ...out.notices.map((n) => `[pop-up] ${n}`), ...out.files.map((f) => `[file] ${f}`)].map((t) => t.slice(0, 400)).join("\n---\n")}`,
        );
      const after = dataOf(h.runtime.store);
      const events =
        h.runtime.store.read().eventSeq === lastSeq
          ? []
          : (await h.runtime.store.events({ limit: 20 })).filter((e) => e.seq > lastSeq).reverse();
      if (input.expect.kind === "changes") {
        const actions = events.map((e) => e.action);
        if (JSON.stringify(actions) !== JSON.stringify(input.expect.actions))
          problems.push(`expected the change ${JSON.stringify(input.expect.actions)}, got ${JSON.stringify(actions)}`);
        if (UNSAFE.test(after)) problems.push("an unsafe character was stored");
      } else if (after !== before) {
        problems.push(`the store changed (${JSON.stringify(events.map((e) => e.action))})`);
      }
      if (errors.length) problems.push(`logged an error: ${errors[0].slice(0, 300)}`);
      if (after !== before) {
        await restore();
        before = dataOf(h.runtime.store);
      }
      // (d) Every answered input shows the bot alive after the one before; after silence, and
      // every 20 inputs, a plain /giup must still be answered.
      if (input.expect.kind === "ignored" || ++sinceGiup >= 20 || input === inputs.at(-1)) {
        sinceGiup = 0;
        await seats.officer.chat.command(OFFICER, "/giup");
        const alive = await unread();
        if (!alive.texts.some((t) => t.startsWith("dondoc — theo dõi"))) problems.push("/giup not answered afterwards");
      }
      if (problems.length) failures.push(`${input.label}: ${problems.join("; ")}`);

      const s = stats.get(input.category) ?? { tried: 0, answered: 0, ignored: 0, unchanged: 0, changed: 0 };
      s.tried++;
      const silent = out.texts.length + out.notices.length + out.files.length === 0;
      if (silent) s.ignored++;
      else s.answered++;
      if (events.length) s.changed++;
      else s.unchanged++;
      stats.set(input.category, s);
    }
    const total = [...stats.values()].reduce((sum, s) => sum + s.tried, 0);
    const answeredAll = [...stats.values()].reduce((sum, s) => sum + s.answered, 0);
    const ignoredAll = [...stats.values()].reduce((sum, s) => sum + s.ignored, 0);
    console.log(
      `hostile corpus: ${total} inputs in ${((Date.now() - started) / 1000).toFixed(1)} s, ${answeredAll} answered in Vietnamese, ` +
        `${ignoredAll} ignored, ${failures.length} failed — ` +
        [...stats]
          .map(
            ([c, s]) => `${c}: ${s.tried} tried/${s.answered} answered/${s.ignored} ignored/${s.unchanged} unchanged/${s.changed} changed`,
          )
          .join("; "),
    );
    if (process.env.HOSTILE_TRANSCRIPT) writeFileSync(process.env.HOSTILE_TRANSCRIPT, transcript.join("\n\n"));
    expect(failures).toEqual([]);
  }, 120_000);

  /**
   * What the corpus found, pinned: each row an input that broke a rule before its fix, and
   * what it gets now (a text the answer must contain; whether the store may change).
   */
  const FOUND: [string, Seat, Input["type"], string, string, boolean][] = [
    // [what, seat, type, input, answer contains, changes]
    ["half an emoji is dropped, not echoed or stored", "officer", "command", "/tiendo A24 50 \ud83d", "tiến độ 0% → 50%.", true],
    ["a zero-width space inside a code is dropped", "officer", "command", "/tiendo A\u200b24 40", "tiến độ 0% → 40%", true],
    ["a 5,000-character code is quoted cut", "officer", "command", `/chitiet ${"x".repeat(5000)}`, "«xxxxxxxx", false],
    ["another agency's task is not shown to a group", "officer", "command", "/chitiet A4", "chỉ xem được nhiệm vụ của cơ quan mình", false],
    ["nor its history", "officer", "command", "/lichsu A5", "chỉ xem được nhiệm vụ của cơ quan mình", false],
    ["a group bound to nothing sees no task", "outsider", "command", "/chitiet A24", "chưa gắn với cơ quan nào", false],
    ["an admin in private sees every task", "admin", "command", "/chitiet A4", "📋 A4 —", false],
    ["`A24@` names no agency", "officer", "command", "/xong A24@", "Thiếu mã cơ quan sau «A24@»", false],
    ["an empty code is missing, not «»", "officer", "press", "xong:", "Thiếu mã nhiệm vụ", false],
    ["a year button without its year is stale, not a crash", "admin", "press", "napnam:x", "đã cũ", false],
    ["`1e309` is no request number (was «số Infinity»)", "admin", "press", "ghok:1e309", "Nút này không còn dùng được", false],
    ["`1e0` is no request number", "admin", "press", "gnok:1e0", "Nút này không còn dùng được", false],
    [
      "twenty digits are no request number (were rounded)",
      "admin",
      "command",
      "/duyet 99999999999999999999",
      "Số đề nghị «99999999999999999999» không hợp lệ",
      false,
    ],
    ["🗓 on a task without a condition says so at once", "officer", "press", "dk:A24@so-khcn", "không phải nhiệm vụ chờ điều kiện", false],
    ["a number is no agency name", "admin", "command", "/themcoquan 1e309", "không phải tên cơ quan", false],
    ["nor a date an alias", "admin", "command", "/bidanh 30/06/9999 = so-tu-phap", "không phải tên cơ quan", false],
    ["a 5,000-character agency name is refused", "admin", "command", `/themcoquan ${"Đôn đốc ".repeat(625)}`, "tối đa 200", false],
    ["a refusal opens with one ⚠️", "admin", "command", "/sua A24 thoihan 30/06/9999", "\n", false],
  ];

  it.each(FOUND)("found by the corpus: %s", async (_what, seat, type, text, contains, changed) => {
    const before = dataOf(h.runtime.store);
    await (type === "press" ? seats[seat].chat.pressData(seats[seat].person, text) : seats[seat].chat.command(seats[seat].person, text));
    const out = await unread();
    const answer = [...out.texts, ...out.notices].join("\n");
    expect(answer).toContain(contains);
    expect(answer).not.toContain("⚠️ ⚠️");
    expect(answer).not.toContain("«»");
    expect(answer.length).toBeLessThan(1000);
    expect(answer).not.toMatch(UNSAFE);
    expect(dataOf(h.runtime.store) !== before).toBe(changed);
    if (changed) expect(JSON.stringify(h.runtime.store.read().assignments)).not.toMatch(/\\u200b|\\ud83d/);
    await restore();
  });

  it("found by the corpus: an empty answer to the 🗓 question asks for the date (was «Ngày «» không hợp lệ»)", async () => {
    const prompt = {
      text: "🗓 Thời điểm thực hiện — Mã: A16@so-khcn\nTrả lời tin nhắn này bằng hạn thực hiện.",
      chat_id: -3002,
      message_id: 42,
    };
    const before = dataOf(h.runtime.store);
    await seats.officer.chat.say(OFFICER, " ", prompt);
    const { texts } = await unread();
    expect(texts.join("\n")).toContain("Thiếu ngày: ghi hạn thực hiện dạng dd/mm/yyyy");
    expect(texts.join("\n")).not.toContain("«»");
    expect(dataOf(h.runtime.store)).toBe(before);
  });

  it("found by the corpus: a plan file Telegram does not give is refused in Vietnamese (was the generic apology)", async () => {
    const question = { text: "📥 Nạp kế hoạch: gửi tệp kế hoạch bằng cách TRẢ LỜI tin nhắn này.", chat_id: ADMIN.id, message_id: 43 };
    const before = dataOf(h.runtime.store);
    errors.length = 0;
    // The emulator has no getFile: the download fails as it would on a network error.
    await seats.admin.chat.file(ADMIN, { file_id: "f2", file_name: "kehoach.docx", file_size: 2048 }, question);
    const { texts } = await unread();
    expect(texts.join("\n")).toContain("Không tải được tệp «kehoach.docx» từ Telegram");
    expect(texts.join("\n")).not.toContain(APOLOGY);
    expect(errors).toEqual([]);
    expect(dataOf(h.runtime.store)).toBe(before);
  });
});
