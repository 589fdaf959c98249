/** A counting semaphore: at most `n` holders at once, FIFO waiters. */
export class Limiter {
  #free: number;
  #cap: number;
  readonly #max: number;
  #waiters: Array<() => void> = [];

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

  /** Runs `fn` once a slot is free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiters.push(resolve));
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

  #release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#free++;
  }
}
