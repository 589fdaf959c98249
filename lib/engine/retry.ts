import { sleep } from "../core/sleep.ts";

/** How a failed attempt is retried. */
export interface RetryOptions {
  /** Attempts in total, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
  signal?: AbortSignal;
  /** Only errors for which this returns true are retried. */
  isRetryable?: (err: unknown) => boolean;
  /** Called before each wait, e.g. to emit a `retry` event. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** Random source in [0, 1) for the jitter; seedable for tests. */
  random?: () => number;
}

/** Backoff delay for the given attempt: exponential with "full jitter" so retries do not synchronise. */
export function backoffDelay(
  attempt: number,
  opts: Pick<RetryOptions, "baseMs" | "maxMs" | "random">,
): number {
  const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (opts.random ?? Math.random)() * (cap / 2));
}

/** Runs `fn` until it succeeds, a non-retryable error occurs, attempts run out, or the signal aborts. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 1;; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (attempt >= opts.attempts || !(opts.isRetryable?.(err) ?? true)) throw err;
      const delay = backoffDelay(attempt, opts);
      opts.onRetry?.(err, attempt, delay);
      await sleep(delay, opts.signal);
    }
  }
}
