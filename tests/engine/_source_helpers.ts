/** Small helpers of the upload-source tests: random bytes, a stall clock the test trips. */
import type { RunnerClock } from "../../lib/engine/job_types.ts";

/** `n` random bytes (getRandomValues fills at most 64 KiB at a time). */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

/**
 * A timer that never fires by itself: `trip()` fires the timers armed now, or, when none is,
 * the next one armed. So a test fires the stall watchdog exactly when the origin has stalled.
 */
export class TripClock implements Pick<RunnerClock, "after"> {
  #armed = new Set<() => void>();
  #tripNext = false;
  /** How many timers fired. */
  fired = 0;

  after(_ms: number, fn: () => void): () => void {
    if (this.#tripNext) {
      this.#tripNext = false;
      this.fired++;
      queueMicrotask(fn);
      return () => {};
    }
    this.#armed.add(fn);
    return () => this.#armed.delete(fn);
  }

  trip(): void {
    if (this.#armed.size === 0) {
      this.#tripNext = true;
      return;
    }
    for (const fn of [...this.#armed]) {
      this.#armed.delete(fn);
      this.fired++;
      fn();
    }
  }
}
