/**
 * Issue 13 items 17/18 in local mode: the terminal never prints a raw control or bidi
 * character (a stored note with ESC[2J cannot clear the screen), `:tep` keeps a path's
 * spaces, and a folder or a missing file is answered in plain Vietnamese.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalAdapter } from "../../src/chat/local.ts";
import type { ChatHandlers, Incoming, IncomingCommand } from "../../src/chat/types.ts";
import { tempDir } from "../support/env.ts";

const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir("dondoc-local-input-")));
afterAll(async () => cleanup?.());

/** Run `lines` through a local adapter whose handlers echo what they get; the terminal's output. */
async function session(lines: string[], echo = "") {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => {
    printed += chunk.toString("utf8");
  });
  const adapter = new LocalAdapter({ input, output });
  const received: (Incoming | IncomingCommand)[] = [];
  const handlers: ChatHandlers = {
    onCommand: async (message, respond) => {
      received.push(message);
      await respond.reply({ text: `Đã ghi: «${message.args}»${echo}`, buttons: [[{ text: `nút ${echo}`, data: "x:1" }]] });
    },
    onMessage: async (message, respond) => {
      received.push(message);
      await respond.reply(message.file ? `tệp ${message.file.name} (${message.file.size} byte)` : `«${message.text}»`);
    },
    onButton: async (_press, respond) => respond.notice(`bấm ${echo}`),
    onChatMoved: async () => undefined,
  };
  await adapter.start(handlers, []);
  for (const line of lines) input.write(`${line}\n`);
  input.end();
  await adapter.finished();
  return { printed, received };
}

describe("local mode prints nothing raw", () => {
  it("a note with ESC[2J, a bell and a bidi override is printed without them (replies, buttons, notices)", async () => {
    const stored = "\u001b[2J\u0007\u202egỡ\u202c\u009b";
    const { printed } = await session([":nhom so-tu-phap", `/tiendo A1 50 ${stored}`, ":bam 1", `:traloi ${stored}`], stored);
    expect(printed).toContain("[2J");
    expect(printed).toContain("gỡ");
    expect(printed).not.toMatch(UNSAFE);
  });

  it("print() strips what any caller passes, keeping tabs and line breaks", async () => {
    const output = new PassThrough();
    let printed = "";
    output.on("data", (chunk: Buffer) => {
      printed += chunk.toString("utf8");
    });
    new LocalAdapter({ input: new PassThrough(), output }).print("a\u001b[31mb\tc\nd\u2066e");
    expect(printed).toBe("a[31mb\tc\nde\n");
  });
});

describe("local mode keeps a path's spaces", () => {
  it(":tep <a file in a folder with two spaces in its name> sends that file", async () => {
    const folder = path.join(dir, "Báo cáo  quý");
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, "kế hoạch 2021.txt");
    await writeFile(file, "xin chào");
    const { printed, received } = await session([`:tep ${file}`]);
    expect(received[0].file?.name).toBe("kế hoạch 2021.txt");
    expect(printed).toContain("tệp kế hoạch 2021.txt (9 byte)");
  });

  it("/nap <path with spaces> reaches the command with its spaces as typed", async () => {
    const { received } = await session([`/nap ${dir}/Báo cáo  quý/kế hoạch 2021.txt 2021`]);
    expect((received[0] as IncomingCommand).args).toBe(`${dir}/Báo cáo  quý/kế hoạch 2021.txt 2021`);
  });

  it(":tep of a folder, a missing file, or nothing: plain Vietnamese, no Node error code", async () => {
    const { printed } = await session([`:tep ${dir}`, `:tep ${path.join(dir, "không có.docx")}`, ":tep"]);
    expect(printed).toContain("đó là một thư mục, hãy chỉ một tệp");
    expect(printed).toContain("không có tệp này");
    expect(printed).toContain("Cách dùng: :tep <đường dẫn tới tệp>");
    expect(printed).not.toMatch(/ENOENT|EISDIR|Error|undefined/);
  });
});
