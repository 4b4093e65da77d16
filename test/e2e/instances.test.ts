/**
 * Issue 14, item 2: several dondoc instances on one PostgreSQL database.
 * - Behind a load balancer (round-robin over the instances' webhooks), commands from one
 *   group land on alternate instances and act on one shared state: each sees the other's
 *   changes, and the audit trail has every change once.
 * - Two processes catching up the same day's reminder run at the same time: every group gets
 *   its message exactly once (the run is taken by one process at a time, the send-log is shared).
 * - One killed in the middle of the run: the other finishes it; still nothing twice.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runReminders } from "../../src/reminders/dispatch.ts";
import { openPostgresStore } from "../../src/store/postgres.ts";
import { at, fanoutData, writeFanout, makeRuntime } from "../reminders/fixtures.ts";
import { tempDir } from "../support/env.ts";
import { FakeBotApi } from "../support/fake-bot-api.ts";
import { startOnPostgres } from "../support/pg-e2e.ts";
import { freshDatabase, queryDb, stopPgServer } from "../support/postgres.ts";

afterAll(stopPgServer, 60_000);

const CHILD = fileURLToPath(new URL("../faults/reminder-child.ts", import.meta.url));
const NOW = at("2021-03-31", "09:00");

describe("two instances behind a load balancer, one database", () => {
  it("commands alternate between them and act on one state; a re-delivery to the other is dropped", async () => {
    const { url, h, group, officer } = await startOnPostgres();
    try {
      const b = await h.addInstance(); // started after the plan was loaded: its state is current at open
      await h.balance();

      await group.command(officer, "/tiendo a4 60 đã có dự thảo"); // → the first instance
      expect(await group.text()).toContain("tiến độ 0% → 60%");
      await group.command(officer, "/tiendo a4 70 đã trình"); // → the second: it must see 60 %
      expect(await group.text()).toContain("tiến độ 60% → 70%");
      await group.command(officer, "/chitiet a4"); // → the first: it must see 70 %
      expect(await group.text()).toContain("• Sở Tư pháp: đang làm, 70%");
      await group.command(officer, "/tiendo a4 80"); // → the second
      expect(await group.text()).toContain("tiến độ 70% → 80%");

      for (const store of [h.runtime.store, b.runtime.store]) {
        await store.refresh?.();
        expect(store.read().assignments.find((a) => a.id === "A4@so-tu-phap")?.progress).toBe(80);
      }
      const events = await b.runtime.store.events({ taskCode: "A4", agencyId: "so-tu-phap" });
      expect(events.filter((e) => e.action === "progress").map((e) => (e.after as { progress?: number }).progress)).toEqual([80, 70, 60]);
      const inbox = await queryDb(url, (c) => c.query("SELECT count(*)::int AS n FROM inbox WHERE done_at IS NULL"));
      expect(inbox.rows).toEqual([{ n: 0 }]);

      // Telegram re-sends an update it got no answer for — here to the other instance: dropped.
      const [update] = (await queryDb(url, (c) => c.query("SELECT payload FROM inbox ORDER BY accepted_at DESC LIMIT 1"))).rows;
      const port = b.runtime.config.TELEGRAM_WEBHOOK_PORT;
      const other = [h.running, b].find((r) => r.runtime.config.TELEGRAM_WEBHOOK_PORT !== port)!;
      for (const target of [b, other]) {
        const res = await fetch(`http://127.0.0.1:${target.runtime.config.TELEGRAM_WEBHOOK_PORT}/hook`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "e2e-webhook-secret-0123456789" },
          body: JSON.stringify(update.payload),
        });
        expect(res.status).toBe(200);
      }
      await h.handled();
      expect(await group.messages()).toEqual([]);
      expect((await b.runtime.store.events({ taskCode: "A4" })).filter((e) => e.action === "progress")).toHaveLength(3);

      // An instance died holding a command (accepted, lease run out, never handled): a starting
      // instance takes it over and handles it once.
      const left = { ...(update.payload as { update_id: number; message: { text: string; message_id: number } }) };
      left.update_id += 1000;
      left.message = { ...left.message, message_id: left.message.message_id + 1000, text: "/tiendo a4 90" };
      await queryDb(url, (c) =>
        c.query("INSERT INTO inbox (key, chat, payload, accepted_at, lease_until) VALUES ($1, $2, $3, $4, now() - interval '1 minute')", [
          `tg:${left.update_id}`,
          "tg:-2001",
          JSON.stringify(left),
          "2021-03-25T00:59:00Z",
        ]),
      );
      const c = await h.addInstance();
      await h.handled();
      expect(await group.text()).toContain("tiến độ 80% → 90%");
      await c.runtime.store.refresh?.();
      expect(c.runtime.store.read().assignments.find((a) => a.id === "A4@so-tu-phap")?.progress).toBe(90);
    } finally {
      await h.stop();
    }
  });
});

/** 20 groups, 40 tasks due today per agency: a reminder of several parts per group. */
const fanout = () => fanoutData(20, 40, 8000);

