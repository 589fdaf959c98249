/**
 * What `tgpipe serve` learned from Telegram, kept in the progress store with an expiry: resolved
 * chats and the files of messages (size, MIME type, name, location with its file reference and
 * access hash). A request for a file seen before makes no Telegram call before its parts.
 */
import type { ProgressStore } from "../../store/progress_store.ts";

// every serve process shares one record of cursors, keyed by what was looked up
const JOB = "serve:meta";

interface _Entry<T> {
  value: T;
  /** ms since the epoch. */
  expires: number;
}

/** A keyed cache over the progress store, with one time to live for every entry. */
export class MetaCache {
  readonly #store: ProgressStore;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(store: ProgressStore, opts: { ttlMs: number; now?: () => number }) {
    this.#store = store;
    this.#ttlMs = opts.ttlMs;
    this.#now = opts.now ?? Date.now;
  }

  /** The cached value of `key`, or `load()`'s (then cached) when missing or expired. */
  async get<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const hit = await this.#store.getCursor(JOB, key) as _Entry<T> | undefined;
    if (hit && hit.expires > this.#now()) return hit.value;
    const value = await load();
    // "not there" is not cached: a message posted a moment later is served at once
    if (value !== undefined) await this.set(key, value);
    return value;
  }

  /** Replaces the value of `key` (a refreshed file reference). */
  async set<T>(key: string, value: T): Promise<void> {
    const entry: _Entry<T> = { value, expires: this.#now() + this.#ttlMs };
    await this.#store.setCursor(JOB, key, entry);
  }
}
