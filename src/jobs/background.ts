import type { Logger } from "../logger.ts";

/**
 * Background runs (cron ticks, catch-ups): a failure is logged, never thrown into the
 * timer; `idle()` resolves once every run in flight has finished (for a clean stop).
 */
export function backgroundRuns(log: Logger, label: string) {
  const inFlight = new Set<Promise<unknown>>();
  return {
    track<T>(work: () => Promise<T>): Promise<T | null> {
      const run = work().catch((error: unknown) => {
        log.error({ err: error }, `${label}: run failed`);
        return null;
      });
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
      return run;
    },
    async idle(): Promise<void> {
      await Promise.all([...inFlight]);
    },
  };
}
