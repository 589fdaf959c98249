/** What the sliding window decided for one request. */
export interface RateDecision {
  allowed: boolean;
  /** Requests left in the window after this one (0 when refused). */
  remaining: number;
  /** When refused: milliseconds until the oldest request leaves the window. */
  retry_after_ms: number;
}

/**
 * A sliding-window limit of `limit` requests per `windowMs`: keeps the request times still in the
 * window, adds `now` when there is room, and says whether this request may go. Pure, so the
 * caller stores `times` atomically (RateRepo.take) and a restart keeps the window.
 */
export function slidingWindow(
  times: readonly number[],
  now: number,
  opts: { limit: number; windowMs?: number },
): { times: number[]; result: RateDecision } {
  const windowMs = opts.windowMs ?? 60_000;
  const live = times.filter((t) => t > now - windowMs && t <= now).sort((a, b) => a - b);
  if (live.length >= opts.limit) {
    const oldest = live[live.length - opts.limit];
    return { times: live, result: { allowed: false, remaining: 0, retry_after_ms: oldest + windowMs - now } };
  }
  live.push(now);
  return { times: live, result: { allowed: true, remaining: opts.limit - live.length, retry_after_ms: 0 } };
}
