/**
 * Kill test for commands (issue 13, item 6): the real bot (`src/main.ts`, long polling, file
 * store, throttler on) runs as a child process against the fake Bot API, gets bursts of
 * `/tiendo` in six groups, and is SIGKILLed at random points 30 times; then it runs until
 * every command is answered.
 *
 * Each command sets a task's progress to the next value (1, 2, 3 … per task), so the audit
 * trail shows each command exactly: `p-1 → p`. Proven:
 * - 0 commands lost and none applied twice: every value has exactly one progress event, and
 *   the events of a task are 1, 2, 3 … in order (Telegram's order within a chat kept);
 * - every command answered: its reply (`→ p%`) or, for a change saved just before a kill,
 *   the note that it was saved (quoting the command);
 * - duplicated answers are counted and bounded (≤ 1 per kill).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRuntime } from "../../src/boot/runtime.ts";
import { openFileStore } from "../../src/store/file.ts";
import { openInboxFile } from "../../src/store/inbox-file.ts";
import { FakeBotApi } from "../support/fake-bot-api.ts";
import { TEST_TOKEN, silentLog, tempDir, testConfig } from "../support/env.ts";
import { bindChat, loadPlan } from "../support/plans.ts";

const KILLS = Number(process.env.KILLS ?? 30);
const BURST = 4;
const ROOT = path.resolve(import.meta.dirname, "../..");
// Six groups, so that no group needs more than Telegram's 20 messages a minute (which the
// bot's throttler keeps) to have every command answered.
const GROUPS = [
  ["so-tu-phap", "A1"],
  ["vp-ubnd", "A5"],
  ["so-noi-vu", "A10"],
  ["so-tai-chinh", "A14"],
  ["so-khcn", "A16"],
  ["so-tttt", "A19"],
].map(([agency, task], i) => ({ chat: { id: -2001 - i, type: "group", title: agency }, agency, task }));
const OFFICER = { id: 3003, is_bot: false, first_name: "Tư" };

describe("commands survive SIGKILL at any point", () => {
  let api: FakeBotApi;
  let dir: string;
  let cleanup: () => Promise<void>;
  let child: ChildProcess | null = null;
  let messageId = 1;
  const sentValues = GROUPS.map(() => 0);
  const commands: { group: number; value: number }[] = [];

  beforeAll(async () => {
    api = await new FakeBotApi().start();
    ({ dir, cleanup } = await tempDir("dondoc-kill-cmd-"));
    const runtime = await buildRuntime(testConfig({ DATA_DIR: dir }), silentLog);
    await loadPlan(runtime, "kien-giang-2021.txt");
    for (const g of GROUPS) await bindChat(runtime, `tg:${g.chat.id}`, g.agency);
    await runtime.store.close();
  });
  afterAll(async () => {
    child?.kill("SIGKILL");
    await api?.stop();
    await cleanup?.();
  });

  /** Start the bot; resolves once it polls (its previous inbox is being handled by then). */
  async function startChild(): Promise<ChildProcess> {
    const polls = api.calls.filter((c) => c.method === "deleteWebhook").length;
    const proc = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        TELEGRAM_BOT_TOKEN: TEST_TOKEN,
        TELEGRAM_API_ROOT: api.apiRoot,
        DATA_DIR: dir,
        LOG_LEVEL: "error",
        // No reminder or digest catch-up at start: only commands in this test.
        REMINDER_TIME: "23:59",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    proc.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on("exit", (code, signal) => {
      if (signal !== "SIGKILL" && code !== 0) console.error(`bot exited with ${code}: ${stderr}`);
    });
    await api.until(() => api.calls.filter((c) => c.method === "deleteWebhook").length > polls, 20_000);
    return proc;
  }

  function pushCommand(): void {
    const group = commands.length % GROUPS.length;
    const value = ++sentValues[group];
    const g = GROUPS[group];
    const text = `/tiendo ${g.task} ${value}`;
    commands.push({ group, value });
    api.push({
      message: {
        message_id: messageId++,
        date: 1616634000,
        from: OFFICER,
        chat: g.chat,
        text,
        entities: [{ type: "bot_command", offset: 0, length: 7 }],
      },
    });
  }

  const kill = (proc: ChildProcess) =>
    new Promise<void>((resolve) => {
      proc.once("exit", () => resolve());
      proc.kill("SIGKILL");
    });

  it(`${KILLS} kills under bursts: nothing lost, nothing applied twice, every command answered`, async () => {
    for (let k = 0; k < KILLS; k++) {
      child = await startChild();
      for (let i = 0; i < BURST; i++) pushCommand();
      // Kill anywhere from "before it read the burst" to "in the middle of handling it".
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 400)));
      await kill(child);
      child = null;
    }
    // The last run: until every command has its reply or its note.
    child = await startChild();
    const answered = (c: { group: number; value: number }) => {
      const g = GROUPS[c.group];
      return api.sentTo(g.chat.id).some((m) => m.text?.includes(`→ ${c.value}%`) || m.text?.includes(`«/tiendo ${g.task} ${c.value}»`));
    };
    await api
      .until(() => commands.every(answered), 60_000)
      .catch((error: unknown) => {
        const missing = commands.filter((c) => !answered(c)).map((c) => `${GROUPS[c.group].task}=${c.value}`);
        const texts = GROUPS.map((g) => api.sentTo(g.chat.id).map((m) => m.text?.slice(0, 70)));
        throw new Error(`unanswered: ${missing.join(", ")}\n${JSON.stringify(texts, null, 1).slice(0, 3000)}`, { cause: error });
      });
    await new Promise<void>((resolve) => {
      child!.once("exit", () => resolve());
      child!.kill("SIGTERM");
    });
    child = null;

    const store = await openFileStore(dir);
    try {
      for (const [i, g] of GROUPS.entries()) {
        const events = (await store.events({ taskCode: g.task })).filter((e) => e.action === "progress").reverse();
        const values = events.map((e) => (e.after as { progress?: number } | number | undefined) ?? null);
        const progress = values.map((v) => (typeof v === "number" ? v : (v?.progress ?? null)));
        // Exactly one change per command, in the order they were sent.
        expect(progress).toEqual(Array.from({ length: sentValues[i] }, (_, n) => n + 1));
      }
      const inbox = await openInboxFile(dir, new Date());
      expect(inbox.pending()).toEqual([]);
      await inbox.close();
    } finally {
      await store.close();
    }

    const replies = GROUPS.flatMap((g) =>
      api.sentTo(g.chat.id).filter((m) => m.text?.startsWith("📈") || m.text?.includes("đã được ghi nhận trước khi bot khởi động lại")),
    );
    const duplicates = replies.length - commands.length;
    console.info(
      `kill test (commands): ${KILLS} kills, ${commands.length} commands, 0 lost, 0 applied twice; ` +
        `answers: ${replies.length} (${duplicates} repeated)`,
    );
    expect(duplicates).toBeGreaterThanOrEqual(0);
    expect(duplicates).toBeLessThanOrEqual(KILLS);
  }, 240_000);
});
