/**
 * Shows a job's progress by editing one bot message: Telegram limits how often a message may be
 * edited, so edits are at most one per interval, the newest text wins, an unchanged text is never
 * sent again, and the final text always goes out.
 */

import type { RunnerClock } from "../../engine/job_types.ts";

/** Edits the message to `text`; errors are the caller's (a failed progress edit is not fatal). */
export type EditText = (text: string) => Promise<void>;

/** Options of {@link ProgressEditor}. */
export interface ProgressEditorOptions {
  /** Least time between two edits, ms. Default 3000. */
  intervalMs?: number;
  /** Clock and timer (tests pass their own). Default Date.now and setTimeout. */
  clock?: RunnerClock;
  /** Told of a failed edit (the next one is still tried). Default: ignored. */
  onError?: (err: unknown) => void;
}

/** Throttled edits of one message (see module comment). */
export class ProgressEditor {
  readonly #edit: EditText;
  readonly #interval: number;
  readonly #clock: RunnerClock;
  readonly #onError: (err: unknown) => void;
  #shown: string | undefined;
  #pending: string | undefined;
  #last = -Infinity;
  #cancel: (() => void) | undefined;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(edit: EditText, opts: ProgressEditorOptions = {}) {
    this.#edit = edit;
    this.#interval = opts.intervalMs ?? 3000;
    this.#clock = opts.clock ?? _realClock;
    this.#onError = opts.onError ?? (() => {});
  }

  /** Asks for `text` to be shown: now if the interval has passed, else when it does. */
  update(text: string): void {
    if (this.#closed) return;
    this.#pending = text;
    if (this.#cancel !== undefined) return;
    const wait = this.#last + this.#interval - this.#clock.now();
    if (wait <= 0) return this.#flush();
    this.#cancel = this.#clock.after(wait, () => {
      this.#cancel = undefined;
      this.#flush();
    });
  }

  /** Shows `text` at once (the final state) and stops further updates; resolves when it is sent. */
  async finish(text: string): Promise<void> {
    this.#closed = true;
    this.#cancel?.();
    this.#cancel = undefined;
    this.#pending = text;
    this.#flush();
    await this.#chain;
  }

  #flush(): void {
    const text = this.#pending;
    this.#pending = undefined;
    if (text === undefined || text === this.#shown) return;
    this.#shown = text;
    this.#last = this.#clock.now();
    this.#chain = this.#chain.then(() => this.#edit(text)).catch(this.#onError);
  }
}

const _realClock: RunnerClock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};
