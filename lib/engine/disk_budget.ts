/**
 * A byte budget for a working folder (sync's --temp under --max-disk): a file's size is reserved
 * before its download starts and given back only once its local copy is deleted, so the bytes on
 * disk never exceed the budget at any instant. Waiters are served in order (a big file is not
 * starved by small ones behind it); waiting is announced with a `pause` event (disk_budget).
 */
import { TgpipeError } from "../core/errors.ts";
import type { Emit } from "../progress/events.ts";

/** Bytes held for one file until {@link Reservation.release}. */
export interface Reservation {
  readonly bytes: number;
  /** Gives the bytes back (the file was deleted); idempotent. */
  release(): void;
  /** The file stays on disk for good (--keep-local): its bytes never come back. */
  keep(): void;
}

/** A file can never fit: bigger than the budget, or than what files kept for good leave of it. */
export class DiskBudgetError extends TgpipeError {
  constructor(bytes: number, free: number) {
    super(`A file of ${bytes} bytes cannot fit in the disk budget (${free} bytes can ever be free)`, {
      code: "DISK_BUDGET",
      data: { bytes, free },
    });
  }
}

interface _Waiter {
  bytes: number;
  grant: () => void;
  fail: (err: Error) => void;
}

/** See module comment. */
export class DiskBudget {
  readonly limit: number;
  #used = 0;
  #kept = 0;
  #queue: _Waiter[] = [];
  #emit: Emit;
  #paused = false;

  constructor(limit: number, opts: { emit?: Emit } = {}) {
    if (!(limit > 0)) throw new RangeError(`A disk budget must be positive, got ${limit}`);
    this.limit = limit;
    this.#emit = opts.emit ?? (() => {});
  }

  /** Bytes reserved now (held by files in the folder or about to be). */
  get used(): number {
    return this.#used;
  }

  /** Whether a file of `bytes` could ever be reserved. */
  fits(bytes: number): boolean {
    return bytes <= this.limit - this.#kept;
  }

  /**
   * Waits until `bytes` fit, then holds them. Rejects with DiskBudgetError when they never can,
   * or with the signal's reason when it aborts first (nothing is held then).
   */
  reserve(bytes: number, signal?: AbortSignal): Promise<Reservation> {
    signal?.throwIfAborted();
    if (!this.fits(bytes)) return Promise.reject(new DiskBudgetError(bytes, this.limit - this.#kept));
    if (this.#queue.length === 0 && this.#used + bytes <= this.limit) {
      this.#used += bytes;
      return Promise.resolve(this.#reservation(bytes));
    }
    return new Promise((resolve, reject) => {
      const w: _Waiter = {
        bytes,
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(this.#reservation(bytes));
        },
        fail: (err) => {
          signal?.removeEventListener("abort", onAbort);
          reject(err);
        },
      };
      const onAbort = () => {
        this.#queue = this.#queue.filter((x) => x !== w);
        this.#pump();
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(w);
      if (!this.#paused) {
        this.#paused = true;
        this.#emit({ type: "pause", reason: "disk_budget", seconds: 0 });
      }
    });
  }

  #reservation(bytes: number): Reservation {
    let open = true;
    return {
      bytes,
      release: () => {
        if (!open) return;
        open = false;
        this.#used -= bytes;
        this.#pump();
      },
      keep: () => {
        if (!open) return;
        open = false;
        this.#kept += bytes;
        // a waiter that can no longer ever fit is told so instead of waiting forever
        this.#pump();
      },
    };
  }

  #pump(): void {
    for (const w of this.#queue.filter((x) => !this.fits(x.bytes))) {
      this.#queue = this.#queue.filter((x) => x !== w);
      w.fail(new DiskBudgetError(w.bytes, this.limit - this.#kept));
    }
    while (this.#queue.length > 0) {
      const w = this.#queue[0];
      if (this.#used + w.bytes > this.limit) break;
      this.#queue.shift();
      this.#used += w.bytes;
      w.grant();
    }
    if (this.#paused && this.#queue.length === 0) {
      this.#paused = false;
      this.#emit({ type: "resume", reason: "disk_budget" });
    }
  }
}
