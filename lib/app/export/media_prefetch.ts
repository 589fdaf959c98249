/**
 * Export's media downloads, started as soon as a page of messages arrives instead of when the
 * exporter reaches each message: a bounded number of files at once; a free slot goes to the
 * lowest message id waiting, so the message the exporter waits for is always among the first. The exporter still
 * takes them one by one in id order, so notes and messages.jsonl are written exactly as before.
 */
import { Limiter } from "../../engine/limiter.ts";
import type { RemoteFile } from "../../telegram/remote_file.ts";

/** Downloads one media file to `dest` (absolute); resolves true when it is in place. */
export type MediaFetch = (file: RemoteFile, dest: string, signal?: AbortSignal) => Promise<boolean>;

interface _Started {
  dest: string;
  done: Promise<boolean>;
}

/** Media downloads of one chat export, started ahead of the exporter (see module comment). */
export class MediaPrefetch {
  readonly #fetch: MediaFetch;
  readonly #limiter: Limiter;
  readonly #stop = new AbortController();
  readonly #signal: AbortSignal;
  #started = new Map<number, _Started>();
  /** The last download of each remote file: the same file twice is fetched one after the other. */
  #byKey = new Map<string, Promise<unknown>>();
  #running = new Set<Promise<unknown>>();

  /** `concurrency` files at once; `signal` stops them all (as does {@link close}). */
  constructor(fetch: MediaFetch, opts: { concurrency: number; signal?: AbortSignal }) {
    this.#fetch = fetch;
    this.#limiter = new Limiter(opts.concurrency);
    this.#signal = opts.signal ? AbortSignal.any([opts.signal, this.#stop.signal]) : this.#stop.signal;
  }

  /** Starts downloading message `id`'s `file` to `dest` once a slot is free. */
  start(id: number, file: RemoteFile, dest: string): void {
    if (this.#started.has(id) || this.#signal.aborted) return;
    // Two messages with the same file would share its resume record (the part ledger is keyed
    // by file): the second waits for the first.
    const before = this.#byKey.get(file.key) ?? Promise.resolve();
    // pages may arrive out of order: the lowest message id (the exporter's next) gets a slot first
    const done = before.then(() =>
      this.#limiter.run(() => {
        this.#signal.throwIfAborted(); // closed while it waited for a slot
        return this.#fetch(file, dest, this.#signal);
      }, id)
    );
    done.catch(() => {}); // a failure is reported when the exporter takes it, in message order
    const settled = done.then(() => {}, () => {});
    this.#byKey.set(file.key, settled);
    this.#running.add(settled);
    settled.then(() => {
      this.#running.delete(settled);
      if (this.#byKey.get(file.key) === settled) this.#byKey.delete(file.key);
    });
    this.#started.set(id, { dest, done });
  }

  /**
   * The download started for message `id` to `dest`, once (its failure is the caller's to
   * report); undefined when none was started for that destination.
   */
  take(id: number, dest: string): Promise<boolean> | undefined {
    const s = this.#started.get(id);
    if (!s) return undefined;
    this.#started.delete(id);
    if (s.dest !== dest) {
      s.done.catch(() => {});
      return undefined;
    }
    return s.done;
  }

  /** Stops what is still running and waits for it to let go of its files. */
  async close(): Promise<void> {
    this.#stop.abort();
    for (const s of this.#started.values()) s.done.catch(() => {});
    this.#started.clear();
    await Promise.all(this.#running);
  }
}
