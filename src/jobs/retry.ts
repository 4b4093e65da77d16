/**
 * The same-day retry of a scheduled run (reminders, digests). node-cron ticks once at the
 * configured time; a run that failed (disk full, API down), was left incomplete (a transient
 * send failure) or was skipped (node-cron's `execution:missed` when the event loop was busy
 * across the time) must still happen that day, once it can succeed. A light tick every few
 * minutes calls `attempt(now)`; `attempt` itself decides from the run-log whether anything is
 * due (so a completed run is never repeated, and nothing runs on a day off) and answers:
 * - "done": nothing (more) to do now;
 * - "retry": it ran but is not complete (it is tried again after a backoff);
 * - throws: it failed (logged; tried again after a backoff).
 * The backoff starts at `firstDelayMs` (5 min) and doubles up to `maxDelayMs` (1 h); it
 * resets on success and at the start of a new day (Vietnam time).
 */
import { schedule, type ScheduledTask } from "node-cron";
import { TIMEZONE } from "../config.ts";
import { toVnDay } from "../core/calendar.ts";
import type { Logger } from "../logger.ts";

export type RetryOutcome = "done" | "retry";

/** node-cron pattern of the retry tick: every 5 minutes. */
export const RETRY_TICK = "0 */5 * * * *";

export type RetryOptions = {
  /** Delay after the first failure, in ms (default 5 min); doubled after each further failure. */
  firstDelayMs?: number;
  /** Longest delay between attempts, in ms (default 1 h). */
  maxDelayMs?: number;
};

/** See the file comment. `tick(now)` is what the timer calls; it never throws. */
export class SameDayRetry {
  private failures = 0;
  private notBefore = 0;
  private day = "";
  private running: Promise<void> | null = null;

  constructor(
    private readonly label: string,
    private readonly log: Logger,
    private readonly attempt: (now: Date) => Promise<RetryOutcome>,
    private readonly options: RetryOptions = {},
  ) {}

  /** Failed attempts in a row today (0 after a success). */
  get failuresInARow(): number {
    return this.failures;
  }

  /** The instant before which `tick` does nothing (after a failure), or null. */
  get nextAttemptAt(): Date | null {
    return this.notBefore ? new Date(this.notBefore) : null;
  }

  /**
   * Attempt now unless a backoff is pending (`force` ignores it: a missed cron execution).
   * One attempt at a time: a tick during an attempt waits for it and does nothing more.
   */
  async tick(now: Date, force = false): Promise<void> {
    if (this.running) return this.running;
    const day = toVnDay(now);
    if (day !== this.day) {
      this.day = day;
      this.failures = 0;
      this.notBefore = 0;
    }
    if (!force && now.getTime() < this.notBefore) return;
    this.running = this.once(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async once(now: Date): Promise<void> {
    let outcome: RetryOutcome;
    let failure: string | undefined;
    try {
      outcome = await this.attempt(now);
    } catch (error) {
      outcome = "retry";
      failure = error instanceof Error ? error.message : String(error);
    }
    if (outcome === "done") {
      if (this.failures > 0) this.log.info({ attempts: this.failures + 1 }, `${this.label}: run completed after retrying`);
      this.failures = 0;
      this.notBefore = 0;
      return;
    }
    const first = this.options.firstDelayMs ?? 5 * 60_000;
    const max = this.options.maxDelayMs ?? 60 * 60_000;
    const delay = Math.min(max, first * 2 ** this.failures);
    this.failures++;
    this.notBefore = now.getTime() + delay;
    this.log[failure ? "error" : "warn"](
      { err: failure, attempt: this.failures, retryAt: new Date(this.notBefore).toISOString() },
      `${this.label}: run ${failure ? "failed" : "incomplete"}; retrying later today`,
    );
  }
}

/** The same-day retry as a node-cron task: `tick` every RETRY_TICK (Vietnam time), never overlapping. */
export function retryTask(name: string, tick: () => unknown): ScheduledTask {
  return schedule(RETRY_TICK, tick, { timezone: TIMEZONE, noOverlap: true, name });
}

/** Stops and destroys node-cron tasks (a job's `stop`), emptying the list. */
export async function stopTasks(tasks: ScheduledTask[]): Promise<void> {
  for (const task of tasks.splice(0)) {
    await task.stop();
    await task.destroy();
  }
}
