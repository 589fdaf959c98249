/**
 * One way to upload parts and how a part travels over several of them. Telegram keeps saved
 * parts per account, so the lanes of one file are ways into the same account (the account that
 * sends the message); a file moves to another account only whole, by the job's retry. A part
 * goes the item's own lane first, a lane in a FLOOD_WAIT skipped (its parts move to a free one
 * at once), a stuck part abandoned by the stall watchdog and sent again, other failures retried
 * with backoff and jitter. The engine knows no accounts: a lane says until when it is paused
 * and how to save a part.
 */
import { TgpipeError } from "../core/errors.ts";
import { sleep } from "../core/sleep.ts";
import type { Emit } from "../progress/events.ts";
import { isTransient } from "./is_transient.ts";
import { backoffDelay } from "./retry.ts";
import { StallError, withStallWatchdog } from "./stall_watchdog.ts";

/** A stuck part of an upload (the shared stall watchdog's error). */
export { StallError as PartStallError };

/** One saveFilePart / saveBigFilePart call. */
export interface SavePart {
  /** The upload's random 64-bit id, as a decimal string. */
  fileId: string;
  index: number;
  bytes: Uint8Array;
  /** saveBigFilePart (with `totalParts`) instead of saveFilePart. */
  big: boolean;
  /** Parts in all, or -1 while a big file's size is unknown (Telegram's streamed upload). */
  totalParts: number;
}

/** One account's way to upload. */
export interface UploadLane {
  /** Account label for events: never a secret. */
  readonly label: string;
  /** Until when (ms since the epoch) it waits out a FLOOD_WAIT; 0 or past = free. */
  pausedUntil(): number;
  /** Saves one part; rejects with the server's error. */
  savePart(part: SavePart, signal: AbortSignal): Promise<void>;
}

/** How a part is retried. */
export interface PartRetryOptions {
  item: string;
  /** A part with no answer after this long is abandoned and sent again (stall watchdog). */
  stallMs?: number;
  /** Attempts per part, the first included (lane hand-offs on a flood wait are not counted). */
  attempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  random?: () => number;
  /** Errors worth another attempt; default: network trouble, timeouts, 5xx (is_transient.ts). */
  isRetryable?: (err: unknown) => boolean;
  emit?: Emit;
}

/** Saves `part` over `lanes` (own lane first); see the module comment. */
export async function savePartOverLanes(
  lanes: readonly UploadLane[],
  part: SavePart,
  signal: AbortSignal,
  opts: PartRetryOptions,
): Promise<void> {
  if (lanes.length === 0) throw new RangeError("An upload needs at least one lane");
  const attempts = opts.attempts ?? 8;
  let failures = 0;
  let last: UploadLane | undefined;
  for (;;) {
    signal.throwIfAborted();
    const lane = await _pick(lanes, last, signal);
    last = lane;
    try {
      await withStallWatchdog(part.index, signal, opts.stallMs, (s) => lane.savePart(part, s));
      return;
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      // A lane that paused itself while failing (a FLOOD_WAIT handed over): the part moves to a
      // free lane; with none, the flood error goes up so the item moves to a free account.
      if (lane.pausedUntil() > Date.now()) {
        if (lanes.some((l) => l.pausedUntil() <= Date.now())) continue;
        throw err;
      }
      failures++;
      const retryable = (opts.isRetryable ?? isTransient)(err);
      if (!retryable || failures >= attempts) throw err;
      const delay = backoffDelay(failures, {
        baseMs: opts.retryBaseMs ?? 250,
        maxMs: opts.retryMaxMs ?? 10_000,
        random: opts.random,
      });
      const e = err instanceof TgpipeError ? err : new TgpipeError(String((err as Error)?.message ?? err), {
        code: "ERROR",
      });
      opts.emit?.({
        type: "retry",
        item: opts.item,
        attempt: failures,
        delay_ms: delay,
        error: { code: e.code, message: e.message, data: { ...e.data, part: part.index } },
      });
      await sleep(delay, signal);
    }
  }
}

// A free lane (the first one wins: the item's own), not the one that just failed while another
// is free; with every lane paused, waits for the pause that ends first.
async function _pick(lanes: readonly UploadLane[], last: UploadLane | undefined, signal: AbortSignal) {
  for (;;) {
    const now = Date.now();
    const free = lanes.filter((l) => l.pausedUntil() <= now);
    if (free.length > 0) return free.find((l) => l !== last) ?? free[0];
    const soonest = Math.min(...lanes.map((l) => l.pausedUntil()));
    await sleep(Math.max(1, soonest - now), signal);
  }
}
