/**
 * The digest over HTTP against our fake Bot API (telegram-test-api has no sendPhoto or
 * sendDocument): the scheduled digest fires on a working Monday and not on a day off,
 * once; /xuatbaocao's .xlsx arrives as a document and agrees with /tongket.
 */
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { FakeBotApi } from "../support/fake-bot-api.ts";
import { TEST_TOKEN, silentLog, tempDir, testConfig } from "../support/env.ts";
import { startBot, type Running } from "../../src/boot/runtime.ts";
import { bindChat, loadPlan } from "../support/plans.ts";

const COORDINATOR = -9000;
let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** The bot with a fixed clock, the Kiên Giang plan and a bound Sở Nội vụ group. */
async function boot(api: FakeBotApi, dir: string, at: string, load: boolean): Promise<Running> {
  const config = testConfig({
    TELEGRAM_BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    DATA_DIR: dir,
    REMINDER_TIME: "23:59",
    ADMIN_IDS: "1001",
  });
  const running = await startBot({ config, log: silentLog, clock: () => new Date(at), throttle: false });
  if (load) {
    await loadPlan(running.runtime, "kien-giang-2021.txt");
    await bindChat(running.runtime, `tg:${COORDINATOR}`, "so-noi-vu");
  }
  return running;
}

async function setUp(at: string) {
  const api = await new FakeBotApi().start();
  const { dir, cleanup } = await tempDir("dondoc-digest-e2e-");
  cleanups.push(cleanup, () => api.stop());
  // First start loads the data; the digest service runs on the next start (as after a restart at 09:00).
  const first = await boot(api, dir, at, true);
  await first.stop();
  return { api, dir };
}

describe("e2e: scheduled digests and the report export", () => {
  it("on a working Monday after 08:30 the weekly digest (text + chart) reaches the Sở Nội vụ group once", async () => {
    const at = "2021-06-21T02:00:00Z"; // Monday 21/06/2021, 09:00 in Vietnam
    const { api, dir } = await setUp(at);
    const running = await boot(api, dir, at, false);
    await api.until(() => api.sentTo(COORDINATOR).some((m) => m.document));
    const sent = api.sentTo(COORDINATOR);
    expect(sent.find((m) => m.text)?.text).toMatch(/^📊 TỔNG HỢP TUẦN — Quý II\/2021/);
    const photo = sent.find((m) => m.document)!;
    expect(photo.document!.data.subarray(1, 4).toString("latin1")).toBe("PNG");
    await running.stop();
    // A restart the same day sends nothing more.
    const before = api.sent.length;
    const again = await boot(api, dir, at, false);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.sent.length).toBe(before);
    await again.stop();
  });

  it("on a Monday that is a day off (03/05/2021, for 1/5) nothing is sent", async () => {
    const at = "2021-05-03T02:00:00Z";
    const { api, dir } = await setUp(at);
    const running = await boot(api, dir, at, false);
    await new Promise((r) => setTimeout(r, 500));
    expect(api.sentTo(COORDINATOR)).toEqual([]);
    await running.stop();
  });

  it("/xuatbaocao quy 2 sends an .xlsx whose figures agree with /tongket quy 2", async () => {
    const at = "2021-06-30T09:00:00Z"; // Wednesday, after the weekly digest's day
    const { api, dir } = await setUp(at);
    const running = await boot(api, dir, at, false);
    const group = { id: COORDINATOR, type: "group", title: "Sở Nội vụ" };
    const from = { id: 1001, is_bot: false, first_name: "Lan" };
    const command = (text: string, id: number) => ({
      message: {
        message_id: id,
        date: 1,
        chat: group,
        from,
        text,
        entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0].length }],
      },
    });
    api.push(command("/tongket quy 2", 1));
    await api.until(() => api.sentTo(COORDINATOR).some((m) => m.text?.includes("TỔNG KẾT CCHC")));
    const summary = api.sentTo(COORDINATOR).find((m) => m.text?.includes("TỔNG KẾT CCHC"))!.text!;
    const total = Number(/Tổng số nhiệm vụ: (\d+)/.exec(summary)![1]);
    api.push(command("/xuatbaocao quy 2", 2));
    await api.until(() => api.sentTo(COORDINATOR).some((m) => m.document?.name.endsWith(".xlsx")));
    const file = api.sentTo(COORDINATOR).find((m) => m.document?.name.endsWith(".xlsx"))!.document!;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.data as unknown as ArrayBuffer);
    const tasks = book.getWorksheet("Nhiệm vụ")!;
    expect((tasks.getRow(1).values as unknown[]).slice(1)).toEqual([
      "STT",
      "Nhiệm vụ",
      "Cơ quan chủ trì",
      "Cơ quan phối hợp",
      "Thời hạn",
      "Tình trạng",
      "Tiến độ (%)",
      "Sản phẩm / văn bản kiểm chứng",
      "Ghi chú",
    ]);
    // The summary sheet's "Tổng số nhiệm vụ" is the number /tongket gave.
    const summarySheet = book.worksheets[0];
    let fileTotal: unknown;
    summarySheet.eachRow((row) => {
      if (row.getCell(1).value === "Tổng số nhiệm vụ") fileTotal = row.getCell(2).value;
    });
    expect(total).toBeGreaterThan(0);
    expect(fileTotal).toBe(total);
    await running.stop();
  });
});