async function seed(url: string): Promise<void> {
  const store = await openPostgresStore(url);
  await writeFanout(store, fanout());
  await store.close();
}

/** The reminder catch-up in its own process on the database; resolves with its exit (killed or its report). */
function instance(url: string, dir: string, apiRoot: string): { child: ChildProcess; exit: Promise<{ killed: boolean; done: boolean }> } {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir, apiRoot, NOW.toISOString()], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: url },
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on("data", (c: Buffer) => {
    err += c.toString();
  });
  const exit = new Promise<{ killed: boolean; done: boolean }>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") return resolve({ killed: true, done: false });
      if (code !== 0) return reject(new Error(`instance exited with ${code}: ${err}`));
      resolve({ killed: false, done: Boolean(JSON.parse(out.trim().split("\n").at(-1) ?? "{}").done) });
    });
  });
  return { child, exit };
}

/** Per group: how many times each planned part arrived. */
async function arrivals(api: FakeBotApi) {
  const planned = (await runReminders(makeRuntime(fanout()).runtime, NOW, { dryRun: true })).planned;
  return planned.map((m) => {
    const texts = api.sentTo(m.chatId!.slice(3)).map((s) => s.text ?? "");
    return { chatId: m.chatId!, counts: m.parts.map((p) => texts.filter((t) => t === p || t.endsWith(`\n${p}`)).length) };
  });
}

describe("two reminder processes on one database", () => {
  it("both catch up the same run at once: every group gets each part of its message exactly once", async () => {
    const url = await freshDatabase();
    await seed(url);
    // Slow answers (100–400 ms) so that the two runs overlap in time.
    const api = await new FakeBotApi({ faults: { share: 1, kinds: ["slow"], seed: 5 } }).start();
    const dirs = [await tempDir("dondoc-i1-"), await tempDir("dondoc-i2-")];
    try {
      const runs = dirs.map((d) => instance(url, d.dir, api.apiRoot));
      const exits = await Promise.all(runs.map((r) => r.exit));
      expect(exits.every((e) => e.done)).toBe(true); // one ran it, the other found it done
      const got = await arrivals(api);
      expect(got).toHaveLength(20);
      expect(Math.min(...got.map((g) => g.counts.length))).toBeGreaterThanOrEqual(2);
      for (const g of got) expect(g.counts, g.chatId).toEqual(g.counts.map(() => 1));
      const store = await openPostgresStore(url);
      expect(store.read().runLog.find((r) => r.key === "2021-03-31|reminder")?.completedAt).toBeDefined();
      await store.close();
    } finally {
      await api.stop();
      for (const d of dirs) await d.cleanup();
    }
  });

  it("one killed in the middle of the run: the other finishes it, nothing twice, a part lost only if it was on the wire", async () => {
    const url = await freshDatabase();
    await seed(url);
    const api = await new FakeBotApi({ faults: { share: 1, kinds: ["slow"], seed: 9 } }).start();
    const dirs = [await tempDir("dondoc-i1-"), await tempDir("dondoc-i2-")];
    try {
      const first = instance(url, dirs[0].dir, api.apiRoot);
      await api.until(() => api.sent.length >= 6, 20_000);
      const second = instance(url, dirs[1].dir, api.apiRoot); // waits for the run's lock
      first.child.kill("SIGKILL");
      expect((await first.exit).killed).toBe(true);
      expect((await second.exit).done).toBe(true);

      const store = await openPostgresStore(url);
      const data = store.read();
      await store.close();
      let lost = 0;
      for (const g of await arrivals(api)) {
        expect(Math.max(...g.counts), g.chatId).toBeLessThanOrEqual(1); // never twice
        const entry = data.sendLog.find((e) => e.chatId === g.chatId)!;
        expect(entry.status).toBe("delivered");
        g.counts.forEach((n, i) => {
          if (n === 0) {
            lost++;
            expect(entry.uncertainParts, `${g.chatId} part ${i + 1}`).toContain(i + 1); // on the wire at the kill
          }
        });
      }
      expect(lost).toBeLessThanOrEqual(8); // REMINDER_CONCURRENCY: parts on the wire at once
      expect(api.sent.length).toBeGreaterThan(6);
    } finally {
      await api.stop();
      for (const d of dirs) await d.cleanup();
    }
  });
});
