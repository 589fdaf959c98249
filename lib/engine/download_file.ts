import { TgpipeError } from "../core/errors.ts";
import { untilAborted } from "../core/until_aborted.ts";
import type { Emit } from "../progress/events.ts";
import type { FileSource, PartLedger, PartWriter } from "./file_source.ts";
import { Limiter } from "./limiter.ts";
import { PartFile, VerifyError } from "./part_file.ts";
import { type PartPlan, planParts } from "./parts.ts";
import { retry } from "./retry.ts";
import { StallError, withStallWatchdog } from "./stall_watchdog.ts";

export { StallError };

/** How one file is downloaded. */
export interface DownloadFileOptions {
  /** Event id of this item. */
  item: string;
  /** Parts fetched at once for this file. */
  concurrency: number;
  partSize?: number;
  ledger?: PartLedger;
  signal?: AbortSignal;
  emit?: Emit;
  /** A part attempt that has not completed after this long is cancelled and retried. */
  stallMs?: number;
  attempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  random?: () => number;
  /** Whether an error is worth retrying (default: anything but VerifyError and aborts). */
  isRetryable?: (err: unknown) => boolean;
  /** Shared by every file downloading at once: bounds their parts in flight all together. */
  inFlight?: Limiter;
  /** Fetches and writes parts elsewhere (a fetch worker) instead of `source.fetchPart` + a write here. */
  partWriter?: PartWriter;
}

/** What a finished download did. */
export interface DownloadFileResult {
  path: string;
  bytes: number;
  /** Bytes fetched in this run (less than `bytes` when resumed). */
  fetchedBytes: number;
  /** Parts that were already on disk from an earlier run. */
  resumedParts: number;
}

/**
 * Downloads `source` to `dest`: parts in parallel into `<dest>.part`, each recorded in the ledger
 * after it is written, then size and hashes verified, then renamed into place.
 */
export async function downloadFile(
  source: FileSource,
  dest: string,
  opts: DownloadFileOptions,
): Promise<DownloadFileResult> {
  const parts = planParts(source.size, { partSize: opts.partSize });
  // parts written here (not by a worker) are hashed from memory when there are hashes to check
  const hashWritesOf = source.hashes && !opts.partWriter ? source.size : undefined;
  const { file, existed } = await PartFile.open(dest, { hashWritesOf });
  // A one-part file has nothing to resume but that part: its records would only cost three KV
  // commits per file (measured: most of the time of a batch of 100 KB photos).
  const ledger = parts.length > 1 ? opts.ledger : undefined;
  let done = existed && ledger ? await ledger.load(source.key) : new Set<number>();
  if (!existed && ledger) {
    // The ledger may remember parts of a partial file that was deleted since: start over.
    await ledger.clear(source.key);
    done = new Set();
  }
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  let doneBytes = parts.filter((p) => done.has(p.index)).reduce((n, p) => n + _len(p, source.size), 0);
  let fetchedBytes = 0;
  opts.emit?.({ type: "item_progress", item: opts.item, done_bytes: doneBytes, total_bytes: source.size });
  const limiter = new Limiter(opts.concurrency);
  const todo = parts.filter((p) => !done.has(p.index));
  // a failure here is the parts' to meet (and retry): waiting is all this is for
  // raced with the signal: a source may not take it (a DC's first connection), and a stop must not
  // wait for the connection to open or time out
  if (todo.length > 0 && opts.inFlight && source.ready) {
    await untilAborted(source.ready(signal), signal).catch(() => {});
  }
  // Hashes are fetched beside the parts, not after them: for a 1 GB file that is a thousand
  // round trips which used to follow the last part. But only once a first part has arrived: asked
  // with a batch's first parts, 8 hash requests a file joined them in the DC's first burst of work,
  // so every first part came later and the slow first answers drew copies (bench download --small).
  // Awaited after the parts (a failure then too).
  let firstPart = () => {};
  const started = todo.length > 1 ? new Promise<void>((r) => (firstPart = r)) : Promise.resolve();
  const hashes = source.hashes && started.then(() => source.hashes!(signal));
  hashes?.catch(() => {});
  try {
    await Promise.all(
      todo.map((part) =>
        limiter.run(async () => {
          signal.throwIfAborted();
          const fetch = () => _fetchWithRetry(source, part, signal, opts, file);
          const n = await (opts.inFlight ? opts.inFlight.run(fetch) : fetch());
          firstPart();
          // recorded before it is acknowledged: a kill after this line loses nothing
          await ledger?.markDone(source.key, part.index);
          doneBytes += n;
          fetchedBytes += n;
          opts.emit?.({
            type: "item_progress",
            item: opts.item,
            done_bytes: doneBytes,
            total_bytes: source.size,
          });
        }).catch((err) => {
          stop.abort(err);
          throw err;
        })
      ),
    );
  } catch (err) {
    await file.close();
    throw opts.signal?.aborted ? opts.signal.reason : err;
  }
  try {
    await file.verify(source.size, hashes ? await hashes : []);
  } catch (err) {
    if (err instanceof VerifyError) {
      await file.discard();
      await ledger?.clear(source.key);
    } else {
      await file.close();
    }
    throw err;
  }
  await file.commit();
  await ledger?.clear(source.key);
  return { path: dest, bytes: source.size, fetchedBytes, resumedParts: done.size };
}

async function _fetchWithRetry(
  source: FileSource,
  part: PartPlan,
  signal: AbortSignal,
  opts: DownloadFileOptions,
  file: PartFile,
): Promise<number> {
  const expected = _len(part, source.size);
  const writer = opts.partWriter;
  return await retry(async () => {
    let got: number;
    let bytes: Uint8Array | undefined;
    if (writer) {
      got = await withStallWatchdog(part.index, signal, opts.stallMs, (s) => writer(part, file.partPath, s));
    } else {
      bytes = await withStallWatchdog(part.index, signal, opts.stallMs, (s) => source.fetchPart(part, s));
      got = bytes.length;
    }
    if (got !== expected) {
      throw new TgpipeError(`Part ${part.index} returned ${got} bytes, expected ${expected}`, {
        code: "SHORT_PART",
        data: { part: part.index, got, expected },
      });
    }
    if (bytes) {
      await file.writeAt(part.offset, bytes);
      source.release?.(bytes);
    }
    return got;
  }, {
    attempts: opts.attempts ?? 8,
    baseMs: opts.retryBaseMs ?? 250,
    maxMs: opts.retryMaxMs ?? 10_000,
    signal,
    random: opts.random,
    isRetryable: opts.isRetryable ?? ((e) => !(e instanceof VerifyError)),
    onRetry: (err, attempt, delay) => {
      const e = err instanceof TgpipeError
        ? err
        : new TgpipeError(String((err as Error)?.message ?? err), { code: "ERROR" });
      opts.emit?.({
        type: "retry",
        item: opts.item,
        attempt,
        delay_ms: delay,
        error: { code: e.code, message: e.message },
      });
    },
  });
}

function _len(part: PartPlan, size: number): number {
  return Math.min(part.offset + part.limit, size) - part.offset;
}
