/**
 * The plan of the bot's one long download job: requests pushed by the update loop as people press
 * quality buttons, handed to the job runner's lanes in order; it ends when the run stops.
 */

/** An async queue the job runner reads as its plan. */
export class DownloadQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #wake?: () => void;
  #closed = false;

  constructor(signal: AbortSignal) {
    signal.addEventListener("abort", () => this.close(), { once: true });
  }

  /** Adds a request (ignored once closed). */
  push(item: T): void {
    if (this.#closed) return;
    this.#items.push(item);
    this.#wake?.();
  }

  /** Removes a request that has not started yet; true when it was still waiting. */
  remove(pred: (item: T) => boolean): boolean {
    const i = this.#items.findIndex(pred);
    if (i < 0) return false;
    this.#items.splice(i, 1);
    return true;
  }

  /** Ends the plan: the runner's lanes finish what they have and stop. */
  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((r) => this.#wake = r);
      this.#wake = undefined;
    }
  }
}
