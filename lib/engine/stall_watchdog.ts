/**
 * The stall watchdog of part transfers (download and upload): a part that makes no progress for
 * `stallMs` is abandoned with a StallError, its request aborted, so it can be sent again at once
 * instead of waiting for a connection timeout.
 */
import { TgpipeError } from "../core/errors.ts";

/** A part got no answer for too long; retried like a dropped connection. */
export class StallError extends TgpipeError {
  constructor(part: number, ms: number) {
    super(`Part ${part} stalled for ${ms} ms`, { code: "STALL", data: { part, ms } });
  }
}

/** Runs `fn` for part `index` under the watchdog (no watchdog when `stallMs` is 0 or undefined). */
export async function withStallWatchdog<T>(
  index: number,
  signal: AbortSignal,
  stallMs: number | undefined,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (!stallMs) return await fn(signal);
  const attempt = new AbortController();
  const onAbort = () => attempt.abort(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new StallError(index, stallMs);
      attempt.abort(err);
      reject(err);
    }, stallMs);
  });
  try {
    return await Promise.race([fn(attempt.signal), stalled]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
  }
}
