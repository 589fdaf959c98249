/**
 * Uploads one UploadSource as Telegram parts: read in order (two parts ahead at most), sent in
 * parallel over the lanes by a pool of part senders (a slow part never holds the others), each
 * saved part recorded before it counts, md5 of small files computed on the way. A source of
 * unknown size goes as a big file with file_total_parts = -1 until its last part, unless it
 * ends within 10 MiB (then it is a small file, held in memory up to that size).
 */
import { createHash } from "node:crypto";
import type { Emit } from "../progress/events.ts";
import type { UploadCheckpoint } from "./upload_checkpoint.ts";
import { randomId64 } from "./upload_checkpoint.ts";
import type { Limiter } from "./limiter.ts";
import { type PartRetryOptions, type SavePart, savePartOverLanes, type UploadLane } from "./upload_lane.ts";
import { type ReadPart, readParts } from "./upload_part_reader.ts";
import {
  planUpload,
  SMALL_FILE_MAX,
  TooBigError,
  type UploadLimits,
  type UploadPlan,
} from "./upload_plan.ts";
import type { UploadSource } from "./upload_source.ts";

/** An uploaded file, ready to be sent as InputFile / InputFileBig. */
export interface UploadedFile {
  fileId: string;
  name: string;
  size: number;
  parts: number;
  partSize: number;
  big: boolean;
  /** Hex md5 of a small file's bytes. */
  md5?: string;
  /** Parts confirmed by an earlier run and not sent again. */
  resumed: ReadonlySet<number>;
  /** Bytes sent in this run. */
  sentBytes: number;
}

/** How one file is uploaded. */
export interface UploadFileOptions extends PartRetryOptions {
  limits: UploadLimits;
  /** Parts in flight for this file. */
  concurrency: number;
  partSize?: number;
  /** Shared by every file uploading at once: bounds their parts in flight together. */
  inFlight?: Limiter;
  /** Records parts for resume (big files of seekable sources); none = no resume. */
  checkpoint?: UploadCheckpoint;
  /** Ignore what the checkpoint holds and start over under a new file id. */
  fresh?: boolean;
  now?: () => number;
  emit?: Emit;
  signal?: AbortSignal;
}

