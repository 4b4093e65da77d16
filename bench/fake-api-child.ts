/**
 * The fake Bot API (test/support/fake-bot-api.ts, Telegram's limits enforced) in its own
 * process, for the fan-out bench: like Telegram's servers, it stamps and counts requests on
 * its own clock, never held up by the bot's work on the same event loop (which bunched
 * requests and drew 429s the real service would not send). Prints `READY <apiRoot>`; on the
 * line `dump` on stdin it prints one JSON line with what it received, then exits.
 */
import { createInterface } from "node:readline";
import { FakeBotApi } from "../test/support/fake-bot-api.ts";

const api = await new FakeBotApi({ enforceLimits: true }).start();
process.stdout.write(`READY ${api.apiRoot}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== "dump") continue;
  const sent = api.sent.map((m) => ({ chat_id: m.chat_id, text: m.text, at: m.at }));
  const calls = api.calls.map((c) => ({ method: c.method, chat_id: String(c.params.chat_id ?? ""), at: c.at }));
  await api.stop();
  // A pipe is written asynchronously: exit once the whole line is out.
  process.stdout.write(`${JSON.stringify({ sent, calls, rejected429: api.rejected429 })}\n`, () => process.exit(0));
}
