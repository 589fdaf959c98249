/** A counting semaphore: at most `n` holders at once, FIFO waiters. */
export class Limiter {
  #free: number;
  #waiters: Array<() => void> = [];

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`Concurrency must be a positive integer, got ${n}`);
    }
    this.#free = n;
  }

  /** Runs `fn` once a slot is free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiters.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.#waiters.shift();
      if (next) next();
      else this.#free++;
    }
  }
}
