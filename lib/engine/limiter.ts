/** A counting semaphore: at most `n` holders at once; waiters by priority (lowest first), then FIFO. */
export class Limiter {
  #free: number;
  #cap: number;
  readonly #max: number;
  #waiters: Array<{ priority: number; go: () => void }> = [];

  /**
   * `start`: holders allowed at first, one more each time a holder finishes, up to `n` (a slow start:
   * a batch's first requests all at once made a server work through all of them before it answered
   * any, while the client sat idle). Default `n`.
   */
  constructor(n: number, opts: { start?: number } = {}) {
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`Concurrency must be a positive integer, got ${n}`);
    }
    this.#max = n;
    this.#cap = Math.max(1, Math.min(n, opts.start ?? n));
    this.#free = this.#cap;
  }

  /** Runs `fn` once a slot is free; of the waiters, the lowest `priority` goes first (default: FIFO). */
  async run<T>(fn: () => Promise<T>, priority = 0): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((go) => this.#enqueue({ priority, go }));
    try {
      return await fn();
    } finally {
      if (this.#cap < this.#max) {
        this.#cap++;
        this.#release();
      }
      this.#release();
    }
  }

  /** Keeps the waiters in order (priority, then arrival): found from the end, so FIFO use is a push. */
  #enqueue(w: { priority: number; go: () => void }): void {
    let i = this.#waiters.length;
    while (i > 0 && this.#waiters[i - 1].priority > w.priority) i--;
    this.#waiters.splice(i, 0, w);
  }

  #release(): void {
    const next = this.#waiters.shift();
    if (next) next.go();
    else this.#free++;
  }
}
