/**
 * Slow work of the update loop (yt-dlp reading a link, recognising a voice note) run beside it, a
 * few at once, so a chat's next message is answered at once instead of behind it; the loop waits
 * for what is left when the bot stops.
 */

/** Background tasks with a limit on how many run at once. */
export class TaskPool {
  readonly #limit: number;
  #running = 0;
  #waiting: Array<() => void> = [];
  #all = new Set<Promise<void>>();

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Runs `task` when a slot is free; its errors are the task's own to handle. */
  spawn(task: () => Promise<void>): void {
    const p = (async () => {
      if (this.#running >= this.#limit) await new Promise<void>((r) => this.#waiting.push(r));
      this.#running++;
      try {
        await task();
      } finally {
        this.#running--;
        this.#waiting.shift()?.();
      }
    })();
    this.#all.add(p);
    p.finally(() => this.#all.delete(p)).catch(() => {});
  }

  /** Resolves when every task spawned so far has ended. */
  async idle(): Promise<void> {
    while (this.#all.size > 0) await Promise.allSettled([...this.#all]);
  }
}
