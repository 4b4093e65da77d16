/**
 * Issue 13's delivery proof: the reminder dispatcher, in its own process on a real file store,
 * fans out a multi-part reminder to 50 groups through the real Telegram adapter against the
 * fake Bot API (faults on a share of sends), and is SIGKILLed at least 30 times — each life
 * 1–3 send requests after it starts, then 0–60 ms later (seeded) — then restarted until the run
 * completes. Every (group, part) is counted as it arrived:
 * - no part arrives twice (at most once, everywhere);
 * - every group gets its reminder, unless every part of it was an uncertain send (the fake's
 *   "hang" fault never delivers; on Telegram such a part may well have arrived);
 * - a part that did not arrive is one the send-log counts as uncertain (it was on the wire at
 *   a kill), and there are at most REMINDER_CONCURRENCY of those per kill (README, Reliability).
 * The figures are printed. `FAULT_KINDS` chooses the faults injected on 20 % of sends
 * (default: all of them — 429 and 5xx answers, slow answers (100–400 ms, so kills land while
 * requests are in flight), connections dropped after the message was accepted, requests
 * never answered (abandoned after the child's 2 s timeout)).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runReminders } from "../../src/reminders/dispatch.ts";
import { openFileStore } from "../../src/store/file.ts";
import { at, fanoutData, writeFanout, makeRuntime } from "../reminders/fixtures.ts";
import { FakeBotApi, type FaultKind } from "../support/fake-bot-api.ts";
import { tempDir } from "../support/env.ts";

const GROUPS = 50;
const KILLS = 32;
const CONCURRENCY = 8; // REMINDER_CONCURRENCY's default
const NOW = at("2021-03-31", "09:00");
const CHILD = fileURLToPath(new URL("./reminder-child.ts", import.meta.url));
const FAULTS = (process.env.FAULT_KINDS ?? "429,5xx,slow,dropped,hang").split(",") as FaultKind[];

/** 50 groups, 60 tasks due today per agency: a reminder of several parts per group. */
const fanout = () => fanoutData(GROUPS, 60, 7000);

type Life = { killed: boolean; done: boolean; ms: number };

/**
 * When to kill a life: once the fake Bot API has received `afterSends` more send requests since
 * the child said "ready", `afterMs` later (so kills land before, during and after requests).
 * Counting sends, not time, keeps every life's progress small whatever the machine's speed, so
 * the run cannot finish before the test has killed it KILLS times (it did, once the store's
 * writes became appends).
 */
type Kill = { afterSends: number; afterMs: number; sends: () => number };

/** One life of the child: killed as `kill` says (null: left to finish). */
function life(dir: string, apiRoot: string, kill: Kill | null): Promise<Life> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir, apiRoot, NOW.toISOString()], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (kill !== null && timer === undefined && out.includes("ready\n")) {
        const target = kill.sends() + kill.afterSends;
        timer = setInterval(() => {
          if (kill.sends() < target) return;
          clearInterval(timer);
          setTimeout(() => child.kill("SIGKILL"), kill.afterMs);
        }, 2);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearInterval(timer);
      const ms = Date.now() - started;
      if (signal === "SIGKILL") return resolve({ killed: true, done: false, ms });
      if (code !== 0) return reject(new Error(`child exited with ${code}: ${err}`));
      const last = out.trim().split("\n").at(-1) ?? "{}";
      resolve({ killed: false, done: Boolean((JSON.parse(last) as { done?: boolean }).done), ms });
    });
  });
}

