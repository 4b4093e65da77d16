/**
 * Try dondoc on Zalo without Zalo: the tests' fake Zalo Bot API (fake-zalo-api.ts) on
 * 127.0.0.1, and a prompt that speaks as Zalo users. `npm run fake-zalo` prints the keys to start
 * the bot with (in another terminal); each line typed here is a message:
 *   `<group> <user>: <text>`   e.g. `g-tp lan: @dondoc /dangky Sở Tư pháp`
 *   `<text>`                   the same group and user as the line before
 *   `> <text>`                 the same, quoting the bot's last message in that group
 * A group named `@<user>` is that user's private chat. What the bot sends is printed.
 */
import readline from "node:readline";
import { FakeZaloApi, ZALO_TEST_TOKEN, zaloText } from "./fake-zalo-api.ts";

const zalo = await new FakeZaloApi({ shape: "single" }).start();
console.log(
  `Fake Zalo Bot API on ${zalo.apiRoot}. In another terminal:\n` +
    `  ZALO_BOT_TOKEN=${ZALO_TEST_TOKEN} ZALO_API_ROOT=${zalo.apiRoot} ADMIN_IDS=zl:lan npm start\n` +
    "Then type here, e.g.: g-tp lan: @dondoc /dangky Sở Tư pháp   (Ctrl-D ends)",
);

let shown = 0;
const timer = setInterval(() => {
  for (const m of zalo.sent.slice(shown)) console.log(`\n[bot → ${m.chat_id}] ${m.text ?? m.photo}\n`);
  shown = zalo.sent.length;
}, 100);

let chat = "g-test";
let from = "lan";
const input = readline.createInterface({ input: process.stdin });
for await (const raw of input) {
  const line = raw.trim();
  if (!line) continue;
  const head = /^(\S+)\s+([^\s:]+):\s*(.*)$/u.exec(line);
  if (head) [chat, from] = [head[1], head[2]];
  let text = head ? head[3] : line;
  const quoting = text.startsWith(">");
  if (quoting) text = text.slice(1).trim();
  const isPrivate = chat.startsWith("@");
  const target = isPrivate ? chat.slice(1) : chat;
  const last = zalo.sentTo(target).at(-1);
  zalo.push(
    zaloText({
      chat: target,
      group: !isPrivate,
      from,
      name: from,
      text,
      replyTo: quoting && last ? { message_id: last.message_id, text: last.text } : undefined,
    }),
  );
}
clearInterval(timer);
await zalo.stop();
