/**
 * The adapters' back-off sleep (src/chat/lifecycle.ts) on their long-lived stop signal: found
 * by Node's MaxListeners warning during a 429 storm (each sleep left a listener on the signal).
 */
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { sleep } from "../../src/chat/lifecycle.ts";

describe("sleep(ms, signal)", () => {
  it("leaves no listener on the signal once the time is up, however many times it is called", async () => {
    const stop = new AbortController();
    for (let i = 0; i < 20; i++) await sleep(1, stop.signal);
    expect(getEventListeners(stop.signal, "abort")).toHaveLength(0);
  });

  it("ends at once when the signal is aborted, before or during the wait", async () => {
    const stop = new AbortController();
    const started = performance.now();
    const waiting = sleep(60_000, stop.signal);
    stop.abort();
    await waiting;
    await sleep(60_000, stop.signal); // already aborted
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