describe("reminder fan-out killed at random (≥ 30 SIGKILLs, 50 groups, multi-part messages)", () => {
  let api: FakeBotApi;
  let dir: { dir: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    api = await new FakeBotApi({ faults: { share: 0.2, kinds: FAULTS, seed: 13 } }).start();
    dir = await tempDir("dondoc-kill-");
    const store = await openFileStore(dir.dir);
    await writeFanout(store, fanout());
    await store.close();
  });
  afterAll(async () => {
    await api?.stop();
    await dir?.cleanup();
  });

  it("no part twice, no group without its reminder, losses only of parts on the wire at a kill", async () => {
    // What each group is due, planned on a copy in memory.
    const planned = (await runReminders(makeRuntime(fanout()).runtime, NOW, { dryRun: true })).planned;
    expect(planned).toHaveLength(GROUPS);
    const totalParts = planned.reduce((n, m) => n + m.parts.length, 0);
    expect(Math.min(...planned.map((m) => m.parts.length))).toBeGreaterThanOrEqual(2);

    // Kill at random points, then let it finish.
    let random = 7;
    const next = () => {
      random = (random * 1103515245 + 12345) % 2 ** 31;
      return random / 2 ** 31;
    };
    const lives: Life[] = [];
    let kills = 0;
    let done = false;
    const started = Date.now();
    while (kills < KILLS && !done) {
      const sends = () => api.calls.filter((c) => c.method === "sendMessage").length;
      const result = await life(dir.dir, api.apiRoot, { afterSends: 1 + Math.floor(next() * 3), afterMs: Math.floor(next() * 60), sends });
      lives.push(result);
      if (result.killed) kills++;
      done = result.done;
    }
    for (let i = 0; !done && i < 10; i++) {
      const result = await life(dir.dir, api.apiRoot, null);
      lives.push(result);
      done = result.done;
    }
    expect(done).toBe(true);

    // Count what arrived, per group and part.
    const store = await openFileStore(dir.dir);
    const data = store.read();
    await store.close();
    let duplicates = 0;
    let lost = 0;
    let lostOnTheWire = 0;
    let groupsWithout = 0;
    let groupsWithoutUnexplained = 0;
    for (const message of planned) {
      const chat = message.chatId!.slice(3);
      const texts = api.sentTo(chat).map((m) => m.text ?? "");
      const entry = data.sendLog.find((e) => e.chatId === message.chatId)!;
      expect(entry.status).toBe("delivered");
      let got = 0;
      message.parts.forEach((part, i) => {
        const arrived = texts.filter((t) => t === part || t.endsWith(`\n${part}`)).length;
        if (arrived > 1) duplicates += arrived - 1;
        if (arrived >= 1) got++;
        if (arrived === 0) {
          lost++;
          if (entry.uncertainParts?.includes(i + 1)) lostOnTheWire++;
        }
      });
      expect(texts.length).toBeLessThanOrEqual(message.parts.length);
      if (got === 0) {
        groupsWithout++;
        // Allowed only when every part was an uncertain send (a request that never answered
        // can hang for two parts in a row): the at-most-once bound, not a lost reminder.
        if (!message.parts.every((_, i) => entry.uncertainParts?.includes(i + 1))) groupsWithoutUnexplained++;
      }
    }
    const uncertain = data.sendLog.reduce((n, e) => n + (e.uncertainParts?.length ?? 0), 0);
    const figures = {
      groups: GROUPS,
      parts: totalParts,
      kills,
      lives: lives.length,
      seconds: Math.round((Date.now() - started) / 1000),
      faultsInjected: api.injected,
      partsArrived: api.sent.length,
      duplicates,
      groupsWithout,
      uncertainParts: uncertain,
      uncertainThatArrived: uncertain - lostOnTheWire,
      lost,
    };
    console.log(`reminder kill test: ${JSON.stringify(figures)}`);
    expect(kills).toBeGreaterThanOrEqual(30);
    expect(duplicates).toBe(0);
    expect(groupsWithoutUnexplained).toBe(0);
    expect(lost).toBe(lostOnTheWire); // every lost part was on the wire at a kill
    expect(uncertain).toBeLessThanOrEqual(kills * CONCURRENCY);
    expect(data.runLog.find((r) => r.key === "2021-03-31|reminder")?.completedAt).toBeDefined();
  });
});
