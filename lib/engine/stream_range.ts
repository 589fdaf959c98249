/**
 * One byte range of a remote file as a ReadableStream, for HTTP streaming: getFile parts that obey
 * Telegram's rules, starting with the part that holds the range's first byte, a read-ahead window
 * of parts in flight (over the file's lanes when the source is a shared file), each part trimmed
 * to the range. Parts are fetched only as the reader pulls (a slow client never makes the file
 * pile up in memory), and cancelling the stream aborts the parts in flight at once.
 */
import { TgpipeError } from "../core/errors.ts";
import type { FileSource } from "./file_source.ts";
import { isTransient } from "./is_transient.ts";
import type { Limiter } from "./limiter.ts";
import { MIB, type PartPlan, smallestLimit } from "./parts.ts";
import { retry } from "./retry.ts";

const KIB4 = 4096;

/** Options of {@link streamRange}. */
export interface StreamRangeOptions {
  /** Parts fetched ahead of the reader, the one it waits for included. Default 4. */
  readAhead?: number;
  /** Largest first part: a smaller one answers sooner (time to first byte). Default 256 KiB. */
  firstPartMax?: number;
  /** Shared by every stream: bounds their parts in flight all together. */
  inFlight?: Limiter;
  /** Attempts per part (transient failures only). Default 5. */
  attempts?: number;
  retryBaseMs?: number;
  /** Called with each part's bytes as they are handed to the reader. */
  onBytes?: (n: number) => void;
  /** Called before a part is tried again. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  signal?: AbortSignal;
}

/**
 * The getFile requests that cover bytes [start, end] (inclusive) of a file: from the 4 KiB block
 * holding `start`, each the largest power of two that neither crosses a 1 MiB boundary nor asks
 * (much) beyond `end`, the first one at most `firstMax`.
 */
export function planRangeParts(start: number, end: number, opts: { firstMax?: number } = {}): PartPlan[] {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`Invalid byte range ${start}-${end}`);
  }
  const parts: PartPlan[] = [];
  let cap = Math.max(KIB4, opts.firstMax ?? MIB);
  for (let offset = start - (start % KIB4), index = 0; offset <= end; index++) {
    const toBoundary = MIB - (offset % MIB);
    let limit = KIB4;
    while (limit * 2 <= Math.min(toBoundary, cap)) limit *= 2;
    limit = Math.min(limit, smallestLimit(end + 1 - offset));
    parts.push({ index, offset, limit });
    offset += limit;
    cap = MIB;
  }
  return parts;
}

/** Streams bytes [start, end] (inclusive) of `source` (see module comment). */
export function streamRange(
  source: FileSource,
  range: { start: number; end: number },
  opts: StreamRangeOptions = {},
): ReadableStream<Uint8Array> {
  if (range.end >= source.size) {
    throw new RangeError(`Range ends past the file (${range.end} >= ${source.size})`);
  }
  const parts = planRangeParts(range.start, range.end, { firstMax: opts.firstPartMax ?? 256 * 1024 });
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const window = Math.max(1, opts.readAhead ?? 4);
  const pending: Promise<Uint8Array>[] = [];
  let launched = 0;
  let handed = 0;
  const fill = () => {
    while (pending.length < window && launched < parts.length) {
      const p = _fetch(source, parts[launched++], signal, opts);
      p.catch(() => {}); // awaited in order by pull; a stream cancelled meanwhile never awaits it
      pending.push(p);
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      fill();
      const part = parts[handed];
      let bytes: Uint8Array;
      try {
        bytes = await pending.shift()!;
      } catch (err) {
        stop.abort(err);
        throw err;
      }
      handed++;
      const from = Math.max(range.start, part.offset) - part.offset;
      const to = Math.min(range.end + 1, part.offset + bytes.length) - part.offset;
      const chunk = bytes.subarray(from, to);
      opts.onBytes?.(chunk.length);
      controller.enqueue(chunk);
      if (handed === parts.length) controller.close();
      else fill();
    },
    cancel(reason) {
      stop.abort(reason ?? new DOMException("The reader went away", "AbortError"));
    },
  }, { highWaterMark: 0 });
}

async function _fetch(
  source: FileSource,
  part: PartPlan,
  signal: AbortSignal,
  opts: StreamRangeOptions,
): Promise<Uint8Array> {
  const expected = Math.min(part.offset + part.limit, source.size) - part.offset;
  const once = async () => {
    signal.throwIfAborted();
    const bytes = await source.fetchPart(part, signal);
    if (bytes.length !== expected) {
      throw new TgpipeError(`Part ${part.index} returned ${bytes.length} bytes, expected ${expected}`, {
        code: "SHORT_PART",
        data: { part: part.index, got: bytes.length, expected },
      });
    }
    return bytes;
  };
  return await retry(() => (opts.inFlight ? opts.inFlight.run(once) : once()), {
    attempts: opts.attempts ?? 5,
    baseMs: opts.retryBaseMs ?? 250,
    maxMs: 5_000,
    signal,
    isRetryable: isTransient,
    onRetry: opts.onRetry,
  });
}
