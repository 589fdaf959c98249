/**
 * A byte range of a local file as an UploadSource: a piece of a generic split is read straight
 * from the original at its offset (no copy), and a whole file is the range [0, size).
 */
import { SourceCorruptError } from "./source_errors.ts";
import type { UploadSource } from "./upload_source.ts";

/** Which bytes of which file, and what Telegram calls them. */
export interface FileRangeOptions {
  /** First byte of the range in the file. Default 0. */
  offset?: number;
  /** Bytes in the range. */
  length: number;
  /** The file name Telegram shows. */
  name: string;
  mime?: string;
}

// what one read asks for: big enough for few syscalls, small enough to keep memory flat
const CHUNK = 256 * 1024;

/**
 * An UploadSource over `length` bytes of `path` from `offset`; seekable. `open` throws
 * SourceCorruptError when the file no longer holds the whole range (it shrank since it was cut).
 */
export function fileRangeSource(path: string, opts: FileRangeOptions): UploadSource {
  const start = opts.offset ?? 0;
  if (!Number.isSafeInteger(start) || start < 0 || !Number.isSafeInteger(opts.length) || opts.length < 0) {
    throw new RangeError(`Bad range ${start}+${opts.length} of ${path}`);
  }
  return {
    name: opts.name,
    size: opts.length,
    origin: path,
    mime: opts.mime,
    seekable: true,
    async *open(offset, signal) {
      if (!Number.isSafeInteger(offset) || offset < 0 || offset > opts.length) {
        throw new RangeError(`Offset ${offset} is outside ${opts.name} (${opts.length} bytes)`);
      }
      yield* _read(path, start + offset, opts.length - offset, signal);
    },
  };
}

async function* _read(
  path: string,
  from: number,
  left: number,
  signal: AbortSignal,
): AsyncIterable<Uint8Array> {
  signal.throwIfAborted();
  using file = await Deno.open(path, { read: true });
  await file.seek(from, Deno.SeekMode.Start);
  let at = from;
  while (left > 0) {
    signal.throwIfAborted();
    const buf = new Uint8Array(Math.min(CHUNK, left));
    const n = await file.read(buf);
    if (n === null) {
      throw new SourceCorruptError(
        `File ${path} ended at byte ${at}, before the end of the piece it was cut into`,
        {
          origin: path,
          reason: "file_changed",
          declared: at + left,
          actual: at,
        },
      );
    }
    left -= n;
    at += n;
    yield n === buf.length ? buf : buf.subarray(0, n);
  }
}
