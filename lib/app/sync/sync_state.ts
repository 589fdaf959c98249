/**
 * sync's state: which messages' files are on the remote, as a contiguous watermark ("every file
 * of a message up to this id is uploaded") plus counters, and when to save it (every N files or
 * every interval, and at every stop). Where it is saved is {@link StateSink}'s.
 */

/** The state as saved (the JSON of the state message). */
export interface SyncStateData {
  v: 1;
  chat: { id: number; name: string };
  target: string;
  /** Every file of a message with an id up to this one is on the remote. */
  watermark: number;
  files_downloaded: number;
  files_uploaded: number;
  bytes_uploaded: number;
  gb_uploaded: number;
  /** ISO time of this save. */
  updated: string;
  status: "running" | "done" | "stopped" | "quota" | "failed";
}

/** Saves the state somewhere (progress store, Saved Messages, a local file). */
export type StateSink = (s: SyncStateData) => Promise<void>;

/** When to save. */
export interface SavePolicy {
  every: number;
  intervalMs: number;
  now?: () => number;
}

/** See module comment. */
export class SyncState {
  #data: SyncStateData;
  #pending: number[] = [];
  #finished = new Set<number>();
  #sinceSave = 0;
  #lastSave: number;
  #saving: Promise<void> = Promise.resolve();
  readonly #sink: StateSink;
  readonly #policy: SavePolicy;

  constructor(data: SyncStateData, sink: StateSink, policy: SavePolicy) {
    this.#data = { ...data };
    this.#sink = sink;
    this.#policy = policy;
    this.#lastSave = this.#now();
  }

  /** A copy of the state now. */
  get data(): SyncStateData {
    return { ...this.#data };
  }

  /** The message ids this pass will handle (above the watermark), in any order. */
  plan(ids: number[]): void {
    this.#pending = [...new Set([...this.#pending, ...ids])].filter((id) => id > this.#data.watermark)
      .sort((a, b) => a - b);
    this.#advance();
  }

  /** A file went into the local copy. */
  downloaded(): void {
    this.#data.files_downloaded++;
  }

  /**
   * Message `id`'s file is on the remote (uploaded now when `bytes` is given, or found there).
   * Saves when a save point is reached; resolves once that save is done.
   */
  async finished(id: number, bytes?: number): Promise<void> {
    this.#finished.add(id);
    if (bytes !== undefined) {
      this.#data.files_uploaded++;
      this.#data.bytes_uploaded += bytes;
    }
    this.#advance();
    this.#sinceSave++;
    if (this.#sinceSave >= this.#policy.every || this.#now() - this.#lastSave >= this.#policy.intervalMs) {
      await this.save("running");
    }
  }

  /** Saves now (the saves run one after another, never two at once). */
  save(status: SyncStateData["status"]): Promise<void> {
    this.#sinceSave = 0;
    this.#lastSave = this.#now();
    this.#data.status = status;
    this.#data.updated = new Date(this.#now()).toISOString();
    this.#data.gb_uploaded = Math.round(this.#data.bytes_uploaded / 1e7) / 100;
    const snapshot = { ...this.#data };
    this.#saving = this.#saving.then(() => this.#sink(snapshot));
    return this.#saving;
  }

  /** Whether the interval passed without a save (for the periodic timer). */
  due(): boolean {
    return this.#now() - this.#lastSave >= this.#policy.intervalMs;
  }

  #advance(): void {
    while (this.#pending.length > 0 && this.#finished.has(this.#pending[0])) {
      const id = this.#pending.shift()!;
      this.#finished.delete(id);
      this.#data.watermark = id;
    }
  }

  #now(): number {
    return (this.#policy.now ?? Date.now)();
  }
}

/** The message id of an item id "<chat id>/<message id>". */
export function messageIdOf(item: string): number {
  return Number(item.slice(item.lastIndexOf("/") + 1));
}
