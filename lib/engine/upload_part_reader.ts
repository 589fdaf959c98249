/**
 * Cuts an UploadSource's byte stream into upload parts of one size, in order, one part ahead, so
 * each part knows whether it is the last (a source of unknown size learns its part count only at
 * its end). Holds at most two parts: memory stays flat whatever the file size.
 */
import { TgpipeError } from "../core/errors.ts";
import type { UploadSource } from "./upload_source.ts";

/** One part read from a source. */
export interface ReadPart {
  index: number;
  bytes: Uint8Array;
  /** True for the final part of the file. */
  last: boolean;
}

/** The source gave more or fewer bytes than it said, or broke: never sent as a corrupt file. */
export class SourceError extends TgpipeError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super(message, { code: "SOURCE", data });
  }
}

/**
 * Reads `source` from part `fromIndex` on, as parts of `partSize` bytes (the last one shorter).
 * Throws SourceError when the source's length differs from its declared size.
 */
export async function* readParts(
  source: UploadSource,
  opts: { partSize: number; fromIndex?: number; signal: AbortSignal },
): AsyncGenerator<ReadPart> {
  const from = opts.fromIndex ?? 0;
  const offset = from * opts.partSize;
  if (source.size !== undefined && offset >= source.size && offset > 0) {
    throw new RangeError(`Part ${from} is past the end of ${source.origin}`);
  }
  let index = from;
  let held: Uint8Array | undefined;
  let buf = new Uint8Array(opts.partSize);
  let fill = 0;
  let total = offset;
  for await (const chunk of source.open(offset, opts.signal)) {
    opts.signal.throwIfAborted();
    total += chunk.length;
    if (source.size !== undefined && total > source.size) {
      throw new SourceError(`Source ${source.origin} gave more bytes than its size ${source.size}`, {
        origin: source.origin,
        size: source.size,
      });
    }
    let at = 0;
    while (at < chunk.length) {
      const n = Math.min(chunk.length - at, opts.partSize - fill);
      buf.set(chunk.subarray(at, at + n), fill);
      fill += n;
      at += n;
      if (fill === opts.partSize) {
        if (held) yield { index: index++, bytes: held, last: false };
        held = buf;
        buf = new Uint8Array(opts.partSize);
        fill = 0;
      }
    }
  }
  if (source.size !== undefined && total !== source.size) {
    throw new SourceError(`Source ${source.origin} ended after ${total} of ${source.size} bytes`, {
      origin: source.origin,
      size: source.size,
      got: total,
    });
  }
  if (fill > 0) {
    if (held) yield { index: index++, bytes: held, last: false };
    held = buf.subarray(0, fill);
  }
  if (held) yield { index, bytes: held, last: true };
}
