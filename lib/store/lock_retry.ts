import { sleep } from "../core/sleep.ts";

/** Options of `withLockRetry`. */
export interface LockRetryOptions {
  /** Attempts in all, the first included; default 10. */
  attempts?: number;
  /** First backoff delay; doubles each time with jitter, capped at 1 s. Default 10 ms. */
  baseDelayMs?: number;
  /** Stops waiting between attempts. */
  signal?: AbortSignal;
  /** Told about each retry (for a `retry` event or a test). */
  onRetry?: (attempt: number, delayMs: number, err: unknown) => void;
}

/** True for the SQLite "database is locked"/busy errors concurrent KV writers run into. */
export function isLockedError(err: unknown): boolean {
  const msg = err instanceof Error ? err.message : String(err);
  return /database is locked|database table is locked|SQLITE_BUSY|SQLITE_LOCKED/i.test(msg);
}

/**
 * Runs `fn`, retrying with exponential backoff while it fails with "database is locked"
 * (several workers or processes writing one KV file). Other errors are thrown at once.
 */
export async function withLockRetry<T>(fn: () => Promise<T>, opts: LockRetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 10;
  const base = opts.baseDelayMs ?? 10;
  for (let attempt = 1;; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isLockedError(err) || attempt >= attempts) throw err;
      const delay = Math.min(1000, base * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      opts.onRetry?.(attempt, Math.round(delay), err);
      await sleep(delay, opts.signal);
    }
  }
}
