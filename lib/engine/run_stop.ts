import { StoppedError } from "../core/errors.ts";
import { formatDuration } from "../core/format.ts";
import type { RunnerClock } from "./job_types.ts";

/**
 * The stop signal of one run: aborted by the caller's signal (Ctrl-C), by the time budget
 * (--max-runtime) or by `stop()` (a step found a quota or another reason to stop), always with
 * a StoppedError as its reason so every stop ends with exit 75 and the same message.
 */
export class RunStop {
  readonly #controller = new AbortController();
  readonly #cancels: Array<() => void> = [];

  constructor(parent: AbortSignal | undefined, opts: { maxRuntimeMs?: number; clock: RunnerClock }) {
    if (parent) {
      const onAbort = () => this.stop(parent.reason);
      if (parent.aborted) onAbort();
      else {
        parent.addEventListener("abort", onAbort, { once: true });
        this.#cancels.push(() => parent.removeEventListener("abort", onAbort));
      }
    }
    const ms = opts.maxRuntimeMs;
    if (ms !== undefined) {
      if (!(Number.isFinite(ms) && ms > 0)) throw new RangeError(`maxRuntimeMs must be positive, got ${ms}`);
      this.#cancels.push(opts.clock.after(ms, () => {
        this.stop(
          new StoppedError(
            `Time budget of ${formatDuration(ms / 1000)} reached; run the same command again to resume`,
            "max_runtime",
          ),
        );
      }));
    }
  }

  /** Aborted when the run must stop starting work; its reason is a StoppedError. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Stops the run (the first reason wins). */
  stop(reason?: unknown): void {
    if (this.#controller.signal.aborted) return;
    this.#controller.abort(
      reason instanceof StoppedError
        ? reason
        : new StoppedError("Stopped; run the same command again to resume"),
    );
  }

  /** Releases the timer and the listener on the caller's signal. */
  dispose(): void {
    for (const c of this.#cancels.splice(0)) c();
  }
}