/** Uploads `source` over `lanes` (the item's own lane first); see the module comment. */
export async function uploadFile(
  source: UploadSource,
  lanes: readonly UploadLane[],
  opts: UploadFileOptions,
): Promise<UploadedFile> {
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const first = await _firstParts(source, opts, signal);
  const plan = first.plan;
  const { fileId, done } = await _resumeOrStart(source, plan, opts);
  const md5 = plan.big ? undefined : createHash("md5");
  let total = plan.totalParts;
  let size = 0;
  let doneBytes = done.size > 0 ? [...done].reduce((n, i) => n + _partLen(i, plan, source.size!), 0) : 0;
  let sentBytes = 0;
  const fromIndex = _firstMissing(done);
  // every part saved before (killed between the last part and the send): nothing to read
  const allDone = plan.totalParts !== undefined && fromIndex >= plan.totalParts;
  const parts = first.parts ?? (allDone ? _chain([], undefined) : readParts(source, {
    partSize: plan.partSize,
    fromIndex,
    signal,
  }));
  const iter = parts[Symbol.asyncIterator]();
  // parts are pulled one at a time (an async generator queues its callers), so md5 sees them in order
  const next = async (): Promise<ReadPart | undefined> => {
    for (;;) {
      const r = await iter.next();
      if (r.done) return undefined;
      const p = r.value;
      if (p.index >= opts.limits.maxParts) {
        throw new TooBigError((p.index + 1) * plan.partSize, opts.limits.maxParts * plan.partSize);
      }
      md5?.update(p.bytes);
      size = p.index * plan.partSize + p.bytes.length;
      if (p.last) total = p.index + 1;
      if (!done.has(p.index)) return p;
    }
  };
  opts.emit?.({ type: "item_progress", item: opts.item, done_bytes: doneBytes, total_bytes: source.size });
  const sender = async () => {
    for (let p = await next(); p; p = await next()) {
      const part: SavePart = {
        fileId,
        index: p.index,
        bytes: p.bytes,
        big: plan.big,
        totalParts: total ?? (p.last ? p.index + 1 : -1),
      };
      const send = () => savePartOverLanes(lanes, part, signal, opts);
      await (opts.inFlight ? opts.inFlight.run(send) : send());
      // recorded before it counts: a kill after this line does not send it again
      await opts.checkpoint?.ledger.markDone(opts.checkpoint.key, p.index);
      doneBytes += p.bytes.length;
      sentBytes += p.bytes.length;
      opts.emit?.({
        type: "item_progress",
        item: opts.item,
        done_bytes: doneBytes,
        total_bytes: source.size,
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, () =>
      sender().catch((err) => {
        stop.abort(err);
        throw err;
      })));
  } catch (err) {
    await iter.return?.(undefined);
    throw opts.signal?.aborted ? opts.signal.reason : err;
  }
  // parts skipped as resumed still went through next(), so size and total are the whole file's
  if (source.size !== undefined) size = source.size;
  return {
    fileId,
    name: source.name,
    size,
    parts: total ?? 0,
    partSize: plan.partSize,
    big: plan.big,
    md5: md5?.digest("hex"),
    resumed: done,
    sentBytes,
  };
}

/** Sends part `index` of an uploaded file again (Telegram answered FILE_PART_X_MISSING). */
export async function resendPart(
  source: UploadSource,
  file: UploadedFile,
  lanes: readonly UploadLane[],
  index: number,
  opts: PartRetryOptions & { signal: AbortSignal },
): Promise<void> {
  if (!source.seekable) {
    throw new RangeError(`Source ${source.origin} cannot be read again from part ${index}`);
  }
  const it = readParts(source, {
    partSize: file.partSize,
    fromIndex: index,
    signal: opts.signal,
  })[Symbol.asyncIterator]();
  const r = await it.next();
  await it.return?.(undefined);
  if (r.done) throw new RangeError(`Part ${index} is past the end of ${source.origin}`);
  const part = { fileId: file.fileId, index, bytes: r.value.bytes, big: file.big, totalParts: file.parts };
  await savePartOverLanes(lanes, part, opts.signal, opts);
}

// The plan; for a source of unknown size, up to 10 MiB read ahead to learn whether it is small.
async function _firstParts(
  source: UploadSource,
  opts: UploadFileOptions,
  signal: AbortSignal,
): Promise<{ plan: UploadPlan; parts?: AsyncIterable<ReadPart> }> {
  if (source.size !== undefined) return { plan: planUpload(source.size, opts.limits, opts) };
  const plan = planUpload(undefined, opts.limits, opts);
  const reader = readParts(source, { partSize: plan.partSize, signal });
  const held: ReadPart[] = [];
  let bytes = 0;
  // not `for await`: breaking out of it would close the reader the upload goes on with
  for (let r = await reader.next(); !r.done; r = await reader.next()) {
    const p = r.value;
    held.push(p);
    bytes += p.bytes.length;
    if (p.last) {
      const known = planUpload(bytes, opts.limits, opts);
      return { plan: known, parts: _chain(held, undefined) };
    }
    if (bytes > SMALL_FILE_MAX) break;
  }
  if (held.length === 0) planUpload(0, opts.limits, opts); // throws: Telegram takes no empty file
  return { plan, parts: _chain(held, reader) };
}

async function* _chain(held: ReadPart[], rest: AsyncGenerator<ReadPart> | undefined) {
  while (held.length > 0) yield held.shift()!;
  if (rest) yield* rest;
}

async function _resumeOrStart(
  source: UploadSource,
  plan: UploadPlan,
  opts: UploadFileOptions,
): Promise<{ fileId: string; done: Set<number> }> {
  const cp = opts.checkpoint;
  const now = (opts.now ?? Date.now)();
  // only big files of seekable sources resume: a small one needs its md5 over every byte anyway
  const resumable = cp && plan.big && source.size !== undefined && source.seekable;
  if (!resumable) return { fileId: randomId64(), done: new Set() };
  const want = { size: source.size!, partSize: plan.partSize };
  const had = opts.fresh ? undefined : await cp.resume(want, now);
  if (had) return { fileId: had.record.fileId, done: had.done };
  const fileId = randomId64();
  await cp.start({ fileId, ...want, at: now });
  return { fileId, done: new Set() };
}

function _firstMissing(done: Set<number>): number {
  let i = 0;
  while (done.has(i)) i++;
  return i;
}

function _partLen(index: number, plan: UploadPlan, size: number): number {
  return Math.min(plan.partSize, size - index * plan.partSize);
}
