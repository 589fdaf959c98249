/**
 * Bounds the heap of a long transfer. Each file part leaves a little short-lived bookkeeping
 * (promises, closures, events) that V8 lets accumulate in the old space for a long time: a 2 GB
 * download grew the heap by about 40 MB before a collection. When the runtime exposes `gc`
 * (`--v8-flags=--expose-gc`, as `deno task tgpipe` and the compiled binary run), a full
 * collection runs after every `everyBytes` transferred: a few milliseconds per 128 MB. The count
 * may be of anything that leaves such garbage: `tgpipe export` counts messages. After each
 * collection the C heap's free pages go back to the system too (malloc_trim.ts).
 */
import { mallocTrim } from "./malloc_trim.ts";

/** Counts transferred bytes per item and collects garbage every `everyBytes` of them. */
export class HeapTrimmer {
  readonly #every: number;
  readonly #gc: (() => void) | undefined;
  readonly #native: () => (() => void) | undefined;
  #last = new Map<string, number>();
  #since = 0;
  /** Collections run so far (tests). */
  runs = 0;

  /** `native`: what trims the C heap after a collection (tests count its calls). */
  constructor(
    everyBytes: number,
    gc = (globalThis as { gc?: () => void }).gc,
    native: () => (() => void) | undefined = mallocTrim,
  ) {
    this.#every = everyBytes;
    this.#gc = gc;
    this.#native = native;
  }

  /** Records that `item` has `doneBytes` in all (from its item_progress events). */
  progress(item: string, doneBytes: number): void {
    if (!this.#gc) return;
    const before = this.#last.get(item) ?? doneBytes;
    this.#last.set(item, doneBytes);
    this.#since += Math.max(0, doneBytes - before);
    if (this.#since < this.#every) return;
    this.#since = 0;
    this.runs++;
    this.#gc();
    // the collection freed the native buffers its objects held: their pages can go now
    this.#native()?.();
  }

  /** Forgets a finished item. */
  done(item: string): void {
    this.#last.delete(item);
  }
}
