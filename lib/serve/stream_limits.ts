/** Streams in flight, bounded in total and per client address (`--max-streams`). */
export class StreamLimits {
  #total = 0;
  #perClient = new Map<string, number>();

  /** At most `total` streams, and at most `perClient` from one address. */
  constructor(readonly total: number, readonly perClient: number) {
    if (!(total >= 1 && perClient >= 1)) throw new RangeError("Stream limits must be at least 1");
  }

  /** Takes a slot for `client`; returns its release (call once), or undefined when full. */
  acquire(client: string): (() => void) | undefined {
    const mine = this.#perClient.get(client) ?? 0;
    if (this.#total >= this.total || mine >= this.perClient) return undefined;
    this.#total++;
    this.#perClient.set(client, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total--;
      const n = (this.#perClient.get(client) ?? 1) - 1;
      if (n <= 0) this.#perClient.delete(client);
      else this.#perClient.set(client, n);
    };
  }

  /** Streams in flight now. */
  get active(): number {
    return this.#total;
  }
}
