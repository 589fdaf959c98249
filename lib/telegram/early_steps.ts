/**
 * The early session check's clock and stop (early_check.ts): the caller's signal, and a timeout per
 * network step, either of which ends the check and closes its connection.
 */

/** The check's stop (the caller's signal) and per-step timeouts, which close the connection. */
export class CheckSteps {
  readonly #ctl = new AbortController();
  readonly #unlink: () => void;

  constructor(outer: AbortSignal | undefined, readonly timeoutMs: number) {
    const stop = () => this.#ctl.abort(outer?.reason);
    outer?.addEventListener("abort", stop, { once: true });
    if (outer?.aborted) stop();
    this.#unlink = () => outer?.removeEventListener("abort", stop);
  }

  get signal(): AbortSignal {
    return this.#ctl.signal;
  }

  /** Calls `fn` now, or when the check stops. */
  onAbort(fn: () => void): void {
    if (this.signal.aborted) fn();
    else this.signal.addEventListener("abort", fn, { once: true });
  }

  /** Runs one network step; it times out after timeoutMs. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    return await this.#bounded(fn(), this.timeoutMs, "no answer in time");
  }

  /** Waits for `p` (the release), at most `ms`. */
  async hold(p: Promise<void>, ms: number): Promise<void> {
    await this.#bounded(p, ms, "not released in time");
  }

  async #bounded<T>(p: Promise<T>, ms: number, why: string): Promise<T> {
    this.signal.throwIfAborted();
    const timer = setTimeout(() => this.#ctl.abort(new DOMException(why, "TimeoutError")), ms);
    let onAbort!: () => void;
    try {
      return await Promise.race([
        p,
        new Promise<never>((_, reject) => {
          onAbort = () => reject(this.signal.reason);
          this.signal.addEventListener("abort", onAbort, { once: true });
        }),
      ]);
    } finally {
      clearTimeout(timer);
      this.signal.removeEventListener("abort", onAbort);
    }
  }

  /** Ends the check: the connection is closed, the caller's signal let go. */
  end(): void {
    this.#ctl.abort(new DOMException("check over", "AbortError"));
    this.#unlink();
  }
}

/** Closes `conn`, whether or not it is closed already. */
export function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* closed already */ }
}
