/**
 * A queue that runs async work one piece at a time, in call order: a piece starts once the one
 * before has settled, and a piece that fails does not stop the ones after it (its caller gets
 * the error). Used wherever one writer must not interleave with itself: the store's updates
 * (./memory.ts), the inbox file's appends (./inbox-file.ts), the send-log archive file's
 * appends and rewrites (./sendlog-archive.ts).
 */
export type SerialQueue = {
  /** Runs `work` after everything queued before it; resolves or rejects as `work` does. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves once everything queued so far has settled (never rejects). */
  idle(): Promise<void>;
};

export function serialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(work: () => Promise<T>): Promise<T> {
      const next = tail.then(work);
      tail = next.catch(() => undefined);
      return next;
    },
    idle: () => tail.then(() => undefined),
  };
}
